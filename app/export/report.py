"""Export one attempt's report as a self-contained HTML file or a PDF.

Both come from the same HTML (``voicemail_coach.app.export.report_html``); the PDF is that HTML laid out by Qt's
rich-text engine onto A4 pages. The timeline picture is the app's own ``Timeline`` widget,
rendered offscreen. Call these from the GUI thread (or a process with no GUI: a
``QApplication`` is created on first use, offscreen when there is no display).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrame,
    QTextTable,
)
from PySide6.QtWidgets import QApplication

from voicemail_coach.analysis.report import Report
from voicemail_coach.app.export.report_html import (
    MUTED,
    attention_window_s,
    build_report_html,
    export_palette,
    footer_text,
)
from voicemail_coach.app.widgets.timeline import Timeline
from voicemail_coach.storage.coaching_records import CoachingRecord

__all__ = ["export_report", "report_html", "timeline_png"]

TIMELINE_SIZE = (1000, 160)
TIMELINE_SCALE = 2.0  # device pixels per widget pixel, so the picture stays sharp in print
PLOT_BACKGROUND = "#f4f4f4"
PDF_MARGINS_MM = (16.0, 16.0, 16.0, 18.0)  # left, top, right, bottom
PDF_RESOLUTION = 300
CSS_DPI = 96.0
MM_PER_INCH = 25.4

Samples = npt.NDArray[np.floating] | None


def ensure_qapplication() -> QApplication:
    """The running QApplication, or a new one (offscreen on Linux without a display)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    if app is not None:
        raise RuntimeError("a QGuiApplication is running; exporting needs a QApplication")
    argv = ["voicemail-coach"]
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if headless and not os.environ.get("QT_QPA_PLATFORM"):
        argv += ["-platform", "offscreen"]
    return QApplication(argv)


def timeline_png(
    report: Report,
    samples: Samples,
    sample_rate: int,
    size: tuple[int, int] = TIMELINE_SIZE,
    comments: list[tuple[float, str]] | None = None,
) -> bytes:
    """The app's timeline for ``report`` over ``samples``, as PNG bytes (light theme, no playhead),
    with ``comments`` (time, text) as numbered markers."""
    ensure_qapplication()
    widget = Timeline()  # owned by Python: deleted when this returns
    pal = export_palette()
    pal.setColor(QPalette.ColorRole.Base, QColor(PLOT_BACKGROUND))
    pal.setColor(QPalette.ColorRole.Highlight, QColor(0, 0, 0, 0))  # hide the playhead
    widget.setPalette(pal)
    widget.resize(*size)
    widget.set_data(samples, sample_rate, report, attention_window_s(report))
    widget.set_comments(comments or [])
    image = QImage(
        round(size[0] * TIMELINE_SCALE),
        round(size[1] * TIMELINE_SCALE),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.setDevicePixelRatio(TIMELINE_SCALE)
    image.fill(QColor("white"))
    widget.render(image)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # runtime wants str
        raise RuntimeError("could not encode the timeline picture")
    buffer.close()
    return bytes(data.data())


def report_html(
    report: Report,
    samples: Samples,
    sample_rate: int,
    *,
    title: str,
    created_at: str | None = None,
    coach_notes: str | None = None,
    coaching: CoachingRecord | None = None,
) -> str:
    """One self-contained HTML document for ``report`` (see ``voicemail_coach.app.export.report_html``), with what
    the coach added (``coaching``) when given."""
    png = None
    if report.source.script is not None:
        note = "No timeline picture: a written script has no recording."
    elif samples is None:
        note = "No timeline picture: the recording is not available."
    elif not len(samples):
        note = "No timeline picture: the recording is empty."
    else:
        marks = [(c.at_s, c.text) for c in coaching.comments] if coaching else []
        png = timeline_png(report, samples, sample_rate, comments=marks)
        note = ""
    return build_report_html(
        report,
        png,
        title=title,
        created_at=created_at,
        coach_notes=coach_notes,
        timeline_note=note,
        coaching=coaching,
    )


def paged_document(html: str, page_footer: str | None = None) -> QTextDocument:
    """``html`` laid out on A4 pages (in CSS pixels, 96 per inch), nothing split across pages.

    ``page_footer``: the document's closing paragraph with this text is taken out of the flow
    (the PDF prints it at the foot of every page instead, so it never sits alone on a page).
    """
    ensure_qapplication()
    doc = QTextDocument()
    font = QFont("Helvetica")
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(10.0)
    # No "fi"/"ff" ligatures: they come out of pdftotext and copy-paste as single odd characters.
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    doc.setDefaultFont(font)
    doc.setHtml(html)
    if page_footer:
        _remove_last_paragraph(doc, page_footer)
    page_mm = QPageSize(QPageSize.PageSizeId.A4).size(QPageSize.Unit.Millimeter)
    px = CSS_DPI / MM_PER_INCH
    doc.setPageSize(QSizeF(page_mm.width() * px, page_mm.height() * px))
    # The margins belong to the root frame, so the layout gives every page the same ones.
    left, top, right, bottom = (m * px for m in PDF_MARGINS_MM)
    frame = doc.rootFrame().frameFormat()
    frame.setLeftMargin(left)
    frame.setTopMargin(top)
    frame.setRightMargin(right)
    frame.setBottomMargin(bottom)
    frame.setPadding(0)
    doc.rootFrame().setFrameFormat(frame)
    keep_together(doc)
    return doc


def _remove_last_paragraph(doc: QTextDocument, text: str) -> None:
    block = doc.lastBlock()
    while block.isValid() and not block.text().strip():
        block = block.previous()
    if block.isValid() and block.text().strip() == text.strip():
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()


def pdf_bytes(html: str, page_footer: str = "") -> bytes:
    """``html`` on A4 pages, each with ``page_footer`` and "page n of N" at its foot."""
    doc = paged_document(html, page_footer)
    title = doc.metaInformation(QTextDocument.MetaInformation.DocumentTitle)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_RESOLUTION)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    writer.setCreator("Voicemail Coach")
    writer.setTitle(title)

    page = doc.pageSize()
    scale = writer.width() / page.width()
    px = CSS_DPI / MM_PER_INCH
    left, _, right, bottom = (m * px for m in PDF_MARGINS_MM)
    footer_font = QFont(doc.defaultFont())
    footer_font.setPixelSize(10)  # CSS pixels: the painter is scaled to them
    count = doc.pageCount()
    painter = QPainter()
    if not painter.begin(writer):
        raise RuntimeError("could not start the PDF")
    try:
        for n in range(count):
            if n:
                writer.newPage()
            painter.save()
            painter.scale(scale, scale)
            painter.save()
            painter.translate(0, -n * page.height())
            doc.drawContents(painter, QRectF(0, n * page.height(), page.width(), page.height()))
            painter.restore()
            painter.setFont(footer_font)
            painter.setPen(QColor(MUTED))
            foot = QRectF(left, page.height() - bottom + 6 * px, page.width() - left - right, 20)
            painter.drawText(foot, Qt.AlignmentFlag.AlignLeft, page_footer)
            painter.drawText(foot, Qt.AlignmentFlag.AlignRight, f"page {n + 1} of {count}")
            painter.restore()
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


