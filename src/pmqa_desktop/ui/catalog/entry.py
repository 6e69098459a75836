"""Editing the criteria catalog: Edit > Rename / renumber and Add criterion, the tree's keys
(F2, Ctrl+Up/Down, Del, Ins) and its right-click menu on a หมวด or a criterion.

The criterion dialog loads when first opened. Uses the window only through ``ui.features.Window``.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu

from ...i18n import _
from ..features import AddEntry, Window
from ..tree_model import Node
from . import commands as cc


class CatalogActions:
    def __init__(self, window: Window):
        self.window = window

    def _category_of(self, criterion_id: str) -> str | None:
        crit = self.window.store.get("criterion", criterion_id) if self.window.store else None
        return crit["category_id"] if crit else None

    def edit_criterion(self, criterion_id: str | None):
        from .criterion_dialog import CriterionDialog
        if not criterion_id or self.window.store is None:
            return None
        return self.window.open_dialog(CriterionDialog(self.window, self._category_of(criterion_id), criterion_id))

    def add_criterion(self, category_id: str | None, after_id: str | None = None):
        from .criterion_dialog import CriterionDialog
        if not category_id or self.window.store is None:
            return None
        dlg = CriterionDialog(self.window, category_id, None, after_id)
        year = self.window.current_year_id()

        def done() -> None:
            if dlg.result_value and year:
                self.window.select_key(("criterion", year, dlg.result_value))
        dlg.accepted.connect(done)
        return self.window.open_dialog(dlg)

    def move_criterion(self, criterion_id: str | None, delta: int) -> None:
        if criterion_id:
            w = self.window
            w.guarded(lambda: cc.move_criterion(w.undo_stack, w.store, criterion_id, delta))

    def toggle_retired(self, criterion_id: str | None) -> None:
        w = self.window
        if not criterion_id or w.store is None:
            return
        crit = w.store.get("criterion", criterion_id)
        if crit is None:
            return
        if not crit["retired"] and not w.tree_model.show_retired:
            w.show_message(_("{code} is retired; View > Show retired criteria shows it again.").format(
                code=crit["code"]))
        w.guarded(lambda: cc.set_retired(w.undo_stack, w.store, criterion_id, not crit["retired"]))

    def _tree_keys(self) -> None:
        """Catalog editing from the keyboard while the tree has the focus."""
        def here(fn: Callable[[str], Any]) -> Callable[[], None]:
            def run() -> None:
                cid = self.window.current_criterion_id()
                if cid and self.window.store is not None and not self.window.store.read_only:
                    fn(cid)
            return run
        keys = ((QKeySequence(Qt.Key_F2), here(self.edit_criterion)),
                (QKeySequence("Ctrl+Up"), here(lambda cid: self.move_criterion(cid, -1))),
                (QKeySequence("Ctrl+Down"), here(lambda cid: self.move_criterion(cid, +1))),
                (QKeySequence(Qt.Key_Delete), here(self.toggle_retired)),
                (QKeySequence(Qt.Key_Insert), self._add_criterion_here))
        for seq, fn in keys:
            sc = QShortcut(seq, self.window.tree, context=Qt.WidgetShortcut)
            sc.activated.connect(fn)

    def _add_criterion_here(self) -> None:
        w = self.window
        if w.store is None or w.store.read_only:
            return
        node = w.tree_model.node(w.tree.currentIndex())
        if node.kind == "category":
            self.add_criterion(node.key[2])
        elif node.kind == "criterion":
            self.add_criterion(node.data["category_id"], after_id=node.key[2])
        else:
            w.show_message(_("Choose a หมวด or a criterion in the tree first."))

    def tree_menu(self, node: Node, menu: QMenu, add: AddEntry) -> None:
        if node.kind == "criterion":
            cid, retired = node.key[2], bool(node.data.get("retired"))
            cat = node.data["category_id"]
            add(_("Rename / renumber…"), lambda: self.edit_criterion(cid), key="F2")
            add(_("Move up"), lambda: self.move_criterion(cid, -1), node.row > 0, key="Ctrl+Up")
            add(_("Move down"), lambda: self.move_criterion(cid, +1), node.row < len(node.parent._children) - 1,
                key="Ctrl+Down")
            add(_("Bring back") if retired else _("Retire"), lambda: self.toggle_retired(cid), key="Del")
            menu.addSeparator()
            add(_("Add criterion after this one…"), lambda: self.add_criterion(cat, after_id=cid), key="Ins")
            a = menu.addAction(_("Show in weekly plan"))
            a.triggered.connect(lambda: self.window.show_in_weekly(cid))
        elif node.kind == "category":
            add(_("Add criterion…"), lambda: self.add_criterion(node.key[2]), key="Ins")


def install(window: Window) -> None:
    actions = CatalogActions(window)
    window.catalog = actions
    window.add_action("edit", _("Rename / renumber criterion…"),
                      lambda: actions.edit_criterion(window.current_criterion_id()), None,
                      "action_edit_criterion", edits=True)
    window.add_action("edit", _("Add criterion…"), actions._add_criterion_here, None, "action_add_criterion",
                      edits=True)
    actions._tree_keys()
    window.register_tree_menu(actions.tree_menu)
