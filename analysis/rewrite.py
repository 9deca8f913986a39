"""A tighter script drafted from a report, offline, by rules and templates.

The draft follows one order: who you are -> why them / why now -> value for them -> one clear next
step -> an easy way out (the number again, a short thanks). It keeps the rep's own sentences where
the analysis found they work (an introduction, a personal reason, a value proposition, a call to
action, an opt-out), with fillers taken out; it drops self-praise, pressure and premature asks;
it fills missing parts from the scenario card, or with placeholders in [square brackets] for the
rep to fill. A phone number is grouped 3-3-4 and said twice. The draft is fitted to the length
preset's target at the rep's measured pace (held inside the profile's ideal pace), or at the
profile's script pace for a typed script. Every change names the check that asked for it.

The words (templates, placeholders, reasons) are data: ``resources/rewrite.toml``.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from voicemail_coach.analysis.phone_numbers import digits_of, grouped
from voicemail_coach.analysis.profile import LengthPreset, Profile
from voicemail_coach.analysis.report import Report, ReportSentence
from voicemail_coach.analysis.scenarios import Scenario
from voicemail_coach.analysis.transcript import words_from_text

BAD_LABELS = ("self_praise", "pressure", "premature_ask")
PLACEHOLDER = re.compile(r"\[[^\]]*\]")


@dataclass(frozen=True)
class Change:
    """One thing the draft does differently, and the check that asked for it."""

    check_id: str
    action: str  # kept | edited | added | dropped | placeholder
    reason: str
    before: str = ""
    after: str = ""
    part: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "check": self.check_id,
            "action": self.action,
            "reason": self.reason,
            "before": self.before,
            "after": self.after,
            "part": self.part,
        }


@dataclass(frozen=True)
class DraftPart:
    """One part of the draft: ``source`` is ``yours`` (the rep's words), ``card`` (the scenario
    card), ``template`` or ``placeholder`` (holds text in [brackets] to fill in)."""

    part: str
    text: str
    source: str


@dataclass(frozen=True)
class Draft:
    parts: tuple[DraftPart, ...]
    changes: tuple[Change, ...]
    wpm: float  # the pace the draft is timed (and the teleprompter scrolls) at
    measured_wpm: float | None  # the take's pace; None for a typed script
    estimated_s: float
    target_min_s: float
    target_max_s: float
    part_titles: Mapping[str, str] = field(default_factory=dict)
    score: int | None = None  # the draft's score checked as a written script

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.parts)

    @property
    def fits(self) -> bool:
        return self.target_min_s <= self.estimated_s <= self.target_max_s

    @property
    def placeholders(self) -> tuple[str, ...]:
        return tuple(PLACEHOLDER.findall(self.text))

    def pace_note(self) -> str:
        if self.measured_wpm is None:
            return f"timed at the profile's script pace, {self.wpm:.0f} wpm"
        if round(self.measured_wpm) == round(self.wpm):
            return f"timed at your pace in the take, {self.wpm:.0f} wpm"
        return (
            f"timed at {self.wpm:.0f} wpm: your {self.measured_wpm:.0f} wpm, "
            "brought into the profile's ideal pace"
        )

    def bullets(self) -> list[str]:
        """One short cue per part, for a rep who should not read aloud."""
        return [f"{self.part_titles.get(p.part, p.part)}: {_cue(p.text)}" for p in self.parts]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "parts": [{"part": p.part, "text": p.text, "source": p.source} for p in self.parts],
            "changes": [c.to_dict() for c in self.changes],
            "wpm": round(self.wpm, 1),
            "measured_wpm": None if self.measured_wpm is None else round(self.measured_wpm, 1),
            "estimated_s": round(self.estimated_s, 1),
            "target_s": [self.target_min_s, self.target_max_s],
            "fits": self.fits,
            "placeholders": list(self.placeholders),
            "score": self.score,
        }


@cache
def rewrite_words() -> dict[str, Any]:
    """``resources/rewrite.toml``: templates, placeholders, reasons."""
    text = resources.files("voicemail_coach.resources").joinpath("rewrite.toml")
    return tomllib.loads(text.read_text(encoding="utf-8"))


def estimate_s(text: str, wpm: float) -> float:
    """Seconds to say ``text`` at ``wpm`` (the same timing a typed script gets)."""
    words = words_from_text(text, wpm)
    return words[-1].end_s if words else 0.0


def draft_pace(report: Report, profile: Profile) -> tuple[float, float | None]:
    """(pace to time the draft at, the take's measured pace or None for a typed script)."""
    measured = report.delivery.wpm if report.source.script is None else 0.0
    if measured <= 0:
        return profile.pace.script_wpm, None
    p = profile.pace
    return min(max(measured, p.target_min_wpm), p.target_max_wpm), measured


class _Writer:
    """One draft in the making: the report's material, the parts chosen, the changes."""

    def __init__(
        self, report: Report, profile: Profile, scenario: Scenario | None, refused: set[str]
    ) -> None:
        self.report = report
        self.refused = refused  # parts where the rep's words read badly on their own
        self.profile = profile
        self.card = scenario
        self.words = rewrite_words()
        self.slots: dict[str, str] = self.words["slots"]
        self.reasons: dict[str, str] = self.words["reasons"]
        self.parts: dict[str, DraftPart] = {}
        self.changes: list[Change] = []
        self.used: set[int] = set()  # sentences some of whose words are kept
        self.number = self._number()
        self.name, self.company, self.prospect = self._who()

    # -- material ----------------------------------------------------------------------------

    def _number(self) -> str:
        for said in self.report.phone_numbers:
            digits = digits_of(said.text.split())
            if len(digits) >= 7:
                return grouped(digits, "-")
        return ""

    def _who(self) -> tuple[str, str, str]:
        """The caller's name and company, and the prospect's first name (the card's first)."""
        w = self.words
        intro = self.report.intro
        text = intro.text if intro.found else ""
        if not text and self.report.sentences:
            text = self.report.sentences[0].text
        fillers = set(self.profile.fillers.words)
        tokens = [t for t in text.split() if t.lower().strip(".,;:!?") not in fillers]
        stop = set(w["stop_words"])
        name, end = _after(tokens, w["name_leads"], 2, stop)
        company = _after(tokens[end:], w["company_leads"], 3, stop)[0] if name else ""
        prospect = self.card.first_name if self.card else ""
        if not prospect:
            prospect = _after(
                tokens,
                w["greetings"],
                1,
                stop | {t for lead in w["name_leads"] for t in lead.split()},
            )[0]
        return _title(name), _title(company), _title(prospect)

    def _sentence_of(self, text: str) -> int | None:
        """The index of the sentence that holds ``text``."""
        key = _fold(text)
        for i, s in enumerate(self.report.sentences):
            if key and (key in _fold(s.text) or _fold(s.text) in key):
                return i
        return None

    def _dirty(self, text: str) -> str | None:
        """The bad category (self-praise, pressure, premature ask) found inside ``text``, or in
        the short sentence that holds it (a long run-on may keep a clean clause)."""
        folded = _fold(text)
        most = int(self.words["max_kept_words"])
        for f in self.report.findings:
            if f.category not in BAD_LABELS:
                continue
            bad, sentence = _fold(f.text), _fold(f.sentence)
            if bad and bad in folded:
                return f.category
            if sentence and folded in sentence and len(sentence.split()) <= most:
                return f.category
        return None

    def _clean(self, text: str) -> tuple[str, list[str]]:
        """``text`` without fillers, as a written sentence; the fillers taken out."""
        fillers = self.profile.fillers
        removed: list[str] = []
        out = " " + " ".join(text.split()) + " "
        for phrase in sorted(fillers.phrases, key=len, reverse=True):
            pattern = re.compile(rf"(?i)(?<![\w'])({re.escape(phrase)})[,.]?(?![\w'])")
            removed += [m.group(1) for m in pattern.finditer(out)]
            out = pattern.sub(" ", out)
        kept: list[str] = []
        for token in out.split():
            if token.lower().strip(",.;:!?") in fillers.words:
                removed.append(token.strip(",.;:!?"))
                if token[-1:] in ".!?" and kept:
                    kept[-1] = kept[-1].rstrip(",") + token[-1]
                continue
            if kept and _fold(kept[-1]) == _fold(token):
                continue  # a stutter: "I'll, I'll try"
            kept.append(token)
        lead = set(self.words["leading_fillers"])
        while kept and kept[0].lower().strip(",.") in lead and len(kept) > 3:
            kept.pop(0)
        sentence = re.sub(r"\s+([,.;:!?])", r"\1", " ".join(kept)).strip(" ,;")
        sentence = re.sub(r",([.!?])", r"\1", sentence)
        if sentence and sentence[-1] not in ".!?":
            sentence += "."
        return sentence[:1].upper() + sentence[1:], removed

    def _fit_words(self, text: str) -> str:
        """A kept text cut to its first clauses when longer than the kept-word limit."""
        most = int(self.words["max_kept_words"])
        return text if len(text.split()) <= most else _first_clauses(text, most).rstrip(",; ")

    def _moment_text(self, text: str, label: str) -> str:
        """A key moment's words: its whole sentence when that is short and holds nothing else
        (the moment may start mid-sentence: "And if you're set, just say so...")."""
        index = self._sentence_of(text)
        if index is None:
            return text
        sentence = self.report.sentences[index]
        alone = not set(sentence.labels) - {label, "phone_number"}
        short = len(sentence.text.split()) <= int(self.words["max_kept_words"])
        return sentence.text if alone and short else text

    def _before_others(self, text: str, part: str) -> str:
        """``text`` cut before the words of a later part it runs into (a value proposition
        that runs on into the call to action)."""
        r = self.report
        later = {"value": (r.call_to_action, r.opt_out), "next_step": (r.opt_out,)}
        folded = _fold(text)
        for moment in later.get(part, ()):
            other = _fold(moment.text)
            at = folded.find(other) if moment.found and other else -1
            if at > 0:
                head = other.split()[:3]
                match = re.search(r"(?i)\b" + r"\W+".join(map(re.escape, head)), text)
                if match and match.start() > 0:
                    return text[: match.start()].rstrip(" ,;")
        return text

    # -- the parts ---------------------------------------------------------------------------

    def keep(self, part: str, text: str, check_id: str, reason_key: str = "kept") -> bool:
        """Keep the rep's ``text`` for ``part`` when it is clean; False when it is not."""
        if not text or part in self.refused or self._dirty(text):
            return False
        index = self._sentence_of(text)
        fitted = self._fit_words(text)
        clean, removed = self._clean(fitted)
        if len(clean.split()) < 3:
            return False
        if index is not None:
            self.used.add(index)
        trimmed = fitted != text or (
            index is not None
            and len(self.report.sentences[index].text.split()) > len(text.split()) + 2
        )
        if reason_key == "kept" and trimmed:
            reason_key = "kept_trimmed"
        action = "kept" if reason_key == "kept" else "edited"
        self.parts[part] = DraftPart(part, clean, "yours")
        self.changes.append(Change(check_id, action, self.reasons[reason_key], text, clean, part))
        if removed:
            reason = self.reasons["fillers"].format(words=", ".join(f'"{w}"' for w in removed))
            self.changes.append(Change("fillers", "edited", reason, text, clean, part))
        return True

    def add(self, part: str, text: str, source: str, check_id: str, reason_key: str) -> None:
        if PLACEHOLDER.search(text):
            source = "placeholder"
        self.parts[part] = DraftPart(part, text, source)
        action = "placeholder" if source == "placeholder" else "added"
        self.changes.append(Change(check_id, action, self.reasons[reason_key], "", text, part))

    def intro(self) -> None:
        r = self.report
        sentence = next((s for s in r.sentences if "intro" in s.labels), None)
        works = (
            sentence is not None
            and set(sentence.labels) <= {"intro", "personalization"}
            and len(sentence.text.split()) <= int(self.words["max_intro_words"])
            and (not self.card or _fold(self.card.first_name) in _fold(sentence.text))
            # Speech-to-text in lower case: said again from the name and company found.
            and not (sentence.text == sentence.text.lower() and self.name and self.company)
        )
        if sentence is not None and works and self.keep("intro", sentence.text, "intro"):
            return
        if sentence is not None:
            index = self._sentence_of(sentence.text)
            if index is not None and not (set(sentence.labels) - {"intro", "personalization"}):
                self.used.add(index)
        name = self.name or self.slots["name_placeholder"]
        company = self.company or self.slots["company_placeholder"]
        key = "intro" if self.prospect else "intro_no_prospect"
        text = self.slots[key].format(prospect=self.prospect, name=name, company=company)
        reason = "added_intro" if self.name else "placeholder_name"
        self.add("intro", text, "template", "intro", reason)

    def why(self) -> None:
        for s in self.report.sentences:
            mine = "personalization" in s.labels and "intro" not in s.labels
            if mine and self.keep("why", s.text, "personalization"):
                return
        # In a run-on sentence: the clause that holds what was found personal.
        for f in self.report.findings:
            if f.category != "personalization" or len(f.text.split()) < 2:
                continue
            clause = _clause_with(f.sentence, f.text)
            spoken = {self.name.lower(), self.company.lower()} - {""}
            vp = self.report.value_proposition
            shared = vp.found and _shares_run(clause, vp.text, 4)  # the value's own words
            named = any(x in clause.lower() for x in spoken)  # the introduction's words
            fits = len(clause.split()) >= 5 and not shared and not named
            if fits and self.keep("why", clause, "personalization"):
                return
        if self.card is not None:
            self.add("why", self._card_why(self.card), "card", "personalization", "added_why_card")
        else:
            self.add("why", self.slots["why_placeholder"], "placeholder", "personalization",
                     "added_why_placeholder")  # fmt: skip

    def _card_why(self, card: Scenario) -> str:
        template = self.words["why"].get(card.trigger, self.words["why"]["other"])
        keywords = card.trigger_keywords
        names = [k for k in keywords if k[:1].isupper()]
        possessive = card.company + ("'" if card.company.endswith("s") else "'s")
        return str(template).format(
            company=card.company,
            keyword=keywords[0] if keywords else card.industry,
            keywords=" ".join(names) if names else "A colleague of yours",
            possessive=possessive,
        )

    def value(self) -> None:
        vp = self.report.value_proposition
        if vp.found and vp.grade == "vague" and self.card is not None:
            self.add("value", self._card_value(self.card), "card", "value_specificity",
                     "added_value_vague_card")  # fmt: skip
            return
        if vp.found:
            key = "kept_vague" if vp.grade == "vague" else "kept"
            check = "value_specificity" if vp.grade == "vague" else "value_proposition"
            text = self._moment_text(vp.text, "value_proposition")
            if self.keep("value", self._before_others(text, "value"), check, key):
                return
        if self.card is not None:
            self.add("value", self._card_value(self.card), "card", "value_proposition",
                     "added_value_card")  # fmt: skip
        else:
            self.add("value", self.slots["value_placeholder"], "placeholder", "value_proposition",
                     "added_value_placeholder")  # fmt: skip

    def _card_value(self, card: Scenario) -> str:
        text = card.value_angle
        for third, second in self.words["second_person"].items():
            text = re.sub(rf"\b{re.escape(third)}\b", second, text)
        return text

    def next_step(self) -> None:
        cta = self.report.call_to_action
        text = self._moment_text(cta.text, "call_to_action") if cta.found else ""
        if cta.found and self.keep(
            "next_step", self._before_others(text, "next_step"), "call_to_action"
        ):
            self._number_in_step(cta.text)
            return
        if self.number:
            text = self.slots["callback"].format(number=self.number)
            self.add("next_step", text, "template", "call_to_action", "added_callback")
        else:
            self.add("next_step", self.slots["email"], "template", "call_to_action", "added_email")

    def _number_in_step(self, before: str) -> None:
        """The kept call to action says the number grouped 3-3-4, or gets it after it."""
        if not self.number:
            return
        step = self.parts["next_step"]
        said = [n for n in self.report.phone_numbers if _fold(n.text) in _fold(step.text)]
        if said:
            grouped = step.text
            for n in said:
                grouped = _replace_folded(grouped, n.text, self.number)
            if grouped != step.text:
                self.parts["next_step"] = DraftPart("next_step", grouped, step.source)
                self.changes.append(Change("phone_number", "edited",
                    self.reasons["number_grouped"], before, grouped, "next_step"))  # fmt: skip
            return
        more = step.text + " " + self.slots["number_first"].format(number=self.number)
        self.parts["next_step"] = DraftPart("next_step", more, step.source)
        self.changes.append(Change("phone_number", "added", self.reasons["number_added"], before,
                                   more, "next_step"))  # fmt: skip

    def way_out(self) -> None:
        opt = self.report.opt_out
        if opt.found and self.keep("way_out", self._moment_text(opt.text, "opt_out"), "opt_out"):
            return
        self.add("way_out", self.slots["way_out"], "template", "opt_out", "added_way_out")

    def number_again(self) -> None:
        said = " ".join(p.text for p in self.parts.values())
        if not self.number or said.count(self.number) >= 2:
            return
        text = self.slots["number_again"].format(number=self.number)
        self.add("number_again", text, "template", "phone_number", "number_again")

    def thanks(self) -> None:
        key = "thanks" if self.prospect else "thanks_no_prospect"
        self.parts["thanks"] = DraftPart("thanks", self.slots[key].format(first=self.prospect),
                                         "template")  # fmt: skip

    def dropped(self) -> None:
        """A change for every bad finding and every sentence none of whose words are kept."""
        for f in self.report.findings:
            if f.category in BAD_LABELS:
                reason = self.reasons[f"dropped_{f.category}"]
                self.changes.append(Change(f.category, "dropped", reason, f.text))
        for i, s in enumerate(self.report.sentences):
            if i in self.used or set(s.labels) & set(BAD_LABELS) or not _has_words(s):
                continue
            self.changes.append(Change("length", "dropped", self.reasons["dropped_other"], s.text))

    # -- the whole ---------------------------------------------------------------------------

    def trim(self, part: str, most: int) -> None:
        """Cut a kept part to its first clauses, up to ``most`` words (to fit the length)."""
        before = self.parts[part]
        words = before.text.split()
        if len(words) <= most:
            return
        cut = _first_clauses(before.text, most).rstrip(",;: ")
        if not cut or cut == before.text.rstrip("."):
            return
        text = cut if cut[-1] in ".!?" else cut + "."
        self.parts[part] = DraftPart(part, text, before.source)
        self.changes.append(Change("length", "edited", self.reasons["length_trim"],
                                   before.text, text, part))  # fmt: skip

    def assemble(self, order: Sequence[str]) -> tuple[DraftPart, ...]:
        return tuple(self.parts[p] for p in order if p in self.parts)


def draft_script(
    report: Report,
    profile: Profile,
    scenario: Scenario | None = None,
    length_preset: str | None = None,
) -> Draft:
    """A tighter script from ``report`` (a take's or a typed script's), with every change tied to
    its check. ``length_preset``: the target length (default: the report's own preset).

    The draft is checked as a written script; a part of the rep's words that reads as
    self-praise, pressure or a premature ask on its own is written again from its template."""
    from voicemail_coach.analysis.pipeline import analyze_script

    preset = profile.length_preset(length_preset or report.profile.length_preset)
    refused: set[str] = set()
    extra: list[Change] = []
    while True:
        draft = _write(report, profile, scenario, preset, refused)
        checked = analyze_script(draft.text, profile, preset.id, scenario)
        bad = _bad_parts(draft, checked)
        if not bad or bad.keys() <= refused:
            break
        for part, (category, text) in bad.items():
            reason = rewrite_words()["reasons"][f"dropped_{category}"]
            extra.append(Change(category, "dropped", reason, text, "", part))
        refused |= bad.keys()
    return dataclasses.replace(draft, changes=(*draft.changes, *extra), score=checked.score)


def _bad_parts(draft: Draft, checked: Report) -> dict[str, tuple[str, str]]:
    """The parts of the rep's words in which the draft's own analysis finds a bad category."""
    out: dict[str, tuple[str, str]] = {}
    for f in checked.findings:
        if f.category not in BAD_LABELS:
            continue
        for p in draft.parts:
            if p.source == "yours" and _fold(f.text) and _fold(f.text) in _fold(p.text):
                out.setdefault(p.part, (f.category, p.text))
    return out


def _write(
    report: Report, profile: Profile, scenario: Scenario | None, preset: LengthPreset,
    refused: set[str],
) -> Draft:  # fmt: skip
    w = _Writer(report, profile, scenario, refused)
    for step in (w.intro, w.why, w.value, w.next_step, w.way_out, w.number_again, w.thanks):
        step()
    w.dropped()
    wpm, measured = draft_pace(report, profile)
    order: list[str] = list(w.words["order"])
    titles: dict[str, str] = w.words["parts"]

    def length() -> float:
        return estimate_s(" ".join(p.text for p in w.assemble(order)), wpm)

    for step in w.words["fit_steps"]:
        if length() <= preset.target_max_s:
            break
        if step == "trim":
            # The rep's longest kept sentences cut to their first clauses.
            kept = [p for p in order if p in w.parts]
            for part in sorted(kept, key=lambda p: (-len(w.parts[p].text.split()), kept.index(p))):
                if w.parts[part].source == "yours" and part in w.words["trimmable"]:
                    w.trim(part, int(w.words["trimmed_words"]))
                if length() <= preset.target_max_s:
                    break
        elif step in w.parts and step in order:
            order.remove(step)
            if step != "thanks":
                reason = w.reasons["length_cut"].format(part=titles.get(step, step).lower())
                w.changes.append(Change("length", "dropped", reason, w.parts[step].text, "", step))
    if "thanks" in w.parts and "thanks" not in order and length() < preset.target_min_s:
        order.append("thanks")
    if length() < preset.target_min_s:
        # A second, light step: an email, or (when the step is an email) a call later.
        extra = "follow_up_too" if w.parts["next_step"].text == w.slots["email"] else "email_too"
        if w.report.call_to_action.kind == "email":
            extra = "follow_up_too"
        w.parts[extra] = DraftPart(extra, w.slots[extra], "template")
        order.insert(order.index("way_out"), extra)
        reason = w.reasons["length_added"].format(part=titles[extra].lower())
        w.changes.append(Change("length", "added", reason, "", w.slots[extra], extra))
    return Draft(
        parts=w.assemble(order),
        changes=tuple(w.changes),
        wpm=wpm,
        measured_wpm=measured,
        estimated_s=round(length(), 1),
        target_min_s=preset.target_min_s,
        target_max_s=preset.target_max_s,
        part_titles=titles,
    )


# -- text helpers -----------------------------------------------------------------------------


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]", " ", text.lower()).split())


