"""The report: plain frozen dataclasses, JSON round-trippable (as text: :mod:`voicemail_coach.analysis.report_text`).

The JSON shape is documented in docs/REPORT_SCHEMA.md; keep the two in step.
"""

from __future__ import annotations

import dataclasses
import json
import types
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin, get_type_hints

from voicemail_coach.analysis.bands import ZONE_ORDER, Band

SCHEMA_VERSION = 1
STATUSES = ("pass", "warn", "fail", "info")


@dataclass(frozen=True)
class Source:
    duration_s: float
    path: str | None = None
    script: str | None = None
    truncated: bool = False


@dataclass(frozen=True)
class ModelInfo:
    name: str
    compute_type: str
    path: str
    initial_prompt: str | None


@dataclass(frozen=True)
class ProfileInfo:
    name: str
    path: str
    length_preset: str


@dataclass(frozen=True)
class ScenarioInfo:
    """The scenario card a take was analyzed against (see voicemail_coach.analysis.scenarios)."""

    id: str
    prospect: str
    company: str
    industry: str
    trigger: str
    trigger_detail: str

    @property
    def label(self) -> str:
        return f"{self.prospect}, {self.company}"


@dataclass(frozen=True)
class Trimmed:
    """What came before the message in a recording of a real call (ringing, the prospect's
    greeting, the voicemail beep), left out of the analysis. Its times are on the file's clock;
    every other time in the report is on the message's clock, which starts at ``end_s``."""

    start_s: float  # where the trimmed part starts (the file's start)
    end_s: float  # where the message starts: the beep's end
    confidence: float  # 0-1: how sure the beep starts a message
    beep_start_s: float
    beep_hz: float
    greeting_start_s: float | None = None
    greeting_end_s: float | None = None
    ring_start_s: float | None = None
    ring_end_s: float | None = None
    greeting_text: str = ""  # the greeting transcribed ("" when it was not)
    # Whom the greeting named: "right" (the card's prospect), "other", "none"; None when there is
    # no greeting transcript to judge.
    person: str | None = None
    person_named: str | None = None  # the name heard, as transcribed
    expected: str | None = None  # the card's prospect (None without a card)

    @property
    def kinds(self) -> str:
        """What was trimmed, without times: "ringing, greeting and beep"."""
        found = [
            name
            for name, start in (("ringing", self.ring_start_s), ("greeting", self.greeting_start_s))
            if start is not None
        ]
        return ", ".join(found) + (" and beep" if found else "beep")

    @property
    def parts(self) -> str:
        """What was trimmed, with its times in the file: "ringing 0.0-2.0 s, greeting 6.0-19.1 s
        and beep"."""
        found = []
        if self.ring_start_s is not None and self.ring_end_s is not None:
            found.append(f"ringing {self.ring_start_s:.1f}-{self.ring_end_s:.1f} s")
        if self.greeting_start_s is not None and self.greeting_end_s is not None:
            found.append(f"greeting {self.greeting_start_s:.1f}-{self.greeting_end_s:.1f} s")
        return ", ".join(found) + (" and beep" if found else "beep")

    @property
    def summary(self) -> str:
        """ "greeting 0.4-19.1 s and beep trimmed; message starts at 20.8 s" (the file's times)."""
        return f"{self.parts} trimmed; message starts at {self.end_s:.1f} s"

    @property
    def person_line(self) -> str | None:
        """ "The greeting named Dana Cole: right person" (None: nothing to judge)."""
        if self.person is None:
            return None
        if self.person == "right":
            expected = self.expected or self.person_named
            heard = self.person_named
            as_heard = f" (heard as \u201c{heard}\u201d)" if heard and heard != expected else ""
            return f"The greeting named {expected}: right person{as_heard}"
        if self.person == "other":
            if self.expected is None:
                return f"The greeting named {self.person_named}"
            return f"The greeting named someone else ({self.person_named}), not {self.expected}"
        return "The greeting named no one"


@dataclass(frozen=True)
class ReportWord:
    text: str
    start_s: float
    end_s: float
    probability: float


