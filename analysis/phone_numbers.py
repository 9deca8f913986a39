"""Phone numbers in speech: where a run of digits, written or spoken, is long enough to be a
number to call (``find_phone_numbers``), the digits a run of words says however it was said
(``digits_of``), and how they are shown (``grouped``)."""

from __future__ import annotations

import dataclasses
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
# What a spoken word is worth (digits_of)
UNITS = {
    "zero": 0, "oh": 0, "o": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
# "twenty one" is two digits, not three: a units word after a tens word adds nothing.
TENS = {
    "twenty": 2, "thirty": 3, "forty": 4, "fifty": 5, "sixty": 6, "seventy": 7, "eighty": 8,
    "ninety": 9,
}  # fmt: skip
REPEATS = {"double": 2, "triple": 3}


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


def grouped(digits: str, sep: str = " ") -> str:
    """555 013 4567 style for ten digits, 555 0134 for seven, as they are shown (and, with
    ``sep="-"``, as a rewritten script writes them); other lengths as they are."""
    if len(digits) == 10:
        return f"{digits[:3]}{sep}{digits[3:6]}{sep}{digits[6:]}"
    if len(digits) == 7:
        return f"{digits[:3]}{sep}{digits[3:]}"
    return digits


@dataclasses.dataclass
class _Part:
    """One run of a number as it is read: its value, the last part added (what "hundred" or
    "thousand" multiplies), and its digits as written when they must be kept ("0134")."""

    value: int
    last: int
    written: str | None = None
    open: bool = True  # later parts may add into it ("five hundred" + "fifty")

    def room(self) -> int:
        """Below what a following part adds into this one: 100 for 500, 10 for 550."""
        if not self.open or self.value <= 0:
            return 0
        zeros = len(str(self.value)) - len(str(self.value).rstrip("0"))
        return int(10**zeros) if zeros else 0

    def text(self) -> str:
        return self.written if self.written is not None else str(self.value)


def digits_of(tokens: Sequence[str]) -> str:
    """The digits a run of words says, however it was said or written: "555-0134", "five five
    five", "oh", "double two", "forty-four seventy-seven" (4477), "five hundred fifty five" or
    "500 55" (555), "four thousand four hundred seventy seven" (4477). Other words add nothing."""
    parts: list[_Part] = []
    repeat = 1

    def add(value: int, written: str | None = None) -> None:
        last = parts[-1] if parts else None
        if last is not None and written is None and value < last.room():
            last.value += value
            last.last = value
            last.written = None
        else:
            parts.append(_Part(value, value, written, written is None and value > 0))

    def times(factor: int) -> None:
        last = parts[-1] if parts else None
        if last is None or last.written is not None:
            add(factor)
            return
        last.value += last.last * (factor - 1)
        last.last *= factor

    for raw in tokens:
        token = plain_word(raw)
        if any(c.isdigit() for c in token) and re.fullmatch(r"[\d\-().+]+", token):
            for group in re.findall(r"\d+", token):
                if group.startswith("0") or not parts or int(group) >= parts[-1].room():
                    parts.append(_Part(int(group), int(group), group, not group.startswith("0")))
                else:
                    add(int(group))
            repeat = 1
            continue
        for part in token.split("-"):
            if part in UNITS:
                digit = UNITS[part]
                if repeat > 1 or part in ("oh", "o", "zero"):
                    parts.append(_Part(digit, digit, str(digit) * repeat, False))
                else:
                    add(digit)
                repeat = 1
            elif part in TEENS:
                add(TEENS[part])
            elif part in TENS:
                add(TENS[part] * 10)
            elif part == "hundred":
                times(100)
            elif part == "thousand":
                times(1000)
            elif part in REPEATS:
                repeat = REPEATS[part]
    return "".join(p.text() for p in parts)
