"""Reading a row's or a cell's history, and restoring an older value.

Every version of a row (current, and superseded ones in ``history``, whether edited here or
merged in from another office) carries who changed it (office, clerk) and when.
"""
from __future__ import annotations

import json
from typing import Any

from ...i18n import _
from ..errors import UserError
from ..storage import schema
from ..storage.store import Store, own_columns


def _check_table(table: str, column: str | None = None) -> None:
    if table not in schema.TABLES:
        raise UserError(_("Unknown table {table}.").format(table=table))
    if column is not None and column not in own_columns(table):
        raise UserError(_("Unknown column {column}.").format(column=column))


def row_history(store: Store, table: str, row_id: str) -> list[dict[str, Any]]:
    """Every version of a row, newest first: rev, updated_at, office, clerk, deleted, data, current."""
    _check_table(table)
    out: list[dict[str, Any]] = []
    cur = store.get(table, row_id, include_deleted=True)
    if cur is not None:
        out.append({"rev": cur["rev"], "updated_at": cur["updated_at"], "office": cur["office"],
                    "clerk": cur["clerk"], "deleted": cur["deleted"],
                    # (an older file opened read-only lacks the columns later versions added)
                    "data": {k: cur[k] for k in own_columns(table) if k in cur}, "current": True})
    for h in store.history_of(table, row_id):
        if cur is not None and h["rev"] == cur["rev"]:
            continue
        out.append({"rev": h["rev"], "updated_at": h["updated_at"], "office": h["office"], "clerk": h["clerk"],
                    "deleted": h["deleted"], "data": h["data"], "current": False})
    out.sort(key=lambda v: (v["current"], v["updated_at"], v["rev"]), reverse=True)
    return out


def cell_history(store: Store, table: str, row_id: str, column: str) -> list[dict[str, Any]]:
    """The distinct values a cell has had, newest first, each with who set it and when.

    Each entry: value, updated_at, office, clerk, rev (of the version that set it), current.
    """
    _check_table(table, column)
    versions = sorted(row_history(store, table, row_id), key=lambda v: (v["updated_at"], v["current"]))
    changes: list[dict[str, Any]] = []
    previous = object()
    for v in versions:  # oldest first: a change is where the value differs from the version before
        value = v["data"].get(column)
        if value != previous:
            changes.append({"value": value, "updated_at": v["updated_at"], "office": v["office"],
                            "clerk": v["clerk"], "rev": v["rev"], "current": False})
            previous = value
    current_value = versions[-1]["data"].get(column) if versions else None
    cur = next((v for v in versions if v["current"]), None)
    if cur is not None:
        current_value = cur["data"].get(column)
    seen: set = set()
    out = []
    for c in reversed(changes):  # newest first, each value once (its latest setting)
        key = json.dumps(c["value"], ensure_ascii=False, sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        c["current"] = c["value"] == current_value
        out.append(c)
    return out


def restore_value(store: Store, table: str, row_id: str, column: str, value: Any) -> bool:
    """Put an older value back into a cell, as a new edit; False when it is already the value."""
    _check_table(table, column)
    if store.get(table, row_id, include_deleted=True) is None:
        raise UserError(_("That row no longer exists."))
    return store.update(table, row_id, {column: value})


def restore_version(store: Store, table: str, row_id: str, rev: str) -> bool:
    """Put a whole older version of a row back (all its columns), as a new edit."""
    _check_table(table)
    hist = [v for v in row_history(store, table, row_id) if v["rev"] == rev]
    if not hist:
        raise UserError(_("That version is no longer in the history."))
    v = hist[0]
    with store.transaction():
        changed = store.update(table, row_id, {k: v["data"][k] for k in own_columns(table) if k in v["data"]})
        cur = store.get(table, row_id, include_deleted=True)
        if bool(v["deleted"]) != bool(cur["deleted"]):
            (store.delete if v["deleted"] else store.undelete)(table, row_id)
            changed = True
    return changed


def recent_changes(store: Store, limit: int = 200) -> list[dict[str, Any]]:
    """The latest edits of the file, newest first: each superseded version and the version that
    replaced it (the next one in time), with who made that change and when.

    Entries: table, row_id, rev (old version), old (data), old_deleted, new (data of the next
    version), new_deleted, updated_at/office/clerk (of the change, i.e. the next version),
    columns (that the change touched), current (the row now).
    """
    rows = store.query("SELECT * FROM history ORDER BY updated_at DESC LIMIT ?", (int(limit),))
    versions_of: dict[tuple[str, str], list[dict[str, Any]]] = {}
    out = []
    for h in rows:
        table = h["table_name"]
        if table not in schema.TABLES:
            continue
        try:
            old = json.loads(h["data"])
        except ValueError:
            continue
        key = (table, h["row_id"])
        if key not in versions_of:
            versions_of[key] = sorted(row_history(store, table, h["row_id"]),
                                      key=lambda v: (v["updated_at"], v["current"]))
        later = [v for v in versions_of[key] if v["rev"] != h["rev"] and
                 (v["updated_at"], v["current"]) >= (h["updated_at"], False)]
        nxt = later[0] if later else None
        if nxt is None:
            continue
        cols = [k for k in own_columns(table) if nxt["data"].get(k) != old.get(k)]
        cur = store.get(table, h["row_id"], include_deleted=True)
        out.append({"table": table, "row_id": h["row_id"], "rev": h["rev"], "old": old,
                    "old_deleted": h["deleted"], "new": nxt["data"], "new_deleted": nxt["deleted"],
                    "updated_at": nxt["updated_at"], "office": nxt["office"], "clerk": nxt["clerk"],
                    "columns": cols, "current": cur})
    return out
