"""Guidance profiles: the bundled default loads, and broken profiles fail with clear messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from voicemail_coach.analysis.phrases import phrase_regex, vocab_alternation, word_alternative
from voicemail_coach.analysis.profile import (
    CHECK_IDS,
    LINE_CHECK_IDS,
    SCENARIO_CHECK_IDS,
    STRUCTURE_CATEGORIES,
    Matcher,
    Profile,
    ProfileError,
)
from voicemail_coach.analysis.profile_loader import default_profile_path, load_profile


def _default_text() -> str:
    return default_profile_path().read_text(encoding="utf-8")


def _variant(tmp_path: Path, old: str, new: str, name: str = "custom.toml") -> Path:
    """Write the default profile with ``old`` replaced (once) by ``new``; returns the path."""
    text = _default_text()
    assert text.count(old) == 1, f"the default profile no longer contains {old!r} exactly once"
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _load_error(path: Path) -> str:
    with pytest.raises(ProfileError) as err:
        load_profile(path)
    return str(err.value)


# --------------------------------------------------------------------------------------------
# The bundled default


def test_default_profile_loads(profile: Profile) -> None:
    assert profile.path == str(default_profile_path())
    assert default_profile_path().name == "default.toml"
    assert profile.name == "Standard (20-30 s)"
    assert profile.default_length_preset == "standard"


def test_default_profile_has_all_twenty_one_checks(profile: Profile) -> None:
    assert len(CHECK_IDS) == 21
    assert len(set(CHECK_IDS)) == 21
    extra = (*SCENARIO_CHECK_IDS, *LINE_CHECK_IDS)
    assert tuple(c for c in profile.checks if c not in extra) == CHECK_IDS
    assert tuple(c for c in profile.checks if c in LINE_CHECK_IDS) == ("phone_line",)
    for cid, spec in profile.checks.items():
        assert spec.weight > 0, cid
        assert spec.principle in profile.principles, cid
        assert spec.messages, cid
    assert profile.checks["length"].principle == "concise"
    assert profile.checks["value_proposition"].principle == "value_not_pitch"


def test_default_profile_structure_categories(profile: Profile) -> None:
    assert set(profile.structure) == set(STRUCTURE_CATEGORIES)
    assert set(profile.cta) == {"email", "follow_up", "callback", "other"}
    assert profile.structure["self_praise"].find("Our service is best in the industry.") == [
        (15, 35)
    ]
    assert profile.structure["self_praise"].find("we help clinics cut no-shows") == []


def test_default_length_presets(profile: Profile) -> None:
    assert [p.id for p in profile.length_presets] == ["standard", "short", "extended"]
    standard = profile.length_preset()
    assert standard.id == "standard"
    assert (standard.target_min_s, standard.target_max_s) == (20.0, 30.0)
    assert profile.length_preset(None) is standard
    assert profile.length_preset("short").target_max_s == 15.0
    assert profile.length_preset("extended").target_max_s == 40.0
    for preset in profile.length_presets:
        assert preset.target_min_s <= preset.target_max_s <= preset.fail_over_s


def test_unknown_length_preset_names_the_options(profile: Profile) -> None:
    with pytest.raises(ProfileError) as err:
        profile.length_preset("nope")
    assert str(err.value) == (
        f"{profile.path}: no length preset 'nope' (choose from standard, short, extended)"
    )


def test_default_numbers(profile: Profile) -> None:
    assert profile.timing.value_proposition_within_s == 10.0
    assert profile.pace.warn_over_wpm == 175.0
    assert isinstance(profile.phone.min_repeats, int)
    assert "um" in profile.fillers.words


# --------------------------------------------------------------------------------------------
# Editing a profile changes what the analyzer applies


def test_edited_threshold_is_applied(tmp_path: Path) -> None:
    path = _variant(
        tmp_path, "value_proposition_within_s = 10.0", "value_proposition_within_s = 2.0"
    )
    edited = load_profile(path)
    assert edited.path == str(path)
    assert edited.timing.value_proposition_within_s == 2.0
    assert edited.timing.intro_within_s == load_profile().timing.intro_within_s


def test_edited_threshold_changes_a_script_verdict(tmp_path: Path) -> None:
    from voicemail_coach.analysis.pipeline import analyze_script

    script = (
        "Hi Dana, this is Sam from Acme. "
        "We help clinics like yours cut no-show rates by a third. "
        "I will send a short email with the details."
    )
    default = analyze_script(script, load_profile()).check("value_proposition_timing")
    path = _variant(
        tmp_path, "value_proposition_within_s = 10.0", "value_proposition_within_s = 2.0"
    )
    edited = analyze_script(script, load_profile(path)).check("value_proposition_timing")
    assert isinstance(default.value, float)
    assert 2.0 < default.value <= 10.0
    assert default.status == "pass"
    assert edited.value == default.value
    assert edited.status == "warn"


def test_edited_length_preset_default(tmp_path: Path) -> None:
    path = _variant(
        tmp_path, 'default_length_preset = "standard"', 'default_length_preset = "short"'
    )
    assert load_profile(path).length_preset().id == "short"


# --------------------------------------------------------------------------------------------
# Broken profiles: ProfileError naming the file and the dotted key


def test_non_number_threshold(tmp_path: Path) -> None:
    path = _variant(tmp_path, "warn_over_wpm = 175.0", 'warn_over_wpm = "fast"')
    assert _load_error(path) == f"{path}: pace.warn_over_wpm: must be a number, got 'fast'"


def test_boolean_is_not_a_number(tmp_path: Path) -> None:
    path = _variant(tmp_path, "warn_over_wpm = 175.0", "warn_over_wpm = true")
    assert _load_error(path) == f"{path}: pace.warn_over_wpm: must be a number, got True"


def test_negative_threshold(tmp_path: Path) -> None:
    path = _variant(tmp_path, "warn_over_wpm = 175.0", "warn_over_wpm = -1.0")
    assert _load_error(path) == f"{path}: pace.warn_over_wpm: must not be negative, got -1.0"


def test_unknown_key_in_pace(tmp_path: Path) -> None:
    path = _variant(tmp_path, "script_wpm = 150.0", "script_wpm = 150.0\ntempo = 140.0")
    assert _load_error(path) == f"{path}: pace.tempo: unknown key"


def test_missing_key_in_pace(tmp_path: Path) -> None:
    path = _variant(tmp_path, "warn_over_wpm = 175.0\n", "")
    assert _load_error(path) == f"{path}: pace.warn_over_wpm: missing"


def test_bad_regular_expression(tmp_path: Path) -> None:
    path = _variant(tmp_path, "'\\bour (?:superior|", "'\\bour (?:(superior|")
    message = _load_error(path)
    assert message.startswith(f"{path}: structure.self_praise.patterns: ")
    assert "bad regular expression" in message
    assert "(?:(superior|" in message


def test_pattern_with_unknown_vocab_name(tmp_path: Path) -> None:
    path = _variant(tmp_path, "'\\b{help_verbs}\\b(?: \\w+)", "'\\b{helpers}\\b(?: \\w+)")
    assert _load_error(path) == (
        f"{path}: structure.value_proposition.patterns: "
        "pattern uses {helpers} but [vocab] has no 'helpers'"
    )


def test_a_vocab_list_as_a_prefix_tree_matches_where_the_flat_list_does() -> None:
    # Entries that are prefixes of others, a space, a regex character, an optional last letter.
    words = ("jo", "joan", "john", "johnny", "speed", "speed up", "a.b", "colou?", "Ann")
    tree = re.compile(rf"\b{vocab_alternation(words)}\b", re.IGNORECASE)
    flat = re.compile(rf"\b(?:{'|'.join(word_alternative(w) for w in words)})\b", re.IGNORECASE)
    texts = [
        "Jo said hi",
        "johnny and joan",
        "we speed up the close",
        "speed-up",
        "a.b and axb",
        "colour or colou",
        "ANN and anne",
        "join john",
        "nothing here",
    ]
    for text in texts:
        # The same places match; where two entries fit, the tree takes the longer.
        assert [m.start() for m in tree.finditer(text)] == [m.start() for m in flat.finditer(text)]
    assert tree.search("we speed up the close").group() == "speed up"  # type: ignore[union-attr]
    assert tree.search("axb") is None and tree.search("anne") is None


def test_check_naming_unknown_principle(tmp_path: Path) -> None:
    path = _variant(tmp_path, 'principle = "concise"', 'principle = "brevity"')
    assert _load_error(path) == f"{path}: checks.length.principle: no principle named 'brevity'"


def test_unknown_check(tmp_path: Path) -> None:
    extra = '\n[checks.humour]\nweight = 1\nprinciple = "concise"\npass = "Funny."\n'
    path = tmp_path / "extra_check.toml"
    path.write_text(_default_text() + extra, encoding="utf-8")
    assert _load_error(path) == f"{path}: checks.humour: unknown check"


def test_missing_timing_table(tmp_path: Path) -> None:
    text = _default_text()
    start = text.index("\n[timing]\n")
    end = text.index("\n[", start + 1)
    removed = text[start:end]
    assert "value_proposition_within_s" in removed
    path = tmp_path / "no_timing.toml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    assert _load_error(path) == f"{path}: timing: missing table"


def test_invalid_toml_syntax(tmp_path: Path) -> None:
    path = _variant(tmp_path, "\n[pace]\n", "\n[pace\n")
    message = _load_error(path)
    assert message.startswith(f"{path}: not valid TOML (")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    assert _load_error(path) == f"{path}: profile file not found"


def test_wrong_schema_version(tmp_path: Path) -> None:
    path = _variant(tmp_path, "schema_version = 1", "schema_version = 2")
    assert _load_error(path) == f"{path}: profile.schema_version: is 2; this app reads 1"


def test_default_preset_must_exist(tmp_path: Path) -> None:
    path = _variant(
        tmp_path, 'default_length_preset = "standard"', 'default_length_preset = "medium"'
    )
    assert _load_error(path) == (
        f"{path}: no length preset 'medium' (choose from standard, short, extended)"
    )


# --------------------------------------------------------------------------------------------
# phrase_regex


def test_phrase_regex_is_flexible_about_case_spaces_and_hyphens() -> None:
    rx = phrase_regex("best in the industry")
    assert rx.search("Best  in the-industry")
    assert rx.search("we are BEST IN THE INDUSTRY, truly")
    assert rx.search("bestin the industry") is None
    assert rx.search("best in the industryx") is None
    assert rx.search("the best in theindustry") is None
    assert rx.flags & re.IGNORECASE


def test_phrase_regex_whole_words_only() -> None:
    rx = phrase_regex("um")
    assert [m.group() for m in rx.finditer("Um, the umbrella, um.")] == ["Um", "um"]


def test_missing_advice_message_is_refused_on_load(tmp_path: Path) -> None:
    old = 'pass_short = "{value:.1f} s: shorter than the ideal {target}'
    path = _variant(
        tmp_path, old, 'not_a_variant = "{value:.1f} s: shorter than the ideal {target}'
    )
    assert _load_error(path) == f"{path}: checks.length.not_a_variant: unknown key"


def test_message_with_unknown_placeholder_is_refused_on_load(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        'pass = "{value:.1f} s: right in the ideal {target} zone."',
        'pass = "{value:.0f} s in {targt}."',
    )
    assert _load_error(path) == f"{path}: checks.length.pass: unknown placeholder {{targt}}"


# --------------------------------------------------------------------------------------------
# The coach's rubric


def test_default_rubric(profile: Profile) -> None:
    ids = [c.id for c in profile.rubric]
    assert ids == ["opening", "relevance", "value", "call_to_action", "delivery"]
    assert all((c.scale_min, c.scale_max) == (1, 5) for c in profile.rubric)
    assert "Name and company" in profile.rubric[0].description


def test_rubric_duplicate_id_is_refused(tmp_path: Path) -> None:
    path = _variant(tmp_path, 'id = "delivery"', 'id = "opening"')
    assert "rubric[4].id: 'opening' is used twice" in _load_error(path)


def test_rubric_scale_min_not_below_max(tmp_path: Path) -> None:
    text = _default_text()
    last = text.rindex("scale_min = 1")
    path = tmp_path / "custom.toml"
    path.write_text(text[:last] + "scale_min = 5" + text[last + len("scale_min = 1") :], "utf-8")
    assert "rubric[4].scale_max: must be greater than scale_min" in _load_error(path)


def test_rubric_unknown_key_is_refused(tmp_path: Path) -> None:
    path = _variant(tmp_path, 'id = "relevance"', 'id = "relevance"\nweight = 2')
    assert "rubric[1].weight: unknown key" in _load_error(path)


def test_profile_without_rubric_loads_with_none(tmp_path: Path) -> None:
    text = _default_text()
    path = tmp_path / "custom.toml"
    path.write_text(text[: text.index("[[rubric]]")], "utf-8")
    assert load_profile(path).rubric == ()


def test_profile_from_before_the_delivery_tables_borrows_the_defaults(tmp_path: Path) -> None:
    """A coach's copy of the first default (no [hesitations]/[intonation]/[rushing]/[quality],
    no checks for them) still loads, with the bundled numbers, and keeps its own edits."""
    text = _default_text().replace("warn_over_wpm = 175.0", "warn_over_wpm = 190.0")
    for table in ("hesitations", "intonation", "rushing", "quality", "sentences"):
        text = re.sub(rf"\n\[{table}\]\n(?:[^\[\n].*\n|\n)*", "\n", text)
    for check in ("hesitations", "uptalk", "rushing", "noise"):
        text = re.sub(rf"\n\[checks\.{check}\]\n(?:[^\[\n].*\n|\n)*", "\n", text)
    assert "[quality]" not in text and "[checks.noise]" not in text
    path = tmp_path / "old.toml"
    path.write_text(text, "utf-8")
    old = load_profile(path)
    default = load_profile()
    assert old.pace.warn_over_wpm == 190.0
    assert old.quality == default.quality and old.hesitations == default.hesitations
    assert old.sentences == default.sentences
    assert old.checks["noise"] == default.checks["noise"]


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("warn_over_s = 30.0\nfail_over_s = 45.0", "warn_over_s = 50.0\nfail_over_s = 45.0",
         "length_presets[0].fail_over_s: must be at least warn_over_s (50)"),
        ("warn_under_s = 8.0", "warn_under_s = 21.0",
         "length_presets[0].target_min_s: must be at least warn_under_s (21)"),
        ("warn_over_wpm = 175.0", "warn_over_wpm = 160.0",
         "pace.warn_over_wpm: must be at least target_max_wpm (165)"),
        ("value_proposition_fail_after_s = 15.0", "value_proposition_fail_after_s = 8.0",
         "timing.value_proposition_fail_after_s: must be at least value_proposition_within_s (10)"),
        ("fail_snr_db = 10.0", "fail_snr_db = 25.0", "quality.warn_snr_db: must be at least fail_snr_db (25)"),
    ],
)  # fmt: skip
def test_zones_out_of_order_are_refused_naming_the_limit(
    tmp_path: Path, old: str, new: str, key: str
) -> None:
    """A check's zones must nest (ideal inside fine inside warn) for its mark to have one reading."""
    path = _variant(tmp_path, old, new)
    assert _load_error(path) == f"{path}: {key}"


