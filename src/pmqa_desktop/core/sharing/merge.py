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
  (Each version in the other's ancestry, which only clocks far off can bring about: the
  newer one is kept as well, without a conflict row.)

Deletions travel as tombstones (deleted = 1 versions). The history tables are united, so
every value ever written stays either current or in history. All changes are applied in
one transaction after a backup; a second merge of the same file changes nothing.
The incoming file is checked and read from a private copy (see ``safety``); only our own
tables and columns are read, and every value is bound as a parameter.

Speed (issue 5: two 180 MB files in under 2 s): the rows are decided in SQL into a temporary
plan (``temp.merge_plan``, rowids of both files) that the apply reads again; only rows changed
on both sides pass through Python, and the rows are counted per plan or year in SQL. The
incoming copy is attached read-only, so the apply is a one-file transaction (no super-journal)
whose journal the store keeps between transactions (``Store.open``). The page check of the
incoming copy and some reading ahead run in a thread beside the comparison (awaited before
anything is reported or written); an apply right after its preview compares the incoming file
with the checked copy in a thread and awaits it before committing (a changed file rolls back
and is merged afresh), and a thread pushes the journal and our file to disk while it works, so
that SQLite's own syncs wait less (see ``_WriteBackBeside``).
"""
from __future__ import annotations

import atexit
import contextlib
import errno
import json
import logging
import os
import re
import sqlite3
import sys
import threading
import weakref
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from ...i18n import _, ngettext
from ..errors import FileProblem, NewerFileError, UserError
from ..storage import schema
from ..storage.store import Change, Store, busy_message, journal_path, new_id, now_iso, own_columns, read_only_uri
from .faults import fault_point
from ..storage.repair import _after, _rev as _derived_rev
from .labels import table_label
from .safety import check_values, open_incoming, verify_schema

_log = logging.getLogger(__name__)  # the log file (logfile.py)

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
    source: str = ""   # the file it was found with, when not the merged file (a folder's merge)
    fields: tuple[str, ...] = ()   # the fields both offices changed (a field's conflict), else the whole row


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
    same_both: int = 0    # rows changed in both offices to the same content
    settled: Any = None   # repair.Settled: twins made one, rows moved, parents restored (after applying)

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
        head = ngettext("Merge of {name}: {add} added, {change} changed, {delete} deleted, {conflict} conflict.",
                        "Merge of {name}: {add} added, {change} changed, {delete} deleted, {conflict} conflicts.",
                        t.conflict).format(
            name=self.source.name, add=t.add, change=t.change, delete=t.delete, conflict=t.conflict)
        out = [head]
        for g in self.sorted_groups():
            gt = g.totals()
            out.append("  " + ngettext("{label}: {add} added, {change} changed, {delete} deleted, {conflict} conflict",
                                        "{label}: {add} added, {change} changed, {delete} deleted, {conflict} conflicts",
                                        gt.conflict).format(
                label=g.label, add=gt.add, change=gt.change, delete=gt.delete, conflict=gt.conflict))
            for table, c in sorted(g.tables.items()):
                out.append("      " + _("{table}: +{add} ~{change} -{delete} !{conflict}").format(
                    table=table_label(table), add=c.add, change=c.change, delete=c.delete, conflict=c.conflict))
        if self.same_both:
            out.append(ngettext("{n} row was changed the same way in both offices.",
                                "{n} rows were changed the same way in both offices.", self.same_both).format(
                n=self.same_both))
        if self.history_added:
            out.append(ngettext("{n} earlier version added to the history.", "{n} earlier versions added to the history.",
                                self.history_added).format(n=self.history_added))
        st = self.settled
        if st is not None and st.twins:
            out.append(ngettext("{n} row created in two offices for the same thing was made one (the other values "
                                "are in the history).",
                                "{n} rows created in two offices for the same thing were made one (the other values "
                                "are in the history).", st.twins).format(n=st.twins))
        if st is not None and st.moved:
            out.append(ngettext("{n} row was moved under the row that stays.",
                                "{n} rows were moved under the row that stays.", st.moved).format(n=st.moved))
        if st is not None and st.restored:
            out.append(ngettext("{n} row deleted in one office had new rows added under it in another: it was "
                                "restored and is listed among the conflicts for review.",
                                "{n} rows deleted in one office had new rows added under them in another: they were "
                                "restored and are listed among the conflicts for review.", len(st.restored)).format(
                n=len(st.restored)))
        return out + outcome_lines(self)


def outcome_lines(report: Any) -> list[str]:
    """The last line of a merge's summary (one file's or a folder's): nothing new, a preview, or merged."""
    if report.changes_nothing:
        return [_("Nothing to merge: this file holds nothing new.")]
    if report.dry_run:
        return [_("Preview only: nothing was changed.")]
    return [_("Merged.")] if report.applied else []


# ---------------------------------------------------------------- deciding

# What a row of ``temp.merge_plan`` stands for. ``r`` is the rowid the action works on (ours for
# _TAKE/_TAKE_IX/_KEEP, the incoming one for _NEW/_LOSE/_CONFLICT), ``o`` the other side's rowid.
_TAKE = 1      # our row replaced by the incoming version, its indexed columns unchanged
_TAKE_IX = 2   # the same, indexed columns changed (their index entries are rewritten)
_NEW = 3       # an incoming row we do not have at all
_LOSE = 4      # an incoming version that lost a conflict: into our history only
_KEEP = 5      # our version that lost a conflict: into our history (the row is also in _TAKE*)
_CONFLICT = 6  # changed on both sides: decided in Python (newer edit wins), then _TAKE*/_KEEP or _LOSE
_OWN_GROUP = ("dev_plan", "fiscal_year")  # tables whose rows are a group of their own
_COUNTED = ("add", "change", "delete")    # the kinds the decisions in SQL count (conflicts: in Python)

_PLAN_SQL = ("CREATE TEMP TABLE IF NOT EXISTS merge_plan(t INTEGER NOT NULL, what INTEGER NOT NULL, "
             "r INTEGER NOT NULL, o INTEGER, kind TEXT, key TEXT, c TEXT, kd INTEGER, PRIMARY KEY (t, what, r)) "
             "WITHOUT ROWID")


@dataclass
class _TablePlan:
    """What merging does to one table; the rows themselves are in ``temp.merge_plan`` (rowids of
    the same two files: a decision is only used with them, see ``_Prepared``)."""
    t: int                                   # the table's number in temp.merge_plan
    rows: dict[int, int] = field(default_factory=dict)  # what -> number of rows
    tally: dict[tuple, int] = field(default_factory=dict)  # (group key, kind) -> rows counted
    max_clock: str = ""
    # rows whose two versions each changed other fields: (our rowid, merged own values + deleted,
    # derived rev, time stamp, incoming rowid when the incoming version gives office and clerk)
    mixed: list[tuple] = field(default_factory=list)
    same: int = 0   # rows changed on both sides to the same content
    # the ids ``_taken_ids_sql`` gives, as the preview found them (``_foresee``): used by the apply
    # that reuses the preview's decisions (both files then as they were), not looked up again
    taken_ids: list[str] | None = None
    # the rows decided in SQL beside (``_ClassifyAhead``) that ``_taken_ids_sql`` gives, as (id,) or
    # (id, up), found by the thread: the rest (taken rows decided in Python) is looked up here
    taken_beside: list[tuple] | None = None

    def n(self, *what: int) -> int:
        return sum(self.rows.get(w, 0) for w in what)


def _key(updated_at: str, office: str, rev: str) -> tuple[str, str, str]:
    # (a value of another type in a crafted file is refused after the comparison: see _compare)
    return tuple(v if isinstance(v, str) else str(v or "") for v in (updated_at, office, rev))


def _ancestor_join(table: str) -> str:
    """A LEFT JOIN of ``b``, the latest version of the ``i.id`` row that both histories hold (the
    common ancestor of a row changed on both sides): for every such row of ``table`` in the one
    statement that reads them (an index search in our history per row, not a query each)."""
    return (f"LEFT JOIN main.history b ON b.rev = (SELECT h.rev FROM main.history h "
            f"WHERE h.table_name = '{table}' AND h.row_id = i.id "
            f"AND EXISTS (SELECT 1 FROM inc.history g WHERE g.rev = h.rev) "
            f"ORDER BY h.updated_at DESC, h.office DESC, h.rev DESC LIMIT 1) ")


def _merge_fields(cols: list[str], base: tuple, mine: dict, theirs: dict, incoming_wins: bool):
    """Field-level merge of a row changed on both sides, against the latest version both sides
    have in their history (their common ancestor: ``base``, its JSON data and deleted mark).

    Returns None when there is no common ancestor (the newer version wins whole, as before);
    else (values, clashed): ``values`` are the merged own columns and ``deleted`` when each side
    changed something the other did not (None when the newer version already holds them all),
    and ``clashed`` the fields both sides changed to different values (the newer edit's value is
    kept there: a conflict for the clerk), or True for a deletion against an edit (the whole row)."""
    if base[0] is None:
        return None
    try:
        b = json.loads(base[0])
    except (TypeError, ValueError):
        return None
    if not isinstance(b, dict):
        return None
    b["deleted"] = base[1]
    newer, older = (theirs, mine) if incoming_wins else (mine, theirs)
    if (mine["deleted"] != b["deleted"]) != (theirs["deleted"] != b["deleted"]):
        # a deletion against an edit concerns the whole row: the newer one wins, listed as a conflict
        return None, True
    merged = dict(newer)
    clashed: list[str] = []
    took = False
    for c in cols:
        if c not in b:
            continue
        older_changed = older[c] != b[c]
        if not older_changed or older[c] == newer[c]:
            continue
        if newer[c] != b[c]:
            clashed.append(c)       # both changed it: the newer edit's value stays
        else:
            merged[c] = older[c]    # only the older edit changed it: it stays too
            took = True
    return (merged if took else None), clashed


