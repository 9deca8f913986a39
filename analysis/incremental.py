"""Transcribe a take while it is being recorded, one finished phrase at a time.

While the rep speaks, :meth:`LiveTranscript.step` looks at the audio so far for the latest pause
(from the audio's energy) that closes a long enough stretch of speech, and transcribes everything
up to the middle of that pause. After Stop, :meth:`LiveTranscript.finish` transcribes only what
is left (the tail) and merges the words. Whisper then saw each phrase whole, with silence on both
sides, so the words match a whole-file pass closely (measured in ``bench/bench_live.py``).

Where the pieces could disagree with a whole-file pass, :meth:`LiveTranscript.finish` throws them
away and transcribes the whole take instead (see :func:`fallback_reason`).

Where to cut (the pauses, from the audio's energy) is :mod:`voicemail_coach.analysis.phrase_cuts`;
the progress shown while the analysis after Stop waits for a decode is
:mod:`voicemail_coach.analysis.wait_progress`.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from voicemail_coach.analysis.acoustics import Acoustics, measure_acoustics
from voicemail_coach.analysis.phrase_cuts import (
    MAX_JOB_S,
    MIN_PAUSE_S,
    MIN_PHRASE_S,
    SAMPLE_RATE,
    FloatArray,
    find_cut,
    pause_after,
    pauses_between,
    voiced_frames,
)
from voicemail_coach.analysis.pipeline import analyze_audio
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.report import Report
from voicemail_coach.analysis.scenarios import Scenario
from voicemail_coach.analysis.transcribe import (
    MIN_COVERAGE,
    SegmentStats,
    Transcriber,
    TranscriptionResult,
    keep_voiced,
)
from voicemail_coach.analysis.transcript import SENTENCE_END, Word
from voicemail_coach.analysis.wait_progress import TICK_S, Estimate, StatusFn, forward_only, ticking
from voicemail_coach.audio.io import Audio
from voicemail_coach.audio.levels import FRAME_S

log = logging.getLogger(__name__)
# The first piece waits for more: names said in the first seconds came out wrong in a short
# first piece ("Morgan Lake" for "Morgan Blake") and right with the next phrase as context.
FIRST_PHRASE_S = 8.0
# After Stop, a tail that starts unsure is redone with at most this much audio (from a pause in
# the piece before): the whole piece before would keep the user waiting a second or more.
JOIN_AFTER_STOP_S = 10.0
# Takes shorter than this are transcribed whole after Stop: that costs about as much as a tail.
SHORT_TAKE_S = 6.0
# Words this close to a cut are "at the cut"; one below this probability there means Whisper
# was unsure at the edge, so the cut may have hurt it.
EDGE_S = 0.4
EDGE_MIN_PROBABILITY = 0.25
# A piece whose last words include an uncertain one is not kept, and one whose first words do
# is redone with the piece before it (see LiveTranscript.step).
EDGE_WORDS = 2
# A piece is transcribed with the end of the words before it as context, as Whisper itself
# does inside one window.
CONTEXT_CHARS = 200
# A key sentence starting this soon after a cut starts "at" it.
SENTENCE_AFTER_CUT_S = 1.0
# A piece is decoded from a pause at least this long before its cut (inside the piece before;
# short, so that after Stop the tail plus the words before its cut fit JOIN_AFTER_STOP_S),
# so the word before the cut is read with what follows it: at the end of a window Whisper
# writes a full stop whatever was said ("... when you. | Get a second."). The decode's verdict
# on that word's full stop replaces the piece before's.
OVERLAP_S = 0.5
# The rep may have finished: once the take so far ends in this much quiet after a phrase long
# enough to cut, that phrase is decoded at once ("early"), while the pause is still too short to
# be a cut (MIN_PAUSE_S). The decode is used when nothing more is said before the cut or Stop,
# so the last phrase's decode starts about 0.2 s sooner; speech before the cut throws it away.
EARLY_PAUSE_S = 0.15
# A last phrase too short for a cut (under MIN_PHRASE_S of speech: "Thanks, bye.", or the number
# said again) is decoded early too, once the pause after it is as long as a cut's, so that Stop
# does not wait for the whole of it (2 s on a loaded machine). Less speech than this is left for
# the tail: a decode costs nearly as much whatever its length.
EARLY_SHORT_SPEECH_S = 1.0
# While the analysis after Stop waits for a decode, its progress is estimated from the pace of
# this take's live jobs (seconds of work per second of audio); before one is measured, this.
FIRST_PACE_S_PER_S = 0.15
# Early decodes only while the live jobs keep up with the rep: on a machine so busy that a decode
# takes over half as long as its audio, one thrown away (the rep spoke on) holds up the next.
EARLY_MAX_PACE_S_PER_S = 0.5


@dataclass(frozen=True)
class Piece:
    """One transcribed stretch of the take; word times are on the take's clock."""

    start_s: float
    end_s: float
    words: tuple[Word, ...]
    coverage: float
    prompt_used: str | None
    # The word before this piece's start as this piece's decode read it (it saw what follows),
    # to replace the one the piece before ended with; None when not decoded across the cut.
    mends: Word | None = None
    read_across: bool = False  # decoded from before its start: the cut was no window's edge
    # Decoded from a pause before its start, whether or not the word before the start was read
    # again (``read_across``): its own first words were not at a window's edge.
    started_before: bool = False
    segments: tuple[SegmentStats, ...] = ()  # times from the start of the take


