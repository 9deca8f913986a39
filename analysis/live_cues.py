"""What the practice page shows while the rep is still speaking, from the words heard so far.

Two halves: :func:`word_cues` reads the words transcribed so far (on a worker, after each
phrase); :func:`cues_at` adds what changes with the clock (on the GUI's timer), which is cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from voicemail_coach.analysis.delivery import find_fillers
from voicemail_coach.analysis.profile import LengthPreset, Profile
from voicemail_coach.analysis.structure import analyze_structure
from voicemail_coach.analysis.transcript import Word, split_sentences
from voicemail_coach.analysis.word_filter import join_split_phrases

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
