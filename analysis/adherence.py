"""After a take recorded with a script: what of the script was said, skipped or added.

The transcript's words are aligned with the script's (difflib on normalised words: lower case,
no punctuation, every number as its digits, so "555-318-2260", "5 5 5 3 1 8..." and "five five
five..." compare alike). Each script sentence gets the share of its words heard and a status;
words said that the script does not hold are "added" to the sentence they were said in.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from voicemail_coach.analysis.draft import rewrite_words
from voicemail_coach.analysis.phone_numbers import digits_of

NUMBER_WORDS = {
    "zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand", "double", "triple",
}  # fmt: skip
SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class ScriptWord:
    text: str
    said: bool


@dataclass(frozen=True)
class SentenceAdherence:
    text: str
    status: str  # said | partly | skipped
    said_share: float
    words: tuple[ScriptWord, ...]
    added: tuple[str, ...]  # words said here that the script does not hold


@dataclass(frozen=True)
class Adherence:
    sentences: tuple[SentenceAdherence, ...]
    said_share: float  # of all the script's words
    added_count: int

    def skipped(self) -> list[str]:
        return [s.text for s in self.sentences if s.status == "skipped"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "said_share": round(self.said_share, 3),
            "added_words": self.added_count,
            "sentences": [
                {
                    "text": s.text,
                    "status": s.status,
                    "said_share": round(s.said_share, 3),
                    "skipped_words": [w.text for w in s.words if not w.said],
                    "added_words": list(s.added),
                }
                for s in self.sentences
            ],
        }


def normalise(tokens: Sequence[str]) -> list[tuple[str, int]]:
    """(normalised word, index of the token it came from); a number becomes one word per digit."""
    out: list[tuple[str, int]] = []
    for i, raw in enumerate(tokens):
        token = raw.lower().strip('.,;:!?"()[]')
        if not token:
            continue
        numeric = any(c.isdigit() for c in token) or all(
            p in NUMBER_WORDS for p in token.split("-") if p
        )
        if numeric:
            out += [(d, i) for d in digits_of([token])]
            continue
        word = re.sub(r"[^a-z0-9']", "", token)
        if word:
            out.append((word, i))
    return out


def script_sentences(script: str) -> list[str]:
    return [s for s in SENTENCE.split(" ".join(script.split())) if s.strip()]


def align(script: str, said: Sequence[str]) -> Adherence:
    """How far the words ``said`` (a transcript's, in order) follow ``script``."""
    limits = rewrite_words()["adherence"]
    sentences = script_sentences(script)
    tokens: list[str] = []
    owner: list[int] = []  # the sentence of each script token
    for n, sentence in enumerate(sentences):
        for t in sentence.split():
            tokens.append(t)
            owner.append(n)
    script_norm = normalise(tokens)
    said_norm = normalise(said)
    matcher = difflib.SequenceMatcher(
        None, [w for w, _ in script_norm], [w for w, _ in said_norm], autojunk=False
    )
    heard = [False] * len(script_norm)
    added: list[list[str]] = [[] for _ in sentences]
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            for k in range(a0, a1):
                heard[k] = True
        if op in ("insert", "replace") and b1 > b0:
            # Words said beyond the script belong to the sentence being said then.
            at = a0 - 1 if op == "insert" and a0 > 0 else min(a0, len(script_norm) - 1)
            where = owner[script_norm[at][1]] if script_norm else 0
            seen: set[int] = set()
            for _, i in said_norm[b0:b1]:
                if i not in seen:
                    seen.add(i)
                    added[where].append(said[i].strip('.,;:!?"').lower())
    # A script token is said when all its normalised words were heard.
    token_heard = [True] * len(tokens)
    for k, (_, i) in enumerate(script_norm):
        token_heard[i] = token_heard[i] and heard[k]
    out = []
    for n, sentence in enumerate(sentences):
        words = tuple(ScriptWord(t, token_heard[i]) for i, t in enumerate(tokens) if owner[i] == n)
        share = sum(w.said for w in words) / len(words) if words else 0.0
        status = (
            "said" if share >= limits["said_share"]
            else "skipped" if share < limits["skipped_share"]
            else "partly"
        )  # fmt: skip
        out.append(SentenceAdherence(sentence, status, share, words, tuple(added[n])))
    total = sum(len(s.words) for s in out)
    said_words = sum(w.said for s in out for w in s.words)
    return Adherence(
        sentences=tuple(out),
        said_share=said_words / total if total else 0.0,
        added_count=sum(len(a) for a in added),
    )
