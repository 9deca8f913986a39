"""Guards against known-bad Qt bindings: a release that corrupts Python's refcounts aborts the app."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    number = Signal(float)
    pair = Signal(str, str)


def test_emitting_signals_does_not_leak_references_to_true(qapp) -> None:  # type: ignore[no-untyped-def]
    # PySide6 6.12.0 dropped one reference to True per emit(); a recording emits 20 per second,
    # so the app aborted ("bool_dealloc") after about two minutes.
    emitter = Emitter()
    before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(300):
        emitter.number.emit(1.0)
        emitter.pair.emit("a", "b")
        emitter.setObjectName("x")  # a call returning nothing: 6.12.0 also leaked None here
    assert abs(sys.getrefcount(True) - before[0]) < 50
    assert abs(sys.getrefcount(None) - before[1]) < 50
