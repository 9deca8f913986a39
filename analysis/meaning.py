"""What a sentence means: a trained head over sentence embeddings, beside the profile's rules.

For each content category the head gives a probability from the sentence's embedding
(voicemail_coach.analysis.encoder) and from whether the profile's phrase rules matched it, so the rules a coach
edits still count and a rule the data shows to be unreliable is weighed down. A second head names
a call to action's kind, a third grades a value proposition (specific outcome, vague benefit, or
a feature description). The heads are a small artifact of our own (resources/content/head.npz),
made by ``scripts/train_content.py`` from the labelled corpus in tests/data/; its SHA-256 is
recorded in ``head.json`` and checked at load.

Coaches steer it without retraining: example sentences in the profile ("counts as a call to
action" / "does not") decide a sentence that is close enough to one of them.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from voicemail_coach.analysis.checksums import checked_arrays
from voicemail_coach.analysis.encoder import DIM, FEATURES, EncoderError, SentenceEncoder
from voicemail_coach.analysis.profile import CONTENT_CATEGORIES

CATEGORIES = CONTENT_CATEGORIES
KINDS = ("callback", "follow_up", "email", "other")
GRADES = ("specific", "vague", "feature")

Matrix = npt.NDArray[np.float32]


class MeaningError(Exception):
    """The trained head is missing or damaged."""


@dataclass(frozen=True)
class Example:
    text: str
    category: str
    similarity: float


@dataclass(frozen=True)
class Reading:
    """What the model makes of one sentence."""

    probs: dict[str, float]
    positive: frozenset[str]
    kind: str | None
    grade: str | None
    nearest: dict[str, Example]  # per category, the closest training example that has it
    steered: dict[str, Example]  # per category, the coach's example that decided it


@dataclass(frozen=True)
class CoachExamples:
    """The profile's example sentences, per category: ``counts`` and ``not``."""

    counts: dict[str, tuple[str, ...]]
    not_: dict[str, tuple[str, ...]]
    similarity: float = 0.8

    def empty(self) -> bool:
        return not any(self.counts.values()) and not any(self.not_.values())


class Head:
    """The trained weights, thresholds and example bank."""

    def __init__(self, arrays: dict[str, Any], meta: dict[str, Any]) -> None:
        self.meta = meta
        self.w = np.asarray(arrays["w"], dtype=np.float32)  # (C, FEATURES + V + C)
        self.idf = np.asarray(arrays["idf"], dtype=np.float32)
        self.vocab = {g: i for i, g in enumerate(meta["vocab"])}
        self.b = np.asarray(arrays["b"], dtype=np.float32)
        self.threshold = np.asarray(arrays["threshold"], dtype=np.float32)
        # (K, FEATURES + K [+ V]): the encoder's reading, the rules' kind [, the grams]
        self.kind_w = np.asarray(arrays["kind_w"], dtype=np.float32)
        self.kind_b = np.asarray(arrays["kind_b"], dtype=np.float32)
        self.grade_w = np.asarray(arrays["grade_w"], dtype=np.float32)  # (G, FEATURES + 1)
        self.grade_b = np.asarray(arrays["grade_b"], dtype=np.float32)
        self.ex_emb = np.asarray(arrays["ex_emb"], dtype=np.float32)
        self.ex_cat = np.asarray(arrays["ex_cat"], dtype=np.int64)
        self.ex_text: list[str] = list(meta["examples"])
        if list(meta["categories"]) != list(CATEGORIES):
            raise MeaningError("the trained head was made for other categories; retrain it")
        if self.w.shape[1] != FEATURES + len(self.vocab) + len(CATEGORIES) or self.kind_w.shape[
            1
        ] not in (FEATURES + len(KINDS), FEATURES + len(KINDS) + len(self.vocab)):
            raise MeaningError("the trained head was made for another encoder reading; retrain it")

    @classmethod
    def load(cls) -> Head:
        folder = resources.files("voicemail_coach.resources.content")
        meta = json.loads((folder / "head.json").read_text(encoding="utf-8"))
        arrays, _ = checked_arrays(
            folder / "head.npz",
            meta["sha256"],
            lambda: MeaningError(
                "resources/content/head.npz does not match its recorded SHA-256; "
                "rebuild it with scripts/train_content.py"
            ),
        )
        return cls(arrays, meta)


