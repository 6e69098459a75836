"""Merging another office's file into this one, with nothing lost.

Every synced row is compared by id. For a row present on both sides with different
revisions, the *ancestry* of a version is its row's history (superseded versions, here or
merged in earlier):

* only in the incoming file            -> added
* incoming rev in local ancestry       -> local is newer, kept
* local rev in incoming ancestry       -> fast-forward: the incoming version is taken
* otherwise (both changed since they last met) -> a conflict: the newer edit wins
  (``updated_at``, then office, then rev, so A into B and B into A end alike), the other
  version goes to ``history`` and a ``conflict`` row lets the clerk review and swap it.

Deletions travel as tombstones (deleted = 1 versions). The history tables are united, so
every value ever written stays either current or in history. All changes are applied in
one transaction after a backup; a second merge of the same file changes nothing.
The incoming file is checked and read from a private copy (see ``safety``); only our own
tables and columns are read, and every value is bound as a parameter.
"""
from __future__ import annotations

import atexit
import contextlib
import json
import re
import sqlite3
import threading
import weakref
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ...i18n import _
from ..errors import NewerFileError, UserError
from ..storage import schema
from ..storage.store import Change, Store, new_id, now_iso, own_columns
from .faults import fault_point
from .safety import open_incoming, verify_schema

KINDS = ("add", "change", "delete", "conflict")
_HIST_COLS = "rev, table_name, row_id, parent_rev, data, updated_at, office, clerk, deleted"


@dataclass
class Counts:
    add: int = 0
    change: int = 0
    delete: int = 0
    conflict: int = 0

    def total(self) -> int:
        return self.add + self.change + self.delete + self.conflict

    def plus(self, other: "Counts") -> None:
        for k in KINDS:
            setattr(self, k, getattr(self, k) + getattr(other, k))


@dataclass
class GroupReport:
    key: tuple
    label: str
    tables: dict[str, Counts] = field(default_factory=dict)

    def totals(self) -> Counts:
        c = Counts()
        for t in self.tables.values():
            c.plus(t)
        return c


@dataclass
class ConflictInfo:
    table: str
    row_id: str
    kept_rev: str
    other_rev: str
    incoming_won: bool
    group: str
    conflict_id: str = ""


@dataclass
class MergeReport:
    source: Path
    dry_run: bool
    groups: dict[tuple, GroupReport] = field(default_factory=dict)
    conflicts: list[ConflictInfo] = field(default_factory=list)
    history_added: int = 0
    rows_taken: int = 0
    versions_kept_aside: int = 0  # incoming versions that lost a conflict: into our history
    applied: bool = False
    backup: Path | None = None

    def totals(self) -> Counts:
        c = Counts()
        for g in self.groups.values():
            c.plus(g.totals())
        return c

    @property
    def changes_nothing(self) -> bool:
        return (self.rows_taken == 0 and self.history_added == 0 and self.versions_kept_aside == 0
                and not self.conflicts)

    def sorted_groups(self) -> list[GroupReport]:
        order = {"plan": 0, "year": 1, "general": 2}
        return sorted(self.groups.values(), key=lambda g: (order.get(g.key[0], 3), g.label))

    def lines(self) -> list[str]:
        """The summary as printed by ``pmqa-desktop merge`` (and shown before applying)."""
        t = self.totals()
        head = _("Merge of {name}: {add} added, {change} changed, {delete} deleted, {conflict} conflicts.").format(
            name=self.source.name, add=t.add, change=t.change, delete=t.delete, conflict=t.conflict)
        out = [head]
        for g in self.sorted_groups():
            gt = g.totals()
            out.append("  " + _("{label}: {add} added, {change} changed, {delete} deleted, {conflict} conflicts").format(
                label=g.label, add=gt.add, change=gt.change, delete=gt.delete, conflict=gt.conflict))
            for table, c in sorted(g.tables.items()):
                out.append("      " + _("{table}: +{add} ~{change} -{delete} !{conflict}").format(
                    table=table_label(table), add=c.add, change=c.change, delete=c.delete, conflict=c.conflict))
        if self.history_added:
            out.append(_("{n} earlier versions added to the history.").format(n=self.history_added))
        if self.changes_nothing:
            out.append(_("Nothing to merge: this file holds nothing new."))
        elif self.dry_run:
            out.append(_("Preview only: nothing was changed."))
        elif self.applied:
            out.append(_("Merged."))
        return out