def test_a_profile_from_before_the_fine_advice_borrows_the_defaults_words(tmp_path: Path) -> None:
    path = _variant(tmp_path, 'pass_steady = "', 'x_removed = "')
    text = path.read_text(encoding="utf-8").replace("x_removed = ", "# x_removed = ")
    path.write_text(text, encoding="utf-8")
    loaded = load_profile(path)
    default = load_profile()
    assert (
        loaded.checks["pace"].messages["pass_steady"]
        == default.checks["pace"].messages["pass_steady"]
    )


def test_a_content_table_from_before_the_run_on_keys_borrows_the_defaults(
    tmp_path: Path,
) -> None:
    # A [content] table saved before run-on parts and pairs existed reads them as the default
    # profile sets them (the measured behaviour), not switched off.
    text = _default_text()
    for key in ("run_on_words", "min_part_words", "pair_categories", "pair_floor"):
        text, n = re.subn(rf"^{key} = .*\n", "", text, flags=re.M)
        assert n == 1, key
    text, n = re.subn(r"^part_categories = \[\n(?:.*\n)*?\]\n", "", text, flags=re.M)
    assert n == 1
    path = tmp_path / "old.toml"
    path.write_text(text, encoding="utf-8")
    old, default = load_profile(path).content, load_profile().content
    assert old.run_on_words == default.run_on_words == 20
    assert old.min_part_words == default.min_part_words
    assert old.part_categories == default.part_categories
    assert "pressure" not in old.part_categories
    assert old.pair_categories == default.pair_categories == ("value_proposition",)
    assert old.pair_floor == default.pair_floor


