"""Guidance profiles: the numbers, phrase lists and advice the analyzer applies.

A profile is data a coach can edit. This module holds what a profile is (its tables as frozen
dataclasses and the names they may use); ``profile_loader`` reads one from TOML and
``profile_parser`` validates it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1
CHECK_IDS = (
    "length",
    "intro",
    "value_proposition",
    "value_proposition_timing",
    "value_specificity",
    "call_to_action",
    "opt_out",
    "premature_ask",
    "self_praise",
    "pressure",
    "personalization",
    "phone_number",
    "pace",
    "fillers",
    "pauses",
    "monotone",
    "loudness",
    "hesitations",
    "uptalk",
    "rushing",
    "noise",
)
STRUCTURE_CATEGORIES = (
    "intro",
    "value_proposition",
    "opt_out",
    "premature_ask",
    "self_praise",
    "pressure",
    "personalization",
)
CTA_KINDS = ("email", "follow_up", "callback", "other")
# Every table a profile may hold (vocab, principles and rubric hold names of the coach's own).
TABLES = (
    "profile",
    "principles",
    "length_presets",
    "timing",
    "pace",
    "fillers",
    "pauses",
    "pitch",
    "loudness",
    "phone",
    "structure",
    "checks",
    "hesitations",
    "intonation",
    "rushing",
    "quality",
    "sentences",
    "rubric",
    "scenario",
    "live",
    "content",
    "no_message",
    "phone_line",
    "vocab",
)
META_KEYS = ("schema_version", "name", "description", "default_length_preset", "extends")
# Checks made only when a take is analyzed against a scenario card (voicemail_coach.analysis.personalization).
SCENARIO_CHECK_IDS = (
    "scenario_name",
    "scenario_company_or_industry",
    "scenario_trigger",
    "scenario_relevance",
)
# Checks added to a report after the others, when their extra work is done: the phone line
# (voicemail_coach.analysis.phone_line). Every profile has their advice.
LINE_CHECK_IDS = ("phone_line",)
# The advice each check needs, one message per outcome it can report.
CHECK_MESSAGES = {
    "length": ("pass", "pass_short", "pass_long", "warn_short", "warn_long", "fail"),
    "intro": ("pass", "warn", "fail"),
    "value_proposition": ("pass", "fail"),
    "value_proposition_timing": ("pass", "warn", "fail", "missing"),
    "value_specificity": ("pass", "warn", "none"),
    "call_to_action": ("pass", "warn", "fail"),
    "opt_out": ("pass", "warn"),
    "premature_ask": ("pass", "warn", "fail"),
    "self_praise": ("pass", "warn", "fail"),
    "pressure": ("pass", "fail"),
    "personalization": ("pass", "warn"),
    "phone_number": ("pass", "warn_once", "warn_fast", "none"),
    "pace": ("pass", "pass_brisk", "pass_steady", "warn_fast", "warn_slow", "script"),
    "fillers": ("pass", "pass_few", "warn", "fail"),
    "pauses": ("pass", "warn", "warn_start", "script"),
    "monotone": ("pass", "warn", "none", "script"),
    "loudness": ("pass", "warn_quiet", "warn_clipping", "script"),
    "scenario_name": ("pass", "warn"),
    "scenario_company_or_industry": ("pass", "warn"),
    "scenario_trigger": ("pass", "fail"),
    "scenario_relevance": ("pass", "warn", "missing"),
    "hesitations": ("pass", "pass_few", "warn", "none", "script"),
    "uptalk": ("pass", "pass_few", "warn", "none", "script"),
    "rushing": ("pass", "warn", "warn_end", "none", "script"),
    "noise": ("pass", "pass_phone", "warn", "fail", "none", "script"),
    "phone_line": (
        "pass",
        "warn_number",
        "fail_number",
        "unclear_number",
        "warn_name",
        "warn_company",
        "warn_prospect_company",
        "none",
    ),
}
# Example values for every placeholder a message may use; a message is test-formatted on load.
PLACEHOLDERS: dict[str, Any] = {
    "value": 1.0,
    "target": "x",
    "text": "x",
    "kind": "x",
    "count": 1,
    "digit_rate": 1.0,
    "word_rate": 1.0,
    "clipped_pct": 1.0,
    "name": "x",
    "company": "x",
    "industry": "x",
    "trigger": "x",
    "ratio": 1.0,
    "limit": 1.0,
    "noise_dbfs": 1.0,
    "said": "x",
    "heard": "x",
    "lost": "x",
}


class ProfileError(Exception):
    """A profile that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Principle:
    title: str
    text: str


@dataclass(frozen=True)
class LengthPreset:
    id: str
    label: str
    source: str
    target_min_s: float
    target_max_s: float
    warn_under_s: float
    warn_over_s: float
    fail_over_s: float


@dataclass(frozen=True)
class Timing:
    intro_within_s: float
    value_proposition_within_s: float
    value_proposition_fail_after_s: float


