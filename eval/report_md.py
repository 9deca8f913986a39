"""docs/EVALUATION.md: the measured figures, with how they were made and how to read them."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

from eval.metrics import MIN_EVAL_PAUSE_S, TIME_TOL_S

INTRO = """\
# How far to trust each delivery check

Generated on {date} over {cases} labelled recordings by

    PYTHONPATH=. .venv/bin/python -m eval.run --make --compare-prompt \\
        --real ../shared/real-audio --write docs/EVALUATION.md

Do not edit by hand: re-run the command (the text around the tables lives in
`eval/report_md.py`).

## The labelled set

`eval/truth.toml` describes each case as a list of parts: sentences, filler words said as words
("um", "uh", "you know", "like", "kind of"), held hesitations (a drawn-out "uhhh" / "uhhm" from
espeak-ng phonemes, with no text, to test what the transcript drops), silences, sentences said
with a rising end, faster or slower stretches, and a phone number said slowly or fast. Whole-case
labels cover monotone and lively pitch (espeak-ng pitch range), background noise mixed with sox at
a known signal-to-noise ratio, telephone band (300-3400 Hz, 8 kHz) and a very quiet level.
`python -m eval.make_set` speaks every part separately with espeak-ng, trims it and joins the parts,
so the start and end of every labelled event is known to the sample; the audio and the derived
truth (`<case>.json`) go to `eval/out/` (not in git).

Which cases were looked at while tuning (from `git log` of `eval/` and the detectors): the
`heldout_*` cases were added with the change that reworked rushing and uptalk (e648be3), and
`clipped_level` and the two `heldout_phone_*` cases just after it (d4d939c, e6c726c). They were
meant as held out, but the detectors were tuned again afterwards with the whole set in view: the
hesitation detector (7ea1e8d; its "8 to 15 of 23 fillers found" counts the held-out hesitations
too), word starts snapped to their sound with the rushing ratio moved from 1.6 to 1.7 to match
(31859b6), and pause kinds judged to the 0.1 s shown (a silence must be over the limit, not at
it). So no case here is unseen: every row, `heldout_*` included, is a tuning-set figure and reads
as an upper bound. A new held-out set has to be made, scored once, and left alone.

How to read the table: a detected event matches a labelled one when they overlap within
{tol} s; tp / fp / fn are matched, extra and missed events; precision = tp / (tp + fp), recall =
tp / (tp + fn). "Error" is the distance between the labelled and detected start (for pauses the
worse of start and end). Verdicts compare a check's outcome with the case label. Pauses shorter
than {min_pause} s are ordinary phrasing and are not labelled.

Limits: synthetic speech is steadier in pitch and timing than a person, and Whisper hears espeak's
fillers more readily than mumbled human ones; treat the figures as an upper bound for clean
recordings and as a regression guard for the code. Timings of the transcription were taken on a
shared 2-core machine.
"""


def write_markdown(path: Path, cases: int, sections: Sequence[tuple[str, str]]) -> None:
    date = datetime.date.today().isoformat()
    text = [INTRO.format(date=date, cases=cases, tol=TIME_TOL_S, min_pause=MIN_EVAL_PAUSE_S)]
    for title, body in sections:
        text += [f"## {title}", "", body, ""]
    path.write_text("\n".join(text), encoding="utf-8")