def table_label(table: str) -> str:
    labels = {
        "organisation": _("organisations"), "fiscal_year": _("fiscal years"), "category": _("categories"),
        "criterion": _("criteria"), "criterion_owner": _("criterion owners"),
        "calendar_step": _("calendar steps"), "calendar_cell": _("calendar cells"),
        "weekly_row": _("weekly plan rows"), "weekly_activity": _("weekly activities"),
        "dev_plan": _("development plans"), "plan_activity": _("plan activities"), "plan_step": _("plan steps"),
        "kpi": _("KPIs"), "kpi_result": _("KPI results"), "step_progress": _("step progress"),
        "plan_approval": _("plan approvals"),
    }
    return labels.get(table, table)


# ---------------------------------------------------------------- deciding

@dataclass
class _TablePlan:
    # rowids: ``l`` in our file, ``i`` in the incoming copy (the decision is only used with the
    # same two files, see ``_Prepared``)
    take: list[tuple[int, int]] = field(default_factory=list)  # (l, i): local row replaced by the incoming version
    keep_local: list[int] = field(default_factory=list)  # l: taken rows whose local version is not in inc history
    new: list[int] = field(default_factory=list)         # i: taken rows we do not have at all
    lose: list[int] = field(default_factory=list)        # i: incoming version only into history
    counted: list[tuple[str, str, str | None]] = field(default_factory=list)  # (id, kind, parent id)
    max_clock: str = ""


def _key(updated_at: str, office: str, rev: str) -> tuple[str, str, str]:
    return (updated_at or "", office or "", rev or "")


def _decide(store: Store) -> tuple[dict[str, _TablePlan], list[ConflictInfo]]:
    conn = store.conn
    plans: dict[str, _TablePlan] = {}
    conflicts: list[ConflictInfo] = []
    for table in schema.SYNCED_TABLES:
        fk = schema.PARENTS.get(table, (None, None))[1]
        fk_sql = f"i.{fk}" if fk else "NULL"
        same = " AND ".join(f"i.{c} IS l.{c}" for c in own_columns(table) + ["deleted"])
        cur = conn.execute(
            f"SELECT i.rowid, l.rowid, i.id, i.rev, i.updated_at, i.office, i.deleted, {fk_sql}, "
            f"       l.rev, l.updated_at, l.office, l.deleted, "
            f"       EXISTS(SELECT 1 FROM main.history h WHERE h.rev = i.rev), "
            f"       CASE WHEN l.rev IS NULL THEN 0 "
            f"            ELSE EXISTS(SELECT 1 FROM inc.history h WHERE h.rev = l.rev) END, "
            f"       CASE WHEN l.rev IS NULL THEN 0 ELSE ({same}) END "
            # fast path: copies of one file keep their rowids, so most unchanged rows are found
            # by an integer-key look-up before the look-up by id
            f"FROM inc.{table} i LEFT JOIN main.{table} x ON x.rowid = i.rowid "
            f"LEFT JOIN main.{table} l ON l.id = i.id "
            f"WHERE (x.id IS NOT i.id OR x.rev IS NOT i.rev) AND l.rev IS NOT i.rev "
            # rows changed here only (we have the incoming version in our history, and they do not
            # have ours) stay as they are: left out here rather than returned and skipped
            f"AND (l.rev IS NULL OR NOT EXISTS(SELECT 1 FROM main.history h WHERE h.rev = i.rev) "
            f"     OR EXISTS(SELECT 1 FROM inc.history h WHERE h.rev = l.rev))")
        tp = _TablePlan()
        for (irow, lrow, rid, irev, iat, ioff, idel, parent, lrev, lat, loff, ldel, inc_known, loc_known,
             same_content) in cur:
            if lrev is None:
                tp.new.append(irow)
                if not idel:
                    tp.counted.append((rid, "add", parent))
                tp.max_clock = max(tp.max_clock, iat or "")
            elif inc_known and not loc_known:
                continue  # we already have this version and something newer
            elif loc_known and not inc_known:
                tp.take.append((lrow, irow))
                kind = "delete" if idel and not ldel else "change"
                tp.counted.append((rid, kind, parent))
                tp.max_clock = max(tp.max_clock, iat or "")
            else:  # both changed since they last met
                incoming_wins = _key(iat, ioff, irev) > _key(lat, loff, lrev)
                if incoming_wins:
                    tp.take.append((lrow, irow))
                    tp.keep_local.append(lrow)
                    tp.max_clock = max(tp.max_clock, iat or "")
                else:
                    tp.lose.append(irow)
                if same_content:
                    # the same content written on both sides: nothing for the clerk to review
                    continue
                tp.counted.append((rid, "conflict", parent))
                conflicts.append(ConflictInfo(table, rid, irev if incoming_wins else lrev,
                                              lrev if incoming_wins else irev, incoming_wins, ""))
        if tp.take or tp.new or tp.lose or tp.counted:
            plans[table] = tp
    return plans, conflicts


