"""The right-hand pane for one criterion (or one หมวด): its full text, its place in the
catalog, buttons to edit the catalog, and the owner editor for the selected fiscal year."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QScrollArea, QSizePolicy, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from ...core.errors import UserError
from ...core.storage import planning
from ...core.storage.store import Change, Store
from ...core.thai_text import with_zwsp
from ...i18n import _, ngettext
from . import commands as cc
from ..common.save_notice import SAVES_ON_LEAVE
from ..tree_model import category_label, criterion_label

if TYPE_CHECKING:
    from ..features import Window as MainWindow

ERROR_STYLE = "QLineEdit { border: 2px solid #c62828; background: #fff0f0; }"


class OwnerEditor(QGroupBox):
    """Name, position, unit, phone, e-mail of a criterion's owner for one year.

    Saved like a grid cell: each field on leaving it (Tab, Enter, a click elsewhere), any field
    still being typed in when another criterion is shown or the window closes; one undo command
    per field. A refused value (a bad e-mail) stays in its field, marked, with the reason."""

    saved = Signal()

    def __init__(self, window: "MainWindow", parent: QWidget | None = None):
        super().__init__(_("Owner"), parent)
        self.window = window
        self.year_id: str | None = None
        self.criterion_id: str | None = None
        self._saving = False
        form = QFormLayout(self)
        labels = {"name": _("Name"), "position": _("Position"), "unit": _("Unit"),
                  "phone": _("Phone"), "email": _("E-mail")}
        self.labels = labels
        self.fields: dict[str, QLineEdit] = {}
        for key in planning.OWNER_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(f"owner_{key}")
            edit.textEdited.connect(self._clear_error)
            edit.editingFinished.connect(lambda key=key: self.save_field(key))
            edit.setProperty(SAVES_ON_LEAVE, True)
            self.fields[key] = edit
            form.addRow(labels[key], edit)
        self.fields["phone"].setPlaceholderText("0 3232 1234 ต่อ 12")
        self.fields["email"].setPlaceholderText("name@moi.go.th")
        self.error = QLabel(self)
        self.error.setObjectName("owner_error")
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.save_button = QPushButton(_("Save owner"), self)
        self.save_button.setObjectName("owner_save")
        self.save_button.setToolTip(_("Each field is saved when you leave it; this saves them all now."))
        self.save_button.clicked.connect(self.save)
        row = QHBoxLayout()
        row.addWidget(self.error, 1)
        row.addStretch(0)
        row.addWidget(self.save_button, 0, Qt.AlignRight)
        form.addRow(row)

    def load(self, year_id: str | None, criterion_id: str | None, year_be: int | None) -> None:
        same = (year_id, criterion_id) == (self.year_id, self.criterion_id)
        if not same:
            self.flush()   # what is typed but not saved yet goes in before another criterion is shown
        self.year_id, self.criterion_id = year_id, criterion_id
        self.setTitle(_("Owner in fiscal year {year}").format(year=year_be) if year_be else _("Owner"))
        store = self.window.store
        row = planning.owner(store, year_id, criterion_id) if (store and year_id and criterion_id) else None
        for key, edit in self.fields.items():
            if not (same and edit.isModified()):   # a refused value stays until it is put right
                edit.setText((row or {}).get(key, "") or "")
            edit.setReadOnly(bool(store is None or store.read_only))
        self.save_button.setEnabled(bool(store is not None and not store.read_only and year_id))
        if not same:
            self._clear_error()

    def values(self) -> dict[str, str]:
        return {k: e.text() for k, e in self.fields.items()}

    def _clear_error(self, *_args) -> None:
        self.error.hide()
        for e in self.fields.values():
            e.setStyleSheet("")

    def _editable(self) -> bool:
        store = self.window.store
        return bool(self.year_id and self.criterion_id and store is not None and not store.read_only)

    def save_field(self, key: str) -> bool:
        """Store one field (the others as stored); False when it was refused."""
        edit = self.fields[key]
        if not self._editable() or not edit.isModified() or self._saving:
            return True
        store = self.window.store
        current = planning.owner(store, self.year_id, self.criterion_id) or {}
        values = {k: current.get(k) or "" for k in planning.OWNER_FIELDS}
        values[key] = edit.text()
        self._saving = True   # the store's change notice refills this form while it saves
        try:
            cc.save_owner(self.window.undo_stack, store, self.year_id, self.criterion_id, values,
                          what=self.labels[key])
        except UserError as exc:
            edit.setStyleSheet(ERROR_STYLE)
            self.error.setText(str(exc))
            self.error.show()
            return False
        finally:
            self._saving = False
        edit.setModified(False)
        edit.setStyleSheet("")
        if not any(e.styleSheet() for e in self.fields.values()):
            self.error.hide()
        self.saved.emit()
        return True

    def flush(self, report: bool = True) -> bool:
        """Save every field typed in and not yet saved; a refused one is reported (when the
        form is about to show another criterion, its value would otherwise go unnoticed)."""
        refused = []
        for key, edit in self.fields.items():
            if edit.isModified() and not self.save_field(key):
                refused.append(key)
        if refused and report:
            self.window.show_message(_("Not saved: {reason}").format(reason=self.error.text()), error=True)
            for key in refused:
                self.fields[key].setModified(False)
        return not refused

    def save(self) -> bool:
        """Save every field now (the button, for clerks used to one)."""
        for edit in self.fields.values():
            edit.setModified(True)
        ok = self.flush(report=False)
        if not ok:
            bad = next(e for e in self.fields.values() if e.styleSheet())
            bad.setFocus()
        return ok

    def hideEvent(self, event) -> None:
        self.flush()
        super().hideEvent(event)


class DetailPane(QWidget):
    """Shows one criterion or one หมวด of the catalog."""

    show_weekly_requested = Signal(str)

    def __init__(self, window: "MainWindow", parent: QWidget | None = None, compact: bool = False):
        super().__init__(parent)
        self.window = window
        self.compact = compact
        self.store: Store | None = None
        self.year_id: str | None = None
        self.criterion_id: str | None = None
        self.category_id: str | None = None

        outer = QVBoxLayout(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        lay = QVBoxLayout(body)

        self.title = QLabel(body)
        self.title.setObjectName("detail_title")
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.4)
        f.setBold(True)
        self.title.setFont(f)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.subtitle = QLabel(body)
        self.subtitle.setObjectName("detail_subtitle")
        self.subtitle.setWordWrap(True)
        self.subtitle.setStyleSheet("color: #555;")
        self.full_text = QLabel(body)
        self.full_text.setObjectName("detail_full_text")
        self.full_text.setWordWrap(True)
        self.full_text.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.full_text.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.full_text.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
        lay.addWidget(self.title)
        lay.addWidget(self.subtitle)
        lay.addWidget(self.full_text)

        buttons = QHBoxLayout()
        self.edit_button = QPushButton(_("Rename / renumber…"), body)
        self.edit_button.setObjectName("detail_edit")
        self.up_button = QPushButton(_("Move up"), body)
        self.up_button.setObjectName("detail_up")
        self.down_button = QPushButton(_("Move down"), body)
        self.down_button.setObjectName("detail_down")
        self.retire_button = QPushButton(_("Retire"), body)
        self.retire_button.setObjectName("detail_retire")
        self.add_button = QPushButton(_("Add criterion…"), body)
        self.add_button.setObjectName("detail_add")
        self.weekly_button = QPushButton(_("Show in weekly plan"), body)
        self.weekly_button.setObjectName("detail_weekly")
        for b in (self.edit_button, self.up_button, self.down_button, self.retire_button, self.add_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.weekly_button)
        lay.addLayout(buttons)

        self.edit_button.clicked.connect(lambda: self.window.catalog.edit_criterion(self.criterion_id))
        self.up_button.clicked.connect(lambda: self.window.catalog.move_criterion(self.criterion_id, -1))
        self.down_button.clicked.connect(lambda: self.window.catalog.move_criterion(self.criterion_id, +1))
        self.retire_button.clicked.connect(lambda: self.window.catalog.toggle_retired(self.criterion_id))
        self.add_button.clicked.connect(
            lambda: self.window.catalog.add_criterion(self.category_id, after_id=self.criterion_id))
        self.weekly_button.clicked.connect(lambda: self.show_weekly_requested.emit(self.criterion_id or ""))

        self.owner = OwnerEditor(window, body)
        lay.addWidget(self.owner)
        # a หมวด: its criteria and their owners in the selected year
        self.criteria_table = QTableWidget(body)
        self.criteria_table.setObjectName("detail_criteria_table")
        self.criteria_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.criteria_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.criteria_table.verticalHeader().hide()
        self.criteria_table.setWordWrap(True)
        self.criteria_table.setColumnCount(6)
        self.criteria_table.setHorizontalHeaderLabels(
            [_("Criterion"), _("Name"), _("Position"), _("Unit"), _("Phone"), _("E-mail")])
        self.criteria_table.horizontalHeader().setStretchLastSection(True)
        self.criteria_table.cellDoubleClicked.connect(self._open_row)
        self.criteria_table.setMinimumHeight(240)
        self.criteria_table.hide()
        lay.addWidget(self.criteria_table, 1)
        self.owner_summary = QLabel(body)
        self.owner_summary.setObjectName("detail_owner_summary")
        self.owner_summary.setWordWrap(True)
        self.owner_summary.hide()
        lay.addWidget(self.owner_summary)
        self.details_button = QPushButton(_("Details and owner…"), body)
        self.details_button.setObjectName("detail_more")
        self.details_button.hide()
        lay.addStretch(1)
        if compact:
            # below the weekly plan: what the criterion is and who owns it, no editing
            lay.setContentsMargins(6, 2, 6, 2)
            row = QHBoxLayout()
            row.addWidget(self.subtitle, 1)
            row.addWidget(self.details_button)
            lay.insertLayout(1, row)
            self.details_button.show()
            self.details_button.clicked.connect(lambda: self.window.show_details(self.criterion_id))

    # ------------------------------------------------------------ showing
    def set_store(self, store: Store | None) -> None:
        if self.store is not None:
            self.store.unsubscribe(self._on_changes)
        self.store = store
        if store is not None:
            store.subscribe(self._on_changes)
        self.criterion_id = self.category_id = self.year_id = None

    def _on_changes(self, changes: list[Change]) -> None:
        if not self.isVisible() or self.store is None:
            return
        ids = {self.criterion_id, self.category_id, self.year_id}
        if any(c.table in ("criterion", "category", "criterion_owner", "fiscal_year")
               and (c.row_id in ids or c.table == "criterion_owner") for c in changes):
            self.refresh()

    def _fill_criteria(self, store: Store, cat: dict | None, year: dict | None) -> None:
        t = self.criteria_table
        if cat is None or self.compact:
            t.hide()
            return
        crits = planning.criteria(store, cat["id"])
        owners = planning.owners(store, year["id"]) if year else {}
        t.setRowCount(len(crits))
        for r, c in enumerate(crits):
            o = owners.get(c["id"]) or {}
            vals = [criterion_label(c)] + [o.get(k, "") or "" for k in planning.OWNER_FIELDS]
            for col, v in enumerate(vals):
                item = QTableWidgetItem(with_zwsp(v) if col in (1, 2, 3) and v else v)   # Thai wraps between words
                item.setData(Qt.UserRole, c["id"])
                if col == 0 and c["full_text"]:
                    item.setToolTip(c["full_text"][:400])
                t.setItem(r, col, item)
        for col, width in enumerate((300, 150, 170, 170, 110)):
            t.setColumnWidth(col, width)
        t.resizeRowsToContents()
        t.show()

    def _open_row(self, row: int, _col: int) -> None:
        item = self.criteria_table.item(row, 0)
        if item is not None and self.year_id:
            self.window.select_key(("criterion", self.year_id, item.data(Qt.UserRole)))

    def show_criterion(self, year_id: str | None, criterion_id: str) -> None:
        self.year_id, self.criterion_id = year_id, criterion_id
        crit = self.store.get("criterion", criterion_id) if self.store else None
        self.category_id = crit["category_id"] if crit else None
        self.refresh()

    def show_category(self, year_id: str | None, category_id: str) -> None:
        self.year_id, self.criterion_id, self.category_id = year_id, None, category_id
        self.refresh()

    def refresh(self) -> None:
        store = self.store
        if store is None:
            return
        editable = not store.read_only
        cat = store.get("category", self.category_id) if self.category_id else None
        year = store.get("fiscal_year", self.year_id) if self.year_id else None
        crit = store.get("criterion", self.criterion_id) if self.criterion_id else None
        if crit is None:
            self.criterion_id = None
            self.title.setText(category_label(cat) if cat else "")
            n = len(planning.criteria(store, cat["id"])) if cat else 0
            self.subtitle.setText(ngettext("{n} criterion", "{n} criteria", n).format(n=n) if cat else "")
            self.full_text.setText("")
            self.full_text.hide()
            for b in (self.edit_button, self.up_button, self.down_button, self.retire_button, self.weekly_button):
                b.hide()
            self.add_button.setVisible(cat is not None)
            self.add_button.setEnabled(editable)
            self.owner.hide()
            self.owner_summary.hide()
            self._fill_criteria(store, cat, year)
            return
        self.criteria_table.hide()
        self.title.setText(criterion_label(crit) + (_(" (retired)") if crit["retired"] else ""))
        parts = [category_label(cat) if cat else ""]
        if crit["group_title"]:
            parts.append(crit["group_title"])
        self.subtitle.setText(" › ".join(p for p in parts if p))
        self.full_text.setText(with_zwsp(crit["full_text"]) if crit["full_text"] else _("(no full text yet)"))
        self.full_text.show()
        for b in (self.edit_button, self.up_button, self.down_button, self.retire_button, self.add_button):
            b.setVisible(not self.compact)
            b.setEnabled(editable)
        self.weekly_button.setVisible(not self.compact and year is not None)
        self.retire_button.setText(_("Bring back") if crit["retired"] else _("Retire"))
        siblings = planning.criteria(store, crit["category_id"], include_retired=True)
        pos = next((i for i, c in enumerate(siblings) if c["id"] == crit["id"]), 0)
        self.up_button.setEnabled(editable and pos > 0)
        self.down_button.setEnabled(editable and pos < len(siblings) - 1)
        if self.compact:
            self.owner.hide()
            o = planning.owner(store, self.year_id, self.criterion_id) if year else None
            parts = [o[k] for k in planning.OWNER_FIELDS if o and o[k]]
            self.owner_summary.setText(_("Owner: {owner}").format(owner=", ".join(parts)) if parts
                                       else _("No owner recorded for this year."))
            self.owner_summary.show()
            return
        self.owner.setVisible(year is not None)
        self.owner.load(self.year_id, self.criterion_id, year["year_be"] if year else None)