def _page(doc: QTextDocument, y: float) -> int:
    return int(y // doc.pageSize().height())


def _top_level_items(doc: QTextDocument) -> list[QTextBlock | QTextFrame]:
    """The root frame's blocks and frames (tables), in document order."""
    items: list[QTextBlock | QTextFrame] = []
    it = doc.rootFrame().begin()
    while not it.atEnd():
        frame = it.currentFrame()
        items.append(frame if frame is not None else it.currentBlock())
        it += 1
    return items


def _extent(doc: QTextDocument, item: QTextBlock | QTextFrame) -> QRectF:
    layout = doc.documentLayout()
    if isinstance(item, QTextFrame):
        return layout.frameBoundingRect(item)
    return layout.blockBoundingRect(item)


def _first_line_top(doc: QTextDocument, item: QTextBlock | QTextFrame) -> float:
    """Where ``item`` starts on the page: a block's rectangle starts before a page break that
    pushes its first line to the next page, so use that line's position."""
    if isinstance(item, QTextBlock) and item.layout().lineCount():
        layout = item.layout()
        return float(layout.position().y() + layout.lineAt(0).y())
    return float(_extent(doc, item).top())


def _break_before(item: QTextBlock | QTextFrame) -> bool:
    """Start ``item`` on a new page; False if it already does."""
    always = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
    if isinstance(item, QTextTable):
        fmt = item.format()
        if fmt.pageBreakPolicy() & always:
            return False
        fmt.setPageBreakPolicy(always)
        item.setFormat(fmt)
        return True
    if isinstance(item, QTextBlock):
        block_fmt = item.blockFormat()
        if block_fmt.pageBreakPolicy() & always:
            return False
        block_fmt.setPageBreakPolicy(always)
        QTextCursor(item).setBlockFormat(block_fmt)
        return True
    return False


def first_split(doc: QTextDocument) -> QTextBlock | QTextFrame | None:
    """The first short table straddling a page break, or heading left at the foot of a page."""
    # Qt puts an empty block after each table; it takes no room of its own.
    items = [
        item
        for item in _top_level_items(doc)
        if not isinstance(item, QTextBlock) or item.text().strip()
    ]
    half_page = doc.pageSize().height() / 2
    for n, item in enumerate(items):
        if isinstance(item, QTextTable):
            rect = _extent(doc, item)
            split = _page(doc, rect.top()) != _page(doc, rect.bottom() - 1)
            if split and rect.height() < half_page:
                return item
        elif (
            isinstance(item, QTextBlock)
            and item.blockFormat().headingLevel()
            and n + 1 < len(items)
            and _page(doc, _first_line_top(doc, item))
            != _page(doc, _first_line_top(doc, items[n + 1]))
        ):
            return item
    return None


def keep_together(doc: QTextDocument, max_passes: int = 60) -> None:
    """Move short tables (a check, the summary) and headings that would end a page to the next.

    Qt splits tables across pages line by line. This finds the first table that straddles a
    page break (or a heading left alone at the bottom of a page), starts it on a new page, lays
    the document out again, and repeats until nothing is split.
    """
    for _ in range(max_passes):
        item = first_split(doc)
        if item is None or not _break_before(item):
            return


def export_report(
    path: str | Path,
    report: Report,
    samples: Samples,
    sample_rate: int,
    *,
    pdf: bool,
    title: str,
    created_at: str | None = None,
    coach_notes: str | None = None,
    coaching: CoachingRecord | None = None,
) -> Path:
    """Write the report to ``path``: an A4 PDF when ``pdf``, else the HTML (UTF-8). Raises
    OSError when it cannot be written."""
    text = report_html(
        report,
        samples,
        sample_rate,
        title=title,
        created_at=created_at,
        coach_notes=coach_notes,
        coaching=coaching,
    )
    data = pdf_bytes(text, footer_text(report)) if pdf else text.encode("utf-8")
    return _write(Path(path), data)


def _write(path: Path, data: bytes) -> Path:
    """Write via a temporary file beside ``path``, so a failure never leaves half a report."""
    tmp = path.with_name(f".{path.name}.part")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    return path