class _Grouper:
    """Which development plan (or fiscal year, or catalog) a changed row belongs to."""

    def __init__(self, store: Store):
        self.conn = store.conn
        self.maps: dict[str, dict[str, str]] = {}
        self.labels: dict[tuple, str] = {}
        self._memo: dict[tuple, tuple] = {}

    def _map(self, table: str) -> dict[str, str]:
        if table not in self.maps:
            fk = schema.PARENTS[table][1]
            m: dict[str, str] = {}
            for db in ("main", "inc"):
                m.update(self.conn.execute(f"SELECT id, {fk} FROM {db}.{table}"))
            self.maps[table] = m
        return self.maps[table]

    def parent_of(self, table: str, row_id: str) -> str | None:
        if table not in schema.PARENTS:
            return None
        fk = schema.PARENTS[table][1]
        for db in ("inc", "main"):
            row = self.conn.execute(f"SELECT {fk} FROM {db}.{table} WHERE id = ?", (row_id,)).fetchone()
            if row:
                return row[0]
        return None

    def group(self, table: str, parent: str | None, row_id: str) -> tuple:
        if table in schema.PARENTS and parent is not None and table not in ("dev_plan", "fiscal_year"):
            key = (table, parent)  # rows under the same parent belong to the same plan / year
            hit = self._memo.get(key)
            if hit is None:
                hit = self._memo[key] = self._group(table, parent, row_id)
            return hit
        return self._group(table, parent, row_id)

    def _group(self, table: str, parent: str | None, row_id: str) -> tuple:
        t, rid = table, row_id
        first = True
        while True:
            if t == "dev_plan":
                return ("plan", rid)
            if t == "fiscal_year":
                return ("year", rid)
            if t not in schema.PARENTS:
                return ("general", "catalog" if t in ("category", "criterion") else t)
            nxt = parent if first else self._map(t).get(rid)
            first = False
            if nxt is None:
                return ("general", t)
            t, rid = schema.PARENTS[t][0], nxt

    def _row(self, table: str, rid: str) -> dict[str, Any] | None:
        for db in ("inc", "main"):
            cur = self.conn.execute(f"SELECT * FROM {db}.{table} WHERE id = ?", (rid,))
            row = cur.fetchone()
            if row:
                return dict(zip([d[0] for d in cur.description], row))
        return None

    def _year_label(self, year_id: str) -> str:
        y = self._row("fiscal_year", year_id)
        if not y:
            return _("fiscal year (unknown)")
        org = self._row("organisation", y["org_id"])
        return _("{org}, fiscal year {year}").format(org=org["name"] if org else "?", year=y["year_be"])

    def label(self, key: tuple) -> str:
        if key not in self.labels:
            kind, rid = key
            if kind == "plan":
                p = self._row("dev_plan", rid)
                title = (p.get("title") or p.get("policy") or rid[:8]) if p else rid[:8]
                year = self._year_label(p["year_id"]) if p else ""
                self.labels[key] = _("Plan \u201c{title}\u201d ({year})").format(title=title, year=year)
            elif kind == "year":
                self.labels[key] = _("{year}: calendar, weekly plan and owners").format(year=self._year_label(rid))
            elif rid == "catalog":
                self.labels[key] = _("Criteria catalog")
            elif rid == "organisation":
                self.labels[key] = _("Organisations")
            else:
                self.labels[key] = table_label(rid)
        return self.labels[key]


