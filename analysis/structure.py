"""What the message says: introduction, value, next step, way out, and the things to avoid."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from analysis.profile import Profile
from analysis.transcript import Sentence, TimedText, Word, match_text, words_from_text

LIST_CATEGORIES = ("premature_ask", "self_praise", "pressure", "personalization")


@dataclass(frozen=True)
class Finding:
    """A matched phrase: its words and times, and the sentence it sits in."""

    category: str
    text: str
    start_s: float
    end_s: float
    sentence: int
    kind: str | None = None


@dataclass(frozen=True)
class SentenceLabels:
    labels: tuple[str, ...]
    cta_kind: str | None
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class PhoneNumber:
    text: str
    start_s: float
    end_s: float
    digits: int

    @property
    def digits_per_s(self) -> float:
        return self.digits / max(0.2, self.end_s - self.start_s)


@dataclass(frozen=True)
class Structure:
    sentence_labels: tuple[SentenceLabels, ...]
    phone_numbers: tuple[PhoneNumber, ...]
    findings: tuple[Finding, ...] = field(default=())

    def first(self, category: str) -> Finding | None:
        return next((f for f in self.findings if f.category == category), None)

    def all(self, category: str) -> list[Finding]:
        return [f for f in self.findings if f.category == category]

    def call_to_action(self) -> Finding | None:
        """The message's closing next step: the last call to action said."""
        ctas = self.all("call_to_action")
        return ctas[-1] if ctas else None


def classify_sentence(
    text: str,
    profile: Profile,
    words: Sequence[Word] | None = None,
    index: int = 0,
    first_word: int = 0,
) -> SentenceLabels:
    """Labels for one sentence, with each match located in the words when they are given."""
    if words is None:
        words = words_from_text(text, profile.pace.script_wpm)
    timed = TimedText(words, first_word)
    norm = match_text(timed.text)
    findings: list[Finding] = []

    def add(category: str, spans: list[tuple[int, int]], kind: str | None = None) -> None:
        for s, e in spans:
            span = timed.span(s, e)
            if span is not None:
                findings.append(Finding(category, span.text, span.start_s, span.end_s, index, kind))

    for category, matcher in profile.structure.items():
        add(category, matcher.find(norm))
    cta_kind = None
    for kind, matcher in profile.cta.items():
        spans = matcher.find(norm)
        if spans:
            cta_kind = kind
            add("call_to_action", spans[:1], kind)
            break
    for number in find_phone_numbers(
        timed.words, profile.phone.min_digits, profile.phone.not_after
    ):
        findings.append(Finding("phone_number", number.text, number.start_s, number.end_s, index))
        if cta_kind is None:
            # Leaving your number is itself an invitation to call back.
            cta_kind = "callback"
            findings.append(
                Finding(
                    "call_to_action", number.text, number.start_s, number.end_s, index, cta_kind
                )
            )
    labels = tuple(dict.fromkeys(f.category for f in findings))
    return SentenceLabels(labels, cta_kind, tuple(findings))


def analyze_structure(
    words: Sequence[Word], sentences: Sequence[Sentence], profile: Profile
) -> Structure:
    labelled = [
        classify_sentence(s.text, profile, words[s.first : s.last + 1], i, s.first)
        for i, s in enumerate(sentences)
    ]
    findings = [f for sl in labelled for f in sl.findings]
    return Structure(
        sentence_labels=tuple(labelled),
        phone_numbers=tuple(
            find_phone_numbers(words, profile.phone.min_digits, profile.phone.not_after)
        ),
        findings=tuple(sorted(findings, key=lambda f: (f.start_s, f.category))),
    )


DIGIT_WORDS = {
    "zero": 1, "oh": 1, "o": 1, "one": 1, "two": 1, "three": 1, "four": 1, "five": 1, "six": 1,
    "seven": 1, "eight": 1, "nine": 1, "ten": 2, "eleven": 2, "twelve": 2, "thirteen": 2,
    "fourteen": 2, "fifteen": 2, "sixteen": 2, "seventeen": 2, "eighteen": 2, "nineteen": 2,
    "twenty": 2, "thirty": 2, "forty": 2, "fifty": 2, "sixty": 2, "seventy": 2, "eighty": 2,
    "ninety": 2, "hundred": 2, "thousand": 3, "double": 0, "triple": 0,
}  # fmt: skip
NUMBER_JOINERS = {"and", "dash", "-", "extension", "ext", "x"}
# "twenty one" is two digits, not three: a units word after a tens word adds nothing.
TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}


def find_phone_numbers(
    words: Sequence[Word], min_digits: int, not_after: Sequence[str] = ()
) -> list[PhoneNumber]:
    """Runs of digits (written or spoken) long enough to be a phone number.

    A run right after a word in ``not_after`` ("invoice 00482213") is a reference, not a number
    to call. A number ends at a sentence end (so one said twice counts twice), but a short run of
    digits straight after it is its rest: Whisper sometimes puts a full stop inside a number
    ("eight, five, nine, four, seven, three, four. Four, two, seven, two.").
    """
    numbers: list[PhoneNumber] = []
    first_word: list[int] = []  # where each number starts
    run: list[int] = []
    digits = 0
    previous = ""

    def close() -> None:
        nonlocal run, digits
        while run and _token(words[run[-1]].text) in NUMBER_JOINERS:
            run.pop()
        before = {_token(w.text) for w in words[max(0, run[0] - 3) : run[0]]} if run else set()
        rest_of_last = (
            run
            and numbers
            and MIN_REST_DIGITS <= digits < min_digits
            and SENTENCE_BREAK.search(words[run[0] - 1].text)
            and words[run[0] - 1].end_s == numbers[-1].end_s
            and words[run[0]].start_s - numbers[-1].end_s < MAX_REST_GAP_S
        )
        if rest_of_last:
            start = first_word.pop()
            digits += numbers.pop().digits
            run = list(range(start, run[-1] + 1))
        if run and digits >= min_digits and (rest_of_last or not before & set(not_after)):
            chunk = words[run[0] : run[-1] + 1]
            first_word.append(run[0])
            numbers.append(
                PhoneNumber(
                    text=" ".join(w.text.strip() for w in chunk),
                    start_s=chunk[0].start_s,
                    end_s=chunk[-1].end_s,
                    digits=digits,
                )
            )
        run, digits = [], 0

    for i, w in enumerate(words):
        token = _token(w.text)
        count = _digit_count(token, previous)
        if count is not None:
            run.append(i)
            digits += count
        elif run and token in NUMBER_JOINERS:
            run.append(i)
        else:
            close()
        previous = token
        if run and SENTENCE_BREAK.search(w.text) and digits >= min_digits:
            close()
    close()
    return numbers


SENTENCE_BREAK = re.compile(r"[.!?]$")
# The rest of a number cut by a full stop: at least this many digits, starting this soon after.
MIN_REST_DIGITS = 2
MAX_REST_GAP_S = 1.0


def _token(text: str) -> str:
    return text.strip().lower().strip(".,;:!?\"'()")


def _digit_count(token: str, previous: str) -> int | None:
    if re.fullmatch(r"[\d\-().+]+", token) and any(c.isdigit() for c in token):
        return sum(c.isdigit() for c in token)
    for part in token.split("-"):
        if part not in DIGIT_WORDS:
            return None
    if previous in TENS and token in DIGIT_WORDS and DIGIT_WORDS[token] == 1:
        return 0
    return sum(DIGIT_WORDS[p] for p in token.split("-"))
