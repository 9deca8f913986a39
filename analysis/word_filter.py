"""Mending Whisper's words: runs it invents in no time at all, and full stops it puts mid-phrase.

With a prompt, Whisper sometimes closes with a stock phrase ("Thanks for watching. I'll see you
next week.") stacked at one instant after the last real word. Real speech never fits three words
into a few hundredths of a second, so such runs are dropped.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace

from voicemail_coach.analysis.profile import Sentences
from voicemail_coach.analysis.transcript import SENTENCE_END, Word

SQUEEZED_S = 0.03  # a word shorter than this has no sound of its own
MIN_RUN = 3  # this many squeezed words in a row are invented


def drop_squeezed_runs(words: Sequence[Word]) -> list[Word]:
    out: list[Word] = []
    run: list[Word] = []
    for w in [*words, None]:
        if w is not None and w.end_s - w.start_s < SQUEEZED_S:
            run.append(w)
            continue
        if len(run) < MIN_RUN:
            out += run
        run = []
        if w is not None:
            out.append(w)
    return out


def join_split_phrases(words: Sequence[Word], cfg: Sentences) -> list[Word]:
    """Words with Whisper's mid-phrase full stops taken out.

    Whisper sometimes closes a sentence after a word that cannot end one ("we help. Payroll
    teams cut ..."), which splits the value proposition in two and dates it late. A sentence end
    after one of ``cfg.joins_next`` (articles, prepositions, "help", ...) with the next word
    starting less than ``cfg.join_gap_s`` later is removed, so the words read as one sentence.
    """
    joins = {w.lower() for w in cfg.joins_next}
    out = list(words)
    for i, (w, nxt) in enumerate(itertools.pairwise(words)):
        text = w.text.strip()
        bare = SENTENCE_END.sub("", text)
        if bare != text and bare.lower() in joins and nxt.start_s - w.end_s < cfg.join_gap_s:
            out[i] = replace(w, text=bare)
    return out
