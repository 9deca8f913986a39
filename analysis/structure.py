"""What the message says: introduction, value, next step, way out, and the things to avoid."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from voicemail_coach.analysis.profile import Matcher, Profile

if TYPE_CHECKING:
    from voicemail_coach.analysis.meaning import CoachExamples, MeaningModel, Reading
from voicemail_coach.analysis.transcript import (
    Sentence,
    Span,
    TimedText,
    Word,
    match_text,
    words_from_text,
)

CTA = "call_to_action"
LIST_CATEGORIES = ("premature_ask", "self_praise", "pressure", "personalization")


@dataclass(frozen=True)
class Finding:
    """A matched phrase: its words and times, and the sentence it sits in."""

    category: str
    text: str
    start_s: float
    end_s: float
    sentence: int
    kind: str | None = None
    why: str = ""  # how it was found: the rule that matched, or the model and its closest example
    clause_word: int | None = None  # where its clause starts (index into the words), if not at 0


@dataclass(frozen=True)
class SentenceLabels:
    labels: tuple[str, ...]
    cta_kind: str | None
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class PhoneNumber:
    text: str
    start_s: float
    end_s: float
    digits: int

    @property
    def digits_per_s(self) -> float:
        return self.digits / max(0.2, self.end_s - self.start_s)


@dataclass(frozen=True)
class NearMiss:
    """For a part not found: the sentence that came closest, and what it lacked."""

    sentence: int
    text: str
    probability: float
    lacks: str


@dataclass(frozen=True)
class Structure:
    sentence_labels: tuple[SentenceLabels, ...]
    phone_numbers: tuple[PhoneNumber, ...]
    findings: tuple[Finding, ...] = field(default=())
    near_misses: dict[str, NearMiss] = field(default_factory=dict)
    model_used: bool = False
    grades: tuple[str | None, ...] = ()  # per sentence: specific / vague / feature, or None

    def first(self, category: str) -> Finding | None:
        return next((f for f in self.findings if f.category == category), None)

    def all(self, category: str) -> list[Finding]:
        return [f for f in self.findings if f.category == category]

    def call_to_action(self) -> Finding | None:
        """The message's closing next step: the last call to action said."""
        ctas = self.all("call_to_action")
        return ctas[-1] if ctas else None


def classify_sentence(
    text: str,
    profile: Profile,
    words: Sequence[Word] | None = None,
    index: int = 0,
    first_word: int = 0,
) -> SentenceLabels:
    """Labels for one sentence, with each match located in the words when they are given."""
    if words is None:
        words = words_from_text(text, profile.pace.script_wpm)
    timed = TimedText(words, first_word)
    norm = match_text(timed.text)
    findings: list[Finding] = []

    def add(category: str, spans: list[tuple[int, int]], kind: str | None = None) -> None:
        for s, e in spans:
            span = timed.span(s, e)
            if span is not None:
                findings.append(Finding(category, span.text, span.start_s, span.end_s, index, kind))

    for category, matcher in profile.structure.items():
        add(category, matcher.find(norm))
    cta_kind = None
    for kind, matcher in profile.cta.items():
        spans = matcher.find(norm)
        if spans:
            cta_kind = kind
            add("call_to_action", spans[:1], kind)
            break
    for number in find_phone_numbers(
        timed.words, profile.phone.min_digits, profile.phone.not_after
    ):
        findings.append(Finding("phone_number", number.text, number.start_s, number.end_s, index))
        if cta_kind is None:
            # Leaving your number is itself an invitation to call back.
            cta_kind = "callback"
            findings.append(
                Finding(
                    "call_to_action", number.text, number.start_s, number.end_s, index, cta_kind
                )
            )
    labels = tuple(dict.fromkeys(f.category for f in findings))
    return SentenceLabels(labels, cta_kind, tuple(findings))


