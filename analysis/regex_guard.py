"""Refusing profile patterns that could backtrack for minutes.

Python's ``re`` backtracks: a pattern such as ``(a+)+$`` or ``(\\w+\\s?)+;;;`` takes time
exponential in the length of a sentence it does not match, and the analysis would hang on an
ordinary transcript. A linear-time engine (RE2) cannot run the shipped profiles, which use
lookarounds, so each pattern is checked when a profile is loaded instead:

1. its parsed form (``re._parser``) is searched for the shapes that backtrack exponentially:
   a repeated group whose passes could share out the same run of characters in many ways
   (``(a+)+``, ``(\\w+\\s?)+``, ``(a|aa)+``), and a repeated choice whose branches match the
   same text (``(?:ab|a.)+``);
2. a pattern with two or more open-ended repeats (``\\w*\\w*\\w*x`` is polynomial, cubed) is
   tried on strings built to make it backtrack, growing in small steps, and refused when a
   single search of a sentence-sized string costs more than ``TRIAL_BUDGET_S`` of CPU time.
   The steps are small enough that the last run costs at most a few budgets.

``problem(source)`` says what is wrong, or None; the profile loader turns that into a message
naming the file and the key.
"""

from __future__ import annotations

import importlib
import re
import time
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

_parser: Any = importlib.import_module("re._parser")
_c: Any = importlib.import_module("re._constants")

# Longest sentence a pattern must handle quickly: about three minutes of speech with no full stop.
TRIAL_CHARS = 2000
TRIAL_BUDGET_S = 0.25
# Repeats allowing more than this many iterations count as open-ended.
OPEN_REPEAT = 20

_ALPHABET = frozenset(
    [chr(i) for i in range(32, 127)] + ["\n", "\t", "\u00e9", "\u2019", "\u00a0", "5"]
)
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT}
_SINGLE = {_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN}


@lru_cache(maxsize=4096)
def problem(source: str, flags: int = re.IGNORECASE) -> str | None:
    """Why ``source`` could stall the analysis, or None when it cannot."""
    try:
        parsed = _parser.parse(source, flags)
    except re.error:
        return None  # the caller's compile reports a bad pattern in its own words
    ignore_case = bool(flags & re.IGNORECASE)
    for op, av in _walk(parsed):
        if op not in _REPEATS or av[1] <= OPEN_REPEAT:
            continue
        if _resplittable(_unwrap(av[2]), ignore_case):
            return (
                "a repeated group can share out the same text among its repeats in many ways "
                "(end each repeat with something the rest cannot match, e.g. (?:(?:a|b)+ )+)"
            )
        if _ambiguous_branch(av[2], ignore_case):
            return "a repeated choice has branches that can match the same text"
    if _open_repeats(parsed) >= 2:
        return _trial(source, flags, parsed)
    return None


def _unwrap(seq: Any) -> Any:
    while len(seq) == 1 and seq[0][0] == _c.SUBPATTERN:
        seq = seq[0][1][3]
    return seq


def _resplittable(body: Any, ignore_case: bool) -> bool:
    """True when the text of two passes through ``body`` could also be read as one pass, or
    split another way: ``(a+)+``, ``(\\w+\\s?)+``, ``(a|aa)+``. It cannot when every part of
    variable length sits beside a required part that matches none of its characters
    (``(\\s+\\w+)*``: the spaces mark where each pass starts), or when every pass ends in a
    character nothing else in it matches."""
    if _ends_each_pass(body, ignore_case):
        return False
    for node in body:
        low, high = _width(node)
        if low == high or node[0] in (_c.ATOMIC_GROUP, _c.POSSESSIVE_REPEAT):
            continue
        chars = _chars([node], ignore_case)
        if not any(
            other is not node
            and other[0] not in (_c.AT, _c.ASSERT, _c.ASSERT_NOT)
            and _width(other)[0] > 0
            and not (_chars([other], ignore_case) & chars)
            for other in body
        ):
            return True
    return False


def _ends_each_pass(body: Any, ignore_case: bool) -> bool:
    """True when every way through ``body`` ends in one character that nothing before it can
    match: ``(?:very |really )+`` ends each pass at its space, so passes split one way only."""
    found = _last_and_rest(body, ignore_case)
    return found is not None and not found[0] & found[1]


def _last_and_rest(seq: Any, ignore_case: bool) -> tuple[frozenset[str], frozenset[str]] | None:
    """The characters the last one of a match of ``seq`` can be, and those any other can be;
    None when the last character is not one plain character node."""
    if not len(seq):
        return None
    op, av = seq[-1]
    before = _chars(seq[:-1], ignore_case)
    if op in _SINGLE:
        return _chars([seq[-1]], ignore_case), before
    alts = av[1] if op == _c.BRANCH else [av[3]] if op == _c.SUBPATTERN else None
    if alts is None:
        return None
    ends: frozenset[str] = frozenset()
    rest = before
    for alt in alts:
        found = _last_and_rest(alt, ignore_case)
        if found is None:
            return None
        ends, rest = ends | found[0], rest | found[1]
    return ends, rest


def _walk(seq: Iterable[Any]) -> Iterator[Any]:
    """Every node under ``seq``, not entering possessive repeats or atomic groups (they never
    backtrack into themselves)."""
    for node in seq:
        yield node
        op, av = node
        if op in _REPEATS:
            yield from _walk(av[2])
        elif op == _c.SUBPATTERN:
            yield from _walk(av[3])
        elif op == _c.BRANCH:
            for alt in av[1]:
                yield from _walk(alt)
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            yield from _walk(av[1])
        elif op == _c.GROUPREF_EXISTS:
            yield from _walk(av[1])
            if av[2] is not None:
                yield from _walk(av[2])


