"""Profile patterns cannot hang the analysis: a pattern that could backtrack for minutes is
refused when its profile (or a pack holding it) is loaded, naming the file and the key."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest

from voicemail_coach.analysis import regex_guard
from voicemail_coach.analysis.profile import ProfileError
from voicemail_coach.analysis.profile_loader import default_profile_path, load_profile
from voicemail_coach.storage.pack_file import PackError, read_pack

CHILD = '[profile]\nschema_version = 1\nextends = "short"\nname = "Team"\n'


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"(a+)+$", "share out the same text"),
        (r"(\w+\s?)+;;;", "share out the same text"),
        (r"(?:\w+|\d+)+x", "share out the same text"),
        (r"(a|aa)+b", "share out the same text"),
        (r"(aa?)+b", "share out the same text"),
        (r"(?:a|a)+b", "branches that can match the same text"),
        (r"(?:ab|a.)+c", "branches that can match the same text"),
        (r"\b\w*\w*\w*;", "searching"),
    ],
)
def test_patterns_that_backtrack_are_named(pattern: str, why: str) -> None:
    regex_guard.problem.cache_clear()
    start = time.monotonic()
    found = regex_guard.problem(pattern)
    assert found is not None and why in found
    assert time.monotonic() - start < 10  # the trial run is bounded too


@pytest.mark.parametrize(
    "pattern",
    [
        r"(\s+\w+)*x",  # the spaces mark where each pass starts
        r"(?:\w+,? )*x",
        r"(?:hello|hi)+ ",
        r"(?:very |really )+good",  # every pass ends at its space
        r"(?:a |aa )+x",
        r"(?:(?:a|b)+ )+x",  # the rewrite the message suggests
        r"(x(?:a|aa))+y",
        r"\b(?:\w+ ){0,5}calling\b",  # a bounded repeat
        r"(?>\w+\s?)+;",  # atomic: never backtracks into itself
        r"(\w|\d)+x",  # one character either way: re makes it a set
    ],
)
def test_patterns_that_cannot_backtrack_far_are_accepted(pattern: str) -> None:
    assert regex_guard.problem(pattern) is None


def test_every_shipped_profile_passes_and_its_patterns_stay_fast() -> None:
    folder = default_profile_path().parent
    for path in sorted(folder.glob("*.toml")):
        profile = load_profile(path)
        for matcher in (*profile.structure.values(), *profile.cta.values()):
            for rx in matcher.regexes:
                start = time.thread_time()
                rx.search("so " * 700 + "\x00")
                assert time.thread_time() - start < 0.5, (path.name, rx.pattern)


@pytest.mark.parametrize(
    ("table", "pattern", "key"),
    [
        ("[structure.intro]\npatterns = ['''(a+)+$''']", "(a+)+$", "structure.intro.patterns"),
        ("[fillers]\ncontextual = ['''(\\w+\\s?)+;;;''']", r"(\w+\s?)+;;;", "fillers.contextual"),
        (
            "[no_message]\ngreeting_patterns = ['''(?:\\w+|\\d+)+ beep''']",
            r"(?:\w+|\d+)+ beep",
            "no_message.greeting_patterns",
        ),
    ],
)
def test_a_profile_with_a_backtracking_pattern_is_refused(
    tmp_path: Path, table: str, pattern: str, key: str
) -> None:
    path = tmp_path / "team.toml"
    path.write_text(CHILD + table + "\n", encoding="utf-8")
    with pytest.raises(ProfileError) as err:
        load_profile(path)
    assert str(err.value).startswith(f"{path}: {key}: pattern {pattern!r} could take minutes")


def test_a_pack_with_a_backtracking_pattern_is_refused(tmp_path: Path) -> None:
    pack = tmp_path / "team.vmcpack"
    manifest = {"format": "voicemail-coach-pack", "version": 1, "name": "Team",
                "profiles": ["profiles/p.toml"], "scenarios": []}  # fmt: skip
    with zipfile.ZipFile(pack, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr(
            "profiles/p.toml", CHILD + "[structure.pressure]\npatterns = ['''(\\w+\\s?)+;;;''']\n"
        )
    with pytest.raises(PackError) as err:
        read_pack(pack)
    assert str(err.value).startswith(
        "team.vmcpack: profiles/p.toml: structure.pressure.patterns: pattern '(\\\\w+\\\\s?)+;;;'"
    )