def _truthy(expr: str) -> str:
    """SQL for Python's ``bool(value)`` of a column value (as the decisions were made in Python)."""
    return f"({expr} IS NOT NULL AND {expr} NOT IN (0, '', x''))"


def _classify_sql(t: int, table: str, histories: tuple[str, str] = ("inc", "main")) -> str:
    """The rows of ``inc.table`` that differ from ours in ``main``, decided where SQL can decide
    them, as ``temp.merge_plan`` rows (t, what, r, o, kind, key, c, kd): ``c`` is the time stamp of an
    incoming version that is taken; ``kd`` (rows taken only) whether it has another natural key, parent or
    deleted mark than ours (``_taken_ids_sql``'s test, made here on the two rows already read).
    ``histories``: the schemas the two histories are looked up in (theirs, ours): the same files
    attached a second time, so that their look-ups have page caches of their own.

    Rows of both files at the same rowid (copies of one file keep their rowids) with the same id
    and rev are passed over at once; a row not found there is looked up by id. Whether a version
    is in the other side's ancestry is an index look-up in a history: one for most rows, two
    for rows changed on both sides.
    """
    fk = schema.PARENTS.get(table, (None, None))[1]
    key_sql = "i.id" if table in _OWN_GROUP else (f"i.{fk}" if fk else "NULL")
    ix_same = " AND ".join(f"i.{c} IS l.{c}" for c in sorted(_INDEXED.get(table, ()))) or "1"
    # s: 0 = not here (added); else 4 + (incoming rev in our history) + 2 * (our rev in theirs).
    # The look-up that can settle a row is made first: in the newer version's history for the
    # older one. When it finds it, the other look-up is left out: the row is then decided as
    # the newer version's side (6 or 5), which is where a row changed on both sides (7: each
    # side's version in the other's history, possible only with clocks far off) ends too,
    # with the older version in the history; only its conflict record is not made.
    seen_ours = f"EXISTS(SELECT 1 FROM {histories[1]}.history h WHERE h.rev = i.rev)"
    seen_theirs = f"EXISTS(SELECT 1 FROM {histories[0]}.history h WHERE h.rev = l.rev)"
    inner = (f"SELECT i.rowid AS ir, l.rowid AS lr, i.deleted AS idel, l.deleted AS ldel, "
             f"       {key_sql} AS k, ({ix_same}) AS ixs, ({_key_differs(table)}) AS kd, "
             f"       CASE WHEN typeof(i.updated_at) = 'text' THEN i.updated_at END AS ic, "
             f"       CASE WHEN l.rowid IS NULL THEN 0 "
             f"            WHEN (i.updated_at, i.office, i.rev) > (l.updated_at, l.office, l.rev) "
             f"                 THEN (CASE WHEN {seen_theirs} THEN 6 ELSE 4 + {seen_ours} END) "
             f"            ELSE (CASE WHEN {seen_ours} THEN 5 ELSE 4 + 2 * {seen_theirs} END) END AS s "
             f"FROM inc.{table} i LEFT JOIN main.{table} x ON x.rowid = i.rowid "
             f"LEFT JOIN main.{table} l ON l.rowid = CASE WHEN x.id = i.id THEN x.rowid "
             f"     ELSE (SELECT y.rowid FROM main.{table} y WHERE y.id = i.id) END "
             f"WHERE (x.id IS NOT i.id OR x.rev IS NOT i.rev) AND l.rev IS NOT i.rev "
             f"LIMIT -1")  # (not flattened: s is worked out once per row)
    # s = 5: we already have this version and something newer: left as it is
    # s = 6: fast-forward, the incoming version is taken; 4: changed on both sides
    return (f"SELECT {t}, CASE s WHEN 0 THEN {_NEW} WHEN 6 THEN (CASE WHEN ixs THEN {_TAKE} ELSE {_TAKE_IX} END) "
            f"              ELSE {_CONFLICT} END, "
            f"       CASE s WHEN 6 THEN lr ELSE ir END, CASE s WHEN 6 THEN ir ELSE lr END, "
            f"       CASE s WHEN 0 THEN (CASE WHEN {_truthy('idel')} THEN NULL ELSE 'add' END) "
            f"              WHEN 6 THEN (CASE WHEN {_truthy('idel')} AND NOT {_truthy('ldel')} THEN 'delete' "
            f"                           ELSE 'change' END) END, k, CASE WHEN s IN (0, 6) THEN ic END, "
            f"       CASE s WHEN 6 THEN kd END "   # (only rows taken have one)
            f"FROM ({inner}) WHERE s <> 5")


def _key_differs(table: str) -> str:
    """SQL: the incoming row ``i`` has another natural key, parent or deleted mark than ours ``l``
    (only such a row taken can make twins or orphans: the settling pass looks at it)."""
    from ..storage.repair import key_columns
    return " OR ".join(f"i.{c} IS NOT l.{c}" for c in key_columns(table))


def _new_rows_sql(t: int, table: str) -> str:
    """``_classify_sql`` of a table none of whose incoming rows' ids is here (the caller knows it:
    ``merge``'s ``new``): every row is added, as ``_classify_sql`` decides it then (s = 0), without
    looking each one up by rowid and id (a row without a rev, which it passes over, is left out)."""
    fk = schema.PARENTS.get(table, (None, None))[1]
    key_sql = "i.id" if table in _OWN_GROUP else (f"i.{fk}" if fk else "NULL")
    return (f"SELECT {t}, {_NEW}, i.rowid, NULL, CASE WHEN {_truthy('i.deleted')} THEN NULL ELSE 'add' END, "
            f"{key_sql}, CASE WHEN typeof(i.updated_at) = 'text' THEN i.updated_at END, NULL "
            f"FROM inc.{table} i WHERE i.rev IS NOT NULL")   # (kd: only rows taken have one)


# (OR IGNORE: a crafted file may hold one id twice behind a damaged index; the first one counts)
_PLAN_INSERT = "INSERT OR IGNORE INTO temp.merge_plan(t, what, r, o, kind, key, c, kd) "


def _hop(table: str) -> tuple[str, str] | None:
    """(parent table, the parent's own parent column) for tables whose rows are grouped through
    their parent's parent: the decisions look that up in SQL, once per parent, instead of Python
    walking up from every changed row (tens of thousands of rows in a large file)."""
    parent = schema.PARENTS.get(table, (None, None))[0]
    if table in _OWN_GROUP or parent is None or parent in _OWN_GROUP or parent not in schema.PARENTS:
        return None
    return parent, schema.PARENTS[parent][1]


_HOPS = {t: h for t in schema.SYNCED_TABLES if (h := _hop(t)) is not None}


def _up_sql(table: str, key: str) -> str:
    """SQL for the parent's own parent id of a ``table`` row whose parent id is ``key`` (the
    incoming file's, else ours: as ``_Grouper._map``), for tables in ``_HOPS``, else NULL."""
    if table not in _HOPS:
        return "NULL"
    parent, up = _HOPS[table]
    return (f"coalesce((SELECT x.{up} FROM inc.{parent} x WHERE x.id = {key}), "
            f"(SELECT x.{up} FROM main.{parent} x WHERE x.id = {key}))")


def _counted_sql(t: int, table: str, plan: str = "temp.merge_plan") -> str:
    """SQL counting the rows of table ``t`` decided in SQL (only they have a kind) per group key
    and kind: (key, the key's own parent for tables in ``_HOPS``, adds, changes, deletes)."""
    taken = f"FROM {plan} WHERE t = {t} AND what IN ({_TAKE}, {_TAKE_IX}, {_NEW})"
    per_key = (f"SELECT key, {', '.join(f'sum(kind = {k!r}) AS n_{k}' for k in _COUNTED)} {taken} "
               f"AND kind IS NOT NULL GROUP BY key")
    if table in _HOPS:
        return (f"SELECT CASE WHEN key IS NOT NULL THEN '' END, up, "
                f"{', '.join(f'sum(n_{k})' for k in _COUNTED)} "
                f"FROM (SELECT *, {_up_sql(table, 'key')} AS up FROM ({per_key})) GROUP BY key IS NULL, up")
    return f"SELECT key, NULL, {', '.join(f'n_{k}' for k in _COUNTED)} FROM ({per_key})"


_AHEAD_TABLES = ("weekly_activity",)   # the largest table by far (a third of a large file's rows)
# incoming files smaller than this are decided on the store's connection alone: a thread and its
# connection cost 2 ms, more than deciding a small file's weekly activities (an agency's file, 6 MB)
_AHEAD_MIN_BYTES = 32 << 20


