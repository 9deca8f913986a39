"""The one place for highlight colours: category → colour, readable on light and dark palettes.

Category colours are mid-lightness and saturated so they read both as bands/chips on a dark
window and on a light one. Text highlights never use them at full strength: `text_highlight`
blends them into the palette's base so the palette's own text colour stays readable on top.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

CATEGORY_COLORS: dict[str, QColor] = {
    "value_proposition": QColor("#2e9e4f"),  # green
    "call_to_action": QColor("#2f7fd8"),  # blue
    "opt_out": QColor("#15a3a3"),  # teal
    "intro": QColor("#8d80b8"),  # grey-violet
    "filler": QColor("#ec8a12"),  # orange
    "self_praise": QColor("#e0413e"),  # red
    "premature_ask": QColor("#c843b4"),  # magenta
    "pressure": QColor("#a8242f"),  # dark red
    "personalization": QColor("#cfa312"),  # gold
    "pause": QColor("#8e8e8e"),  # grey
}

CATEGORY_LABELS: dict[str, str] = {
    "value_proposition": "Value proposition",
    "call_to_action": "Call to action",
    "opt_out": "Opt-out",
    "intro": "Introduction",
    "filler": "Filler",
    "self_praise": "Self-praise",
    "premature_ask": "Premature ask",
    "pressure": "Pressure",
    "personalization": "Personalization",
    "pause": "Pause",
}

# Check verdicts: a coloured symbol plus a word, so the meaning is never carried by colour alone.
STATUS_COLORS: dict[str, QColor] = {
    "pass": QColor("#2e9e4f"),
    "warn": QColor("#e08a00"),
    "fail": QColor("#e0413e"),
    "info": QColor("#4a8fd6"),
}
STATUS_SYMBOLS: dict[str, str] = {"pass": "✔", "warn": "!", "fail": "✖", "info": "i"}
STATUS_WORDS: dict[str, str] = {"pass": "Pass", "warn": "Improve", "fail": "Fix", "info": "Note"}
# A pass outside the ideal zone but inside the acceptable one (see voicemail_coach.analysis.bands.Band).
FINE_WORD = "Fine"

_ALIASES = {"fillers": "filler", "pauses": "pause"}


def category_color(category: str) -> QColor:
    """The colour for ``category`` (a copy; unknown categories get the pause grey)."""
    key = _ALIASES.get(category, category)
    return QColor(CATEGORY_COLORS.get(key, CATEGORY_COLORS["pause"]))


def category_label(category: str) -> str:
    key = _ALIASES.get(category, category)
    return CATEGORY_LABELS.get(key, category.replace("_", " ").capitalize())


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def blend(top: QColor, bottom: QColor, amount: float) -> QColor:
    """``amount`` of ``top`` over ``bottom``, opaque (8 bits per channel, as HTML carries it)."""
    a = max(0.0, min(1.0, amount))

    def mix(t: int, b: int) -> int:
        return round(t * a + b * (1 - a))

    return QColor(
        mix(top.red(), bottom.red()),
        mix(top.green(), bottom.green()),
        mix(top.blue(), bottom.blue()),
    )


def highlight_alpha(palette: QPalette) -> float:
    """How strongly a category tints text backgrounds: a bit more on dark bases."""
    return 0.42 if is_dark(palette) else 0.30


def translucent(category: str, palette: QPalette) -> QColor:
    """The category colour with the alpha used for text highlights (for painting over base)."""
    c = category_color(category)
    c.setAlphaF(highlight_alpha(palette))
    return c


def text_highlight(category: str, palette: QPalette) -> QColor:
    """An opaque background for highlighted text: the translucent tint pre-blended into Base.

    Opaque so it can go into rich-text HTML; the palette's Text colour stays readable on it.
    """
    base = palette.color(QPalette.ColorRole.Base)
    return blend(category_color(category), base, highlight_alpha(palette))


def muted_text(
    palette: QPalette, role: QPalette.ColorRole = QPalette.ColorRole.WindowText
) -> QColor:
    """Secondary text: the text colour pulled towards its background, still readable."""
    back = QPalette.ColorRole.Base if role == QPalette.ColorRole.Text else QPalette.ColorRole.Window
    return blend(palette.color(role), palette.color(back), 0.68)
