"""Organisations and their fiscal years: Tools > New fiscal year, Roll over, Add organisation, and
the tree's right-click menu on an organisation or a fiscal year (rename, delete: one undo step each).

The dialogs load when first opened.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtWidgets import QMenu

from ...core.storage import planning
from ...i18n import _, ngettext
from ..common import undo as cc
from ..features import AddEntry, Window
from ..qt_util import MessageDialog
from ..tree_model import Node


class OrganisationActions:
    def __init__(self, window: Window):
        self.window = window

    def roll_over(self, year_id: str | None = None):
        from .dialogs import RollOverDialog
        if self.window.store is None:
            return None
        dlg = RollOverDialog(self.window, year_id)
        dlg.accepted.connect(lambda: dlg.result_value and self.window.select_key(("calendar", dlg.result_value)))
        dlg.accepted.connect(lambda: self.show_rollover_report(dlg.report, dlg.target.value()))
        return self.window.open_dialog(dlg)

    def show_rollover_report(self, report, year_be: int):
        from .rollover_report import RolloverReportDialog
        return self.window.open_dialog(RolloverReportDialog(self.window, report, year_be))

    def new_year(self, org_id: str | None = None):
        from .dialogs import AddYearDialog
        if self.window.store is None:
            return None
        dlg = AddYearDialog(self.window, org_id)
        dlg.accepted.connect(lambda: dlg.result_value and self.window.select_key(("calendar", dlg.result_value)))
        return self.window.open_dialog(dlg)

    def add_organisation(self):
        from .dialogs import AddOrganisationDialog
        if self.window.store is None:
            return None
        dlg = AddOrganisationDialog(self.window)

        def done() -> None:
            oid, yid = dlg.result_value or (None, None)
            if yid:
                self.window.select_key(("calendar", yid))
            elif oid:
                self.window.select_key(("org", oid))
        dlg.accepted.connect(done)
        return self.window.open_dialog(dlg)

    def rename_organisation(self, org_id: str | None):
        from .dialogs import RenameOrganisationDialog
        if self.window.store is None or not org_id:
            return None
        return self.window.open_dialog(RenameOrganisationDialog(self.window, org_id))

    def delete_year(self, year_id: str | None) -> "MessageDialog | None":
        """Ask, then delete a fiscal year as one undo step (a tombstone: nothing is erased)."""
        store = self.window.store
        year = store.get("fiscal_year", year_id) if (store and year_id) else None
        if year is None:
            return None
        org = store.get("organisation", year["org_id"]) or {"name": ""}
        text = _("Delete fiscal year {year} of {org}, with its calendar, weekly plan, owners and plans?\n\n"
                 "Edit > Undo brings it back. The deletion goes with this file to the offices you share it "
                 "with.").format(year=year["year_be"], org=org["name"])
        label = _("Delete fiscal year {year}").format(year=year["year_be"])
        return self._confirm_delete(text, label, lambda: planning.delete_fiscal_year(self.window.store, year_id))

    def delete_organisation(self, org_id: str | None) -> "MessageDialog | None":
        store = self.window.store
        org = store.get("organisation", org_id) if (store and org_id) else None
        if org is None:
            return None
        years = planning.fiscal_years(store, org_id)
        text = ngettext("Delete {org} and its {n} fiscal year?\n\nEdit > Undo brings it back. The deletion goes with "
                        "this file to the offices you share it with.",
                        "Delete {org} and its {n} fiscal years?\n\nEdit > Undo brings it back. The deletion goes with "
                        "this file to the offices you share it with.", len(years)).format(org=org["name"], n=len(years))
        label = _("Delete organisation {name}").format(name=org["name"])
        return self._confirm_delete(text, label, lambda: planning.delete_organisation(self.window.store, org_id))

    def _confirm_delete(self, text: str, label: str, fn: Callable[[], Any]) -> "MessageDialog":
        w = self.window
        box = MessageDialog(w, _("Delete"), text, error=True)
        box.setObjectName("confirm_delete")
        box.buttons.button(box.buttons.StandardButton.Close).setText(_("Cancel"))
        box.add_button(_("Delete"), lambda: w.guarded(lambda: cc.perform(w.undo_stack, w.store, label, fn)))
        box.open()
        w.last_message_box = box
        return box

    def tree_menu(self, node: Node, menu: QMenu, add: AddEntry) -> None:
        if node.kind in ("year", "calendar", "weekly"):
            add(_("Roll over to a new fiscal year…"), lambda: self.roll_over(node.key[1]))
            if node.kind == "year":
                menu.addSeparator()
                add(_("Delete this fiscal year…"), lambda: self.delete_year(node.key[1]))
        elif node.kind == "org":
            add(_("New fiscal year…"), lambda: self.new_year(node.key[1]))
            add(_("Add organisation…"), self.add_organisation)
            add(_("Rename organisation…"), lambda: self.rename_organisation(node.key[1]))
            menu.addSeparator()
            add(_("Delete this organisation…"), lambda: self.delete_organisation(node.key[1]))


def install(window: Window) -> None:
    actions = OrganisationActions(window)
    window.organisations = actions
    window.add_separator("tools")
    window.add_action("tools", _("&New fiscal year…"), lambda: actions.new_year(window.current_org_id()), None,
                      "action_new_year", edits=True)
    window.add_action("tools", _("&Roll over a fiscal year…"), lambda: actions.roll_over(window.current_year_id()),
                      None, "action_roll_over", edits=True)
    window.add_action("tools", _("&Add organisation…"), actions.add_organisation, None, "action_add_org", edits=True)
    window.register_tree_menu(actions.tree_menu)