class _ClassifyAhead:
    """``_classify_sql`` of the largest table run in a thread, on a read-only connection of its own
    to both files, beside the store's connection deciding the other tables (a second core): its
    rows go into a private in-memory database shared by the two connections, and from there into
    ``temp.merge_plan`` in the order the statement gave them (as ``INSERT OR IGNORE ... SELECT``
    put them: the first of two rows for one key stays). Only while nobody writes our file (the
    merge holds the store, outside a transaction) and with the incoming copy's schema verified.
    Once its rows are handed over, while the store's connection decides what is left of the
    table in Python and checks the other tables' values, the thread reads what the rows it
    decided need later: their counts per group (``_counted_sql``, ``counted()``), their values'
    faults (``_compare``) and the ids the settling pass is to look at (``_taken_ids_sql``, for
    ``_foresee`` / ``_mark_taken``); ``after()`` hands the last two over.
    """

    def __init__(self, ours: Path, copy: Path, check: bool = True, count: bool = True):
        self.tables = [(t, name) for t, name in enumerate(schema.SYNCED_TABLES) if name in _AHEAD_TABLES]
        self.uri = f"file:pmqa-plan-{new_id()}?mode=memory&cache=shared"
        self.error: BaseException | None = None
        self.classified = threading.Event()
        # the thread reads its rows again only once the store's connection has copied them: SQLite
        # holds a shared-cache database's mutex for a whole statement step (an aggregate's first
        # step is all of it), so the store's ATTACH waited for the thread's counting (0.05 s of the
        # clerk's preview, 0.13 s of a 50% merge, idle on the critical path)
        self.handed = threading.Event()
        self.check, self.count = check, count
        self.counts: dict[int, list] | None = None
        self.counted_ready = threading.Event()
        self.claim_lock = threading.Lock()
        self.checked_by: str | None = None
        self.found: tuple[dict[str, list[tuple]], bool] | None = None   # (taken ids per table, faulty)
        from ..storage.store import _connect
        self.conn = _connect(read_only_uri(ours), uri=True)
        try:
            self.conn.execute("ATTACH DATABASE ? AS inc", (read_only_uri(copy),))
            self.conn.execute("ATTACH DATABASE ? AS ahead", (self.uri,))
            for db in ("main", "inc"):
                self.conn.execute(f"PRAGMA {db}.mmap_size = 0")   # (mapped pages count in our memory)
            for db in ("main", "inc", "temp"):   # (read once, row by row: the system's file cache serves them)
                self.conn.execute(f"PRAGMA {db}.cache_size = -2048")
            # each history looked up through a second attachment of its file, with a page cache of
            # its own: a look-up for every row changed, all over the rev index (10 MB for 200,000
            # versions), whose pages the tables' scans evicted from a shared cache (read again from
            # the system's file cache, a fifth of the thread's time in a 50% merge)
            for db, path, mb in (("inc_history", copy, 16), ("our_history", ours, 8)):
                self.conn.execute("ATTACH DATABASE ? AS " + db, (read_only_uri(path),))
                self.conn.execute(f"PRAGMA {db}.mmap_size = 0")
                self.conn.execute(f"PRAGMA {db}.cache_size = -{mb << 10}")
            # (the first row of a key kept, as INSERT OR IGNORE into temp.merge_plan keeps it)
            self.conn.execute("CREATE TABLE ahead.plan(t, what, r, o, kind, key, c, kd, UNIQUE (t, what, r))")
        except BaseException:
            self.conn.close()
            raise
        self.thread = threading.Thread(target=self._run, name="pmqa-classify", daemon=True)
        self.thread.start()

    @staticmethod
    def start(store: Store, copy: Path | None, check: bool = True, count: bool = True) -> "_ClassifyAhead | None":
        if copy is None or store.path is None or store.conn.in_transaction:
            return None
        try:
            if Path(copy).stat().st_size < _AHEAD_MIN_BYTES:
                return None
            return _ClassifyAhead(Path(store.path), Path(copy), check, count)
        except (OSError, sqlite3.Error):
            return None   # (decided on the store's connection, as before)

    def _run(self) -> None:
        try:
            for t, table in self.tables:
                self.conn.execute("INSERT OR IGNORE INTO ahead.plan(t, what, r, o, kind, key, c, kd) "
                                  + _classify_sql(t, table, histories=("inc_history", "our_history")))
        except BaseException as exc:  # handed to into_plan()
            self.error = exc
            self.counted_ready.set()
            return
        finally:
            self.classified.set()
        self.handed.wait()
        try:
            if self.count:
                self.counts = {t: self.conn.execute(_counted_sql(t, table, "ahead.plan")).fetchall()
                               for t, table in self.tables}
        except BaseException:  # (the store's connection counts them itself)
            self.counts = None
        finally:
            self.counted_ready.set()
        try:
            from .values import value_faults
            taken = {table: self.conn.execute(_taken_ids_sql(t, table, "ahead.plan", flagged=True)).fetchall()
                     for t, table in self.tables}
            faulty = self.check and self.claim("thread") and bool(value_faults(
                self.conn, "inc", also="main", limit=1,
                rows={table: _checked_rows_sql(t, "ahead.plan") for t, table in self.tables}))
            self.found = (taken, faulty)
        except BaseException:  # (only work done ahead: the store's connection does it itself)
            self.found = None

    def claim(self, who: str) -> bool:
        """Whether ``who`` ("thread" or "store") checks the values of the rows decided here: the
        first to ask (the store's connection when it is done with its own part first: its page
        caches are larger)."""
        with self.claim_lock:
            if self.checked_by is None:
                self.checked_by = who
            return self.checked_by == who

    def counted(self, t: int) -> list | None:
        """``_counted_sql``'s rows of table ``t`` (decided here), or None if not counted here."""
        self.counted_ready.wait()
        return None if self.counts is None else self.counts.get(t)

    def after(self) -> tuple[dict[str, list[tuple]], bool] | None:
        """(the ids ``_taken_ids_sql`` gives for the rows decided here, per table; whether a value
        of those rows does not fit), or None if the thread could not read them."""
        self.thread.join()
        return self.found

    def into_plan(self, conn: sqlite3.Connection) -> None:
        self.classified.wait()
        if self.error is not None:
            raise self.error
        try:
            conn.execute("ATTACH DATABASE ? AS ahead", (self.uri,))
            try:
                conn.execute(_PLAN_INSERT + "SELECT t, what, r, o, kind, key, c, kd FROM ahead.plan ORDER BY rowid")
            finally:
                conn.execute("DETACH DATABASE ahead")
        finally:
            self.handed.set()

    def close(self) -> None:
        self.handed.set()   # (a comparison that ended before taking the rows over)
        if self.thread.is_alive():
            self.conn.interrupt()
        self.thread.join()
        self.conn.close()


