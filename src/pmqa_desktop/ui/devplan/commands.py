"""Undoable edits of development plans, KPIs (form 7.2), round results and approvals.

Each function is ONE user action: it runs the core function (``core.storage.devplan``)
through ``ui.common.undo.perform``, which records every row the action changed (including
the plan's revision/status when an edit of an approved plan starts the next revision, and
the approval row with its snapshot) and pushes one ``StoreCommand`` on the undo stack.
A refused edit (``UserError``) propagates with nothing changed and nothing pushed.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoStack

from ...core.storage import devplan as dp
from ...core.storage.store import Store
from ...core.thai_calendar import MonthKey
from ...i18n import _
from ..common.undo import perform


# ---------------------------------------------------------------- plans

def add_plan(stack: QUndoStack, store: Store, year_id: str, title: str, category_id: str | None = None,
             policy: str = "", after_id: str | None = None) -> str:
    return perform(stack, store, _("Add development plan"),
                   lambda: dp.add_plan(store, year_id, title, category_id=category_id, policy=policy,
                                       after_id=after_id))


def update_plan(stack: QUndoStack, store: Store, plan_id: str, **values: Any) -> bool:
    return bool(perform(stack, store, _("Edit development plan"), lambda: dp.update_plan(store, plan_id, **values)))


def delete_plan(stack: QUndoStack, store: Store, plan_id: str) -> None:
    perform(stack, store, _("Delete development plan"), lambda: dp.delete_plan(store, plan_id))


def move_plan(stack: QUndoStack, store: Store, plan_id: str, index: int) -> None:
    perform(stack, store, _("Move development plan"), lambda: dp.move_plan(store, plan_id, index))


# ---------------------------------------------------------------- activities

def add_activity(stack: QUndoStack, store: Store, plan_id: str, title: str, after_id: str | None = None,
                 stated_budget: Any = None) -> str:
    return perform(stack, store, _("Add activity"),
                   lambda: dp.add_activity(store, plan_id, title, after_id=after_id, stated_budget=stated_budget))


def update_activity(stack: QUndoStack, store: Store, activity_id: str, text: str | None = None,
                    **values: Any) -> bool:
    label = text or (_("Activity budget") if "stated_budget" in values else _("Edit activity"))
    return bool(perform(stack, store, label, lambda: dp.update_activity(store, activity_id, **values)))


def delete_activity(stack: QUndoStack, store: Store, activity_id: str) -> None:
    perform(stack, store, _("Delete activity"), lambda: dp.delete_activity(store, activity_id))


def move_activity(stack: QUndoStack, store: Store, activity_id: str, index: int) -> None:
    perform(stack, store, _("Move activity"), lambda: dp.move_activity(store, activity_id, index))


# ---------------------------------------------------------------- steps

def add_step(stack: QUndoStack, store: Store, activity_id: str, text: str = "", after_id: str | None = None,
             index: int | None = None, **fields: Any) -> str:
    return perform(stack, store, _("Add step"),
                   lambda: dp.add_step(store, activity_id, text, after_id=after_id, index=index, **fields))


def update_step(stack: QUndoStack, store: Store, step_id: str, text: str | None = None, **values: Any) -> bool:
    label = text or (_("Step budget") if "budget" in values else _("Edit step"))
    return bool(perform(stack, store, label, lambda: dp.update_step(store, step_id, **values)))


def set_step_span(stack: QUndoStack, store: Store, step_id: str, start: MonthKey | str | None,
                  end: MonthKey | str | None, text: str | None = None) -> bool:
    return bool(perform(stack, store, text or _("Move step bar"),
                        lambda: dp.set_step_span(store, step_id, start, end)))


def delete_step(stack: QUndoStack, store: Store, step_id: str) -> None:
    perform(stack, store, _("Delete step"), lambda: dp.delete_step(store, step_id))


def move_step(stack: QUndoStack, store: Store, step_id: str, index: int, activity_id: str | None = None) -> None:
    perform(stack, store, _("Move step"), lambda: dp.move_step(store, step_id, index, activity_id))


# ---------------------------------------------------------------- KPIs and rounds

def add_kpi(stack: QUndoStack, store: Store, plan_id: str, dimension: str, text: str, **fields: Any) -> str:
    return perform(stack, store, _("Add KPI"), lambda: dp.add_kpi(store, plan_id, dimension, text, **fields))


def update_kpi(stack: QUndoStack, store: Store, kpi_id: str, **values: Any) -> bool:
    return bool(perform(stack, store, _("Edit KPI"), lambda: dp.update_kpi(store, kpi_id, **values)))


def delete_kpi(stack: QUndoStack, store: Store, kpi_id: str) -> None:
    perform(stack, store, _("Delete KPI"), lambda: dp.delete_kpi(store, kpi_id))


def move_kpi(stack: QUndoStack, store: Store, kpi_id: str, index: int, dimension: str | None = None) -> None:
    perform(stack, store, _("Move KPI"), lambda: dp.move_kpi(store, kpi_id, index, dimension))


def set_kpi_result(stack: QUndoStack, store: Store, kpi_id: str, rnd: int, actual: Any) -> None:
    """Record a round's result; an empty value clears it."""
    text = _("Result of round {round}").format(round=rnd)
    if actual is None or str(actual).strip() == "":
        perform(stack, store, text, lambda: dp.clear_kpi_result(store, kpi_id, rnd))
    else:
        perform(stack, store, text, lambda: dp.set_kpi_result(store, kpi_id, rnd, actual))


def set_step_progress(stack: QUndoStack, store: Store, step_id: str, rnd: int, **values: Any) -> None:
    perform(stack, store, _("Progress in round {round}").format(round=rnd),
            lambda: dp.set_step_progress(store, step_id, rnd, **values))


# ---------------------------------------------------------------- approvals

def approve_plan(stack: QUndoStack, store: Store, plan_id: str, signer_name: str, position_lines: Any,
                 signed_on: Any = None) -> str:
    return perform(stack, store, _("Approve development plan"),
                   lambda: dp.approve_plan(store, plan_id, signer_name, position_lines, signed_on))


def withdraw_approval(stack: QUndoStack, store: Store, approval_id: str) -> None:
    perform(stack, store, _("Withdraw approval"), lambda: dp.withdraw_approval(store, approval_id))
