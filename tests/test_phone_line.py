"""The phone-line rendering (band, 8 kHz, mu-law, level, codec) and the phone_line check."""

from __future__ import annotations

import dataclasses
import tomllib

import av
import numpy as np
import pytest
import soundfile

from tests.conftest import AUDIO
from voicemail_coach.analysis import report as r
from voicemail_coach.analysis.phone_line import applies, judge, line_settings
from voicemail_coach.analysis.phone_numbers import digits_of
from voicemail_coach.analysis.pipeline import build_report
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.profile_loader import default_profile_path, parse_profile
from voicemail_coach.analysis.report_text import render_text
from voicemail_coach.analysis.transcript import Word
from voicemail_coach.app.cli.main import main
from voicemail_coach.audio.io import load_audio
from voicemail_coach.audio.phone_line import (
    LineSettings,
    available_codecs,
    mulaw_decode,
    mulaw_encode,
    render,
)

MULAW_ONLY = LineSettings(codecs=())


def band_db(y: np.ndarray, rate: int, low: float, high: float) -> float:
    """Mean power per bin (dB) between ``low`` and ``high`` Hz."""
    power = np.abs(np.fft.rfft(y)) ** 2
    f = np.fft.rfftfreq(len(y), 1 / rate)
    return float(10 * np.log10(power[(f >= low) & (f < high)].mean()))


def sweep(seconds: float = 6.0, rate: int = 16_000) -> np.ndarray:
    """A logarithmic sweep 50-7,900 Hz at -20 dBFS RMS."""
    t = np.arange(int(seconds * rate)) / rate
    f0, f1 = 50.0, 7900.0
    k = np.log(f1 / f0)
    phase = 2 * np.pi * f0 * seconds / k * (np.exp(t / seconds * k) - 1)
    return (0.1 * np.sqrt(2) * np.sin(phase)).astype(np.float32)


def gain_db(x: np.ndarray, y: np.ndarray, low: float, high: float) -> float:
    """Output against input power in a band: ``x`` at 16 kHz, ``y`` at 8 kHz (per-bin means
    are comparable: both cover the same seconds)."""
    return band_db(y, 8000, low, high) - band_db(x, 16_000, low, high) - 10 * np.log10(4)


@pytest.mark.parametrize("settings", [MULAW_ONLY, LineSettings()], ids=["mu-law", "default"])
def test_a_sweep_keeps_the_telephone_band_and_nothing_above_3_4_khz(settings) -> None:  # type: ignore[no-untyped-def]
    x = sweep()
    line = render(x, 16_000, settings)
    assert line.sample_rate == 8000
    assert len(line.samples) == len(x) // 2
    y = line.samples.astype(np.float64)
    middle = gain_db(x, y, 500, 3000)
    # Above the band (3.6-4 kHz) and below it (under 200 Hz): at least 30 dB down on the middle.
    assert gain_db(x, y, 3600, 4000) < middle - 30
    assert gain_db(x, y, 60, 200) < middle - 30
    # Inside the band the sweep is kept within a few dB (AMR-NB colours it a little).
    for low, high in ((350, 800), (800, 2000), (2000, 3300)):
        assert abs(gain_db(x, y, low, high) - middle) < 4, (low, high)


def bursts(dbfs: float) -> np.ndarray:
    """1 kHz tone bursts (0.3 s on, 0.2 s off) at ``dbfs`` RMS while on."""
    t = np.arange(16_000 * 4) / 16_000
    on = (t % 0.5) < 0.3
    return (10 ** (dbfs / 20) * np.sqrt(2) * np.sin(2 * np.pi * 1000 * t) * on).astype(np.float32)