# --------------------------------------------------------------------------------------------
# Unknown tables and keys: a typo is named, with the name that was meant


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("\n[pace]\n", "\n[pase]\n", "pase: unknown table (did you mean 'pace'?)"),
        ("[structure.intro]", "[structure.intra]",
         "structure.intra: unknown table (did you mean 'intro'?)"),
        ("[structure.call_to_action.email]", "[structure.call_to_action.emial]",
         "structure.call_to_action.emial: unknown table (did you mean 'email'?)"),
        ("[checks.length]", "[checks.lenght]", "checks.lenght: unknown check (did you mean 'length'?)"),
        ("warn_over_wpm = 175.0", "warn_over_wmp = 175.0",
         "pace.warn_over_wmp: unknown key (did you mean 'warn_over_wpm'?)"),
        ('default_length_preset = "standard"', 'default_preset = "standard"',
         "profile.default_preset: unknown key (did you mean 'default_length_preset'?)"),
    ],
)  # fmt: skip
def test_a_misspelt_table_or_key_is_refused_with_the_name_meant(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = _variant(tmp_path, old, new)
    assert _load_error(path) == f"{path}: {message}"


def test_extend_for_extends_names_the_key_not_a_missing_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "team.toml"
    path.write_text('[profile]\nextend = "short"\nname = "Team"\n', encoding="utf-8")
    assert _load_error(path) == f"{path}: profile.extend: unknown key (did you mean 'extends'?)"


def test_an_unknown_key_far_from_any_name_gets_no_guess(tmp_path: Path) -> None:
    path = tmp_path / "team.toml"
    path.write_text(
        '[profile]\nschema_version = 1\nextends = "short"\nname = "T"\n[zzz_notes]\nx = 1\n',
        encoding="utf-8",
    )
    assert _load_error(path) == f"{path}: zzz_notes: unknown table"


def test_an_extends_profile_from_before_the_added_tables_still_loads(tmp_path: Path) -> None:
    """The checks for unknown names run after the migrations: tables added later are filled in
    from the default, and an ``extends`` profile holding only its changes loads."""
    path = tmp_path / "team.toml"
    path.write_text(
        '[profile]\nschema_version = 1\nextends = "short"\nname = "T"\n[pace]\nwarn_over_wpm = 180.0\n',
        encoding="utf-8",
    )
    loaded = load_profile(path)
    assert (loaded.name, loaded.pace.warn_over_wpm) == ("T", 180.0)
    assert loaded.quality == load_profile().quality


def _every_match(regexes: tuple[re.Pattern[str], ...], text: str) -> list[tuple[int, int]]:
    """What Matcher.find gives without its shortcut: every pattern run."""
    plain = Matcher(regexes)
    object.__setattr__(plain, "_any", None)
    object.__setattr__(plain, "_rest", regexes)
    return plain.find(text)


def test_a_matcher_finds_what_running_every_pattern_finds(profile: Profile) -> None:
    """The one-search shortcut over the patterns without groups changes no match: not for the
    default profile's categories, nor with a group pattern, a case-sensitive one or one with
    an inline flag that cannot be joined to the others."""
    texts = [
        "hi this is sam with acme, i'll try you again thursday, give me a call back at 555 0199",
        "we cut the time your front desk spends on the phone by forty percent",
        "Nothing here matches anything at all.",
        "CALL ME maybe",
    ]
    matchers = [*profile.structure.values(), *profile.cta.values()]
    found = 0
    for m in matchers:
        for t in texts:
            assert m.find(t) == _every_match(m.regexes, t)
            found += bool(m.find(t))
    assert found >= 3  # the texts do hit some categories
    joined = (
        phrase_regex("call back"),
        re.compile(r"give (me) a", re.IGNORECASE),  # a group: run on its own
        re.compile(r"CALL ME"),  # case-sensitive: run on its own
        phrase_regex("thursday"),
    )
    inline = (*joined, re.compile(r"(?i)maybe"))  # cannot be joined: no shortcut at all
    for regexes in (joined, inline):
        m = Matcher(regexes)
        for t in texts:
            assert m.find(t) == _every_match(regexes, t)
    assert Matcher(joined)._any is not None and Matcher(inline)._any is None
    assert Matcher(joined).find(texts[3]) == [(0, 7)]
    assert Matcher(inline).find(texts[3]) == [(0, 7), (8, 13)]
    assert Matcher(joined).find(texts[0])[0] == (
        texts[0].index("thursday"),
        texts[0].index("thursday") + len("thursday"),
    )


def test_one_list_of_words_that_are_not_the_listeners_name(tmp_path: Path) -> None:
    # The greeting patterns (personalization's and [content] listener_named) read the same
    # [vocab] list, so a coach who adds a word there changes both at once.
    sentence = "Hi Morgan, this is Sam from Northwind."

    def named(profile: Profile, text: str) -> bool:
        return any(p.search(text) for p in profile.content.listener_named)

    default = load_profile()
    assert named(default, sentence)
    assert default.structure["personalization"].find(sentence.lower())
    path = _variant(tmp_path, '"this", "there", ', '"this", "there", "morgan", ')
    edited = load_profile(path)
    assert not named(edited, sentence)
    assert not edited.structure["personalization"].find(sentence.lower())
    # "Hi there, this is ..." names no one, in either.
    assert not named(default, "Hi there, this is Sam.")
    assert not default.structure["personalization"].find("hi there, this is sam.")


@pytest.mark.parametrize(
    ("text", "names_the_listener"),
    [
        ("hey brian hope you're good", True),
        ("Hi Dana, I'm calling about the Joliet terminal.", True),
        ("um i guess thats it for now thank you ms ramirez", True),
        ("call me back at 555 318 2290 doctor okafor whenever you get a sec", True),
        # The caller's own name, or a title that is not a name.
        ("Hey, Dan Morales here from AgencyBloc.", False),
        ("Good morning, Lorraine Beck with Sterling Mutual.", False),
        ("hi this is dr. patel from lakeside", False),
        ("i'll call the front desk to see if the doctor has five minutes", False),
        ("hi hi this is gina with freshcount", False),
        ("hey whoever gets this um this is for the person who handles the phones", False),
        # A first name said to the listener anywhere in the sentence ([vocab] first_names).
        ("okay so anyway rebecca i just wanted to flag the renewal date", True),
        ("and gordon if the warehouse move is already handled just say so", True),
        ("Thanks again, Priya.", True),
        ("i'll keep it short natalie you're busy", True),
        # ... but not the caller's, a colleague to ask for, or a place or word that is a name.
        ("Hi, this is Natalie.", False),
        ("Gordon Reyes here, from Lakeshore Freight.", False),
        ("just ask for Rebecca at the front desk", False),
        ("it's me, Priya, with Northwind again", False),
        ("Austin is where most of our customers are.", False),
        ("i hope you had a good weekend", False),
    ],
)
def test_sentences_that_name_the_listener(text: str, names_the_listener: bool) -> None:
    profile = load_profile()
    assert any(p.search(text) for p in profile.content.listener_named) == names_the_listener
    # listener_named's patterns are personalization rules too: the two never disagree.
    assert bool(profile.structure["personalization"].find(text.lower())) >= names_the_listener
