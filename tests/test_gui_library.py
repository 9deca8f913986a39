"""The library in the window: history, "+X vs your last take", export, compare, recovery."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile

from tests import fakes
from tests.conftest import AUDIO
from voicemail_coach.app.controller import Controller
from voicemail_coach.app.main_window import MainWindow
from voicemail_coach.app.settings import Settings
from voicemail_coach.audio.io import load_audio
from voicemail_coach.storage.library import Library

pytestmark = pytest.mark.model


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(folder))
    return folder


def window_for(qtbot, holder) -> MainWindow:  # type: ignore[no-untyped-def]
    controller = Controller(Settings(greeting=False), None, fakes.FakeOutputStream())
    controller.models = holder
    window = MainWindow(controller)
    qtbot.addWidget(window)
    return window


def open_and_wait(qtbot, window: MainWindow, path: Path):  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=90_000) as blocker:
        window.open_path(str(path))
    return blocker.args[0]


def test_opened_files_become_attempts_with_progress_against_the_last_take(
    qtbot, holder, data_dir
) -> None:  # type: ignore[no-untyped-def]
    window = window_for(qtbot, holder)
    first = open_and_wait(qtbot, window, AUDIO / "bad.flac")
    assert first.attempt is not None and first.attempt.title == "bad"
    assert "first scored take" in window.review.progress_line.text()
    second = open_and_wait(qtbot, window, AUDIO / "good.flac")
    assert second.previous is not None and second.previous.id == first.attempt.id
    line = window.review.progress_line.text()
    gain = second.report.score - first.report.score
    assert f"+{gain} vs your last take" in line
    pages = window.library_pages
    assert pages is not None
    window.nav["History"].trigger()
    assert window.pages.currentWidget() is pages.history
    titles = [a.title for a in pages.history.model.attempts()]
    assert titles == ["good", "bad"]
    window.nav["Progress"].trigger()
    assert window.pages.currentWidget() is pages.progress
    assert len(pages.progress.points("score")) == 2
    window.close()


def test_export_from_history_writes_a_pdf_with_the_transcript(
    qtbot, holder, data_dir, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window = window_for(qtbot, holder)
    feedback = open_and_wait(qtbot, window, AUDIO / "bad.flac")
    pages = window.library_pages
    assert pages is not None
    target = tmp_path / "bad-report.pdf"
    pages.ask_save_path = lambda suggested: str(target)
    pages.history.export_requested.emit(feedback.attempt.id)
    assert target.exists()
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout
    text = " ".join(text.split())
    assert "superior accounting software" in text
    assert "Self-praise" in text
    assert "Report saved to" in window.banner.text
    window.close()


def test_compare_two_attempts_shows_both_transcripts(qtbot, holder, data_dir) -> None:  # type: ignore[no-untyped-def]
    window = window_for(qtbot, holder)
    a = open_and_wait(qtbot, window, AUDIO / "good.flac").attempt
    b = open_and_wait(qtbot, window, AUDIO / "premature_ask.flac").attempt
    pages = window.library_pages
    assert pages is not None
    pages.history.compare_requested.emit(a.id, b.id)
    assert window.pages.currentWidget() is pages.compare
    assert "help them simplify" in pages.compare.transcript_a.toPlainText()
    assert "demo" in pages.compare.transcript_b.toPlainText()
    window.close()


def test_an_interrupted_take_is_offered_and_recovered_on_start(qtbot, holder, data_dir) -> None:  # type: ignore[no-untyped-def]
    good = load_audio(AUDIO / "good.flac").samples
    with Library() as library:
        take, wav = library.begin_recording()
    # What a killed recorder leaves: PCM written, header never finished.
    soundfile.write(wav, good[4800 : 4800 + 16000 * 12], 16000, subtype="PCM_16")
    window = window_for(qtbot, holder)
    pages = window.library_pages
    assert pages is not None
    asked: list[str] = []
    pages.ask_yes_no = lambda q: asked.append(q) or True
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=90_000) as blocker:
        pages.offer_recovery()
    assert asked and "interrupted" in asked[0]
    feedback = blocker.args[0]
    assert feedback.attempt.id == take.id and feedback.attempt.status == "ready"
    assert feedback.report.source.duration_s == pytest.approx(12.0, abs=0.1)
    assert "sam rivera" in feedback.report.transcript.text.lower()
    window.close()


def test_a_recording_no_take_refers_to_is_offered_from_recovered_and_analyzed(  # type: ignore[no-untyped-def]
    qtbot, holder, data_dir
) -> None:
    with Library() as library:
        library.add_file(AUDIO / "pauses.flac")
    # A take's FLAC whose attempt was never committed (the app killed while saving it).
    stray = data_dir / "library" / "audio" / "7.flac"
    stray.write_bytes((AUDIO / "good.flac").read_bytes())
    window = window_for(qtbot, holder)
    pages = window.library_pages
    assert pages is not None
    recovered = data_dir / "library" / "recovered" / "7.flac"
    assert recovered.exists() and not stray.exists()
    asked: list[str] = []
    pages.ask_yes_no = lambda q: asked.append(q) or True
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=90_000) as blocker:
        pages.offer_recovery()
    assert asked == [
        "A recording no take refers to was found (7.flac, probably left half saved when the app "
        f"was stopped). It was moved to {recovered.parent}. Analyze it and add it to the library?"
    ]
    feedback = blocker.args[0]
    assert feedback.attempt.original_path == str(recovered)
    assert "sam rivera" in feedback.report.transcript.text.lower()
    assert recovered.exists()  # analyzed from a copy, never removed
    window.close()


def test_a_recording_no_take_refers_to_is_kept_when_declined(qtbot, holder, data_dir) -> None:  # type: ignore[no-untyped-def]
    (data_dir / "library" / "audio").mkdir(parents=True)
    (data_dir / "library" / "audio" / "2.flac").write_bytes(b"fLaC\x00\x00\x00\x22")
    window = window_for(qtbot, holder)
    pages = window.library_pages
    assert pages is not None
    pages.ask_yes_no = lambda q: False
    pages.offer_recovery()
    folder = data_dir / "library" / "recovered"
    assert window.banner.text == (
        f"A recording no take referred to is kept in {folder}; open one to analyze it."
    )
    assert (folder / "2.flac").read_bytes() == b"fLaC\x00\x00\x00\x22"
    assert window.controller.busy is False
    window.close()


def test_a_corrupted_library_is_set_aside_and_the_app_still_works(qtbot, holder, data_dir) -> None:  # type: ignore[no-untyped-def]
    folder = data_dir / "library"
    folder.mkdir(parents=True)
    (folder / "library.db").write_bytes(np.random.default_rng(1).bytes(8192))
    window = window_for(qtbot, holder)
    assert not window.banner.isHidden()
    assert "corrupt" in window.banner.text.lower()
    backups = list(folder.glob("library.db.corrupt-*"))
    assert len(backups) == 1
    # Opening a file still works (it goes into a fresh library).
    feedback = open_and_wait(qtbot, window, AUDIO / "pauses.flac")
    assert feedback.report.call_to_action.kind == "email"
    window.close()


def test_reanalyze_with_another_preset_keeps_the_earlier_report(qtbot, holder, data_dir) -> None:  # type: ignore[no-untyped-def]
    window = window_for(qtbot, holder)
    first = open_and_wait(qtbot, window, AUDIO / "good.flac")
    assert first.report.check("length").status == "pass"
    pages = window.library_pages
    assert pages is not None
    pages.ask_reanalysis = lambda title: (None, "short", None)
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=90_000) as blocker:
        pages.history.reanalyze_requested.emit(first.attempt.id)
    again = blocker.args[0]
    assert again.attempt.id == first.attempt.id
    assert again.report.profile.length_preset == "short"
    assert again.report.check("length").status in ("warn", "fail")
    reports = window.controller.library.reports(first.attempt.id)
    assert [r.length_preset for r in reports] == ["short", "standard"]
    window.close()


def test_a_full_disk_keeps_the_take_in_memory_until_it_is_saved(
    qtbot, holder, data_dir, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import errno

    good = load_audio(AUDIO / "good.flac").samples
    real_write = soundfile.SoundFile.write
    calls = {"n": 0}

    def full_after_a_while(self, data):  # type: ignore[no-untyped-def]
        if str(self.name).endswith(".partial.wav"):
            calls["n"] += 1
            if calls["n"] > 30:  # about 3 s in
                raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(soundfile.SoundFile, "write", full_after_a_while)
    monkeypatch.setattr(fakes, "FAST_PACE_S", 0.01)
    window = window_for(qtbot, holder)
    window.ask_unsaved = lambda: "discard"  # if an assertion fails, closing must not block
    window.controller.input_stream_factory = fakes.FakeInputStream(good)
    window.practice.record.click()
    recorder = window.controller.recorder
    assert recorder is not None, window.banner.text
    qtbot.waitUntil(lambda: recorder.elapsed_s >= 25.0 or recorder.failed, timeout=20_000)
    assert not recorder.failed, recorder.error
    assert not window.save_notice.isVisibleTo(window)  # the recorder tells when it stops
    notice_while_analysing: list[str] = []

    def look(state: str) -> None:
        if state == "analysing":
            notice = window.save_notice
            notice_while_analysing.append(notice.text if notice.isVisibleTo(window) else "")

    window.controller.state_changed.connect(look)
    with qtbot.waitSignal(window.controller.feedback_ready, timeout=90_000) as blocker:
        window.practice.record.click()
        qtbot.waitUntil(lambda: bool(notice_while_analysing), timeout=20_000)
    feedback = blocker.args[0]
    # The whole take was analyzed from memory, not just the part before the disk filled up.
    assert feedback.report.source.duration_s > 24
    assert feedback.report.value_proposition.found
    assert "kept in memory" in window.banner.text
    assert window.save_take_action.isEnabled()
    why = (
        "Could not write the recording to disk (no space left on device). The take is kept "
        "in memory: save it somewhere else before closing the app."
    )
    # A notice stays on every page, while the analysis ran too, and the report says so.
    assert notice_while_analysing == [f"Takes are not being saved to your history: {why}"]
    notice = window.save_notice
    assert notice.isVisibleTo(window) and notice.save_button.isVisibleTo(window)
    review = window.review
    assert window.pages.currentWidget() is review
    assert review.not_saved.isVisibleTo(window) and review.save_button.isVisibleTo(window)
    assert review.not_saved_text.text() == f"This take was not saved to your history: {why}"
    window.banner.hide()  # a message can be dismissed; the notice cannot
    for name in ("History", "Progress", "Practice"):
        window.nav[name].trigger()
        assert notice.isVisibleTo(window), name
    window.new_take()
    assert notice.isVisibleTo(window)
    target = tmp_path / "rescued.flac"
    assert window.controller.save_unsaved(target)
    assert load_audio(target).duration_s == pytest.approx(
        feedback.report.source.duration_s, abs=0.05
    )
    assert not window.save_take_action.isEnabled()
    with Library() as library:
        assert any(a.original_path == str(target) for a in library.attempts())
    # The library took the rescued take: saving works again.
    assert not notice.isVisibleTo(window)
    assert review.not_saved_text.text() == (
        "This take was not saved to your history at first. It was saved to "
        f"{target} and added to your history."
    )
    window.close()
