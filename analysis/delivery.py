"""How the message was said: pace, fillers, pauses, pitch and loudness."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from voicemail_coach.analysis import pace as sentence_pace
from voicemail_coach.analysis import quality
from voicemail_coach.analysis.acoustics import Acoustics, measure_acoustics, place_short_word
from voicemail_coach.analysis.clauses import filler_spans
from voicemail_coach.analysis.hesitation import find_hesitations
from voicemail_coach.analysis.intonation import sentence_ends
from voicemail_coach.analysis.phone_numbers import find_phone_numbers
from voicemail_coach.analysis.pitch import measure_pitch
from voicemail_coach.analysis.profile import Matcher, Profile
from voicemail_coach.analysis.report import (
    DeliveryReport,
    FillerBurst,
    FillerWord,
    Hesitation,
    PauseSpan,
    SentenceDelivery,
)
from voicemail_coach.analysis.transcript import (
    WORD_CHARS,
    Sentence,
    Word,
)


def find_fillers(
    words: Sequence[Word], sentences: Sequence[Sentence], profile: Profile
) -> list[FillerWord]:
    return [
        FillerWord(span.text.strip(".,!?;:").lower(), span.start_s, span.end_s)
        for s in sentences
        for span in filler_spans(words[s.first : s.last + 1], profile.filler_matcher, s.first)
    ]


def content_start(words: Sequence[Word], filler_matcher: Matcher) -> float:
    """When a sentence's ``words`` start saying something: its first word that is not a filler
    (or punctuation alone); the first word's start when all of them are."""
    skip = {
        i for span in filler_spans(words, filler_matcher) for i in range(span.first, span.last + 1)
    }
    for i, w in enumerate(words):
        if i not in skip and WORD_CHARS.search(w.text):
            return w.start_s
    return words[0].start_s


# Fillers shorter than this in the transcript are placed from the energy instead.
SHORT_FILLER_S = 0.2


def place_fillers(
    fillers: Sequence[FillerWord], words: Sequence[Word], acoustics: Acoustics
) -> list[FillerWord]:
    """Whisper often gives "um" and "uh" no duration, after the sound: put them where it was.

    Whisper's times drift late around fillers, so the search reaches back to the last word that
    is not a filler (or the filler placed before), not just to the previous word.
    """
    filler_times = {(f.start_s, f.end_s) for f in fillers}
    out: list[FillerWord] = []
    last_placed = 0.0
    for f in fillers:
        if f.end_s - f.start_s < SHORT_FILLER_S:
            before = [
                w.end_s
                for w in words
                if w.end_s <= f.start_s
                and w.end_s - w.start_s > 0.05
                and not any(a <= w.start_s and w.end_s <= b for a, b in filler_times)
            ]
            floor = max([*before[-1:], last_placed])
            placed = place_short_word(f.start_s, f.end_s, floor, acoustics)
            if placed is not None:
                f = FillerWord(f.text, round(placed[0], 2), round(placed[1], 2))
                last_placed = f.end_s
        out.append(f)
    return out


def filler_bursts(fillers: Sequence[FillerWord], count: int, window_s: float) -> list[FillerBurst]:
    """Groups of at least ``count`` fillers where each is within ``window_s`` of the group's start."""
    bursts = []
    i = 0
    while i < len(fillers):
        j = i
        while j + 1 < len(fillers) and fillers[j + 1].start_s - fillers[i].start_s <= window_s:
            j += 1
        if j - i + 1 >= count:
            bursts.append(FillerBurst(j - i + 1, fillers[i].start_s, fillers[j].end_s))
            i = j + 1
        else:
            i += 1
    return bursts


