"""File > Import text table and the same entry in the tree's right-click menu on a fiscal year.

The import dialog (and the importers behind it) load when first opened.
"""
from __future__ import annotations

from PySide6.QtWidgets import QMenu

from ...i18n import _
from ..features import AddEntry, Window
from ..tree_model import Node


class ImportActions:
    def __init__(self, window: Window):
        self.window = window

    def import_text(self, path: str | None = None, kind: str = "calendar"):
        from .import_dialog import ImportDialog
        if self.window.store is None:
            return None
        return self.window.open_dialog(ImportDialog(self.window, path, kind))

    def tree_menu(self, node: Node, menu: QMenu, add: AddEntry) -> None:
        if node.kind in ("year", "calendar", "weekly"):
            add(_("Import text table…"), self.import_text)


def install(window: Window) -> None:
    actions = ImportActions(window)
    window.importing = actions
    window.add_separator("file")
    window.add_action("file", _("&Import text table…"), actions.import_text, None, "action_import", edits=True)
    window.register_tree_menu(actions.tree_menu)