def analyze_structure(
    words: Sequence[Word], sentences: Sequence[Sentence], profile: Profile
) -> Structure:
    """Each sentence read by the profile's phrase rules and, when it is available, by the
    meaning model (voicemail_coach.analysis.meaning), which weighs the rules' verdict with what it has learnt."""
    labelled = [
        classify_sentence(s.text, profile, words[s.first : s.last + 1], i, s.first)
        for i, s in enumerate(sentences)
    ]
    model = None
    if profile.content.use_model and sentences:
        from voicemail_coach.analysis.meaning import get_model

        model = get_model()
    near: dict[str, NearMiss] = {}
    grades: tuple[str | None, ...] = ()
    if model is not None:
        from voicemail_coach.analysis.encoder import one_blas_thread

        with one_blas_thread():  # the head's products are small: a second BLAS thread only spins
            labelled, near, grades = _with_meaning(model, words, sentences, labelled, profile)
    else:
        labelled = [_explained_by_rules(sl) for sl in labelled]
    findings = [f for sl in labelled for f in sl.findings]
    return Structure(
        sentence_labels=tuple(labelled),
        phone_numbers=tuple(
            find_phone_numbers(words, profile.phone.min_digits, profile.phone.not_after)
        ),
        findings=tuple(sorted(findings, key=lambda f: (f.start_s, f.category))),
        near_misses=near,
        model_used=model is not None,
        grades=grades,
    )


RULE_WHY = "matched the profile's phrase rule for {name}"
NAMES = {
    "intro": "an introduction",
    "value_proposition": "a value proposition",
    "call_to_action": "a call to action",
    "opt_out": "an opt-out",
    "premature_ask": "a premature ask",
    "self_praise": "self-praise",
    "pressure": "pressure",
    "personalization": "personalization",
    "phone_number": "a phone number",
}


def _explained_by_rules(sl: SentenceLabels) -> SentenceLabels:
    return SentenceLabels(
        sl.labels,
        sl.cta_kind,
        tuple(
            dataclasses.replace(f, why=RULE_WHY.format(name=NAMES.get(f.category, f.category)))
            for f in sl.findings
        ),
    )


def clauses(words: Sequence[Word], profile: Profile) -> list[tuple[int, int]]:
    """A sentence's clauses as (first, last) word indexes: split after a comma or before one of
    the profile's clause words, when both sides keep at least ``min_clause_words`` words.

    A filler phrase set off by commas ("I'll, you know, try you again") stays inside its clause:
    no clause starts with it, and its words do not count towards a clause's length (fillers that
    are clause words, "um" and "uh", still mark where a new idea starts)."""
    cut_words = set(profile.content.clause_words)
    least = profile.content.min_clause_words
    filler = [False] * len(words)
    opens = set()
    for span in filler_spans(words, profile.filler_matcher):
        inside = range(span.first, span.last + 1)
        if all(_token(words[k].text) in cut_words for k in inside):
            continue
        opens.add(span.first)
        for k in inside:
            filler[k] = True
    counted = np.cumsum([0] + [not f for f in filler])  # counted[k]: words before k that count
    cuts = [0]
    for k in range(1, len(words)):
        token = _token(words[k].text)
        after_comma = words[k - 1].text.strip().endswith((",", ";", ":", "-"))
        if (
            (after_comma or token in cut_words)
            and k not in opens
            and not filler[k]
            and counted[k] - counted[cuts[-1]] >= least
            and counted[-1] - counted[k] >= least
        ):
            cuts.append(k)
    return [(a, b - 1) for a, b in zip(cuts, [*cuts[1:], len(words)], strict=True)]


def filler_spans(words: Sequence[Word], matcher: Matcher, first: int = 0) -> list[Span]:
    """The fillers among one sentence's ``words`` (indices from ``first``), as word spans."""
    timed = TimedText(words, first)
    spans = (timed.span(start, end) for start, end in matcher.find(match_text(timed.text)))
    return [span for span in spans if span is not None]


