"""File > Export / Merge / Backups and Edit > History: sharing the file between offices.

Plugged into the main window by ``install(window)`` (see ``ui.features``). The work is
done by ``core.sharing``; this module only asks and shows. Restoring an older value and
swapping a conflict are undoable edits on the window's undo stack.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QSpinBox, QStackedWidget,
                               QTableView, QTableWidget, QTableWidgetItem, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget, QApplication)

from ...core import sharing
from ...core.errors import UserError
from ...core.sharing import backup as backups
from ...core.sharing import locking
from ...i18n import _, ngettext
from ..qt_util import MessageDialog


def table_label(table: str) -> str:
    """A table's name for the clerk (the merge code, loaded on first use, knows them)."""
    from ...core.sharing.merge import table_label as label
    return label(table)


if TYPE_CHECKING:  # pragma: no cover
    from ...core.sharing.merge import MergeReport
    from ..features import Window as MainWindow


def _perform(window: "MainWindow", text: str, fn: Callable[[], Any], local=None) -> Any:
    """Run ``fn`` as one undoable edit on the window's undo stack."""
    from ..common.undo import perform
    return perform(window.undo_stack, window.store, text, fn, local)


def _action_row(parent: QWidget, buttons: list[QPushButton], on_close: Callable[[], Any]) -> QHBoxLayout:
    """The row under a list: its action buttons on the left, Close on the right."""
    close = QDialogButtonBox(QDialogButtonBox.Close, parent)
    close.rejected.connect(on_close)
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    row.addWidget(close)
    return row


def _conflict_record(window: "MainWindow", conflict_id: str):
    """(read, write) of a conflict's record, so that undo puts it back with the rows."""
    return (lambda: sharing.conflict_state(window.store, conflict_id),
            lambda store, state: state is not None and sharing.set_conflict_state(store, conflict_id, state))


def _fmt_time(iso: str | None) -> str:
    if not iso:
        return ""
    from datetime import datetime
    try:
        t = datetime.fromisoformat(iso).astimezone()  # (our stamps end in Z: UTC)
    except (TypeError, ValueError):
        return str(iso)
    return f"{t.day:02d}/{t.month:02d}/{t.year + 543} {t.hour:02d}:{t.minute:02d}"


def _who(office: str, clerk: str) -> str:
    if clerk and office:
        return f"{clerk} ({office})"
    return clerk or office or _("(unknown)")


def _value_text(v: Any) -> str:
    if v is None or v == "":
        return _("(empty)")
    s = " ".join(str(v).split())
    return s if len(s) <= 90 else s[:90] + "…"


def column_label(column: str) -> str:
    labels = {
        "text": _("text"), "remark": _("remark"), "name": _("name"), "title": _("title"), "code": _("code"),
        "short_name": _("short name"), "full_text": _("full text"), "label": _("label"), "month": _("month"),
        "week": _("week"), "span": _("weeks"), "sort_key": _("order"), "position": _("position"),
        "unit": _("unit"), "phone": _("phone"), "email": _("e-mail"), "budget": _("budget"),
        "duration": _("duration"), "output": _("output"), "responsible": _("responsible"),
        "related": _("related"), "status": _("status"), "target": _("target"), "weight": _("weight"),
        "actual": _("result"), "note": _("note"), "policy": _("policy"), "number": _("number"),
        "start_month": _("start"), "end_month": _("end"), "current_data": _("current data"),
        "deleted": _("deleted"),
    }
    return labels.get(column, column)


def _item(text: str) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    it.setFlags(it.flags() & ~Qt.ItemIsEditable)
    if len(text) > 30:
        it.setToolTip(text)
    return it


def _error(window: "MainWindow", exc: Exception) -> None:
    window.show_message(str(exc), error=True)


# ---------------------------------------------------------------- export

