"""One app per data folder: a second start is refused with a message; a crashed app's lock is not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from voicemail_coach.app.single_instance import LOCK_NAME, AlreadyRunning, claim


def test_a_second_claim_is_refused_until_the_first_is_released(tmp_path: Path) -> None:
    first = claim(tmp_path)
    with pytest.raises(AlreadyRunning) as err:
        claim(tmp_path)
    assert f"already running (process {os.getpid()})" in str(err.value)
    assert str(tmp_path) in str(err.value)
    first.unlock()
    again = claim(tmp_path)
    assert again.isLocked()
    again.unlock()


def test_the_lock_of_a_killed_app_is_stale(tmp_path: Path) -> None:
    """An app that died without unlocking (kill -9, power loss) does not block the next start."""
    code = (
        "import os, sys; from pathlib import Path; from voicemail_coach.app.single_instance import claim; "
        "lock = claim(Path(sys.argv[1])); print('held', flush=True); os._exit(0)"
    )
    child = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert child.stdout.strip() == "held", child.stderr
    assert (tmp_path / LOCK_NAME).exists()  # left behind by the dead process
    lock = claim(tmp_path)
    assert lock.isLocked()
    lock.unlock()