def _sigmoid(x: Matrix) -> Matrix:
    return (1.0 / (1.0 + np.exp(-x))).astype(np.float32)


def _softmax(x: Matrix) -> Matrix:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return np.asarray(e / e.sum(axis=-1, keepdims=True), dtype=np.float32)


def features(emb: Matrix, rule_hits: npt.NDArray[np.float32]) -> Matrix:
    return np.concatenate([emb, rule_hits], axis=1).astype(np.float32)


def grams(text: str) -> list[str]:
    """Word unigrams and bigrams, lower case, each digit as "0"."""
    toks = ["0" if t.isdigit() else t for t in re.findall(r"[a-z']+|\d", text.lower())]
    return toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)]


def tfidf(texts: Sequence[str], vocab: dict[str, int], idf: npt.NDArray[np.float32]) -> Matrix:
    """L2-normalised TF-IDF rows over the trained vocabulary."""
    x = np.zeros((len(texts), len(vocab)), dtype=np.float32)
    for r, t in enumerate(texts):
        for g in grams(t):
            i = vocab.get(g)
            if i is not None:
                x[r, i] += 1.0
    x *= idf
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)
    return x


CACHE_SIZE = 1000  # sentences' readings remembered (12 kB each)


class MeaningModel:
    """The encoder and the head together; ``read`` labels a batch of sentences."""

    def __init__(self, encoder: SentenceEncoder, head: Head) -> None:
        self.encoder = encoder
        self.head = head
        self._cache: dict[str, Matrix] = {}
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> Matrix:
        """The sentence embeddings (for likeness to examples)."""
        return self.read_features(texts)[:, :DIM]

    def read_features(self, texts: Sequence[str]) -> Matrix:
        """What the encoder reads of each text (voicemail_coach.analysis.encoder.SentenceEncoder.read),
        remembered per text (live analysis sees the same sentences again)."""
        if not texts:
            return np.zeros((0, FEATURES), np.float32)
        with self._lock:
            known = {t: self._cache[t] for t in texts if t in self._cache}
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            fresh = self.encoder.read(missing)
            known.update(zip(missing, fresh, strict=True))
            with self._lock:
                if len(self._cache) + len(missing) > CACHE_SIZE:
                    self._cache.clear()
                self._cache.update(zip(missing, fresh, strict=True))
        return np.stack([known[t] for t in texts])

    def forget(self) -> None:
        """Drop the remembered embeddings (the benchmark reads every sentence afresh)."""
        with self._lock:
            self._cache.clear()

    def probabilities(
        self, grams_in: Matrix, feats: Matrix, rule_hits: npt.NDArray[np.float32]
    ) -> Matrix:
        """Each category's probability from the encoder's reading, the TF-IDF grams (``tfidf``
        over the head's vocabulary) and the rules' hits."""
        h = self.head
        x = np.concatenate([feats, grams_in, rule_hits], axis=1)
        return _sigmoid(x @ h.w.T + h.b)

    def read(
        self,
        texts: Sequence[str],
        rule_hits: npt.NDArray[np.float32],
        rule_kinds: npt.NDArray[np.float32],
        coach: CoachExamples | None = None,
    ) -> list[Reading]:
        """One Reading per text. ``rule_hits`` is (n, categories) 0/1, ``rule_kinds`` (n, kinds)."""
        h = self.head
        feats = self.read_features(texts)
        emb = feats[:, :DIM]
        grams_in = tfidf(texts, h.vocab, h.idf)
        probs = self.probabilities(grams_in, feats, rule_hits)
        kind_in = features(feats, rule_kinds)
        if h.kind_w.shape[1] > kind_in.shape[1]:  # the kind head reads the grams too
            kind_in = np.concatenate([kind_in, grams_in], axis=1)
        kinds = _softmax(kind_in @ h.kind_w.T + h.kind_b)
        grade_in = np.concatenate([feats, _specific_cue(texts)], axis=1)
        grades = _softmax(grade_in @ h.grade_w.T + h.grade_b)
        sims = emb @ h.ex_emb.T if len(h.ex_emb) else np.zeros((len(texts), 0), np.float32)
        steer = self._steer(emb, coach) if coach is not None and not coach.empty() else None
        out = []
        for i in range(len(texts)):
            positive = {c for j, c in enumerate(CATEGORIES) if probs[i, j] >= h.threshold[j]}
            steered: dict[str, Example] = {}
            if steer is not None:
                for c, (polarity, ex) in steer[i].items():
                    steered[c] = ex
                    if polarity:
                        positive.add(c)
                    else:
                        positive.discard(c)
            nearest = {}
            for j, c in enumerate(CATEGORIES):
                mask = h.ex_cat == j
                if mask.any():
                    k = int(np.argmax(np.where(mask, sims[i], -2.0)))
                    nearest[c] = Example(h.ex_text[k], c, float(sims[i, k]))
            out.append(
                Reading(
                    probs={c: float(probs[i, j]) for j, c in enumerate(CATEGORIES)},
                    positive=frozenset(positive),
                    kind=KINDS[int(np.argmax(kinds[i]))],
                    grade=GRADES[int(np.argmax(grades[i]))],
                    nearest=nearest,
                    steered=steered,
                )
            )
        return out

    def _steer(self, emb: Matrix, coach: CoachExamples) -> list[dict[str, tuple[bool, Example]]]:
        """Per sentence, the categories a coach's example decides: the closest example (counts or
        not) within the profile's similarity wins."""
        result: list[dict[str, tuple[bool, Example]]] = [{} for _ in range(len(emb))]
        for c in CATEGORIES:
            pool = [(t, True) for t in coach.counts.get(c, ())] + [
                (t, False) for t in coach.not_.get(c, ())
            ]
            if not pool:
                continue
            ex = self.embed([t for t, _ in pool])
            sims = emb @ ex.T
            for i in range(len(emb)):
                k = int(np.argmax(sims[i]))
                if sims[i, k] >= coach.similarity:
                    text, polarity = pool[k]
                    result[i][c] = (polarity, Example(text, c, float(sims[i, k])))
        return result