def pace(
    words: Sequence[Word], silences_s: float, min_digits: int = 7
) -> tuple[float, float, float]:
    """Speaking time (first word to last), words per minute, and articulation rate."""
    if not words:
        return 0.0, 0.0, 0.0
    speaking = max(0.0, words[-1].end_s - words[0].start_s)
    if speaking <= 0:
        return 0.0, 0.0, 0.0
    said = words_said(words, min_digits)
    wpm = said / speaking * 60.0
    talking = max(speaking - silences_s, speaking * 0.3)
    return round(speaking, 2), round(wpm, 1), round(said / talking * 60.0, 1)


def words_said(words: Sequence[Word], min_digits: int) -> int:
    """How many words were said: a phone number (a run of at least ``min_digits`` digits)
    counts one per digit, as it is read out, whether Whisper wrote it in words ("eight, five,
    nine, ...": one word each) or in figures ("859 -4734272": two). Two decodes of the same
    audio write it either way (a take's last piece and a whole-file pass of the bench voicemail
    did), and the pace must not move with the writing."""
    count = len(words)
    for number in find_phone_numbers(words, min_digits):
        tokens = [w for w in words if number.start_s <= w.start_s and w.end_s <= number.end_s]
        count += number.digits - len(tokens)
    return count


def word_gap_pauses(words: Sequence[Word], min_s: float) -> list[tuple[float, float]]:
    return [
        (a.end_s, b.start_s) for a, b in itertools.pairwise(words) if b.start_s - a.end_s >= min_s
    ]


def classify_pauses(
    silences: Sequence[tuple[float, float]],
    speech_start_s: float,
    speech_end_s: float,
    duration_s: float,
    profile: Profile,
) -> list[PauseSpan]:
    cfg = profile.pauses
    pauses = []
    # Judged to the tenth of a second the page shows, and only when over the limit, like the
    # pauses check (voicemail_coach.analysis.delivery_checks): a "2.0 s" silence is not over "2 s".
    if _tenths(speech_start_s) > cfg.dead_air_start_s:
        pauses.append(_pause(0.0, speech_start_s, "dead_air_start"))
    for start, end in silences:
        if start <= speech_start_s or end >= speech_end_s:
            continue
        kind = "long" if _tenths(end - start) > cfg.long_pause_s else "pause"
        pauses.append(_pause(start, end, kind))
    if duration_s - speech_end_s >= cfg.dead_air_end_s:
        pauses.append(_pause(speech_end_s, duration_s, "dead_air_end"))
    return pauses


def _tenths(duration_s: float) -> float:
    """A duration as the pauses check shows it: the stored 0.01 s figure, to 0.1 s."""
    return round(round(duration_s, 2), 1)


def _pause(start_s: float, end_s: float, kind: str) -> PauseSpan:
    return PauseSpan(round(start_s, 2), round(end_s, 2), round(end_s - start_s, 2), kind)


# The shortest silence that can mark where a spoken sentence stops.
SENTENCE_END_GAP_S = 0.12


def with_hesitations(
    fillers: Sequence[FillerWord], hesitations: Sequence[Hesitation]
) -> list[FillerWord]:
    """Fillers and possible hesitations in time order, for finding bursts of either."""
    marks = [FillerWord("(hesitation)", h.start_s, h.end_s) for h in hesitations]
    return sorted([*fillers, *marks], key=lambda f: f.start_s)


def per_sentence(
    words: Sequence[Word],
    sentences: Sequence[Sentence],
    profile: Profile,
    acoustics: Acoustics | None,
) -> tuple[SentenceDelivery, ...]:
    levels = acoustics.levels if acoustics is not None else None
    ends = (
        sentence_ends(
            sentences,
            words,
            acoustics.pitch,
            [(x.start_s, x.end_s) for x in acoustics.levels.quiet_spans(SENTENCE_END_GAP_S)],
            profile.intonation,
        )
        if acoustics is not None
        else [(None, False, False)] * len(sentences)
    )
    out = []
    for s, (rise, uptalk, question) in zip(sentences, ends, strict=True):
        rate, ratio, rushing = sentence_pace.sentence_pace(
            words[s.first : s.last + 1], profile.rushing, levels
        )
        out.append(
            SentenceDelivery(s.start_s, s.end_s, rate, ratio, rushing, rise, uptalk, question)
        )
    return tuple(out)


