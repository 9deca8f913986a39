"""After a teleprompter take, on the feedback page: what of the script was said, skipped or
added, sentence by sentence."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout

from voicemail_coach.analysis.adherence import Adherence

STATUS = {
    "said": ("#2e7d32", "Said"),
    "partly": ("#b26a00", "Partly"),
    "skipped": ("#a8242f", "Skipped"),
}


class AdherencePanel(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("adherencePanel")
        self.setAccessibleName("How the take followed the script")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.result: Adherence | None = None
        self.heading = QLabel()
        self.heading.setObjectName("adherenceHeading")
        close = QPushButton("Hide")
        close.setAccessibleName("Hide how the take followed the script")
        close.clicked.connect(self.hide)
        self.view = QTextBrowser()
        self.view.setAccessibleName("Script sentences: said, partly said or skipped")
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setMaximumHeight(150)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(top)
        layout.addWidget(self.view)
        self.hide()

    def show_result(self, result: Adherence) -> None:
        self.result = result
        skipped = sum(s.status == "skipped" for s in result.sentences)
        self.heading.setText(
            f"<b>With the script:</b> {result.said_share:.0%} of its words said \u00b7 "
            f"{skipped} sentence{'s' if skipped != 1 else ''} skipped \u00b7 "
            f"{result.added_count} word{'s' if result.added_count != 1 else ''} added"
        )
        rows = []
        for s in result.sentences:
            color, label = STATUS[s.status]
            words = " ".join(
                html.escape(w.text) if w.said
                else f'<span style="color:#a8242f; text-decoration:line-through">{html.escape(w.text)}</span>'
                for w in s.words
            )  # fmt: skip
            added = (
                f' <i style="color:#1f5fa8">+ {html.escape(" ".join(s.added))}</i>'
                if s.added
                else ""
            )
            rows.append(f'<b style="color:{color}">{label}</b> &nbsp;{words}{added}')
        self.view.setHtml("<br>".join(rows))
        self.show()