def _decide(store: Store, grouper: "_Grouper", ahead: _ClassifyAhead | None = None, count: bool = True,
            new: frozenset[str] = frozenset(), meanwhile: Callable[[dict[str, _TablePlan]], None] | None = None
            ) -> tuple[dict[str, _TablePlan], list[ConflictInfo], list[tuple]]:
    """Decide every incoming row that differs from ours into ``temp.merge_plan``
    (``_classify_sql``); only rows changed on both sides come back to Python. The rows are
    counted per group (plan, year...) and kind in SQL (unless not ``count``: the folder merge's
    final merge, whose lines are the files'), and each conflict's group is returned.
    ``ahead``: the largest table decided in a thread beside (its owner closes it); ``meanwhile``
    is then called with the plans of the other tables once they are decided, before the thread's
    rows are taken over. ``new``: tables whose incoming rows are all new here (``_new_rows_sql``;
    only for a checked copy, so never with ``ahead``)."""
    conn = store.conn
    conn.execute(_PLAN_SQL)
    conn.execute("DELETE FROM temp.merge_plan")
    plans: dict[str, _TablePlan] = {}
    conflicts: list[ConflictInfo] = []
    groups: list[tuple] = []  # each conflict's group
    tables = list(enumerate(schema.SYNCED_TABLES))

    def one(t: int, table: str) -> _TablePlan | None:
        """Decide the rows of ``table`` left to Python and count them (its conflicts, in order,
        and their groups go into ``found[t]``)."""
        conflicts: list[ConflictInfo] = []
        groups: list[tuple] = []
        found[t] = (conflicts, groups)
        fk = schema.PARENTS.get(table, (None, None))[1]
        ix_same = " AND ".join(f"i.{c} IS l.{c}" for c in sorted(_INDEXED.get(table, ()))) or "1"
        tp = _TablePlan(t)
        fk_sql = f"i.{fk}" if fk else "NULL"
        cols = own_columns(table) + ["deleted"]
        same = " AND ".join(f"i.{c} IS l.{c}" for c in cols)
        n = len(cols)
        decided = []
        # both versions and their common ancestor come in the same statement as the row (not
        # three look-ups per row changed on both sides)
        for (irow, lrow, rid, irev, iat, ioff, parent, up, lrev, lat, loff, same_content, ixs, *vals) in conn.execute(
                f"SELECT i.rowid, l.rowid, i.id, i.rev, i.updated_at, i.office, {fk_sql}, {_up_sql(table, fk_sql)}, "
                f"       l.rev, l.updated_at, l.office, ({same}), ({ix_same}), "
                f"       {', '.join('l.' + c for c in cols)}, {', '.join('i.' + c for c in cols)}, b.data, b.deleted "
                f"FROM temp.merge_plan p CROSS JOIN inc.{table} i ON i.rowid = p.r "
                f"CROSS JOIN main.{table} l ON l.rowid = p.o {_ancestor_join(table)}"
                f"WHERE p.t = {t} AND p.what = {_CONFLICT}"):
            incoming_wins = _key(iat, ioff, irev) > _key(lat, loff, lrev)
            fields = None if same_content else _merge_fields(
                cols, vals[2 * n:], dict(zip(cols, vals[:n])), dict(zip(cols, vals[n:2 * n])), incoming_wins)
            if fields is not None and fields[0] is not None:
                # each side changed fields the other left alone: both edits stay, in a new version
                # derived from the two (the same in every office), both versions in the history
                values, clashed = fields
                rev = _derived_rev("fields", *sorted((str(irev), str(lrev))))
                at = _after(iat, lat)
                decided.append((t, _KEEP, lrow, None, None))
                decided.append((t, _LOSE, irow, None, None))
                tp.mixed.append((lrow, values, rev, at, irow if incoming_wins else None))
                if at > tp.max_clock:
                    tp.max_clock = at
                g = grouper.of(table, rid if table in _OWN_GROUP else parent, up)
                kind = "conflict" if clashed else "change"
                tp.tally[(g, kind)] = tp.tally.get((g, kind), 0) + 1
                if clashed:
                    conflicts.append(ConflictInfo(table, rid, rev, lrev if incoming_wins else irev, incoming_wins, "",
                                                  fields=tuple(clashed)))
                    groups.append(g)
                continue
            if incoming_wins:
                decided.append((t, _TAKE if ixs else _TAKE_IX, lrow, irow, iat if isinstance(iat, str) else None))
                decided.append((t, _KEEP, lrow, None, None))
            else:
                decided.append((t, _LOSE, irow, None, None))
            if same_content:
                # the same content written on both sides: nothing for the clerk to review (counted)
                tp.same += 1
                continue
            if fields is not None and not fields[1]:
                # one side's edit covers the other's (the other changed nothing of its own)
                continue
            g = grouper.of(table, rid if table in _OWN_GROUP else parent, up)
            tp.tally[(g, "conflict")] = tp.tally.get((g, "conflict"), 0) + 1
            clash = fields[1] if fields is not None and isinstance(fields[1], list) else ()
            conflicts.append(ConflictInfo(table, rid, irev if incoming_wins else lrev,
                                          lrev if incoming_wins else irev, incoming_wins, "", fields=tuple(clash)))
            groups.append(g)
        conn.executemany("INSERT OR IGNORE INTO temp.merge_plan(t, what, r, o, c) VALUES (?, ?, ?, ?, ?)", decided)
        tp.rows = dict(conn.execute(f"SELECT what, count(*) FROM temp.merge_plan WHERE t = {t} "
                                    f"AND what <> {_CONFLICT} GROUP BY what"))
        if not tp.rows and not tp.tally and not tp.same:
            return None
        # the rows counted per group and kind, from the plan alone (through the parent's parent
        # where the key is a parent with one), and the latest time stamp of the versions taken
        clock = conn.execute(f"SELECT max(c) FROM temp.merge_plan WHERE t = {t} "
                             f"AND what IN ({_TAKE}, {_TAKE_IX}, {_NEW})").fetchone()[0]
        if clock is not None and clock > tp.max_clock:
            tp.max_clock = clock
        counted = None
        if count and ahead is not None and table in _AHEAD_TABLES:
            counted = ahead.counted(t)   # (counted by the thread that decided them, from its rows)
        if count and counted is None:
            counted = conn.execute(_counted_sql(t, table))
        for k, up, *ns in (counted if count else ()):
            g = grouper.of(table, k, up)
            for kind, n in zip(_COUNTED, ns):
                if n:
                    tp.tally[(g, kind)] = tp.tally.get((g, kind), 0) + n
        return tp

    found: dict[int, tuple[list[ConflictInfo], list[tuple]]] = {}
    decided_plans: dict[int, _TablePlan | None] = {}
    for tt in tables:
        if tt[1] in new:
            conn.execute(_PLAN_INSERT + _new_rows_sql(*tt))
        elif ahead is None or tt[1] not in _AHEAD_TABLES:
            conn.execute(_PLAN_INSERT + _classify_sql(*tt))
    # the other tables first, while the largest is still being decided beside
    for t, table in tables:
        if ahead is None or table not in _AHEAD_TABLES or table in new:
            decided_plans[t] = one(t, table)
    if ahead is not None:
        if meanwhile is not None:
            meanwhile({table: tp for t, table in tables if (tp := decided_plans.get(t)) is not None})
        ahead.into_plan(conn)
        for t, table in tables:
            if table in _AHEAD_TABLES and table not in new:
                decided_plans[t] = one(t, table)
    for t, table in tables:   # (in the tables' order, as they were decided one after the other)
        tp = decided_plans[t]
        if tp is not None:
            plans[table] = tp
        conflicts.extend(found[t][0])
        groups.extend(found[t][1])
    return plans, conflicts, groups


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

    def group(self, table: str, parent: str | None, row_id: str) -> tuple:
        if table in schema.PARENTS and parent is not None and table not in ("dev_plan", "fiscal_year"):
            key = (table, parent)  # rows under the same parent belong to the same plan / year
            hit = self._memo.get(key)
            if hit is None:
                hit = self._memo[key] = self._group(table, parent, row_id)
            return hit
        return self._group(table, parent, row_id)

    def key(self, table: str, key: str | None) -> tuple:
        """The group of a row from its ``temp.merge_plan`` key: its own id for plans and years,
        else its parent's id (the group of other rows does not depend on their own id)."""
        if table in _OWN_GROUP:
            return self.group(table, None, key)
        return self.group(table, key, "")

    def of(self, table: str, key: str | None, up: str | None) -> tuple:
        """The group of a changed row from its ``temp.merge_plan`` key and, for tables in
        ``_HOPS``, its parent's own parent (``up``, looked up in SQL)."""
        if table in _HOPS:
            parent = _HOPS[table][0]
            if key is None:
                return self.key(table, None)
            if up is None:  # (the parent is in neither file)
                return ("general", parent)
            return self.key(parent, up)
        return self.key(table, key)

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


def _history_rows(conn, db: str, table: str, t: int, what: int, where: str = "") -> Iterator[tuple]:
    """The rows of ``db.table`` planned as ``what`` (their rowid in ``r``), as history records."""
    cols = own_columns(table)
    cur = conn.execute(f"SELECT r.rev, r.id, r.updated_at, r.office, r.clerk, r.deleted, "
                       f"{', '.join('r.' + c for c in cols)} "
                       f"FROM temp.merge_plan p CROSS JOIN {db}.{table} r ON r.rowid = p.r "
                       f"WHERE p.t = {t} AND p.what = {what} {where}")
    dumps = json.JSONEncoder(ensure_ascii=False).encode  # (as json.dumps(data, ensure_ascii=False))
    # (a generator: the rows stream into the history, never all held in memory at once)
    return ((row[0], table, row[1], None, dumps(dict(zip(cols, row[6:]))), row[2], row[3], row[4], row[5])
            for row in cur)