def _first_clauses(text: str, most: int) -> str:
    """The clauses ``text`` starts with, up to ``most`` words (the first one whatever its length)."""
    clauses = re.split(r"(?<=[,;])\s+|\s+(?=(?:and|so|but|because|which|with)\s)", text)
    out: list[str] = []
    for clause in clauses:
        if out and len(" ".join([*out, clause]).split()) > most:
            break
        out.append(clause)
    return " ".join(out)


def _clause_with(sentence: str, span: str) -> str:
    """The clauses of ``sentence`` that hold ``span`` (the sentence when it is not found)."""
    clauses = re.split(r"(?<=[,;.])\s+|\s+(?=(?:and|so|but|because)\s)", sentence)
    key = _fold(span)
    for n in range(len(clauses)):
        for m in range(n + 1, len(clauses) + 1):
            joined = " ".join(clauses[n:m])
            if key in _fold(joined):
                return joined
    return sentence


def _has_words(sentence: ReportSentence) -> bool:
    return len(_fold(sentence.text).split()) >= 2


def _replace_folded(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` (compared without case and punctuation) replaced by ``new``."""
    pattern = r"[\s\-.,()]*".join(re.escape(t) for t in re.findall(r"[A-Za-z0-9']+", old))
    return re.sub(rf"(?i){pattern}", new, text) if pattern else text


def _shares_run(a: str, b: str, n: int) -> bool:
    """Whether ``a`` and ``b`` have ``n`` words in a row in common."""
    aw, bw = _fold(a).split(), _fold(b).split()
    runs = {tuple(bw[i : i + n]) for i in range(len(bw) - n + 1)}
    return any(tuple(aw[i : i + n]) in runs for i in range(len(aw) - n + 1))


def _after(
    tokens: Sequence[str], leads: Sequence[str], most: int, stop: set[str]
) -> tuple[str, int]:
    """Up to ``most`` words after the earliest of ``leads`` said, stopping at a stop word or
    after a word that ends a phrase; and the index after them (0 when no lead was said)."""
    low = [t.lower().strip('.,;:!?"') for t in tokens]
    starts = []
    for lead in leads:
        parts = lead.split()
        for i in range(len(low) - len(parts) + 1):
            if low[i : i + len(parts)] == parts and not re.search(
                r"[,.;:!?]$", tokens[i + len(parts) - 1]
            ):
                starts.append((i, -len(parts)))
                break
    if not starts:
        return "", 0
    i, minus = min(starts)
    at = i - minus
    found: list[str] = []
    for token, lower in zip(tokens[at : at + most], low[at : at + most], strict=True):
        if not lower or lower in stop or not token[0].isalpha():
            break
        found.append(token.strip('.,;:!?"'))
        if re.search(r"[,.;:!?]$", token):
            break
    return " ".join(found), at + len(found)


def _title(text: str) -> str:
    """Speech-to-text's "north wind payroll" as a name: "North Wind Payroll"; "PawText" stays."""
    return " ".join(t if any(c.isupper() for c in t) else t.capitalize() for t in text.split())


def _cue(text: str) -> str:
    number = re.search(r"\d[\d\-]{6,}\d", text)
    if number:
        return number.group(0)
    words = text.split()
    return " ".join(words[:8]) + (" \u2026" if len(words) > 8 else "")