@dataclass(frozen=True)
class ReportSegment:
    """What the decoder said of one stretch it transcribed (voicemail_coach.analysis.transcribe.SegmentStats),
    kept so that analysing the take again screens it for a message the same way."""

    start_s: float
    end_s: float
    no_speech_prob: float
    avg_logprob: float
    compression_ratio: float


@dataclass(frozen=True)
class Transcript:
    text: str
    words: tuple[ReportWord, ...]
    segments: tuple[ReportSegment, ...] = ()  # empty for scripts and reports saved before them


@dataclass(frozen=True)
class ReportSentence:
    text: str
    start_s: float
    end_s: float
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Evidence:
    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Moment:
    """Where a part of the message was found: the sentence, and the words that gave it away."""

    found: bool
    text: str = ""
    start_s: float | None = None
    end_s: float | None = None
    evidence: Evidence | None = None
    kind: str | None = None
    # How it was found (the rule, or the model and its closest example); when not found, the
    # sentence that came closest and what it lacked.
    why: str = ""
    grade: str | None = None  # a value proposition's: "specific" or "vague"


@dataclass(frozen=True)
class Finding:
    category: str
    text: str
    start_s: float
    end_s: float
    sentence: str
    why: str = ""


@dataclass(frozen=True)
class PhoneNumberSaid:
    text: str
    start_s: float
    end_s: float
    digits: int
    digits_per_s: float


@dataclass(frozen=True)
class LineItem:
    """One thing the prospect must catch (``kind``: name, company, prospect_company, number),
    as said and as heard on the phone line (``voicemail_coach.analysis.phone_line``).
    ``recovered`` / ``lost``: its words (digits for a number) heard right, and those lost or
    changed; ``share``: the part recovered (0-1)."""

    kind: str
    said: str
    heard: str
    start_s: float
    end_s: float
    recovered: tuple[str, ...]
    lost: tuple[str, ...]
    share: float
    survived: bool
    line_only: bool = (
        False  # a number only the line's transcript found (``said``: the take's digits there)
    )


@dataclass(frozen=True)
class PhoneLine:
    """The take heard through a phone line and a voicemail system: the rendering's chain
    (``codec`` None: mu-law only), the words transcribed from it, what survived, and the
    seconds the rendering and its transcription took."""

    codec: str | None
    chain: tuple[str, ...]
    words: tuple[ReportWord, ...]
    items: tuple[LineItem, ...]
    render_s: float
    transcribe_s: float


@dataclass(frozen=True)
class FillerWord:
    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class FillerBurst:
    count: int
    start_s: float
    end_s: float


@dataclass(frozen=True)
class PauseSpan:
    start_s: float
    end_s: float
    duration_s: float
    kind: str


@dataclass(frozen=True)
class PitchWindow:
    start_s: float
    end_s: float
    sd_semitones: float


@dataclass(frozen=True)
class Hesitation:
    """A possible filled pause the transcript does not show (acoustic evidence only).

    ``kind``: ``gap`` (between words), ``word_start`` (just before a word that Whisper
    stretched back over it) or ``in_word`` (inside a word far longer than its syllables need);
    ``pitch_semitones`` is its pitch against the speaker's median.
    """

    start_s: float
    end_s: float
    kind: str
    pitch_semitones: float


@dataclass(frozen=True)
class SentenceDelivery:
    """How one sentence was said: its pace, whether it sped up, and how its pitch ended."""

    start_s: float
    end_s: float
    syllables_per_s: float
    tail_ratio: float | None
    rushing: bool
    end_rise_semitones: float | None
    uptalk: bool
    question: bool


@dataclass(frozen=True)
class DeliveryReport:
    duration_s: float
    speaking_s: float
    word_count: int
    wpm: float
    articulation_wpm: float
    fillers: tuple[FillerWord, ...]
    filler_bursts: tuple[FillerBurst, ...]
    fillers_per_minute: float
    pauses: tuple[PauseSpan, ...]
    pitch_sd_semitones: float | None
    pitch_median_hz: float | None
    pitch_windows: tuple[PitchWindow, ...]
    speech_rms_dbfs: float | None
    noise_floor_dbfs: float | None
    clipped_fraction: float | None
    hesitations: tuple[Hesitation, ...] = ()
    monotone_stretches: tuple[PitchWindow, ...] = ()
    sentences: tuple[SentenceDelivery, ...] = ()
    end_tail_ratio: float | None = None
    rushing_end: bool = False
    pause_noise_dbfs: float | None = None
    snr_db: float | None = None
    telephone_band: bool | None = None