SPECIFIC_WORDS = frozenset(
    [
        "percent",
        "%",
        "half",
        "double",
        "twice",
        "third",
        "quarter",
        "hours",
        "hour",
        "days",
        "weeks",
        "minutes",
        "dollars",
        "$",
        "million",
        "thousand",
        "saved",
        "save",
        "cut",
        "reduce",
        "reduced",
        "fewer",
        "faster",
    ]
)


def _specific_cue(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """1 where a sentence holds a number or a measure word (a cue for a specific outcome)."""
    out = np.zeros((len(texts), 1), dtype=np.float32)
    for i, t in enumerate(texts):
        low = t.lower()
        if any(ch.isdigit() for ch in low) or any(
            w in SPECIFIC_WORDS for w in low.replace("%", " % ").replace("$", " $ ").split()
        ):
            out[i, 0] = 1.0
    return out


_model: MeaningModel | None = None
_error: str | None = None
_load_lock = threading.Lock()


def get_model() -> MeaningModel | None:
    """The shared model, loaded once (call it off the GUI thread the first time). None, with
    :func:`load_error` saying why, when the encoder or the head cannot be used."""
    global _model, _error
    with _load_lock:
        if _model is None and _error is None:
            try:
                encoder, head = SentenceEncoder(), Head.load()
                if head.meta.get("encoder_arithmetic") != encoder.arithmetic:
                    raise MeaningError(
                        "the trained head was made for another encoder reading "
                        f"({head.meta.get('encoder_arithmetic')}, the encoder reads "
                        f"{encoder.arithmetic}); rebuild it with scripts/train_content.py"
                    )
                _model = MeaningModel(encoder, head)
            except (EncoderError, MeaningError, OSError, ValueError, KeyError) as e:
                _error = str(e)
        return _model


def load_error() -> str | None:
    return _error


def reset() -> None:
    """Forget the loaded model (tests)."""
    global _model, _error
    with _load_lock:
        _model = None
        _error = None
