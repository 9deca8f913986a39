"""The whole analysis: audio (or a written script) in, a Report out."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from voicemail_coach.analysis import phone_line
from voicemail_coach.analysis import report as r
from voicemail_coach.analysis.acoustics import Acoustics, measure_acoustics, snap_to_speech
from voicemail_coach.analysis.checks import run_checks, score
from voicemail_coach.analysis.clauses import past_lead_words
from voicemail_coach.analysis.delivery import analyze_delivery, content_start
from voicemail_coach.analysis.findings import Finding as StructFinding
from voicemail_coach.analysis.findings import Structure
from voicemail_coach.analysis.no_message import screen
from voicemail_coach.analysis.personalization import scenario_checks
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.right_person import judge
from voicemail_coach.analysis.scenarios import Scenario
from voicemail_coach.analysis.structure import analyze_structure
from voicemail_coach.analysis.transcribe import (
    ProgressFn,
    SegmentStats,
    Transcriber,
    TranscriptionResult,
)
from voicemail_coach.analysis.transcript import Sentence, Word, split_sentences, words_from_text
from voicemail_coach.analysis.word_filter import join_split_phrases
from voicemail_coach.audio.io import Audio, load_audio
from voicemail_coach.audio.tones import find_message_start

MAX_SCRIPT_CHARS = 20_000
LOW_CONFIDENCE = 0.5


class ScriptError(Exception):
    """A written script that cannot be analyzed."""


def analyze_file(
    path: str | Path,
    transcriber: Transcriber,
    profile: Profile,
    length_preset: str | None = None,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    scenario: Scenario | None = None,
    trim: bool = True,
) -> r.Report:
    return analyze_audio(
        load_audio(path), transcriber, profile, length_preset, progress, cancel, scenario,
        trim=trim,
    )  # fmt: skip


def cut_greeting(
    audio: Audio,
    transcriber: Transcriber | None,
    scenario: Scenario | None,
    cancel: threading.Event | None = None,
) -> tuple[Audio, r.Trimmed | None]:
    """The message alone, when a recording of a real call holds ringing, a greeting and the
    voicemail beep before it (found in the audio: `audio.tones.find_message_start`), and what
    was cut, the greeting transcribed by ``transcriber`` (None: not transcribed) to tell whom it
    named. Nothing found: ``audio`` as it is and None."""
    found = find_message_start(audio.samples, audio.sample_rate)
    if not found.trimmed or found.beep is None or found.beep_hz is None:
        return audio, None
    cut = round(found.start_s * audio.sample_rate)
    message = dataclasses.replace(audio, samples=audio.samples[cut:])
    text = ""
    if transcriber is not None and found.greeting is not None:
        a, b = (round(t * audio.sample_rate) for t in found.greeting)
        heard = transcriber.transcribe(audio.samples[a:b], None, cancel)
        text = " ".join(w.text.strip() for w in heard.words)
    trimmed = r.Trimmed(
        start_s=0.0,
        end_s=found.start_s,
        confidence=found.confidence,
        beep_start_s=found.beep[0],
        beep_hz=found.beep_hz,
        greeting_start_s=found.greeting[0] if found.greeting else None,
        greeting_end_s=found.greeting[1] if found.greeting else None,
        ring_start_s=found.ring[0] if found.ring else None,
        ring_end_s=found.ring[1] if found.ring else None,
        greeting_text=text,
    )
    return message, judge_person(trimmed, scenario)


def judge_person(trimmed: r.Trimmed, scenario: Scenario | None) -> r.Trimmed:
    """Whom the greeting named, against ``scenario``'s prospect (judged again for another card)."""
    if not trimmed.greeting_text:
        return dataclasses.replace(trimmed, person=None, person_named=None, expected=None)
    prospect = scenario.prospect if scenario else None
    person, name = judge(trimmed.greeting_text, prospect, scenario.company if scenario else None)
    return dataclasses.replace(trimmed, person=person, person_named=name, expected=prospect)


