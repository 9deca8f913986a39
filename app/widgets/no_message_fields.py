"""The profile editor's "No message" tab: when a take is no voicemail message at all (the
profile's ``[no_message]`` table, see ``voicemail_coach.analysis.no_message``), in words a coach can follow,
and what the feedback page then says for each kind of non-message.

The greeting phrases themselves are a phrase list (``no_message.greeting_patterns``) on the
"Phrase lists" tab, like every other list.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QWidget,
)

# (key in [no_message], label, suffix, what it means), grouped under headings.
SECTIONS: tuple[tuple[str, tuple[tuple[str, str, str, str], ...]], ...] = (
    (
        "Too few words",
        (
            (
                "min_words",
                "Words needed for a message",
                " words",
                "Fewer clearly heard words than this (fillers not counted) is no message.",
            ),
            (
                "min_word_probability",
                "A word is heard when the transcriber is this sure",
                "",
                "0-1: how sure the speech-to-text must be of a word for it to count as heard.",
            ),
            (
                "silent_no_speech_prob",
                "A stretch is silent when 'no speech' is at least",
                "",
                "0-1: the transcriber's belief that a stretch holds no speech; its words are not "
                "counted as heard when its confidence (below) is low too.",
            ),
            (
                "silent_neg_avg_logprob",
                "\u2026and its confidence is at or below minus",
                "",
                "The transcriber's mean log probability for that stretch, as a positive number "
                "(0.7 means -0.7 or lower).",
            ),
        ),
    ),
    (
        "Silence, noise, tones or music (when no word is heard)",
        (
            (
                "silence_dbfs",
                "Quieter than this is silence",
                " dBFS",
                "Sound below this level does not count as sound at all.",
            ),
            (
                "min_sound_s",
                "Less sound than this is silence",
                " s",
                "A cough or a click is not a message.",
            ),
            (
                "min_voiced_share",
                "Sound with a voice in less than this share is noise",
                "",
                "0-1: the share of the sound where a pitch (a voice, a tone) is found.",
            ),
            (
                "min_steady_pitch_share",
                "Pitch holding still this share of the time is tones or music",
                "",
                "0-1: a tone or a held note barely moves (0.82-1.00 measured), a voice keeps "
                "gliding (0.11-0.40).",
            ),
            (
                "steady_step_semitones",
                "A pitch step smaller than this holds still",
                " st",
                "In semitones per 10 ms.",
            ),
        ),
    ),
    (
        "Another language or unclear speech",
        (
            (
                "min_median_word_probability",
                "Words the transcriber is typically less sure of than this",
                "",
                "0-1: the median sureness over all words. Speech in another language came out as "
                "English-looking words at 0.06-0.60, every real message at 0.79 or more.",
            ),
        ),
    ),
    (
        "A phone system's greeting (\u201cplease leave a message after the tone\u201d)",
        (
            (
                "greeting_min_matches",
                "Greeting phrases needed",
                " phrases",
                "How many of the greeting phrases (Phrase lists: no_message.greeting_patterns) "
                "must be heard.",
            ),
            (
                "greeting_share",
                "Share of the heard words in greeting sentences",
                "",
                "0-1: the sentences holding those phrases must hold at least this share.",
            ),
            (
                "greeting_max_other_words",
                "Other words that make it a message after all",
                " words",
                "A greeting followed by this many heard words or more is a message (a prompt, "
                "then the rep's message).",
            ),
        ),
    ),
)
REASONS = (
    ("silence", "Silence"),
    ("noise", "Noise"),
    ("tones_or_music", "Tones or music"),
    ("few_words", "Too few words"),
    ("other_language", "Another language"),
    ("greeting", "A phone system's greeting"),
)


def _box(key: str, value: float | int, suffix: str, why: str) -> QAbstractSpinBox:
    box: QSpinBox | QDoubleSpinBox
    if isinstance(value, int) and not isinstance(value, bool):
        box = QSpinBox()
        box.setRange(0, 100_000)
    else:
        box = QDoubleSpinBox()
        box.setDecimals(3 if abs(value) < 1 else 1)
        box.setSingleStep(0.05 if abs(value) <= 1 else 1.0)
        box.setRange(-200.0, 100_000.0)
    box.setValue(value)
    box.setSuffix(suffix)
    box.setToolTip(why)
    box.setAccessibleName(key)
    box.setObjectName(key)
    return box


def no_message_page(
    table: dict[str, Any],
) -> tuple[QScrollArea, dict[str, QAbstractSpinBox], dict[str, QLineEdit]]:
    """The tab for ``table`` (a profile's ``[no_message]``): the page, its number boxes and its
    reason texts, each keyed by the profile's dotted key (``no_message.min_words``)."""
    page = QWidget()
    form = QFormLayout(page)
    intro = QLabel(
        "A take that is no voicemail message (silence, noise, tones, a phone system's greeting, "
        "another language, a word or two) gets no score and is never compared. These limits "
        "decide it; hover over a box for what it measures."
    )
    intro.setWordWrap(True)
    form.addRow(intro)
    numbers: dict[str, QAbstractSpinBox] = {}
    for heading, rows in SECTIONS:
        form.addRow(QLabel(f"<b>{heading}</b>"))
        for name, label, suffix, why in rows:
            if name in table:
                key = f"no_message.{name}"
                numbers[key] = _box(key, table[name], suffix, why)
                form.addRow(label, numbers[key])
    form.addRow(QLabel("<b>What the feedback says instead of a score</b>"))
    texts: dict[str, QLineEdit] = {}
    reasons = table.get("reasons", {})
    for name, label in REASONS:
        key = f"no_message.reasons.{name}"
        texts[key] = QLineEdit(str(reasons.get(name, "")))
        texts[key].setAccessibleName(key)
        texts[key].setCursorPosition(0)
        form.addRow(label, texts[key])
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(page)
    return scroll, numbers, texts
