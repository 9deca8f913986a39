"""Validating a guidance profile: its TOML table (``extends`` resolved and tables added later
filled in by :mod:`voicemail_coach.analysis.profile_loader`) checked key by key into a
:class:`~voicemail_coach.analysis.profile.Profile`. The first problem is refused with the file and
its dotted key (``ProfileError``), and a misspelt name with the name that was meant.
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import re
from collections.abc import Mapping
from typing import Any, TypeVar, get_type_hints

from voicemail_coach.analysis import regex_guard
from voicemail_coach.analysis.phrases import phrase_regex, vocab_alternation
from voicemail_coach.analysis.profile import (
    CHECK_IDS,
    CHECK_MESSAGES,
    CONTENT_CATEGORIES,
    CTA_KINDS,
    LINE_CHECK_IDS,
    META_KEYS,
    NO_MESSAGE_REASONS,
    PLACEHOLDERS,
    SCENARIO_CHECK_IDS,
    SCHEMA_VERSION,
    STRUCTURE_CATEGORIES,
    TABLES,
    CheckSpec,
    Content,
    Fillers,
    Hesitations,
    Intonation,
    LengthPreset,
    Live,
    Loudness,
    Matcher,
    NoMessage,
    Pace,
    Pauses,
    Phone,
    PhoneLineGuidance,
    Pitch,
    Principle,
    Profile,
    ProfileError,
    Quality,
    RubricCriterion,
    Rushing,
    ScenarioGuidance,
    Sentences,
    Timing,
)
from voicemail_coach.analysis.scenarios import TRIGGER_KINDS

T = TypeVar("T")


class ProfileParser:
    """Turns a profile's table (its ``extends`` resolved, added tables filled in) into a
    :class:`Profile`; every refusal names the file and the dotted key (``ProfileError``)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> ProfileError:
        return ProfileError(f"{self.path}: {key}: {problem}")

    def known(self, data: Mapping[str, Any], names: Any, prefix: str, what: str = "key") -> None:
        """Refuse the first name in ``data`` not among ``names``, suggesting the closest."""
        unknown = sorted(set(data) - set(names))
        if unknown:
            raise self.fail(f"{prefix}{unknown[0]}", unknown_problem(unknown[0], names, what))

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
        self.known(data, names, prefix)
        kinds = {name: (tuple if "tuple" in str(hints[name]) else hints[name]) for name in names}
        return cls(**{n: self.value(data, n, kinds[n], f"{prefix}{n}") for n in names})

    def regex(
        self, pattern: str, vocab: Mapping[str, tuple[str, ...]], key: str
    ) -> re.Pattern[str]:
        def expand(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in vocab:
                raise self.fail(key, f"pattern uses {{{name}}} but [vocab] has no '{name}'")
            return vocab_alternation(vocab[name])

        source = re.sub(r"\{([a-z_]+)\}", expand, pattern)
        try:
            compiled = re.compile(source, re.IGNORECASE)
        except re.error as exc:
            raise self.fail(key, f"bad regular expression {pattern!r} ({exc})") from None
        slow = regex_guard.problem(source)
        if slow:
            raise self.fail(
                key, f"pattern {pattern!r} could take minutes on a long sentence: {slow}"
            )
        return compiled

    def matcher(
        self, data: Mapping[str, Any], vocab: Mapping[str, tuple[str, ...]], key: str
    ) -> Matcher:
        self.known(data, ("phrases", "patterns"), f"{key}.")
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
        self.known(data, TABLES, "", "table")
        meta = self.table(data, "profile")
        self.known(meta, META_KEYS, "profile.")
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
            self.ordered(
                f"length_presets[{i}]",
                lp,
                "warn_under_s",
                "target_min_s",
                "target_max_s",
                "warn_over_s",
                "fail_over_s",
            )
        scenario = self.scenario(data["scenario"]) if "scenario" in data else None
        vocab_raw = data.get("vocab", {})
        vocab = {k: self.value(vocab_raw, k, tuple, f"vocab.{k}") for k in vocab_raw}
        structure_raw = self.table(data, "structure")
        self.known(structure_raw, (*STRUCTURE_CATEGORIES, "call_to_action"), "structure.", "table")
        structure = {
            c: self.matcher(self.table(structure_raw, c, "structure."), vocab, f"structure.{c}")
            for c in STRUCTURE_CATEGORIES
        }
        cta_raw = self.table(structure_raw, "call_to_action", "structure.")
        self.known(cta_raw, ("kinds", *CTA_KINDS), "structure.call_to_action.", "table")
        kinds_raw = self.table(cta_raw, "kinds", "structure.call_to_action.")
        self.known(kinds_raw, ("order",), "structure.call_to_action.kinds.")
        order = self.value(
            kinds_raw,
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
        content = self.content(self.table(data, "content"), vocab)
        # A sentence that names the listener ([content] listener_named) is a personalization
        # rule's match too: the patterns are written once, in [content].
        named = structure["personalization"]
        structure["personalization"] = Matcher((*named.regexes, *content.listener_named))
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
            checks=self.checks(
                self.table(data, "checks"),
                principles,
                (*(SCENARIO_CHECK_IDS if scenario else ()), *LINE_CHECK_IDS),
            ),
            hesitations=self.record(Hesitations, self.table(data, "hesitations"), "hesitations."),
            intonation=self.record(Intonation, self.table(data, "intonation"), "intonation."),
            rushing=self.record(Rushing, self.table(data, "rushing"), "rushing."),
            quality=self.record(Quality, self.table(data, "quality"), "quality."),
            sentences=self.record(Sentences, self.table(data, "sentences"), "sentences."),
            filler_matcher=Matcher(tuple(filler_regexes)),
            rubric=self.rubric(data.get("rubric", [])),
            scenario=scenario,
            live=self.record(Live, self.table(data, "live"), "live.") if "live" in data else Live(),
            content=content,
            no_message=self.no_message(self.table(data, "no_message"), vocab),
            phone_line=self.phone_line(self.table(data, "phone_line")),
        )
        profile.length_preset()  # the default preset must exist
        # Every check's zones nest (ideal inside fine inside warn), so a mark has one reading.
        pace = ("warn_under_wpm", "target_min_wpm", "target_max_wpm", "warn_over_wpm")
        self.ordered("pace", profile.pace, *pace)
        timing = ("value_proposition_within_s", "value_proposition_fail_after_s")
        self.ordered("timing", profile.timing, *timing)
        self.ordered("fillers", profile.fillers, "warn_per_minute", "fail_per_minute")
        self.ordered("quality", profile.quality, "fail_snr_db", "warn_snr_db")
        return profile

    def content(self, raw: Mapping[str, Any], vocab: Mapping[str, tuple[str, ...]]) -> Content:
        """``[content]``: the meaning model's switch and similarity, clause words, what a near
        miss lacked, and the coach's example sentences per category."""
        known = {
            "use_model",
            "example_similarity",
            "clause_words",
            "clause_lead_words",
            "condition_words",
            "min_clause_words",
            "run_on_words",
            "min_part_words",
            "part_categories",
            "part_support",
            "pair_categories",
            "pair_floor",
            "rules_decide",
            "listener_named",
            "lacks",
            "examples",
        }
        self.known(raw, known, "content.")
        use_model = raw.get("use_model", True)
        if not isinstance(use_model, bool):
            raise self.fail("content.use_model", f"must be true or false, got {use_model!r}")
        similarity = self.value(raw, "example_similarity", float, "content.example_similarity")
        if not 0.0 < similarity <= 1.0:
            raise self.fail(
                "content.example_similarity", f"must be between 0 and 1, got {similarity}"
            )
        lacks_raw = raw.get("lacks", {})
        if not isinstance(lacks_raw, dict):
            raise self.fail("content.lacks", "must be a table")
        lacks = {}
        for c in lacks_raw:
            if c not in CONTENT_CATEGORIES:
                raise self.fail(
                    f"content.lacks.{c}", f"unknown category (use {', '.join(CONTENT_CATEGORIES)})"
                )
            lacks[c] = self.value(lacks_raw, c, str, f"content.lacks.{c}")
        examples = raw.get("examples", {})
        if not isinstance(examples, dict):
            raise self.fail("content.examples", "must be a table")
        counts: dict[str, tuple[str, ...]] = {}
        not_counts: dict[str, tuple[str, ...]] = {}
        for c, table in examples.items():
            key = f"content.examples.{c}"
            if c not in CONTENT_CATEGORIES:
                raise self.fail(key, f"unknown category (use {', '.join(CONTENT_CATEGORIES)})")
            if not isinstance(table, dict):
                raise self.fail(key, "must be a table with counts = [...] and not = [...]")
            self.known(table, ("counts", "not"), f"{key}.")
            counts[c] = (
                self.value(table, "counts", tuple, f"{key}.counts") if "counts" in table else ()
            )
            not_counts[c] = self.value(table, "not", tuple, f"{key}.not") if "not" in table else ()
        return Content(
            use_model=use_model,
            example_similarity=similarity,
            clause_words=self.value(raw, "clause_words", tuple, "content.clause_words"),
            clause_lead_words=self.value(
                raw, "clause_lead_words", tuple, "content.clause_lead_words"
            ),
            condition_words=self.value(raw, "condition_words", tuple, "content.condition_words"),
            min_clause_words=self.value(raw, "min_clause_words", int, "content.min_clause_words"),
            run_on_words=self.value(raw, "run_on_words", int, "content.run_on_words"),
            min_part_words=self.value(raw, "min_part_words", int, "content.min_part_words"),
            part_categories=self.categories(raw, "part_categories"),
            part_support=self.categories(raw, "part_support"),
            pair_categories=self.categories(raw, "pair_categories"),
            pair_floor=self.value(raw, "pair_floor", float, "content.pair_floor"),
            rules_decide=self.categories(raw, "rules_decide"),
            listener_named=tuple(
                self.regex(p, vocab, "content.listener_named")
                for p in (
                    self.value(raw, "listener_named", tuple, "content.listener_named")
                    if "listener_named" in raw
                    else ()
                )
            ),
            lacks=lacks,
            counts=counts,
            not_counts=not_counts,
        )

    def phone_line(self, raw: Mapping[str, Any]) -> PhoneLineGuidance:
        """``[phone_line]``: the switch, the line's numbers, the intro's lead phrases, the shares."""
        hints = get_type_hints(PhoneLineGuidance)
        names = [f.name for f in dataclasses.fields(PhoneLineGuidance)]
        self.known(raw, names, "phone_line.")
        enabled = raw.get("enabled", True)
        if not isinstance(enabled, bool):
            raise self.fail("phone_line.enabled", f"must be true or false, got {enabled!r}")
        values: dict[str, Any] = {"enabled": enabled}
        for n in names[1:]:
            kind = tuple if "tuple" in str(hints[n]) else hints[n]
            values[n] = self.value(raw, n, kind, f"phone_line.{n}")
        line = PhoneLineGuidance(**values)
        self.ordered("phone_line", line, "low_hz", "high_hz")
        if line.high_hz + line.edge_hz >= 4000:
            raise self.fail("phone_line.high_hz", "high_hz + edge_hz must stay under 4000 (8 kHz)")
        if not 0.0 < line.word_similarity <= 1.0:
            raise self.fail("phone_line.word_similarity", "must be between 0 and 1")
        for key in ("number_warn_pct", "words_warn_pct"):
            if getattr(line, key) > 100:
                raise self.fail(f"phone_line.{key}", "must be a percentage (0-100)")
        return line

    def categories(self, raw: Mapping[str, Any], key: str) -> tuple[str, ...]:
        """An optional list of content categories in ``[content]``."""
        if key not in raw:
            return ()
        names = self.value(raw, key, tuple, f"content.{key}")
        for name in names:
            if name not in CONTENT_CATEGORIES:
                raise self.fail(
                    f"content.{key}",
                    f"unknown category {name!r} (use {', '.join(CONTENT_CATEGORIES)})",
                )
        return tuple(names)

    def ordered(self, key: str, record: Any, *names: str) -> None:
        """Refuse a table whose limits ``names`` are not in rising order, naming the first
        limit below the one before it."""
        for low, high in itertools.pairwise(names):
            if getattr(record, low) > getattr(record, high):
                raise self.fail(
                    f"{key}.{high}", f"must be at least {low} ({getattr(record, low):g})"
                )

    def no_message(self, raw: Mapping[str, Any], vocab: Mapping[str, tuple[str, ...]]) -> NoMessage:
        """The ``[no_message]`` table: thresholds, greeting patterns, one reason per kind."""
        reasons_raw = self.table(raw, "reasons", "no_message.")
        self.known(reasons_raw, NO_MESSAGE_REASONS, "no_message.reasons.")
        for key in sorted(set(NO_MESSAGE_REASONS) - set(reasons_raw)):
            raise self.fail(f"no_message.reasons.{key}", "missing")
        reasons = {
            k: self.value(reasons_raw, k, str, f"no_message.reasons.{k}")
            for k in NO_MESSAGE_REASONS
        }
        for k, text in reasons.items():
            if not text.strip():  # the feedback says this instead of a score
                raise self.fail(f"no_message.reasons.{k}", "must not be empty")
        patterns = self.value(raw, "greeting_patterns", tuple, "no_message.greeting_patterns")
        compiled = tuple(self.regex(p, vocab, "no_message.greeting_patterns") for p in patterns)
        hints = get_type_hints(NoMessage)
        names = [f.name for f in dataclasses.fields(NoMessage)]
        self.known(raw, names, "no_message.")
        numbers = {
            n: self.value(raw, n, hints[n], f"no_message.{n}")
            for n in names
            if n not in ("greeting_patterns", "reasons")
        }
        return NoMessage(**numbers, greeting_patterns=compiled, reasons=reasons)

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

    def scenario(self, raw: Any) -> ScenarioGuidance:
        """The optional ``[scenario]`` table: matching settings and trigger words per kind."""
        if not isinstance(raw, dict):
            raise self.fail("scenario", "must be a table")
        triggers_raw = self.table(raw, "triggers", "scenario.")
        self.known(raw, [f.name for f in dataclasses.fields(ScenarioGuidance)], "scenario.")
        self.known(triggers_raw, TRIGGER_KINDS, "scenario.triggers.")
        triggers = {}
        for kind in TRIGGER_KINDS:
            table = self.table(triggers_raw, kind, "scenario.triggers.")
            key = f"scenario.triggers.{kind}.phrases"
            self.known(table, ("phrases",), f"scenario.triggers.{kind}.")
            phrases = self.value(table, "phrases", tuple, key)
            triggers[kind] = tuple(phrase_regex(p) for p in phrases)
        similarity = self.value(raw, "name_similarity", float, "scenario.name_similarity")
        if not 0.5 <= similarity <= 1.0:
            raise self.fail("scenario.name_similarity", f"must be 0.5 to 1.0, got {similarity}")
        return ScenarioGuidance(
            name_similarity=similarity,
            relevance_cares_about_words=self.value(
                raw, "relevance_cares_about_words", int, "scenario.relevance_cares_about_words"
            ),
            relevance_value_angle_words=self.value(
                raw, "relevance_value_angle_words", int, "scenario.relevance_value_angle_words"
            ),
            ignore_words=self.value(raw, "ignore_words", tuple, "scenario.ignore_words"),
            company_generic=self.value(raw, "company_generic", tuple, "scenario.company_generic"),
            triggers=triggers,
        )

    def checks(
        self,
        data: Mapping[str, Any],
        principles: Mapping[str, Principle],
        optional_ids: tuple[str, ...] = (),
    ) -> dict[str, CheckSpec]:
        self.known(data, (*CHECK_IDS, *optional_ids), "checks.", "check")
        specs = {}
        for cid in (*CHECK_IDS, *optional_ids):
            raw = self.table(data, cid, "checks.")
            weight = self.value(raw, "weight", float, f"checks.{cid}.weight")
            principle = self.value(raw, "principle", str, f"checks.{cid}.principle")
            if principle not in principles:
                raise self.fail(f"checks.{cid}.principle", f"no principle named '{principle}'")
            self.known(raw, ("weight", "principle", *CHECK_MESSAGES[cid]), f"checks.{cid}.")
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
        return specs


def unknown_problem(name: str, names: Any, what: str = "key") -> str:
    """ "unknown key" with the closest known name, if one is close: a typo says what was meant.
    Of difflib's close matches the fewest edits away wins (``pase``: ``pace``, not ``pauses``)."""
    close = difflib.get_close_matches(name, sorted(names), n=3)
    if not close:
        return f"unknown {what}"
    best = min(close, key=lambda known: _edits(name, known))
    return f"unknown {what} (did you mean {best!r}?)"


def _edits(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions to turn ``a`` into ``b``."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]
