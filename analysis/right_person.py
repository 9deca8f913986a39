"""Whom a voicemail greeting named: the person the rep meant to reach (a scenario card's
prospect), someone else, or no one. Pure text: it reads the greeting's transcript.

tiny.en misspells names, so a name part matches on a simplified spelling with a similarity
ratio (``resources/greeting/names.toml``: the phrases that lead to a name, words that are never
one, the similarity needed)."""

from __future__ import annotations

import difflib
import importlib.resources
import re
import tomllib
from dataclasses import dataclass
from functools import cache

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")


@dataclass(frozen=True)
class NameRules:
    lead_phrases: tuple[tuple[str, ...], ...]
    after_name: frozenset[str]
    not_names: frozenset[str]
    similarity: float


@cache
def rules() -> NameRules:
    resource = importlib.resources.files("voicemail_coach.resources.greeting").joinpath(
        "names.toml"
    )
    data = tomllib.loads(resource.read_text(encoding="utf-8"))
    leads = sorted((tuple(p.split()) for p in data["lead_phrases"]), key=len, reverse=True)
    return NameRules(
        tuple(leads),
        frozenset(data["after_name"]),
        frozenset(data["not_names"]),
        float(data["name_similarity"]),
    )


def simplify(word: str) -> str:
    """A spelling that sounds alike spelled alike: "Kohl" and "Cole" both "kol"."""
    w = word.lower().removesuffix("'s").replace("'", "")
    for a, b in (("ph", "f"), ("ck", "k"), ("c", "k"), ("q", "k"), ("z", "s"), ("y", "i")):
        w = w.replace(a, b)
    w = re.sub(r"(?<=[a-z])h", "", w)  # silent h: "Kohl", "Sarah", "Jhon"
    w = re.sub(r"e$", "", w) if len(w) > 3 else w  # a final silent e: "Cole"
    return re.sub(r"(.)\1+", r"\1", w)


def alike(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, simplify(a), simplify(b)).ratio()


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text)


def _is_name(token: str, not_names: frozenset[str]) -> bool:
    return token[:1].isupper() and token.lower().removesuffix("'s") not in not_names


def named(text: str) -> str | None:
    """The name a greeting says whose phone it is ("you've reached Dana Cole", "Jess's
    voicemail"), as transcribed; None when it names no one."""
    r = rules()
    tokens = _tokens(text)
    lower = [t.lower() for t in tokens]
    for i in range(len(tokens)):
        for lead in r.lead_phrases:
            if tuple(lower[i : i + len(lead)]) != lead:
                continue
            name = []
            for tok in tokens[i + len(lead) : i + len(lead) + 3]:
                if not _is_name(tok, r.not_names):
                    break
                name.append(tok.removesuffix("'s"))
            if name:
                return " ".join(name)
        if (
            i + 1 < len(tokens)
            and lower[i + 1] in r.after_name
            and _is_name(tokens[i], r.not_names)
        ):
            start = i - 1 if i > 0 and _is_name(tokens[i - 1], r.not_names) else i
            return " ".join(t.removesuffix("'s") for t in tokens[start : i + 1])
    return None


def _matches(candidates: list[str], parts: list[str], similarity: float) -> list[str]:
    """The candidates alike to a part of ``parts`` (in the candidates' order)."""
    return [
        c
        for c in candidates
        if len(c) >= 3 and any(len(p) >= 2 and alike(c, p) >= similarity for p in parts)
    ]


def judge(text: str, prospect: str | None, company: str | None) -> tuple[str, str | None]:
    """("right", name heard) when the greeting names ``prospect``; ("other", name) when it names
    someone else; ("none", None) when it names no one (the company alone is no one).
    Without ``prospect``: ("other", name) for any name heard."""
    r = rules()
    tokens = [t.removesuffix("'s") for t in _tokens(text)]
    heard = named(text)
    if prospect:
        # Any capitalised word may be the name: tiny.en writes it where the lead phrase was lost.
        candidates = [t for t in tokens if _is_name(t, r.not_names)]
        if heard:
            candidates += heard.split()
        found = _matches(list(dict.fromkeys(candidates)), prospect.split(), r.similarity)
        if found:
            return "right", " ".join(found)
    if heard and company:
        parts = heard.split()
        if len(_matches(parts, company.split(), r.similarity)) == len(parts):
            return "none", None  # "you've reached Northwind Logistics": a company, no person
    if heard:
        return "other", heard
    return "none", None