@dataclass(frozen=True)
class Finished:
    """The take's transcript after Stop, and how it was obtained."""

    result: TranscriptionResult
    pieces: int  # how many pieces were merged (1 when the whole take was transcribed at once)
    tail_s: float  # seconds of audio transcribed after Stop
    fallback: str | None  # why the whole take was transcribed again, None when it was not
    cuts: tuple[float, ...] = ()  # where the merged pieces meet
    # The cuts that the piece after was decoded across (from a pause before it, with the word
    # at the cut read again): no window ended or began there.
    read_across: tuple[float, ...] = ()

    @property
    def hard_cuts(self) -> tuple[float, ...]:
        """The cuts where a window ended and the next began: where the words may differ from
        a single pass's."""
        return tuple(c for c in self.cuts if c not in self.read_across)


def fallback_reason(pieces: Sequence[Piece], coverage: float) -> str | None:
    """Why merged pieces might not match a whole-file pass; None when they can be trusted.

    Pieces are redone as one whole-file pass when a piece (or the merged transcript) leaves
    speech without words, or when a word near a cut is one Whisper was unsure of (unless the
    piece after the cut was read across it: then neither decode had its edge there).
    """
    for piece in pieces:
        if piece.coverage < MIN_COVERAGE:
            return f"speech at {piece.start_s:.1f}-{piece.end_s:.1f} s was left without words"
    if coverage < MIN_COVERAGE:
        return "the merged words leave speech uncovered"
    for before, after in itertools.pairwise(pieces):
        if after.read_across:
            continue  # no window ended or began there: an unsure word is Whisper's own doubt
        # A piece decoded from before the cut began no window there: only the piece before
        # ended one.
        w = _unsure_at_cut(before, replace(after, words=()) if after.started_before else after)
        if w is not None:
            return f"an uncertain word ({w.text!r}) sits at the cut at {before.end_s:.1f} s"
    return None


def _unsure_at_cut(before: Piece, after: Piece) -> Word | None:
    """A word Whisper was unsure of within EDGE_S of the cut between two pieces, if any."""
    cut = before.end_s
    for w in (*before.words, *after.words):
        near = abs(w.end_s - cut) <= EDGE_S or abs(w.start_s - cut) <= EDGE_S
        if near and w.probability < EDGE_MIN_PROBABILITY:
            return w
    return None


def cut_in_moment(
    spans: Sequence[tuple[float, float]],
    cuts: Sequence[float],
    words: Sequence[Word] = (),
) -> str | None:
    """Why a report built from pieces cannot be trusted on its key moments: a cut inside the
    value proposition's or call to action's sentence (``spans``), which a single pass could
    have split or punctuated otherwise; or a key sentence that begins right at a cut whose last
    word ended no sentence ("... when you | get a second, just give me a call back"): a single
    pass would likely have begun that sentence later. None when every cut lies between
    sentences. ``cuts``: the hard ones (:attr:`Finished.hard_cuts`); across a cut the piece
    after was decoded across, the sentence was read whole and its words at the cut read again
    with what follows."""
    for start, end in spans:
        for cut in cuts:
            if start < cut < end:
                return f"a cut at {cut:.1f} s falls in a key sentence ({start:.1f}-{end:.1f} s)"
            if cut <= start <= cut + SENTENCE_AFTER_CUT_S:
                before = [w for w in words if w.end_s <= cut]
                if before and not SENTENCE_END.search(before[-1].text.strip()):
                    return (
                        f"a key sentence starts at a cut ({cut:.1f} s) in the middle of a "
                        f"sentence (after {before[-1].text.strip()!r})"
                    )
    return None