@dataclass(frozen=True)
class Pace:
    target_min_wpm: float
    target_max_wpm: float
    warn_under_wpm: float
    warn_over_wpm: float
    script_wpm: float
    articulation_pause_s: float


@dataclass(frozen=True)
class Fillers:
    warn_per_minute: float
    fail_per_minute: float
    warn_share: float
    words: tuple[str, ...]
    phrases: tuple[str, ...]
    contextual: tuple[str, ...]
    burst_count: int
    burst_window_s: float


@dataclass(frozen=True)
class Pauses:
    min_pause_s: float
    long_pause_s: float
    dead_air_start_s: float
    dead_air_end_s: float


@dataclass(frozen=True)
class Pitch:
    monotone_sd_semitones: float
    window_s: float
    min_voiced_s: float
    floor_hz: float
    ceiling_hz: float


@dataclass(frozen=True)
class Loudness:
    quiet_dbfs: float
    clipping_fraction: float


@dataclass(frozen=True)
class Hesitations:
    """Filled pauses the transcript left out: a sustained, flat, low-pitched voiced stretch."""

    min_s: float
    min_gap_s: float
    flat_range_semitones: float
    max_above_median_semitones: float
    word_start_slack_s: float
    syllable_s: float
    filler_margin_s: float
    warn_count: int


@dataclass(frozen=True)
class Intonation:
    """Rising ends of statements (uptalk): the last voiced stretch against the lowest point before it."""

    end_window_s: float
    lookback_s: float
    rise_semitones: float
    max_rise_semitones: float
    min_end_pause_s: float
    min_end_voiced_s: float
    warn_count: int
    question_within_words: int
    question_starts: tuple[str, ...]


@dataclass(frozen=True)
class Rushing:
    """Speeding up at the end of a sentence or of the whole message (syllables per second)."""

    sentence_tail_s: float
    min_sentence_s: float
    sentence_ratio: float
    message_tail_s: float
    min_message_s: float
    message_ratio: float
    gap_s: float


@dataclass(frozen=True)
class Quality:
    """Recording quality: background noise measured in the pauses, and telephone-band audio."""

    warn_snr_db: float
    fail_snr_db: float
    max_snr_db: float
    pause_edge_s: float
    telephone_band_drop_db: float


@dataclass(frozen=True)
class NoMessage:
    """When a take is no voicemail message at all (see ``voicemail_coach.analysis.no_message``)."""

    min_words: int
    min_word_probability: float
    silent_no_speech_prob: float
    silent_neg_avg_logprob: float
    silence_dbfs: float
    min_sound_s: float
    min_voiced_share: float
    min_steady_pitch_share: float
    steady_step_semitones: float
    min_median_word_probability: float
    greeting_min_matches: int
    greeting_share: float
    greeting_max_other_words: int
    greeting_patterns: tuple[re.Pattern[str], ...]
    reasons: Mapping[str, str]


NO_MESSAGE_REASONS = (
    "silence",
    "noise",
    "tones_or_music",
    "few_words",
    "other_language",
    "greeting",
)


@dataclass(frozen=True)
class Phone:
    not_after: tuple[str, ...]
    max_digit_pace_ratio: float
    min_repeats: int
    min_digits: int


@dataclass(frozen=True)
class PhoneLineGuidance:
    """The phone-line check (``[phone_line]``): how the line is rendered (see
    ``voicemail_coach.audio.phone_line.LineSettings``), how a caller's name and company are
    found in the introduction (the words after a lead phrase, capitalised), and how much of
    them must be heard again on the line."""

    enabled: bool
    low_hz: float
    high_hz: float
    edge_hz: float
    level_dbfs: float
    peak_dbfs: float
    max_gain_db: float
    gate_db: float
    codecs: tuple[str, ...]
    codec_bitrate_bps: int
    time_slack_s: float
    word_similarity: float
    min_part_letters: int
    name_leads: tuple[str, ...]
    company_leads: tuple[str, ...]
    not_names: tuple[str, ...]
    max_name_words: int
    max_company_words: int
    number_warn_pct: float
    words_warn_pct: float
    name_label: str
    company_label: str
    prospect_company_label: str
    number_label: str


@dataclass(frozen=True)
class Sentences:
    """Where a transcript's sentences end (see ``voicemail_coach.analysis.word_filter.join_split_phrases``)."""

    join_gap_s: float
    joins_next: tuple[str, ...]


CONTENT_CATEGORIES = (
    "intro",
    "value_proposition",
    "call_to_action",
    "opt_out",
    "premature_ask",
    "self_praise",
    "pressure",
    "personalization",
)


