"""The one way the GUI runs long work off the GUI thread.

A task is a plain function ``fn(ctx) -> result`` run on a worker thread of the runner's own
``QThreadPool``. It reports progress through ``ctx.progress(fraction)`` and checks
``ctx.cancel`` (a ``threading.Event``) between steps. The outcome arrives on the GUI thread as
exactly one of ``succeeded(result)``, ``failed(message)`` or ``cancelled()``, then ``done()``.
Cancelling is its own outcome, never recognised from error text.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class TaskContext:
    progress: Callable[[float], None]
    cancel: threading.Event

    def check(self) -> None:
        """Raise ``Cancelled`` if the user asked to stop."""
        if self.cancel.is_set():
            raise Cancelled()


class Task(QObject):
    progress = Signal(float)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    done = Signal()

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.cancel_event = threading.Event()
        # Set once the submitting code is back in the event loop, so a job that finishes at
        # once cannot emit its outcome before the caller has connected to it.
        self.armed = threading.Event()
        self.running = True

    def cancel(self) -> None:
        self.cancel_event.set()


class _Runnable(QRunnable):
    def __init__(self, task: Task, fn: Callable[[TaskContext], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.task = task
        self.fn = fn

    def run(self) -> None:
        task = self.task
        task.armed.wait(ARM_TIMEOUT_S)
        ctx = TaskContext(progress=task.progress.emit, cancel=task.cancel_event)
        try:
            result = self.fn(ctx)
            if task.cancel_event.is_set():
                task.cancelled.emit()
            else:
                task.succeeded.emit(result)
        except Cancelled:
            task.cancelled.emit()
        except USER_ERRORS as exc:
            task.failed.emit(str(exc))
        except Exception as exc:  # a bug: keep the app alive and say what happened
            log.exception("task %s failed", task.name)
            task.failed.emit(
                f"Something went wrong in {task.name}: {exc.__class__.__name__}: {exc}"
            )
        finally:
            task.done.emit()


class TaskRunner(QObject):
    """Runs tasks on its own thread pool; ``shutdown`` cancels them and waits (never kills)."""

    def __init__(self, max_threads: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(max_threads)
        self.tasks: list[Task] = []

    def submit(self, name: str, fn: Callable[[TaskContext], Any]) -> Task:
        task = Task(name)
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
            task.cancel()
            task.armed.set()
        finished: bool = self.pool.waitForDone(timeout_ms)
        return finished
