"""Scenario cards: the built-in set, validation messages naming the key, the user's own cards."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from voicemail_coach.analysis.scenarios import (
    TRIGGER_KINDS,
    ScenarioError,
    ScenarioStore,
    load_scenario,
    scenario_to_toml,
)


@pytest.fixture()
def store(tmp_path: Path) -> ScenarioStore:
    return ScenarioStore(tmp_path / "scenarios")


def test_at_least_ten_builtin_cards_across_industries_and_triggers(store: ScenarioStore) -> None:
    cards = store.all()
    assert len(cards) >= 10
    assert len({c.industry for c in cards}) >= 10
    assert {"download", "out_of_office", "referral", "news", "missed_meeting"} <= {
        c.trigger for c in cards
    }
    assert {c.difficulty for c in cards} == {"easy", "medium", "hard"}
    assert all(store.is_builtin(c.id) for c in cards)
    dana = store.get("logistics-guide-download")
    assert dana.label == "Dana Cole, Northwind Logistics"
    assert dana.first_name == "Dana"
    assert dana.trigger_label == TRIGGER_KINDS["download"]
    assert "empty miles" in dana.cares_about


def _write(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "card.toml"
    text = scenario_to_toml(ScenarioStore(tmp_path / "none").get("hotel-award-news"))
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('trigger = "news"', 'trigger = "gossip"', "trigger: 'gossip' is not one of download"),
        ('difficulty = "medium"', 'difficulty = "brutal"', "difficulty: must be one of easy"),
        ('prospect = "Rafael Ortiz"', 'prospect = "  "', "prospect: must not be empty"),
        ('prospect = "Rafael Ortiz"', "prospect = 7", "prospect: must be text, got 7"),
        ('company = "Harborview Hotel"\n', "", "company: missing"),
        ('id = "hotel-award-news"', 'id = "Hotel Award"', "id: use lower-case letters"),
        ("schema_version = 1", "schema_version = 9", "schema_version: is 9"),
        (
            'industry = "hospitality"',
            'industry = "hospitality"\nmood = "grumpy"',
            "mood: unknown key",
        ),
        ("cares_about = [", "cares_about = [] \nx_old = [", "x_old: unknown key"),
    ],
)
def test_a_bad_card_is_refused_naming_the_file_and_key(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = _write(tmp_path, old, new)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert str(err.value).startswith(f"{path}: ")
    assert message in str(err.value)


def test_empty_cares_about_and_broken_toml_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "cares_about = [", "cares_about = []\nold_cares = [")
    path.write_text(path.read_text().replace("old_cares = [", "# old = ["), encoding="utf-8")
    text = path.read_text()
    start = text.index("# old = [")
    path.write_text(text[:start] + text[text.index("]", start) + 1 :], encoding="utf-8")
    with pytest.raises(ScenarioError, match="cares_about: needs at least one"):
        load_scenario(path)
    path.write_text("id = [", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        load_scenario(path)


def test_add_edit_duplicate_delete_own_cards(tmp_path: Path, store: ScenarioStore) -> None:
    base = store.get("retail-missed-call")
    mine = dataclasses.replace(base, id="my-retail", prospect="Tina Becker")
    store.save(mine)
    assert (tmp_path / "scenarios" / "my-retail.toml").exists()
    again = ScenarioStore(tmp_path / "scenarios")
    assert again.get("my-retail") == mine and not again.is_builtin("my-retail")
    with pytest.raises(ScenarioError, match="already have a card"):
        store.save(mine)
    store.save(dataclasses.replace(mine, difficulty="easy"), replace=True)
    assert ScenarioStore(tmp_path / "scenarios").get("my-retail").difficulty == "easy"
    copy = store.duplicate("my-retail")
    assert copy.id == "my-retail-copy" and copy.prospect == "Tina Becker"
    assert store.duplicate("my-retail").id == "my-retail-copy-2"
    builtin_copy = store.duplicate("retail-missed-call")
    assert builtin_copy.id == "retail-missed-call-copy"
    store.delete("my-retail")
    assert not (tmp_path / "scenarios" / "my-retail.toml").exists()
    assert store.find("my-retail") is None
    with pytest.raises(ScenarioError, match="built-in cards cannot be deleted"):
        store.delete("retail-missed-call")
    with pytest.raises(ScenarioError, match="built-in card has this id"):
        store.save(base, replace=True)
    assert store.get("retail-missed-call") == base


def test_a_broken_user_card_is_reported_not_fatal(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "broken.toml").write_text('schema_version = 1\nid = "x"\n', encoding="utf-8")
    store = ScenarioStore(folder)
    assert len(store.all()) >= 10
    assert len(store.problems) == 1 and "broken.toml: prospect: missing" in store.problems[0]
    assert (folder / "broken.toml").exists()