class ExportDialog(QDialog):
    """Choose organisations, years and development plans (all by default) and where to write the
    exchange file."""

    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.setObjectName("export_dialog")
        self.setWindowTitle(_("Export for another office"))
        self.result_value = None
        store = window.store
        self.orgs = QListWidget(self)
        self.orgs.setObjectName("export_orgs")
        for o in store.select("organisation", order_by="sort_key"):
            it = QListWidgetItem(o["name"], self.orgs)
            it.setFlags(it.flags() | Qt.ItemIsUserCheckable)
            it.setCheckState(Qt.Checked)
            it.setData(Qt.UserRole, o["name"])
        self.years = QListWidget(self)
        self.years.setObjectName("export_years")
        years = sorted({r["year_be"] for r in store.query("SELECT year_be FROM fiscal_year WHERE deleted = 0")})
        for y in years:
            it = QListWidgetItem(_("fiscal year {year}").format(year=y), self.years)
            it.setFlags(it.flags() | Qt.ItemIsUserCheckable)
            it.setCheckState(Qt.Checked)
            it.setData(Qt.UserRole, y)
        # development plans: all of the chosen organisations and years unless unticked
        self.plans = QListWidget(self)
        self.plans.setObjectName("export_plans")
        self.plans.setWordWrap(True)   # (plan titles are long)
        self.plans.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        for r in store.query("SELECT p.id, p.title, p.policy, y.year_be, o.name AS org FROM dev_plan p "
                             "JOIN fiscal_year y ON y.id = p.year_id JOIN organisation o ON o.id = y.org_id "
                             "WHERE p.deleted = 0 AND y.deleted = 0 AND o.deleted = 0 "
                             "ORDER BY o.sort_key, y.year_be, p.sort_key, p.title, p.id"):
            title = r["title"] or r["policy"] or _("(untitled plan)")
            it = QListWidgetItem(_("{title} ({org}, fiscal year {year})").format(
                title=title, org=r["org"], year=r["year_be"]), self.plans)
            it.setToolTip(it.text())
            it.setFlags(it.flags() | Qt.ItemIsUserCheckable)
            it.setCheckState(Qt.Checked)
            it.setData(Qt.UserRole, r["id"])
            it.setData(Qt.UserRole + 1, (r["org"], r["year_be"]))
        self.orgs.itemChanged.connect(self._show_chosen_plans)
        self.years.itemChanged.connect(self._show_chosen_plans)
        self.path = QLineEdit(self)
        self.path.setObjectName("export_path")
        if store.path is not None:   # in Documents, named for what it is: ไฟล์ส่งต่อ_จังหวัดราชบุรี_2554.db
            from ..common.file_places import exchange_path
            self.path.setText(str(exchange_path(window)))
        browse = QPushButton(_("Browse…"), self)
        browse.setObjectName("export_browse")
        browse.clicked.connect(self._browse)
        self.error = QLabel(self)
        self.error.setObjectName("export_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.button(QDialogButtonBox.Ok).setText(_("Export"))
        self.buttons.accepted.connect(self._export)
        self.buttons.rejected.connect(self.reject)
        lists = QHBoxLayout()
        for title, w, stretch in ((_("Organisations"), self.orgs, 2), (_("Fiscal years"), self.years, 1),
                                  (_("Development plans"), self.plans, 4)):
            col = QVBoxLayout()
            col.addWidget(QLabel(title, self))
            col.addWidget(w)
            lists.addLayout(col, stretch)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(_("The exchange file is a copy of the chosen part of this file, with the criteria "
                               "catalog. The other office merges it into theirs."), self))
        lay.addLayout(lists, 1)
        lay.addWidget(QLabel(_("Save as:"), self))
        lay.addLayout(row)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.setMinimumSize(760, 420)

    def _show_chosen_plans(self, *_args) -> None:
        """Only the plans of the ticked organisations and years are listed."""
        orgs = set(self._checked(self.orgs)[0])
        years = set(self._checked(self.years)[0])
        for i in range(self.plans.count()):
            it = self.plans.item(i)
            org, year = it.data(Qt.UserRole + 1)
            it.setHidden(org not in orgs or (self.years.count() > 0 and year not in years))

    def _browse(self) -> None:
        fn, _f = QFileDialog.getSaveFileName(self, _("Save the exchange file"), self.path.text(),
                                             _("PMQA Desktop databases (*.db)"))
        if fn:
            self.path.setText(fn)

    @staticmethod
    def _checked(lst: QListWidget) -> tuple[list, bool]:
        items = [lst.item(i) for i in range(lst.count())]
        chosen = [it.data(Qt.UserRole) for it in items if it.checkState() == Qt.Checked]
        return chosen, len(chosen) == len(items)

    def _export(self) -> None:
        orgs, all_orgs = self._checked(self.orgs)
        years, all_years = self._checked(self.years)
        if not orgs or (self.years.count() and not years):
            self.error.setText(_("Choose at least one organisation and one fiscal year."))
            return
        if not self.path.text().strip():
            self.error.setText(_("Choose where to save the exchange file."))
            return
        left_out = [it.data(Qt.UserRole) for it in (self.plans.item(i) for i in range(self.plans.count()))
                    if not it.isHidden() and it.checkState() != Qt.Checked]
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            res = sharing.export(self.window.store, Path(self.path.text().strip()),
                                 orgs=None if all_orgs else orgs, years=None if all_years else years,
                                 without_plans=left_out or None)
        except UserError as exc:
            self.error.setText(str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.result_value = res
        self.window.show_message(_("Exchange file written: {path} ({size}).").format(
            path=res.path, size=backups.human_size(res.size)))
        self.accept()
        from ..common.file_places import saved_notice
        self.window.last_message_box = saved_notice(self.window, Path(res.path))   # where it went, its folder


# ---------------------------------------------------------------- merge and conflicts

def _conflict_texts(c: dict[str, Any]) -> list[str]:
    """The five cells of a conflict's row in the list (``sharing.conflict_detail``)."""
    cur, other = c["current"] or {}, c["other"] or {}
    odata = other.get("data", {}) if other else {}
    what = table_label(c["table_name"])
    label = next((str(cur.get(k)) for k in ("title", "text", "name", "code", "label") if cur.get(k)), "")
    cols = [column_label(k) for k in c["differs"]] or (
        [_("deleted")] if cur.get("deleted") != other.get("deleted") else [])
    first = c["differs"][0] if c["differs"] else None
    kept = _who(cur.get("office", ""), cur.get("clerk", "")) + " " + _fmt_time(cur.get("updated_at"))
    oth = _who(other.get("office", ""), other.get("clerk", "")) + " " + _fmt_time(other.get("updated_at"))
    if first:
        kept += "\n" + _value_text(cur.get(first))
        oth += "\n" + _value_text(odata.get(first))
    return [f"{what}: {label[:60]}", ", ".join(cols), kept, oth, _fmt_time(c["found_at"])]


class ConflictModel(QAbstractTableModel):
    """The window's open conflicts. The list is read in one query; a row's two versions are read
    when the row is first shown, since a large merge lists thousands."""

    def __init__(self, window: "MainWindow", parent=None):
        super().__init__(parent)
        self.window = window
        self.rows: list[dict[str, Any]] = []
        self._texts: dict[str, list[str]] = {}
        self.headers = [_("What"), _("Differs in"), _("Kept (current)"), _("Other version"), _("Found")]

    def refresh(self) -> None:
        self.beginResetModel()
        store = self.window.store
        self.rows = sharing.conflict_list(store) if store is not None and not store.closed else []
        self._texts.clear()
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:
        if role != Qt.DisplayRole:
            return None
        return self.headers[section] if orientation == Qt.Horizontal else str(section + 1)

    def conflict_id(self, row: int) -> str:
        return self.rows[row]["id"]

    def text(self, row: int, column: int) -> str:
        c = self.rows[row]
        texts = self._texts.get(c["id"])
        if texts is None:
            store = self.window.store
            if store is None or store.closed:  # (the file was let go; the list is refreshed next)
                return ""
            texts = self._texts[c["id"]] = _conflict_texts(sharing.conflict_detail(store, c))
        return texts[column]

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.DisplayRole, Qt.ToolTipRole):
            return None
        text = self.text(index.row(), index.column())
        if role == Qt.ToolTipRole:
            return text if len(text) > 30 else None
        return text


