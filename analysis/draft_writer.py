"""One draft in the making (:class:`Writer`): each part of the script, in order, chosen from the
rep's working sentences (fillers out, bad clauses dropped), the scenario card or a template,
with the change that says why; trimmed to fit when it runs long."""

from __future__ import annotations

import re
from collections.abc import Sequence

from voicemail_coach.analysis.draft import PLACEHOLDER, Change, DraftPart, rewrite_words
from voicemail_coach.analysis.phone_numbers import digits_of, grouped
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.report import Report, ReportSentence
from voicemail_coach.analysis.scenarios import Scenario
from voicemail_coach.analysis.script_text import (
    after,
    clause_with,
    first_clauses,
    fold,
    replace_folded,
    shares_run,
    title,
)

BAD_LABELS = ("self_praise", "pressure", "premature_ask")


class Writer:
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
        name, end = after(tokens, w["name_leads"], 2, stop)
        company = after(tokens[end:], w["company_leads"], 3, stop)[0] if name else ""
        prospect = self.card.first_name if self.card else ""
        if not prospect:
            prospect = after(
                tokens,
                w["greetings"],
                1,
                stop | {t for lead in w["name_leads"] for t in lead.split()},
            )[0]
        return title(name), title(company), title(prospect)

    def _sentence_of(self, text: str) -> int | None:
        """The index of the sentence that holds ``text``."""
        key = fold(text)
        for i, s in enumerate(self.report.sentences):
            if key and (key in fold(s.text) or fold(s.text) in key):
                return i
        return None

    def _dirty(self, text: str) -> str | None:
        """The bad category (self-praise, pressure, premature ask) found inside ``text``, or in
        the short sentence that holds it (a long run-on may keep a clean clause)."""
        folded = fold(text)
        most = int(self.words["max_kept_words"])
        for f in self.report.findings:
            if f.category not in BAD_LABELS:
                continue
            bad, sentence = fold(f.text), fold(f.sentence)
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
            if kept and fold(kept[-1]) == fold(token):
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
        return text if len(text.split()) <= most else first_clauses(text, most).rstrip(",; ")

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
        folded = fold(text)
        for moment in later.get(part, ()):
            other = fold(moment.text)
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
            and (not self.card or fold(self.card.first_name) in fold(sentence.text))
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
            clause = clause_with(f.sentence, f.text)
            spoken = {self.name.lower(), self.company.lower()} - {""}
            vp = self.report.value_proposition
            shared = vp.found and shares_run(clause, vp.text, 4)  # the value's own words
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
        said = [n for n in self.report.phone_numbers if fold(n.text) in fold(step.text)]
        if said:
            grouped = step.text
            for n in said:
                grouped = replace_folded(grouped, n.text, self.number)
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
        cut = first_clauses(before.text, most).rstrip(",;: ")
        if not cut or cut == before.text.rstrip("."):
            return
        text = cut if cut[-1] in ".!?" else cut + "."
        self.parts[part] = DraftPart(part, text, before.source)
        self.changes.append(Change("length", "edited", self.reasons["length_trim"],
                                   before.text, text, part))  # fmt: skip

    def assemble(self, order: Sequence[str]) -> tuple[DraftPart, ...]:
        return tuple(self.parts[p] for p in order if p in self.parts)


def _has_words(sentence: ReportSentence) -> bool:
    return len(fold(sentence.text).split()) >= 2