# ---------------------------------------------------------------- applying

def _plausible_clock(ts: str) -> bool:
    """A time stamp in our format and not far in the future (a wrong clock or a crafted file must
    not push our own clock away)."""
    try:
        t = datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    except (TypeError, ValueError):
        return False
    return t <= datetime.now(timezone.utc) + timedelta(days=1)


def _indexed_columns() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for stmt in schema.INDEXES:
        m = re.search(r"\bON\s+(\w+)\s*\(([^)]*)\)", stmt)
        if m:
            out.setdefault(m.group(1), set()).update(c.strip() for c in m.group(2).split(","))
    return out


_INDEXED = _indexed_columns()  # table -> columns in one of our indexes (besides id)


def _history_rows(conn, db: str, table: str) -> list[tuple]:
    """The rows of ``db.table`` whose rowids are in ``temp.merge_rows``, as history records."""
    cols = own_columns(table)
    cur = conn.execute(f"SELECT r.* FROM temp.merge_rows t CROSS JOIN {db}.{table} r ON r.rowid = t.r")
    names = [d[0] for d in cur.description]
    out = []
    for row in cur:
        rec = dict(zip(names, row))
        data = {k: rec[k] for k in cols}
        out.append((rec["rev"], table, rec["id"], None, json.dumps(data, ensure_ascii=False),
                    rec["updated_at"], rec["office"], rec["clerk"], rec["deleted"]))
    return out


def _fill(conn, rows: list[int]) -> None:
    conn.execute("DELETE FROM temp.merge_rows")
    conn.executemany("INSERT OR IGNORE INTO temp.merge_rows(r) VALUES (?)", ((r,) for r in sorted(rows)))


def _fill_pairs(conn, pairs: list[tuple[int, int]]) -> None:
    conn.execute("DELETE FROM temp.merge_pairs")
    conn.executemany("INSERT OR IGNORE INTO temp.merge_pairs(l, i) VALUES (?, ?)", sorted(pairs))


