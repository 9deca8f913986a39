"""How often two careful human labellers agree: a ceiling for any classifier's figures.

    PYTHONPATH=. .venv/bin/python -m eval.agreement

A second labeller (a helper session that saw only tests/data/content/README.md, the guidance and
the texts, never author M's labels) labelled blind M's 513 sentences by the same conventions
(``blind/blind_m_second_labels.toml``, one entry per case, in order, by ``id``). Author M's
labels are taken as the truth, as the blind figures do; the second labeller's as a reading of
them. Only totals are printed: blind M's sentences and which of them disagree are never shown.
"""

from __future__ import annotations

import tomllib

from eval.content_data import CATEGORIES, CONTENT

FIRST = CONTENT / "blind" / "blind_m_sentences.toml"
SECOND = CONTENT / "blind" / "blind_m_second_labels.toml"


def _load(path: object) -> list[dict[str, object]]:
    with open(str(path), "rb") as fh:
        data = tomllib.load(fh)
    return list(data["case"])


def main() -> int:
    first, second = _load(FIRST), _load(SECOND)
    if len(first) != len(second) or any(c.get("id") != i for i, c in enumerate(second)):
        print("the second labels do not line up with the first, case by case")
        return 1
    print(f"{len(first)} sentences: the second labeller read against author M (precision / recall)")
    print(f"  {'category':18} {'all':>11}   {'stt part':>11}   n (M, second)")
    for cat in CATEGORIES:
        cells = []
        for stt in (False, True):
            tp = fp = fn = 0
            for a, b in zip(first, second, strict=True):
                if stt and a.get("style") != "stt":
                    continue
                truth, got = cat in a["labels"], cat in b["labels"]  # type: ignore[operator]
                tp += truth and got
                fp += got and not truth
                fn += truth and not got
            p = tp / (tp + fp) if tp + fp else 1.0
            r = tp / (tp + fn) if tp + fn else 1.0
            cells.append(f"{p:.2f} / {r:.2f}")
            if not stt:
                n = (tp + fn, tp + fp)
        print(f"  {cat:18} {cells[0]:>11}   {cells[1]:>11}   {n[0]}, {n[1]}")
    both = [
        (a.get("cta_kind"), b.get("cta_kind"))
        for a, b in zip(first, second, strict=True)
        if "call_to_action" in a["labels"] and "call_to_action" in b["labels"]  # type: ignore[operator]
    ]
    if both:
        same = sum(x == y for x, y in both)
        print(f"  call-to-action kind {same / len(both):.2f} ({len(both)})")
    same_sets = sum(
        set(a["labels"]) == set(b["labels"]) for a, b in zip(first, second, strict=True)
    )  # type: ignore[call-overload]
    print(f"  identical label sets {same_sets} of {len(first)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
