"""Profile store and coaching packs: save as new, import/export, a pack's round trip, and
malformed profiles or packs refused with a message naming the problem, changing nothing."""

from __future__ import annotations

import dataclasses
import json
import zipfile
from pathlib import Path

import pytest

from voicemail_coach.analysis.pipeline import analyze_script
from voicemail_coach.analysis.profile import ProfileError
from voicemail_coach.analysis.profile_loader import load_profile
from voicemail_coach.analysis.scenarios import ScenarioStore, scenario_to_toml
from voicemail_coach.storage.pack_file import PackError, export_pack, read_pack
from voicemail_coach.storage.packs import apply_pack, conflicts
from voicemail_coach.storage.profile_store import ProfileConflict, ProfileStore, read_profile_data

SCRIPT = (
    "Hi Dana, this is Sam from Routewise. We help fleets cut empty miles and fuel costs. "
    "I'll email you a summary today and call Thursday. If it's not a fit, just say so."
)


def stores(folder: Path) -> tuple[ProfileStore, ScenarioStore]:
    return ProfileStore(folder / "profiles"), ScenarioStore(folder / "scenarios")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_builtin_profiles_for_the_length_schools(tmp_path: Path) -> None:
    entries = ProfileStore(tmp_path / "profiles").entries()
    assert [(e.name, e.builtin) for e in entries] == [
        ("Standard (20-30 s)", True),
        ("Short (8-15 s)", True),
        ("Extended (25-40 s)", True),
    ]
    short = load_profile(entries[1].path)
    assert short.length_preset().target_max_s == 15.0
    assert short.timing.value_proposition_within_s == 7.0
    assert short.fillers == load_profile().fillers  # the rest comes from the default
    assert load_profile(entries[2].path).length_preset().id == "extended"
    # The same 22 s script passes length in the standard school and fails in the short one.
    verdicts = [
        analyze_script(" ".join([SCRIPT] * 2), load_profile(e.path)).check("length").status
        for e in entries
    ]
    assert verdicts == ["pass", "fail", "pass"]


