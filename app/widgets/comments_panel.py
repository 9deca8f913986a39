"""Coach comments pinned to moments of a take: type one at a time, list, edit, delete, seek."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from voicemail_coach.storage.coaching import Coaching
from voicemail_coach.storage.coaching_records import Comment, format_clock
from voicemail_coach.storage.records import LibraryError

COMMENT_ROLE = Qt.ItemDataRole.UserRole


class CommentEditor(QLineEdit):
    """The line the coach types in; Esc gives up the comment being written."""

    cancelled = Signal()

    def event(self, event: QEvent) -> bool:
        # Esc is the window's shortcut for "New take"; while a comment is being written it
        # gives up the comment instead.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.text()
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class CommentsPanel(QWidget):
    """Write a comment at the moment the timeline gave (or the playhead), press Enter to save.

    Click a comment to play from its moment; Edit puts it back in the line; Delete removes it.
    Every change is saved to the library at once.
    """

    seek_requested = Signal(float)
    comments_changed = Signal(list)  # [(at_s, text)] in time order, for the timeline markers
    message = Signal(str, str)  # level, text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: Coaching | None = None
        self.attempt_id: int | None = None
        self.author = ""
        self._at_s = 0.0
        self._pinned = False  # the moment was chosen (timeline, Edit): it stops following play
        self._editing: Comment | None = None
        self._comments: list[Comment] = []

        self.when = QLabel(format_clock(0.0))
        self.when.setObjectName("commentTime")
        self.when.setAccessibleName("Moment of the comment")
        self.editor = CommentEditor()
        self.editor.setAccessibleName("Comment")
        self.editor.returnPressed.connect(self.save)
        self.editor.cancelled.connect(self.cancel)
        self.add = QPushButton("Add")
        self.add.setAccessibleName("Save the comment")
        self.add.clicked.connect(self.save)
        self.hint = QLabel(
            "Double-click the timeline (or right-click it) to comment on that moment, or pause "
            "where you want one and type."
        )
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.list = QListWidget()
        self.list.setAccessibleName("Comments")
        self.list.setWordWrap(True)
        self.list.itemClicked.connect(self._clicked)
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.edit = QPushButton("Edit")
        self.edit.clicked.connect(self.edit_selected)
        self.delete = QPushButton("Delete")
        self.delete.clicked.connect(self.delete_selected)

        line = QHBoxLayout()
        line.addWidget(self.when)
        line.addWidget(self.editor, 1)
        line.addWidget(self.add)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.edit)
        buttons.addWidget(self.delete)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(line)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._show_time()
        self._update_buttons()

    def set_attempt(self, store: Coaching | None, attempt_id: int | None, author: str = "") -> None:
        self.store, self.attempt_id, self.author = store, attempt_id, author
        self._editing = None
        self._pinned = False
        self._at_s = 0.0
        self.editor.clear()
        self._show_time()
        self.reload()

    def comments(self) -> list[Comment]:
        return list(self._comments)

    def follow(self, at_s: float) -> None:
        """The playhead moved: a comment not yet begun is for that moment."""
        if not self._pinned and not self.editor.text():
            self._at_s = max(0.0, at_s)
            self._show_time()

    def begin_comment(self, at_s: float) -> None:
        """Start a new comment at ``at_s``: the line gets the focus, ready for typing."""
        self._editing = None
        self._pinned = True
        self._at_s = max(0.0, at_s)
        self._show_time()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        self.editor.selectAll()

    def edit_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self._editing = item.data(COMMENT_ROLE)
        self._pinned = True
        self._at_s = self._editing.at_s
        self.editor.setText(self._editing.text)
        self._show_time()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def cancel(self) -> None:
        self._editing = None
        self._pinned = False
        self.editor.clear()
        self._show_time()

    def save(self) -> None:
        text = self.editor.text()
        if self.store is None or self.attempt_id is None or not text.strip():
            return
        try:
            if self._editing is not None:
                self.store.update_comment(self._editing.id, text=text)
            else:
                self.store.add_comment(self.attempt_id, self._at_s, text, self.author)
        except LibraryError as exc:
            self.message.emit("error", str(exc))  # the text stays in the line to try again
            return
        self._editing = None
        self._pinned = False
        self.editor.clear()
        self._show_time()
        self.reload()

    def delete_selected(self) -> None:
        item = self.list.currentItem()
        if item is None or self.store is None:
            return
        try:
            self.store.delete_comment(item.data(COMMENT_ROLE).id)
        except LibraryError as exc:
            self.message.emit("error", str(exc))
        self.reload()

    def reload(self) -> None:
        self._comments = []
        if self.store is not None and self.attempt_id is not None:
            try:
                self._comments = self.store.comments(self.attempt_id)
            except LibraryError as exc:
                self.message.emit("error", str(exc))
        self.list.clear()
        for c in self._comments:
            who = f"  \u2014 {c.author}" if c.author else ""
            item = QListWidgetItem(f"{format_clock(c.at_s)}   {c.text}{who}")
            item.setData(COMMENT_ROLE, c)
            item.setToolTip(f"At {c.at_s:.1f} s: click to play from here")
            self.list.addItem(item)
        self.hint.setVisible(not self._comments)
        self._update_buttons()
        self.comments_changed.emit([(c.at_s, c.text) for c in self._comments])

    def _clicked(self, item: QListWidgetItem) -> None:
        self.seek_requested.emit(float(item.data(COMMENT_ROLE).at_s))

    def _show_time(self) -> None:
        clock = format_clock(self._at_s)
        self.when.setText(clock)
        editing = self._editing is not None
        self.add.setText("Save" if editing else "Add")
        self.editor.setPlaceholderText(
            f"Edit the comment at {clock}" if editing else f"Type a comment at {clock}, then Enter"
        )
        usable = self.store is not None and self.attempt_id is not None
        for widget in (self.editor, self.add):
            widget.setEnabled(usable)

    def _update_buttons(self) -> None:
        chosen = self.list.currentItem() is not None
        self.edit.setEnabled(chosen)
        self.delete.setEnabled(chosen)
