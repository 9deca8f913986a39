"""Phone numbers in speech: where a run of digits, written or spoken, is long enough to be a
number to call (``find_phone_numbers``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from voicemail_coach.analysis.transcript import Word, plain_word


@dataclass(frozen=True)
class PhoneNumber:
    text: str
    start_s: float
    end_s: float
    digits: int

    @property
    def digits_per_s(self) -> float:
        return self.digits / max(0.2, self.end_s - self.start_s)


# How many digits a spoken word adds to a run (find_phone_numbers)
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
        while run and plain_word(words[run[-1]].text) in NUMBER_JOINERS:
            run.pop()
        before = {plain_word(w.text) for w in words[max(0, run[0] - 3) : run[0]]} if run else set()
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
        token = plain_word(w.text)
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


def _digit_count(token: str, previous: str) -> int | None:
    if re.fullmatch(r"[\d\-().+]+", token) and any(c.isdigit() for c in token):
        return sum(c.isdigit() for c in token)
    for part in token.split("-"):
        if part not in DIGIT_WORDS:
            return None
    if previous in TENS and token in DIGIT_WORDS and DIGIT_WORDS[token] == 1:
        return 0
    return sum(DIGIT_WORDS[p] for p in token.split("-"))