@dataclass(frozen=True)
class _Early:
    """A phrase decoded before its pause was long enough to be a cut (see EARLY_PAUSE_S)."""

    start_s: float  # where the take's pieces ended when it was decoded
    end_s: float  # the end of the audio it was decoded from
    piece: Piece
    again: bool  # it reads the take from its start (the first piece read again)


def _append(pieces: list[Piece], piece: Piece) -> None:
    """Add ``piece``; the piece before takes its reading of the word at the cut (``mends``):
    that decode heard what follows the word, so its text (with or without a full stop) and its
    probability replace the ones read at the end of a window."""
    mends = piece.mends
    if mends is not None and pieces and pieces[-1].words and pieces[-1].end_s == piece.start_s:
        before = pieces[-1]
        last = before.words[-1]
        if (mends.text, mends.probability) != (last.text, last.probability):
            log.debug("word at the cut %.1f s read again: %r -> %r", before.end_s, last, mends)
            pieces[-1] = replace(before, words=(*before.words[:-1], mends))
    pieces.append(replace(piece, mends=None))


def _up_to(words: Sequence[Word], cut: float) -> tuple[Word, ...]:
    """The words that end by ``cut``."""
    return tuple(w for w in words if w.end_s <= cut)


def _same_word(a: Word, b: Word) -> bool:
    """The same word, whatever its punctuation and case."""
    return _letters(a.text) == _letters(b.text) != ""


def _letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum() or c == "'")


def _unsure(words: Sequence[Word]) -> bool:
    return any(w.probability < EDGE_MIN_PROBABILITY for w in words)