def _failure_text(exc: Exception) -> str:
    """What the merge dialog shows when a merge stops: the clerk's sentence, or for a bug a plain
    note with its details (the merge ran in one transaction, so nothing was kept)."""
    if isinstance(exc, UserError):
        return str(exc)
    import logging
    logging.getLogger(__name__).exception("merge failed")
    return _("The merge stopped because of an internal error; nothing was changed. Details: {error}").format(
        error=f"{type(exc).__name__}: {exc}")


class MergeDialog(QDialog):
    """Choose a file, see what it would add/change/delete per plan, then Apply or Cancel;
    afterwards (and whenever there are open conflicts) review conflicts and swap them."""

    def __init__(self, window: "MainWindow", path: str | None = None, folder: bool = False):
        super().__init__(window)
        self.window = window
        self.folder = folder   # every file in a folder, merged at once (``sharing.folder``)
        self.setObjectName("merge_dialog")
        self.setWindowTitle(_("Merge every file in a folder") if folder else _("Merge a file from another office"))
        self.report: MergeReport | None = None
        self._pending_backup: backups.PendingBackup | None = None
        self.pages = QStackedWidget(self)

        # page 0: choose + preview
        p0 = QWidget(self.pages)
        self.path = QLineEdit(p0)
        self.path.setObjectName("merge_path")
        if path:
            self.path.setText(str(path))
        browse = QPushButton(_("Browse…"), p0)
        browse.clicked.connect(self._browse)
        self.preview_button = QPushButton(_("Preview"), p0)
        self.preview_button.setObjectName("merge_preview")
        self.preview_button.clicked.connect(self.preview)
        self.summary = QLabel(p0)
        self.summary.setObjectName("merge_summary")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget(p0)
        self.tree.setObjectName("merge_report")
        self.tree.setHeaderLabels([_("Plan / part"), _("Added"), _("Changed"), _("Deleted"), _("Conflicts")])
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.Stretch)
        for col in range(1, 5):
            self.tree.header().setSectionResizeMode(col, QHeaderView.ResizeToContents)
        self.apply_buttons = QDialogButtonBox(QDialogButtonBox.Apply | QDialogButtonBox.Cancel, p0)
        self.apply_button = self.apply_buttons.button(QDialogButtonBox.Apply)
        self.apply_button.setObjectName("merge_apply")
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        self.apply_buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        row.addWidget(self.preview_button)
        l0 = QVBoxLayout(p0)
        l0.addWidget(QLabel(_("Folder with the files from the other offices:") if folder
                            else _("File from the other office:"), p0))
        l0.addLayout(row)
        l0.addWidget(self.summary)
        l0.addWidget(self.tree, 1)
        l0.addWidget(self.apply_buttons)
        self.pages.addWidget(p0)

        # page 1: conflicts
        p1 = QWidget(self.pages)
        self.conflict_label = QLabel(p1)
        self.conflict_label.setWordWrap(True)
        self.conflict_label.setObjectName("conflict_label")
        self.conflict_model = ConflictModel(window, self)
        self.conflicts = QTableView(p1)
        self.conflicts.setObjectName("conflict_table")
        self.conflicts.setModel(self.conflict_model)
        self.conflicts.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.conflicts.setSelectionMode(QAbstractItemView.SingleSelection)
        self.conflicts.setWordWrap(True)
        self.conflicts.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        rows = self.conflicts.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.Fixed)  # (measuring thousands of rows would read them all)
        rows.setDefaultSectionSize(self.conflicts.fontMetrics().lineSpacing() * 3 + 8)
        self.swap_button = QPushButton(_("Swap: use the other version"), p1)
        self.swap_button.setObjectName("conflict_swap")
        self.swap_button.clicked.connect(self.swap_selected)
        self.reviewed_button = QPushButton(_("Mark as reviewed"), p1)
        self.reviewed_button.setObjectName("conflict_reviewed")
        self.reviewed_button.clicked.connect(self.mark_reviewed)
        buttons = _action_row(p1, [self.swap_button, self.reviewed_button], self.accept)
        l1 = QVBoxLayout(p1)
        l1.addWidget(self.conflict_label)
        l1.addWidget(self.conflicts, 1)
        l1.addLayout(buttons)
        self.pages.addWidget(p1)

        lay = QVBoxLayout(self)
        lay.addWidget(self.pages)
        self.setMinimumSize(760, 480)
        window.undo_stack.indexChanged.connect(self._undo_stack_moved)   # Ctrl+Z of a swap or a review
        if not path and window.store is not None and sharing.conflict_list(window.store):
            self.show_conflicts(_("Conflicts from earlier merges, still to review:"))

    def _browse(self) -> None:
        if self.folder:
            fn = QFileDialog.getExistingDirectory(self, _("Choose the folder to merge"), self.path.text())
            if fn:
                self.path.setText(fn)
                self.preview()
            return
        fn, _f = QFileDialog.getOpenFileName(self, _("Choose the file to merge"), self.path.text(),
                                             _("PMQA Desktop databases (*.db *.sqlite *.pmqa);;All files (*)"))
        if fn:
            self.path.setText(fn)
            self.preview()

    def preview(self) -> MergeReport | None:
        self._drop_pending_backup()
        self.tree.clear()
        self.apply_button.setEnabled(False)
        self.report = None
        text = self.path.text().strip()
        if not text:
            self.summary.setText(_("Choose the file to merge."))
            return None
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            if self.folder:
                return self._preview_folder(Path(text))
            report = sharing.merge(self.window.store, Path(text), dry_run=True)
        except Exception as exc:  # every failure is shown here, never lost in a slot
            self.summary.setText(_failure_text(exc))
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self.report = report
        lines = report.lines()
        self.summary.setText(lines[0] + "\n" + lines[-1])
        for g in report.sorted_groups():
            t = g.totals()
            top = QTreeWidgetItem(self.tree, [g.label, str(t.add), str(t.change), str(t.delete), str(t.conflict)])
            for table, c in sorted(g.tables.items()):
                QTreeWidgetItem(top, [table_label(table), str(c.add), str(c.change), str(c.delete), str(c.conflict)])
        self.tree.expandAll()
        can_apply = not report.changes_nothing and not self.window.store.read_only
        self.apply_button.setEnabled(can_apply)
        if can_apply and self.window.store.path is not None:
            # the backup a merge makes first, made while the clerk reads the preview
            self._pending_backup = backups.PendingBackup(self.window.store.path, "merge")
        return report

    def _preview_folder(self, folder: Path):
        """One line per file (its counts, as merged after the files before it), its parts below."""
        from ...core.sharing.folder import merge_folder
        report = merge_folder(self.window.store, folder, dry_run=True)
        self.report = report
        lines = report.lines()
        self.summary.setText(lines[0] + "\n" + lines[-1])
        for r in report.files:
            t = r.totals()
            top = QTreeWidgetItem(self.tree, [r.source.name, str(t.add), str(t.change), str(t.delete),
                                              str(t.conflict)])
            for g in r.sorted_groups():
                gt = g.totals()
                QTreeWidgetItem(top, [g.label, str(gt.add), str(gt.change), str(gt.delete), str(gt.conflict)])
        self.tree.expandAll()
        self.apply_button.setEnabled(not report.changes_nothing and not self.window.store.read_only)
        return report

    def _apply_folder(self):
        from ...core.sharing.folder import merge_folder
        report = merge_folder(self.window.store, self.report.folder)   # (its one backup made first)
        self.report = report
        self.window.reload()
        self.window.show_message(ngettext("Merged {n} file from {folder}.", "Merged {n} files from {folder}.",
                                          len(report.files)).format(n=len(report.files), folder=report.folder.name))
        if report.conflicts:
            self.show_conflicts(ngettext("{n} row was changed in both offices. The newer edit was kept; the other "
                                         "version is kept in the history. Swap it if the other one is right.",
                                         "{n} rows were changed in both offices. The newer edit was kept; the other "
                                         "version is kept in the history. Swap where the other one is right.",
                                         report.conflicts).format(
                n=report.conflicts))
        else:
            self.accept()
        return report

    def _drop_pending_backup(self) -> None:
        pending, self._pending_backup = self._pending_backup, None
        if pending is not None:
            pending.discard()

    def apply(self) -> MergeReport | None:
        if self.report is None:
            return None
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            if self.folder:
                return self._apply_folder()
            pending, self._pending_backup = self._pending_backup, None
            made = pending.publish() if pending is not None else None  # (None: changed since, made now)
            report = sharing.merge(self.window.store, self.report.source, backup=made is None)
            report.backup = report.backup or made
        except Exception as exc:  # every failure is shown here, never lost in a slot
            self.summary.setText(_failure_text(exc))
            self.apply_button.setEnabled(False)  # (a new Preview reads the files afresh)
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self.report = report
        self.window.reload()
        t = report.totals()
        self.window.show_message(ngettext("Merged {name}: {add} added, {change} changed, {delete} deleted, "
                                          "{conflict} conflict.",
                                          "Merged {name}: {add} added, {change} changed, {delete} deleted, "
                                          "{conflict} conflicts.", t.conflict).format(name=report.source.name, add=t.add,
                                                                   change=t.change, delete=t.delete,
                                                                   conflict=t.conflict))
        if report.conflicts:
            self.show_conflicts(ngettext("{n} row was changed in both offices. The newer edit was kept; the other "
                                         "version is kept in the history. Swap it if the other one is right.",
                                         "{n} rows were changed in both offices. The newer edit was kept; the other "
                                         "version is kept in the history. Swap where the other one is right.",
                                         len(report.conflicts)).format(
                n=len(report.conflicts)))
        else:
            self.accept()
        return report

    def show_conflicts(self, text: str) -> None:
        self.conflict_label.setText(text)
        self.pages.setCurrentIndex(1)
        self.fill_conflicts()

    def _undo_stack_moved(self, *_args) -> None:
        if self.pages.currentIndex() == 1 and self.window.store is not None:
            self.fill_conflicts()

    def done(self, result: int) -> None:
        # a preview keeps what it found for the Apply that may follow it (a private copy of the
        # file where it made one; a folder's: a staging copy of our file); closing the dialog
        # without applying lets it go now rather than when the program ends
        sharing.discard_preview()
        if self.folder:
            from ...core.sharing.folder import discard_folder_preview
            discard_folder_preview()
        self._drop_pending_backup()
        super().done(result)

    def fill_conflicts(self) -> None:
        store = self.window.store
        rows = self.conflicts.selectionModel().selectedRows()
        at = rows[0].row() if rows else 0
        self.conflict_model.refresh()
        n = self.conflict_model.rowCount()
        if n:
            self.conflicts.selectRow(min(at, n - 1))  # (after a swap or a review: the next one)
        self.swap_button.setEnabled(bool(n) and not store.read_only)
        self.reviewed_button.setEnabled(bool(n) and not store.read_only)

    def _selected(self) -> str | None:
        rows = self.conflicts.selectionModel().selectedRows()
        if not rows:
            return None
        return self.conflict_model.conflict_id(rows[0].row())

    def swap_selected(self) -> None:
        cid = self._selected()
        if cid is None:
            return
        try:
            _perform(self.window, _("Swap a merge conflict"), lambda: sharing.swap_conflict(self.window.store, cid),
                     _conflict_record(self.window, cid))
        except UserError as exc:
            _error(self.window, exc)
        self.fill_conflicts()

    def mark_reviewed(self) -> None:
        cid = self._selected()
        if cid is None:
            return
        try:
            _perform(self.window, _("Mark a merge conflict as reviewed"),
                     lambda: sharing.resolve_conflict(self.window.store, cid), _conflict_record(self.window, cid))
        except UserError as exc:
            _error(self.window, exc)
        self.fill_conflicts()


