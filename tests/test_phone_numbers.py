"""Phone numbers in the words: runs of digits, said once or twice, cut by Whisper's full stops."""

from __future__ import annotations

import pytest

from voicemail_coach.analysis.phone_numbers import find_phone_numbers
from voicemail_coach.analysis.transcript import Word, words_from_text


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


def test_pace_counts_a_phone_number_as_its_digits_however_it_is_written() -> None:
    """Two decodes of the same audio wrote the bench voicemail's number in words and in figures
    (a take's last piece and a whole-file pass): the pace must not move with the writing."""
    from voicemail_coach.analysis.delivery import pace

    def timed(tokens: list[str]) -> list[Word]:
        step = 6.0 / len(tokens)  # the same 6 s of speech, however many tokens
        return [Word(t, round(i * step, 2), round((i + 1) * step, 2)) for i, t in enumerate(tokens)]

    spoken = "Call me at eight, five, nine, four, seven, three, four, two, seven, two.".split()
    figures = "Call me at 859 -4734272.".split()
    assert pace(timed(spoken), 0.0) == pace(timed(figures), 0.0) == (6.0, 130.0, 130.0)
    # A number too short to be a phone number is one word, as said ("thirty minutes").
    assert pace(timed("Give me 30 minutes.".split()), 0.0)[1] == 40.0