def _into_history(conn, db: str, table: str, t: int, what: int) -> None:
    """Put the rows of ``db.table`` planned as ``what`` into our history (as ``Store`` does: the
    own columns as JSON, ``json.dumps(data, ensure_ascii=False)``).

    Rows of text, integers and NULLs get the very same JSON text from SQL (``json_quote`` quotes
    as Python does); the others (real numbers, blobs) are written by Python."""
    cols = own_columns(table)
    plain = " AND ".join(f"typeof(r.{c}) NOT IN ('real', 'blob')" for c in cols)
    data = "'{' || " + " || ', ' || ".join(f"'\"{c}\": ' || json_quote(r.{c})" for c in cols) + " || '}'"
    conn.execute(f"INSERT OR IGNORE INTO main.history ({_HIST_COLS}) "
                 f"SELECT r.rev, '{table}', r.id, NULL, {data}, r.updated_at, r.office, r.clerk, r.deleted "
                 f"FROM temp.merge_plan p CROSS JOIN {db}.{table} r ON r.rowid = p.r "
                 f"WHERE p.t = {t} AND p.what = {what} AND {plain}")
    conn.executemany(f"INSERT OR IGNORE INTO main.history ({_HIST_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     _history_rows(conn, db, table, t, what, f"AND NOT ({plain})"))


def _taken_ids_sql(t: int, table: str, plan: str = "temp.merge_plan", beside: bool = False,
                   flagged: bool = False) -> str:
    """SQL for the ids of the incoming rows of ``table`` that the plan adds, or takes with another
    natural key, parent or deleted mark than ours (only those can make twins or orphans); read
    before the plan is applied. With each row's parent (``up``) where the settling pass uses it.
    ``beside``: the rows decided in SQL were looked at by the thread that decided them
    (``_TablePlan.taken_beside``): only the rows taken that were decided in Python (no kind).
    The rows decided in SQL (they have a kind) say so in the plan (``kd``, ``_classify_sql``): only
    those decided in Python have both their rows read again. ``flagged``: every row of the plan
    was decided in SQL (the thread's)."""
    from ..storage.repair import parent_column
    up = parent_column(table)
    ids = f"i.id, i.{up} AS up" if up else "i.id"
    by_flag = (f"SELECT {ids} FROM {plan} p CROSS JOIN inc.{table} i ON i.rowid = p.o "
               f"WHERE p.t = {t} AND p.what IN ({_TAKE}, {_TAKE_IX}) AND p.kd")
    by_rows = (f"SELECT {ids} FROM {plan} p CROSS JOIN inc.{table} i ON i.rowid = p.o "
               f"CROSS JOIN main.{table} l ON l.rowid = p.r "
               f"WHERE p.t = {t} AND p.what IN ({_TAKE}, {_TAKE_IX}) AND ({_key_differs(table)})")
    if flagged:
        take = by_flag
    elif beside:
        take = by_rows
    else:
        take = f"{by_flag} AND p.kind IS NOT NULL UNION ALL {by_rows} AND p.kind IS NULL"
    if beside:
        return take + " AND p.kind IS NULL"
    return (f"SELECT {ids} FROM {plan} p CROSS JOIN inc.{table} i ON i.rowid = p.r "
            f"WHERE p.t = {t} AND p.what = {_NEW} UNION ALL " + take)


def _checked_rows_sql(t: int, plan: str = "temp.merge_plan", beside: bool = False) -> str:
    """SQL for the rowids of the incoming rows of table ``t`` whose values the merge would write
    (as a row or into the history). ``beside``: only those decided in Python (the thread that
    decided the others checked theirs: ``_ClassifyAhead``)."""
    if beside:
        return (f"SELECT p.r FROM {plan} p WHERE p.t = {t} AND p.what = {_LOSE} "
                f"UNION ALL SELECT p.o FROM {plan} p WHERE p.t = {t} AND p.what IN ({_TAKE}, {_TAKE_IX}) "
                f"AND p.kind IS NULL")
    return (f"SELECT p.r FROM {plan} p WHERE p.t = {t} AND p.what IN ({_NEW}, {_LOSE}) "
            f"UNION ALL SELECT p.o FROM {plan} p WHERE p.t = {t} AND p.what IN ({_TAKE}, {_TAKE_IX})")


class _Rollback(Exception):
    """Ends the preview's trial of the settling pass (nothing of it is kept)."""


def _foresee(store: Store, plans: dict[str, _TablePlan]) -> Any:
    """What the settling pass will do when the merge is applied (twins made one, rows moved,
    parents restored), for the preview: the rows that can make a twin or an orphan (added, or
    taken with another natural key, parent or deleted mark; merged field by field) are written as
    the merge writes them, the pass runs over them exactly as after applying, and all of it is
    rolled back. The other rows taken keep their key, parent and deleted mark, so they change
    none of the pass's counts; only these few hundred rows are written, not the whole merge."""
    from ..storage.repair import Settled, settle
    marked = {table: tp for table, tp in plans.items() if tp.n(_TAKE, _TAKE_IX, _NEW)}
    if store.read_only or not (marked or any(tp.mixed for tp in plans.values())):
        return Settled() if not store.read_only else None
    conn = store.conn
    clock = store.last_clock
    found = None
    try:
        with store.transaction(notify=False):
            _mark(store, marked)
            found_ids: dict[str, list[str]] = {}
            for table, rid in conn.execute("SELECT tbl, id FROM temp.repair_touched"):
                found_ids.setdefault(table, []).append(rid)
            for table in marked:
                plans[table].taken_ids = found_ids.get(table, [])
            for table, tp in plans.items():
                t = tp.t
                cols = ["rev", "updated_at", "office", "clerk", "deleted"] + own_columns(table)
                if tp.n(_TAKE, _TAKE_IX):
                    conn.execute(_marked_taken_sql(t, table, cols))
                if tp.n(_NEW):
                    conn.execute(f"INSERT OR IGNORE INTO main.{table} (id, {', '.join(cols)}) "
                                 f"SELECT i.id, {', '.join('i.' + c for c in cols)} FROM temp.merge_plan p "
                                 f"CROSS JOIN inc.{table} i ON i.rowid = p.r WHERE p.t = {t} AND p.what = {_NEW}")
                _write_mixed(store, table, tp)
            found = settle(store, sql=_mixed_sql(plans), marked=True)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        store.last_clock = clock
    return found


def _marked_taken_sql(t: int, table: str, cols: list[str]) -> str:
    """The preview's write of the rows taken that are marked for the settling pass (a few hundred):
    from the marked rows to their plan rows, not through every row taken (tens of thousands, each
    looked up among the marked: 0.05 s of the clerk's preview)."""
    return (f"UPDATE main.{table} AS l SET {', '.join(f'{c} = i.{c}' for c in cols)} "
            f"FROM temp.repair_touched AS rt CROSS JOIN temp.merge_plan AS p CROSS JOIN inc.{table} AS i "
            f"ON i.rowid = p.o WHERE rt.tbl = '{table}' AND l.id = rt.id AND p.t = {t} "
            f"AND p.what IN ({_TAKE}, {_TAKE_IX}) AND p.r = l.rowid AND l.id = i.id")


def _mark_taken(store: Store, plans: dict[str, _TablePlan]) -> None:
    """Mark for the settling pass the rows ``_taken_ids_sql`` gives (as the preview found them, when
    it did: ``_TablePlan.taken_ids``)."""
    from ..storage.repair import mark_rows
    taken = {table: tp for table, tp in plans.items() if tp.n(_TAKE, _TAKE_IX, _NEW)}
    _mark(store, {table: tp for table, tp in taken.items() if tp.taken_ids is None})
    for table, tp in taken.items():
        mark_rows(store, table, [(rid,) for rid in tp.taken_ids or ()])


def _mark(store: Store, plans: dict[str, _TablePlan]) -> None:
    """``repair.mark`` of the rows ``_taken_ids_sql`` gives for these tables; those the thread
    beside found (``taken_beside``) are added as ``mark`` adds a statement's rows (its rows are a
    set: the order they come in changes nothing)."""
    from ..storage.repair import mark, mark_rows
    mark(store, {table: _taken_ids_sql(tp.t, table, beside=tp.taken_beside is not None)
                 for table, tp in plans.items()})
    for table, tp in plans.items():
        if tp.taken_beside:
            mark_rows(store, table, tp.taken_beside)


def _write_mixed(store: Store, table: str, tp: _TablePlan) -> None:
    """Rows merged field by field: their merged values, derived version and stamp, in place."""
    if not tp.mixed:
        return
    conn = store.conn
    names = own_columns(table) + ["deleted"]
    sets = ", ".join(f"{c} = ?" for c in names)
    for lrow, values, rev, at, irow in tp.mixed:
        who = conn.execute(f"SELECT office, clerk FROM {'inc' if irow else 'main'}.{table} WHERE rowid = ?",
                           (irow or lrow,)).fetchone()
        conn.execute(f"UPDATE main.{table} SET {sets}, rev = ?, updated_at = ?, office = ?, clerk = ? "
                     f"WHERE rowid = ?", [*(values[c] for c in names), rev, at, *who, lrow])
    store._pending.append(Change(table, "*", "merge"))


def _mixed_sql(plans: dict[str, _TablePlan]) -> dict[str, str]:
    return {table: f"SELECT id FROM main.{table} WHERE rowid IN ({', '.join(str(int(m[0])) for m in tp.mixed)})"
            for table, tp in plans.items() if tp.mixed}


# a table taking at least this many rows has them noted for find's index in one statement (below)
_NOTE_AT_ONCE_MIN = 1000


def _noted_at_once(conn: sqlite3.Connection, table: str, t: int, rows: int):
    """The rows of ``table`` taken in place (``_TAKE``/``_TAKE_IX``) noted for find's index in one
    statement instead of by its TEMP trigger once per row (``search.noted_in_one``: a quarter of a
    second of a 50% merge's 170,000 weekly activities). The UPDATEs set ``deleted`` (never indexed),
    so the trigger fired for every row they write; every planned row is noted (a row the UPDATE
    passes over, whose id differs, is only indexed again as it is)."""
    from ..storage import search
    if rows < _NOTE_AT_ONCE_MIN:
        return contextlib.nullcontext()
    return search.noted_in_one(conn, table, f"SELECT r FROM temp.merge_plan WHERE t = {t} AND what IN ({_TAKE}, {_TAKE_IX})")


def _apply(store: Store, plans: dict[str, _TablePlan], conflicts: list[ConflictInfo], source: str,
           report: "MergeReport | None" = None, settling: bool = True) -> int:
    conn = store.conn
    from ..storage.repair import Settled, settle
    if settling:
        _mark_taken(store, plans)
    for table, tp in plans.items():
        t = tp.t
        cols = ", ".join(["id", "rev", "updated_at", "office", "clerk", "deleted"] + own_columns(table))
        if tp.n(_KEEP):  # (a fast-forwarded local version is in the incoming history already)
            _into_history(conn, "main", table, t, _KEEP)
        # in place, so the row keeps its rowid (_classify_sql finds unchanged rows by rowid first)
        values = [c for c in cols.split(", ") if c != "id"]
        keys = [c for c in values if c in _INDEXED.get(table, ())]
        upd = (f"UPDATE main.{table} AS l SET {{sets}} FROM temp.merge_plan AS p "
               f"CROSS JOIN inc.{table} AS i ON i.rowid = p.o "
               f"WHERE p.t = {t} AND p.what = {{what}} AND l.rowid = p.r AND l.id = i.id")
        with _noted_at_once(conn, table, t, tp.n(_TAKE, _TAKE_IX)):
            if tp.n(_TAKE):
                # an indexed column in SET rewrites its index entries even when the value stays the
                # same: rows whose indexed values are unchanged (nearly all) leave them out
                conn.execute(upd.format(sets=", ".join(f"{c} = i.{c}" for c in values if c not in keys), what=_TAKE))
            if tp.n(_TAKE_IX):
                conn.execute(upd.format(sets=", ".join(f"{c} = i.{c}" for c in values), what=_TAKE_IX))
        if tp.n(_NEW):  # with the incoming rowid where it is free here, so later comparisons are quick
            src = (f"FROM temp.merge_plan p CROSS JOIN inc.{table} i ON i.rowid = p.r "
                   f"WHERE p.t = {t} AND p.what = {_NEW}")
            # (the incoming columns qualified: the plan has columns of the same names, e.g. kind)
            icols = ", ".join("i." + c for c in cols.split(", "))
            kept = conn.execute(f"INSERT OR IGNORE INTO main.{table} (rowid, {cols}) SELECT i.rowid, {icols} {src} "
                                f"AND NOT EXISTS (SELECT 1 FROM main.{table} x WHERE x.rowid = i.rowid)").rowcount
            if kept != tp.n(_NEW):   # (the rest, whose rowid is taken here, under new rowids)
                conn.execute(f"INSERT OR IGNORE INTO main.{table} ({cols}) SELECT {icols} {src}")
        if tp.n(_TAKE, _TAKE_IX, _NEW):
            store._pending.append(Change(table, "*", "merge"))
            fault_point("merge-apply")
        if tp.n(_LOSE):
            _into_history(conn, "inc", table, t, _LOSE)
        _write_mixed(store, table, tp)
        if tp.max_clock > store.last_clock and _plausible_clock(tp.max_clock):
            store.last_clock = tp.max_clock  # later local edits sort after what they have seen
    # one live row per natural key, and none under a deleted parent, among the rows taken
    settled = settle(store, sql=_mixed_sql(plans), marked=True) if settling else Settled()
    for table, rid, kept, other in settled.conflicts:
        conflicts.append(ConflictInfo(table, rid, kept, other, False, table_label(table)))
    if settled.max_clock > store.last_clock and _plausible_clock(settled.max_clock):
        store.last_clock = settled.max_clock
    if report is not None:
        report.settled = settled
    if store.last_clock > (store.meta("clock") or ""):
        store.set_meta("clock", store.last_clock)  # later edits, after the file is reopened, sort after
    before = conn.total_changes
    bad = _unreadable(conn)
    conn.execute(f"INSERT OR IGNORE INTO main.history ({_HIST_COLS}) SELECT {_HIST_COLS} "
                 f"{_new_history_sql('inc', None, bool(bad))}", bad)
    added = conn.total_changes - before
    found = now_iso()
    for c in conflicts:
        c.conflict_id = new_id()
    conn.executemany("INSERT INTO main.conflict (id, table_name, row_id, kept_rev, other_rev, found_at, source, "
                     "fields, resolved) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                     [(c.conflict_id, c.table, c.row_id, c.kept_rev, c.other_rev, found, c.source or source,
                       json.dumps(list(c.fields)) if c.fields else "") for c in conflicts])
    return added