# ---------------------------------------------------------------- backups

class BackupsDialog(QDialog):
    """The automatic backups of the open file, with date, reason and size; Restore in two clicks."""

    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.setObjectName("backups_dialog")
        self.setWindowTitle(_("Backups"))
        self.db_path = Path(window.store.path)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("backup_table")
        self.table.setHorizontalHeaderLabels([_("Date"), _("Made when"), _("Size")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.restore_button = QPushButton(_("Restore…"), self)
        self.restore_button.setObjectName("backup_restore")
        self.restore_button.clicked.connect(self.ask_restore)
        self.backup_button = QPushButton(_("Back up now"), self)
        self.backup_button.setObjectName("backup_now")
        self.backup_button.clicked.connect(self.backup_now)
        self.folder_label = QLabel(str(backups.backup_folder(self.db_path)), self)
        self.folder_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        row = _action_row(self, [self.backup_button, self.restore_button], self.reject)
        # the disk space the backups may take: past it the oldest go (the newest always stays)
        self.usage = QLabel(self)
        self.usage.setObjectName("backup_usage")
        self.budget = QSpinBox(self)
        self.budget.setObjectName("backup_budget")
        self.budget.setRange(backups.MIN_BUDGET_MB, 1024 * 1024)
        self.budget.setSuffix(" MB")
        self.budget.setValue(backups.budget_mb())
        self.budget.editingFinished.connect(self.set_budget)
        budget_row = QHBoxLayout()
        budget_row.addWidget(QLabel(_("Space for all backups (every file's):"), self))
        budget_row.addWidget(self.budget)
        budget_row.addStretch(1)
        self.usage.setWordWrap(True)   # (this file's backups and all of them: a line of its own)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(_("Backups of {name} are made when it is opened and closed, and before every "
                               "merge, import and restore. Kept in:").format(name=self.db_path.name), self))
        lay.addWidget(self.folder_label)
        lay.addLayout(budget_row)
        lay.addWidget(self.usage)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        self.setMinimumSize(600, 420)
        self.confirm: MessageDialog | None = None
        self.fill()

    def fill(self) -> None:
        self.items = backups.list_backups(self.db_path)
        self.table.setRowCount(len(self.items))
        for r, b in enumerate(self.items):
            t = b.local_time
            self.table.setItem(r, 0, _item(f"{t.day:02d}/{t.month:02d}/{t.year + 543} "
                                           f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}"))
            self.table.setItem(r, 1, _item(b.reason_label))
            self.table.setItem(r, 2, _item(backups.human_size(b.size)))
        self.usage.setText(backups.usage_line(self.items))
        self._selection_changed()

    def set_budget(self) -> None:
        if self.budget.value() == backups.budget_mb():
            return
        try:
            backups.set_budget_mb(self.budget.value(), self.db_path)
        except (UserError, OSError) as exc:
            _error(self.window, exc)
        self.fill()

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def backup_now(self) -> None:
        try:
            sharing.backup_now(self.window.store, "manual")
        except UserError as exc:
            _error(self.window, exc)
        self.fill()

    def ask_restore(self) -> MessageDialog | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        b = self.items[rows[0].row()]
        t = b.local_time
        box = MessageDialog(self, _("Restore a backup"), _(
            "Put back {name} as it was on {date} ({reason})? The file as it is now is backed up first, "
            "so this can be undone by restoring that backup.").format(
            name=self.db_path.name, date=f"{t.day:02d}/{t.month:02d}/{t.year + 543} {t.hour:02d}:{t.minute:02d}",
            reason=b.reason_label))
        box.setObjectName("restore_confirm")
        box.add_button(_("Restore"), lambda: self.restore(b.path))
        self.confirm = box
        box.open()
        return box

    def restore(self, backup: Path) -> bool:
        window = self.window
        store = window.store
        path = Path(store.path)
        read_only = store.read_only
        lock = getattr(store, "sharing_lock", None)
        window.close_store()
        locking.release_lock(lock)
        ok = True
        try:
            sharing.restore_backup(path, backup, store.actor)
        except UserError as exc:
            ok = False
            window.show_message(str(exc), error=True)
        window.open_database(path, read_only=read_only)
        if ok:
            window.show_message(_("{name} was restored from the backup.").format(name=path.name))
        self.fill()
        return ok


# ---------------------------------------------------------------- history

class HistoryDialog(QDialog):
    """Earlier values of one cell (or versions of one row), with who and when; restore one."""

    def __init__(self, window: "MainWindow", table: str, row_id: str, column: str | None = None):
        super().__init__(window)
        self.window = window
        self.table_name, self.row_id, self.column = table, row_id, column
        self.setObjectName("history_dialog")
        self.setWindowTitle(_("History"))
        self.list = QTableWidget(0, 3, self)
        self.list.setObjectName("history_table")
        self.list.setHorizontalHeaderLabels([_("Value") if column else _("Version"), _("Who"), _("When")])
        self.list.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SingleSelection)
        self.list.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.list.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.list.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeToContents)
        self.restore_button = QPushButton(_("Restore this value") if column else _("Restore this version"), self)
        self.restore_button.setObjectName("history_restore")
        self.restore_button.clicked.connect(self.restore_selected)
        row = _action_row(self, [self.restore_button], self.reject)
        lay = QVBoxLayout(self)
        what = table_label(table) + (f" \u2013 {column_label(column)}" if column else "")
        lay.addWidget(QLabel(what, self))
        lay.addWidget(self.list, 1)
        lay.addLayout(row)
        self.setMinimumSize(620, 380)
        self.fill()

    def fill(self) -> None:
        store = self.window.store
        if self.column:
            self.entries = sharing.cell_history(store, self.table_name, self.row_id, self.column)
            texts = [(_value_text(e["value"]) + ("  " + _("(current)") if e["current"] else ""), e) for e in self.entries]
        else:
            self.entries = sharing.row_history(store, self.table_name, self.row_id)
            texts = []
            for e in self.entries:
                label = next((str(e["data"].get(k)) for k in ("title", "text", "name", "code", "label")
                              if e["data"].get(k)), "")
                if e["deleted"]:
                    label = _("(deleted)") + " " + label
                texts.append((label + ("  " + _("(current)") if e["current"] else ""), e))
        self.list.setRowCount(len(texts))
        for r, (text, e) in enumerate(texts):
            self.list.setItem(r, 0, _item(text))
            self.list.setItem(r, 1, _item(_who(e["office"], e["clerk"])))
            self.list.setItem(r, 2, _item(_fmt_time(e["updated_at"])))
        self.list.resizeRowsToContents()
        self.restore_button.setEnabled(bool(self.entries) and not store.read_only)

    def restore_selected(self) -> bool:
        rows = self.list.selectionModel().selectedRows()
        if not rows:
            return False
        e = self.entries[rows[0].row()]
        store = self.window.store
        try:
            if self.column:
                _perform(self.window, _("Restore an older value"),
                         lambda: sharing.restore_value(store, self.table_name, self.row_id, self.column, e["value"]))
            else:
                _perform(self.window, _("Restore an older version"),
                         lambda: sharing.restore_version(store, self.table_name, self.row_id, e["rev"]))
        except UserError as exc:
            _error(self.window, exc)
            return False
        self.fill()
        return True


