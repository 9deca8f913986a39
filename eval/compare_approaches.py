"""Compare the content-reading approaches on the same splits (sentence level, P/R per category).

    OPENBLAS_NUM_THREADS=1 PYTHONPATH=. .venv/bin/python -m eval.compare_approaches

Each approach learns from train + dev with the shipped settings (thresholds from a train-only fit
on dev) and is scored on the blind tables, which none of them saw. Only figures are printed.
"""

from __future__ import annotations

import time

import numpy as np

from eval.content_data import cases
from eval.learn import best_threshold, fit_logistic
from scripts.train_content import ITERS, PRECISION_FIRST, embed_cached, prf, targets, tfidf_fit
from voicemail_coach.analysis.encoder import SentenceEncoder
from voicemail_coach.analysis.meaning import CATEGORIES, tfidf
from voicemail_coach.analysis.phrase_rules import rule_vectors
from voicemail_coach.analysis.profile_loader import load_profile

L2 = 1e-5


def main() -> int:
    profile = load_profile()
    encoder = SentenceEncoder()
    splits = {s: cases(s) for s in ("train", "dev", "blind", "old_blind")}
    texts = {s: [c.text for c in cs] for s, cs in splits.items()}
    t0 = time.perf_counter()
    emb = {s: embed_cached(encoder, texts[s]) for s in splits}
    rules = {s: rule_vectors(texts[s], profile)[0] for s in splits}
    y = {s: targets(cs) for s, cs in splits.items()}
    print(f"features ready in {time.perf_counter() - t0:.0f} s")
    vocab_tr, idf_tr = tfidf_fit(texts["train"])
    every = texts["train"] + texts["dev"]
    vocab, idf = tfidf_fit(every)

    def feats(kind: str, s: str, v: dict[str, int], i: np.ndarray) -> np.ndarray:
        parts = []
        if "emb" in kind:
            parts.append(emb[s])
        if "tfidf" in kind:
            parts.append(tfidf(texts[s], v, i))
        parts.append(rules[s])
        return np.concatenate(parts, axis=1)

    for kind in ("emb", "tfidf", "emb+tfidf"):
        print(f"\n{kind} + rules")
        for j, c in enumerate(CATEGORIES):
            w, b = fit_logistic(feats(kind, "train", vocab_tr, idf_tr), y["train"][:, j], L2, ITERS)
            p = 1 / (1 + np.exp(-(feats(kind, "dev", vocab_tr, idf_tr) @ w + b)))
            t = best_threshold(p, y["dev"][:, j], PRECISION_FIRST.get(c, 1.0))
            x_all = np.concatenate(
                [feats(kind, "train", vocab, idf), feats(kind, "dev", vocab, idf)]
            )
            y_all = np.concatenate([y["train"][:, j], y["dev"][:, j]])
            w, b = fit_logistic(x_all, y_all, L2, ITERS)
            cells = []
            for s in ("blind", "old_blind"):
                q = 1 / (1 + np.exp(-(feats(kind, s, vocab, idf) @ w + b)))
                pr, rc = prf(q >= t, y[s][:, j])
                cells.append(f"{s} {pr:.2f}/{rc:.2f}")
            print(f"  {c:18} " + "   ".join(cells), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