def _with_meaning(
    model: MeaningModel,
    words: Sequence[Word],
    sentences: Sequence[Sentence],
    labelled: list[SentenceLabels],
    profile: Profile,
) -> tuple[list[SentenceLabels], dict[str, NearMiss], tuple[str | None, ...]]:
    from voicemail_coach.analysis.meaning import CATEGORIES, KINDS, CoachExamples

    texts = [s.text for s in sentences]
    hits, kinds = _vectors(labelled)
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
        for c in CATEGORIES:
            rule_found = [f for f in by_rule.get(c, []) if f.category == c]
            # In the profile's rules_decide categories a rule's match always counts (unless a
            # coach's example says otherwise); elsewhere the model weighs the rule's verdict.
            decided = bool(rule_found) and c in content.rules_decide and c not in reading.steered
            if c not in reading.positive and not decided:
                # A part of a run-on sentence, or the sentence read with the next, may say it.
                elsewhere: tuple[Reading, int, int, str | None] | None = next(
                    (
                        (part_readings[k], a, b, None)
                        for k, a, b in mine
                        if i in long_parts
                        and c in content.part_categories
                        and c in part_readings[k].positive
                    ),
                    None,
                )
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
                start_word = _past_lead_words(start_word, s.last, words, profile)
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
        rule_kind = sl.cta_kind
        if CTA in moved:  # the request is another part than the rule's match: its kind
            cta_reading, rule_kind = moved[CTA], None
        if cta_reading is not None:
            cta_kind = rule_kind if rule_kind in KINDS else cta_reading.kind
            kept = [
                dataclasses.replace(f, kind=cta_kind) if f.category == "call_to_action" else f
                for f in kept
            ]
        labels = tuple(dict.fromkeys(f.category for f in sorted(kept, key=lambda f: f.start_s)))
        out.append(SentenceLabels(labels, cta_kind, tuple(kept)))
        value = from_parts.get("value_proposition", reading)
        about_value = "value_proposition" in value.positive or value.grade == "feature"
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


def sentence_parts(words: Sequence[Word], profile: Profile) -> list[tuple[int, int]]:
    """A sentence's clauses (see :func:`clauses`), each short one joined to the next until it
    holds the profile's ``min_part_words``; a short last one joins the part before it."""
    least = profile.content.min_part_words
    parts: list[tuple[int, int]] = []
    start = None
    for a, b in clauses(words, profile):
        start = a if start is None else start
        if b - start + 1 >= least:
            parts.append((start, b))
            start = None
    if start is not None:
        if parts:
            parts[-1] = (parts[-1][0], len(words) - 1)
        else:
            parts.append((start, len(words) - 1))
    return parts


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
    start = _past_lead_words(first, last, words, profile)
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
    # A condition before the request is part of it ("If I haven't heard from you by Friday,
    # I'll call you again"); when the condition is the rule's own part, the rule's timing holds.
    conditions = set(profile.content.condition_words)
    first = found
    while first > 0 and _lead_token(later[first - 1][1], words, profile) in conditions:
        first -= 1
    if first == 0:
        return None
    return later[found][0], later[first][1], later[found][2]


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
    for k, a in mine:
        if category in readings[k].positive:
            return a if a != sentence.first else None
    return None


def _lead_token(first: int, words: Sequence[Word], profile: Profile) -> str:
    """A part's first word past its joining words ("so if ..." gives "if")."""
    return _token(words[_past_lead_words(first, len(words) - 1, words, profile)].text)


def _past_lead_words(first: int, last: int, words: Sequence[Word], profile: Profile) -> int:
    """A clause's first word after the joining words that only link it to the one before
    ("and just give me a call" starts at "just")."""
    lead = set(profile.content.clause_lead_words)
    while first < last and _token(words[first].text) in lead:
        first += 1
    return first