class RecentChangesDialog(QDialog):
    """The latest edits of the whole file (from the history), each with a Restore button."""

    def __init__(self, window: "MainWindow", limit: int = 200):
        super().__init__(window)
        self.window = window
        self.limit = limit
        self.setObjectName("recent_changes_dialog")
        self.setWindowTitle(_("Recent changes"))
        self.list = QTableWidget(0, 5, self)
        self.list.setObjectName("recent_changes_table")
        self.list.setHorizontalHeaderLabels([_("When"), _("Who"), _("What"), _("Earlier value"), _("Now")])
        self.list.setWordWrap(False)
        self.list.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SingleSelection)
        self.list.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.restore_button = QPushButton(_("Restore the earlier version"), self)
        self.restore_button.setObjectName("recent_restore")
        self.restore_button.clicked.connect(self.restore_selected)
        self.history_button = QPushButton(_("Whole history of this row…"), self)
        self.history_button.clicked.connect(self.open_row_history)
        row = _action_row(self, [self.restore_button, self.history_button], self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(_("Each line is an earlier version replaced by a later edit (here or in a merged file)."),
                             self))
        lay.addWidget(self.list, 1)
        lay.addLayout(row)
        self.setMinimumSize(820, 460)
        self.sub: HistoryDialog | None = None
        self.fill()

    def fill(self) -> None:
        store = self.window.store
        self.entries = sharing.recent_changes(store, self.limit)
        self.list.setRowCount(len(self.entries))
        for r, e in enumerate(self.entries):
            cols = e["columns"] or []
            first = cols[0] if cols else None
            what = table_label(e["table"]) + (": " + ", ".join(column_label(c) for c in cols) if cols else "")
            if first:
                old, now = _value_text(e["old"].get(first)), _value_text(e["new"].get(first))
            else:
                old = _("(deleted)") if e["old_deleted"] else _("(not deleted)")
                now = _("(deleted)") if e["new_deleted"] else _("(not deleted)")
            for c, text in enumerate([_fmt_time(e["updated_at"]), _who(e["office"], e["clerk"]), what, old, now]):
                self.list.setItem(r, c, _item(text))
        self.restore_button.setEnabled(bool(self.entries) and not store.read_only)

    def _selected(self) -> dict | None:
        rows = self.list.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    def restore_selected(self) -> bool:
        e = self._selected()
        if e is None:
            return False
        store = self.window.store
        try:
            _perform(self.window, _("Restore an older version"),
                     lambda: sharing.restore_version(store, e["table"], e["row_id"], e["rev"]))
        except UserError as exc:
            _error(self.window, exc)
            return False
        self.fill()
        return True

    def open_row_history(self) -> HistoryDialog | None:
        e = self._selected()
        if e is None:
            return None
        self.sub = HistoryDialog(self.window, e["table"], e["row_id"])
        self.sub.open()
        return self.sub