def test_save_as_new_then_edit_a_threshold(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles")
    data = read_profile_data(store.entries()[0].path)
    path = store.save_new(data, "Team Dana")
    assert path == tmp_path / "profiles" / "team-dana.toml"
    assert load_profile(path).name == "Team Dana"
    with pytest.raises(ProfileError, match=r"profile.name: a profile called 'team dana' already"):
        store.save_new(data, "team dana")
    data = read_profile_data(path)
    data["pace"]["warn_over_wpm"] = "fast"
    with pytest.raises(ProfileError, match=r"team-dana.toml: pace.warn_over_wpm: must be a number"):
        store.save(path, data)
    assert load_profile(path).pace.warn_over_wpm == 175.0  # unchanged on disk
    data["pace"]["warn_over_wpm"] = 180.0
    store.save(path, data)
    assert load_profile(path).pace.warn_over_wpm == 180.0
    with pytest.raises(ProfileError, match="built-in profiles are read-only"):
        store.save(store.entries()[0].path, data)


def test_import_refuses_a_broken_profile_and_asks_before_replacing(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles")
    broken = tmp_path / "broken.toml"
    broken.write_text('[profile]\nschema_version = 1\nname = "x"\n', encoding="utf-8")
    with pytest.raises(ProfileError, match=r"broken.toml: principles: missing table"):
        store.import_file(broken)
    assert not (tmp_path / "profiles").exists()
    mine = store.save_new(read_profile_data(store.entries()[0].path), "Team")
    exported = store.export(mine, tmp_path / "out" / "team.toml")
    assert store.import_file(exported) == mine  # identical: nothing to ask
    data = read_profile_data(mine)
    data["timing"]["intro_within_s"] = 3.0
    store.save(mine, data)
    with pytest.raises(ProfileConflict) as conflict:
        store.import_file(exported)
    assert conflict.value.existing == mine
    assert load_profile(mine).timing.intro_within_s == 3.0
    assert store.import_file(exported, "skip") is None
    both = store.import_file(exported, "keep_both")
    assert both is not None and both.name == "team-2.toml"
    assert load_profile(both).name == "Team (imported)"
    assert store.import_file(exported, "replace") == mine
    assert load_profile(mine).timing.intro_within_s == 5.0


def _team_setup(folder: Path) -> tuple[Path, list[object]]:
    profiles, cards = stores(folder)
    data = read_profile_data(profiles.entries()[1].path)
    data["pace"]["warn_over_wpm"] = 168.0
    path = profiles.save_new(data, "Acme short school")
    card = dataclasses.replace(
        cards.get("hotel-award-news"), id="acme-hotel", prospect="Rita Ortiz"
    )
    cards.save(card)
    return path, [card, cards.get("retail-missed-call")]


def test_pack_round_trip_into_an_empty_data_folder(tmp_path: Path) -> None:
    profile_path, cards = _team_setup(tmp_path / "coach")
    pack = export_pack(tmp_path / "acme", [profile_path], cards, name="Acme team")  # type: ignore[arg-type]
    assert pack.name == "acme.vmcpack"
    contents = read_pack(pack)
    assert contents.name == "Acme team"
    rep_profiles, rep_cards = stores(tmp_path / "rep")
    assert conflicts(contents, rep_profiles, rep_cards) == []
    summary = apply_pack(contents, rep_profiles, rep_cards)
    assert summary.added == ["Acme short school", "Rita Ortiz, Harborview Hotel"]
    assert summary.unchanged == ["Tom Becker, Fairway Outdoor Supply"]  # built in everywhere
    imported = [e for e in rep_profiles.entries() if not e.builtin]
    assert [e.name for e in imported] == ["Acme short school"]
    assert load_profile(imported[0].path) == dataclasses.replace(
        load_profile(profile_path), path=str(imported[0].path)
    )
    assert ScenarioStore(tmp_path / "rep" / "scenarios").get("acme-hotel") == cards[0]
    again = apply_pack(read_pack(pack), *stores(tmp_path / "rep"))
    assert again.unchanged == ["Acme short school", "Rita Ortiz, Harborview Hotel",
                               "Tom Becker, Fairway Outdoor Supply"]  # fmt: skip


def test_pack_import_never_overwrites_without_a_decision(tmp_path: Path) -> None:
    profile_path, cards = _team_setup(tmp_path / "coach")
    pack = export_pack(tmp_path / "acme.vmcpack", [profile_path], cards[:1])  # type: ignore[arg-type]
    rep = tmp_path / "rep"
    profiles, scenario_store = stores(rep)
    scenario_store.save(dataclasses.replace(cards[0], difficulty="easy"))  # type: ignore[type-var]
    before = snapshot(rep)
    contents = read_pack(pack)
    found = conflicts(contents, profiles, scenario_store)
    assert [c.key for c in found] == ["scenario:acme-hotel"]
    with pytest.raises(PackError, match=r"Rita Ortiz, Harborview Hotel.* already exists"):
        apply_pack(contents, profiles, scenario_store)
    assert snapshot(rep) == before
    summary = apply_pack(contents, profiles, scenario_store, {"scenario:acme-hotel": "keep_both"})
    assert summary.kept_both == ["Rita Ortiz, Harborview Hotel"]
    fresh = ScenarioStore(rep / "scenarios")
    assert fresh.get("acme-hotel").difficulty == "easy"
    assert fresh.get("acme-hotel-2").difficulty == "medium"


def _pack_with(tmp_path: Path, members: dict[str, str]) -> Path:
    path = tmp_path / "bad.vmcpack"
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return path


MANIFEST = {"format": "voicemail-coach-pack", "version": 1, "name": "Bad",
            "profiles": ["profiles/p.toml"], "scenarios": ["scenarios/s.toml"]}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"profiles/p.toml": "[profile]\nschema_version = 1\n"},
         "bad.vmcpack: profiles/p.toml: principles: missing table"),
        ({"profiles/p.toml": "pace = ["}, "bad.vmcpack: profiles/p.toml: not valid TOML"),
        ({"scenarios/s.toml": "schema_version = 1\n"},
         "bad.vmcpack: scenarios/s.toml: id: missing"),
        ({"manifest.json": "{"}, "bad.vmcpack: manifest.json: not valid JSON"),
        ({"manifest.json": json.dumps({**MANIFEST, "format": "zip"})},
         "bad.vmcpack: manifest.json: format: not a Voicemail Coach coaching pack"),
        ({"manifest.json": json.dumps({**MANIFEST, "version": 7})},
         "bad.vmcpack: manifest.json: version: is 7"),
        ({"manifest.json": json.dumps({**MANIFEST, "profiles": ["../../evil.toml"]})},
         "'../../evil.toml' is not profiles/NAME.toml"),
        ({"scenarios/s.toml": None}, "bad.vmcpack: scenarios/s.toml: missing from the pack"),
    ],
)  # fmt: skip
def test_a_malformed_pack_is_refused_and_changes_nothing(
    tmp_path: Path, change: dict[str, str | None], message: str
) -> None:
    card = dataclasses.replace(ScenarioStore(tmp_path / "x").get("retail-missed-call"), id="s")
    members: dict[str, str | None] = {
        "manifest.json": json.dumps(MANIFEST),
        "profiles/p.toml": '[profile]\nschema_version = 1\nextends = "short"\nname = "P"\n',
        "scenarios/s.toml": scenario_to_toml(card),
        **change,
    }
    pack = _pack_with(tmp_path, {k: v for k, v in members.items() if v is not None})
    rep = tmp_path / "rep"
    rep.mkdir()
    with pytest.raises(PackError) as err:
        apply_pack(read_pack(pack), *stores(rep))
    assert message in str(err.value)
    assert snapshot(rep) == {}


