"""PyInstaller runtime hook: sounddevice finds the PortAudio library shipped in the bundle.

sounddevice asks ``ctypes.util.find_library("portaudio")``, which on Linux looks only at the
system's libraries; on a machine without libportaudio2 the bundle would then have no audio.
This runs before the app's code and answers with the bundled copy when it is there.
"""

import ctypes.util
import os
import sys

_BUNDLED = os.path.join(getattr(sys, "_MEIPASS", ""), "libportaudio.so.2")
_system_find_library = ctypes.util.find_library


def _find_library(name: str) -> str | None:
    if name == "portaudio" and os.path.isfile(_BUNDLED):
        return _BUNDLED
    return _system_find_library(name)


ctypes.util.find_library = _find_library
