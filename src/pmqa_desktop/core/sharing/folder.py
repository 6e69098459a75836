"""Merge every file in a folder: what a province receives from its agencies, taken in together.

One preview, one backup, one commit. The files are first merged one after another (with
``merge``, nothing copied from it) into a private copy of our file; that copy is then merged into
our file in a single transaction, after the one backup. So the province's file either takes every
agency's file or none of them, and the result is the same as merging them one by one. The
conflicts found between an agency's file and ours travel with it (named by the agency's file).

A damaged or foreign file among them is named and refused before anything is merged: nothing is
changed, not even the private copy is kept.
"""
from __future__ import annotations

import atexit
import concurrent.futures
import contextlib
import sqlite3
import tempfile
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from ...i18n import _, ngettext
from ..errors import FileProblem, UserError
from ..storage import schema, search
from ..storage.store import Change, Store, read_only_uri, set_defensive
from .faults import fault_point
from .merge import (_KEEP, _NEW, _TAKE, _TAKE_IX, ConflictInfo, MergeReport, _stat_key, _state, conflict_fields,
                    discard_preview, failure_message, merge, outcome_lines, table_label)
from .safety import check_file, open_incoming

_SKIP_SUFFIXES = ("-journal", "-wal", "-shm", ".lock", ".tmp", ".part")


@dataclass
class FolderReport:
    """Each file's report (as merged after the ones before it) and the whole merge's."""
    folder: Path
    dry_run: bool
    files: list[MergeReport] = field(default_factory=list)
    total: MergeReport | None = None
    applied: bool = False
    backup: Path | None = None

    found: int = 0   # conflicts the files make, merged one after another (listed by the Merge)

    @property
    def conflicts(self) -> int:
        """The conflicts the merge lists (each file's against ours and between the files)."""
        return len(self.total.conflicts) if self.total is not None else self.found

    @property
    def changes_nothing(self) -> bool:
        return all(r.changes_nothing for r in self.files)

    def lines(self) -> list[str]:
        out = [ngettext("Merge of every file in {folder}: {n} file.", "Merge of every file in {folder}: {n} files.",
                        len(self.files)).format(folder=self.folder.name or str(self.folder), n=len(self.files))]
        for r in self.files:
            t = r.totals()
            out.append("  " + ngettext("{name}: {add} added, {change} changed, {delete} deleted, {conflict} conflict",
                                        "{name}: {add} added, {change} changed, {delete} deleted, {conflict} conflicts",
                                        t.conflict).format(
                name=r.source.name, add=t.add, change=t.change, delete=t.delete, conflict=t.conflict))
        return out + outcome_lines(self)


