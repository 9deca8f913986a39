"""A private PulseAudio daemon with a virtual microphone, for the end-to-end test and bench_live.

As in VIRTUAL_MIC.md section A: its own socket, runtime and config folders, a null sink
``vsink`` and a source ``vmic`` remapped from its monitor. Whatever ``paplay -d vsink`` plays is
what a recording from ``vmic`` (the default source) hears. Every problem is a
:class:`VirtualMicError` whose message says what to install or what the daemon logged.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PACKAGES = "pulseaudio pulseaudio-utils libasound2-plugins libportaudio2"
INSTALL = f"apt-get install -y --no-install-recommends {PACKAGES}"
START_TIMEOUT_S = 15.0


class VirtualMicError(RuntimeError):
    """The virtual microphone could not be set up, or its daemon outlived it."""


def check_tools() -> None:
    """Raise VirtualMicError naming what is missing to reach a virtual mic through PortAudio."""
    missing = [tool for tool in ("pulseaudio", "pactl", "paplay") if shutil.which(tool) is None]
    if missing:
        raise VirtualMicError(
            f"{', '.join(missing)} not installed: a PulseAudio virtual microphone is needed. "
            f"Install pulseaudio with: {INSTALL}"
        )
    plugin = "alsa-lib/libasound_module_pcm_pulse.so"
    if not any(glob.glob(f"{d}/{plugin}") for d in ("/usr/lib/*", "/usr/lib", "/usr/lib64")):
        raise VirtualMicError(
            "The ALSA PulseAudio plugin is not installed, so PortAudio cannot reach the virtual "
            f"microphone. Install it with: {INSTALL}"
        )


def our_daemons(sock: Path) -> list[str]:
    """Command lines of running pulseaudio processes on our socket (like pgrep, without procps)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            args = cmdline.read_bytes().decode(errors="replace").split("\0")
            if "pulseaudio" in args[0] and any(str(sock) in arg for arg in args):
                found.append(f"{cmdline.parent.name}: {' '.join(args)}")
    return found


@contextlib.contextmanager
def virtual_mic() -> Iterator[dict[str, str]]:
    """Start the daemon; yield the environment a client needs; stop it and check it is gone."""
    check_tools()
    # Short path under /tmp: a unix socket path may not exceed 107 bytes.
    root = Path(tempfile.mkdtemp(prefix="vmic-"))
    sock = root / "vmic.sock"
    runtime = root / "run"
    runtime.mkdir(mode=0o700)
    client_conf = root / "client.conf"
    client_conf.write_text("autospawn = no\n")  # a client must never start a daemon of its own
    env = dict(os.environ)
    env.update(
        PULSE_SERVER=f"unix:{sock}",
        PULSE_CLIENTCONFIG=str(client_conf),
        # Pid file, cookie and state stay in here, clear of any other daemon on the machine.
        HOME=str(root),
        XDG_RUNTIME_DIR=str(runtime),
        XDG_CONFIG_HOME=str(root / "config"),
    )
    log_path = root / "pulseaudio.log"
    log = log_path.open("w")
    # Not --daemonize: as our child the daemon has a pid we own and can always kill.
    daemon = subprocess.Popen(
        [
            "pulseaudio",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "-n",
            "--log-target=stderr",
            "--log-level=error",
            f"--load=module-native-protocol-unix socket={sock} auth-anonymous=1",
            "--load=module-null-sink sink_name=vsink rate=16000 channels=1 format=s16le "
            "sink_properties=device.description=VirtualSpeaker",
            "--load=module-remap-source source_name=vmic master=vsink.monitor "
            "source_properties=device.description=VirtualMic",
        ],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        env=env,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if daemon.poll() is not None:
                raise VirtualMicError(
                    f"pulseaudio exited with {daemon.returncode} at start-up:\n"
                    f"{log_path.read_text()}"
                )
            info = subprocess.run(["pactl", "info"], env=env, capture_output=True, timeout=10)
            if info.returncode == 0:
                break
            if time.monotonic() > deadline:
                raise VirtualMicError(
                    f"pulseaudio did not answer on {sock} within {START_TIMEOUT_S:.0f} s:\n"
                    f"{log_path.read_text()}"
                )
            time.sleep(0.1)
        for args in (["set-default-sink", "vsink"], ["set-default-source", "vmic"]):
            subprocess.run(["pactl", *args], env=env, check=True, timeout=10)
        yield env
    finally:
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            subprocess.run(["pactl", "exit"], env=env, capture_output=True, timeout=10)
        try:
            daemon.wait(timeout=5)
        except subprocess.TimeoutExpired:
            daemon.send_signal(signal.SIGKILL)
            daemon.wait(timeout=5)
        log.close()
        left = our_daemons(sock)
        shutil.rmtree(root, ignore_errors=True)
    if left:
        raise VirtualMicError(f"pulseaudio still running after use: {left}")