def analyze_delivery(
    words: Sequence[Word],
    sentences: Sequence[Sentence],
    profile: Profile,
    samples: npt.NDArray[np.float32] | None,
    sample_rate: int,
    duration_s: float,
    acoustics: Acoustics | None = None,
) -> DeliveryReport:
    """Delivery figures; audio-based ones are None for a written script (``samples`` None).

    ``acoustics`` (frame levels and pitch track) is measured here unless the caller has it.
    """
    fillers = find_fillers(words, sentences, profile)
    if samples is not None and acoustics is None:
        acoustics = measure_acoustics(samples, sample_rate, profile)
    levels = acoustics.levels if acoustics is not None else None
    if acoustics is not None:
        fillers = place_fillers(fillers, words, acoustics)
    hesitations = (
        find_hesitations(words, fillers, acoustics, profile.hesitations) if acoustics else []
    )
    bursts = filler_bursts(
        with_hesitations(fillers, hesitations),
        profile.fillers.burst_count,
        profile.fillers.burst_window_s,
    )
    if levels is not None:
        silences = [(s.start_s, s.end_s) for s in levels.silences]
        # Energy, not word times: Whisper's word edges drift by a few tenths around silences.
        speech_start, speech_end = levels.speech_start_s, levels.speech_end_s
    else:
        silences = word_gap_pauses(words, profile.pauses.min_pause_s)
        speech_start = words[0].start_s if words else 0.0
        speech_end = words[-1].end_s if words else 0.0
    inner = [
        (s, e)
        for s, e in silences
        if e - s >= profile.pace.articulation_pause_s
        and words
        and s > words[0].start_s
        and e < words[-1].end_s
    ]
    speaking_s, wpm, articulation = pace(
        words, sum(e - s for s, e in inner), profile.phone.min_digits
    )
    pitch = measure_pitch(acoustics.pitch, duration_s, profile.pitch) if acoustics else None
    minutes = speaking_s / 60.0
    noise = quality.pause_noise_dbfs(acoustics, profile.quality) if acoustics else None
    end_ratio = sentence_pace.message_end_ratio(words, profile.rushing, levels)
    return DeliveryReport(
        duration_s=round(duration_s, 2),
        speaking_s=speaking_s,
        word_count=len(words),
        wpm=wpm,
        articulation_wpm=articulation,
        fillers=tuple(fillers),
        filler_bursts=tuple(bursts),
        fillers_per_minute=round(len(fillers) / minutes, 2) if minutes > 0 else 0.0,
        pauses=tuple(classify_pauses(silences, speech_start, speech_end, duration_s, profile)),
        pitch_sd_semitones=pitch.sd_semitones if pitch else None,
        pitch_median_hz=pitch.median_hz if pitch else None,
        pitch_windows=pitch.windows if pitch else (),
        speech_rms_dbfs=levels.speech_rms_dbfs if levels else None,
        noise_floor_dbfs=levels.noise_floor_dbfs if levels else None,
        clipped_fraction=round(acoustics.clipped_fraction, 6) if acoustics else None,
        hesitations=tuple(hesitations),
        monotone_stretches=pitch.monotone_stretches if pitch else (),
        sentences=per_sentence(words, sentences, profile, acoustics),
        end_tail_ratio=end_ratio,
        rushing_end=end_ratio is not None and end_ratio >= profile.rushing.message_ratio,
        pause_noise_dbfs=round(noise, 1) if noise is not None else None,
        snr_db=quality.snr_db(levels.speech_rms_dbfs, noise, profile.quality) if levels else None,
        telephone_band=quality.is_telephone_band(acoustics, profile.quality) if acoustics else None,
    )
