"""Guidance profiles: the numbers, phrase lists and advice the analyzer applies, loaded from TOML.

A profile is data a coach can edit. Loading validates every key and reports the first problem
as ``ProfileError`` naming the file and the dotted key, e.g. ``pace.warn_over_wpm``.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar, get_type_hints

SCHEMA_VERSION = 1
CHECK_IDS = (
    "length",
    "intro",
    "value_proposition",
    "value_proposition_timing",
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
# The advice each check needs, one message per outcome it can report.
CHECK_MESSAGES = {
    "length": ("pass", "pass_short", "warn_short", "warn_long", "fail"),
    "intro": ("pass", "warn", "fail"),
    "value_proposition": ("pass", "fail"),
    "value_proposition_timing": ("pass", "warn", "fail", "missing"),
    "call_to_action": ("pass", "warn", "fail"),
    "opt_out": ("pass", "warn"),
    "premature_ask": ("pass", "warn", "fail"),
    "self_praise": ("pass", "warn", "fail"),
    "pressure": ("pass", "fail"),
    "personalization": ("pass", "warn"),
    "phone_number": ("pass", "warn_once", "warn_fast", "none"),
    "pace": ("pass", "pass_brisk", "warn_fast", "warn_slow", "script"),
    "fillers": ("pass", "warn", "fail"),
    "pauses": ("pass", "warn", "warn_start", "script"),
    "monotone": ("pass", "warn", "none", "script"),
    "loudness": ("pass", "warn_quiet", "warn_clipping", "script"),
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
class Phone:
    not_after: tuple[str, ...]
    max_digit_pace_ratio: float
    min_repeats: int
    min_digits: int


@dataclass(frozen=True)
class Live:
    """Cues shown while recording (see ``analysis.live_cues``)."""

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
class Matcher:
    """Finds a category's phrases and patterns in a sentence (lower-cased matching)."""

    regexes: tuple[re.Pattern[str], ...]

    def find(self, text: str) -> list[tuple[int, int]]:
        """Character spans of every match in ``text``, in order, overlaps merged."""
        spans = sorted(
            (m.start(m.lastindex or 0), m.end(m.lastindex or 0))
            for rx in self.regexes
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
    filler_matcher: Matcher = field(repr=False)
    rubric: tuple[RubricCriterion, ...] = ()
    live: Live = Live()

    def length_preset(self, preset_id: str | None = None) -> LengthPreset:
        wanted = preset_id or self.default_length_preset
        for preset in self.length_presets:
            if preset.id == wanted:
                return preset
        names = ", ".join(p.id for p in self.length_presets)
        raise ProfileError(f"{self.path}: no length preset '{wanted}' (choose from {names})")


def default_profile_path() -> Path:
    return Path(str(resources.files("resources.profiles").joinpath("default.toml")))


def load_profile(path: str | Path | None = None) -> Profile:
    """Load and validate a profile file; the bundled default when ``path`` is None."""
    p = Path(path) if path is not None else default_profile_path()
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"{p}: profile file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{p}: cannot read the profile ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{p}: not valid TOML ({exc})") from None
    return _Parser(str(p)).profile(data)


T = TypeVar("T")


