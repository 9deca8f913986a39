"""The structure read for meaning: each sentence, the parts of a run-on sentence and a sentence
read with the next by the meaning model (voicemail_coach.analysis.meaning), weighed with the
phrase rules' verdict; where a part starts; the closest sentence for a part not found.

Imported only when the profile uses the model."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from voicemail_coach.analysis.clauses import (
    clauses,
    lead_token,
    past_lead_words,
    sentence_parts,
)
from voicemail_coach.analysis.findings import CTA, Finding, NearMiss, SentenceLabels
from voicemail_coach.analysis.meaning import (
    CATEGORIES,
    CoachExamples,
    MeaningModel,
    Reading,
)
from voicemail_coach.analysis.phrase_rules import NAMES, rule_vectors, vectors
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.transcript import Sentence, Word


def read_with_meaning(
    model: MeaningModel,
    words: Sequence[Word],
    sentences: Sequence[Sentence],
    labelled: list[SentenceLabels],
    profile: Profile,
) -> tuple[list[SentenceLabels], dict[str, NearMiss], tuple[str | None, ...]]:
    """The sentences ``labelled`` by the rules read again by ``model``: the findings each keeps
    (and why), the closest sentence for each timed part not found, and each sentence's value
    grade."""
    texts = [s.text for s in sentences]
    hits, kinds = vectors(labelled)
    content = profile.content
    coach = CoachExamples(
        dict(content.counts), dict(content.not_counts), content.example_similarity
    )
    # Parts of a sentence read on their own: every part of a run-on sentence (what it says in
    # the middle can be lost in one reading of the whole), and the clauses of a sentence holding
    # a timed part the rules did not locate, or located before its last clause ("I sent you an
    # email this morning, I'll try you again on Thursday": the request is the later clause), to
    # find where that part starts. A run-on sentence's parts are read with the sentences, in one
    # pass of the encoder (small passes cost more per word).
    long_parts = {
        i: sentence_parts(words[s.first : s.last + 1], profile)
        for i, s in enumerate(sentences)
        if 0 < content.run_on_words <= s.last - s.first + 1
    }
    model.read_features(
        texts
        + [
            _words_text(words, sentences[i].first + a, sentences[i].first + b)
            for i, parts in long_parts.items()
            if len(parts) > 1
            for a, b in parts
        ]
    )
    readings = model.read(texts, hits, kinds, coach)
    timed = ("intro", "value_proposition", "call_to_action", "opt_out")
    part_jobs: list[tuple[int, int, int]] = []  # (sentence, first word, last word) absolute
    for i, s in enumerate(sentences):
        ruled = {f.category for f in labelled[i].findings}
        found = readings[i].positive & set(timed)
        parts = long_parts.get(i) or clauses(words[s.first : s.last + 1], profile)
        if len(parts) > 1 and (
            i in long_parts
            or found - ruled
            or any(
                f.category in found - set(content.rules_decide)
                and f.start_s < words[s.first + parts[-1][0]].start_s
                for f in labelled[i].findings
            )
        ):
            part_jobs += [(i, s.first + a, s.first + b) for a, b in parts]
    part_texts = [_words_text(words, a, b) for _, a, b in part_jobs]
    pairs = _pair_jobs(texts, readings, profile)
    pair_texts = [f"{texts[i]} {texts[i + 1]}" for i in pairs]
    model.read_features(part_texts + pair_texts)  # what is not read yet, in one pass
    p_hits, p_kinds = rule_vectors(part_texts, profile) if part_texts else (hits[:0], kinds[:0])
    part_readings = model.read(part_texts, p_hits, p_kinds, coach) if part_texts else []
    paired = _read_pairs(model, pairs, pair_texts, profile, coach)

    out: list[SentenceLabels] = []
    grades: list[str | None] = []
    for i, (s, sl, reading) in enumerate(zip(sentences, labelled, readings, strict=True)):
        by_rule: dict[str, list[Finding]] = {}
        for f in sl.findings:
            by_rule.setdefault(f.category, []).append(f)
        kept: list[Finding] = list(by_rule.get("phone_number", []))
        mine = [(k, a, b) for k, (j, a, b) in enumerate(part_jobs) if j == i]
        from_parts: dict[str, Reading] = {}
        moved: dict[str, Reading] = {}  # read in a later part than the rule's match
        unsupported: set[str] = set()  # read so whole, by no part (part_support)
        for c in CATEGORIES:
            rule_found = [f for f in by_rule.get(c, []) if f.category == c]
            # In the profile's rules_decide categories a rule's match always counts (unless a
            # coach's example says otherwise); elsewhere the model weighs the rule's verdict.
            # Leaving your number is a call back asked for however the words around it came
            # out ("Please call me Mac at 5 .55, 3 .12, ..."): the corpus labels it so every time.
            by_number = c == CTA and "phone_number" in by_rule
            # So is a sentence that names the listener ("Hi Taylor, this is Morgan ...",
            # "thank you ms ramirez"): personalization in every author's labels.
            by_name = c == "personalization" and any(
                p.search(s.text) is not None for p in content.listener_named
            )
            decided = (
                bool(rule_found)
                and (c in content.rules_decide or by_number or by_name)
                and c not in reading.steered
            )
            if c not in reading.positive and not decided:
                # A part of a run-on sentence, or the sentence read with the next, may say it.
                elsewhere: tuple[Reading, int, int, str | None] | None = None
                says = [
                    n
                    for n, (k, _, _) in enumerate(mine)
                    if i in long_parts
                    and c in content.part_categories
                    and c in part_readings[k].positive
                ]
                if says:
                    k, _, b = mine[says[0]]
                    a = mine[_with_condition(mine, says[0], words, profile)][1]
                    elsewhere = (part_readings[k], a, b, None)
                if elsewhere is None and c in paired.get(i, {}):
                    elsewhere = (
                        paired[i][c],
                        s.first,
                        s.last,
                        "read together with the next sentence",
                    )
                if elsewhere is not None:
                    other, a, b, where = elsewhere
                    from_parts[c] = other
                    kept += _part_findings(c, i, s, a, b, other, rule_found, words, profile, where)
                continue
            # A run-on sentence that reads as a value proposition as a whole, when none of its
            # parts does and no rule matched, was product talk run together ("we sell the wind
            # machines and the frost sensors that talk to your phone anyway its cody ..."):
            # [content] part_support.
            if (
                c in content.part_support
                and i in long_parts
                and not rule_found
                and c not in reading.steered
                and mine
                and not any(c in part_readings[k].positive for k, _, _ in mine)
            ):
                unsupported.add(c)
                continue
            part = _request_part(c, mine, part_readings, rule_found, words, profile)
            if part is not None:
                # The rule matched a part that does not read as it on its own ("Um, I sent you
                # an email,"); a later part does: timed from that part, as the model found it.
                k, a, b = part
                moved[c] = from_parts[c] = part_readings[k]
                kept += _part_findings(c, i, s, a, b, part_readings[k], [], words, profile)
                continue
            why = _why(c, reading, bool(rule_found))
            start_word = _clause_start(
                c, i, s, part_jobs, part_readings, rule_found, words, profile
            )
            if start_word is not None:
                start_word = past_lead_words(start_word, s.last, words, profile)
            if rule_found:
                kept += [
                    dataclasses.replace(f, why=why, clause_word=start_word) for f in rule_found
                ]
                continue
            first = start_word if start_word is not None else s.first
            kept.append(
                Finding(
                    c,
                    _words_text(words, first, s.last),
                    words[first].start_s,
                    words[s.last].end_s,
                    i,
                    None,
                    why,
                    start_word,
                )
            )
        cta_kind = None
        cta_reading = reading if "call_to_action" in reading.positive else None
        cta_reading = cta_reading or from_parts.get("call_to_action")
        if CTA in moved:  # the request is another part than the rule's match: its kind
            cta_reading = moved[CTA]
        if cta_reading is not None:
            # The kind head reads the rule's kind beside the wording, and is right more often
            # than the rule alone ("reply to the email I sent" asks for a reply, not an email:
            # kind accuracy on dev 0.89 -> 0.94 when the head decides).
            cta_kind = cta_reading.kind
            kept = [
                dataclasses.replace(f, kind=cta_kind) if f.category == "call_to_action" else f
                for f in kept
            ]
        labels = tuple(dict.fromkeys(f.category for f in sorted(kept, key=lambda f: f.start_s)))
        out.append(SentenceLabels(labels, cta_kind, tuple(kept)))
        value = from_parts.get("value_proposition", reading)
        about_value = (
            "value_proposition" in value.positive and "value_proposition" not in unsupported
        ) or value.grade == "feature"
        grades.append(value.grade if about_value else None)
    near = {}
    for c in timed:
        if any(c in sl.labels for sl in out) or not readings:
            continue
        best = max(range(len(readings)), key=lambda i: readings[i].probs[c])
        near[c] = NearMiss(
            best, texts[best], round(readings[best].probs[c], 2), content.lacks.get(c, "")
        )
    return out, near, tuple(grades)


def _part_findings(
    category: str,
    index: int,
    sentence: Sentence,
    first: int,
    last: int,
    reading: Reading,
    rule_found: Sequence[Finding],
    words: Sequence[Word],
    profile: Profile,
    where: str | None = None,
) -> list[Finding]:
    """What one part of a run-on sentence reads as, when the whole sentence did not: timed from
    the part (past its joining words)."""
    start = past_lead_words(first, last, words, profile)
    clause_word = start if start != sentence.first else None
    text = _words_text(words, start, last)
    where = where or f'in the part "{text}"'
    why = f"{_why(category, reading, bool(rule_found))}, {where}"
    if rule_found:
        return [dataclasses.replace(f, why=why, clause_word=clause_word) for f in rule_found]
    return [
        Finding(
            category,
            text,
            words[start].start_s,
            words[last].end_s,
            index,
            None,
            why,
            clause_word,
        )
    ]


def _words_text(words: Sequence[Word], first: int, last: int) -> str:
    return " ".join(w.text.strip() for w in words[first : last + 1])


def _pair_jobs(texts: Sequence[str], readings: Sequence[Reading], profile: Profile) -> list[int]:
    """Some parts of a message take two sentences ("I work with shops who miss calls after
    hours. That usually means lost customers."): a sentence the model read as close to one of
    the profile's ``pair_categories`` (at least ``pair_floor``) is read again with the sentence
    after it."""
    content = profile.content
    return [
        i
        for i in range(len(texts) - 1)
        if any(
            c not in readings[i].positive
            and c not in readings[i + 1].positive
            and readings[i].probs[c] >= content.pair_floor
            for c in content.pair_categories
        )
    ]


def _read_pairs(
    model: MeaningModel,
    jobs: Sequence[int],
    pair_texts: Sequence[str],
    profile: Profile,
    coach: CoachExamples,
) -> dict[int, dict[str, Reading]]:
    """Per sentence, the pair categories its reading together with the next one found."""
    if not jobs:
        return {}
    hits, kinds = rule_vectors(list(pair_texts), profile)
    out: dict[int, dict[str, Reading]] = {}
    for i, reading in zip(jobs, model.read(pair_texts, hits, kinds, coach), strict=True):
        found = {c: reading for c in profile.content.pair_categories if c in reading.positive}
        if found:
            out[i] = found
    return out


def _why(category: str, reading: Reading, by_rule: bool) -> str:
    name = NAMES[category]
    steered = reading.steered.get(category)
    if steered is not None:
        return f'close to your coach\'s example of {name}: "{steered.text}"'
    p = reading.probs[category]
    if by_rule and category in reading.positive:
        return f"matched the profile's phrase rule for {name}, and reads as one ({p:.0%})"
    if by_rule:
        return f"matched the profile's phrase rule for {name}"
    example = reading.nearest.get(category)
    like = f', like "{example.text}"' if example is not None else ""
    return f"reads as {name} ({p:.0%}){like}"


def _request_part(
    category: str,
    mine: Sequence[tuple[int, int, int]],
    readings: Sequence[Reading],
    rule_found: Sequence[Finding],
    words: Sequence[Word],
    profile: Profile,
) -> tuple[int, int, int] | None:
    """The part (job, first word, last word) to time a rule-located ``category`` from instead
    of the rule's match, in a sentence whose parts were read, when the part holding the match
    does not read as it on its own ("Um, I sent you an email,") and a later part does. None
    otherwise, and always in the profile's ``rules_decide`` categories (there a rule's match
    counts as it is)."""
    if not rule_found or category in profile.content.rules_decide:
        return None
    at = min(f.start_s for f in rule_found)
    later = [(k, a, b) for k, a, b in mine if words[b].end_s > at]
    reading = [n for n in range(1, len(later)) if category in readings[later[n][0]].positive]
    if not reading or category in readings[later[0][0]].positive:
        return None
    found = reading[-1] if category == CTA else reading[0]  # the message's CTA is the last said
    # When the condition before the request is the rule's own part, the rule's timing holds.
    first = _with_condition(later, found, words, profile)
    if first == 0:
        return None
    return later[found][0], later[first][1], later[found][2]


def _with_condition(
    parts: Sequence[tuple[int, ...]], found: int, words: Sequence[Word], profile: Profile
) -> int:
    """The first of ``parts`` (each (job, first word, ...)) that belongs with part ``found``: a
    condition before a request or a value is part of it ("If I haven't heard from you by
    Friday, I'll call you again"; profile `[content] condition_words`)."""
    conditions = set(profile.content.condition_words)
    first = found
    while first > 0 and lead_token(parts[first - 1][1], words, profile) in conditions:
        first -= 1
    return first


def _clause_start(
    category: str,
    index: int,
    sentence: Sentence,
    jobs: Sequence[tuple[int, int, int]],
    readings: Sequence[Reading],
    rule_found: Sequence[Finding],
    words: Sequence[Word],
    profile: Profile,
) -> int | None:
    """Where the part starts inside a run-on sentence: the clause holding the rule's match, or the
    first clause the model reads as it on its own. None when that is the sentence's start."""
    if rule_found:
        at = min(f.start_s for f in rule_found)
        for a, b in clauses(words[sentence.first : sentence.last + 1], profile):
            if words[sentence.first + b].end_s > at:
                return sentence.first + a if a else None
        return None
    mine = [(k, a) for k, (i, a, _) in enumerate(jobs) if i == index]
    for n, (k, _) in enumerate(mine):
        if category in readings[k].positive:
            start = mine[_with_condition(mine, n, words, profile)][1]
            return start if start != sentence.first else None
    return None