def _vectors(
    labelled: Sequence[SentenceLabels],
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    from voicemail_coach.analysis.meaning import CATEGORIES, KINDS

    hits = np.zeros((len(labelled), len(CATEGORIES)), dtype=np.float32)
    kinds = np.zeros((len(labelled), len(KINDS)), dtype=np.float32)
    for i, sl in enumerate(labelled):
        for j, c in enumerate(CATEGORIES):
            hits[i, j] = c in sl.labels
        if sl.cta_kind in KINDS:
            kinds[i, KINDS.index(sl.cta_kind)] = 1.0
    return hits, kinds


DIGIT_WORDS = {
    "zero": 1, "oh": 1, "o": 1, "one": 1, "two": 1, "three": 1, "four": 1, "five": 1, "six": 1,
    "seven": 1, "eight": 1, "nine": 1, "ten": 2, "eleven": 2, "twelve": 2, "thirteen": 2,
    "fourteen": 2, "fifteen": 2, "sixteen": 2, "seventeen": 2, "eighteen": 2, "nineteen": 2,
    "twenty": 2, "thirty": 2, "forty": 2, "fifty": 2, "sixty": 2, "seventy": 2, "eighty": 2,
    "ninety": 2, "hundred": 2, "thousand": 3, "double": 0, "triple": 0,
}  # fmt: skip
NUMBER_JOINERS = {"and", "dash", "-", "extension", "ext", "x"}
# "twenty one" is two digits, not three: a units word after a tens word adds nothing.
TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}


def find_phone_numbers(
    words: Sequence[Word], min_digits: int, not_after: Sequence[str] = ()
) -> list[PhoneNumber]:
    """Runs of digits (written or spoken) long enough to be a phone number.

    A run right after a word in ``not_after`` ("invoice 00482213") is a reference, not a number
    to call. A number ends at a sentence end (so one said twice counts twice), but a short run of
    digits straight after it is its rest: Whisper sometimes puts a full stop inside a number
    ("eight, five, nine, four, seven, three, four. Four, two, seven, two.").
    """
    numbers: list[PhoneNumber] = []
    first_word: list[int] = []  # where each number starts
    run: list[int] = []
    digits = 0
    previous = ""

    def close() -> None:
        nonlocal run, digits
        while run and _token(words[run[-1]].text) in NUMBER_JOINERS:
            run.pop()
        before = {_token(w.text) for w in words[max(0, run[0] - 3) : run[0]]} if run else set()
        rest_of_last = (
            run
            and numbers
            and MIN_REST_DIGITS <= digits < min_digits
            and SENTENCE_BREAK.search(words[run[0] - 1].text)
            and words[run[0] - 1].end_s == numbers[-1].end_s
            and words[run[0]].start_s - numbers[-1].end_s < MAX_REST_GAP_S
        )
        if rest_of_last:
            start = first_word.pop()
            digits += numbers.pop().digits
            run = list(range(start, run[-1] + 1))
        if run and digits >= min_digits and (rest_of_last or not before & set(not_after)):
            chunk = words[run[0] : run[-1] + 1]
            first_word.append(run[0])
            numbers.append(
                PhoneNumber(
                    text=" ".join(w.text.strip() for w in chunk),
                    start_s=chunk[0].start_s,
                    end_s=chunk[-1].end_s,
                    digits=digits,
                )
            )
        run, digits = [], 0

    for i, w in enumerate(words):
        token = _token(w.text)
        count = _digit_count(token, previous)
        if count is not None:
            run.append(i)
            digits += count
        elif run and token in NUMBER_JOINERS:
            run.append(i)
        else:
            close()
        previous = token
        if run and SENTENCE_BREAK.search(w.text) and digits >= min_digits:
            close()
    close()
    return numbers


SENTENCE_BREAK = re.compile(r"[.!?]$")
# The rest of a number cut by a full stop: at least this many digits, starting this soon after.
MIN_REST_DIGITS = 2
MAX_REST_GAP_S = 1.0


def _token(text: str) -> str:
    return text.strip().lower().strip(".,;:!?\"'()")


def _digit_count(token: str, previous: str) -> int | None:
    if re.fullmatch(r"[\d\-().+]+", token) and any(c.isdigit() for c in token):
        return sum(c.isdigit() for c in token)
    for part in token.split("-"):
        if part not in DIGIT_WORDS:
            return None
    if previous in TENS and token in DIGIT_WORDS and DIGIT_WORDS[token] == 1:
        return 0
    return sum(DIGIT_WORDS[p] for p in token.split("-"))


def rule_vectors(
    texts: Sequence[str], profile: Profile
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """What the profile's phrase rules say of each text, as the meaning model reads it: a 0/1
    column per content category, and a one-hot call-to-action kind (all 0 when none)."""
    return _vectors([classify_sentence(text, profile) for text in texts])
