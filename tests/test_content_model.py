"""The meaning model beside the phrase rules: unseen wording, coach examples, explanations,
clause timing, the encoder's provenance check, and no network."""

from __future__ import annotations

import dataclasses
import json
import shutil
import socket
import tomllib
from pathlib import Path

import pytest

from eval.content_accuracy import read_sentence
from eval.content_data import corpus_digest
from voicemail_coach.analysis import meaning
from voicemail_coach.analysis import report as r
from voicemail_coach.analysis.clauses import clauses, sentence_parts
from voicemail_coach.analysis.encoder import EncoderError, SentenceEncoder, model_dir
from voicemail_coach.analysis.pipeline import analyze_script, build_report
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.profile_loader import default_profile_path, load_profile
from voicemail_coach.analysis.transcript import Word

# Written for this test, in wording the phrase rules do not know (each was checked to be missed
# by the rules alone when the test was written).
UNSEEN = {
    "call_to_action": [
        "Whenever you've got five minutes, my cell is the best way to reach me, it's 415 555 0199.",
        "If any of this rings a bell, hit reply on the note I sent this morning.",
    ],
    "value_proposition": [
        "Most of the kennels we work with stopped losing weekend bookings within a month.",
        "We got a bakery chain like yours out of overtime hell, about nine hours a week back.",
    ],
    "opt_out": [
        "And hey, if this isn't on your radar at all, a one-word no is totally fine by me.",
    ],
    "premature_ask": [
        "Could you walk me through how your purchasing committee signs off on new vendors?",
        "I'd like to get an hour with your leadership team to present our full platform.",
    ],
    "self_praise": [
        "Honestly nobody in this space comes close to what our engineers have built.",
    ],
    "pressure": [
        "I've reached out a handful of times now and I'm starting to wonder if my messages are getting through.",
        "This pricing disappears at midnight, so I really need an answer from you today.",
    ],
}
NOT = {
    "call_to_action": ["We were founded in 2011 and have offices in Denver and Austin."],
    "premature_ask": ["Just give me a quick call back when you get a second."],
    "pressure": ["I'll try you again on Thursday morning."],
    "self_praise": ["Our team has been working with dental practices since 2015."],
}


@pytest.fixture(scope="module")
def profile() -> Profile:
    if meaning.get_model() is None:
        pytest.fail(f"the meaning model must load in the test environment: {meaning.load_error()}")
    return load_profile()


def rules_only(profile: Profile) -> Profile:
    return dataclasses.replace(
        profile, content=dataclasses.replace(profile.content, use_model=False)
    )


@pytest.mark.parametrize(
    ("category", "text"), [(c, t) for c, texts in UNSEEN.items() for t in texts]
)
def test_unseen_wording_is_understood(profile: Profile, category: str, text: str) -> None:
    labels, _ = read_sentence(text, profile)
    assert category in labels, f"{category} not read in: {text}"


@pytest.mark.parametrize(("category", "text"), [(c, t) for c, texts in NOT.items() for t in texts])
def test_near_misses_are_not_labelled(profile: Profile, category: str, text: str) -> None:
    labels, _ = read_sentence(text, profile)
    assert category not in labels


def test_rules_alone_miss_most_of_the_unseen_set(profile: Profile) -> None:
    """The set above is a real test of meaning: the phrase rules alone miss most of it."""
    texts = [(c, t) for c, ts in UNSEEN.items() for t in ts]
    missed = sum(c not in read_sentence(t, rules_only(profile))[0] for c, t in texts)
    assert missed >= len(texts) // 2


def test_a_coach_example_flips_the_verdict(profile: Profile) -> None:
    text = "Stick a card on the Bluebird huddle board."
    before, _ = read_sentence(text, profile)
    content = dataclasses.replace(
        profile.content,
        counts={"call_to_action": ("Put a card on the Bluebird huddle board.",)},
    )
    after, _ = read_sentence(text, dataclasses.replace(profile, content=content))
    assert "call_to_action" not in before
    assert "call_to_action" in after
    # ... and an example of what does not count takes a sentence out.
    teams = "Ping me on Teams whenever it suits you."
    assert "call_to_action" in read_sentence(teams, profile)[0]
    content = dataclasses.replace(
        profile.content, not_counts={"call_to_action": ("Ping me on Teams whenever suits.",)}
    )
    assert (
        "call_to_action"
        not in read_sentence(teams, dataclasses.replace(profile, content=content))[0]
    )


