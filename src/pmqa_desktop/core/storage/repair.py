"""After a merge (and when a version-1 file is taken to version 2): one live row per natural key, and no live row under a deleted parent.

Two offices may both create "the same thing" (an organisation's fiscal year, a criterion's owner
for a year, a step's month cell, a KPI's round result...), and one office may add rows under a
parent that another office deleted. Merging row by row (by id) would leave two live rows for one
thing, or rows live under a tombstone, saved but never shown. This pass, run in the merge's
transaction over the rows the merge took, settles both:

* **Twins** (live rows of one natural key): the row with the smallest id stays; it takes the
  newer edit's values (``updated_at``, office, rev, as every conflict); the other row becomes a
  tombstone, its version stays in the history, and a conflict is listed where the values
  differed. Children of both end up under the one that stays (next point).
* **Live rows under a tombstone**: if the parent was a twin that went, they move under the twin
  that stayed; otherwise the parent is brought back (its other deleted children stay deleted)
  and listed among the conflicts, whose "swap" deletes it again.

Every version written here is derived only from the versions it settles (its revision is a hash
of theirs, its time stamp just after theirs), so two offices settling the same rows write the
very same versions, and files merged in any order end alike.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from . import schema

own_columns = schema.own_columns

# table -> the columns that make one row "the same thing" (the parent link first when there is one)
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "organisation": ("parent_id", "name"),
    "fiscal_year": ("org_id", "year_be"),
    "criterion_owner": ("year_id", "criterion_id"),
    "calendar_cell": ("step_id", "month"),
    "weekly_activity": ("row_id", "month", "week"),
    "kpi_result": ("kpi_id", "round"),
    "step_progress": ("step_id", "round"),
    "plan_approval": ("plan_id", "revision"),
}

# natural keys whose index holds only the parent column (NOT NULL there), a parent with many rows
_BY_PARENT = ("weekly_activity",)


def parent_column(table: str) -> str | None:
    """The parent column a mark's SQL may give beside the ids (as ``up``) for ``table``: the
    twins of its rows are looked for under these parents, not each row's read again (None: ids
    only)."""
    return NATURAL_KEYS[table][0] if table in _BY_PARENT else None


_TOUCHED = ("CREATE TEMP TABLE IF NOT EXISTS repair_touched(tbl TEXT NOT NULL, id TEXT NOT NULL, up TEXT, "
            "PRIMARY KEY (tbl, id)) WITHOUT ROWID")

# touched rows of a table from which its orphans are looked for from the deleted parents (when few)
_FEW_DELETED_FROM = 1000

_TS = "%Y-%m-%dT%H:%M:%S.%fZ"
_BOOK = ("id", "rev", "updated_at", "office", "clerk", "deleted")


def _topological() -> list[str]:
    depth: dict[str, int] = {}

    def d(t: str) -> int:
        if t not in depth:
            depth[t] = 0 if t not in schema.PARENTS else d(schema.PARENTS[t][0]) + 1
        return depth[t]
    return sorted(schema.SYNCED_TABLES, key=lambda t: (d(t), schema.SYNCED_TABLES.index(t)))


TOPOLOGICAL = _topological()
_CHILDREN = {t: [(c, fk) for c, (p, fk) in schema.PARENTS.items() if p == t] for t in schema.SYNCED_TABLES}


@dataclass
class Settled:
    """What the pass did: conflicts to list (table, row id, kept rev, other rev) and counts."""
    conflicts: list[tuple[str, str, str, str]] = field(default_factory=list)
    twins: int = 0
    moved: int = 0
    restored: list[tuple[str, str]] = field(default_factory=list)
    max_clock: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.twins or self.moved or self.restored)


def _after(*stamps: str) -> str:
    """A time stamp just after the latest of ``stamps`` (derived, so every office writes the same)."""
    latest = max((s for s in stamps if isinstance(s, str)), default="")
    try:
        return (datetime.strptime(latest, _TS) + timedelta(microseconds=1)).strftime(_TS)
    except ValueError:
        return latest


def _rev(action: str, *parts: str) -> str:
    return hashlib.sha1("\x1f".join((action, *map(str, parts))).encode("utf-8")).hexdigest()[:32]


def _key(row: dict[str, Any]) -> tuple[str, str, str]:
    return tuple(v if isinstance(v, str) else str(v or "") for v in (row["updated_at"], row["office"], row["rev"]))


class _Pass:
    def __init__(self, store: Any):
        self.store = store
        self.conn = store.conn
        self.out = Settled()

    # -------------------------------------------------------------- touched rows
    def touch(self, table: str, ids) -> None:
        # (a parent noted with a mark is forgotten: the row is read again, as written now)
        self.conn.executemany("INSERT INTO temp.repair_touched(tbl, id) VALUES (?, ?) "
                              "ON CONFLICT (tbl, id) DO UPDATE SET up = NULL", ((table, i) for i in ids))

    def _rows(self, sql: str, params=()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def _write(self, table: str, old: dict[str, Any], values: dict[str, Any], rev: str, at: str) -> str:
        """A derived version of ``old``: the old one into the history, the new one in place."""
        self.store._keep_history(table, old)
        record = {**values, "rev": rev, "updated_at": at}
        sets = ", ".join(f"{k} = ?" for k in record)
        self.conn.execute(f"UPDATE main.{table} SET {sets} WHERE id = ?", [*record.values(), old["id"]])
        self.store.note_change(table, old["id"], "merge")
        self.touch(table, [old["id"]])
        if at > self.out.max_clock:
            self.out.max_clock = at
        return rev

    # -------------------------------------------------------------- the two rules
    def orphans(self, table: str) -> bool:
        """Live rows of ``table`` under a deleted parent: moved to the parent's live twin, or the
        parent brought back. Returns True when a parent was brought back (its own parent may now
        need the same)."""
        if table not in schema.PARENTS:
            return False
        parent, fk = schema.PARENTS[table]
        # (driven by the touched rows: a large file has hundreds of thousands of others; or, when
        # the deleted parents are far fewer than the touched rows, by them: a whole agency's
        # file merged touches ten thousand weekly activities, under a handful of deleted rows)
        under = (f"SELECT c.* FROM main.{parent} p CROSS JOIN main.{table} c ON c.{fk} = p.id "
                 f"WHERE p.deleted <> 0 AND c.deleted = 0 AND EXISTS (SELECT 1 FROM temp.repair_touched t "
                 f"WHERE t.tbl = ? AND t.id = c.id) " if self._few_deleted(table, parent) else
                 f"SELECT c.* FROM temp.repair_touched t CROSS JOIN main.{table} c ON c.id = t.id "
                 f"CROSS JOIN main.{parent} p ON p.id = c.{fk} WHERE t.tbl = ? AND c.deleted = 0 AND p.deleted <> 0 ")
        rows = self._rows(
            f"{under}"
            f"UNION SELECT c.* FROM temp.repair_touched t CROSS JOIN main.{parent} p ON p.id = t.id "
            f"CROSS JOIN main.{table} c ON c.{fk} = p.id WHERE t.tbl = ? AND p.deleted <> 0 AND c.deleted = 0 "
            f"ORDER BY 1", (table, parent))
        restored = False
        for row in rows:
            p = self._rows(f"SELECT * FROM main.{parent} WHERE id = ?", (row[fk],))[0]
            if p["deleted"] == 0:   # (brought back for an earlier row)
                continue
            twin = self._twin(parent, p)
            if twin is not None:
                old = row
                self._write(table, old, {fk: twin["id"]}, _rev("move", old["rev"], twin["id"]),
                            _after(old["updated_at"], twin["updated_at"]))
                self.out.moved += 1
            else:
                new = self._write(parent, p, {"deleted": 0}, _rev("restore", p["rev"]), _after(p["updated_at"]))
                self.out.restored.append((parent, p["id"]))
                self.out.conflicts.append((parent, p["id"], new, p["rev"]))
                restored = True
        return restored

    def _few_deleted(self, table: str, parent: str) -> bool:
        """Whether the deleted rows of ``parent`` are far fewer than the touched rows of ``table``
        (its children, each with an index on its parent column): then reading them (one pass over
        ``parent``) is cheaper than looking up every touched row and its parent."""
        touched = self.conn.execute("SELECT count(*) FROM temp.repair_touched WHERE tbl = ?", (table,)).fetchone()[0]
        if touched < _FEW_DELETED_FROM:
            return False
        few = touched // 32
        return self.conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM main.{parent} WHERE deleted <> 0 "
                                 f"LIMIT ?)", (few + 1,)).fetchone()[0] <= few

    def _twin(self, table: str, row: dict[str, Any]) -> dict[str, Any] | None:
        cols = NATURAL_KEYS.get(table)
        if not cols:
            return None
        hits = self._rows(f"SELECT * FROM main.{table} WHERE deleted = 0 AND id <> ? AND "
                          + " AND ".join(f"{c} IS ?" for c in cols) + " ORDER BY id LIMIT 1",
                          (row["id"], *[row[c] for c in cols]))
        return hits[0] if hits else None

    def twins(self, table: str) -> None:
        cols = NATURAL_KEYS.get(table)
        if not cols:
            return
        on = " AND ".join(f"x.{c} IS k.{c}" for c in cols)
        # the keys held by more than one live row are found in SQL; only their rows come back
        # (a roll-up touches every row of 35 agencies' files, nearly none of them twins)
        if table in _BY_PARENT:
            # its index holds the parent only: each touched parent's rows are grouped once (not
            # all of a parent's rows searched again for every touched row under it); of the keys
            # held twice, those with a live touched row. A touched row's parent is the one its
            # mark noted (the row as the merge wrote it; a few more parents than the live rows'
            # only add keys no live touched row holds), else the row is read
            parent = cols[0]
            twinned = (f"SELECT {', '.join('x.' + c for c in cols)} FROM main.{table} x "
                       f"WHERE x.deleted = 0 AND x.{parent} IN (SELECT t.up FROM temp.repair_touched t "
                       f"WHERE t.tbl = ?1 AND t.up IS NOT NULL UNION ALL SELECT y.{parent} "
                       f"FROM temp.repair_touched t CROSS JOIN main.{table} y ON y.id = t.id "
                       f"WHERE t.tbl = ?1 AND t.up IS NULL AND y.deleted = 0) "
                       f"GROUP BY {', '.join('x.' + c for c in cols)} HAVING count(*) > 1")
            twinned = (f"SELECT * FROM ({twinned}) k WHERE EXISTS (SELECT 1 FROM main.{table} x "
                       f"CROSS JOIN temp.repair_touched t ON t.tbl = ?1 AND t.id = x.id "
                       f"WHERE x.deleted = 0 AND {on})")
        else:
            touched = (f"SELECT DISTINCT {', '.join('y.' + c for c in cols)} FROM temp.repair_touched t "
                       f"CROSS JOIN main.{table} y ON y.id = t.id WHERE t.tbl = ?1 AND y.deleted = 0")
            twinned = (f"SELECT {', '.join('k.' + c for c in cols)} FROM ({touched}) k CROSS JOIN main.{table} x "
                       f"ON {on} WHERE x.deleted = 0 GROUP BY {', '.join('k.' + c for c in cols)} "
                       f"HAVING count(*) > 1")
        rows = self._rows(
            f"SELECT x.* FROM ({twinned}) k CROSS JOIN main.{table} x ON {on} "
            f"WHERE x.deleted = 0 ORDER BY {', '.join('x.' + c for c in cols)}, x.id", (table,))
        groups: dict[tuple, list[dict[str, Any]]] = {}
        for r in rows:
            groups.setdefault(tuple(r[c] for c in cols), []).append(r)
        own = own_columns(table)
        for group in groups.values():
            if len(group) < 2:
                continue
            keep = group[0]
            for other in group[1:]:
                self.out.twins += 1
                at = _after(keep["updated_at"], other["updated_at"])
                differs = any(keep[c] != other[c] for c in own)
                self._write(table, other, {"deleted": 1}, _rev("twin-of", other["rev"], keep["rev"]), at)
                # the children of the row that went follow to the one that stays (``orphans``)
                if differs:
                    if _key(other) > _key(keep):   # the newer edit's values stay, as in every conflict
                        values = {c: other[c] for c in own}
                        new_rev = self._write(table, keep, values, _rev("twin-take", keep["rev"], other["rev"]), at)
                        self.out.conflicts.append((table, keep["id"], new_rev, keep["rev"]))
                        keep = {**keep, **values, "rev": new_rev, "updated_at": at}
                    else:
                        self.out.conflicts.append((table, keep["id"], keep["rev"], other["rev"]))

    def run(self) -> Settled:
        for _round in range(len(TOPOLOGICAL) + 1):
            again = False
            for table in TOPOLOGICAL:
                again = self.orphans(table) or again
                self.twins(table)
            if not again:
                break
        return self.out


def mark(store: Any, sql: dict[str, str]) -> None:
    """Note the rows to settle (table -> SQL giving their ids) before they are written: a merge
    marks the rows whose natural key, parent or deleted mark it is about to change. The SQL may
    give, as ``up``, each row's parent column (``parent_column``) as the merge writes it."""
    conn = store.conn
    conn.execute(_TOUCHED)
    conn.execute("DELETE FROM temp.repair_touched")
    for t, q in sql.items():
        if "up" in [d[0] for d in conn.execute(f"SELECT * FROM ({q}) LIMIT 0").description]:
            conn.execute(f"INSERT INTO temp.repair_touched(tbl, id, up) SELECT '{t}', id, up FROM ({q}) WHERE 1 "
                         f"{_UP_CONFLICT}")
        else:
            conn.execute(f"INSERT OR IGNORE INTO temp.repair_touched(tbl, id) SELECT '{t}', id FROM ({q})")


