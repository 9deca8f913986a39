"""Find the audio system and list microphones and speakers, without touching any stream."""

from __future__ import annotations

import contextlib
import functools
import importlib
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

DeviceKind = Literal["input", "output"]

NO_PORTAUDIO = (
    "No audio system: the PortAudio library is missing. On Debian/Ubuntu: "
    "sudo apt install libportaudio2. You can still open recordings."
)
NO_SOUNDDEVICE = (
    "No audio system: the Python package sounddevice is not installed "
    "(pip install sounddevice). You can still open recordings."
)


class AudioUnavailable(Exception):
    """Recording and playback are impossible on this machine; the message is for the user."""


@functools.cache
def load_sounddevice() -> ModuleType:
    """Import sounddevice on first use, so the app still starts (and opens files) without it.

    Returns:
        The ``sounddevice`` module.

    Raises:
        AudioUnavailable: PortAudio (or sounddevice itself) is not installed.
    """
    try:
        return importlib.import_module("sounddevice")
    except OSError as exc:
        # sounddevice raises OSError at import when it cannot load libportaudio.
        raise AudioUnavailable(NO_PORTAUDIO) from exc
    except ImportError as exc:
        raise AudioUnavailable(NO_SOUNDDEVICE) from exc


@dataclass(frozen=True)
class Device:
    """One PortAudio device as the user would pick it in Settings."""

    index: int
    name: str
    hostapi: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float

    def has(self, kind: DeviceKind) -> bool:
        """Whether the device can record (``"input"``) or play (``"output"``)."""
        channels = self.max_input_channels if kind == "input" else self.max_output_channels
        return channels > 0


def all_devices(sd: Any = None) -> list[Device]:
    """Every device PortAudio reports, inputs and outputs alike.

    Args:
        sd: The sounddevice module, or a stand-in with ``query_devices`` and
            ``query_hostapis``; loaded on demand when omitted.

    Raises:
        AudioUnavailable: no audio system (only when ``sd`` is omitted).
    """
    sd = sd if sd is not None else load_sounddevice()
    hostapis = [str(api["name"]) for api in sd.query_hostapis()]
    return [_device(i, info, hostapis) for i, info in enumerate(sd.query_devices())]


def input_devices(sd: Any = None) -> list[Device]:
    """Devices that can record, in PortAudio's order."""
    return [d for d in all_devices(sd) if d.has("input")]


def output_devices(sd: Any = None) -> list[Device]:
    """Devices that can play, in PortAudio's order."""
    return [d for d in all_devices(sd) if d.has("output")]


def default_input(sd: Any = None) -> Device | None:
    """The system's default microphone, or None when there is none."""
    return _default(sd, "input")


def default_output(sd: Any = None) -> Device | None:
    """The system's default speaker, or None when there is none."""
    return _default(sd, "output")


def find_device(name: str, kind: DeviceKind, sd: Any = None) -> Device | None:
    """Find a remembered device again by its exact name (indices change between sessions).

    Args:
        name: The device name as stored from :attr:`Device.name`.
        kind: ``"input"`` or ``"output"``; devices without such channels are skipped.
        sd: The sounddevice module or a stand-in; loaded on demand when omitted.

    Returns:
        The first matching device, or None when it is not connected now.
    """
    return next((d for d in all_devices(sd) if d.name == name and d.has(kind)), None)


def _default(sd: Any, kind: DeviceKind) -> Device | None:
    sd = sd if sd is not None else load_sounddevice()
    chosen = sd.default.device[0 if kind == "input" else 1]
    if isinstance(chosen, str):
        return find_device(chosen, kind, sd)
    devices = all_devices(sd)
    # PortAudio says -1 (paNoDevice) when there is no default.
    if not isinstance(chosen, int) or not 0 <= chosen < len(devices):
        return None
    device = devices[chosen]
    return device if device.has(kind) else None


def _device(index: int, info: Mapping[str, Any], hostapis: list[str]) -> Device:
    api = int(info["hostapi"])
    return Device(
        index=int(info.get("index", index)),
        name=str(info["name"]),
        hostapi=hostapis[api] if 0 <= api < len(hostapis) else "",
        max_input_channels=int(info["max_input_channels"]),
        max_output_channels=int(info["max_output_channels"]),
        default_samplerate=float(info["default_samplerate"]),
    )


# ALSA names PortAudio lists beside the real devices. These route to whatever the system picks,
# which the lists already offer as "System default": shown only when chosen before.
DEFAULT_ALIASES = frozenset({"default", "sysdefault", "dsnoop", "dmix", "spdif"})
# These are sound servers: every microphone of the system, through its own settings.
SOUND_SERVERS = {
    "pulse": "PulseAudio (the system's sound settings)",
    "pipewire": "PipeWire (the system's sound settings)",
    "jack": "JACK sound server",
}
_ALSA_ADDRESS = re.compile(r"\s*\((?:hw|plughw):\d+(?:,\d+)?\)\s*$")


def device_choices(devices: list[Device], chosen: str | None = None) -> list[tuple[str, str]]:
    """(label, name) for each device worth listing: sound servers and cards named in words
    ("HDA Intel PCH: ALC3246 Analog" without "(hw:0,0)"), aliases of the default left out
    unless ``chosen``. Two devices that would read alike keep their full names."""
    shown = [d for d in devices if d.name not in DEFAULT_ALIASES or d.name == chosen]
    labels = [SOUND_SERVERS.get(d.name, _ALSA_ADDRESS.sub("", d.name) or d.name) for d in shown]
    return [
        (label if labels.count(label) == 1 else d.name, d.name)
        for label, d in zip(labels, shown, strict=True)
    ]


def open_started(factory: Callable[..., Any], **options: Any) -> Any:
    """Open a stream with ``factory(**options)`` and start it; a stream that fails to start is
    closed before the error goes on, so no half-open device is left behind."""
    stream = factory(**options)
    try:
        stream.start()
    except Exception:
        stream.close()
        raise
    return stream


def device_errors() -> tuple[type[Exception], ...]:
    """What opening or starting a stream raises when the device cannot be used: PortAudio's
    error, and ValueError for a device name or setting that matches nothing. Anything else
    is a bug and is left to surface as one."""
    try:
        return (load_sounddevice().PortAudioError, ValueError)
    except AudioUnavailable:
        return (ValueError,)


def stop_and_close(stream: Any, thread_name: str, timeout_s: float) -> bool:
    """Abort and close ``stream`` on a helper thread, waiting at most ``timeout_s``: PortAudio
    can hang for good stopping a stream whose device went away, and the caller (often the GUI
    thread) must not hang with it. True when the stream was closed in time."""
    closer = threading.Thread(
        target=_abort_and_close, args=(stream,), name=thread_name, daemon=True
    )
    closer.start()
    closer.join(timeout_s)
    return not closer.is_alive()


def _abort_and_close(stream: Any) -> None:
    # Abort: no waiting for the host to drain buffers that would be dropped anyway (about 0.1 s
    # on PulseAudio). A stream whose device vanished may refuse to stop; it is closed all the
    # same, and its errors are no news: the device is already known to be gone.
    with contextlib.suppress(Exception):
        stream.abort()
    with contextlib.suppress(Exception):
        stream.close()