class _WriteBackBeside:
    """The merge's writes pushed to disk in a thread while it works (``fdatasync`` every 10 ms
    through read-only handles of the rollback journal and of our file), so that SQLite's own
    syncs find most of it there already: the journal's when the page cache spills and at COMMIT,
    and our file's after COMMIT has written the changed pages (a third of a large file, written
    only then: its sync took 0.2 s of the clerk's merge, the whole COMMIT 0.27-0.37 s; with this,
    0.16-0.2 s).

    Durability is unchanged: SQLite still syncs the journal before it writes a page of our file,
    and syncs both itself; a page on disk sooner is only what the system could have written at any
    time (a crash then rolls back from the journal as before). The handle of our file is opened
    before the transaction and closed only after it has ended (``close``): closing a handle of a
    file drops every POSIX lock this process holds on it, our writer's too. POSIX only; nothing
    for a file that is never synced (the folder merge's private staging copy)."""

    interval = 0.01   # seconds between two syncs

    def __init__(self, store: Store):
        self.fd: int | None = None
        self.thread: threading.Thread | None = None
        self.done = threading.Event()
        if store.path is None or os.name != "posix" or not hasattr(os, "fdatasync"):
            return
        if store.conn.execute("PRAGMA main.synchronous").fetchone()[0] == 0:
            return
        self.journal = journal_path(store.path)
        with contextlib.suppress(OSError):
            self.fd = os.open(store.path, os.O_RDONLY)

    def start(self) -> None:
        """Once the transaction has begun."""
        if self.fd is not None and self.thread is None:
            self.thread = threading.Thread(target=self._run, name="pmqa-write-back", daemon=True)
            self.thread.start()

    def _run(self) -> None:
        journal = None
        try:
            while not self.done.wait(self.interval):
                if journal is None:   # (made at the transaction's first write, or kept from before)
                    with contextlib.suppress(OSError):
                        journal = os.open(self.journal, os.O_RDONLY)
                if journal is not None:
                    os.fdatasync(journal)
                os.fdatasync(self.fd)
        except OSError:
            pass   # (SQLite syncs both itself)
        finally:
            if journal is not None:
                os.close(journal)

    def close(self) -> None:
        """After the transaction has ended (committed or rolled back)."""
        self.done.set()
        if self.thread is not None:
            self.thread.join()
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None


def _side_work(live: Path | None, exact: bool = True) -> Callable[[sqlite3.Connection], tuple]:
    """What the check's thread reads once the incoming copy has passed its page check, beside the
    comparison running on the store's connection: the rowids of incoming history rows whose data
    is not JSON (never copied) and how many incoming history rows are new to us (``exact``, for a
    preview's report; else only whether there is one: 1 or 0). ``conn`` is the thread's read-only
    connection to the copy; our own file is attached read-only beside it (nobody writes it
    meanwhile: the merge holds the store)."""
    def run(conn: sqlite3.Connection) -> tuple[list[int], int | None]:
        bad = [r for (r,) in conn.execute("SELECT rowid FROM main.history WHERE json_valid(data) IS NOT 1")]
        if live is None:
            return bad, None
        conn.execute("ATTACH DATABASE ? AS live", (read_only_uri(live),))
        try:
            count = conn.execute(
                _new_history_count_sql("main", "live", bool(bad), exact), (json.dumps(bad),) if bad else ()
            ).fetchone()[0]
        finally:
            conn.execute("DETACH DATABASE live")
        return bad, count
    return run


