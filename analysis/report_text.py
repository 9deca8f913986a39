"""A report as readable text for the terminal (``voicemail-coach analyze``)."""

from __future__ import annotations

from voicemail_coach.analysis.report import Report, Trimmed
from voicemail_coach.analysis.written import written_line

MARK = {"pass": "PASS", "warn": "WARN", "fail": "FAIL", "info": "info"}


def _t(seconds: float | None) -> str:
    return "--" if seconds is None else f"{seconds:5.1f}s"


def _trimmed_lines(t: Trimmed) -> list[str]:
    lines = [
        f"Trimmed: {t.summary} in the file (confidence {t.confidence:.2f}); every time below "
        "counts from the message's start"
    ]
    if t.person_line:
        lines.append(f"Right person? {t.person_line}")
    if t.greeting_text:
        lines.append(f'  Greeting heard: "{t.greeting_text}"')
    return lines


def render_text(report: Report) -> str:
    """A readable report for the terminal."""
    src = report.source.path or "written script"
    score = "no score" if report.score is None else f"Score {report.score}/100"
    lines = [
        f"Voicemail Coach report: {src}",
        f"Length {report.source.duration_s:.1f} s   {score}   "
        f"Profile: {report.profile.name} ({report.profile.length_preset})",
    ]
    if report.scenario:
        sc = report.scenario
        lines.append(f"Scenario: {sc.label} ({sc.industry}); trigger: {sc.trigger_detail}")
    if report.model:
        lines.append(f"Model: {report.model.name} ({report.model.compute_type})")
    else:
        lines.append("Times are estimated from the text at the profile's script pace.")
    if report.phone_line is not None:
        pl = report.phone_line
        lines.append(
            f"Phone line: {' -> '.join(pl.chain)}; transcribed again in {pl.transcribe_s:.1f} s"
        )
    if report.trimmed is not None:
        lines += _trimmed_lines(report.trimmed)
    lines += [f"Note: {w}" for w in report.warnings]
    if not report.is_message:
        heard = report.transcript.text or "(no words)"
        lines += [
            "",
            f"No voicemail message: {report.no_message_reason}",
            "",
            "Heard",
            f"  {heard}",
        ]
        return "\n".join(lines)
    lines += ["", "Structure"]
    for label, moment in (
        ("Introduction", report.intro),
        ("Value proposition", report.value_proposition),
        ("Call to action", report.call_to_action),
        ("Opt-out", report.opt_out),
    ):
        if moment.found:
            kind = f" [{moment.kind}]" if moment.kind else ""
            lines.append(f'  {label:18} at {_t(moment.start_s)}{kind}: "{moment.text}"')
        else:
            lines.append(f"  {label:18} not found")
        if moment.why:
            lines.append(f"  {'':18}    ({moment.why})")
    lines += ["", "Checks"]
    for c in report.checks:
        lines.append(f"  [{MARK[c.status]}] {c.id:25} {c.message}")
        if c.bands:
            fine = " (fine, not ideal)" if c.status == "pass" and c.zone == "fine" else ""
            lines.append(f"         Zones{fine}: {c.zones_text()}")
        for e in c.evidence[:4]:
            lines.append(f'         {_t(e.start_s)}  "{e.text}"')
        if c.status in ("warn", "fail"):
            lines.append(f"         Why: {c.principle_title}. {c.principle_text}")
    d = report.delivery
    lines += [
        "",
        "Delivery",
        f"  {d.wpm:.0f} wpm over {d.speaking_s:.1f} s of speaking ({d.articulation_wpm:.0f} wpm without pauses)",
        f"  {len(d.fillers)} fillers ({d.fillers_per_minute:.1f}/min)"
        + (
            ": " + ", ".join(f"{f.text} @{f.start_s:.1f}s" for f in d.fillers[:8])
            if d.fillers
            else ""
        ),
    ]
    if d.pitch_sd_semitones is not None:
        lines.append(
            f"  Pitch variety {d.pitch_sd_semitones:.1f} semitones (median {d.pitch_median_hz:.0f} Hz)"
        )
    if d.speech_rms_dbfs is not None:
        lines.append(
            f"  Speech level {d.speech_rms_dbfs:.0f} dBFS, clipping {100 * (d.clipped_fraction or 0):.2f}%"
        )
    written = written_line([w.text for w in report.transcript.words])
    lines += ["", "Transcript", f"  {written or report.transcript.text}"]
    return "\n".join(lines)
