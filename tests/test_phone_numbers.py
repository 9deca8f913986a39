"""Phone numbers in the words: runs of digits, said once or twice, cut by Whisper's full stops."""

from __future__ import annotations

import pytest

from analysis.structure import find_phone_numbers
from analysis.transcript import words_from_text


def numbers(text: str) -> list[tuple[str, int]]:
    words = words_from_text(text, 160)
    return [(n.text, n.digits) for n in find_phone_numbers(words, 7, ["invoice"])]


def test_a_number_cut_by_a_full_stop_is_one_number() -> None:
    # How tiny.en writes the real sales voicemail's number with CTranslate2's AVX-512 kernels.
    cut = "Just give me a call back at eight, five, nine, four, seven, three, four. Four, two, seven, two. Okay."
    assert numbers(cut) == [
        ("eight, five, nine, four, seven, three, four. Four, two, seven, two.", 11)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Said twice, with or without words between: two numbers.
        ("Call me at 555 312 4477. Again, that's 555 312 4477.", [10, 10]),
        ("Call me at 555 312 4477. 555 312 4477. Thanks.", [10, 10]),
        # One digit after a number is not its rest ("2 more things").
        ("Call me at 555 1234. 2 more things.", [7]),
        # A reference is no number to call, and what follows it is not its rest.
        ("The invoice 00482213. 12 is the total.", []),
    ],
)
def test_what_is_not_the_rest_of_a_number(text: str, expected: list[int]) -> None:
    assert [d for _, d in numbers(text)] == expected
