"""Timed words, sentences, and mapping text matches back to the words (and times) they cover."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*$")
# A silence this long ends a sentence even without punctuation (Whisper often omits it).
SENTENCE_GAP_S = 1.2
WORD_CHARS = re.compile(r"[\w']", re.UNICODE)


@dataclass(frozen=True)
class Word:
    text: str
    start_s: float
    end_s: float
    probability: float = 1.0


@dataclass(frozen=True)
class Span:
    """A run of words ``[first, last]`` (inclusive) with its text and times."""

    first: int
    last: int
    text: str
    start_s: float
    end_s: float


def match_text(text: str) -> str:
    """Text as patterns see it: curly apostrophes straightened, so ``'`` in a profile matches
    Whisper's output. One character for one, so match offsets still point into ``text``."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


class TimedText:
    """Words joined into one string, remembering where each word's characters are."""

    def __init__(self, words: Sequence[Word], first: int = 0) -> None:
        self.words = words
        self.first = first
        parts: list[str] = []
        self.offsets: list[tuple[int, int]] = []
        pos = 0
        for w in words:
            token = w.text.strip()
            if parts:
                pos += 1
            self.offsets.append((pos, pos + len(token)))
            parts.append(token)
            pos += len(token)
        self.text = " ".join(parts)

    def span(self, start: int, end: int) -> Span | None:
        """The words overlapping characters ``[start, end)``, or None when none do."""
        hit = [i for i, (s, e) in enumerate(self.offsets) if s < end and e > start]
        if not hit:
            return None
        a, b = hit[0], hit[-1]
        text = self.text[self.offsets[a][0] : self.offsets[b][1]].strip(" ,;:.!?")
        return Span(
            first=self.first + a,
            last=self.first + b,
            text=text,
            start_s=self.words[a].start_s,
            end_s=self.words[b].end_s,
        )


@dataclass(frozen=True)
class Sentence:
    first: int
    last: int
    text: str
    start_s: float
    end_s: float


def split_sentences(words: Sequence[Word]) -> list[Sentence]:
    """Sentences from punctuation, or from a long silence where punctuation is missing."""
    sentences: list[Sentence] = []
    start = 0
    for i, w in enumerate(words):
        last = i == len(words) - 1
        gap = not last and words[i + 1].start_s - w.end_s >= SENTENCE_GAP_S
        if last or SENTENCE_END.search(w.text.strip()) or gap:
            chunk = words[start : i + 1]
            if any(WORD_CHARS.search(x.text) for x in chunk):
                sentences.append(
                    Sentence(
                        first=start,
                        last=i,
                        text=" ".join(x.text.strip() for x in chunk),
                        start_s=chunk[0].start_s,
                        end_s=chunk[-1].end_s,
                    )
                )
            start = i + 1
    return sentences


def is_word(text: str) -> bool:
    """A token with a letter or a digit; punctuation alone ("." or "-") is not a word."""
    return any(ch.isalnum() for ch in text)


def plain_word(text: str) -> str:
    """A word as plain lower-case text, without the punctuation around it ("Call," -> "call")."""
    return text.strip().lower().strip(".,;:!?\"'()")


def append_word(words: list[Word], word: Word) -> None:
    """Append ``word``; a token of punctuation only (Whisper writes "." alone over noise) goes
    onto the word before it, or nowhere."""
    if is_word(word.text):
        words.append(word)
    elif word.text and words:
        words[-1] = replace(words[-1], text=words[-1].text + word.text)


def words_from_text(text: str, wpm: float) -> list[Word]:
    """Split a written script into words timed at a steady pace, longer words taking longer.

    A sentence end adds a short breath, so estimated times match a read-aloud script.
    """
    tokens = text.split()
    seconds_per_syllable = 60.0 / wpm / 1.4  # English averages about 1.4 syllables a word
    words: list[Word] = []
    t = 0.0
    for token in tokens:
        length = max(1, _syllables(token)) * seconds_per_syllable
        if not is_word(token):
            append_word(words, Word(token, t, t))
            continue
        words.append(Word(token, round(t, 3), round(t + length, 3)))
        t += length
        if SENTENCE_END.search(token):
            t += 0.35
        elif token.endswith((",", ";", ":")):
            t += 0.15
    return words


def _syllables(token: str) -> int:
    letters = re.sub(r"[^a-z]", "", token.lower())
    if not letters:
        digits = re.sub(r"\D", "", token)
        return len(digits)
    groups = re.findall(r"[aeiouy]+", letters)
    count = len(groups)
    if letters.endswith("e") and count > 1 and not letters.endswith(("le", "ee")):
        count -= 1
    return max(1, count)