def test_not_a_zip_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "team.vmcpack"
    fake.write_text("hello", encoding="utf-8")
    with pytest.raises(PackError, match=r"team.vmcpack: not a coaching pack"):
        read_pack(fake)


def test_extends_names_a_builtin_and_reports_otherwise(tmp_path: Path) -> None:
    child = tmp_path / "child.toml"
    child.write_text('[profile]\nschema_version = 1\nextends = "nope"\nname = "C"\n', "utf-8")
    with pytest.raises(ProfileError, match=r"child.toml: profile.extends: must name a built-in"):
        load_profile(child)
    child.write_text(
        '[profile]\nschema_version = 1\nextends = "short"\nname = "C"\n[pace]\nwarn_over_wpm = -1\n',
        "utf-8",
    )
    with pytest.raises(ProfileError, match=r"child.toml: pace.warn_over_wpm: must not be negative"):
        load_profile(child)
    child.write_text('[profile]\nschema_version = 1\nextends = "short"\nname = "C"\n', "utf-8")
    loaded = load_profile(child)
    assert (loaded.name, loaded.default_length_preset) == ("C", "short")
    assert loaded.timing.value_proposition_within_s == 7.0  # from short, over the default


# --------------------------------------------------------------------------------------------
# Limits on what a pack may inflate, and an import that is all or nothing

CHILD = '[profile]\nschema_version = 1\nextends = "short"\nname = "{name}"\n'


def test_a_pack_inflating_past_the_overall_cap_is_refused(tmp_path: Path) -> None:
    """Each file is under the per-file cap; together they pass the cap on the whole pack."""
    filler = "# " + "x" * 900_000 + "\n"
    members = {f"profiles/p{i}.toml": CHILD.format(name=f"P{i}") + filler for i in range(10)}
    manifest = {**MANIFEST, "profiles": sorted(members), "scenarios": []}
    pack = _pack_with(tmp_path, {"manifest.json": json.dumps(manifest), **members})
    with pytest.raises(PackError) as err:
        read_pack(pack)
    assert str(err.value) == "bad.vmcpack: too large (over 8000000 bytes unpacked in all)"


