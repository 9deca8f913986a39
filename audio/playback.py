"""Play a recording (or the practice greeting) with pause and seek, from any thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from voicemail_coach.audio.devices import (
    AudioUnavailable,
    device_errors,
    load_sounddevice,
    open_started,
    stop_and_close,
)

FloatArray = npt.NDArray[np.float32]

NO_SPEAKER = "No speaker or headphones found. Plug some in or choose another output in Settings."
# PortAudio can hang for good stopping a stream whose device went away; pause() (called on the
# GUI thread) leaves such a stream to its helper thread after this long.
STREAM_STOP_TIMEOUT_S = 0.5


class PlaybackError(Exception):
    """Playback could not start; the message is meant for the user as it is."""


class _EndOfAudio(Exception):
    """Ends a stand-in stream when sounddevice (and so its CallbackStop) is unavailable."""


class Player:
    """Plays one mono clip at a time through an output stream.

    A new stream is opened for every :meth:`play` and closed on :meth:`pause`, so a device
    that went away is found again (or reported) on the next play.

    Args:
        stream_factory: Builds the output stream; ``sounddevice.OutputStream`` by default.
            Called with keyword arguments ``samplerate, channels, dtype, device, callback,
            finished_callback``; returns an object with ``start()``, ``stop()``, ``close()``.
        device: PortAudio device index or name; None for the system default.
    """

    def __init__(
        self, stream_factory: Callable[..., Any] | None = None, device: int | str | None = None
    ) -> None:
        self._stream_factory = stream_factory
        self._device = device
        self._samples: FloatArray = np.zeros(0, dtype=np.float32)
        self._samplerate = 16000
        self._lock = threading.Lock()
        self._position = 0
        self._stream: Any = None
        self._playing = False
        self._end_of_audio: type[Exception] = _EndOfAudio

    @property
    def duration_s(self) -> float:
        """Length of the loaded clip in seconds."""
        return len(self._samples) / self._samplerate

    @property
    def position_s(self) -> float:
        """Where playback is, in seconds (audio handed to the device; it is heard slightly
        later, by the output latency). Safe to read from any thread."""
        with self._lock:
            return self._position / self._samplerate

    @property
    def playing(self) -> bool:
        """True from :meth:`play` until :meth:`pause`, the end of the clip, or a lost device."""
        return self._playing

    def load(self, samples: FloatArray, samplerate: int) -> None:
        """Stop whatever plays and load a clip, positioned at its start.

        Args:
            samples: Mono audio, float in [-1, 1].
            samplerate: Its frames per second; the output stream is opened at this rate.
        """
        clip = np.asarray(samples, dtype=np.float32)
        if clip.ndim != 1:
            raise ValueError(f"expected mono samples (1-D), got shape {clip.shape}")
        self._close_stream()
        with self._lock:
            self._samples = np.ascontiguousarray(clip)
            self._samplerate = samplerate
            self._position = 0

    def play(self) -> None:
        """Play from the current position (from the start if the clip had ended).

        Raises:
            PlaybackError: no audio system or no usable output device.
        """
        if self._playing or len(self._samples) == 0:
            return
        self._close_stream()
        with self._lock:
            if self._position >= len(self._samples):
                self._position = 0
        try:
            factory = self._stream_factory or load_sounddevice().OutputStream
        except AudioUnavailable as exc:
            raise PlaybackError(str(exc)) from exc
        self._end_of_audio = _callback_stop()
        self._playing = True
        try:
            self._stream = self._open_stream(factory)
        except BaseException as exc:
            self._playing = False
            # PortAudioError, or ValueError for a device name that matches nothing: no
            # speaker. Anything else is a bug and goes on as itself.
            if isinstance(exc, device_errors()):
                raise PlaybackError(self._no_speaker_message()) from exc
            raise

    def pause(self) -> None:
        """Stop playing and keep the position."""
        self._close_stream()

    def toggle(self) -> None:
        """Pause if playing, play otherwise."""
        if self._playing:
            self.pause()
        else:
            self.play()

    def seek(self, t_s: float) -> None:
        """Move to ``t_s`` seconds (clamped to the clip), playing or not."""
        frame = round(min(max(t_s, 0.0), self.duration_s) * self._samplerate)
        with self._lock:
            self._position = frame

    def close(self) -> None:
        """Stop and release the output device."""
        self._close_stream()

    def _open_stream(self, factory: Callable[..., Any]) -> Any:
        return open_started(
            factory,
            samplerate=self._samplerate,
            channels=1,
            dtype="float32",
            device=self._device,
            callback=self._callback,
            finished_callback=self._finished_callback,
        )

    def _no_speaker_message(self) -> str:
        if self._device is None:
            return NO_SPEAKER
        return (
            f"The output {self._device!r} is not available. Plug it in or choose another "
            "output in Settings."
        )

    def _close_stream(self) -> None:
        stream, self._stream = self._stream, None
        self._playing = False
        if stream is not None:
            stop_and_close(stream, "player-stream-stop", STREAM_STOP_TIMEOUT_S)

    def _callback(self, outdata: FloatArray, frames: int, time: Any, status: Any) -> None:
        with self._lock:
            start = self._position
            chunk = self._samples[start : start + frames]
            self._position = start + len(chunk)
        outdata[: len(chunk), 0] = chunk
        outdata[len(chunk) :] = 0.0
        if len(chunk) < frames:
            raise self._end_of_audio

    def _finished_callback(self) -> None:
        self._playing = False


def _callback_stop() -> type[Exception]:
    # CallbackStop lets PortAudio play out the last buffer and then finish the stream.
    try:
        stop: type[Exception] = load_sounddevice().CallbackStop
    except AudioUnavailable:
        return _EndOfAudio
    return stop
