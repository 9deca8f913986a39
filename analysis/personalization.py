"""Personalization against a scenario card: did the message use this prospect's name, company or
industry, refer to what prompted the call, and tie the value to what they care about?

Each is a check with evidence (the words heard and their times). The numbers, word lists and
advice come from the profile's ``[scenario]`` table and ``[checks.scenario_*]`` entries; a
profile without them borrows the built-in default's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from voicemail_coach.analysis.check_builder import CheckBuilder
from voicemail_coach.analysis.phrases import phrase_regex
from voicemail_coach.analysis.profile import Profile, ScenarioGuidance
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.analysis.report import Check, Evidence, Report, ReportWord
from voicemail_coach.analysis.scenarios import Scenario
from voicemail_coach.analysis.transcript import TimedText, Word, match_text

MIN_NAME_LETTERS = 3
# Stems sharing at least this many leading letters match ("reconcile" / "reconciliation").
MIN_SHARED_PREFIX = 5


def scenario_checks(report: Report, profile: Profile, scenario: Scenario) -> list[Check]:
    """The four scenario checks for ``report``, in a stable order."""
    if profile.scenario is None:
        profile = load_profile()
    guidance = profile.scenario
    assert guidance is not None
    words = report.transcript.words
    b = CheckBuilder(profile)
    _name(b, words, scenario, guidance)
    _company_or_industry(b, words, scenario, guidance)
    _trigger(b, words, scenario, guidance)
    _relevance(b, report, scenario, guidance)
    return b.checks


# -- matching ---------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """A word as compared with a name: lower case, letters only, possessive dropped, and the
    spellings a transcriber swaps folded together (ph/f, y/i, doubled letters)."""
    t = match_text(text).lower().strip()
    t = re.sub(r"'s$|s'$", "", t)
    t = re.sub(r"[^a-z]", "", t)
    t = t.replace("ph", "f").replace("y", "i")
    return re.sub(r"(.)\1+", r"\1", t)


def similar(heard: str, wanted: str, threshold: float) -> bool:
    a, b = fold(heard), fold(wanted)
    if len(a) < MIN_NAME_LETTERS or len(b) < MIN_NAME_LETTERS or a[0] != b[0]:
        return a == b and bool(a)
    if len(b) <= 3:
        return a == b
    return SequenceMatcher(None, a, b).ratio() >= threshold


def find_name(
    words: Sequence[ReportWord], name: str, threshold: float, capitalized: bool = False
) -> list[Evidence]:
    """Where ``name`` (one or more words) was said, allowing a transcriber's near-misses and a
    name heard as two words ("North Wind"). ``capitalized``: only words written with a capital."""
    target = "".join(name.split())
    hits: list[Evidence] = []
    i = 0
    while i < len(words):
        found = 0
        for span in (1, 2, 3):
            chunk = words[i : i + span]
            if len(chunk) < span:
                break
            if capitalized and not chunk[0].text.strip(" \"'(").istitle():
                break
            if similar("".join(w.text.strip() for w in chunk), target, threshold):
                found = span
                break
        if found:
            chunk = words[i : i + found]
            text = " ".join(w.text.strip() for w in chunk).strip(" ,.;:!?")
            hits.append(Evidence(text, chunk[0].start_s, chunk[-1].end_s))
            i += found
        else:
            i += 1
    return hits


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """A light stem: lower case, possessive and common endings dropped ("costs" -> "cost")."""
    w = re.sub(r"[^a-z0-9]", "", re.sub(r"'s$", "", match_text(word).lower().strip()))
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            return w[: len(w) - len(suffix)] + repl
    return w


def stems_match(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= MIN_SHARED_PREFIX and long.startswith(short)


def skip_set(ignore: Iterable[str]) -> frozenset[str]:
    """Words (and their stems) that never count as shared."""
    words = [w.lower() for w in ignore]
    return frozenset({stem(w) for w in words} | set(words))


def content_stems(texts: Iterable[str], skip: frozenset[str]) -> set[str]:
    out = set()
    for text in texts:
        for token in re.findall(r"[A-Za-z0-9'\u2019-]+", text):
            for part in token.split("-"):
                s = stem(part)
                if len(s) >= 3 and s not in skip and part.lower() not in skip:
                    out.add(s)
    return out


def _phrase_hits(
    words: Sequence[ReportWord], patterns: Iterable[re.Pattern[str]]
) -> list[Evidence]:
    timed = TimedText([Word(w.text, w.start_s, w.end_s) for w in words])
    text = match_text(timed.text)
    hits = []
    for rx in patterns:
        for m in rx.finditer(text):
            span = timed.span(m.start(), m.end())
            if span is not None:
                hits.append(Evidence(span.text, span.start_s, span.end_s))
    # Longest first, then drop any hit inside one already kept ("guide" within "our guide").
    kept: list[Evidence] = []
    for e in sorted(hits, key=lambda e: (e.start_s - e.end_s, e.start_s)):
        if not any(k.start_s <= e.start_s and e.end_s <= k.end_s for k in kept):
            kept.append(e)
    return sorted(kept, key=lambda e: e.start_s)


def _keyword_patterns(keywords: Iterable[str]) -> list[re.Pattern[str]]:
    """A card's own words, as whole words; a keyword of several words also matches them written
    as one ("job site": "jobsite", "job-site"), as Whisper spells such compounds either way."""
    patterns = []
    for k in keywords:
        if not k.strip():
            continue
        rx = phrase_regex(k)
        patterns.append(re.compile(rx.pattern.replace(r"[\s-]+", r"[\s-]*"), rx.flags))
    return patterns


# -- the checks -------------------------------------------------------------------------------


def _name(b: CheckBuilder, words: Sequence[ReportWord], s: Scenario, g: ScenarioGuidance) -> None:
    parts = s.prospect.split()
    hits = find_name(words, parts[0], g.name_similarity) if parts else []
    if not hits and len(parts) > 1:
        hits = find_name(words, parts[-1], g.name_similarity)
    target = f"say {s.first_name}'s name"
    if hits:
        b.add("scenario_name", "pass", "pass", hits[0].text, target, hits, text=hits[0].text)
    else:
        b.add("scenario_name", "warn", "warn", "not said", target, name=s.first_name)


def _company_or_industry(
    b: CheckBuilder, words: Sequence[ReportWord], s: Scenario, g: ScenarioGuidance
) -> None:
    generic = {w.lower() for w in g.company_generic}
    significant = [w for w in re.findall(r"[\w'&-]+", s.company) if w.lower() not in generic]
    hits = find_name(words, " ".join(significant), g.name_similarity) if significant else []
    if not hits and significant:
        # People shorten a company to its first word ("Keller"): a capitalised one counts.
        hits = find_name(words, significant[0], g.name_similarity, capitalized=True)
    terms = [s.industry, *s.industry_keywords]
    hits += _industry_hits(words, terms, g)
    hits.sort(key=lambda e: e.start_s)
    target = f"{s.company} or {s.industry}"
    if hits:
        b.add(
            "scenario_company_or_industry", "pass", "pass", hits[0].text, target, hits,
            text=hits[0].text,
        )  # fmt: skip
    else:
        b.add(
            "scenario_company_or_industry", "warn", "warn", "not mentioned", target,
            company=s.company, industry=s.industry,
        )  # fmt: skip


def _industry_hits(
    words: Sequence[ReportWord], terms: Sequence[str], g: ScenarioGuidance
) -> list[Evidence]:
    """Industry terms said, each word compared by its light stem ("freight" / "Freight's")."""
    wanted = [[stem(p) for p in t.split()] for t in terms if t.split()]
    said = [stem(w.text) for w in words]
    hits = []
    for i in range(len(said)):
        for term in wanted:
            chunk = said[i : i + len(term)]
            if len(chunk) == len(term) and all(
                stems_match(a, c) for a, c in zip(term, chunk, strict=True)
            ):
                ws = words[i : i + len(term)]
                text = " ".join(w.text.strip() for w in ws).strip(" ,.;:!?")
                hits.append(Evidence(text, ws[0].start_s, ws[-1].end_s))
                break
    return hits


def _trigger(
    b: CheckBuilder, words: Sequence[ReportWord], s: Scenario, g: ScenarioGuidance
) -> None:
    patterns = [*g.triggers.get(s.trigger, ()), *_keyword_patterns(s.trigger_keywords)]
    hits = _phrase_hits(words, patterns)
    target = f"refer to it: {s.trigger_label.lower()}"
    if hits:
        b.add("scenario_trigger", "pass", "pass", hits[0].text, target, hits, text=hits[0].text)
    else:
        b.add("scenario_trigger", "fail", "fail", "not mentioned", target,
              trigger=s.trigger_detail.rstrip("."))  # fmt: skip


def _relevance(b: CheckBuilder, report: Report, s: Scenario, g: ScenarioGuidance) -> None:
    target = "; ".join(s.cares_about)
    value_sentences = [x for x in report.sentences if "value_proposition" in x.labels]
    if not value_sentences:
        b.add("scenario_relevance", "fail", "missing", "no value proposition", target,
              name=s.first_name)  # fmt: skip
        return
    skip = skip_set(g.ignore_words)
    cares = content_stems(s.cares_about, skip)
    angle = content_stems([s.value_angle], skip) - cares
    shared_cares: list[Evidence] = []
    shared_angle: list[Evidence] = []
    for sentence in value_sentences:
        for w in report.transcript.words:
            if not sentence.start_s <= w.start_s <= sentence.end_s:
                continue
            found = content_stems([w.text], skip)
            if not found:
                continue
            ev = Evidence(w.text.strip(" ,.;:!?"), w.start_s, w.end_s)
            if any(stems_match(t, c) for t in found for c in cares):
                shared_cares.append(ev)
            elif any(stems_match(t, a) for t in found for a in angle):
                shared_angle.append(ev)
    enough = len({e.text.lower() for e in shared_cares}) >= max(
        1, g.relevance_cares_about_words
    ) or len({e.text.lower() for e in shared_angle}) >= max(1, g.relevance_value_angle_words)
    shared = sorted(shared_cares + shared_angle, key=lambda e: e.start_s)
    words_said = ", ".join(dict.fromkeys(e.text.lower() for e in shared))
    if enough:
        b.add("scenario_relevance", "pass", "pass", words_said, target, shared, text=words_said)
    else:
        b.add("scenario_relevance", "warn", "warn", words_said or "no shared words", target,
              shared, name=s.first_name)  # fmt: skip
