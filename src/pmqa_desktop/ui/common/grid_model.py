"""The table model both kinds of grid build on: ``GridModel`` (the store, the undo stack, commands,
refused edits as messages, the rows' keys), the item roles as plain ints and the cell flags.

Subclasses: the schedules' ``CalendarModel`` and ``WeeklyPlanModel``, the development plans' models.
"""
from __future__ import annotations

import weakref
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QUndoStack

from ...core.errors import UserError
from ...core.storage.store import Change, Store
from ...core.thai_calendar import MonthKey
from ...core.thai_text import strip_zwsp
from .delegates import HeaderRowRole, RawTextRole
from .grid_commands import GridCommand, push

RowKeyRole = Qt.ItemDataRole.UserRole + 13      # id of the row (step id / weekly row id / heading key)

# roles as plain ints: Qt passes ints, and comparing Python enums per painted cell is slow
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
EDIT = int(Qt.ItemDataRole.EditRole)
RAW = int(RawTextRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
FONT = int(Qt.ItemDataRole.FontRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
HEADING = int(HeaderRowRole)
ROWKEY = int(RowKeyRole)
TOP_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
TOP_CENTER = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)

EDITABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def _subscribe(store: Store, model: "GridModel") -> Callable:
    """Subscribe through a weak reference so a forgotten model does not stay alive."""
    ref = weakref.ref(model)

    def listener(changes: list[Change]) -> None:
        m = ref()
        if m is None:
            store.unsubscribe(listener)
            return
        try:
            m._on_changes(changes)
        except RuntimeError:  # the Qt side is gone
            store.unsubscribe(listener)
    store.subscribe(listener)
    return listener


class GridModel(QAbstractTableModel):
    """What both grids share: the store, the undo stack, commands, messages."""

    message = Signal(str)            # a refused edit, for the view to show
    focusRequested = Signal(str, int)  # row key, column: select it (after a command ran)
    spansChanged = Signal()

    def __init__(self, store: Store | None, undo_stack: QUndoStack | None, parent=None):
        super().__init__(parent)
        self.store: Store | None = None
        self.undo_stack = undo_stack
        self.year_id: str | None = None
        self.year: dict[str, Any] | None = None
        self.read_only = False
        self._listener = None
        if store is not None:
            self.set_store(store)

    # ------------------------------------------------------------ wiring
    def set_store(self, store: Store | None) -> None:
        if self.store is not None and self._listener is not None:
            self.store.unsubscribe(self._listener)
        self.store = store
        self.read_only = bool(store is not None and store.read_only)
        self._listener = _subscribe(store, self) if store is not None else None
        self.year_id = None
        self.reload()

    def detach(self) -> None:
        if self.store is not None and self._listener is not None:
            self.store.unsubscribe(self._listener)
        self._listener = None

    def set_year(self, year_id: str | None) -> None:
        self.year_id = year_id
        self.reload()

    def reload(self) -> None:
        """Read the rows again (``_load``, a subclass's); the plan grids read theirs their own way."""
        self.beginResetModel()
        self._load()
        self.endResetModel()

    def _load(self) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def refresh_display(self) -> None:
        """The display texts changed (the Thai word breaks became known): repaint everything.
        A grid over a file that was let go (the dictionary arrives late) has nothing to repaint,
        and the pages listening to it must not read the closed file."""
        if self.store is not None and self.store.closed:
            return
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1),
                                  [Qt.ItemDataRole.DisplayRole])

    def _on_changes(self, changes: list[Change]) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    # ------------------------------------------------------------ commands
    def run(self, command: GridCommand) -> bool:
        """Apply a command and push it; a refused edit becomes a message, never a traceback."""
        try:
            return push(self.undo_stack, command)
        except UserError as exc:
            self.message.emit(str(exc))
            return False

    # the year's month span: (start field, count field) of fiscal_year and the undo op, per grid
    SPAN_FIELDS: tuple[str, str] = ("", "")
    SPAN_OP: Any = None

    def span_texts(self) -> tuple[str, str]:  # pragma: no cover - interface
        """(message for a count out of range, name of the undo step)."""
        raise NotImplementedError

    def set_month_span(self, start: MonthKey, months: int) -> bool:
        if self.year is None:
            return False
        start_field, count_field = self.SPAN_FIELDS
        old = (MonthKey.parse_key(self.year[start_field]), self.year[count_field])
        if old == (start, months):
            return False
        out_of_range, label = self.span_texts()
        if not 1 <= months <= 36:
            self.message.emit(out_of_range)
            return False
        cmd = self.command(label)
        cmd.add(self.SPAN_OP(self.year_id, old, (start, months)))
        return self.run(cmd)

    def command(self, text: str, focus: tuple[Callable[[], str | None], int] | None = None) -> GridCommand:
        cmd = GridCommand(self.store, text)
        if focus is not None:
            key_fn, col = focus
            ref = weakref.ref(self)

            def after(_redo: bool) -> None:
                m = ref()
                key = key_fn()
                if m is not None and key:
                    m.focusRequested.emit(key, col)
            cmd.after = after
        return cmd

    # ------------------------------------------------------------ for the views
    def row_key(self, row: int) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def row_of_key(self, key: str) -> int:  # pragma: no cover - interface
        raise NotImplementedError

    def row_cells(self, row: int) -> list[tuple[int, int, str]]:
        """(column, column span, text) of the cells whose text decides the row's height."""
        return [(c, 1, self.cell_text(row, c)) for c in range(self.columnCount())]

    def cell_text(self, row: int, col: int) -> str:
        return self.data(self.index(row, col), RawTextRole) or ""

    def spans(self) -> list[tuple[int, int, int, int]]:
        return []

    def block_text(self, top: int, left: int, bottom: int, right: int) -> list[list[str]]:
        return [[self.cell_text(r, c) for c in range(left, right + 1)] for r in range(top, bottom + 1)]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == ROWKEY:
            return self.row_key(index.row())
        return self._data(index.row(), index.column(), role)

    def _data(self, row: int, col: int, role: int) -> Any:  # pragma: no cover - interface
        raise NotImplementedError

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        return self.set_block(index.row(), index.column(), [[strip_zwsp(str(value or ""))]], edit=True)

    def set_block(self, top: int, left: int, block: list[list[str]], edit: bool = False) -> bool:  # pragma: no cover
        raise NotImplementedError

    def clear_cells(self, cells: list[tuple[int, int]]) -> bool:  # pragma: no cover - interface
        raise NotImplementedError