def test_a_coach_example_is_named_in_the_explanation(profile: Profile) -> None:
    content = dataclasses.replace(
        profile.content,
        counts={"call_to_action": ("Drop a note on the Bluebird huddle board.",)},
    )
    report = analyze_script(
        "Hi, this is Ana from Brightline. Leave a note on the Bluebird huddle board.",
        dataclasses.replace(profile, content=content),
    )
    assert report.call_to_action.found
    assert "coach" in report.call_to_action.why
    assert "Drop a note on the Bluebird huddle board." in report.call_to_action.why


def test_every_finding_explains_itself(profile: Profile) -> None:
    report = analyze_script(
        "Hi Dana, this is Sam Rivera from North Wind Finance. We help distributors like yours "
        "cut their month-end close from ten days to four. We're honestly the best team in the "
        "business. Can we get an hour on your calendar for a full demo? I've called three times "
        "already. Give me a call back at 415 555 0199.",
        profile,
    )
    for m in (report.intro, report.value_proposition, report.call_to_action):
        assert m.found and m.why, m
    assert report.findings
    for f in report.findings:
        assert f.why, f
    by_id = {c.id: c for c in report.checks}
    for cid in ("self_praise", "premature_ask", "pressure", "call_to_action"):
        assert by_id[cid].why, cid
    assert {f.category for f in report.findings} >= {"self_praise", "premature_ask", "pressure"}


def test_not_found_names_the_closest_sentence_and_what_it_lacked(profile: Profile) -> None:
    report = analyze_script(
        "Hi, this is Sam from North Wind. We're a cloud platform with mobile apps. "
        "I'd love to connect sometime.",
        profile,
    )
    assert not report.opt_out.found
    assert report.opt_out.why.startswith("closest: ")
    assert profile.content.lacks["opt_out"] in report.opt_out.why
    check = next(c for c in report.checks if c.id == "opt_out")
    assert check.why == report.opt_out.why


def test_value_is_graded(profile: Profile) -> None:
    specific = analyze_script(
        "Hi, this is Sam from Acme. We cut payroll errors by forty percent for clinics your size.",
        profile,
    )
    vague = analyze_script(
        "Hi, this is Sam from Acme. We help businesses like yours grow and do better.", profile
    )
    grade = {r.value_proposition.grade for r in (specific, vague)}
    assert specific.value_proposition.grade == "specific"
    assert vague.value_proposition.grade == "vague", grade
    checks = {c.id: c.status for c in specific.checks}
    assert checks["value_specificity"] == "pass"
    assert {c.id: c.status for c in vague.checks}["value_specificity"] == "warn"


def test_call_to_action_in_a_run_on_sentence_is_timed_from_the_request(profile: Profile) -> None:
    report = analyze_script(
        "Hi Dana, this is Sam from North Wind. I had a question about your fleet and how your "
        "drivers log their hours and just give me a call back at 415 555 0199 when you can.",
        profile,
    )
    cta = report.call_to_action
    assert cta.found
    words = report.transcript.words
    just = next(w for w in words if w.text.strip().lower() == "just")
    question = next(w for w in words if w.text.strip().lower() == "question")
    assert cta.start_s is not None
    assert abs(cta.start_s - just.start_s) < 0.05
    assert cta.start_s > question.start_s + 2.0
    assert cta.text.lower().startswith("just give me a call back")


# tests/data/audio/fillers.flac as the live pieces wrote it (tiny.en, words and times from the
# live replay): one sentence where the whole-file pass writes two ("... this morning." and
# "I'll, you know, try you again on Thursday.").
FILLERS_LIVE = [
    ("So,", 0.0, 0.68),
    ("um,", 1.0, 1.0),
    ("hello,", 1.5, 1.58),
    ("Priya.", 1.6, 1.88),
    ("This", 2.22, 2.38),
    ("is", 2.38, 2.56),
    ("Jordan", 2.56, 2.78),
    ("Lee", 2.78, 3.3),
    ("from", 3.3, 3.64),
    ("Brightline", 3.64, 4.16),
    ("Payroll.", 4.16, 4.68),
    ("We,", 8.7, 9.1),
    ("you", 9.12, 9.36),
    ("know,", 9.36, 9.88),
    ("help", 10.26, 10.34),
    ("teams", 10.34, 10.74),
    ("can", 10.74, 11.12),
    ("not", 11.12, 11.26),
    ("automate", 11.26, 11.62),
    ("their", 11.62, 11.98),
    ("payroll.", 11.98, 12.34),
    ("Um,", 16.31, 16.31),
    ("I", 16.43, 16.51),
    ("sent", 16.51, 16.75),
    ("you", 16.75, 16.91),
    ("an", 16.91, 17.07),
    ("email,", 17.07, 17.51),
    ("uh,", 18.01, 18.01),
    ("this", 18.19, 18.27),
    ("morning,", 18.27, 18.59),
    ("I'll,", 19.11, 19.59),
    ("you", 19.75, 19.79),
    ("know,", 19.79, 20.35),
    ("try", 20.41, 20.61),
    ("you", 20.61, 20.77),
    ("again", 20.77, 21.07),
    ("on", 21.07, 21.31),
    ("Thursday.", 21.31, 21.73),
]


