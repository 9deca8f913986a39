"""What the practice page shows while the rep is still speaking, from the words heard so far.

Two halves: :func:`word_cues` reads the words transcribed so far (on a worker, after each
phrase); :func:`cues_at` adds what changes with the clock (on the GUI's timer), which is cheap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from voicemail_coach.analysis.delivery import find_fillers
from voicemail_coach.analysis.profile import LengthPreset, Profile
from voicemail_coach.analysis.structure import analyze_structure
from voicemail_coach.analysis.transcript import Word, split_sentences
from voicemail_coach.analysis.word_filter import join_split_phrases
from voicemail_coach.analysis.written import written_line

# Fewer words or seconds than this in the pace window give no pace figure (it would jump about).
MIN_PACE_WORDS = 5
MIN_PACE_SPAN_S = 3.0


@dataclass(frozen=True)
class WordCues:
    """What the words heard so far say."""

    heard_s: float = 0.0  # the take is transcribed up to here
    words: int = 0
    pace_wpm: float | None = None  # over the profile's pace window, ending at the latest word
    fillers: int = 0
    value_at_s: float | None = None  # when a value proposition was first heard
    cta_at_s: float | None = None  # when a call to action was first heard
    text: str = ""  # the words so far as the page shows them (tidy_live_text), not as analysed


@dataclass(frozen=True)
class LiveCues:
    """Everything the cues widget shows at one moment of the recording."""

    elapsed_s: float
    words: WordCues
    nudge: str | None  # the profile's reminder to close with a call to action, when it is time
    overflows: int  # audio blocks dropped so far


def word_cues(words: Sequence[Word], heard_s: float, profile: Profile) -> WordCues:
    """Pace over the last ``profile.live.pace_window_s``, fillers so far, and when a value
    proposition and a call to action were first heard."""
    if not words:
        return WordCues(heard_s=heard_s)
    words = join_split_phrases(words, profile.sentences)  # as the report will read them
    sentences = split_sentences(words)
    structure = analyze_structure(words, sentences, profile)
    value = structure.first("value_proposition")
    cta = structure.first("call_to_action")
    return WordCues(
        heard_s=heard_s,
        words=len(words),
        pace_wpm=_pace(words, profile.live.pace_window_s),
        fillers=len(find_fillers(words, sentences, profile)),
        value_at_s=value.start_s if value else None,
        cta_at_s=cta.start_s if cta else None,
    )


# A cut lies at most this far outside the gap between two words and still counts as between them.
CUT_SLACK_S = 0.1
# Kept capital after a stop that was dropped: "I" and its contractions.
ALWAYS_CAPITAL = re.compile(r"^I(?:'[a-z]+)?\W*$")


def tidy_live_text(words: Sequence[Word], cuts: Sequence[float] = ()) -> str:
    """The words heard so far as one readable line, for the practice page only (the analysis
    reads the words themselves, untouched).

    Whisper ends every window with a full stop whatever was said, so at a cut between two live
    pieces ("when you. Get a second.") the stop is dropped and the next word loses its capital
    ("when you get a second."), except "I". A phone number is written as in the report
    ("859 -473 -4272." -> "859-473-4272.", ``analysis.written``).
    """
    parts: list[str] = []
    lower_next = False
    for i, word in enumerate(words):
        text = word.text.strip()
        if not text:
            continue
        if lower_next and not ALWAYS_CAPITAL.match(text):
            text = text[:1].lower() + text[1:]
        lower_next = False
        after = words[i + 1] if i + 1 < len(words) else None
        if (
            after is not None
            and text.endswith(".")
            and not text.endswith("..")
            and _cut_between(word, after, cuts)
        ):
            text = text[:-1]
            lower_next = True
        parts.append(text)
    return written_line(parts)


def _cut_between(before: Word, after: Word, cuts: Sequence[float]) -> bool:
    return any(before.end_s - CUT_SLACK_S <= cut <= after.start_s + CUT_SLACK_S for cut in cuts)


def cues_at(
    elapsed_s: float, words: WordCues, preset: LengthPreset, profile: Profile, overflows: int = 0
) -> LiveCues:
    """The cues at ``elapsed_s``: the nudge shows from ``nudge_before_s`` before the end of the
    target length until a call to action has been heard."""
    due = elapsed_s >= preset.target_max_s - profile.live.nudge_before_s
    nudge = profile.live.nudge_text if due and words.cta_at_s is None else None
    return LiveCues(elapsed_s, words, nudge, overflows)


def _pace(words: Sequence[Word], window_s: float) -> float | None:
    end = words[-1].end_s
    recent = [w for w in words if w.start_s >= end - window_s]
    span = end - recent[0].start_s if recent else 0.0
    if len(recent) < MIN_PACE_WORDS or span < MIN_PACE_SPAN_S:
        return None
    return round(len(recent) / span * 60.0, 0)