# a row marked twice with two parents: neither is trusted (the row is read again)
_UP_CONFLICT = "ON CONFLICT (tbl, id) DO UPDATE SET up = NULL WHERE up IS NOT excluded.up"


def mark_rows(store: Any, table: str, rows: list[tuple]) -> None:
    """Note more rows to settle after ``mark``, given as they were read: (id,) or, for a table with
    a ``parent_column``, (id, parent) as ``mark``'s ``up``; the same rules as ``mark``."""
    if not rows:
        return
    if len(rows[0]) > 1:
        store.conn.executemany(f"INSERT INTO temp.repair_touched(tbl, id, up) VALUES (?, ?, ?) {_UP_CONFLICT}",
                               [(table, *row) for row in rows])
    else:
        store.conn.executemany("INSERT OR IGNORE INTO temp.repair_touched(tbl, id) VALUES (?, ?)",
                               [(table, row[0]) for row in rows])


def key_columns(table: str) -> list[str]:
    """The columns whose change can make a twin or an orphan: natural key, parent link, deleted."""
    cols = list(NATURAL_KEYS.get(table, ()))
    if table in schema.PARENTS and schema.PARENTS[table][1] not in cols:
        cols.append(schema.PARENTS[table][1])
    return cols + ["deleted"]


def settle(store: Any, touched: dict[str, Any] | None = None, *, sql: dict[str, str] | None = None,
           marked: bool = False) -> Settled:
    """Settle twins and orphans among the rows ``touched`` (table -> ids), selected by ``sql``
    (table -> SQL giving ids) or ``marked`` before, or among all rows when none is given.
    Call inside a transaction."""
    conn = store.conn
    conn.execute(_TOUCHED)
    if not marked:
        conn.execute("DELETE FROM temp.repair_touched")
    p = _Pass(store)
    if touched is None and sql is None and not marked:
        for t in schema.SYNCED_TABLES:
            conn.execute(f"INSERT OR IGNORE INTO temp.repair_touched(tbl, id) SELECT '{t}', id FROM main.{t}")
    for t, ids in (touched or {}).items():
        p.touch(t, ids)
    for t, q in (sql or {}).items():   # (rows also marked with a parent: read again, as written now)
        conn.execute(f"INSERT INTO temp.repair_touched(tbl, id) SELECT '{t}', id FROM ({q}) WHERE 1 "
                     f"ON CONFLICT (tbl, id) DO UPDATE SET up = NULL")
    try:
        return p.run()
    finally:
        conn.execute("DELETE FROM temp.repair_touched")



MIGRATION_SOURCE = "schema 2"   # the conflicts' source when a version-1 file is taken forward