class LiveTranscript:
    """The transcript of a take that is still being recorded.

    Thread-safe: :meth:`step` runs on a worker while recording; :meth:`finish` waits for a step
    in progress. Each is given its transcriber: give the live one few threads, so the audio
    keeps flowing, and the one for the tail all of them.
    """

    def __init__(
        self,
        sample_rate: int = SAMPLE_RATE,
        overlap_s: float = OVERLAP_S,
        read_first_again: bool = True,
        early: bool = True,
    ) -> None:
        self.sample_rate = sample_rate
        self.overlap_s = overlap_s
        self.read_first_again = read_first_again
        self.early = early
        self._early: _Early | None = None
        self.early_used = 0  # early decodes that became a piece (for the bench)
        # The decode running now (start time, seconds of audio) and the pace measured so far.
        self._job: tuple[float, float] | None = None
        self._pace = FIRST_PACE_S_PER_S
        self._lock = threading.Lock()
        self._pieces: list[Piece] = []
        self._held_s: float | None = None
        self._held: Piece | None = None  # the piece not kept at the held cut
        self._first_read_again = False

    @property
    def done_s(self) -> float:
        """Seconds of the take transcribed so far."""
        pieces = self._pieces
        return pieces[-1].end_s if pieces else 0.0

    @property
    def read_s(self) -> float:
        """Seconds of the take read so far: the pieces kept, and a piece held back for its
        unsure end (after Stop it is the tail when nothing was said after it)."""
        held = self._held
        return max(self.done_s, held.end_s if held is not None else 0.0)

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(w for p in list(self._pieces) for w in p.words)

    @property
    def tentative_words(self) -> tuple[Word, ...] | None:
        """The words so far followed by the latest early decode's (see EARLY_PAUSE_S), which
        may be the take's last phrase or be thrown away when the rep speaks on; None when
        there is no early decode."""
        early = self._early
        if early is None:
            return None
        before = () if early.again else _up_to(self.words, early.start_s)
        return (*before, *early.piece.words)

    @property
    def cuts(self) -> tuple[float, ...]:
        """Where the pieces so far meet (seconds into the take)."""
        return tuple(p.end_s for p in list(self._pieces)[:-1])

    def step(
        self,
        samples: FloatArray,
        transcriber: Transcriber,
        cancel: threading.Event | None = None,
    ) -> bool:
        """Transcribe the latest finished phrase(s) in ``samples`` (the take so far, from its
        start); False when no phrase is finished yet. When the take ends in a short pause that
        may be the end of the phrase, the phrase is decoded early (see EARLY_PAUSE_S)."""
        with self._lock:
            start = self.done_s
            need = MIN_PHRASE_S if self._pieces else FIRST_PHRASE_S
            cut = find_cut(samples, start, self.sample_rate, min_phrase_s=need)
            if cut is None or not self._speech_since_held(samples, cut):
                self._decode_early(samples, transcriber, start, need, cancel)
                return False
            again = self._reads_first_again(cut)
            piece = self._early_piece(samples, start, cut, again)
            if piece is None:
                piece = self._decode(transcriber, samples, start, cut, again, cancel)
            return self._commit(samples, transcriber, cut, piece, again, cancel)

    def _reads_first_again(self, cut: float) -> bool:
        # The first piece is read once more, with the second, in one job: the first seconds
        # (a name, a company) come out as a whole-file pass reads them only with what
        # follows ("Hi there" for "Hi Dana", "APEC Slager" for "Apex Ledger").
        return (
            self.read_first_again
            and len(self._pieces) == 1
            and not self._first_read_again
            and cut <= MAX_JOB_S
        )

    def _decode(
        self,
        transcriber: Transcriber,
        samples: FloatArray,
        start: float,
        end: float,
        again: bool,
        cancel: threading.Event | None,
    ) -> Piece:
        """The piece ``start``-``end`` (from the take's start when ``again``), timed: the pace
        estimates the wait for the next decode."""
        t0 = time.monotonic()
        from_s = 0.0 if again else start
        self._job = (t0, end - from_s)
        try:
            if again:
                piece = self._transcribe(transcriber, samples, 0.0, end, cancel)
            else:
                piece = self._transcribe_after(transcriber, samples, start, end, cancel, MAX_JOB_S)
        finally:
            self._job = None
        took = time.monotonic() - t0
        # (a decode across its cut reads a few seconds before ``start`` too: the pace errs long)
        self._pace = took / max(end - from_s, 1.0)
        log.debug("live piece %.1f-%.1f s took %.2f s", start, end, took)
        return piece

    def _decode_early(
        self,
        samples: FloatArray,
        transcriber: Transcriber,
        start: float,
        need: float,
        cancel: threading.Event | None,
    ) -> None:
        """Decode the phrase since ``start`` now if the take ends in a short pause after enough
        speech (it may be the last phrase); kept in ``_early`` for the cut or Stop to use."""
        rate = self.sample_rate
        end = round(len(samples) / rate, 2)
        if not self.early or len(samples) < rate or end - start > MAX_JOB_S:
            return
        if self._pace > EARLY_MAX_PACE_S_PER_S:
            return
        voiced = voiced_frames(samples, rate)
        since = voiced[round(start / FRAME_S) :]
        speech = np.count_nonzero(since)
        # A phrase long enough to cut is decoded after a short pause; a shorter one (it may be
        # the last) once the pause is as long as a cut's.
        pause_s = EARLY_PAUSE_S if speech >= round(need / FRAME_S) else MIN_PAUSE_S
        pause = round(pause_s / FRAME_S)
        if len(since) <= pause or since[-pause:].any():
            return  # the take does not end in a pause
        if speech < round(EARLY_SHORT_SPEECH_S / FRAME_S) or not self._speech_since_held(
            samples, end
        ):
            return  # too little speech for a phrase, or none since a held cut
        early = self._early
        same = early is not None and early.start_s == start
        if same and early is not None and not voiced[round(early.end_s / FRAME_S) :].any():
            return  # decoded already: only more quiet since
        again = self._reads_first_again(end)
        piece = self._decode(transcriber, samples, start, end, again, cancel)
        log.debug("early decode %.1f-%.1f s", start, end)
        self._early = _Early(start, end, piece, again)

    def _early_piece(
        self, samples: FloatArray, start: float, cut: float, again: bool
    ) -> Piece | None:
        """The early decode as the piece up to ``cut``, when it read the same speech: decoded
        from the same start, and nothing said between its end and the cut."""
        early, self._early = self._early, None
        if early is None or early.start_s != start or early.again != again:
            return None
        voiced = voiced_frames(samples, self.sample_rate)
        low, high = sorted((early.end_s, cut))
        if voiced[round(low / FRAME_S) : round(high / FRAME_S) + 1].any():
            return None
        log.debug("early decode %.1f-%.1f s used for the cut at %.1f s", start, early.end_s, cut)
        self.early_used += 1
        return replace(early.piece, end_s=cut)

    def _commit(
        self,
        samples: FloatArray,
        transcriber: Transcriber,
        cut: float,
        piece: Piece,
        again: bool,
        cancel: threading.Event | None,
    ) -> bool:
        """Keep ``piece`` (up to ``cut``); False when it is held back for its unsure end."""
        held: Piece | None = None
        if _unsure(piece.words[-EDGE_WORDS:]):
            # Unsure at the cut (often a closing it invented in the pause): do not keep
            # this cut. Keep the words up to an earlier pause, where Whisper heard on past
            # them; the next job starts there and reads on to a later pause.
            log.debug("live cut at %.1f s held: unsure end %r", cut, piece.words[-1].text)
            split = self._split_at_pause(samples, piece)
            if split is None:
                self._held_s, self._held = cut, piece
                return False
            piece, held = split
        if again:
            self._pieces.pop()
            self._first_read_again = True
        piece = self._join_if_unsure(self._pieces, piece, transcriber, samples, cancel)
        _append(self._pieces, piece)
        self._held_s, self._held = (cut, held) if held is not None else (None, None)
        return True

    def _split_at_pause(self, samples: FloatArray, piece: Piece) -> tuple[Piece, Piece] | None:
        """``piece`` split at an inner pause that no word straddles and that follows sure words:
        the latest such pause after a sentence end, else the latest one. Returns the words
        before it and the rest; None when there is no such pause."""
        found: list[tuple[float, bool]] = []
        for p in pauses_between(samples, piece.start_s, piece.end_s - EDGE_S, self.sample_rate):
            before = [w for w in piece.words if w.end_s <= p]
            if not before or _unsure(before[-EDGE_WORDS:]):
                continue
            if any(w.start_s < p < w.end_s for w in piece.words):
                continue
            found.append((p, SENTENCE_END.search(before[-1].text.strip()) is not None))
        if not found:
            return None
        at = max((p for p, ends in found if ends), default=found[-1][0])
        kept = _up_to(piece.words, at)
        rest = tuple(w for w in piece.words if w.end_s > at)
        log.debug("kept %.1f-%.1f s of the held piece", piece.start_s, at)
        return (
            replace(piece, end_s=at, words=kept),
            replace(piece, start_s=at, words=rest, mends=None),
        )

    def _join_if_unsure(
        self,
        pieces: list[Piece],
        piece: Piece,
        transcriber: Transcriber,
        samples: FloatArray,
        cancel: threading.Event | None,
        budget_s: float = MAX_JOB_S,
    ) -> Piece:
        """A piece that starts with an uncertain word is transcribed again together with the
        piece before it (taken off ``pieces``), so no cut lies there; when both fit one job of
        ``budget_s``. Not when it was decoded from before its start: no window began there, so
        the doubt is Whisper's own (as :func:`fallback_reason` holds), and a redo would only
        move the cut to where no room is left to read across it."""
        if not (pieces and _unsure(piece.words[:EDGE_WORDS])) or piece.started_before:
            return piece
        before = pieces[-1]
        log.debug("piece at %.1f s starts unsure: joined with the one before", piece.start_s)
        if piece.end_s - before.start_s <= budget_s:
            pieces.pop()
            return self._transcribe(transcriber, samples, before.start_s, piece.end_s, cancel)
        # Too long for one job: move the cut back to a pause inside the piece before, as early
        # as one job allows, and keep that piece's words up to there. (No room is left to
        # decode across the new cut: it would have been used for ``piece`` already.)
        cut = pause_after(samples, max(before.start_s, piece.end_s - budget_s), before.end_s)
        if cut is None:
            return piece
        pieces[-1] = replace(before, end_s=cut, words=_up_to(before.words, cut))
        return self._transcribe(transcriber, samples, cut, piece.end_s, cancel)

    def _speech_since_held(self, samples: FloatArray, cut: float) -> bool:
        """After a held cut, wait for speech past it: the same pause, grown, is no news."""
        if self._held_s is None:
            return True
        voiced = voiced_frames(samples, self.sample_rate)
        return bool(voiced[round(self._held_s / FRAME_S) : round(cut / FRAME_S)].any())

    def finish(
        self,
        samples: FloatArray,
        transcriber: Transcriber,
        progress: Callable[[float], None] | None = None,
        cancel: threading.Event | None = None,
        status: StatusFn | None = None,
    ) -> Finished:
        """The whole take's transcript: the pieces so far plus the tail, or a whole-file pass
        when the take is short, nothing was cut, or :func:`fallback_reason` finds a problem.
        ``progress`` gets the share done (0-0.8: the rest is the report), ``status`` what is
        being done."""
        say = status or (lambda _text: None)
        advance = forward_only(progress)
        t0 = time.monotonic()
        if not self._lock.acquire(blocking=False):
            text = "Finishing the last phrase"
            say(text)
            advance(0.05)
            job = self._job
            started, audio_s = job if job is not None else (t0, 5.0)
            waiting = Estimate(advance, say, text, self._pace * audio_s, 0.05, 0.7, started)
            while not self._lock.acquire(timeout=TICK_S):
                waiting.update()
        try:
            self._use_early(samples, transcriber, cancel)
            pieces, held = list(self._pieces), self._held
        finally:
            self._lock.release()
        log.debug("after Stop: waited %.2f s for the live job", time.monotonic() - t0)
        duration = len(samples) / self.sample_rate
        start = pieces[-1].end_s if pieces else 0.0
        reason: str | None = None
        if (pieces or held is not None) and duration >= SHORT_TAKE_S:
            voiced = voiced_frames(samples, self.sample_rate)
            tail_s = 0.0
            if voiced[round(start / FRAME_S) :].any():
                if held is not None and not voiced[round(held.end_s / FRAME_S) :].any():
                    # Held back only for its uncertain end, and nothing was said after it: it
                    # is the tail already (the same audio, up to a quiet end).
                    tail = held
                else:
                    t0 = time.monotonic()
                    text = f"Transcribing the last {duration - start:.0f} s"
                    say(text)
                    advance(0.1)
                    expected = self._pace * min(duration - start + OVERLAP_S, JOIN_AFTER_STOP_S)
                    with ticking(Estimate(advance, say, text, expected, 0.1, 0.75)):
                        tail = self._transcribe_after(
                            transcriber, samples, start, duration, cancel, JOIN_AFTER_STOP_S
                        )
                    before = pieces[-1] if pieces and pieces[-1].end_s == start else None
                    if (
                        before is not None
                        and not tail.read_across
                        and _unsure_at_cut(before, tail) is not None
                        and self._overlap_from(samples, before, duration, MAX_JOB_S) is not None
                    ):
                        # Not read across the cut (over JOIN_AFTER_STOP_S) and unsure there:
                        # the whole take would be transcribed again (16 s on a busy machine).
                        # Read across it as one job allows instead. (Only then: across a
                        # pause Whisper may time the first word after it late, e.g.
                        # premature_ask.flac's "Just" 0.3 s after the whole-file pass's.)
                        log.debug("tail unsure at the cut %.1f s: read across it", start)
                        with ticking(Estimate(advance, say, text, expected * 2, 0.3, 0.75)):
                            across = self._transcribe_after(
                                transcriber, samples, start, duration, cancel, MAX_JOB_S
                            )
                        if across.started_before:
                            tail = across
                    tail_s = duration - start
                    log.debug(
                        "tail %.1f-%.1f s took %.2f s", start, duration, time.monotonic() - t0
                    )
                # The user is waiting now: redo no more than JOIN_AFTER_STOP_S.
                joined = self._join_if_unsure(
                    pieces, tail, transcriber, samples, cancel, JOIN_AFTER_STOP_S
                )
                _append(pieces, joined)
            words = [w for p in pieces for w in p.words]
            kept, coverage = keep_voiced(words, samples)
            reason = fallback_reason(pieces, coverage)
            if reason is None:
                used = next((p.prompt_used for p in pieces if p.prompt_used), None)
                text = " ".join(w.text for w in kept)
                segments = tuple(s for p in pieces for s in p.segments)
                result = TranscriptionResult(tuple(kept), text, used, coverage, segments)
                cuts = tuple(p.end_s for p in pieces[:-1])
                mended = tuple(b.end_s for b, a in itertools.pairwise(pieces) if a.read_across)
                advance(0.8)
                return Finished(result, len(pieces), round(tail_s, 2), None, cuts, mended)
        whole = transcribe_whole(transcriber, samples, advance, cancel, status)
        return Finished(whole, 1, round(duration, 2), reason)

    def _use_early(
        self, samples: FloatArray, transcriber: Transcriber, cancel: threading.Event | None
    ) -> None:
        """After Stop: an early decode of the last phrase, with nothing said after it, is that
        phrase's piece (as if its pause had grown into a cut)."""
        early = self._early
        if early is None or early.start_s != self.done_s:
            return
        voiced = voiced_frames(samples, self.sample_rate)
        if voiced[round(early.end_s / FRAME_S) :].any():
            return
        piece = self._early_piece(samples, early.start_s, early.end_s, early.again)
        if piece is not None:
            self._commit(samples, transcriber, early.end_s, piece, early.again, cancel)

    def _transcribe_after(
        self,
        transcriber: Transcriber,
        samples: FloatArray,
        start_s: float,
        end_s: float,
        cancel: threading.Event | None,
        budget_s: float,
    ) -> Piece:
        """The piece ``start_s``-``end_s``, decoded from a pause in the piece before (see
        OVERLAP_S) when one job of ``budget_s`` allows: its words from ``start_s`` on, and in
        ``mends`` its reading of the word before ``start_s``."""
        before = self._pieces[-1] if self._pieces and self._pieces[-1].end_s == start_s else None
        from_s = self._overlap_from(samples, before, end_s, budget_s)
        if before is None or from_s is None or not before.words:
            return self._transcribe(transcriber, samples, start_s, end_s, cancel)
        decoded = self._transcribe(transcriber, samples, from_s, end_s, cancel)
        # Whisper lets a word's end run on into the pause: a word belongs where its middle is.
        read = [w for w in decoded.words if (w.start_s + w.end_s) / 2 < start_s]
        after = tuple(decoded.words[len(read) :])
        last = before.words[-1]
        mends = None
        if after and after[0].start_s < start_s and _same_word(after[0], last):
            # The word at the cut itself, read with more of it after the cut than before (the
            # cut fell in it): it is the reading of that word, not a word of this piece
            # ("when you. | you get" read as "when when you get" otherwise).
            mends, after = after[0], after[1:]
        elif read and abs(read[-1].end_s - last.end_s) <= EDGE_S:
            mends = read[-1]
        # Without the word before the cut read again, that word still ended a window.
        across = mends is not None
        # The decoder's segment figures for what this piece adds (the overlap was the last's).
        segments = tuple(s for s in decoded.segments if s.end_s > start_s)
        return replace(
            decoded,
            start_s=start_s,
            words=after,
            mends=mends,
            read_across=across,
            started_before=True,
            segments=segments,
        )

    def _overlap_from(
        self, samples: FloatArray, before: Piece | None, end_s: float, budget_s: float
    ) -> float | None:
        """Where to start decoding a piece that ends at ``end_s``: the latest pause in
        ``before`` at least ``overlap_s`` before its end, else its start; None when there is no
        piece before or that would be over ``budget_s``. (Whisper's word edges often run into
        a pause; only the words after the cut and the one before it are taken from this
        decode, so a pause a word seems to straddle does as well.)"""
        if before is None or self.overlap_s <= 0:
            return None
        found = pauses_between(samples, before.start_s, before.end_s - self.overlap_s)
        from_s = found[-1] if found else before.start_s
        return from_s if end_s - from_s <= budget_s else None

    def _transcribe(
        self,
        transcriber: Transcriber,
        samples: FloatArray,
        start_s: float,
        end_s: float,
        cancel: threading.Event | None,
    ) -> Piece:
        rate = self.sample_rate
        chunk = samples[round(start_s * rate) : round(end_s * rate)]
        before = " ".join(w.text for p in self._pieces for w in p.words if w.end_s <= start_s)
        if len(before) > CONTEXT_CHARS:  # whole words only
            before = before[-CONTEXT_CHARS:].split(" ", 1)[-1]
        context = before or None
        result = transcriber.transcribe(chunk, cancel=cancel, piece=True, context=context)
        words = [
            Word(w.text, round(w.start_s + start_s, 2), round(w.end_s + start_s, 2), w.probability)
            for w in result.words
        ]
        if words and start_s > 0:
            # Whisper starts a piece's first word at the piece's start, in the pause before it
            # (0.3-0.4 s early, seen on every test recording): start it where the speech does.
            voiced = voiced_frames(samples[: round(end_s * rate)], rate)
            onsets = np.flatnonzero(voiced[round(start_s / FRAME_S) :])
            onset = start_s + float(onsets[0]) * FRAME_S if len(onsets) else None
            first = words[0]
            if onset is not None and first.start_s < onset < first.end_s:
                words[0] = replace(first, start_s=round(onset, 2))
        segments = tuple(
            replace(s, start_s=round(s.start_s + start_s, 2), end_s=round(s.end_s + start_s, 2))
            for s in result.segments
        )
        return Piece(
            start_s, end_s, tuple(words), result.coverage, result.prompt_used, segments=segments
        )