# The same moment with other news in place of "Um, I sent you an email, uh, this morning,".
OTHER_NEWS = [
    ("Um,", 16.31, 16.31),
    *[
        (w, 16.61 + 0.25 * k, 16.81 + 0.25 * k)
        for k, w in enumerate("I drove past your new shop,".split())
    ],
    ("uh,", 18.01, 18.01),
    ("this", 18.19, 18.27),
    ("morning,", 18.27, 18.59),
]


def _report(spec: list[tuple[str, float, float]], profile: Profile) -> r.Report:
    words = [Word(text, start, end) for text, start, end in spec]
    return build_report(
        words, profile, "standard", r.Source(duration_s=spec[-1][2]), None, None, 16_000, ()
    )


def test_a_filler_phrase_stays_inside_its_clause(profile: Profile) -> None:
    words = [Word(text, start, end) for text, start, end in FILLERS_LIVE[21:]]
    texts = [" ".join(w.text for w in words[a : b + 1]) for a, b in clauses(words, profile)]
    assert texts == [
        "Um, I sent you an email,",
        "uh, this morning,",
        "I'll, you know, try you again on Thursday.",
    ]


def test_a_condition_leads_its_own_part_of_a_run_on_sentence(profile: Profile) -> None:
    # "uh, this morning," is too short to be a part: it joins the news before it, not the
    # condition after it, which goes with the request it conditions.
    text = "Um, I drove past your new shop, uh, this morning, if I haven't heard back, I'll call"
    words = [Word(w, 0.3 * k, 0.3 * k + 0.2) for k, w in enumerate(text.split())]
    parts = [" ".join(w.text for w in words[a : b + 1]) for a, b in sentence_parts(words, profile)]
    assert parts == [
        "Um, I drove past your new shop, uh, this morning,",
        "if I haven't heard back, I'll call",
    ]


def test_a_request_after_other_news_in_one_sentence_is_timed_from_its_clause(
    profile: Profile,
) -> None:
    # The first clause is news (their new shop), which does not read as a call to action; the
    # request is the last clause.
    report = _report([*FILLERS_LIVE[:21], *OTHER_NEWS, *FILLERS_LIVE[30:]], profile)
    cta = report.call_to_action
    assert cta.found and cta.start_s is not None
    assert abs(cta.start_s - 19.11) < 0.1  # "I'll", not the sentence's "I" at 16.61
    assert cta.text == "I'll, you know, try you again on Thursday."
    assert cta.why is not None and "call to action" in cta.why
    assert cta.kind == "follow_up"
    # A sentence that is only a call to action still starts at its first word.
    alone = _report(
        [
            *FILLERS_LIVE[:11],
            ("Just", 5.1, 5.3),
            ("give", 5.3, 5.5),
            ("me", 5.5, 5.6),
            ("a", 5.6, 5.7),
            ("call", 5.7, 5.9),
            ("back", 5.9, 6.2),
            ("when", 6.2, 6.4),
            ("you", 6.4, 6.5),
            ("can.", 6.5, 6.9),
        ],
        profile,
    )
    assert alone.call_to_action.found and alone.call_to_action.start_s == 5.1


def _timed(text: str, start: float) -> list[tuple[str, float, float]]:
    return [(w, start + 0.3 * k, start + 0.3 * k + 0.25) for k, w in enumerate(text.split())]


