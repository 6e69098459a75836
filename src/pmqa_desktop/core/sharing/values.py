"""Every value of an incoming file checked against its column before anything is merged.

SQLite stores any value in any column (a blob in a text column, text in a number column), and a
crafted or damaged-by-hand file may leave out a parent or hold a huge text. Such a file is
refused by the merge with the first faults named, and ``check`` reports the same faults.
The checks are SQL over the file itself (one query per table and fault kind), so a clean
file costs a few scans of indexed columns.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from ...i18n import _, ngettext
from ..storage import schema
from .labels import table_label

MAX_TEXT = 2_000_000        # characters in one ordinary text value (a clerk may paste a whole document)
MAX_LONG_TEXT = 50_000_000   # an approval's frozen snapshot of its plan, a KPI's milestones
_LONG = {("plan_approval", "snapshot"), ("kpi", "milestones")}
MAX_KEY = 64                # an id, a revision, a time stamp

# references besides the parent links: (table, column) -> referenced table
EXTRA_REFERENCES = {
    ("organisation", "parent_id"): "organisation",
    ("weekly_row", "criterion_id"): "criterion",
    ("dev_plan", "category_id"): "category",
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str      # TEXT, INTEGER or REAL
    not_null: bool


def _columns(table: str) -> list[Column]:
    cols = [Column("id", "TEXT", True), Column("rev", "TEXT", True), Column("updated_at", "TEXT", True),
            Column("office", "TEXT", True), Column("clerk", "TEXT", True), Column("deleted", "INTEGER", True)]
    for part in re.split(r",\s*(?![^()]*\))", schema.column_defs(table)):
        words = part.split()
        if len(words) >= 2:
            cols.append(Column(words[0], words[1].upper(), "NOT NULL" in part.upper()))
    return cols


COLUMNS = {t: _columns(t) for t in schema.SYNCED_TABLES}
_ADDED = {t for _v, t, _d in schema.ADDED_COLUMNS}


def references(table: str) -> list[tuple[str, str]]:
    """(column, referenced table) of a table's rows."""
    out = []
    if table in schema.PARENTS:
        parent, fk = schema.PARENTS[table]
        out.append((fk, parent))
    out.extend((col, ref) for (t, col), ref in EXTRA_REFERENCES.items() if t == table)
    return out


@dataclass
class ValueFault:
    table: str
    row_id: str
    column: str
    what: str   # a sentence part for the clerk

    def describe(self) -> str:
        return _("{table}, row {row}, {column}: {what}").format(
            table=table_label(self.table), row=str(self.row_id)[:12], column=self.column, what=self.what)


def _type_ok(col: Column, expr: str) -> str:
    allowed = {"TEXT": "'text'", "INTEGER": "'integer'", "REAL": "'real', 'integer'"}[col.kind]
    if not col.not_null:
        allowed += ", 'null'"
    return f"typeof({expr}) IN ({allowed})"


def _type_name(kind: str) -> str:
    return {"TEXT": _("text"), "INTEGER": _("a whole number"), "REAL": _("a number")}[kind]


def _found_name(sqlite_type: str) -> str:
    return {"blob": _("binary data"), "null": _("nothing (empty)"), "text": _("text"),
            "integer": _("a whole number"), "real": _("a decimal number")}.get(sqlite_type, sqlite_type)


def value_faults(conn: sqlite3.Connection, db: str = "main", *, rows: dict[str, str] | None = None,
                 also: str | None = None, limit: int = 20) -> list[ValueFault]:
    """The faults of ``db``'s synced rows (at most ``limit``).

    ``rows``: table -> SQL selecting the rowids to check (the rows a merge would take); all rows
    when None. A reference is sound when the referenced row is in ``db`` or in ``also`` (our own
    file, for a merge)."""
    faults: list[ValueFault] = []
    for table in schema.SYNCED_TABLES:
        if len(faults) >= limit:
            break
        src = f"{db}.{table} r"
        if rows is not None:
            if table not in rows:
                continue
            src += f" WHERE r.rowid IN ({rows[table]})"
        cols = COLUMNS[table]
        if table in _ADDED:   # an older file (checked before it is taken forward) lacks later columns
            present = {r[1] for r in conn.execute(f"PRAGMA {db}.table_info({table})")}
            cols = [c for c in cols if c.name in present]
        checks = []
        for c in cols:
            e = f"r.{c.name}"
            checks.append((c.name, f"NOT ({_type_ok(c, e)})", "type"))
            if c.kind == "TEXT":
                n = MAX_KEY if c.name in ("id", "rev", "updated_at") else (
                    MAX_LONG_TEXT if (table, c.name) in _LONG else MAX_TEXT)
                checks.append((c.name, f"typeof({e}) = 'text' AND length({e}) > {n}", f"size:{n}"))
        checks.append(("deleted", "typeof(r.deleted) = 'integer' AND r.deleted NOT IN (0, 1)", "flag"))
        for fk, ref in references(table):
            there = f"EXISTS (SELECT 1 FROM {db}.{ref} p WHERE p.id = r.{fk})"
            if also:
                there += f" OR EXISTS (SELECT 1 FROM {also}.{ref} p WHERE p.id = r.{fk})"
            checks.append((fk, f"r.{fk} IS NOT NULL AND NOT ({there})", f"ref:{ref}"))
        where = " OR ".join(f"({sql})" for _c, sql, _k in checks)
        cases = ", ".join(f"CASE WHEN {sql} THEN 1 ELSE 0 END" for _c, sql, _k in checks)
        found_types = ", ".join(f"typeof(r.{c.name})" for c in cols)
        sql = (f"SELECT r.id, {cases}, {found_types} FROM {src} "
               + ("AND" if rows is not None else "WHERE") + f" ({where}) LIMIT {int(limit - len(faults))}")
        for row in conn.execute(sql):
            rid = row[0]
            flags = row[1:1 + len(checks)]
            types = dict(zip([c.name for c in cols], row[1 + len(checks):]))
            by_name = {c.name: c for c in cols}
            for (col, _sql, kind), bad in zip(checks, flags):
                if not bad:
                    continue
                if kind == "type":
                    c = by_name[col]
                    what = _("must be {expected} but holds {found}").format(
                        expected=_type_name(c.kind), found=_found_name(types[col]))
                elif kind.startswith("size:"):
                    size = int(kind.split(":")[1])
                    what = ngettext("is longer than {n} character", "is longer than {n} characters", size).format(n=size)
                elif kind == "flag":
                    what = _("the deleted mark must be 0 or 1")
                else:
                    what = _("refers to a row of {table} that does not exist").format(
                        table=table_label(kind.split(":")[1]))
                faults.append(ValueFault(table, rid if isinstance(rid, str) else repr(rid), col, what))
                break
    return faults


def faults_message(name: str, faults: list[ValueFault], merging: bool) -> tuple[str, str]:
    """(message, detail) for a file whose values do not fit."""
    if merging:
        msg = _("{name} cannot be merged: some of its values do not fit their columns (the file was "
                "damaged or made by another program). Nothing was changed.").format(name=name)
    else:
        msg = _("{name} holds values that do not fit their columns (the file was damaged or made by "
                "another program); it cannot be merged.").format(name=name)
    return msg, "\n".join(f.describe() for f in faults[:10])
