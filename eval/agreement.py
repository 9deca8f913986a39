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
from typing import Any

from eval.content_accuracy import Counts
from eval.content_data import CATEGORIES, CONTENT

FIRST = CONTENT / "blind" / "blind_m_sentences.toml"
SECOND = CONTENT / "blind" / "blind_m_second_labels.toml"


def _load(path: object) -> list[dict[str, Any]]:
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
            counts = Counts()
            for a, b in zip(first, second, strict=True):
                if not stt or a.get("style") == "stt":
                    counts.add(cat in a["labels"], cat in b["labels"])
            cells.append(f"{counts.precision:.2f} / {counts.recall:.2f}")
            if not stt:
                n = (counts.tp + counts.fn, counts.tp + counts.fp)
        print(f"  {cat:18} {cells[0]:>11}   {cells[1]:>11}   {n[0]}, {n[1]}")
    both = [
        (a.get("cta_kind"), b.get("cta_kind"))
        for a, b in zip(first, second, strict=True)
        if "call_to_action" in a["labels"] and "call_to_action" in b["labels"]
    ]
    if both:
        same = sum(x == y for x, y in both)
        print(f"  call-to-action kind {same / len(both):.2f} ({len(both)})")
    same_sets = sum(
        set(a["labels"]) == set(b["labels"]) for a, b in zip(first, second, strict=True)
    )
    print(f"  identical label sets {same_sets} of {len(first)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