class _Parser:
    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> ProfileError:
        return ProfileError(f"{self.path}: {key}: {problem}")

    def table(self, data: Mapping[str, Any], key: str, prefix: str = "") -> Mapping[str, Any]:
        full = f"{prefix}{key}"
        if key not in data:
            raise self.fail(full, "missing table")
        value = data[key]
        if not isinstance(value, dict):
            raise self.fail(full, "must be a table")
        return value

    def value(self, data: Mapping[str, Any], key: str, kind: Any, full: str) -> Any:
        if key not in data:
            raise self.fail(full, "missing")
        raw = data[key]
        if kind is float:
            if isinstance(raw, bool) or not isinstance(raw, int | float):
                raise self.fail(full, f"must be a number, got {raw!r}")
            if raw < 0 and not full.endswith("_dbfs"):
                raise self.fail(full, f"must not be negative, got {raw!r}")
            return float(raw)
        if kind is int:
            if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
                raise self.fail(full, f"must be a whole number >= 0, got {raw!r}")
            return raw
        if kind is str:
            if not isinstance(raw, str):
                raise self.fail(full, f"must be text, got {raw!r}")
            return raw
        if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
            raise self.fail(full, "must be a list of non-empty strings")
        return tuple(x.strip() for x in raw)

    def record(self, cls: type[T], data: Mapping[str, Any], prefix: str) -> T:
        hints = get_type_hints(cls)
        names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
        unknown = sorted(set(data) - set(names))
        if unknown:
            raise self.fail(f"{prefix}{unknown[0]}", "unknown key")
        kinds = {name: (tuple if "tuple" in str(hints[name]) else hints[name]) for name in names}
        return cls(**{n: self.value(data, n, kinds[n], f"{prefix}{n}") for n in names})

    def regex(
        self, pattern: str, vocab: Mapping[str, tuple[str, ...]], key: str
    ) -> re.Pattern[str]:
        def expand(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in vocab:
                raise self.fail(key, f"pattern uses {{{name}}} but [vocab] has no '{name}'")
            return "(?:" + "|".join(_word_alt(w) for w in vocab[name]) + ")"

        source = re.sub(r"\{([a-z_]+)\}", expand, pattern)
        try:
            return re.compile(source, re.IGNORECASE)
        except re.error as exc:
            raise self.fail(key, f"bad regular expression {pattern!r} ({exc})") from None

    def matcher(
        self, data: Mapping[str, Any], vocab: Mapping[str, tuple[str, ...]], key: str
    ) -> Matcher:
        unknown = sorted(set(data) - {"phrases", "patterns"})
        if unknown:
            raise self.fail(f"{key}.{unknown[0]}", "unknown key")
        phrases = self.value(data, "phrases", tuple, f"{key}.phrases") if "phrases" in data else ()
        patterns = (
            self.value(data, "patterns", tuple, f"{key}.patterns") if "patterns" in data else ()
        )
        if not phrases and not patterns:
            raise self.fail(key, "needs at least one phrase or pattern")
        regexes = [phrase_regex(p) for p in phrases]
        regexes += [self.regex(p, vocab, f"{key}.patterns") for p in patterns]
        return Matcher(tuple(regexes))

    def profile(self, data: Mapping[str, Any]) -> Profile:
        meta = self.table(data, "profile")
        version = self.value(meta, "schema_version", int, "profile.schema_version")
        if version != SCHEMA_VERSION:
            raise self.fail(
                "profile.schema_version", f"is {version}; this app reads {SCHEMA_VERSION}"
            )
        principles = {
            pid: self.record(Principle, p, f"principles.{pid}.")
            for pid, p in self.table(data, "principles").items()
        }
        presets = data.get("length_presets")
        if not isinstance(presets, list) or not presets:
            raise self.fail("length_presets", "needs at least one [[length_presets]] entry")
        length_presets = tuple(
            self.record(LengthPreset, p, f"length_presets[{i}].") for i, p in enumerate(presets)
        )
        for i, lp in enumerate(length_presets):
            if not lp.target_min_s <= lp.target_max_s <= lp.fail_over_s:
                raise self.fail(
                    f"length_presets[{i}]", "needs target_min_s <= target_max_s <= fail_over_s"
                )
        vocab_raw = data.get("vocab", {})
        vocab = {k: self.value(vocab_raw, k, tuple, f"vocab.{k}") for k in vocab_raw}
        structure_raw = self.table(data, "structure")
        structure = {
            c: self.matcher(self.table(structure_raw, c, "structure."), vocab, f"structure.{c}")
            for c in STRUCTURE_CATEGORIES
        }
        cta_raw = self.table(structure_raw, "call_to_action", "structure.")
        order = self.value(
            self.table(cta_raw, "kinds", "structure.call_to_action."),
            "order",
            tuple,
            "structure.call_to_action.kinds.order",
        )
        if sorted(order) != sorted(CTA_KINDS):
            raise self.fail(
                "structure.call_to_action.kinds.order", f"must list {', '.join(CTA_KINDS)}"
            )
        cta = {
            k: self.matcher(
                self.table(cta_raw, k, "structure.call_to_action."),
                vocab,
                f"structure.call_to_action.{k}",
            )
            for k in order
        }
        fillers = self.record(Fillers, self.table(data, "fillers"), "fillers.")
        filler_regexes = [phrase_regex(w) for w in (*fillers.words, *fillers.phrases)]
        filler_regexes += [self.regex(p, vocab, "fillers.contextual") for p in fillers.contextual]
        profile = Profile(
            name=self.value(meta, "name", str, "profile.name"),
            description=self.value(meta, "description", str, "profile.description"),
            path=self.path,
            default_length_preset=self.value(
                meta, "default_length_preset", str, "profile.default_length_preset"
            ),
            principles=principles,
            length_presets=length_presets,
            timing=self.record(Timing, self.table(data, "timing"), "timing."),
            pace=self.record(Pace, self.table(data, "pace"), "pace."),
            fillers=fillers,
            pauses=self.record(Pauses, self.table(data, "pauses"), "pauses."),
            pitch=self.record(Pitch, self.table(data, "pitch"), "pitch."),
            loudness=self.record(Loudness, self.table(data, "loudness"), "loudness."),
            phone=self.record(Phone, self.table(data, "phone"), "phone."),
            structure=structure,
            cta=cta,
            checks=self.checks(self.table(data, "checks"), principles),
            filler_matcher=Matcher(tuple(filler_regexes)),
            rubric=self.rubric(data.get("rubric", [])),
            live=self.record(Live, self.table(data, "live"), "live.") if "live" in data else Live(),
        )
        profile.length_preset()  # the default preset must exist
        return profile

    def rubric(self, raw: Any) -> tuple[RubricCriterion, ...]:
        """The optional ``[[rubric]]`` list: unique ids, a scale with min < max."""
        if not isinstance(raw, list):
            raise self.fail("rubric", "must be a list of [[rubric]] entries")
        criteria: list[RubricCriterion] = []
        for i, entry in enumerate(raw):
            key = f"rubric[{i}]"
            if not isinstance(entry, dict):
                raise self.fail(key, "must be a table")
            criterion = self.record(RubricCriterion, entry, f"{key}.")
            if not re.fullmatch(r"[a-z][a-z0-9_]*", criterion.id):
                raise self.fail(f"{key}.id", "use lower-case letters, digits and _")
            if any(c.id == criterion.id for c in criteria):
                raise self.fail(f"{key}.id", f"'{criterion.id}' is used twice")
            if not criterion.name.strip():
                raise self.fail(f"{key}.name", "must not be empty")
            if criterion.scale_min >= criterion.scale_max:
                raise self.fail(f"{key}.scale_max", "must be greater than scale_min")
            criteria.append(criterion)
        return tuple(criteria)

    def checks(
        self, data: Mapping[str, Any], principles: Mapping[str, Principle]
    ) -> dict[str, CheckSpec]:
        specs = {}
        for cid in CHECK_IDS:
            raw = self.table(data, cid, "checks.")
            weight = self.value(raw, "weight", float, f"checks.{cid}.weight")
            principle = self.value(raw, "principle", str, f"checks.{cid}.principle")
            if principle not in principles:
                raise self.fail(f"checks.{cid}.principle", f"no principle named '{principle}'")
            unknown = sorted(set(raw) - {"weight", "principle", *CHECK_MESSAGES[cid]})
            if unknown:
                raise self.fail(f"checks.{cid}.{unknown[0]}", "unknown key")
            messages = {}
            for variant in CHECK_MESSAGES[cid]:
                key = f"checks.{cid}.{variant}"
                text = self.value(raw, variant, str, key)
                try:
                    text.format(**PLACEHOLDERS)
                except KeyError as exc:
                    raise self.fail(key, f"unknown placeholder {{{exc.args[0]}}}") from None
                except (ValueError, IndexError) as exc:
                    raise self.fail(key, f"bad placeholder ({exc})") from None
                messages[variant] = text
            specs[cid] = CheckSpec(weight, principle, messages)
        extra = sorted(set(data) - set(CHECK_IDS))
        if extra:
            raise self.fail(f"checks.{extra[0]}", "unknown check")
        return specs


def _word_alt(word: str) -> str:
    """A vocab entry as regex: plain words escaped, but a trailing ``?`` keeps its meaning."""
    if word.endswith("?") and not word.endswith("\\?"):
        return re.escape(word[:-1]) + "?"
    return re.escape(word)


def phrase_regex(phrase: str) -> re.Pattern[str]:
    """A plain phrase matched as whole words, case-insensitive, flexible about spaces/hyphens."""
    parts = [re.escape(p) for p in re.split(r"[\s-]+", phrase.strip()) if p]
    body = r"[\s-]+".join(parts)
    left = r"\b" if re.match(r"\w", phrase.strip()) else ""
    right = r"\b" if re.search(r"\w$", phrase.strip()) else ""
    return re.compile(f"{left}{body}{right}", re.IGNORECASE)