def folder_files(folder: str | Path, db: Path | None = None) -> list[Path]:
    """The files of ``folder`` to merge, by name (not hidden ones, journals, or our own file)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileProblem(_("{path} is not a folder.").format(path=folder))
    own = db.resolve() if db else None
    files = sorted((p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                    and not p.name.endswith(_SKIP_SUFFIXES) and (own is None or p.resolve() != own)),
                   key=lambda p: p.name)
    if not files:
        raise FileProblem(_("{path} holds no files to merge.").format(path=folder))
    return files


def check_folder(files: list[Path]) -> None:
    """Refuse the whole folder, naming every damaged or foreign file in it."""
    bad: list[str] = []
    for p in files:
        try:
            res = check_file(p, thorough=False)
        except FileProblem as exc:
            bad.append(f"{p.name}: {exc}")
            continue
        if res.newer:
            bad.append(f"{p.name}: " + _newer(p))
    _refuse(bad)


def _newer(p: Path) -> str:
    return _("{name} was saved by a newer version of PMQA Desktop; update the program before merging it. "
             "Nothing was changed.").format(name=p.name)


def _refuse(bad: list[str]) -> None:
    if bad:
        raise FileProblem(_("These files cannot be merged, so none of the folder was merged and nothing was "
                            "changed:") + "\n" + "\n".join(bad))


# the fast-forward copies its pages in steps (one transaction all the same): a point between them
_COPY_STEPS, _COPY_MIN_PAGES = 8, 256


@dataclass
class _Staged:
    """A preview's work, kept for the Apply right after it: the files merged into a private copy
    of our file. Used only for the same store, unchanged since (``merge._state``), and the same
    files, unchanged since (``merge._stat_key``)."""
    store: Any                  # weakref.ref to the Store
    folder: Path
    stats: list[tuple | None]
    state: tuple[int, int]
    tmp: tempfile.TemporaryDirectory
    staging: Path
    report: FolderReport
    carried: list[ConflictInfo]
    counter: int | None = None   # our file's change counter when the staging copy was taken
    first: int = 0               # the last conflict row our file had then (the staging copy's own after it)

    def close(self) -> None:
        self.tmp.cleanup()


_staged: _Staged | None = None
_staged_lock = threading.Lock()


def _swap_staged(new: _Staged | None) -> _Staged | None:
    global _staged
    with _staged_lock:
        old, _staged = _staged, new
    return old


def discard_folder_preview() -> None:
    """Forget the last folder preview (its private copy of our file is removed now)."""
    old = _swap_staged(None)
    if old is not None:
        old.close()


atexit.register(discard_folder_preview)


def _reusable(st: _Staged | None, store: Store, folder: Path, files: list[Path]) -> bool:
    if st is None or st.store() is not store or st.folder != folder.resolve():
        return False
    if st.stats != [_stat_key(p) for p in files]:
        return False
    try:
        with store._lock:
            return _state(store) == st.state
    except sqlite3.Error:
        return False


def _stage(store: Store, folder: Path, files: list[Path], dry_run: bool) -> _Staged:
    """Merge every file into a private copy of our file, each one also previewed against our
    file itself (its counts are what it brings to us, not to the files before it)."""
    report = FolderReport(folder, dry_run)
    tmp = tempfile.TemporaryDirectory(prefix="pmqa-folder-")
    try:
        # (named as the folder: what a message about merging it names is the folder, not a file of ours)
        staging_path = Path(tmp.name) / (folder.resolve().name or "folder")
        with store._lock:
            target = sqlite3.connect(staging_path)
            try:
                counter = _counter(store)
                store.conn.backup(target)   # (a consistent copy, even while the window has the file open)
                if counter != _counter(store):
                    counter = None
            finally:
                target.close()
        stats = [_stat_key(p) for p in files]
        staging = Store.open(staging_path, store.actor, check="")
        try:
            # our own private copy, thrown away after the final merge: no need to sync it to disk,
            # nor to write its rollback journal to a file (a failed merge still rolls back), and
            # a page cache kept between the merges (as large as a merge's own: ``_speed_up``)
            staging.conn.execute("PRAGMA synchronous = OFF")
            staging.conn.execute("PRAGMA journal_mode = MEMORY")
            staging.conn.execute("PRAGMA main.cache_size = -98304")
            # nor to note every row written for find's index (closed without indexing)
            search.detach(staging.conn)
            first = staging.conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM conflict").fetchone()[0]
            seen = _Touched(staging, store.path)
            bad: list[str] = []
            added = _Added(store.path) if store.path is not None else None
            ahead = _checked_ahead(files, added)
            try:
                for p, opened in ahead:
                    try:   # each file copied and checked once; both merges below read that copy
                        with opened() as (copy, res, looked):
                            if res.newer:
                                bad.append(f"{p.name}: " + _newer(p))
                                continue
                            if bad:   # (the folder is refused: the others are only checked)
                                continue
                            meets_added, new = looked if looked is not None else (None, frozenset())
                            alike = seen.alike(copy, meets_added)
                            # (the tables whose rows are all new to the staging copy: not looked up one by one)
                            done = merge(staging, copy, backup=False, checked=True, new=new)
                            if alike:
                                # it touches no row and no history version the files before it
                                # brought (nor a row their settling wrote): what its comparison
                                # decides in the staging copy is what it decides in ours
                                own = _as_preview(done)
                            else:
                                own = merge(store, copy, dry_run=True, checked=True)
                            own.source = p
                            report.files.append(own)
                            seen.add(copy, done)
                    except FileProblem as exc:
                        bad.append(f"{p.name}: {exc}")
            finally:
                ahead.close()   # (a merge stopped: the copy made ahead is removed now)
                if added is not None:
                    added.close()
            _refuse(bad)
            carried = [ConflictInfo(r["table_name"], r["row_id"], r["kept_rev"], r["other_rev"], True,
                                    table_label(r["table_name"]), source=r["source"],
                                    fields=tuple(conflict_fields(r)))
                       for r in staging.query("SELECT * FROM conflict WHERE rowid > ? ORDER BY rowid", (first,))]
        finally:
            staging.close(index=False)   # (thrown away after the final merge: find's index not updated)
        with store._lock:   # (after the previews against our file: their plans count as changes)
            state = _state(store)
        report.found = len(carried)
        return _Staged(weakref.ref(store), folder.resolve(), stats, state, tmp, staging_path, report, carried,
                       counter, first)
    except BaseException:
        tmp.cleanup()
        raise


def _checked_ahead(files: list[Path], added: "_Added | None" = None) -> Iterator[tuple[Path, Callable[[], Any]]]:
    """Each file with its checked private copy (``open_incoming``, as a context manager to enter,
    giving the copy, its check's result and ``added.look(copy)``: None without ``added``), in
    order; the next file is copied and checked in a thread while the caller merges this one
    (SQLite works without Python's lock: the checks run on a second core beside the merge). A
    check's FileProblem is raised when its file's copy is entered, as without the thread."""
    def enter(p: Path):
        cm = open_incoming(p, thorough=False)
        copy, res = cm.__enter__()
        try:   # (in the thread too, in the files' order: see _Added)
            looked = added.look(copy) if added is not None and not res.newer else None
        except BaseException:
            cm.__exit__(None, None, None)
            raise
        return cm, (copy, res, looked)

    def exit_(fut: concurrent.futures.Future) -> None:
        with contextlib.suppress(BaseException):
            fut.result()[0].__exit__(None, None, None)

    @contextlib.contextmanager
    def opened(fut: concurrent.futures.Future):
        cm, value = fut.result()   # (raises the check's FileProblem; its copy is then removed)
        try:
            yield value
        finally:   # (entered in the thread, left here: the copy is removed)
            cm.__exit__(None, None, None)

    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="pmqa-folder-check") as pool:
        ahead = pool.submit(enter, files[0]) if files else None
        try:
            for i, p in enumerate(files):
                fut, ahead = ahead, (pool.submit(enter, files[i + 1]) if i + 1 < len(files) else None)
                used = False

                def take(fut=fut):
                    nonlocal used
                    used = True
                    return opened(fut)
                try:
                    yield p, take
                finally:
                    if not used:
                        exit_(fut)
        finally:
            if ahead is not None:   # (left early: the copy made ahead is removed)
                exit_(ahead)


def _as_preview(done: MergeReport) -> MergeReport:
    """A staging merge's report as the preview of the same file against our file (its
    comparison's: the conflicts its settling pass listed, last in the list, left out, as a
    preview of a checked copy does not foresee the pass)."""
    conflicts = done.conflicts[:len(done.conflicts) - len(done.settled.conflicts)] if done.settled else done.conflicts
    return MergeReport(done.source, True, groups=done.groups, conflicts=list(conflicts),
                       history_added=done.history_added, rows_taken=done.rows_taken,
                       versions_kept_aside=done.versions_kept_aside, same_both=done.same_both)


class _Touched:
    """The rows and history versions the files merged so far brought into the staging copy.

    A file that meets none of them is decided alike against the staging copy and against our
    file (every row it holds is there as in ours), so its counts against our file are those of
    its staging merge and it is not compared a second time. The rows a settling pass wrote
    (twins made one, rows moved, parents restored: noted by the staging store at each commit)
    are followed too; their old versions went into the staging copy's history.

    The rows the files added (nearly all of a roll-up's) are not noted one by one: they are the
    staging copy's rows that our file (attached read-only, unchanged meanwhile: a preview writes
    nothing to it) does not hold. Only when our file cannot be read so are they noted too."""

    def __init__(self, staging: Store, ours: Path | None):
        self.conn = staging.conn
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS folder_touched(tbl INTEGER NOT NULL, id TEXT NOT NULL, "
                          "PRIMARY KEY (tbl, id)) WITHOUT ROWID")
        self.conn.execute("DELETE FROM temp.folder_touched")
        self.history = self.conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM main.history").fetchone()[0]
        self.numbers = {table: t for t, table in enumerate(schema.SYNCED_TABLES)}
        self.written: list[tuple[int, str]] = []
        self.ours = ours
        self.added_noted = ours is None   # (our file is read beside the staging copy, else)
        staging.subscribe(self.noted)

    def noted(self, changes: list) -> None:
        """The staging store's changes at a commit: rows written one by one (a settling pass),
        not the merge's own (noted per table, ``*``: those are in its plan)."""
        self.written.extend((self.numbers.get(c.table, -1), c.row_id) for c in changes if c.row_id != "*")

    @contextlib.contextmanager
    def _attached(self, copy: Path, ours: bool = False):
        self.conn.execute("ATTACH DATABASE ? AS fold", (read_only_uri(copy),))
        try:
            if ours:
                self.conn.execute("ATTACH DATABASE ? AS ours", (read_only_uri(self.ours),))
            try:
                yield
            finally:
                if ours:
                    self.conn.execute("DETACH DATABASE ours")
        finally:
            self.conn.execute("DETACH DATABASE fold")

    def alike(self, copy: Path, meets_added: bool | None = None) -> bool:
        """Whether ``copy`` meets none of the rows and history versions the files before it
        brought. ``meets_added``: whether it holds a row they added (``_Added.look``, worked out
        in the check thread; None: not known there, looked up here)."""
        if not self.added_noted and meets_added:
            return False
        meets = [f"SELECT 1 FROM fold.{table} i WHERE EXISTS (SELECT 1 FROM temp.folder_touched f "
                 f"WHERE f.tbl = {t} AND f.id = i.id)" for t, table in enumerate(schema.SYNCED_TABLES)]
        lookup = not self.added_noted and meets_added is None
        if lookup:   # a row an earlier file added: in the staging copy, not in ours
            meets += [f"SELECT 1 FROM fold.{table} i WHERE EXISTS (SELECT 1 FROM main.{table} s WHERE s.id = i.id) "
                      f"AND NOT EXISTS (SELECT 1 FROM ours.{table} o WHERE o.id = i.id)"
                      for table in schema.SYNCED_TABLES]
        try:
            with self._attached(copy, ours=lookup):
                hit = self.conn.execute(f"SELECT EXISTS ({' UNION ALL '.join(meets)}) OR EXISTS (SELECT 1 "
                                        f"FROM fold.history h WHERE EXISTS (SELECT 1 FROM main.history m "
                                        f"WHERE m.rev = h.rev AND m.rowid > ?))", (self.history,)).fetchone()[0]
        except sqlite3.Error:   # (our file locked by another program, say: compared with ours again)
            return False
        return not hit

    def add(self, copy: Path, done: MergeReport) -> None:
        """Note the rows the staging merge of ``copy`` decided (its plan, left by ``merge``; the
        rows it added only if our file cannot be read beside it) and those its settling pass wrote."""
        self.conn.executemany("INSERT OR IGNORE INTO temp.folder_touched(tbl, id) VALUES (?, ?)", self.written)
        self.written.clear()
        which = f"p.what <> {_KEEP}" + ("" if self.added_noted else f" AND p.what <> {_NEW}")
        with self._attached(copy):
            for t, table in enumerate(schema.SYNCED_TABLES):
                self.conn.execute(
                    f"INSERT OR IGNORE INTO temp.folder_touched(tbl, id) "
                    f"SELECT {t}, i.id FROM temp.merge_plan p CROSS JOIN fold.{table} i "
                    f"ON i.rowid = CASE WHEN p.what IN ({_TAKE}, {_TAKE_IX}) THEN p.o ELSE p.r END "
                    f"WHERE p.t = {t} AND {which} UNION ALL "
                    f"SELECT {t}, l.id FROM temp.merge_plan p CROSS JOIN main.{table} l ON l.rowid = p.r "
                    f"WHERE p.t = {t} AND p.what = {_KEEP}")


class _Added:
    """The rows the files merged so far added to the staging copy (those of their files that our
    file does not hold), followed in the check thread, in the files' order: each file, once
    checked, is looked up there and its own such rows are noted (``look``), beside the merge of
    the file before it. Our file is read read-only (a preview writes nothing to it; rows are never
    removed from it); if it cannot be read, this and every later file are looked up by the
    staging merge's side (None)."""

    def __init__(self, ours: Path):
        self.ours = ours
        self.conn: sqlite3.Connection | None = None
        self.failed = False

    def look(self, copy: Path) -> tuple[bool, frozenset[str]] | None:
        """(whether ``copy`` holds a row an earlier file added, the tables of ``copy`` none of
        whose rows is in the staging copy: neither in our file nor added), or None: not known.
        Its own rows that our file does not hold are then noted, for the files after it."""
        if self.failed:
            return None
        meets, new = False, set()
        try:
            if self.conn is None:
                # (its own in-memory table, without a rollback journal: a failed statement ends its
                # use, see below; with one, each file's insert copied most of the table's pages
                # first, ~20 MB more at the peak. Set before the defensive mode, which forbids it;
                # the files are read as any incoming copy: ``_connect``'s settings)
                conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
                conn.execute("PRAGMA journal_mode = OFF")
                conn.execute("PRAGMA trusted_schema = OFF")
                set_defensive(conn)
                self.conn = conn
                self.conn.execute("CREATE TABLE added(tbl INTEGER NOT NULL, id NOT NULL, PRIMARY KEY (tbl, id)) "
                                  "WITHOUT ROWID")
                self.conn.execute("CREATE TABLE new(id)")
            conn = self.conn
            conn.execute("ATTACH DATABASE ? AS fold", (read_only_uri(copy),))
            try:
                conn.execute("ATTACH DATABASE ? AS ours", (read_only_uri(self.ours),))
                try:
                    conn.execute("BEGIN")
                    for t, table in enumerate(schema.SYNCED_TABLES):
                        conn.execute("DELETE FROM main.new")
                        # its rows our file does not hold
                        n = conn.execute(f"INSERT INTO main.new(id) SELECT i.id FROM fold.{table} i WHERE NOT EXISTS "
                                         f"(SELECT 1 FROM ours.{table} o WHERE o.id = i.id)").rowcount
                        if not n:
                            continue
                        # one of them noted already (an earlier file's, or twice in this file) is not noted again
                        noted = conn.execute(f"INSERT OR IGNORE INTO main.added(tbl, id) SELECT {t}, id FROM main.new "
                                             f"ORDER BY id").rowcount
                        if noted != n:
                            meets = True
                        elif n == conn.execute(f"SELECT count(*) FROM fold.{table}").fetchone()[0]:
                            new.add(table)
                    conn.execute("COMMIT")
                finally:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    conn.execute("DETACH DATABASE ours")
            finally:
                conn.execute("DETACH DATABASE fold")
        except sqlite3.Error:
            self.failed = True   # (a file's added rows not noted: no later file is told "none")
            return None
        return meets, frozenset(new)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def merge_folder(store: Store, folder: str | Path, dry_run: bool = False, *, backup: bool = True) -> FolderReport:
    """Merge every file in ``folder`` into ``store`` in one transaction (or only preview it).

    A preview keeps its work (the files merged into a private copy of our file); Merge right
    after it, with our file and the folder's files unchanged since, only merges that copy into
    our file (one backup, one transaction)."""
    folder = Path(folder)
    if not dry_run:
        store._writable()
    if folder.is_file():
        raise FileProblem(_("{path} is a file, not a folder. Choose the folder holding the files.").format(path=folder))
    files = folder_files(folder, store.path)
    prev = _swap_staged(None)
    if prev is not None and not dry_run and _reusable(prev, store, folder, files):
        st = prev
    else:
        if prev is not None:
            prev.close()
        st = _stage(store, folder, files, dry_run)
    report = st.report
    report.dry_run = dry_run
    if dry_run:
        _swap_staged(st)   # kept for the Apply
        return report
    try:
        if report.changes_nothing:
            return report
        # our file unchanged since the staging copy was taken: that copy is the result (fast-forward)
        try:
            report.total = _fast_forward(store, st, backup)
        except (sqlite3.Error, OSError) as exc:   # (the copy was rolled back: nothing was kept)
            raise UserError(failure_message(exc, store.path, st.staging), str(exc)) from exc
        if report.total is None:
            # the staging copy is ours, merged above: attached as it is, not copied and checked again
            report.total = merge(store, st.staging, backup=backup, carried=st.carried, checked=True, staged=True)
        report.applied = report.total.applied
        report.backup = report.total.backup
    finally:
        st.close()
    return report


# ---------------------------------------------------------------- the apply as a fast-forward

def _counter(store: Store) -> int | None:
    """Our file's change counter (SQLite raises it at every commit that writes the file, in the
    rollback-journal modes we use); None when it cannot tell (no file, or another journal mode)."""
    if store.path is None:
        return None
    mode = store.conn.execute("PRAGMA main.journal_mode").fetchone()[0]
    if str(mode).lower() not in ("delete", "persist", "truncate"):
        return None
    from .backup import change_counter
    return change_counter(Path(store.path)) or None


def _changed_rows(conn: sqlite3.Connection) -> dict[str, int] | None:
    """Note in ``temp.ff_changed`` every row of the staging copy (attached as ``ff``) that our file
    lacks or holds otherwise, by table; the count of them per table, or None when a row of ours
    is not in the copy under the same rowid (never so for a copy of our file that merges only
    added to: then the merge is done the ordinary way)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS ff_changed(t INTEGER NOT NULL, r INTEGER NOT NULL, "
                 "ours INTEGER NOT NULL, PRIMARY KEY (t, r)) WITHOUT ROWID")
    conn.execute("DELETE FROM temp.ff_changed")
    counts: dict[str, int] = {}
    for t, table in enumerate(schema.SYNCED_TABLES):
        cols = [r[1] for r in conn.execute(f"PRAGMA main.table_info({table})")]
        if cols != [r[1] for r in conn.execute(f"PRAGMA ff.table_info({table})")]:
            return None
        same = " AND ".join(f"m.{c} IS s.{c}" for c in cols)
        conn.execute(f"INSERT INTO temp.ff_changed(t, r, ours) SELECT {t}, s.rowid, m.id IS s.id "
                     f"FROM ff.{table} s LEFT JOIN main.{table} m ON m.rowid = s.rowid "
                     f"WHERE m.rowid IS NULL OR NOT ({same})")
        changed, ours_kept = conn.execute(
            "SELECT count(*), coalesce(sum(ours), 0) FROM temp.ff_changed WHERE t = ?", (t,)).fetchone()
        (theirs,) = conn.execute(f"SELECT count(*) FROM ff.{table}").fetchone()
        (ours,) = conn.execute(f"SELECT count(*) FROM main.{table}").fetchone()
        if theirs - changed + ours_kept != ours:   # (rows of ours matched in the copy, by rowid and id)
            return None
        counts[table] = changed
    return counts


def _fast_forward(store: Store, st: _Staged, backup: bool) -> MergeReport | None:
    """Apply the staged merge by copying the staging copy's pages over our file, when our file
    has not changed since that copy was taken (its change counter): the staging copy is then our
    file with every agency's file merged into it and settled, which is what merging it into our
    file writes, row for row (every synced row, the history, the conflicts listed). SQLite's
    backup copies it in one transaction of our file (rolled back whole if it fails), after the
    merge's backup of our file is made and listed. Find's index: the rows that differ are noted
    for it, as the merge's writes would be. None when the merge must be done the ordinary way."""
    if st.counter is None or store.path is None or store._depth:
        return None
    with store._lock:
        if store.conn.in_transaction or _counter(store) != st.counter:
            return None
        try:
            done = _copy_staged(store, st, backup)
        finally:
            store.conn.execute("DROP TABLE IF EXISTS temp.ff_changed")
    if done is None:
        return None
    # a file's preview kept (``merge``) was decided against our file as it was; the page copy
    # changes neither count it is checked against (``merge._state``), as a write of ours would
    discard_preview()
    report, changes = done
    store.notify(changes)   # (what the merge's transaction tells the window)
    return report


def _copy_staged(store: Store, st: _Staged, backup: bool) -> tuple[MergeReport, list[Change]] | None:
    from .backup import BackupBeside, backup_now
    from ..storage.store import now_iso
    conn = store.conn
    report = MergeReport(source=st.staging, dry_run=False)
    with contextlib.ExitStack() as stack:
        beside = None
        if backup and BackupBeside.available(store):
            beside = BackupBeside(store.path, "merge")   # (copied while the rows are compared)
            stack.callback(beside.close)   # (after the copy: its handle's close drops our locks)
        conn.execute("ATTACH DATABASE ? AS ff", (read_only_uri(st.staging),))
        try:
            counts = _changed_rows(conn)
            if counts is None:
                return None
            (history,) = conn.execute(
                "SELECT count(*) FROM ff.history h WHERE NOT EXISTS (SELECT 1 FROM main.history m "
                "WHERE m.rev = h.rev)").fetchone()
            ids = [r for (r,) in conn.execute("SELECT id FROM ff.conflict WHERE rowid > ? ORDER BY rowid",
                                              (st.first,))]
        finally:
            conn.execute("DETACH DATABASE ff")
        if len(ids) != len(st.carried):
            return None
        noted = {t: search.SEARCHABLE[table][0] for t, table in enumerate(schema.SYNCED_TABLES)
                 if counts[table] and table in search.SEARCHABLE}
        # the staging copy's last touches: its conflicts found now (as a merge lists them), and
        # find's index behind until the noted rows are indexed (a crash before: rebuilt at open)
        staging = sqlite3.connect(st.staging)
        try:
            with staging:
                staging.execute("UPDATE conflict SET found_at = ? WHERE rowid > ?", (now_iso(), st.first))
                if store.last_clock:   # (our session's latest stamp, as a merge into our file keeps it)
                    staging.execute("INSERT INTO meta(key, value) VALUES ('clock', ?) ON CONFLICT(key) DO UPDATE "
                                    "SET value = excluded.value WHERE excluded.value > meta.value",
                                    (store.last_clock,))
                if noted and search.index_exists(staging):
                    search.mark_behind(staging)
        finally:
            staging.close()
        if beside is not None:
            report.backup = beside.finish()
        elif backup:
            report.backup = backup_now(store, "merge")
        if _counter(store) != st.counter:   # (nothing of ours may change before the copy)
            return None
        source = sqlite3.connect(read_only_uri(st.staging), uri=True)
        try:
            (pages,) = source.execute("PRAGMA page_count").fetchone()

            def step(status: int, remaining: int, _total: int) -> None:
                # another program reading our file: the step waited as long as a commit waits
                # (the busy timeout); given up then, as a merge's commit (Python's backup would
                # retry at once, for as long as the other program reads)
                if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                    raise sqlite3.OperationalError("database is locked")
                if remaining:
                    fault_point("folder-copy")
            # one transaction of our file, all of it or nothing, whatever the steps
            source.backup(conn, pages=max(_COPY_MIN_PAGES, -(-pages // _COPY_STEPS)), progress=step, sleep=0)
        finally:
            source.close()
    # find's index: the rows copied in are indexed when it is next used, as a merge's are
    for t, code in noted.items():
        conn.execute("INSERT OR IGNORE INTO temp.search_dirty (code, r) "
                     "SELECT ?, r FROM temp.ff_changed WHERE t = ?", (code, t))
    if noted:
        store._search_behind = True
    clock = store.meta("clock") or ""
    if clock > store.last_clock:
        store.last_clock = clock
    for c, cid in zip(st.carried, ids):
        c.conflict_id = cid
    report.conflicts = list(st.carried)
    report.history_added = history
    report.rows_taken = sum(counts.values())
    report.applied = True
    return report, [Change(table, "*", "merge") for table in schema.SYNCED_TABLES if counts[table]]