def _set_unreadable_history(conn: sqlite3.Connection, rowids: list[int]) -> None:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS merge_bad(r INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.merge_bad")
    conn.executemany("INSERT OR IGNORE INTO temp.merge_bad(r) VALUES (?)", ((r,) for r in rowids))


def _new_history_sql(theirs: str, ours: str | None, bad: bool) -> str:
    """FROM and WHERE of the incoming history rows to copy: other tables' and unreadable ones are
    left out (``bad``: a JSON list of their rowids is bound), and those we have (by rev) unless
    ``ours`` is None (INSERT OR IGNORE leaves them out by the rev key itself)."""
    names = ", ".join(f"'{t}'" for t in schema.SYNCED_TABLES)  # (our own names: plain identifiers)
    # NOT INDEXED: read in the file's order. SQLite took the (table, row) index for the list of
    # names, every row then looked up on its own: 0.2 s more CPU for the 50% merge's 200,000
    # versions, 0.5 s more for counting them (the list only leaves out a crafted file's rows)
    return (f"FROM {theirs}.history h NOT INDEXED WHERE h.table_name IN ({names})"
            + (f" AND NOT EXISTS (SELECT 1 FROM {ours}.history m WHERE m.rev = h.rev)" if ours else "")
            + (" AND h.rowid NOT IN (SELECT value FROM json_each(?))" if bad else ""))


def _unreadable(conn: sqlite3.Connection) -> tuple:
    bad = [r for (r,) in conn.execute("SELECT r FROM temp.merge_bad")]
    return (json.dumps(bad),) if bad else ()


def _new_history_count_sql(theirs: str, ours: str, bad: bool, exact: bool) -> str:
    """How many incoming history rows are new to us, or (not ``exact``) whether one is: a merge
    that applies counts what it copies anyway, and needs beforehand only whether it changes
    anything (counting them all took a third of a second of a core in a 50% merge)."""
    sql = _new_history_sql(theirs, ours, bad)
    return f"SELECT count(*) {sql}" if exact else f"SELECT EXISTS (SELECT 1 {sql})"


def _count_new_history(store: Store, exact: bool = True) -> int:
    bad = _unreadable(store.conn)
    return store.conn.execute(_new_history_count_sql("inc", "main", bool(bad), exact), bad).fetchone()[0]


def _speed_up(store: Store) -> tuple[int, int]:
    """A page cache for our file (96 MB) big enough for most of what a merge of a large file changes (few spills
    mid-transaction), a small one for the incoming copy (read once, row by row: the system's file
    cache serves it), and no memory-mapped reads: every mapped page of both files counted in the
    program's memory (1.2 GB for a 50% merge of two 270 MB files; under 300 MB without)."""
    conn = store.conn
    saved = (conn.execute("PRAGMA main.cache_size").fetchone()[0], conn.execute("PRAGMA main.mmap_size").fetchone()[0])
    conn.execute("PRAGMA main.cache_size = -98304")   # 96 MB, allocated only as used
    conn.execute("PRAGMA inc.cache_size = -8192")
    conn.execute("PRAGMA inc.mmap_size = 0")
    conn.execute("PRAGMA main.mmap_size = 0")
    # the merge plan (temp.merge_plan) in memory: a temporary file would be written at every
    # statement. (Left so: changing temp_store drops all temporary tables, a kept plan too.)
    conn.execute("PRAGMA temp_store = MEMORY")
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
    # (the change time too, where the system keeps one: a write or a time set back changes it)
    return (str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns if _change_time_kept() else 0)


def _change_time_kept() -> bool:
    """Whether the system stamps a file's change time at every write and at every time set back
    (POSIX's st_ctime, which no program can set): then a file whose stat is the same has not been
    written. Windows keeps no such time (its st_ctime is the creation time)."""
    return os.name == "posix"


@dataclass
class _Prepared:
    """What a preview found, kept so that applying right after it need not check and compare again.

    It is used only for the same store, with our file unchanged since (``_state``) and the
    incoming file unchanged: byte for byte the private copy that was checked and compared, or,
    read in place (``copy`` is the file itself), its stat the same, change time included.
    """
    store: Any        # weakref.ref to the Store
    stat: tuple | None
    stack: contextlib.ExitStack  # owns the private copy
    copy: Path
    in_place: bool
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


def discard_preview() -> None:
    """Forget the last preview (its private copy of the incoming file, if it made one, is removed now)."""
    p = _take_prepared()
    if p is not None:
        p.close()


atexit.register(discard_preview)


def _reusable(p: _Prepared | None, store: Store, incoming_path: Path) -> bool:
    if p is None or p.store() is not store or p.stat is None or p.stat != _stat_key(incoming_path):
        return False
    try:
        with store._lock:
            if _state(store) != p.state:
                return False
    except sqlite3.Error:
        return False
    # (and, before anything is kept, the incoming file byte for byte the copy (_BytesCheck), or,
    # read in place, its stat still the same)
    return True


class _BytesCheck:
    """``_same_bytes`` in a thread, beside the apply: its answer is awaited before the transaction
    commits (a different file rolls the apply back and everything is done again)."""

    def __init__(self, a: Path, b: Path):
        self.same = False
        self.thread = threading.Thread(target=self._run, args=(a, b), name="pmqa-same-bytes", daemon=True)
        self.thread.start()

    def _run(self, a: Path, b: Path) -> None:
        self.same = _same_bytes(a, b)

    def result(self) -> bool:
        self.thread.join()
        return self.same


class _IncomingChanged(Exception):
    """The incoming file is no longer the one the preview checked: merge it afresh."""


def _compare(store: Store, report: MergeReport, check: bool = True, copy: Path | None = None,
             count: bool = True, new: frozenset[str] = frozenset()) -> tuple[dict[str, _TablePlan], list[ConflictInfo]]:
    """Decide every row and fill the report's counts (``inc`` attached; ``copy``: its file, see
    ``_decide``; not the counts per group unless ``count``; ``new``: see ``merge``)."""
    grouper = _Grouper(store)
    ahead = _ClassifyAhead.start(store, copy, check, count)
    from .values import value_faults
    faulty = False

    def any_fault(rows: dict[str, str]) -> bool:
        """Whether a value of these incoming rows (table -> SQL of their rowids) does not fit."""
        return bool(value_faults(store.conn, "inc", also="main", limit=1, rows=rows))

    def meanwhile(others: dict[str, _TablePlan]) -> None:
        # the other tables' values, while the thread still decides its table
        nonlocal faulty
        faulty = check and any_fault({table: _checked_rows_sql(tp.t) for table, tp in others.items()})
    try:
        plans, conflicts, groups = _decide(store, grouper, ahead, count, new, meanwhile)
        _report_counts(report, grouper, plans, conflicts, groups)
        # every incoming value the merge would write (as a row or into the history) must fit its column
        # (not again for a copy whose every value was checked: ``checked``)
        rows = {table: _checked_rows_sql(tp.t) for table, tp in plans.items()}
        found = None
        if ahead is not None:
            # the rows decided in Python here, beside the thread checking those it decided; any
            # fault found, the whole check as without the thread (the same faults named)
            faulty = faulty or (check and any_fault({table: _checked_rows_sql(tp.t, beside=True)
                                                     for table, tp in plans.items() if table in _AHEAD_TABLES}))
            if check and not faulty and ahead.claim("store"):   # (the thread has not begun them: here)
                faulty = any_fault({table: _checked_rows_sql(tp.t) for table, tp in plans.items()
                                    if table in _AHEAD_TABLES})
            found = ahead.after()
            if found is not None and not faulty and not found[1]:
                check = False
        if check:
            check_values(store.conn, report.source, db="inc", also="main", rows=rows)
        if found is not None:
            for table, ids in found[0].items():
                if table in plans:
                    plans[table].taken_beside = ids
    finally:
        if ahead is not None:
            ahead.close()
            _give_back_freed_memory()
    report.conflicts = conflicts
    report.rows_taken = sum(tp.n(_TAKE, _TAKE_IX, _NEW) + len(tp.mixed) for tp in plans.values())
    report.versions_kept_aside = sum(tp.n(_LOSE) for tp in plans.values())
    report.same_both = sum(tp.same for tp in plans.values())
    return plans, conflicts


def _give_back_freed_memory() -> None:
    """Return to the system the memory the comparison of a large file freed (glibc's
    ``malloc_trim``). glibc keeps freed memory for later use in the arena of the thread that
    freed it, and much of it between blocks still in use; the apply that follows, on the main
    thread, cannot use the comparison's thread's and its own memory is added on top: a 50% merge's
    peak was 266 MB with the thread's reading of its rows' faults and ids, 242 MB with this
    (as without that reading). Nothing where there is no glibc."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):   # (another C library)
        return
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    trim(0)


def _report_counts(report: MergeReport, grouper: "_Grouper", plans: dict[str, _TablePlan],
                   conflicts: list[ConflictInfo], groups: list[tuple]) -> None:
    """Each conflict's group, and the report's counts per group and table."""
    for c, key in zip(conflicts, groups):
        c.group = grouper.label(key)
    report.groups = {}
    for table, tp in plans.items():
        for (key, kind), n in tp.tally.items():
            g = report.groups.get(key)
            if g is None:
                g = report.groups[key] = GroupReport(key, grouper.label(key))
            c = g.tables.setdefault(table, Counts())
            setattr(c, kind, getattr(c, kind) + n)


def merge(store: Store, incoming_path: str | Path, dry_run: bool = False, *, backup: bool = True,
          carried: list[ConflictInfo] | None = None, checked: bool = False, staged: bool = False,
          new: frozenset[str] = frozenset()) -> MergeReport:
    """Merge another office's file into ``store`` (or only preview it with ``dry_run``).

    A preview keeps its decisions (and its checked private copy, where it made one); merging the
    same file into the same store right after it reuses them if neither file has changed since
    (the incoming file is compared byte for byte with the checked copy, or, read in place, its
    stat, change time included, is the same). Otherwise everything is done again.

    The page check of the incoming copy (``quick_check``) runs in a thread beside the
    comparison; nothing is reported or written before it has passed, and a damaged file is
    refused with the check's message.

    ``carried``: conflicts found before, with the files merged into the incoming one, listed here
    too in the same transaction (``folder.merge_folder``).

    ``checked``: ``incoming_path`` is already a private copy that passed every check, values
    included (or our own private copy: the folder merge's staging file): it is attached as it
    is, not copied and checked again; its preview does not foresee the settling pass (the folder
    merge's lines do not show it).

    ``staged``: the incoming file is our own file with other files merged into it and settled
    there (the folder merge's staging copy, taken while our file was as it is now): every row it
    brings is a later version of ours, so the settling pass has nothing left to do and is not run;
    its rows are not counted per group (the folder's lines are its files').

    ``new`` (with ``checked`` only): tables of the incoming file none of whose rows' ids is in our
    file, as the caller knows (the folder merge's check thread): their rows are all added, not
    looked up one by one. (If our file changed between the comparison and the transaction, it is
    compared again without this.)
    """
    incoming_path = Path(incoming_path)
    _log.info("merge %s into %s%s", incoming_path, store.path, " (preview)" if dry_run else "")
    if not dry_run:
        store._writable()
    if store._depth:
        raise RuntimeError("merge() must not be called inside a transaction")
    if incoming_path.is_dir():
        raise FileProblem(folder_message(incoming_path))
    prev = _take_prepared()
    clock = store.last_clock
    try:
        try:
            return _merge(store, incoming_path, dry_run, backup, prev, carried, checked, staged,
                          new if checked else frozenset())
        except _IncomingChanged as exc:  # (rolled back: nothing of it was kept)
            store.last_clock = clock
            report = _merge(store, incoming_path, dry_run, backup and exc.args[0] is None, None, carried, checked,
                            staged, in_place=False)   # (this time from a private copy)
            report.backup = report.backup or exc.args[0]
            return report
    except (sqlite3.Error, OSError) as exc:  # (the transaction was rolled back: nothing was kept)
        store.last_clock = clock
        raise UserError(failure_message(exc, store.path, incoming_path), str(exc)) from exc


def folder_message(path: Path) -> str:
    return _("{path} is a folder, not a file. Choose the database file itself.").format(path=path)


def failure_message(exc: BaseException, db: Path | None, incoming: Path) -> str:
    """A sentence for a merge that the file system or SQLite stopped (the merge was rolled back)."""
    text = str(exc).lower()
    name = Path(db).name if db else "?"
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT) or "full" in text:
        return _("There is not enough free space on the disk to merge {incoming} into {name}. Nothing was "
                 "changed; free some space and try again.").format(incoming=incoming.name, name=name)
    if (isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS)) or "readonly" in text \
            or "read-only" in text:
        return _("{name} cannot be written: the file or its folder is read-only. Nothing was changed; "
                 "copy the file to a folder where you can write and merge there.").format(name=name)
    if "locked" in text or "busy" in text:
        return busy_message(db)
    return _("{incoming} could not be merged into {name} ({error}). Nothing was changed.").format(
        incoming=incoming.name, name=name, error=exc)


def _merge(store: Store, incoming_path: Path, dry_run: bool, backup: bool, prev: _Prepared | None,
           carried: list[ConflictInfo] | None = None, checked: bool = False, staged: bool = False,
           new: frozenset[str] = frozenset(), in_place: bool = True) -> MergeReport:
    report = MergeReport(source=incoming_path, dry_run=dry_run)
    keep_plan = False
    same_bytes: _BytesCheck | None = None
    read_in_place = False   # the incoming file itself read, not a private copy: unchanged until the end?

    def unchanged() -> bool:
        """The incoming file is still the one read: byte for byte the preview's private copy, or,
        read in place, its stat (change time included) the same."""
        return ((same_bytes is None or same_bytes.result())
                and not (read_in_place and _stat_key(incoming_path) != stat))
    with contextlib.ExitStack() as stack:
        if checked:   # (a preview of a checked copy is not kept: the caller keeps the copy)
            if prev is not None:
                _put_prepared(prev)
                prev = None
        reuse = not dry_run and not checked and _reusable(prev, store, incoming_path)
        if reuse:
            stack.callback(prev.close)
            if prev.in_place:
                read_in_place, stat = True, prev.stat
            else:
                same_bytes = _BytesCheck(incoming_path, prev.copy)
                stack.callback(same_bytes.result)  # (joined before the copy is removed)
            copy = prev.copy
            plans, conflicts, state = prev.plans, prev.conflicts, prev.state
            report.groups = prev.report.groups
            report.conflicts = conflicts
            report.rows_taken = prev.report.rows_taken
            report.versions_kept_aside = prev.report.versions_kept_aside
            report.history_added = prev.report.history_added
            report.same_both = prev.report.same_both
        else:
            if prev is not None:
                prev.close()
            stat = _stat_key(incoming_path)
            if checked:
                from .safety import CheckResult
                copy, res = incoming_path, CheckResult(incoming_path, schema.SCHEMA_VERSION, False, "")
            else:
                copy, res = stack.enter_context(open_incoming(
                    incoming_path, thorough=False, background=True, also=_side_work(store.path, exact=dry_run),
                    # (a preview's decisions are reused only for the bytes it read: where no
                    # change time tells that a file was written, it keeps a private copy, compared
                    # with the file byte for byte at the Merge)
                    in_place_of=store.path if in_place and (not dry_run or _change_time_kept()) else None))
                read_in_place = res.in_place
        with store._lock:
            store.conn.execute("ATTACH DATABASE ? AS inc", (read_only_uri(copy),))
            saved = _speed_up(store)
            try:
                if not reuse:
                    try:
                        if res.newer:
                            raise NewerFileError(_("{name} was saved by a newer version of PMQA Desktop; update "
                                                   "the program before merging it. Nothing was changed.").format(
                                name=incoming_path.name))
                        verify_schema(store.conn, incoming_path, db="inc")
                        version = store.conn.execute("PRAGMA main.data_version").fetchone()[0]
                        plans, conflicts = _compare(store, report, not checked,
                                                    None if checked or staged else copy, not staged, new)
                    except BaseException:
                        res.wait()  # a damaged file: the check's message, not what reading it met
                        raise
                    # raises if the file is damaged: the comparison is thrown away
                    side = res.wait()
                    if side is None:  # (the thread could not do it)
                        side = ([r for (r,) in store.conn.execute(
                            "SELECT rowid FROM inc.history WHERE json_valid(data) IS NOT 1")], None)
                    bad, count = side
                    _set_unreadable_history(store.conn, bad)
                    # (a merge that applies: 1 or 0 until the apply counts what it copied)
                    report.history_added = _count_new_history(store, exact=dry_run) if count is None else count
                    if dry_run and not checked:   # what Apply will report of twins and restored parents
                        report.settled = _foresee(store, plans)
                    if not unchanged():
                        raise _IncomingChanged(None)   # (written meanwhile: compared again from a copy)
                    state = (store.conn.total_changes, version)
                    if dry_run and not checked:
                        _put_prepared(_Prepared(weakref.ref(store), stat, stack.pop_all(), copy, read_in_place,
                                                state, plans, conflicts, report))
                        keep_plan = True
                if dry_run or report.changes_nothing:
                    if not unchanged():
                        raise _IncomingChanged(None)
                    return report
                beside = None
                if backup:
                    from .backup import BackupBeside, backup_now
                    if BackupBeside.available(store):
                        # copied while the merge works; listed, synced, before it commits
                        beside = BackupBeside(store.path, "merge")
                        stack.callback(beside.close)   # (after the transaction has ended)
                    else:
                        report.backup = backup_now(store, "merge")
                write_back = _WriteBackBeside(store)
                stack.callback(write_back.close)   # (after the transaction has ended)
                with store.transaction():
                    write_back.start()
                    if _state(store) != state:  # written to since the comparison: compare again
                        plans, conflicts = _compare(store, report, not checked, count=not staged)
                    if carried:
                        conflicts = report.conflicts = [*conflicts, *carried]
                    report.history_added = _apply(store, plans, conflicts, incoming_path.name, report, settling=not staged)
                    if beside is not None:
                        report.backup = beside.finish()   # (raises if it could not be made: rolled back)
                    if not unchanged():
                        raise _IncomingChanged(report.backup)  # rolls the transaction back
                write_back.close()
                report.applied = True
            except BaseException:
                if not keep_plan:
                    with contextlib.suppress(sqlite3.Error):
                        store.conn.execute("DROP TABLE IF EXISTS temp.merge_plan")
                        store.conn.execute("DROP TABLE IF EXISTS temp.merge_bad")
                raise
            finally:
                # after a merge the plan (a few MB in memory) is left for the next merge to clear
                # (``_decide``) or for the connection's close: dropping it here took up to a
                # fifth of a second of the clerk's wait
                _restore_speed(store, saved)
                store.conn.execute("DETACH DATABASE inc")
    return report


# ---------------------------------------------------------------- conflicts afterwards

def conflict_list(store: Store, include_resolved: bool = False) -> list[dict[str, Any]]:
    """The conflicts for the clerk to review, newest first, without their versions (one query:
    a large merge lists thousands; ``conflict_detail`` reads one's versions when it is shown)."""
    names = ", ".join(f"'{t}'" for t in schema.TABLES)  # (our own names: plain identifiers)
    return store.query("SELECT * FROM conflict WHERE table_name IN (" + names + ")"
                       + ("" if include_resolved else " AND resolved = 0") + " ORDER BY found_at DESC, rowid")


def conflict_detail(store: Store, conflict: dict[str, Any]) -> dict[str, Any]:
    """A conflict from ``conflict_list`` with its kept (current) and other version, and the
    columns in which they differ."""
    c = dict(conflict)
    current = store.get(c["table_name"], c["row_id"], include_deleted=True)
    other = store.query("SELECT * FROM history WHERE rev = ?", (c["other_rev"],))
    if other:
        other = other[0]
        other["data"] = json.loads(other["data"])
    c["current"] = current
    c["other"] = other or None
    own = conflict_fields(c) or own_columns(c["table_name"])
    c["differs"] = sorted(k for k in own if current and other and current.get(k) != other["data"].get(k))
    return c


def conflict_fields(conflict: dict[str, Any]) -> list[str]:
    """The fields a conflict is about (both offices changed them), or [] for the whole row."""
    try:
        fields = json.loads(conflict.get("fields") or "[]")
    except ValueError:
        return []
    own = own_columns(conflict["table_name"])
    return [f for f in fields if f in own] if isinstance(fields, list) else []


def open_conflicts(store: Store, include_resolved: bool = False) -> list[dict[str, Any]]:
    """Conflicts for the clerk to review: the kept (current) and the other version of each row."""
    return [conflict_detail(store, c) for c in conflict_list(store, include_resolved)]


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
    fields = conflict_fields(c)
    with store.transaction():
        # a field's conflict: only that field comes back (the other edits merged beside it stay)
        values = {k: data[k] for k in (fields or own_columns(table)) if k in data}
        store.update(table, rid, values)
        if not fields and bool(other["deleted"]) != bool(current["deleted"]):
            if other["deleted"]:
                store.delete(table, rid)
            else:
                store.undelete(table, rid)
        new = store.get(table, rid, include_deleted=True)
        store.conn.execute("UPDATE conflict SET kept_rev = ?, other_rev = ? WHERE id = ?",
                           (new["rev"], current["rev"], conflict_id))
    return new["rev"]


def conflict_state(store: Store, conflict_id: str) -> tuple[str, str, int] | None:
    """(kept rev, other rev, resolved) of a conflict's record, for undoing a swap or a review."""
    rows = store.query("SELECT kept_rev, other_rev, resolved FROM conflict WHERE id = ?", (conflict_id,))
    return (rows[0]["kept_rev"], rows[0]["other_rev"], rows[0]["resolved"]) if rows else None


def set_conflict_state(store: Store, conflict_id: str, state: tuple[str, str, int]) -> None:
    store._writable()
    with store.transaction():
        store.conn.execute("UPDATE conflict SET kept_rev = ?, other_rev = ?, resolved = ? WHERE id = ?",
                           (*state, conflict_id))


def resolve_conflict(store: Store, conflict_id: str, resolved: bool = True) -> None:
    """Mark a conflict as reviewed (it stays in the table, hidden from the open list)."""
    store._writable()
    with store.transaction():
        store.conn.execute("UPDATE conflict SET resolved = ? WHERE id = ?", (1 if resolved else 0, conflict_id))