def transcribe_whole(
    transcriber: Transcriber,
    samples: FloatArray,
    progress: Callable[[float], None] | None,
    cancel: threading.Event | None,
    status: StatusFn | None,
) -> TranscriptionResult:
    """One pass over the whole take, saying how far it got ("Transcribing 12 of 31 s") and
    reporting it as 0-0.8 of the analysis."""
    duration = len(samples) / SAMPLE_RATE

    def went(fraction: float) -> None:
        if status is not None:
            status(f"Transcribing {fraction * duration:.0f} of {duration:.0f} s")
        if progress is not None:
            progress(0.8 * fraction)

    went(0.0)
    return transcriber.transcribe(samples, went, cancel)


class Measuring:
    """The audio's acoustic measures (levels, pitch), taken on a thread of their own: they need
    no words, so they are measured while the last phrase is transcribed (started as soon as
    the take's samples exist, before the take is even saved)."""

    def __init__(self, audio: Audio, profile: Profile) -> None:
        self._audio, self._profile = audio, profile
        self._acoustics: Acoustics | None = None
        self._thread = threading.Thread(target=self._run, name="acoustics", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._acoustics = measure_acoustics(
                self._audio.samples, self._audio.sample_rate, self._profile
            )
            log.debug("acoustics measured")
        except Exception:  # measured again (and any error raised) where the report is built
            log.exception("measuring the take's acoustics beside the transcription failed")

    def result(self) -> Acoustics | None:
        self._thread.join()
        return self._acoustics


def analyze_take(
    audio: Audio,
    live: LiveTranscript,
    transcriber: Transcriber,
    profile: Profile,
    preset: str | None = None,
    progress: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
    scenario: Scenario | None = None,
    status: StatusFn | None = None,
    measuring: Measuring | None = None,
) -> tuple[Report, Finished]:
    """The report of a take transcribed while recording: from the merged pieces, or from a
    whole-file pass when :func:`fallback_reason` or :func:`cut_in_moment` says so.

    The audio's levels and pitch need no words: they are measured on a thread of their own
    (``measuring``, started here unless the caller started it sooner on the same samples)
    while the last phrase is transcribed, so the report is ready sooner after Stop."""
    if measuring is None:
        measuring = Measuring(audio, profile)
    finished = live.finish(audio.samples, transcriber, progress, cancel, status)
    acoustics = measuring.result()
    log.debug("last words and acoustics in")
    if status is not None:
        status("Checking structure and delivery")
    report = analyze_audio(
        audio,
        transcriber,
        profile,
        preset,
        None,
        cancel,
        scenario,
        finished.result,
        acoustics=acoustics,
    )
    log.debug("report from the pieces built")
    spans = [
        (m.start_s, m.end_s)
        for m in (report.value_proposition, report.call_to_action)
        if m.start_s is not None and m.end_s is not None
    ]
    why = cut_in_moment(spans, finished.hard_cuts, finished.result.words)
    if why is None:
        return report, finished
    # The sentence may have come out split or punctuated otherwise than in one pass.
    whole = transcribe_whole(transcriber, audio.samples, progress, cancel, status)
    if status is not None:
        status("Checking structure and delivery")
    report = analyze_audio(
        audio, transcriber, profile, preset, None, cancel, scenario, whole, acoustics=acoustics
    )
    return report, replace(finished, pieces=1, fallback=why, cuts=(), read_across=())
