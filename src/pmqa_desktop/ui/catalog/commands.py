"""Undoable edits of the criteria catalog and the owners, over the core (each one through
``ui.common.undo.perform``: one transaction, one undo step, nothing changed when refused).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoStack

from ...core.errors import ValidationError
from ...core.storage import planning
from ...core.storage.store import Store
from ...i18n import _
from ..common.undo import perform


# ---------------------------------------------------------------- catalog

def add_criterion(stack: QUndoStack, store: Store, category_id: str, code: str, short_name: str = "",
                  full_text: str = "", group_title: str = "", after_id: str | None = None) -> str:
    return perform(stack, store, _("Add criterion {code}").format(code=planning.normalise_code(code)),
                   lambda: planning.add_criterion(store, category_id, code, short_name, full_text,
                                                  group_title, after_id))


def edit_criterion(stack: QUndoStack, store: Store, criterion_id: str, **values: Any) -> bool:
    """Rename (short name, full text, group title) and/or renumber (code) a criterion."""
    crit = store.get("criterion", criterion_id)
    if crit is None:
        raise ValidationError(_("This criterion no longer exists."))
    if "short_name" in values and not (values["short_name"] or "").strip():
        raise ValidationError(_("A criterion needs a short name."))
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    if "code" in values and planning.normalise_code(values["code"]) != crit["code"]:
        text = _("Renumber {old} as {new}").format(old=crit["code"], new=planning.normalise_code(values["code"]))
    else:
        text = _("Edit criterion {code}").format(code=crit["code"])
    return bool(perform(stack, store, text, lambda: planning.update_criterion(store, criterion_id, **values)))


def move_criterion(stack: QUndoStack, store: Store, criterion_id: str, delta: int) -> bool:
    """Move a criterion up (-1) or down (+1) within its หมวด; False at either end."""
    crit = store.get("criterion", criterion_id)
    if crit is None:
        return False
    siblings = planning.criteria(store, crit["category_id"], include_retired=True)
    idx = next(i for i, c in enumerate(siblings) if c["id"] == criterion_id)
    j = idx + delta
    if not 0 <= j < len(siblings):
        return False
    other = siblings[j]

    def swap() -> None:
        a, b = crit["sort_key"], other["sort_key"]
        if a == b:
            b = a + (0.5 if delta > 0 else -0.5)
            a, b = b, a
        store.update("criterion", criterion_id, {"sort_key": b})
        store.update("criterion", other["id"], {"sort_key": a})

    text = (_("Move {code} up") if delta < 0 else _("Move {code} down")).format(code=crit["code"])
    perform(stack, store, text, swap)
    return True


def set_retired(stack: QUndoStack, store: Store, criterion_id: str, retired: bool) -> bool:
    crit = store.get("criterion", criterion_id)
    if crit is None or bool(crit["retired"]) == retired:
        return False
    if not retired:
        clash = planning.criteria_by_code(store).get(crit["code"])
        if clash and clash["id"] != criterion_id and not clash["retired"]:
            raise ValidationError(_("Criterion {code} already exists; change this one's code first.").format(
                code=crit["code"]))
    text = (_("Retire {code}") if retired else _("Bring back {code}")).format(code=crit["code"])
    perform(stack, store, text, lambda: store.update("criterion", criterion_id, {"retired": int(retired)}))
    return True


# ---------------------------------------------------------------- owners

def save_owner(stack: QUndoStack, store: Store, year_id: str, criterion_id: str, values: dict[str, str],
               what: str = "") -> bool:
    """Validate and store a criterion's owner for one year; False when nothing changed.
    ``what`` names the field edited, for the undo menu."""
    planning.validate_owner(values)
    crit = store.get("criterion", criterion_id)
    code = crit["code"] if crit else ""
    current = planning.owner(store, year_id, criterion_id)
    clean = {k: (values.get(k) or "").strip() for k in planning.OWNER_FIELDS}
    if current and all((current.get(k) or "") == v for k, v in clean.items()):
        return False
    if not current and not any(clean.values()):
        return False
    text = _("Owner of {code}").format(code=code)
    perform(stack, store, f"{text}: {what}" if what else text,
            lambda: planning.set_owner(store, year_id, criterion_id, clean))
    return True
