"""Is this a voicemail message at all? Silence, noise, tones, a phone system's prompt, speech in
another language or a take with almost no words gets no score (a non-message is no baseline).

tiny.en cannot name a language and writes English-looking words for anything it hears, so the
decision uses what the decoder and the audio say instead:

1. *Not English*: at least ``min_words`` words that are not fillers (sure or not), with a
   median word probability under ``min_median_word_probability``. German, French and Spanish
   came out as English-looking words with a median of 0.06-0.60 over repeated runs, every real
   and synthetic message at 0.79 or more (docs/EVALUATION_NO_MESSAGE.md). A share of English words tells
   nothing: tiny.en writes English words for any speech (96-100 % of the foreign takes' words
   are in its own vocabulary).
2. *Heard words*: words that are not fillers, that the decoder gave at least
   ``min_word_probability``, outside segments it judged silent (``no_speech_prob`` high and
   ``avg_logprob`` low together, Whisper's own no-speech rule). Fewer than ``min_words``: no
   message. Why not comes from the audio: less than ``min_sound_s`` louder than
   ``silence_dbfs`` is silence (a cough or a click is not a message); sound that is mostly
   unvoiced (pitch found in under ``min_voiced_share`` of it) is noise; voiced sound whose
   pitch holds still (at least ``min_steady_pitch_share`` of its 10 ms steps move less than
   ``steady_step_semitones``: tones and held notes 0.82-1.00, speech 0.11-0.40) is tones or
   music, and voiced sound that glides like a voice without one word made out is speech the
   coach cannot follow (``other_language``); a word or two is too few words.
3. *A phone system's prompt*: at least ``greeting_min_matches`` greeting phrases, the sentences
   holding them at least ``greeting_share`` of the heard words, and fewer than
   ``greeting_max_other_words`` heard words elsewhere (a prompt followed by a real message is
   a message).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from voicemail_coach.analysis.acoustics import Acoustics
from voicemail_coach.analysis.profile import NO_MESSAGE_REASONS, NoMessage, Profile
from voicemail_coach.analysis.report import Screening
from voicemail_coach.analysis.transcribe import SegmentStats
from voicemail_coach.analysis.transcript import SENTENCE_END, Word, is_word
from voicemail_coach.audio.levels import FRAME_S

REASONS = NO_MESSAGE_REASONS


@dataclass(frozen=True)
class Verdict:
    """``kind`` is one of :data:`REASONS`, or None for a message; ``screening`` holds the figures."""

    kind: str | None
    screening: Screening


def screen(
    words: Sequence[Word],
    segments: Sequence[SegmentStats],
    acoustics: Acoustics,
    profile: Profile,
) -> Verdict:
    """Decide whether ``words`` over the audio measured in ``acoustics`` are a message."""
    cfg = profile.no_message
    fillers = {w.lower() for w in profile.fillers.words}
    real = [w for w in words if is_word(w.text)]
    said = [w for w in real if _bare(w) not in fillers]
    heard = [w for w in said if _heard(w, segments, cfg)]
    median_p = float(np.median([w.probability for w in real])) if real else None
    sound_s = float(np.count_nonzero(acoustics.levels.frame_db > cfg.silence_dbfs)) * FRAME_S
    pitch = acoustics.pitch
    step_s = float(np.median(np.diff(pitch.times_s))) if len(pitch.times_s) > 1 else 0.01
    voiced_s = float(np.count_nonzero(pitch.voiced)) * step_s
    voiced_share = min(1.0, voiced_s / sound_s) if sound_s > 0 else 0.0
    steady = _steady_share(pitch.f0_hz, cfg.steady_step_semitones)
    matches, greeting_words = _greeting(heard, cfg)
    share = greeting_words / len(heard) if heard else 0.0
    screening = Screening(
        words=len(said),
        heard_words=len(heard),
        median_word_probability=None if median_p is None else round(median_p, 3),
        sound_s=round(sound_s, 2),
        voiced_share=round(voiced_share, 3),
        steady_pitch_share=None if steady is None else round(steady, 3),
        greeting_phrases=matches,
        greeting_word_share=round(share, 3),
    )
    return Verdict(_kind(screening, len(heard) - greeting_words, cfg), screening)


def _kind(s: Screening, other_words: int, cfg: NoMessage) -> str | None:
    p = s.median_word_probability
    # Another language first: its words are many but unsure, so few may count as heard.
    if s.words >= cfg.min_words and p is not None and p < cfg.min_median_word_probability:
        return "other_language"
    if s.heard_words < cfg.min_words:
        if s.heard_words == 0 and (s.sound_s or 0.0) < cfg.min_sound_s:
            return "silence"
        if s.heard_words == 0:
            if (s.voiced_share or 0.0) < cfg.min_voiced_share:
                return "noise"
            steady = s.steady_pitch_share
            if steady is None or steady >= cfg.min_steady_pitch_share:
                return "tones_or_music"
            return "other_language"  # voiced like speech, yet not one word made out
        return "few_words"
    if (
        s.greeting_phrases >= cfg.greeting_min_matches
        and s.greeting_word_share >= cfg.greeting_share
        and other_words < cfg.greeting_max_other_words
    ):
        return "greeting"
    return None


def _steady_share(f0_hz: np.ndarray, step_semitones: float) -> float | None:
    """The share of 10 ms pitch steps (both voiced) that change less than ``step_semitones``:
    a tone or a held note barely moves, a voice keeps gliding."""
    voiced = f0_hz > 0
    both = voiced[1:] & voiced[:-1]
    if not both.any():
        return None
    steps = np.abs(12 * np.log2(f0_hz[1:][both] / f0_hz[:-1][both]))
    return float(np.mean(steps < step_semitones))


def _bare(w: Word) -> str:
    return re.sub(r"[^\w']", "", w.text.lower())


def _heard(w: Word, segments: Sequence[SegmentStats], cfg: NoMessage) -> bool:
    if w.probability < cfg.min_word_probability:
        return False
    mid = (w.start_s + w.end_s) / 2
    for seg in segments:
        if seg.start_s <= mid <= seg.end_s:
            return not (
                seg.no_speech_prob >= cfg.silent_no_speech_prob
                and seg.avg_logprob <= -cfg.silent_neg_avg_logprob
            )
    return True


def _greeting(heard: Sequence[Word], cfg: NoMessage) -> tuple[int, int]:
    """How many greeting phrases the heard words hold, and how many words their sentences have."""
    matches = 0
    words_in = 0
    sentence: list[Word] = []
    for i, w in enumerate(heard):
        sentence.append(w)
        if SENTENCE_END.search(w.text) is None and i < len(heard) - 1:
            continue
        text = " ".join(x.text for x in sentence)
        found = sum(len(rx.findall(text)) for rx in cfg.greeting_patterns)
        if found:
            matches += found
            words_in += len(sentence)
        sentence = []
    return matches, words_in