def _open_repeats(seq: Iterable[Any]) -> int:
    return sum(1 for op, av in _walk(seq) if op in _REPEATS and av[1] > OPEN_REPEAT)


def _width(node: Any) -> tuple[int, int]:
    low, high = _parser.SubPattern(_parser.State(), [node]).getwidth()
    return int(low), int(high)


def _chars(seq: Iterable[Any], ignore_case: bool) -> frozenset[str]:
    """Every character (of a sample alphabet) ``seq`` could consume."""
    out: set[str] = set()
    for op, av in _walk(seq):
        if op == _c.LITERAL:
            out |= _cased(chr(av), ignore_case)
        elif op == _c.NOT_LITERAL:
            out |= _ALPHABET - _cased(chr(av), ignore_case)
        elif op == _c.ANY:
            out |= _ALPHABET - {"\n"}
        elif op == _c.IN:
            out |= _in_set(av, ignore_case)
    return frozenset(out)


def _first(seq: Any, ignore_case: bool) -> frozenset[str]:
    """The characters a match of ``seq`` can start with."""
    out: set[str] = set()
    for node in seq:
        op, av = node
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue
        if op == _c.SUBPATTERN:
            out |= _first(av[3], ignore_case)
        elif op in _REPEATS:
            out |= _first(av[2], ignore_case)
        elif op == _c.BRANCH:
            for alt in av[1]:
                out |= _first(alt, ignore_case)
        else:
            out |= _chars([node], ignore_case)
        if _width(node)[0] > 0:
            break
    return frozenset(out)


def _cased(ch: str, ignore_case: bool) -> set[str]:
    return {ch.lower(), ch.upper()} if ignore_case else {ch}


def _in_set(items: Iterable[Any], ignore_case: bool) -> set[str]:
    negate = False
    members: set[str] = set()
    for op, av in items:
        if op == _c.NEGATE:
            negate = True
        elif op == _c.LITERAL:
            members |= _cased(chr(av), ignore_case)
        elif op in (_c.RANGE, _c.RANGE_UNI_IGNORE):
            low, high = av
            members |= {ch for ch in _ALPHABET if low <= ord(ch) <= high}
            if ignore_case:
                members |= {ch for ch in _ALPHABET if low <= ord(ch.lower()) <= high}
        elif op == _c.CATEGORY:
            members |= {ch for ch in _ALPHABET if _in_category(ch, av)}
    return set(_ALPHABET - members) if negate else members


def _in_category(ch: str, category: Any) -> bool:
    word = ch.isalnum() or ch == "_"
    tests = {
        _c.CATEGORY_WORD: word,
        _c.CATEGORY_NOT_WORD: not word,
        _c.CATEGORY_DIGIT: ch.isdigit(),
        _c.CATEGORY_NOT_DIGIT: not ch.isdigit(),
        _c.CATEGORY_SPACE: ch.isspace(),
        _c.CATEGORY_NOT_SPACE: not ch.isspace(),
    }
    return tests.get(category, True)


def _ambiguous_branch(body: Any, ignore_case: bool) -> bool:
    """A repeated choice whose branches can match the same text: ``(\\w|\\d)+``, ``(a|aa)+``."""
    for op, av in _walk(body):
        if op != _c.BRANCH:
            continue
        alts = av[1]
        for i, a in enumerate(alts):
            for b in alts[i + 1 :]:
                if _overlap(a, b, ignore_case):
                    return True
    return False


def _overlap(a: Any, b: Any, ignore_case: bool) -> bool:
    sa, sb = _positions(a, ignore_case), _positions(b, ignore_case)
    if sa is not None and sb is not None:
        # Runs of different lengths never match the same text (``_resplittable`` sees to
        # (a|aa)+); runs of one length do when every position can take the same character.
        return len(sa) == len(sb) and all(x & y for x, y in zip(sa, sb, strict=True))
    if not (_first(a, ignore_case) & _first(b, ignore_case)):
        return False
    return _open_repeats(a) + _open_repeats(b) > 0


def _positions(seq: Any, ignore_case: bool) -> list[frozenset[str]] | None:
    """The character set at each position of a fixed run of single characters, else None."""
    out = []
    for node in seq:
        if node[0] not in (_c.LITERAL, _c.NOT_LITERAL, _c.ANY, _c.IN):
            return None
        out.append(_chars([node], ignore_case))
    return out


def _trial(source: str, flags: int, parsed: Any) -> str | None:
    """Time searches of growing strings made to make ``source`` backtrack."""
    compiled = re.compile(source, flags)
    ignore_case = bool(flags & re.IGNORECASE)
    fills: set[str] = set()
    for op, av in _walk(parsed):
        if op in _REPEATS and av[1] > OPEN_REPEAT:
            chars = _chars(av[2], ignore_case)
            fills |= {ch for ch in ("a", " ", "1", ".", "'", "-", ",") if ch in chars}
            fills |= set(sorted(chars)[:1])
    texts = [ch * TRIAL_CHARS + "\x00" for ch in sorted(fills)]
    texts.append(("hi this is sam from acme, we help teams like yours " * 40)[:TRIAL_CHARS])
    for text in texts:
        length = 4
        while True:
            start = time.thread_time()
            compiled.search(text[:length] + text[-1])
            spent = time.thread_time() - start
            if spent > TRIAL_BUDGET_S:
                return (
                    f"searching {length} characters took {spent:.1f} s "
                    f"(it must stay under {TRIAL_BUDGET_S} s for {TRIAL_CHARS})"
                )
            if length >= TRIAL_CHARS:
                break
            length = min(TRIAL_CHARS, length + 2 if length < 40 else int(length * 1.25))
    return None
