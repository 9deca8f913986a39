"""The one background-task mechanism: outcomes reach whoever connects right after submit()."""

from __future__ import annotations

import time

from voicemail_coach.app.tasks import TaskRunner


def test_an_instant_job_reports_to_signals_connected_after_submit(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    got: list[object] = []
    tasks = []
    for i in range(20):  # without the arming gate, most of these finish before connect()
        task = runner.submit(f"instant {i}", lambda _ctx, i=i: i * 2)
        time.sleep(0.005)  # the worker has long finished its (trivial) job by now
        task.succeeded.connect(got.append)
        tasks.append(task)
    qtbot.waitUntil(lambda: len(got) == 20, timeout=5000)
    assert sorted(got) == [i * 2 for i in range(20)]  # type: ignore[type-var]
    qtbot.waitUntil(lambda: not runner.tasks, timeout=5000)
    assert all(not t.running for t in tasks)
    assert runner.shutdown(5000)


def test_failures_and_cancels_reach_late_connections_too(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()

    def boom(_ctx: object) -> None:
        raise ValueError("bad input")

    failed = runner.submit("failing", boom)
    time.sleep(0.01)
    messages: list[str] = []
    failed.failed.connect(messages.append)
    qtbot.waitUntil(lambda: bool(messages), timeout=5000)
    assert messages == ["Something went wrong in failing: ValueError: bad input"]

    def slow(ctx) -> int:  # type: ignore[no-untyped-def]
        for _ in range(200):
            ctx.check()
            time.sleep(0.01)
        return 1

    task = runner.submit("slow", slow)
    cancelled: list[bool] = []
    task.cancelled.connect(lambda: cancelled.append(True))
    task.cancel()
    qtbot.waitUntil(lambda: cancelled == [True], timeout=5000)


def test_shutdown_does_not_wait_for_a_job_never_armed() -> None:
    """shutdown() outside the event loop: the queued job is released at once and cancelled."""
    runner = TaskRunner()
    ran: list[bool] = []

    def job(ctx) -> None:  # type: ignore[no-untyped-def]
        ctx.check()
        ran.append(True)

    runner.submit("queued", job)
    start = time.monotonic()
    assert runner.shutdown(5000)
    assert time.monotonic() - start < 0.5
    assert ran == []  # it was cancelled before it ran


def test_a_let_go_task_is_cancelled_at_once_and_nothing_later_from_it_arrives(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A job inside a call it cannot leave (a decode window): Cancel does not wait for it,
    and what it reports afterwards (progress, status, its result) never arrives."""
    import threading

    runner = TaskRunner()
    inside = threading.Event()

    def stuck(ctx) -> str:  # type: ignore[no-untyped-def]
        ctx.progress(0.1)
        inside.set()
        time.sleep(1.0)  # cannot look at the cancel flag meanwhile
        ctx.progress(0.9)
        ctx.status("Checking structure and delivery")
        return "late result"

    task = runner.submit("stuck", stuck, let_go=True)
    seen: list[object] = []
    task.progress.connect(lambda f: seen.append(("progress", f)))
    task.status.connect(lambda t: seen.append(("status", t)))
    task.succeeded.connect(lambda r: seen.append(("succeeded", r)))
    task.cancelled.connect(lambda: seen.append("cancelled"))
    task.done.connect(lambda: seen.append("done"))
    qtbot.waitUntil(lambda: ("progress", 0.1) in seen, timeout=5000)
    assert inside.is_set()
    started = time.monotonic()
    task.cancel()
    assert time.monotonic() - started < 0.05
    assert seen[-2:] == ["cancelled", "done"]  # at once, before the job has returned
    assert not task.worker_done.is_set() and not task.running and not runner.tasks
    qtbot.waitUntil(task.worker_done.is_set, timeout=5000)
    qtbot.wait(200)  # the job's late reports are delivered (and dropped) by now
    assert seen == [("progress", 0.1), "cancelled", "done"]
    assert runner.shutdown(5000)


def test_a_task_not_let_go_gives_its_outcome_when_the_job_stops() -> None:
    """Without let_go, cancel() only asks: the outcome comes from the job (a pack import must
    not be reported cancelled while it may still finish)."""
    runner = TaskRunner()
    task = runner.submit("plain", lambda ctx: ctx.check())
    got: list[str] = []
    task.cancelled.connect(lambda: got.append("cancelled"))
    task.cancel()
    assert got == [] and task.running
    assert runner.shutdown(5000)