def active_dbfs(y: np.ndarray) -> float:
    frames = y[: len(y) // 160 * 160].reshape(-1, 160).astype(np.float64)
    level = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
    return float(10 * np.log10(np.mean(frames[level > level.max() - 40] ** 2)))


def test_the_rendering_is_deterministic_and_levelled_like_a_voicemail_system() -> None:
    a = render(bursts(-32), 16_000, MULAW_ONLY)
    assert np.array_equal(a.samples, render(bursts(-32), 16_000, MULAW_ONLY).samples)
    assert a.gain_db == pytest.approx(12.0, abs=0.5)
    assert active_dbfs(a.samples) == pytest.approx(-20.0, abs=0.5)
    quiet = render(bursts(-50), 16_000, MULAW_ONLY)  # not lifted into noise: the gain is capped
    assert quiet.gain_db == 20.0 and active_dbfs(quiet.samples) == pytest.approx(-30.0, abs=0.5)
    loud = render(bursts(-32) * 200, 16_000, MULAW_ONLY)  # peaks far over full scale before
    assert float(np.max(np.abs(loud.samples))) <= 10 ** (-1 / 20) + 1e-6


def test_mu_law_round_trip_error_and_ffmpeg_agreement() -> None:
    pcm = np.arange(-32768, 32768, dtype=np.int64)
    x = pcm / 32768.0
    codes = mulaw_encode(x)
    back = mulaw_decode(codes)
    kept = np.abs(pcm) <= 32635  # G.711 clips there
    # 16 steps per segment, decoded at the step's middle: the error is at most 1/32 of the
    # biased magnitude (|sample| + 132 in 16-bit units).
    err = np.abs(back - x)[kept] * 32768
    assert np.all(err <= (np.abs(pcm[kept]) + 132) / 32 + 0.5)
    assert np.max(err) <= 512  # half the top segment's step
    tone = 0.1 * np.sin(2 * np.pi * 440 * np.arange(8000) / 8000)
    noise = mulaw_decode(mulaw_encode(tone)) - tone
    assert 10 * np.log10(np.mean(tone**2) / np.mean(noise**2)) > 35  # G.711's ~38 dB
    # FFmpeg's decoder gives the same samples for every code; its encoder rounds to the nearest
    # level where G.711 truncates: codes differ by at most one step.
    dec = av.CodecContext.create("pcm_mulaw", "r")
    dec.sample_rate, dec.layout = 8000, "mono"
    all_codes = np.arange(256, dtype=np.uint8)
    frames = dec.decode(av.Packet(all_codes.tobytes()))
    ffmpeg = frames[0].to_ndarray().reshape(-1)
    assert np.array_equal(np.round(mulaw_decode(all_codes) * 32768).astype(np.int16), ffmpeg)
    enc = av.CodecContext.create("pcm_mulaw", "w")
    enc.sample_rate, enc.layout, enc.format = 8000, "mono", "s16"
    enc.open()
    frame = av.AudioFrame.from_ndarray(pcm.astype(np.int16)[None], format="s16", layout="mono")
    frame.sample_rate, frame.pts = 8000, 0
    theirs = np.frombuffer(
        b"".join(bytes(p) for p in [*enc.encode(frame), *enc.encode(None)]), np.uint8
    )
    step = np.abs(mulaw_decode(theirs) - mulaw_decode(codes)) * 32768
    assert np.all((theirs == codes) | (step <= 1024))
    assert np.mean(theirs == codes) > 0.98


def test_the_codec_used_is_said() -> None:
    x = load_audio(AUDIO / "bad.flac").samples[: 16_000 * 4]
    line = render(x, 16_000, LineSettings(codecs=("no_such_codec",)))
    assert line.codec is None and "mu-law only" in line.codec_note
    assert line.chain[:3] == ("telephone band 300-3400 Hz", "8 kHz", "G.711 mu-law")
    if "libopencore_amrnb" not in available_codecs():
        pytest.skip("this FFmpeg has no AMR-NB encoder")
    amr = render(x, 16_000)
    assert amr.codec == "AMR-NB 12.2 kbit/s" and amr.codec in amr.chain
    # Aligned back to the input's time: the codec's delay is removed.
    ref = render(x, 16_000, MULAW_ONLY).samples.astype(np.float64)

    def alike(lag: int) -> float:
        a, b = amr.samples[1000 + lag : 20_000 + lag].astype(np.float64), ref[1000:20_000]
        return float(np.dot(a, b) / np.sqrt(np.dot(a, a) * np.dot(b, b)))

    assert alike(0) > 0.85  # speech through AMR-NB still follows the mu-law waveform
    assert all(alike(lag) < alike(0) - 0.3 for lag in (-4, -2, 2, 4))


@pytest.mark.parametrize(
    ("words", "digits"),
    [
        ("555-312-4477", "5553124477"),
        ("five five five, three one two, four four seven seven.", "5553124477"),
        ("oh two double seven", "0277"),
        ("eight twenty one forty", "82140"),
        ("call me at 5 .5 .5 .3", "5553"),
        ("nineteen hundred", "1900"),
    ],
)
def test_digits_of_spoken_and_written_numbers(words: str, digits: str) -> None:
    assert digits_of(words.split()) == digits


def timed(text: str, start_s: float = 0.0, step_s: float = 0.4) -> list[Word]:
    return [
        Word(t, round(start_s + i * step_s, 2), round(start_s + i * step_s + 0.3, 2), 0.9)
        for i, t in enumerate(text.split())
    ]


SAID = (
    "Hi Dana, this is Sam Rivera from Northwind Finance. We help finance teams close their books "
    "two days faster. Call me at five five five, three one two, four four seven seven."
)


def said_report(profile: Profile, text: str = SAID) -> r.Report:
    words = timed(text)
    model = r.ModelInfo("tiny.en", "int8", "x", None)
    source = r.Source(duration_s=words[-1].end_s + 0.5)
    return build_report(words, profile, "standard", source, model, None, 16_000, ())


def line_of(text: str) -> r.PhoneLine:
    words = tuple(r.ReportWord(w.text, w.start_s, w.end_s, w.probability) for w in timed(text))
    return r.PhoneLine("AMR-NB 12.2 kbit/s", ("x",), words, (), 0.1, 1.0)


def test_what_survived_the_line_passes(profile: Profile) -> None:
    report = said_report(profile)
    assert applies(report, profile)
    done = judge(report, line_of(SAID.replace("Finance", "finance")), profile)
    check = done.check("phone_line")
    assert check.status == "pass", check.message
    assert check.message == (
        "Heard as said on the phone line: your name, your company and your number (3 of 3)."
    )
    kinds = {i.kind: i for i in done.phone_line.items}  # type: ignore[union-attr]
    assert set(kinds) == {"name", "company", "number"}
    assert kinds["name"].said == "Sam Rivera" and kinds["company"].said == "Northwind Finance"
    assert kinds["number"].said == "555 312 4477" and kinds["number"].survived
    assert done.score == pytest.approx(done.score)  # scored with the check
    assert any(
        e.text.startswith("555 312 4477 / on the line: 555 312 4477") for e in check.evidence
    )


def test_a_blurred_number_fails_with_its_digits_and_the_advice(profile: Profile) -> None:
    report = said_report(profile)
    heard = SAID.replace("three one two, four four seven seven", "three nine, four seven")
    done = judge(report, line_of(heard), profile)
    check = done.check("phone_line")
    assert check.status == "fail"
    number = next(i for i in done.phone_line.items if i.kind == "number")  # type: ignore[union-attr]
    assert number.heard == "555 3947" and not number.survived
    assert number.lost == ("124 heard as 9", "7 missing") and number.share == 0.6
    assert "group it 3-3-4" in check.message.lower() and "twice" in check.message
    assert done.score is not None and report.score is not None and done.score < report.score + 1
    one_digit = SAID.replace("seven seven.", "seven one.")
    warned = judge(report, line_of(one_digit), profile).check("phone_line")
    assert warned.status == "warn"  # 9 of 10 digits
    assert warned.message == (
        'Your number blurred on the phone line: "555 312 4477" came through as "555 312 4471" '
        "(7 heard as 1). Group it 3-3-4, say it twice, slower."
    )


def test_a_blurred_name_warns(profile: Profile) -> None:
    report = said_report(profile)
    done = judge(report, line_of(SAID.replace("Sam Rivera", "some river")), profile)
    check = done.check("phone_line")
    assert check.status == "warn"
    assert check.message.startswith('Your name blurred on the phone line: "Sam Rivera"')
    name = next(i for i in done.phone_line.items if i.kind == "name")  # type: ignore[union-attr]
    assert name.lost == ("Sam", "Rivera") or name.lost == ("Sam",)


def test_not_checked_for_a_script_or_when_off(profile: Profile) -> None:
    from voicemail_coach.analysis.pipeline import analyze_script

    script = analyze_script(SAID, profile)
    assert not applies(script, profile)
    assert judge(script, line_of(SAID), profile) is script
    off = dataclasses.replace(
        profile, phone_line=dataclasses.replace(profile.phone_line, enabled=False)
    )
    report = said_report(off)
    assert judge(report, line_of(SAID), off).phone_line is None
    assert "phone_line" not in {c.id for c in report.checks}


def test_the_report_with_the_line_round_trips_through_json(profile: Profile) -> None:
    done = judge(said_report(profile), line_of(SAID), profile)
    assert "Phone line: x; transcribed again in 1.0 s" in render_text(done)
    assert r.Report.from_json(done.to_json()) == done
    old = done.to_dict()
    del old["phone_line"]
    assert r.Report.from_dict(old).phone_line is None


def test_an_old_profile_gets_the_phone_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = tomllib.loads(default_profile_path().read_text(encoding="utf-8"))
    del data["phone_line"]
    del data["checks"]["phone_line"]
    profile = parse_profile(data, "old.toml")
    assert profile.phone_line is not None and profile.phone_line.high_hz == 3400
    assert "phone_line" in profile.checks


def test_the_profile_sets_every_rendering_setting() -> None:
    """Each of LineSettings' fields comes from the profile's [phone_line] key of that name."""
    data = tomllib.loads(default_profile_path().read_text(encoding="utf-8"))
    data["phone_line"].update(
        low_hz=250, high_hz=3000, edge_hz=80, level_dbfs=-18, peak_dbfs=-2, max_gain_db=12,
        gate_db=35, codecs=["g723_1"], codec_bitrate_bps=6300,
    )  # fmt: skip
    line = parse_profile(data, "mine.toml").phone_line
    assert line is not None
    assert line_settings(line) == LineSettings(
        low_hz=250.0, high_hz=3000.0, edge_hz=80.0, level_dbfs=-18.0, peak_dbfs=-2.0,
        max_gain_db=12.0, gate_db=35.0, codecs=("g723_1",), codec_bitrate_bps=6300,
    )  # fmt: skip


def test_cli_phone_line_writes_8_khz_and_names_the_chain(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "line.wav"
    assert main(["phone-line", str(AUDIO / "bad.flac"), "-o", str(out)]) == 0
    info = soundfile.info(str(out))
    assert info.samplerate == 8000 and info.channels == 1
    assert info.duration == pytest.approx(23.17, abs=0.05)
    text = capsys.readouterr().out
    assert "G.711 mu-law" in text and "telephone band 300-3400 Hz" in text
    assert main(["phone-line", str(tmp_path / "missing.wav"), "-o", str(out)]) == 2


@pytest.fixture(scope="module")
def on_the_line(analyzed, transcriber, profile):  # type: ignore[no-untyped-def]
    """Reports with the phone-line check, per file, computed once."""
    from voicemail_coach.analysis.phone_line import check_line

    cache: dict[str, r.Report] = {}

    def get(path):  # type: ignore[no-untyped-def]
        if str(path) not in cache:
            audio = load_audio(path)
            cache[str(path)] = check_line(
                analyzed(path), audio.samples, audio.sample_rate, transcriber, profile
            )
        return cache[str(path)]

    return get


def best_number_share(report: r.Report) -> float:
    assert report.phone_line is not None
    shares = [i.share for i in report.phone_line.items if i.kind == "number"]
    return max(shares, default=0.0)


@pytest.mark.model
def test_a_clear_number_survives_the_line_and_a_rushed_one_does_not(on_the_line) -> None:  # type: ignore[no-untyped-def]
    slow = on_the_line(AUDIO / "number_slow.flac")
    rushed = on_the_line(AUDIO / "number_rushed.flac")
    assert slow.phone_line is not None and slow.phone_line.transcribe_s > 0
    # Measured (AVX2 / generic kernels): the slow number's best reading 10/10 digits on the
    # line (both), the rushed one 5/10 and 6/10 (its own transcript caught only "124477"). On
    # an AMD EPYC's generic kernels: slow 0.82 ("55531244711"), rushed 0.55.
    assert best_number_share(slow) >= 0.8
    assert best_number_share(rushed) <= 0.7
    assert best_number_share(slow) - best_number_share(rushed) >= 0.25
    slow_check, rushed_check = slow.check("phone_line"), rushed.check("phone_line")
    # On AMD's AVX2 kernels the slow number came through whole in one run and with a digit
    # missing ("555312447") in another of the same build: the check then rightly says so.
    if best_number_share(slow) == 1.0:
        assert not slow_check.message.startswith("Your number")
    else:
        assert "came through as" in slow_check.message and "555 312 4477" in slow_check.message
    assert rushed_check.status in ("warn", "fail") and "number" in rushed_check.message
    assert "3-3-4" in rushed_check.message
    number = next(i for i in slow.phone_line.items if i.kind == "number")
    assert number.said == "555 312 4477"
    name = next(i for i in slow.phone_line.items if i.kind == "name")
    assert name.said == "Sam Rivera"


@pytest.mark.model
def test_the_real_sales_voicemail_keeps_its_number_on_the_line(on_the_line) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import real_audio

    report = on_the_line(real_audio("sales_voicemail_busyline.mp3"))
    assert report.phone_line is not None
    number = next(i for i in report.phone_line.items if i.kind == "number")
    assert number.said == "859 473 4272"
    assert number.share >= 0.9  # measured 10/10 digits heard on the line


@pytest.mark.model
def test_the_app_adds_the_check_after_the_feedback_and_plays_the_line(  # type: ignore[no-untyped-def]
    qtbot, holder, tmp_path, monkeypatch
) -> None:
    from tests import fakes
    from voicemail_coach.app.controller import Controller
    from voicemail_coach.app.main_window import MainWindow
    from voicemail_coach.app.settings import Settings

    monkeypatch.setenv("VOICEMAIL_COACH_DATA_DIR", str(tmp_path / "data"))
    controller = Controller(Settings(greeting=False), None, fakes.FakeOutputStream())
    controller.models = holder
    window = MainWindow(controller)
    qtbot.addWidget(window)
    window.show()
    try:
        order: list[str] = []
        controller.feedback_ready.connect(lambda _f: order.append("feedback"))
        controller.phone_line_ready.connect(lambda _f: order.append("phone line"))
        with qtbot.waitSignal(controller.feedback_ready, timeout=120_000) as first:
            controller.analyze(AUDIO / "number_slow.flac")
        assert "phone_line" not in {c.id for c in first.args[0].report.checks}
        combo = window.review.player.source
        qtbot.waitUntil(combo.isEnabled, timeout=30_000)
        assert controller.line_samples is not None
        assert len(controller.line_samples) == pytest.approx(len(first.args[0].samples), abs=2)
        combo.setCurrentIndex(1)  # "As they'll hear it"
        assert controller.hear_line
        player = controller.player
        assert player is not None and np.array_equal(player._samples, controller.line_samples)
        combo.setCurrentIndex(0)
        assert not controller.hear_line and np.array_equal(player._samples, first.args[0].samples)
        with qtbot.waitSignal(controller.phone_line_ready, timeout=120_000) as done:
            pass
        report = done.args[0].report
        assert order == ["feedback", "phone line"]
        assert report.phone_line is not None and report.check("phone_line") is not None
        assert "phone_line" in {row.check.id for row in window.review.scorecard.rows}
        assert f"score {report.score}" in window.review.title.text()
        library = controller.library
        assert library is not None and done.args[0].attempt is not None
        stored = library.latest_report(done.args[0].attempt.id)
        assert stored is not None and stored.report.phone_line is not None
    finally:
        window.close()


def test_a_number_only_the_line_caught_is_unclear(profile: Profile) -> None:
    mumbled = SAID.replace("five five five, three one two,", "find fun for one two")
    report = said_report(profile, mumbled)
    assert not report.phone_numbers  # 6 digits: no phone number in the take's own transcript
    done = judge(report, line_of(SAID), profile)
    number = next(i for i in done.phone_line.items if i.kind == "number")  # type: ignore[union-attr]
    assert number.line_only and number.said == "124477" and number.heard == "555 312 4477"
    check = done.check("phone_line")
    assert check.status == "fail"
    assert check.message.startswith('Your number was hard to make out: the recording gave "124477"')


@pytest.mark.parametrize(
    ("words", "digits"),
    [
        ("forty-four seventy-seven", "4477"),
        ("five hundred fifty five, three hundred twelve", "555312"),
        ("500 -55 -300 -12", "555312"),
        ("four thousand four hundred seventy seven", "4477"),
        ("4000 400 77", "4477"),
        ("555 -312 -4477.", "5553124477"),
        ("555-0134", "5550134"),
    ],
)
def test_digits_of_numbers_read_as_amounts(words: str, digits: str) -> None:
    assert digits_of(words.split()) == digits


@pytest.mark.model
def test_analyze_again_judges_the_stored_line_words(on_the_line, profile) -> None:  # type: ignore[no-untyped-def]
    from voicemail_coach.analysis.pipeline import reanalyze_audio

    first = on_the_line(AUDIO / "number_slow.flac")
    stored = r.Report.from_json(first.to_json())
    again = reanalyze_audio(stored, load_audio(AUDIO / "number_slow.flac"), profile)
    assert again.phone_line is not None
    assert again.phone_line.words == first.phone_line.words  # not transcribed again
    assert again.check("phone_line") == first.check("phone_line")
    assert again.score == first.score
    off = dataclasses.replace(
        profile, phone_line=dataclasses.replace(profile.phone_line, enabled=False)
    )
    without = reanalyze_audio(stored, load_audio(AUDIO / "number_slow.flac"), off)
    assert without.phone_line is None and "phone_line" not in {c.id for c in without.checks}


def test_their_company_from_the_card_is_checked_too(profile: Profile) -> None:
    from voicemail_coach.analysis.scenarios import ScenarioStore

    card = ScenarioStore().get("agency-missed-intro")  # Chris Adair, Tall Pine Creative
    text = SAID.replace("Hi Dana,", "Hi Chris, I saw Tall Pine Creative's new studio.")
    words = timed(text)
    model = r.ModelInfo("tiny.en", "int8", "x", None)
    source = r.Source(duration_s=words[-1].end_s + 0.5)
    report = build_report(words, profile, "standard", source, model, None, 16_000, (), card)
    heard = text.replace("Tall Pine Creative's", "tall point creative")
    done = judge(report, line_of(heard), profile)
    theirs = next(i for i in done.phone_line.items if i.kind == "prospect_company")  # type: ignore[union-attr]
    assert theirs.said.startswith("Tall Pine") and theirs.lost == ("Pine",)
    check = done.check("phone_line")
    assert check.status == "warn"
    assert check.message.startswith("Their company's name blurred on the phone line")