def _never_reads(category: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shared model's threshold for ``category`` put out of reach: whatever a sentence says,
    the model alone never reads it as that category (undone with ``monkeypatch``)."""
    model = meaning.get_model()
    assert model is not None
    threshold = model.head.threshold.copy()
    threshold[list(meaning.CATEGORIES).index(category)] = 2.0
    monkeypatch.setattr(model.head, "threshold", threshold)


def test_a_greeting_that_names_the_listener_is_personalization_whatever_the_model_reads(
    profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Under the generic kernels the live pieces wrote "Hi Taylor, this is Morgan Blake ..." as
    # one sentence (the whole-file pass: "Hi Taylor." on its own); a head once read the joined
    # sentence 0.60 as personalization, under its threshold, but every author labels it so.
    text = "Hi Taylor, this is Morgan Blake from Clear Path Logistics. Talk soon."
    report = analyze_script(text, profile)
    assert report.sentences[0].labels == ("intro", "personalization")
    assert {c.id: c.status for c in report.checks}["personalization"] == "pass"
    # Whatever the model reads: here it never reads personalization at all.
    _never_reads("personalization", monkeypatch)
    assert analyze_script(text, profile).sentences[0].labels == ("intro", "personalization")
    off = dataclasses.replace(
        profile, content=dataclasses.replace(profile.content, listener_named=())
    )
    assert "personalization" not in analyze_script(text, off).sentences[0].labels
    # The caller's own name after "hi" is no listener's.
    assert (
        "personalization"
        not in analyze_script("Hi, this is Morgan Blake from Clear Path Logistics.", profile)
        .sentences[0]
        .labels
    )


def test_a_moment_starts_past_its_joining_word_however_it_was_punctuated(
    profile: Profile,
) -> None:
    # too_long.flac: the live pieces wrote "Again, that's 555 ...", a whole-file pass "Again."
    # as a sentence of its own: the call to action (the number said again) is dated the same.
    lead = [*FILLERS_LIVE[:11]]
    live = _report([*lead, *_timed("Again, that's 555 312 4477.", 9.0)], profile)
    whole = _report([*lead, *_timed("Again. That's 555 312 4477.", 9.0)], profile)
    for report in (live, whole):
        cta = report.call_to_action
        assert cta.found and cta.start_s == 9.3  # "that's", not "Again" at 9.0
        assert cta.text in ("that's 555 312 4477.", "That's 555 312 4477.")


def test_a_condition_before_the_request_is_part_of_it(profile: Profile) -> None:
    # (under run_on_words, so read clause by clause)
    ask = "if I haven't heard back, I'll call you again Monday."
    news = [(w, s - 1.0, e - 1.0) for w, s, e in OTHER_NEWS]  # "Um, ... this morning,"
    report = _report([*FILLERS_LIVE[:11], *news, *_timed(ask, 18.0)], profile)
    cta = report.call_to_action
    assert cta.found and cta.start_s == 18.0 and cta.text == ask  # from "if", not "I'll"
    assert cta.kind == "follow_up"


def test_a_value_proposition_after_small_talk_is_timed_from_its_clause(profile: Profile) -> None:
    # The rule's match ("helps restaurants grow") is in the small talk, which does not read as a
    # value proposition on its own; the clause after it does.
    value = "we cut food waste by a third for kitchens like yours."
    report = _report(
        [
            *FILLERS_LIVE[:11],
            *_timed("I read that your team helps restaurants grow, so", 5.0),
            *_timed(value, 8.0),
        ],
        profile,
    )
    vp = report.value_proposition
    assert vp.found and vp.start_s == 8.0  # "we", not the sentence's "I" at 5.0
    assert vp.text == value
    assert vp.why is not None and "in the part" in vp.why


def test_a_run_on_message_is_read_in_parts(profile: Profile) -> None:
    # Speech-to-text can run a whole message together: the value proposition in its middle is
    # found and timed from its own clause, not from the sentence's "hey". (Read whole, the head
    # of 2026-12-05 lost it and only the part reading found it; today's head finds it in the
    # whole sentence too, so this holds the finding and its time, whichever reading gave it.)
    text = (
        "hey its dana with ridgeline um i was in your cafe on saturday and saw the line out the "
        "door um we get the lunch line moving a lot quicker for spots like yours anyway i'll "
        "try you again tuesday and if it's not a fit just say so"
    )
    report = analyze_script(text, profile)
    assert len(report.sentences) == 1
    vp = report.value_proposition
    assert vp.found and vp.text.lower().startswith("we get the lunch line")
    assert vp.why
    words = report.transcript.words
    we = next(w for w in words if w.text.strip().lower() == "we")
    assert vp.start_s is not None and abs(vp.start_s - we.start_s) < 0.05
    assert report.intro.found and report.call_to_action.found and report.opt_out.found


def test_a_fragment_of_a_run_on_sentence_is_not_called_pressure(profile: Profile) -> None:
    # The bench voicemail as the live pieces wrote it: read alone, the part "I'm guessing you're
    # off on the jobsite a little busy," sounded like pressure and cost the take 6 points.
    report = analyze_script(
        "Hey, this is Skyler with busy line AI. I was trying to give you a call earlier, but I'm "
        "guessing you're off on the jobsite a little busy, which is kind of perfect. I work with "
        "businesses just like yours who missed calls during the day or after hours. They usually "
        "mean lost customers somewhere. I, I had a question nonetheless to see if I could help "
        "you guys when you get a second. Just give me a call back at 859-473-4272.",
        profile,
    )
    assert [f.text for f in report.findings if f.category == "pressure"] == []
    assert report.intro.found and report.call_to_action.found


@pytest.mark.parametrize(
    ("text", "has_value"),
    [
        # Product talk run together: read whole it sounded like a value proposition, though no
        # part of it says what the listener gains.
        (
            "hey its dana with frostline we sell wind machines and frost sensors that talk to "
            "your phone and theres a warehouse in fresno too anyway give me a buzz at 555 301 4420",
            False,
        ),
        (
            "hi its mel from shelfbright we make the shelf labels that update from your register "
            "and the scanners that go with them and theres an app for it so yeah shoot me a text "
            "at this number",
            False,
        ),
        # A value said in one of its parts still counts.
        (
            "hey its sam with routewise we help fleets like yours cut fuel costs by about twelve "
            "percent in the first quarter so if you have a minute give me a call back at 555 301 "
            "4420",
            True,
        ),
    ],
)
def test_a_run_on_sentence_holds_a_value_proposition_only_where_a_part_says_one(
    profile: Profile, text: str, has_value: bool
) -> None:
    assert analyze_script(text, profile).value_proposition.found is has_value
    whole = dataclasses.replace(
        profile, content=dataclasses.replace(profile.content, part_support=())
    )
    assert analyze_script(text, whole).value_proposition.found  # read whole, every one did


def test_a_value_proposition_over_two_sentences_is_read_as_one(profile: Profile) -> None:
    # The problem in one sentence, what it costs in the next: read together, a value proposition,
    # timed from the first. (The first sentence alone reads 0.11 with the tuned encoder's head of
    # session 13: under the Standard profile's floor of 0.3, which the train messages chose; the
    # floor is lowered here to test the pairing itself.)
    text = (
        "Hi, this is Sam with Fieldline. I help shops that are busy during the day. That "
        "usually means lost customers. Just give me a call back at 415 555 0199."
    )
    paired = dataclasses.replace(
        profile, content=dataclasses.replace(profile.content, pair_floor=0.1)
    )
    single = dataclasses.replace(
        paired, content=dataclasses.replace(paired.content, pair_categories=())
    )
    assert not analyze_script(text, single).value_proposition.found
    vp = analyze_script(text, paired).value_proposition
    assert vp.found and vp.text.startswith("I help shops")
    assert vp.why is not None and vp.why.endswith("read together with the next sentence")


def test_the_embedding_cache_refills_without_losing_a_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = meaning.get_model()
    assert model is not None
    model.forget()
    monkeypatch.setattr(meaning, "CACHE_SIZE", 3)
    first = model.embed(["Call me back.", "Thanks, bye."])
    # One known sentence and two new ones overflow the cache: the known one is still returned.
    again = model.embed(["Call me back.", "We cut costs by half.", "Talk soon."])
    assert (again[0] == first[0]).all()
    assert again.shape == (3, 384)
    model.forget()


def test_a_changed_encoder_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "model"
    shutil.copytree(model_dir(), folder)
    tok = folder / "tokenizer.json"
    data = bytearray(tok.read_bytes())
    data[100] ^= 0x01
    tok.write_bytes(bytes(data))
    with pytest.raises(EncoderError, match="SHA-256"):
        SentenceEncoder(folder)


def test_a_changed_encoder_delta_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The project's own change to the encoder (resources/content/encoder_delta.npz) is checked
    against the SHA-256 recorded beside it, as the official files are."""
    from importlib import resources

    from voicemail_coach.analysis import encoder as enc

    shipped = resources.files("voicemail_coach.resources.content")
    for name in (enc.DELTA_FILE, enc.DELTA_META):
        (tmp_path / name).write_bytes((shipped / name).read_bytes())
    assert enc.load_delta() is not None
    monkeypatch.setattr(enc.resources, "files", lambda package: tmp_path)
    assert enc.load_delta() is not None  # the copy is intact
    data = bytearray((tmp_path / enc.DELTA_FILE).read_bytes())
    data[-40] ^= 0x01
    (tmp_path / enc.DELTA_FILE).write_bytes(bytes(data))
    with pytest.raises(EncoderError, match="SHA-256"):
        enc.load_delta()
    with pytest.raises(EncoderError, match="SHA-256"):
        SentenceEncoder()


def test_a_head_made_for_another_encoder_reading_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The heads learnt from the tuned encoder's reading: an encoder that reads otherwise (here
    the official model without the change) cannot use them, and says so."""
    monkeypatch.setattr(meaning, "SentenceEncoder", lambda: SentenceEncoder(tuned=False))
    meaning.reset()
    try:
        assert meaning.get_model() is None
        assert "another encoder reading" in (meaning.load_error() or "")
    finally:
        meaning.reset()


def test_the_model_works_with_the_network_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network blocked by the test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    meaning.reset()
    try:
        model = meaning.get_model()
        assert model is not None, meaning.load_error()
        labels, kind = read_sentence("Give me a call back at 415 555 0199.", load_profile())
        assert "call_to_action" in labels and kind == "callback"
    finally:
        meaning.reset()


def test_a_rule_match_counts_in_the_categories_the_profile_lets_rules_decide(
    profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        "Hi, I'm calling from XYZ to see if you want to hear about our superior accounting system."
    )
    assert "self_praise" in profile.content.rules_decide
    labels, _ = read_sentence(text, profile)
    assert "self_praise" in labels  # the rule's "our superior" is enough
    weighed = dataclasses.replace(
        profile, content=dataclasses.replace(profile.content, rules_decide=())
    )
    # Without it the model weighs the rule, and can overrule it: here a model that does not
    # read self-praise in the sentence (its threshold out of reach).
    _never_reads("self_praise", monkeypatch)
    assert "self_praise" in read_sentence(text, profile)[0]
    assert "self_praise" not in read_sentence(text, weighed)[0]
    monkeypatch.undo()
    report = analyze_script(text, profile)
    finding = next(f for f in report.findings if f.category == "self_praise")
    assert finding.why.startswith("matched the profile's phrase rule for self-praise")


def test_rules_decide_names_only_content_categories() -> None:
    from voicemail_coach.analysis.profile import ProfileError
    from voicemail_coach.analysis.profile_loader import parse_profile

    data = tomllib.loads(default_profile_path().read_text(encoding="utf-8"))
    data["content"]["rules_decide"] = ["self_praise", "bragging"]
    with pytest.raises(ProfileError, match=r"content\.rules_decide: unknown category 'bragging'"):
        parse_profile(data, "team.toml")


def test_the_shipped_head_was_made_from_the_corpus_as_it_is() -> None:
    """head.json records a digest of the corpus files the head learnt from and chose its
    thresholds on: a changed corpus file means the head must be retrained (scripts/train_content.py)."""
    folder = Path(meaning.__file__).resolve().parent.parent / "resources" / "content"
    meta = json.loads((folder / "head.json").read_text(encoding="utf-8"))
    assert meta["corpus_splits"] == ["train", "dev", "extra"]
    assert meta["corpus_sha256"] == corpus_digest(tuple(meta["corpus_splits"]))
    # The encoder's change learnt from train (scripts/finetune_encoder.py), and the head from
    # the reading it gives.
    delta = json.loads((folder / "encoder_delta.json").read_text(encoding="utf-8"))
    assert delta["corpus_splits"] == ["train"]
    assert delta["corpus_sha256"] == corpus_digest(tuple(delta["corpus_splits"]))
    assert meta["encoder_delta_sha256"] == delta["sha256"]


def test_leaving_your_number_is_a_call_to_action_however_the_words_around_it_came_out(
    profile: Profile,
) -> None:
    # number_slow.flac as the whole-file pass heard it: "call me Mac", the digits broken up.
    said = "Please call me Mac at 5 .55, 3 .12, 4 .47, 7."
    report = _report([*FILLERS_LIVE[:11], *_timed(said, 8.0)], profile)
    cta = report.call_to_action
    assert cta.found and cta.start_s == pytest.approx(8.0) and cta.kind == "callback"
    assert report.phone_numbers and report.phone_numbers[0].digits == 10