@dataclass(frozen=True)
class Check:
    """One verdict. ``bands`` (empty for checks that look for something rather than measure it)
    are the figures and zones that decided ``status``: it is the worst of their marks."""

    id: str
    status: str
    value: float | int | str | None
    target: str
    message: str
    principle: str
    principle_title: str
    principle_text: str
    weight: float
    evidence: tuple[Evidence, ...] = ()
    why: str = ""  # what the verdict rests on: the rule or model that found it, or the near miss
    bands: tuple[Band, ...] = ()

    @property
    def zone(self) -> str | None:
        """The worst zone of its bands (``fine`` marks a pass that is acceptable, not ideal)."""
        if not self.bands:
            return None
        return max((b.zone() for b in self.bands), key=ZONE_ORDER.index)

    def zones_text(self) -> str:
        """Every band's zones, named by what they measure when there are several."""
        if len(self.bands) == 1:
            return self.bands[0].describe()
        return "; ".join(f"{b.measure}: {b.describe()}" for b in self.bands)


@dataclass(frozen=True)
class Screening:
    """The figures that decided whether the take is a voicemail message (voicemail_coach.analysis.no_message):
    words that are not fillers, words heard (not fillers, not unsure, not in a segment the decoder called silent), the median
    word probability, seconds of sound above silence, the share of it with a pitch, greeting
    phrases found and the share of heard words in their sentences."""

    words: int
    heard_words: int
    median_word_probability: float | None
    sound_s: float | None
    voiced_share: float | None
    steady_pitch_share: float | None
    greeting_phrases: int
    greeting_word_share: float


@dataclass(frozen=True)
class Report:
    schema_version: int
    source: Source
    model: ModelInfo | None
    profile: ProfileInfo
    transcript: Transcript
    sentences: tuple[ReportSentence, ...]
    intro: Moment
    value_proposition: Moment
    call_to_action: Moment
    opt_out: Moment
    findings: tuple[Finding, ...]
    phone_numbers: tuple[PhoneNumberSaid, ...]
    delivery: DeliveryReport
    checks: tuple[Check, ...]
    score: int | None  # None when the take is no voicemail message (no_message_reason says why)
    warnings: tuple[str, ...] = ()
    scenario: ScenarioInfo | None = None
    no_message_kind: str | None = None
    no_message_reason: str | None = None
    screening: Screening | None = None
    # None: not checked (off in the profile, a written script, or not yet).
    phone_line: PhoneLine | None = None
    # What was cut before the message (None: nothing; the report's times are then the file's).
    trimmed: Trimmed | None = None

    @property
    def is_message(self) -> bool:
        """False when the take is silence, noise, tones, a phone system's prompt, another
        language or almost no words: then it has no checks and no score."""
        return self.no_message_kind is None

    def check(self, check_id: str) -> Check:
        return next(c for c in self.checks if c.id == check_id)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise ValueError(f"report schema_version {version!r}; this app reads {SCHEMA_VERSION}")
        built: Report = _build(cls, data)
        return built

    @classmethod
    def from_json(cls, text: str) -> Report:
        return cls.from_dict(json.loads(text))


def _build(kind: Any, value: Any) -> Any:
    """Rebuild nested frozen dataclasses from their ``asdict`` form."""
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        if value is None:
            return None
        options = [a for a in get_args(kind) if a is not type(None)]
        if len(options) == 1:
            return _build(options[0], value)
        return value
    if origin is tuple:
        (item,) = get_args(kind)[:1]
        return tuple(_build(item, v) for v in value)
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = get_type_hints(kind)
        fields = {f.name for f in dataclasses.fields(kind)}
        return kind(**{k: _build(hints[k], v) for k, v in value.items() if k in fields})
    return value
