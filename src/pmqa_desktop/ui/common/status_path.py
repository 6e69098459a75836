"""The open file's path in the status bar, shortened in the middle when long ("/home/…/pmqa.db"),
so the status messages keep the room on its left; the whole path is in its tip."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

#: the share of the status bar the path may take; the messages have the rest
MAX_SHARE = 0.45
MIN_WIDTH = 120


class PathLabel(QLabel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

    def _cap(self) -> int:
        bar = self.parentWidget()
        return max(MIN_WIDTH, int((bar.width() if bar is not None else 800) * MAX_SHARE))

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        return QSize(min(hint.width(), self._cap()), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(MIN_WIDTH, super().minimumSizeHint().height())

    def drawn_text(self) -> str:
        """The text as shown: cut in the middle to the label's width."""
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideMiddle, self.contentsRect().width())

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setPen(self.palette().windowText().color())
        p.drawText(self.contentsRect(), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                   self.drawn_text())

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.updateGeometry()


def add_to_status_bar(window: QMainWindow) -> tuple[PathLabel, QLabel]:
    """The open file's path and the red 'Read-only' mark (hidden until a file is read-only), at the
    right of the window's status bar."""
    file_label = PathLabel(window)
    file_label.setObjectName("file_label")
    window.statusBar().addPermanentWidget(file_label)
    readonly_label = QLabel(window)
    readonly_label.setObjectName("readonly_label")
    readonly_label.setStyleSheet("color: #b71c1c; font-weight: bold;")
    readonly_label.hide()
    window.statusBar().addPermanentWidget(readonly_label)
    return file_label, readonly_label