@dataclass(frozen=True)
class Content:
    """How sentences are read for meaning (see ``voicemail_coach.analysis.meaning``) beside the phrase rules.

    ``counts`` / ``not_counts`` hold a coach's example sentences per category: a sentence at
    least ``example_similarity`` alike to one of them is decided by the closest example.
    ``lacks`` says, per category, what a sentence that came close was missing.
    """

    use_model: bool = True
    example_similarity: float = 0.8
    clause_words: tuple[str, ...] = ()
    clause_lead_words: tuple[str, ...] = ()
    condition_words: tuple[str, ...] = ()
    min_clause_words: int = 3
    run_on_words: int = 0
    min_part_words: int = 5
    part_categories: tuple[str, ...] = CONTENT_CATEGORIES
    # A run-on sentence counts as these only when one of its parts reads as one too.
    part_support: tuple[str, ...] = ()
    pair_categories: tuple[str, ...] = ()
    pair_floor: float = 0.2
    rules_decide: tuple[str, ...] = ()
    # Sentences that name the listener ("Hi Taylor, this is ...", "thank you ms ramirez"):
    # personalization whatever the model reads (the corpus labels every one so); empty: the
    # model weighs such a rule's match as any other.
    listener_named: tuple[re.Pattern[str], ...] = ()
    lacks: Mapping[str, str] = field(default_factory=dict)
    counts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    not_counts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Live:
    """Cues shown while recording (see ``voicemail_coach.analysis.live_cues``)."""

    pace_window_s: float = 10.0
    nudge_before_s: float = 5.0
    nudge_text: str = "Time for your call to action"


@dataclass(frozen=True)
class RubricCriterion:
    """One line of the coach's rubric: scored by hand on a whole-number scale."""

    id: str
    name: str
    description: str
    scale_min: int
    scale_max: int


@dataclass(frozen=True)
class ScenarioGuidance:
    """How a message is matched against a scenario card (the ``[scenario]`` table)."""

    name_similarity: float
    relevance_cares_about_words: int
    relevance_value_angle_words: int
    ignore_words: tuple[str, ...]
    company_generic: tuple[str, ...]
    triggers: Mapping[str, tuple[re.Pattern[str], ...]]


_QUICK_FLAGS = re.IGNORECASE | re.UNICODE


@dataclass(frozen=True)
class Matcher:
    """Finds a category's phrases and patterns in a sentence (lower-cased matching)."""

    regexes: tuple[re.Pattern[str], ...]
    # One search over the patterns without groups (most of them): when it finds nothing, none of
    # them can match and only the others are run (a sentence matches few categories).
    _any: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _rest: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        plain = [rx for rx in self.regexes if rx.groups == 0 and rx.flags == _QUICK_FLAGS]
        quick = None
        if len(plain) > 1:
            try:
                quick = re.compile("|".join(f"(?:{rx.pattern})" for rx in plain), _QUICK_FLAGS)
            except re.error:  # e.g. a pattern with a global inline flag: no shortcut
                quick = None
        object.__setattr__(self, "_any", quick)
        covered = set(map(id, plain)) if quick is not None else set()
        object.__setattr__(self, "_rest", tuple(r for r in self.regexes if id(r) not in covered))

    def find(self, text: str) -> list[tuple[int, int]]:
        """Character spans of every match in ``text``, in order, overlaps merged."""
        regexes = self.regexes
        if self._any is not None and self._any.search(text) is None:
            regexes = self._rest
        spans = sorted(
            (m.start(m.lastindex or 0), m.end(m.lastindex or 0))
            for rx in regexes
            for m in rx.finditer(text)
            if m.end() > m.start()
        )
        merged: list[tuple[int, int]] = []
        for s, e in spans:
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
            else:
                merged.append((s, e))
        return merged


@dataclass(frozen=True)
class CheckSpec:
    weight: float
    principle: str
    messages: Mapping[str, str]

    def message(self, variant: str, **values: Any) -> str:
        return self.messages[variant].format(**values)


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    path: str
    default_length_preset: str
    principles: Mapping[str, Principle]
    length_presets: tuple[LengthPreset, ...]
    timing: Timing
    pace: Pace
    fillers: Fillers
    pauses: Pauses
    pitch: Pitch
    loudness: Loudness
    phone: Phone
    structure: Mapping[str, Matcher]
    cta: Mapping[str, Matcher]
    checks: Mapping[str, CheckSpec]
    hesitations: Hesitations
    intonation: Intonation
    rushing: Rushing
    quality: Quality
    sentences: Sentences
    filler_matcher: Matcher = field(repr=False)
    no_message: NoMessage = field(repr=False)
    rubric: tuple[RubricCriterion, ...] = ()
    scenario: ScenarioGuidance | None = None
    live: Live = Live()
    content: Content = Content()
    phone_line: PhoneLineGuidance | None = None

    def length_preset(self, preset_id: str | None = None) -> LengthPreset:
        wanted = preset_id or self.default_length_preset
        for preset in self.length_presets:
            if preset.id == wanted:
                return preset
        names = ", ".join(p.id for p in self.length_presets)
        raise ProfileError(f"{self.path}: no length preset '{wanted}' (choose from {names})")