def test_a_forged_size_in_the_zip_header_does_not_get_past(tmp_path: Path) -> None:
    """The header says 100 bytes; the data inflates to 3 MB. What is read is counted, and the
    file is refused without inflating it all."""
    pack = tmp_path / "bad.vmcpack"
    body = CHILD.format(name="P") + "# " + "x" * 3_000_000 + "\n"
    manifest = {**MANIFEST, "scenarios": []}
    with zipfile.ZipFile(pack, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("profiles/p.toml", body)
    raw = bytearray(pack.read_bytes())
    real = len(body).to_bytes(4, "little")
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = raw.index(signature)
        while raw[at + offset : at + offset + 4] != real:
            at = raw.index(signature, at + 4)
        raw[at + offset : at + offset + 4] = (100).to_bytes(4, "little")
    pack.write_bytes(bytes(raw))
    assert zipfile.ZipFile(pack).getinfo("profiles/p.toml").file_size == 100
    with pytest.raises(PackError) as err:
        read_pack(pack)
    assert str(err.value).startswith("bad.vmcpack: profiles/p.toml: ")
    assert "cannot be read" in str(err.value) or "too large" in str(err.value)


def _rep_with_a_profile_to_replace(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A pack with a new card and a profile that replaces one of the rep's, plus the decisions."""
    coach_profile = tmp_path / "coach" / "team.toml"
    coach_profile.parent.mkdir()
    coach_profile.write_text(CHILD.format(name="Team") + "[pace]\nwarn_over_wpm = 180.0\n", "utf-8")
    card = dataclasses.replace(
        ScenarioStore(tmp_path / "x").get("retail-missed-call"), id="new-card"
    )
    pack = export_pack(tmp_path / "team.vmcpack", [coach_profile], [card])
    rep = tmp_path / "rep"
    (rep / "profiles").mkdir(parents=True)
    (rep / "profiles" / "team.toml").write_text(CHILD.format(name="Team"), "utf-8")
    return pack, rep, {"profile:team.toml": "replace"}


def test_a_full_disk_during_import_changes_nothing_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from voicemail_coach.storage import packs

    pack, rep, decisions = _rep_with_a_profile_to_replace(tmp_path)
    before = snapshot(rep)
    real_stage = packs._stage
    calls: list[Path] = []

    def stage_then_fill_the_disk(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_stage(path, data)

    monkeypatch.setattr(packs, "_stage", stage_then_fill_the_disk)
    with pytest.raises(PackError) as err:
        apply_pack(read_pack(pack), *stores(rep), decisions)
    assert (
        str(err.value) == "team.vmcpack: cannot write the imported files: no space left on device"
    )
    assert len(calls) == 2 and calls[0].parent.parent == rep  # staged inside the data folder
    assert snapshot(rep) == before
    assert not list(rep.glob(".pack-import-*"))
    assert ScenarioStore(rep / "scenarios").find("new-card") is None


def test_a_move_failing_half_way_puts_back_what_was_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from voicemail_coach.storage import packs

    pack, rep, decisions = _rep_with_a_profile_to_replace(tmp_path)
    before = snapshot(rep)
    real_move = packs._move
    moves: list[Path] = []

    def move_until_the_disk_fails(source: Path, target: Path) -> None:
        moves.append(target)
        if len(moves) == 3:  # the old profile set aside and the new one in place: the card fails
            raise OSError(errno.EIO, "Input/output error")
        real_move(source, target)

    monkeypatch.setattr(packs, "_move", move_until_the_disk_fails)
    with pytest.raises(PackError, match="input/output error"):
        apply_pack(read_pack(pack), *stores(rep), decisions)
    assert moves[1] == rep / "profiles" / "team.toml"
    assert snapshot(rep) == before
    assert not list(rep.glob(".pack-import-*"))


def test_an_import_that_succeeds_leaves_no_staging_folder(tmp_path: Path) -> None:
    pack, rep, decisions = _rep_with_a_profile_to_replace(tmp_path)
    profiles, cards = stores(rep)
    summary = apply_pack(read_pack(pack), profiles, cards, decisions)
    assert (summary.replaced, summary.added) == (["Team"], ["Tom Becker, Fairway Outdoor Supply"])
    assert load_profile(rep / "profiles" / "team.toml").pace.warn_over_wpm == 180.0
    assert cards.find("new-card") is not None
    assert ScenarioStore(rep / "scenarios").find("new-card") == cards.find("new-card")
    assert not list(rep.glob(".pack-import-*"))


def test_when_putting_back_fails_too_the_message_says_where_the_originals_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from voicemail_coach.storage import packs

    pack, rep, decisions = _rep_with_a_profile_to_replace(tmp_path)
    original = (rep / "profiles" / "team.toml").read_text("utf-8")
    real_move = packs._move
    moves: list[Path] = []

    def move_on_a_dying_disk(source: Path, target: Path) -> None:
        moves.append(target)
        if len(moves) >= 3:  # the card's move fails, and so does putting the profile back
            raise OSError(errno.EIO, "Input/output error")
        real_move(source, target)

    monkeypatch.setattr(packs, "_move", move_on_a_dying_disk)
    with pytest.raises(PackError) as err:
        apply_pack(read_pack(pack), *stores(rep), decisions)
    [staging] = rep.glob(".pack-import-*")
    assert str(err.value) == (
        "team.vmcpack: cannot write the imported files: input/output error: the disk may be "
        "failing; putting your files back failed too (input/output error: the disk may be "
        f"failing): the originals are in {staging}"
    )
    assert (staging / "0.old").read_text("utf-8") == original
