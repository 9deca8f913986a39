"""The one way the GUI runs long work off the GUI thread.

A task is a plain function ``fn(ctx) -> result`` run on a worker thread of the runner's own
``QThreadPool``. It reports progress through ``ctx.progress(fraction)`` and checks
``ctx.cancel`` (a ``threading.Event``) between steps. The outcome arrives on the GUI thread as
exactly one of ``succeeded(result)``, ``failed(message)`` or ``cancelled()``, then ``done()``.
Cancelling is its own outcome, never recognised from error text.

A task submitted with ``let_go=True`` is cancelled at once: ``cancel()`` gives its
``cancelled()`` and ``done()`` straight away, and the job, which may be inside a call it cannot
leave (a Whisper decode window takes seconds on a busy machine), stops at its next check on
its own; whatever it reports from then on (progress, status, outcome) is dropped. Everything
a job reports reaches the GUI thread through the task, which drops what comes after its
outcome, so nothing from a cancelled job can show up later.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from voicemail_coach.analysis.transcribe import Cancelled

log = logging.getLogger(__name__)

# A job waits at most this long for its submitter to return to the event loop (a safety net:
# normally a few milliseconds).
ARM_TIMEOUT_S = 1.0

# Errors whose message is written for the user; anything else is a bug and says so.
USER_ERRORS: tuple[type[BaseException], ...] = ()


def register_user_errors(*kinds: type[BaseException]) -> None:
    global USER_ERRORS
    USER_ERRORS = tuple(dict.fromkeys((*USER_ERRORS, *kinds)))


def _quiet(_text: str) -> None:
    pass


@dataclass(frozen=True)
class TaskContext:
    progress: Callable[[float], None]
    cancel: threading.Event
    status: Callable[[str], None] = field(default=_quiet)  # what is being done now

    def check(self) -> None:
        """Raise ``Cancelled`` if the user asked to stop."""
        if self.cancel.is_set():
            raise Cancelled()


class Task(QObject):
    progress = Signal(float)
    status = Signal(str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    done = Signal()
    # From the worker; relayed on the GUI thread unless the task has its outcome already.
    _progress = Signal(float)
    _status = Signal(str)
    _outcome = Signal(str, object)

    def __init__(self, name: str, let_go: bool = False) -> None:
        super().__init__()
        self.name = name
        self.let_go = let_go
        self.cancel_event = threading.Event()
        # Set once the submitting code is back in the event loop, so a job that finishes at
        # once cannot emit its outcome before the caller has connected to it.
        self.armed = threading.Event()
        self.running = True  # until its outcome is given
        self.settled = False  # its outcome was given: anything later from the job is dropped
        self.worker_done = threading.Event()  # the job has returned (a let-go one may not yet)
        self._progress.connect(self._relay_progress)
        self._status.connect(self._relay_status)
        self._outcome.connect(self._deliver)

    def cancel(self) -> None:
        """Ask the job to stop; a ``let_go`` task is cancelled at once (see the module)."""
        self.cancel_event.set()
        if self.let_go and not self.settled:
            self._deliver("cancelled", None)

    def _relay_progress(self, fraction: float) -> None:
        if not self.settled:
            self.progress.emit(fraction)

    def _relay_status(self, text: str) -> None:
        if not self.settled:
            self.status.emit(text)

    def _deliver(self, kind: str, payload: object) -> None:
        if self.settled:
            return
        self.settled = True
        if kind == "succeeded":
            self.succeeded.emit(payload)
        elif kind == "failed":
            self.failed.emit(payload)
        else:
            self.cancelled.emit()
        self.done.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task, fn: Callable[[TaskContext], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.task = task
        self.fn = fn

    def run(self) -> None:
        task = self.task
        task.armed.wait(ARM_TIMEOUT_S)
        ctx = TaskContext(task._progress.emit, task.cancel_event, task._status.emit)
        outcome: tuple[str, object] = ("cancelled", None)
        try:
            result = self.fn(ctx)
            if not task.cancel_event.is_set():
                outcome = ("succeeded", result)
        except Cancelled:
            pass
        except USER_ERRORS as exc:
            outcome = ("failed", str(exc))
        except Exception as exc:  # a bug: keep the app alive and say what happened
            log.exception("task %s failed", task.name)
            outcome = (
                "failed",
                f"Something went wrong in {task.name}: {exc.__class__.__name__}: {exc}",
            )
        finally:
            task.worker_done.set()
            task._outcome.emit(*outcome)


class TaskRunner(QObject):
    """Runs tasks on its own thread pool; ``shutdown`` cancels them and waits (never kills)."""

    def __init__(self, max_threads: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(max_threads)
        self.tasks: list[Task] = []

    def submit(self, name: str, fn: Callable[[TaskContext], Any], let_go: bool = False) -> Task:
        """Run ``fn`` on a worker. ``let_go``: ``cancel()`` gives the outcome at once, and
        the job is left to stop at its next check (see the module)."""
        task = Task(name, let_go)
        self.tasks.append(task)
        task.done.connect(lambda: self._finished(task))
        self.pool.start(_Runnable(task, fn))
        QTimer.singleShot(0, task.armed.set)
        return task

    def _finished(self, task: Task) -> None:
        task.running = False
        if task in self.tasks:
            self.tasks.remove(task)

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Ask every task to stop and wait for the workers; True when all have finished."""
        for task in self.tasks:
            task.cancel_event.set()  # no outcome now: the window is closing
            task.armed.set()
        finished: bool = self.pool.waitForDone(timeout_ms)
        return finished