def _apply(store: Store, plans: dict[str, _TablePlan], conflicts: list[ConflictInfo], source: str) -> int:
    conn = store.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS merge_rows(r INTEGER PRIMARY KEY)")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS merge_pairs(l INTEGER PRIMARY KEY, i INTEGER NOT NULL)")
    hist_sql = f"INSERT OR IGNORE INTO main.history ({_HIST_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    for table, tp in plans.items():
        cols = ", ".join(["id", "rev", "updated_at", "office", "clerk", "deleted"] + own_columns(table))
        if tp.keep_local:  # (a fast-forwarded local version is in the incoming history already)
            _fill(conn, tp.keep_local)
            conn.executemany(hist_sql, _history_rows(conn, "main", table))
        if tp.take:  # in place, so the row keeps its rowid (see the fast path in _decide)
            _fill_pairs(conn, tp.take)
            values = [c for c in cols.split(", ") if c != "id"]
            keys = [c for c in values if c in _INDEXED.get(table, ())]
            upd = (f"UPDATE main.{table} AS l SET {{sets}} FROM temp.merge_pairs AS p "
                   f"CROSS JOIN inc.{table} AS i ON i.rowid = p.i WHERE l.rowid = p.l AND l.id = i.id")
            if keys:
                # an indexed column in SET rewrites its index entries even when the value stays
                # the same: rows whose indexed values are unchanged (nearly all) leave them out
                same_keys = " AND ".join(f"l.{c} IS i.{c}" for c in keys)
                conn.execute(upd.format(sets=", ".join(f"{c} = i.{c}" for c in values if c not in keys))
                             + f" AND {same_keys}")
                conn.execute(upd.format(sets=", ".join(f"{c} = i.{c}" for c in values)) + f" AND NOT ({same_keys})")
            else:
                conn.execute(upd.format(sets=", ".join(f"{c} = i.{c}" for c in values)))
        if tp.new:  # with the incoming rowid where it is free here, so later comparisons are quick
            _fill(conn, tp.new)
            conn.execute(f"INSERT OR IGNORE INTO main.{table} (rowid, {cols}) SELECT i.rowid, {cols} "
                         f"FROM temp.merge_rows t CROSS JOIN inc.{table} i ON i.rowid = t.r "
                         f"WHERE NOT EXISTS (SELECT 1 FROM main.{table} x WHERE x.rowid = i.rowid)")
            conn.execute(f"INSERT OR IGNORE INTO main.{table} ({cols}) SELECT {cols} "
                         f"FROM temp.merge_rows t CROSS JOIN inc.{table} i ON i.rowid = t.r")
        if tp.take or tp.new:
            store._pending.append(Change(table, "*", "merge"))
            fault_point("merge-apply")
        if tp.lose:
            _fill(conn, tp.lose)
            conn.executemany(hist_sql, _history_rows(conn, "inc", table))
        if tp.max_clock > store.last_clock and _plausible_clock(tp.max_clock):
            store.last_clock = tp.max_clock  # later local edits sort after what they have seen
    names = ", ".join("?" for _ in schema.SYNCED_TABLES)
    before = conn.total_changes
    conn.execute(f"INSERT OR IGNORE INTO main.history ({_HIST_COLS}) SELECT {_HIST_COLS} FROM inc.history h "
                 f"WHERE NOT EXISTS (SELECT 1 FROM main.history m WHERE m.rev = h.rev) "
                 f"AND table_name IN ({names}) AND json_valid(data)", schema.SYNCED_TABLES)
    added = conn.total_changes - before
    found = now_iso()
    for c in conflicts:
        c.conflict_id = new_id()
    conn.executemany("INSERT INTO main.conflict (id, table_name, row_id, kept_rev, other_rev, found_at, source, resolved) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                     [(c.conflict_id, c.table, c.row_id, c.kept_rev, c.other_rev, found, source) for c in conflicts])
    conn.execute("DELETE FROM temp.merge_rows")
    conn.execute("DELETE FROM temp.merge_pairs")
    return added


def _count_new_history(store: Store) -> int:
    names = ", ".join("?" for _ in schema.SYNCED_TABLES)
    return store.conn.execute(
        f"SELECT count(*) FROM inc.history h WHERE NOT EXISTS (SELECT 1 FROM main.history m WHERE m.rev = h.rev) "
        f"AND h.table_name IN ({names}) AND json_valid(h.data)", schema.SYNCED_TABLES).fetchone()[0]


def _speed_up(store: Store) -> tuple[int, int]:
    """A page cache big enough for the whole merge (no spilling mid-transaction), and memory-mapped
    reads of the private incoming copy (and of our file unless it is on a network share)."""
    conn = store.conn
    saved = (conn.execute("PRAGMA main.cache_size").fetchone()[0], conn.execute("PRAGMA main.mmap_size").fetchone()[0])
    conn.execute("PRAGMA main.cache_size = -262144")   # 256 MB, allocated only as used
    conn.execute("PRAGMA inc.cache_size = -131072")
    conn.execute("PRAGMA inc.mmap_size = 1073741824")
    from .locking import is_network_path
    if store.path is not None and not is_network_path(store.path):
        conn.execute("PRAGMA main.mmap_size = 1073741824")
    return saved


def _restore_speed(store: Store, saved: tuple[int, int]) -> None:
    store.conn.execute(f"PRAGMA main.cache_size = {int(saved[0])}")
    store.conn.execute(f"PRAGMA main.mmap_size = {int(saved[1])}")


def _state(store: Store) -> tuple[int, int]:
    """Changes to our file since: our own (total_changes) and other connections' commits."""
    conn = store.conn
    return conn.total_changes, conn.execute("PRAGMA main.data_version").fetchone()[0]


def _same_bytes(a: Path, b: Path, chunk: int = 1 << 22) -> bool:
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        with open(a, "rb") as fa, open(b, "rb") as fb:
            while True:
                x = fa.read(chunk)
                if x != fb.read(chunk):
                    return False
                if not x:
                    return True
    except OSError:
        return False


def _stat_key(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino)


@dataclass
class _Prepared:
    """What a preview found, kept so that applying right after it need not check and compare again.

    It is used only for the same store, with our file unchanged since (``_state``) and the
    incoming file byte for byte the private copy that was checked and compared.
    """
    store: Any        # weakref.ref to the Store
    stat: tuple | None
    stack: contextlib.ExitStack  # owns the private copy
    copy: Path
    state: tuple[int, int]
    plans: dict[str, _TablePlan]
    conflicts: list[ConflictInfo]
    report: MergeReport

    def close(self) -> None:
        self.stack.close()


_prepared: _Prepared | None = None
_prepared_lock = threading.Lock()


def _take_prepared() -> _Prepared | None:
    global _prepared
    with _prepared_lock:
        p, _prepared = _prepared, None
    return p


def _put_prepared(p: _Prepared) -> None:
    global _prepared
    with _prepared_lock:
        old, _prepared = _prepared, p
    if old is not None:
        old.close()


def _drop_prepared() -> None:
    p = _take_prepared()
    if p is not None:
        p.close()


atexit.register(_drop_prepared)


def _reusable(p: _Prepared | None, store: Store, incoming_path: Path) -> bool:
    if p is None or p.store() is not store or p.stat is None or p.stat != _stat_key(incoming_path):
        return False
    try:
        with store._lock:
            if _state(store) != p.state:
                return False
    except sqlite3.Error:
        return False
    return _same_bytes(incoming_path, p.copy)


def _compare(store: Store, report: MergeReport) -> tuple[dict[str, _TablePlan], list[ConflictInfo]]:
    """Decide every row and fill the report's counts (``inc`` attached)."""
    plans, conflicts = _decide(store)
    grouper = _Grouper(store)
    report.groups = {}
    tally: dict[tuple, int] = {}  # (group key, table, kind) -> rows
    for table, tp in plans.items():
        for rid, kind, parent in tp.counted:
            k = (grouper.group(table, parent, rid), table, kind)
            tally[k] = tally.get(k, 0) + 1
    for (key, table, kind), n in tally.items():
        g = report.groups.get(key)
        if g is None:
            g = report.groups[key] = GroupReport(key, grouper.label(key))
        c = g.tables.setdefault(table, Counts())
        setattr(c, kind, getattr(c, kind) + n)
    parents = {(table, rid): parent for table, tp in plans.items()
               for rid, kind, parent in tp.counted if kind == "conflict"}
    for c in conflicts:
        key = (c.table, c.row_id)
        parent = parents[key] if key in parents else grouper.parent_of(c.table, c.row_id)
        c.group = grouper.label(grouper.group(c.table, parent, c.row_id))
    report.conflicts = conflicts
    report.rows_taken = sum(len(tp.take) + len(tp.new) for tp in plans.values())
    report.versions_kept_aside = sum(len(tp.lose) for tp in plans.values())
    report.history_added = _count_new_history(store)
    return plans, conflicts


def merge(store: Store, incoming_path: str | Path, dry_run: bool = False, *, backup: bool = True) -> MergeReport:
    """Merge another office's file into ``store`` (or only preview it with ``dry_run``).

    A preview keeps its checked private copy and its decisions; merging the same file into the
    same store right after it reuses them if neither file has changed since (the incoming file
    is compared byte for byte with the checked copy). Otherwise everything is done again.
    """
    incoming_path = Path(incoming_path)
    if not dry_run:
        store._writable()
    if store._depth:
        raise RuntimeError("merge() must not be called inside a transaction")
    report = MergeReport(source=incoming_path, dry_run=dry_run)
    prev = _take_prepared()
    with contextlib.ExitStack() as stack:
        reuse = not dry_run and _reusable(prev, store, incoming_path)
        if reuse:
            stack.callback(prev.close)
            copy = prev.copy
            plans, conflicts, state = prev.plans, prev.conflicts, prev.state
            report.groups = prev.report.groups
            report.conflicts = conflicts
            report.rows_taken = prev.report.rows_taken
            report.versions_kept_aside = prev.report.versions_kept_aside
            report.history_added = prev.report.history_added
        else:
            if prev is not None:
                prev.close()
            stat = _stat_key(incoming_path)
            copy, res = stack.enter_context(open_incoming(incoming_path, thorough=False))
            if res.newer:
                raise NewerFileError(_("{name} was saved by a newer version of PMQA Desktop; update the program "
                                       "before merging it. Nothing was changed.").format(name=incoming_path.name))
        with store._lock:
            store.conn.execute("ATTACH DATABASE ? AS inc", (str(copy),))
            saved = _speed_up(store)
            try:
                if not reuse:
                    verify_schema(store.conn, incoming_path, db="inc")
                    state = _state(store)
                    plans, conflicts = _compare(store, report)
                    if dry_run:
                        _put_prepared(_Prepared(weakref.ref(store), stat, stack.pop_all(), copy, state,
                                                plans, conflicts, report))
                if dry_run or report.changes_nothing:
                    return report
                if backup:
                    from .backup import backup_now
                    report.backup = backup_now(store, "merge")
                with store.transaction():
                    if _state(store) != state:  # written to since the comparison: compare again
                        plans, conflicts = _compare(store, report)
                    report.history_added = _apply(store, plans, conflicts, incoming_path.name)
                report.applied = True
            finally:
                _restore_speed(store, saved)
                store.conn.execute("DETACH DATABASE inc")
    return report


# ---------------------------------------------------------------- conflicts afterwards

def open_conflicts(store: Store, include_resolved: bool = False) -> list[dict[str, Any]]:
    """Conflicts for the clerk to review: the kept (current) and the other version of each row."""
    sql = "SELECT * FROM conflict" + ("" if include_resolved else " WHERE resolved = 0") + " ORDER BY found_at DESC"
    out = []
    for c in store.query(sql):
        if c["table_name"] not in schema.TABLES:
            continue
        current = store.get(c["table_name"], c["row_id"], include_deleted=True)
        other = store.query("SELECT * FROM history WHERE rev = ?", (c["other_rev"],))
        if other:
            other = other[0]
            other["data"] = json.loads(other["data"])
        c["current"] = current
        c["other"] = other or None
        c["differs"] = sorted(k for k in own_columns(c["table_name"])
                              if current and other and current.get(k) != other["data"].get(k))
        out.append(c)
    return out


def swap_conflict(store: Store, conflict_id: str) -> str:
    """Make the other version of a conflict current again, as a new edit (so it travels on).

    Returns the new revision; the conflict now lists the replaced version as the other one.
    """
    store._writable()
    rows = store.query("SELECT * FROM conflict WHERE id = ?", (conflict_id,))
    if not rows:
        raise UserError(_("That conflict no longer exists."))
    c = rows[0]
    table, rid = c["table_name"], c["row_id"]
    if table not in schema.TABLES:
        raise UserError(_("That conflict no longer exists."))
    other = store.query("SELECT * FROM history WHERE rev = ?", (c["other_rev"],))
    current = store.get(table, rid, include_deleted=True)
    if not other or current is None:
        raise UserError(_("The other version of this row is no longer in the history."))
    other = other[0]
    data = json.loads(other["data"])
    with store.transaction():
        values = {k: data[k] for k in own_columns(table) if k in data}
        store.update(table, rid, values)
        if bool(other["deleted"]) != bool(current["deleted"]):
            if other["deleted"]:
                store.delete(table, rid)
            else:
                store.undelete(table, rid)
        new = store.get(table, rid, include_deleted=True)
        store.conn.execute("UPDATE conflict SET kept_rev = ?, other_rev = ? WHERE id = ?",
                           (new["rev"], current["rev"], conflict_id))
    return new["rev"]


def resolve_conflict(store: Store, conflict_id: str, resolved: bool = True) -> None:
    """Mark a conflict as reviewed (it stays in the table, hidden from the open list)."""
    store._writable()
    with store.transaction():
        store.conn.execute("UPDATE conflict SET resolved = ? WHERE id = ?", (1 if resolved else 0, conflict_id))
