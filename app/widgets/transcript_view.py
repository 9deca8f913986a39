"""The transcript, word by word, with the report's spans highlighted and the played word lit."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QUrl, Signal
from PySide6.QtGui import QHelpEvent, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QToolTip, QWidget

from voicemail_coach.analysis.report import Report
from voicemail_coach.analysis.written import written_words
from voicemail_coach.app.widgets.colors import (
    category_color,
    category_label,
    muted_text,
    text_highlight,
)
from voicemail_coach.app.widgets.spans import (
    Span,
    detail_spans,
    highlighted_html,
    priority,
    structure_spans,
    word_at,
    word_spans,
)


class TranscriptView(QTextBrowser):
    """Read-only transcript. Each word is an anchor ``w:<index>``; clicking one seeks to it."""

    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._report: Report | None = None
        self._starts: list[float] = []
        self._spans: list[list[Span]] = []
        self._positions: list[tuple[int, int]] = []
        self._current: int | None = None
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        self.setAccessibleName("Transcript")
        self.setAccessibleDescription(
            "The words heard, highlighted by what they do; activate a word to play from it."
        )
        self.setPlaceholderText("The transcript appears here after analysis.")

    # public API -------------------------------------------------------------------------------

    def focusNextPrevChild(self, next: bool) -> bool:
        # QTextBrowser would step Tab through every word (each is a link): a keyboard user
        # would press Tab a hundred times to get past the transcript.
        return QWidget.focusNextPrevChild(self, next)

    def report(self) -> Report | None:
        return self._report

    def set_report(self, report: Report | None) -> None:
        self._report = report
        self._current = None
        if report is None:
            self._starts, self._spans = [], []
        else:
            words = report.transcript.words
            self._starts = [w.start_s for w in words]
            spans = structure_spans(report) + detail_spans(report)
            self._spans = word_spans(words, spans)
        self._render()

    def clear_report(self) -> None:
        self.set_report(None)

    def set_current_time(self, t_s: float) -> None:
        """Light the word being said at ``t_s``; cheap when it is the same word as before."""
        if self._report is None:
            return
        index = word_at(self._report.transcript.words, self._starts, t_s)
        if index == self._current:
            return
        self._current = index
        self._show_current(scroll=True)

    def current_word(self) -> int | None:
        return self._current

    def word_range(self, index: int) -> tuple[int, int]:
        """(document position, length) of word ``index``'s anchor."""
        return self._positions[index]

    def word_categories(self, index: int) -> list[str]:
        """The categories covering word ``index``, the highlighted one first."""
        return [s.category for s in self._spans[index]]

    def word_tooltip(self, index: int) -> str:
        if self._report is None or not 0 <= index < len(self._spans):
            return ""
        w = self._report.transcript.words[index]
        lines = [s.describe() for s in self._spans[index]]
        lines.append(f"{w.start_s:.1f} s · click to play from here")
        return "\n".join(lines)

    # rendering --------------------------------------------------------------------------------

    def _render(self) -> None:
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.Text).name()
        muted = muted_text(pal, QPalette.ColorRole.Text).name()
        self.document().setDefaultStyleSheet(
            f"a {{ color: {text}; text-decoration: none; }} .legend {{ color: {muted}; }}"
        )
        report = self._report
        if report is None:
            self.clear()
            self._positions = []
            self.setExtraSelections([])
            return
        words = report.transcript.words
        if not words:
            self.setHtml(f"<p style='color:{muted}'>No words were recognised.</p>")
            self._positions = []
            self.setExtraSelections([])
            return
        written = written_words([w.text for w in words])  # "555-201-4478" however it was split
        words_html = [
            (sep, f"<a href='w:{i}'>{html.escape(text)}</a>" if text else "")
            for i, (sep, text) in enumerate(written)
        ]
        body = highlighted_html(
            words_html,
            self._spans,
            lambda top: (
                f"<span style='background-color:{text_highlight(top.category, pal).name()}'>"
            ),
        )
        parts = [self._legend_html(), "<p style='line-height:150%'>", body, "</p>"]
        self.setHtml("".join(parts))
        self._index_words()
        self._show_current(scroll=False)

    def _legend_html(self) -> str:
        present = {s.category for spans in self._spans for s in spans}
        if not present:
            return ""
        chips = []
        for cat in sorted(present, key=lambda c: priority(Span(c, 0, 0, ""))):
            color = category_color(cat).name()
            chips.append(
                f"<span style='background-color:{color}'>&nbsp;&nbsp;&nbsp;&nbsp;</span>"
                f"&nbsp;{html.escape(category_label(cat)).replace(' ', '&nbsp;')}"
            )
        sep = "&nbsp;&nbsp;&nbsp; "
        return f"<p class='legend' style='font-size:small; margin-bottom:6px'>{sep.join(chips)}</p>"

    def _index_words(self) -> None:
        """Where each word's anchor sits in the document, for cheap current-word highlighting."""
        positions: dict[int, tuple[int, int]] = {}
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                href = frag.charFormat().anchorHref()
                if href.startswith("w:"):
                    index = int(href[2:])
                    start, end = frag.position(), frag.position() + frag.length()
                    if index in positions:  # a word split across fragments
                        start = min(start, positions[index][0])
                        end = max(end, positions[index][0] + positions[index][1])
                    positions[index] = (start, end - start)
                it += 1
            block = block.next()
        self._positions = [positions.get(i, (0, 0)) for i in range(len(self._starts))]

    def _show_current(self, scroll: bool) -> None:
        i = self._current
        if i is None or not 0 <= i < len(self._positions) or self._positions[i][1] == 0:
            self.setExtraSelections([])
            return
        pos, length = self._positions[i]
        cursor = QTextCursor(self.document())
        cursor.setPosition(pos)
        cursor.setPosition(pos + length, QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        pal = self.palette()
        fmt.setBackground(pal.color(QPalette.ColorRole.Highlight))
        fmt.setForeground(pal.color(QPalette.ColorRole.HighlightedText))
        fmt.setFontUnderline(True)
        sel = QTextEdit.ExtraSelection()
        sel.cursor = cursor
        sel.format = fmt
        self.setExtraSelections([sel])
        if scroll:
            rect = self.cursorRect(cursor)
            view = self.viewport().rect()
            bar = self.verticalScrollBar()
            if rect.bottom() > view.bottom() - 4:
                bar.setValue(bar.value() + rect.bottom() - view.bottom() + rect.height() * 2)
            elif rect.top() < view.top():
                bar.setValue(bar.value() + rect.top() - rect.height())

    # events -----------------------------------------------------------------------------------

    def _on_anchor(self, url: QUrl) -> None:
        href = url.toString()
        if href.startswith("w:") and self._report is not None:
            index = int(href[2:])
            words = self._report.transcript.words
            if 0 <= index < len(words):
                self.seek_requested.emit(words[index].start_s)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            href = self.anchorAt(event.pos())
            tip = self.word_tooltip(int(href[2:])) if href.startswith("w:") else ""
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._render()
