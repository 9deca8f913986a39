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