def lead_samples(
    samples: npt.NDArray[np.float32], rate: int, report: r.Report
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """A whole recording split into what was trimmed before the message and the message."""
    if report.trimmed is None:
        return samples[:0], samples
    cut = round(report.trimmed.end_s * rate)
    return samples[:cut], samples[cut:]


def analyze_audio(
    audio: Audio,
    transcriber: Transcriber,
    profile: Profile,
    length_preset: str | None = None,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    scenario: Scenario | None = None,
    transcribed: TranscriptionResult | None = None,
    acoustics: Acoustics | None = None,
    trim: bool = False,
    trimmed: r.Trimmed | None = None,
) -> r.Report:
    """``transcribed``: the words already found (while recording); transcribed here if None.
    ``acoustics``: the audio's levels and pitch when already measured (they need no words).
    ``trim``: cut ringing, a greeting and the beep before the message first (`cut_greeting`;
    not with ``transcribed``); ``trimmed``: what the caller cut already (``audio`` is then the
    message). The report's times are on the message's clock; ``Report.trimmed`` says where it
    starts in the file."""
    preset = profile.length_preset(length_preset)
    if trim and transcribed is None and trimmed is None:
        audio, trimmed = cut_greeting(audio, transcriber, scenario, cancel)
    result = transcribed or transcriber.transcribe(audio.samples, progress, cancel)
    model = r.ModelInfo(
        name=transcriber.name,
        compute_type=transcriber.compute_type,
        path=str(transcriber.spec.path),
        initial_prompt=result.prompt_used,
    )
    source = r.Source(
        duration_s=round(audio.duration_s, 2), path=audio.source_path, truncated=audio.truncated
    )
    report = build_report(
        result.words,
        profile,
        preset.id,
        source,
        model,
        audio.samples,
        audio.sample_rate,
        _warnings(audio.truncated, result.words),
        scenario,
        result.segments,
        acoustics,
    )
    return dataclasses.replace(report, trimmed=trimmed)


def reanalyze_audio(
    stored: r.Report,
    audio: Audio,
    profile: Profile,
    length_preset: str | None = None,
    scenario: Scenario | None = None,
) -> r.Report:
    """Analyze a take again with another profile or preset, keeping its stored transcript.

    Nothing is transcribed: the words and the model that found them come from ``stored``, so
    every change from ``stored`` is the profile's (or the card's) doing. The acoustic measures
    are not stored; they are measured again from ``audio``, which is deterministic. The stored
    words were already moved out of silences and joined where Whisper split a phrase; both
    steps leave such words as they are, so the same profile gives the same report again.
    The decoder's segment figures stored with the transcript screen it for a message as the
    first analysis did (a report saved before they were kept has none: see
    ``voicemail_coach.app.controller.retranscription_reason``).
    Raises ValueError for a report of a written script (it has no model and no audio)."""
    if stored.model is None:
        raise ValueError("a written script's report has no recording to analyze again")
    preset = profile.length_preset(length_preset)
    if stored.trimmed is not None:  # the stored words are on the message's clock
        audio = dataclasses.replace(
            audio, samples=lead_samples(audio.samples, audio.sample_rate, stored)[1]
        )
    words = tuple(Word(w.text, w.start_s, w.end_s, w.probability) for w in stored.transcript.words)
    segments = tuple(
        SegmentStats(s.start_s, s.end_s, s.no_speech_prob, s.avg_logprob, s.compression_ratio)
        for s in stored.transcript.segments
    )
    report = build_report(
        words,
        profile,
        preset.id,
        stored.source,
        stored.model,
        audio.samples,
        audio.sample_rate,
        _warnings(stored.source.truncated, words),
        scenario,
        segments,
    )
    if stored.trimmed is not None:
        report = dataclasses.replace(report, trimmed=judge_person(stored.trimmed, scenario))
    if stored.phone_line is not None:
        # The words heard on the phone line are stored too: judged again, not transcribed.
        report = phone_line.judge(report, stored.phone_line, profile)
    return report


def _warnings(truncated: bool, words: Sequence[Word]) -> tuple[str, ...]:
    warnings = []
    if truncated:
        warnings.append("The file looks damaged near the end; only the readable part was analyzed.")
    if not words:
        warnings.append("No words were recognised: is this a spoken message?")
    elif np.mean([w.probability for w in words]) < LOW_CONFIDENCE:
        warnings.append(
            "The transcript is uncertain (noisy or unclear audio): check the words before trusting the verdicts."
        )
    return tuple(warnings)


def analyze_script(
    text: str,
    profile: Profile,
    length_preset: str | None = None,
    scenario: Scenario | None = None,
) -> r.Report:
    """Analyze a written script, timing it at the profile's script pace."""
    clean = text.strip()
    if not clean or not any(ch.isalpha() for ch in clean):
        raise ScriptError("the script is empty: write the words you plan to say")
    if len(clean) > MAX_SCRIPT_CHARS:
        raise ScriptError(
            f"the script is {len(clean)} characters; a voicemail script must be under {MAX_SCRIPT_CHARS}"
        )
    preset = profile.length_preset(length_preset)
    words = words_from_text(clean, profile.pace.script_wpm)
    duration = words[-1].end_s if words else 0.0
    source = r.Source(duration_s=round(duration, 2), script=clean)
    return build_report(words, profile, preset.id, source, None, None, 16_000, (), scenario)


def build_report(
    words: Sequence[Word],
    profile: Profile,
    preset_id: str,
    source: r.Source,
    model: r.ModelInfo | None,
    samples: npt.NDArray[np.float32] | None,
    sample_rate: int,
    warnings: tuple[str, ...],
    scenario: Scenario | None = None,
    segments: Sequence[SegmentStats] = (),
    acoustics: Acoustics | None = None,
) -> r.Report:
    """``segments``: what the decoder said of each stretch it transcribed (for recorded audio);
    ``acoustics``: ``samples``' measures if already taken (with the same profile)."""
    verdict = None
    if samples is None:
        acoustics = None
    else:
        # Frame levels and the pitch track, measured once and shared by every delivery detector.
        if acoustics is None:
            acoustics = measure_acoustics(samples, sample_rate, profile)
        verdict = screen(words, segments, acoustics, profile)
        words = snap_to_speech(words, acoustics.levels)
    words = join_split_phrases(words, profile.sentences)
    sentences = split_sentences(words)
    structure = analyze_structure(words, sentences, profile)
    if profile.content.use_model and sentences and not structure.model_used:
        from voicemail_coach.analysis.meaning import load_error

        warnings = (
            *warnings,
            f"The meaning model is unavailable ({load_error()}): the wording was checked by the "
            "profile's phrase rules alone.",
        )
    delivery = analyze_delivery(
        words, sentences, profile, samples, sample_rate, source.duration_s, acoustics
    )
    findings = tuple(
        r.Finding(f.category, f.text, f.start_s, f.end_s, sentences[f.sentence].text, f.why)
        for f in structure.findings
        if f.category in ("premature_ask", "self_praise", "pressure", "personalization")
    )
    phones = tuple(
        r.PhoneNumberSaid(p.text, p.start_s, p.end_s, p.digits, round(p.digits_per_s, 2))
        for p in structure.phone_numbers
    )
    preset = profile.length_preset(preset_id)
    unscored = r.Report(
        schema_version=r.SCHEMA_VERSION,
        source=source,
        model=model,
        profile=r.ProfileInfo(profile.name, profile.path, preset.id),
        transcript=r.Transcript(
            text=" ".join(w.text for w in words),
            words=tuple(r.ReportWord(w.text, w.start_s, w.end_s, w.probability) for w in words),
            segments=tuple(
                r.ReportSegment(
                    s.start_s, s.end_s, s.no_speech_prob, s.avg_logprob, s.compression_ratio
                )
                for s in segments
            ),
        ),
        sentences=_sentences(sentences, structure),
        intro=_moment("intro", structure.first("intro"), structure, sentences, words, profile),
        value_proposition=_moment(
            "value_proposition",
            structure.first("value_proposition"),
            structure,
            sentences,
            words,
            profile,
        ),
        call_to_action=_moment(
            "call_to_action", structure.call_to_action(), structure, sentences, words, profile
        ),
        opt_out=_moment(
            "opt_out", structure.first("opt_out"), structure, sentences, words, profile
        ),
        findings=findings,
        phone_numbers=phones,
        delivery=delivery,
        checks=(),
        score=0,
        warnings=warnings,
    )
    if scenario is not None:
        unscored = dataclasses.replace(unscored, scenario=_scenario_info(scenario))
    if verdict is not None:
        unscored = dataclasses.replace(unscored, screening=verdict.screening)
        if verdict.kind is not None:
            # Not a message: no checks, no score, so it is nobody's baseline.
            return dataclasses.replace(
                unscored,
                score=None,
                no_message_kind=verdict.kind,
                no_message_reason=profile.no_message.reasons[verdict.kind],
            )
    checks = run_checks(unscored, profile)
    if scenario is not None:
        checks += scenario_checks(unscored, profile, scenario)
    return dataclasses.replace(unscored, checks=tuple(checks), score=score(checks))


def _scenario_info(s: Scenario) -> r.ScenarioInfo:
    return r.ScenarioInfo(s.id, s.prospect, s.company, s.industry, s.trigger, s.trigger_detail)


def _sentences(sentences: Sequence[Sentence], structure: Structure) -> tuple[r.ReportSentence, ...]:
    return tuple(
        r.ReportSentence(s.text, s.start_s, s.end_s, labels.labels)
        for s, labels in zip(sentences, structure.sentence_labels, strict=True)
    )


def _moment(
    category: str,
    finding: StructFinding | None,
    structure: Structure,
    sentences: Sequence[Sentence],
    words: Sequence[Word],
    profile: Profile,
) -> r.Moment:
    """The sentence a finding is in, from the clause where the part starts ("I had a question
    about your fleet, so just give me a call back ..." starts at "just"), past the words that
    only join it to what came before ("Again, that's ..." starts at "that's") and at its first
    word that is not a filler ("So, um, we help ..." starts at "we"). Not found: the closest sentence and
    what it lacked."""
    if finding is None:
        near = structure.near_misses.get(category)
        why = f'closest: "{near.text}" - it lacks {near.lacks}' if near and near.lacks else ""
        return r.Moment(found=False, why=why)
    s = sentences[finding.sentence]
    first = finding.clause_word if finding.clause_word is not None else s.first
    first = past_lead_words(first, s.last, words, profile)
    grade = None
    if category == "value_proposition" and structure.grades:
        grade = structure.grades[finding.sentence]
        grade = grade if grade in ("specific", "vague") else "vague"
    return r.Moment(
        found=True,
        text=s.text
        if first == s.first
        else " ".join(w.text.strip() for w in words[first : s.last + 1]),
        start_s=content_start(words[first : s.last + 1], profile.filler_matcher),
        end_s=s.end_s,
        evidence=r.Evidence(finding.text, finding.start_s, finding.end_s),
        kind=finding.kind,
        why=finding.why,
        grade=grade,
    )