# ---------------------------------------------------------------- which cell is selected

def selected_cell(window: "MainWindow") -> tuple[str, str, str | None] | None:
    """(table, row id, column or None) of the cell the clerk is on, when the window can tell."""
    fn = getattr(window, "current_cell", None)
    if callable(fn):
        try:
            res = fn()
        except Exception:
            res = None
        if res:
            return tuple(res) if len(res) == 3 else (res[0], res[1], None)
    view = QApplication.focusWidget()
    while view is not None and not isinstance(view, QTableView):
        view = view.parentWidget()
    if view is None:
        for name in ("calendar_view",):
            page = getattr(window, name, None)
            if page is not None and page.isVisible():
                view = next(iter(page.findChildren(QTableView)), None)
    if view is None:
        return None
    model, idx = view.model(), view.currentIndex()
    if not idx.isValid():
        return None
    if hasattr(model, "step_id") and hasattr(model, "month_of_column"):  # the operations calendar
        try:
            sid = model.step_id(idx.row())
        except Exception:
            return None
        month = model.month_of_column(idx.column())
        if month is not None:
            cells = window.store.select("calendar_cell", {"step_id": sid, "month": month.key}, order_by="",
                                        include_deleted=True)
            return ("calendar_cell", cells[0]["id"], "text") if cells else ("calendar_step", sid, None)
        if idx.column() == getattr(model, "col_remark", -1):
            return ("calendar_step", sid, "remark")
        if idx.column() == getattr(model, "COL_TEXT", 1):
            return ("calendar_step", sid, "text")
        return ("calendar_step", sid, None)
    return None
