"""The one place that talks SQL to the database file.

A ``Store`` wraps one SQLite file through sqlite-utils. Every change goes through
``insert`` / ``update`` / ``delete`` / ``undelete``, which stamp the row with a new
revision, the time, the office and the clerk, keep the superseded version in ``history``
and run inside a transaction, so each edit is saved at once and survives a crash.
"""
from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator


from ...i18n import _
from ..errors import DamagedFileError, FileProblem, ForeignFileError, ReadOnlyError
from . import schema, search   # (repair: imported where a version-1 file is settled, not at every start)

SQLITE_HEADER = b"SQLite format 3\x00"
BOOKKEEPING = ("id", "rev", "updated_at", "office", "clerk", "deleted")


@dataclass
class Actor:
    """Who is editing: the office and clerk from the settings."""
    office: str = ""
    clerk: str = ""


@dataclass
class Change:
    table: str
    row_id: str
    kind: str  # 'insert', 'update', 'delete', 'undelete'


def new_id() -> str:
    # (uuid imported at the first new id, not with this module: it imports platform, ~3 ms that
    # a start which writes nothing need not wait for)
    import uuid
    return uuid.uuid4().hex


def _plausible(ts: str) -> bool:
    """Not beyond a day ahead of this PC's clock: a far-off stamp moves only its own row's clock,
    never the file's (so one wrong PC cannot push every later edit into the future)."""
    return ts <= (datetime.now(timezone.utc) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def busy_message(path: Path | None) -> str:
    return _("{name} is being changed by another program right now. Nothing was changed; close the other "
             "program and try again.").format(name=Path(path).name if path else "?")


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


own_columns = schema.own_columns


class Store:
    """One open database file."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, actor: Actor,
                 read_only: bool = False, read_only_reason: str = ""):
        self.conn = conn
        self._db = None
        self.path = path
        self.actor = actor
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        self._depth = 0
        self._pending: list[Change] = []
        self._listeners: list[Callable[[list[Change]], None]] = []
        self._lock = threading.RLock()
        self.last_clock = ""
        self.closed = False
        self._search_attached = False
        self._search_behind = False

    @property
    def db(self):
        """The file as a ``sqlite_utils.Database`` (imported on first use: it costs start-up time)."""
        if self._db is None:
            import sqlite_utils
            self._db = sqlite_utils.Database(self.conn)
        return self._db

    # ------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: str | os.PathLike | None, actor: Actor | None = None, *,
             create: bool = True, read_only: bool = False, check: str = "quick") -> "Store":
        """Open (or create) a database file, refusing files we must not touch.

        A file from a newer version opens read-only; a foreign or damaged file raises a
        ``FileProblem`` with a message for the clerk, and the file is left untouched.
        """
        actor = actor or Actor()
        if path is None or str(path) == ":memory:":
            conn = _connect(":memory:")
            store = cls(conn, None, actor)
            store._initialise()
            return store
        path = Path(path)
        exists = path.exists() and path.stat().st_size > 0
        if not exists and not create:
            raise FileProblem(_("The file {path} does not exist.").format(path=path))
        if exists:
            inspect_file(path)
        ro_reason = ""
        if exists:
            version = _peek_version(path)
            if version > schema.SCHEMA_VERSION:
                read_only = True
                ro_reason = _("This file was saved by a newer version of PMQA Desktop "
                              "(schema {found}, this program knows {known}). It is opened "
                              "read-only so nothing in it is lost; update the program to edit it.").format(
                    found=version, known=schema.SCHEMA_VERSION)
        if read_only:
            conn = _connect(read_only_uri(path), uri=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            # (opened as a URI, so that a file attached read-only by URI stays read-only)
            conn = _connect(file_uri(path), uri=True)
            if not exists:   # (before the first write: a file's page size is fixed when it is created)
                with contextlib.suppress(sqlite3.DatabaseError):
                    conn.execute(f"PRAGMA page_size = {schema.PAGE_SIZE}")
            # The rollback journal is kept between transactions while the file is open and
            # removed at close: deleting a large journal after every commit cost a tenth of a
            # second on a large merge. Its zeroed header makes it harmless to any other opener.
            with contextlib.suppress(sqlite3.DatabaseError):
                conn.execute("PRAGMA journal_mode = PERSIST")
        store = cls(conn, path, actor, read_only=read_only,
                    read_only_reason=ro_reason or (_("Opened read-only.") if read_only else ""))
        try:
            if exists and check and not (check == "quick" and passed_check_before(path)):
                ahead = _verdict_ahead(path) if check == "quick" else None
                if ahead is None:
                    store._integrity(check)
                else:   # checked beside the start-up
                    store._judge(ahead)
                remember_checked(path)
            if exists:
                # foreign triggers, views, tables or indexes: a crafted file, refused unread
                from .schema_check import verify_schema
                verify_schema(conn, path)
            if not read_only:
                store._initialise()
        except Exception:
            conn.close()
            raise
        return store

    def _integrity(self, mode: str) -> None:
        pragma = "quick_check" if mode == "quick" else "integrity_check"
        try:
            rows = self.conn.execute(f"PRAGMA {pragma}").fetchall()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):  # (not damaged: another program is writing it)
                raise FileProblem(busy_message(self.path)) from exc
            raise DamagedFileError(_("The file is damaged and cannot be opened."), str(exc)) from exc
        except sqlite3.DatabaseError as exc:
            raise DamagedFileError(_("The file is damaged and cannot be opened."), str(exc)) from exc
        self._judge(rows)

    @staticmethod
    def _judge(rows: list) -> None:
        """Refuse the file unless its check said ok."""
        if rows != [("ok",)]:
            raise DamagedFileError(_("The file is damaged and cannot be opened."),
                                   "; ".join(str(r[0]) for r in rows[:5]))

    def _initialise(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > schema.SCHEMA_VERSION:
            return
        with self.transaction(notify=False):
            settle = version < schema.SETTLED_FROM
            while version < schema.SCHEMA_VERSION:
                schema.MIGRATIONS[version](self.conn)
                version += 1
                self.conn.execute(f"PRAGMA user_version = {version}")
            if settle:   # (after the last step: the repair reads and writes rows with every column)
                self._settle_every_row()
            if self.conn.execute("PRAGMA application_id").fetchone()[0] != schema.APPLICATION_ID:
                self.conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")  # (an unchanged file stays unchanged)
            if self.meta("file_id") is None:
                self.set_meta("file_id", new_id())
                self.set_meta("created_at", now_iso())
            # find's full-text index: built if missing (see storage.search), kept up to date below
            search.ensure(self.conn)
        search.attach(self.conn)
        self._search_attached = True
        clock = self.meta("clock") or ""
        if clock > self.last_clock and _plausible(clock):
            self.last_clock = clock  # (the latest stamp this file has seen, kept by merges)

    def _settle_every_row(self) -> None:
        """A version-1 file taken to version 2: twins made one, orphans moved or their parent
        restored (``repair.settle`` over every row), the conflicts listed as a merge lists them,
        the file's clock kept after the versions written, find's index rebuilt if rows changed."""
        from . import repair
        settled = repair.settle(self)
        found = now_iso()
        self.conn.executemany("INSERT INTO conflict (id, table_name, row_id, kept_rev, other_rev, found_at, "
                              "source, resolved) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                              [(new_id(), t, rid, kept, other, found, repair.MIGRATION_SOURCE)
                               for t, rid, kept, other in settled.conflicts])
        if settled.max_clock and _plausible(settled.max_clock) and settled.max_clock > (self.meta("clock") or ""):
            self.set_meta("clock", settled.max_clock)   # (a stamp far ahead moves only its own row)
        if settled.changed:
            search.mark_behind(self.conn)   # (changed unnoted: ``search.ensure`` rebuilds the index next)

    def note_change(self, table: str, row_id: str, kind: str) -> None:
        """A change written outside insert/update/delete (merge, repair), for the listeners."""
        self._pending.append(Change(table, row_id, kind))

    def index_edits(self) -> bool:
        """Re-index for find the rows edited since the last time (see ``storage.search``); False
        when the index is behind and cannot be brought up to date here (a read-only file)."""
        if self.read_only or not self._search_attached:
            return search.is_current(self.conn) if search.index_exists(self.conn) else False
        if self._search_behind or search.pending(self.conn) or not search.is_current(self.conn):
            with self.transaction(notify=False):
                search.flush(self.conn)
            self._search_behind = False
        return True

    def close(self, keep_journal: bool = False, index: bool = True) -> None:
        """Close the file; its kept journal is removed unless ``keep_journal`` (the file is opened
        again at once: removing a large journal costs a tenth of a second). ``index=False`` leaves
        find's index behind (a private copy thrown away next: the next open would rebuild it)."""
        if not self.closed and self._search_attached and not self.read_only and index:
            with contextlib.suppress(Exception):   # (if not, the next open rebuilds the index)
                self.index_edits()
        self.closed = True
        if self.path is not None and not self.read_only and not keep_journal:
            with contextlib.suppress(Exception):
                self.conn.execute("PRAGMA journal_mode = DELETE")  # removes the kept journal
        with contextlib.suppress(Exception):
            self.conn.close()
            if self.path is not None and not self.read_only:
                remember_checked(self.path)   # as we leave it: consistent, written by us

    # ------------------------------------------------------------ meta
    def meta(self, key: str, default: str | None = None) -> str | None:
        try:
            row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError:
            return default
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self._writable()
        self.conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # ------------------------------------------------------------ transactions
    @contextlib.contextmanager
    def transaction(self, notify: bool = True) -> Iterator[None]:
        """All-or-nothing unit of work; nests through savepoints."""
        with self._lock:
            outer = self._depth == 0
            name = f"sp{self._depth}"
            if outer:
                self.conn.execute("BEGIN IMMEDIATE")
            else:
                self.conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            mark = len(self._pending)
            try:
                yield
            except BaseException:
                self._depth -= 1
                del self._pending[mark:]
                # (SQLite itself rolls back on some errors, a full disk among them: then there is
                # nothing left to roll back, and the original error is the one to report)
                if self.conn.in_transaction:
                    if outer:
                        self.conn.execute("ROLLBACK")
                    else:
                        self.conn.execute(f"ROLLBACK TO {name}")
                        self.conn.execute(f"RELEASE {name}")
                raise
            self._depth -= 1
            if outer:
                if self._search_attached and not self._search_behind:
                    try:
                        # find's index is brought up to date when it is next used (search, close):
                        # an edit writes no index pages; the file says the index is behind
                        if search.pending(self.conn):
                            search.mark_behind(self.conn)
                            self._search_behind = True
                    except BaseException:
                        del self._pending[mark:]
                        self.conn.execute("ROLLBACK")
                        raise
                self.conn.execute("COMMIT")
                changes, self._pending = self._pending, []
                if notify:
                    self.notify(changes)
            else:
                self.conn.execute(f"RELEASE {name}")

    def notify(self, changes: list[Change]) -> None:
        """Tell the listeners of changes written (a transaction's, at its commit; or a merge's page copy)."""
        if changes:
            for listener in list(self._listeners):
                listener(changes)

    def subscribe(self, listener: Callable[[list[Change]], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[list[Change]], None]) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def _writable(self) -> None:
        if self.read_only:
            raise ReadOnlyError(self.read_only_reason or _("This file is open read-only."))

    def _stamp(self, after: Any = "") -> dict[str, str]:
        """A new version's stamp: a hybrid logical clock. The time is this PC's, unless that is not
        later than our own last stamp or than ``after`` (the version this one replaces): then just
        after it. So an edit made after seeing a version always sorts after it, whatever the
        clocks of the PCs on the way said."""
        ts = now_iso()
        floor = max(self.last_clock, after if isinstance(after, str) else "")
        if ts <= floor:
            try:
                last = datetime.strptime(floor, "%Y-%m-%dT%H:%M:%S.%fZ")
                ts = (last + timedelta(microseconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            except ValueError:  # (a version stamped by no clock of ours: ours stands)
                pass
        if ts > self.last_clock and _plausible(ts):
            self.last_clock = ts
        return {"rev": new_id(), "updated_at": ts, "office": self.actor.office, "clerk": self.actor.clerk}

    # ------------------------------------------------------------ row API
    def insert(self, table: str, values: dict[str, Any], row_id: str | None = None) -> str:
        self._writable()
        cols = own_columns(table)
        unknown = set(values) - set(cols)
        if unknown:
            raise KeyError(f"{table}: unknown columns {sorted(unknown)}")
        row_id = row_id or new_id()
        record = {"id": row_id, **self._stamp(), "deleted": 0, **values}
        with self.transaction():
            names = ", ".join(record)
            marks = ", ".join("?" for _ in record)
            self.conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(record.values()))
            self._pending.append(Change(table, row_id, "insert"))
        return row_id

    def insert_many(self, table: str, rows: Iterable[dict[str, Any]]) -> list[str]:
        """Bulk insert (imports, generated data) in one transaction with one executemany."""
        self._writable()
        ids: list[str] = []
        stamp = self._stamp()
        cols = ["id", "rev", "updated_at", "office", "clerk", "deleted"] + own_columns(table)
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"

        def gen():
            for values in rows:
                rid = values.get("id") or new_id()
                ids.append(rid)
                rec = {**{c: None for c in own_columns(table)}, **{k: v for k, v in values.items() if k != "id"}}
                defaults = _DEFAULTS[table]
                for c, d in defaults.items():
                    if rec.get(c) is None and d is not None:
                        rec[c] = d
                yield [rid, new_id(), stamp["updated_at"], stamp["office"], stamp["clerk"], 0] + [rec[c] for c in own_columns(table)]
        with self.transaction():
            self.conn.executemany(sql, gen())
            self._pending.extend(Change(table, rid, "insert") for rid in ids)
        return ids

    def update(self, table: str, row_id: str, values: dict[str, Any]) -> bool:
        """Change some columns of one row; returns False when nothing changed."""
        self._writable()
        cols = own_columns(table)
        unknown = set(values) - set(cols)
        if unknown:
            raise KeyError(f"{table}: unknown columns {sorted(unknown)}")
        with self.transaction():
            old = self.get(table, row_id, include_deleted=True)
            if old is None:
                raise KeyError(f"{table}: no row {row_id}")
            changed = {k: v for k, v in values.items() if old.get(k) != v}
            if not changed:
                return False
            self._keep_history(table, old)
            stamp = self._stamp(old["updated_at"])
            record = {**changed, **stamp}
            sets = ", ".join(f"{k} = ?" for k in record)
            self.conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*record.values(), row_id])
            self._pending.append(Change(table, row_id, "update"))
        return True

    def delete(self, table: str, row_id: str) -> list[tuple[str, str]]:
        """Tombstone a row and its live descendants; returns every (table, id) tombstoned."""
        self._writable()
        done: list[tuple[str, str]] = []
        with self.transaction():
            self._set_deleted(table, row_id, 1, done)
        return done

    def undelete(self, table: str, row_ids: list[tuple[str, str]] | str) -> None:
        """Bring back rows tombstoned by ``delete`` (what undo of a deletion does)."""
        self._writable()
        items = [(table, row_ids)] if isinstance(row_ids, str) else row_ids
        with self.transaction():
            for t, rid in items:
                old = self.get(t, rid, include_deleted=True)
                if old is None or not old["deleted"]:
                    continue
                self._keep_history(t, old)
                stamp = self._stamp(old["updated_at"])
                self.conn.execute(
                    f"UPDATE {t} SET deleted = 0, rev = ?, updated_at = ?, office = ?, clerk = ? WHERE id = ?",
                    [*stamp.values(), rid])
                self._pending.append(Change(t, rid, "undelete"))

    def _set_deleted(self, table: str, row_id: str, flag: int, done: list) -> None:
        old = self.get(table, row_id, include_deleted=True)
        if old is None or old["deleted"] == flag:
            return
        self._keep_history(table, old)
        stamp = self._stamp(old["updated_at"])
        self.conn.execute(
            f"UPDATE {table} SET deleted = ?, rev = ?, updated_at = ?, office = ?, clerk = ? WHERE id = ?",
            [flag, *stamp.values(), row_id])
        done.append((table, row_id))
        self._pending.append(Change(table, row_id, "delete"))
        for child, (parent, fk) in schema.PARENTS.items():
            if parent != table:
                continue
            for (cid,) in self.conn.execute(f"SELECT id FROM {child} WHERE {fk} = ? AND deleted = 0", (row_id,)):
                self._set_deleted(child, cid, flag, done)

    def _keep_history(self, table: str, old: dict[str, Any]) -> None:
        data = {k: old[k] for k in own_columns(table)}
        self.conn.execute(
            "INSERT OR IGNORE INTO history(rev, table_name, row_id, parent_rev, data, updated_at, office, clerk, deleted) "
            "VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?)",
            (old["rev"], table, old["id"], json.dumps(data, ensure_ascii=False), old["updated_at"],
             old["office"], old["clerk"], old["deleted"]))

    # ------------------------------------------------------------ reading
    def get(self, table: str, row_id: str, include_deleted: bool = False) -> dict[str, Any] | None:
        cur = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        row = cur.fetchone()
        if row is None:
            return None
        rec = dict(zip([d[0] for d in cur.description], row))
        if rec["deleted"] and not include_deleted:
            return None
        return rec

    def select(self, table: str, where: dict[str, Any] | None = None, order_by: str = "sort_key",
               include_deleted: bool = False) -> list[dict[str, Any]]:
        clauses, params = [], []
        for k, v in (where or {}).items():
            if v is None:
                clauses.append(f"{k} IS NULL")
            else:
                clauses.append(f"{k} = ?")
                params.append(v)
        if not include_deleted:
            clauses.append("deleted = 0")
        sql = f"SELECT * FROM {table}"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        if order_by and (order_by in own_columns(table) or order_by in BOOKKEEPING
                         or all(p.strip().split()[0] in own_columns(table) + list(BOOKKEEPING)
                                for p in order_by.split(","))):
            # (rows of equal sort keys, added in two offices, in the same order in every file)
            sql += f" ORDER BY {order_by}" + ("" if "id" in [p.strip().split()[0] for p in order_by.split(",")]
                                               else ", id")
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def query(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        """Read-only helper for the storage layer's own modules."""
        cur = self.conn.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def history_of(self, table: str, row_id: str) -> list[dict[str, Any]]:
        """Every earlier version of a row, newest first."""
        rows = self.query("SELECT * FROM history WHERE table_name = ? AND row_id = ? ORDER BY updated_at DESC",
                          (table, row_id))
        for r in rows:
            r["data"] = json.loads(r["data"])
        return rows

    def next_sort_key(self, table: str, where: dict[str, Any]) -> float:
        clauses = " AND ".join(f"{k} = ?" for k in where) or "1"
        row = self.conn.execute(f"SELECT MAX(sort_key) FROM {table} WHERE {clauses}", list(where.values())).fetchone()
        return (row[0] or 0.0) + 1.0


_DEFAULTS: dict[str, dict[str, Any]] = {}


def _parse_defaults() -> None:
    for table, cols in schema.TABLES.items():
        d: dict[str, Any] = {}
        for line in cols.split(","):
            parts = line.split()
            if not parts:
                continue
            if "DEFAULT" in parts:
                raw = parts[parts.index("DEFAULT") + 1]
                if raw.startswith("'"):
                    d[parts[0]] = raw.strip("'")
                else:
                    try:
                        d[parts[0]] = int(raw)
                    except ValueError:
                        d[parts[0]] = float(raw)
            else:
                d[parts[0]] = None
        _DEFAULTS[table] = d


_parse_defaults()


def _connect(target: str, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(target, uri=uri, isolation_level=None, check_same_thread=False)
    # Foreign schema objects (triggers, views) in a file we did not write must never run.
    with contextlib.suppress(sqlite3.DatabaseError):
        conn.execute("PRAGMA trusted_schema = OFF")
    set_defensive(conn)
    with contextlib.suppress(sqlite3.DatabaseError):
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA journal_mode = DELETE")  # never WAL: files travel and sit on shares
        conn.execute("PRAGMA synchronous = FULL")
    return conn


SQLITE_DBCONFIG_DEFENSIVE = 1010


def file_uri(path: Path) -> str:
    """A SQLite URI for ``path``; '#', '?', '%' and spaces in folder names are escaped."""
    from urllib.parse import quote
    return "file:" + quote(Path(path).as_posix(), safe="/:")


def read_only_uri(path: Path) -> str:
    """A SQLite URI opening ``path`` read-only."""
    return file_uri(path) + "?mode=ro"


_JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def journal_path(path: str | os.PathLike) -> Path:
    """SQLite's rollback journal beside a database file."""
    return Path(str(path) + "-journal")


def hot_journal(path: Path) -> bool:
    """Whether the rollback journal beside ``path`` holds an unfinished transaction (SQLite
    rolls it back at the next open). A journal kept between transactions (``PERSIST``, see
    ``Store.open``) has its header zeroed and is not hot."""
    try:
        with open(journal_path(path), "rb") as fh:
            return fh.read(len(_JOURNAL_MAGIC)) == _JOURNAL_MAGIC
    except OSError:
        return False


def set_defensive(conn: sqlite3.Connection) -> bool:
    """Switch on SQLite's defensive mode (no writable_schema, no journal_mode=OFF, ...).

    Python 3.12+ has ``Connection.setconfig``; on 3.11 the flag is set through ctypes on the
    connection's ``sqlite3*`` handle (the first field after the object header in CPython).
    Returns whether the mode is known to be on.
    """
    if hasattr(conn, "setconfig"):
        try:
            conn.setconfig(getattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE", SQLITE_DBCONFIG_DEFENSIVE), True)
            return True
        except Exception:  # pragma: no cover - very old SQLite
            return False
    try:
        import ctypes
        import sys
        if sys.implementation.name != "cpython" or hasattr(sys, "gettotalrefcount"):
            return False
        lib = _sqlite_lib()
        if lib is None:
            return False
        handle = ctypes.c_void_p.from_address(id(conn) + object.__basicsize__).value
        if not handle:
            return False
        out = ctypes.c_int(-1)
        rc = lib.sqlite3_db_config(ctypes.c_void_p(handle), ctypes.c_int(SQLITE_DBCONFIG_DEFENSIVE),
                                   ctypes.c_int(1), ctypes.byref(out))
        return rc == 0 and out.value == 1
    except Exception:
        return False


_SQLITE_LIB: list = []


def _sqlite_lib():
    if not _SQLITE_LIB:
        lib = None
        try:
            import ctypes
            import _sqlite3
            if os.name == "nt":
                dll = Path(_sqlite3.__file__).with_name("sqlite3.dll")
                lib = ctypes.CDLL(str(dll)) if dll.exists() else None
            else:
                lib = ctypes.CDLL(_sqlite3.__file__)  # dlsym searches its dependencies too
            if lib is not None:
                lib.sqlite3_db_config  # noqa: B018 - raises AttributeError when missing
        except (OSError, AttributeError, ImportError):
            lib = None
        _SQLITE_LIB.append(lib)
    return _SQLITE_LIB[0]


# ---------------------------------------------------------------- files that passed their check

def _fingerprint(path: Path) -> list:
    """Size, modification time and SQLite's file change counter: any write changes one of them."""
    st = path.stat()
    with open(path, "rb") as fh:
        head = fh.read(28)
    return [st.st_size, st.st_mtime_ns, head[24:28].hex()]


def _checked_file() -> Path:
    from ...paths import cache_dir
    return cache_dir() / "checked-files.json"


def passed_check_before(path: Path) -> bool:
    """True when this file is exactly as it was when it last passed the check or we closed it.

    Checking a large file costs most of a second at every start; a file nobody has touched
    since need not be checked again. A file from elsewhere, or changed by anyone, always is.
    """
    try:
        known = json.loads(_checked_file().read_text(encoding="utf-8"))
        return known.get(str(path.resolve())) == _fingerprint(path)
    except (OSError, ValueError):
        return False


def remember_checked(path: Path) -> None:
    target = _checked_file()
    try:
        try:
            known = json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        known[str(path.resolve())] = _fingerprint(path)
        if len(known) > 200:   # keep the newest entries only
            known = dict(list(known.items())[-200:])
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(known), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass   # no cache: the file is simply checked again next time


_ahead: dict[str, tuple[list, threading.Thread, list]] = {}
CHECK_AHEAD_NICENESS = 10   # the check ahead yields the processor to the window being built and shown
# Until the window's first paint the check ahead takes only processor time nobody else wants
# (Linux SCHED_IDLE): on a machine with a free core it runs beside the start as before; on a busy
# one the start goes first. ``start_shown`` then gives it back its usual (nice +10) share.
# Only for a file whose check takes a while: a short one could end before the paint and then wait,
# holding the window back, for idle time to take Python's lock again.
CHECK_IDLE_MIN_BYTES = 16 * 1024 * 1024
_idle_lock = threading.Lock()
_idle_threads: set[int] = set()   # native ids of check threads waiting for idle time
_start_shown = False


def _may_leave_idle_class() -> bool:
    """Whether this process may give a thread back its usual scheduling once it has asked for
    idle time only: root, or RLIMIT_NICE allowing the check's niceness (Linux rule)."""
    if not hasattr(os, "sched_setscheduler") or not hasattr(os, "SCHED_IDLE"):
        return False
    try:
        if os.geteuid() == 0:
            return True
        import resource
        soft = resource.getrlimit(resource.RLIMIT_NICE)[0]
        return soft == resource.RLIM_INFINITY or soft >= 20 - CHECK_AHEAD_NICENESS
    except Exception:
        return False


def _wait_for_idle_time() -> None:
    """In the check thread: run only on idle processor time until the window is shown."""
    with _idle_lock:
        if _start_shown or not _may_leave_idle_class():
            return
        tid = threading.get_native_id()
        try:
            os.sched_setscheduler(tid, os.SCHED_IDLE, os.sched_param(0))
        except Exception:
            return
        _idle_threads.add(tid)


def _leave_idle_time() -> None:
    with _idle_lock:
        for tid in list(_idle_threads):
            with contextlib.suppress(Exception):   # (a thread that has ended meanwhile)
                os.sched_setscheduler(tid, os.SCHED_OTHER, os.sched_param(0))
            _idle_threads.discard(tid)


def start_shown() -> None:
    """The window has painted: a check ahead still running gets its usual share of the processor."""
    global _start_shown
    with _idle_lock:
        _start_shown = True
    _leave_idle_time()


def check_ahead(path: str | os.PathLike) -> None:
    """Start the page check of a file the program is about to open, in a thread beside the
    program's start-up (SQLite checks without holding Python's lock): a received file is then
    checked while the window is being built. ``Store.open`` takes the verdict if the file is
    unchanged, instead of checking again; anything unusual leaves the check to ``Store.open``.
    Call ``wait_check_ahead`` before locking the file (the check reads it under a shared lock)."""
    try:
        path = Path(path)
        if (not path.is_file() or path.stat().st_size == 0 or passed_check_before(path)
                or hot_journal(path)):
            return
        inspect_file(path)   # what is plainly not ours: Store.open says so
        fingerprint = _fingerprint(path)
    except Exception:
        return
    verdict: list = []

    idle = path.stat().st_size >= CHECK_IDLE_MIN_BYTES
    # The connection is opened here (under a millisecond), not in the thread: a thread that runs
    # Python code beside the start-up takes Python's lock from it again and again (each SQLite
    # call gives the lock up and takes it back), and waits for it itself, so the check started
    # from 5 ms to over half a second late. The thread now takes the lock only to start the check.
    try:
        opened = _check_connection(path)
    except Exception:
        opened = None   # (the thread tries again, as before)

    def work() -> None:
        if hasattr(os, "setpriority"):   # (Linux: this thread only) the window's start goes first
            with contextlib.suppress(Exception):   # (below the program's own, if it was started niced)
                me = threading.get_native_id()
                os.setpriority(os.PRIO_PROCESS, me, min(19, os.getpriority(os.PRIO_PROCESS, me) + CHECK_AHEAD_NICENESS))
        try:
            conn = opened if opened is not None else _check_connection(path)
            try:
                # idle time only for the check itself, which runs without Python's lock: a thread
                # holding that lock must never wait for idle time (the window would wait with it)
                if idle:
                    _wait_for_idle_time()
                try:
                    cursor = conn.execute("PRAGMA quick_check")
                finally:
                    _leave_idle_time()
                verdict.append(cursor.fetchall())
            finally:
                conn.close()
        except Exception:
            pass   # checked again, with its message, when opened
    thread = threading.Thread(target=work, name="check-ahead", daemon=True)
    _ahead[str(path.resolve())] = (fingerprint, thread, verdict)
    thread.start()


def _check_connection(path: Path) -> sqlite3.Connection:
    """The check ahead's own read-only connection (its thread runs the check on it)."""
    return _connect(read_only_uri(path), uri=True)


def checking_ahead(path: str | os.PathLike) -> bool | None:
    """Whether the check ahead of ``path`` is still running (None: there is no check ahead of it)."""
    entry = _ahead.get(str(Path(path).resolve()))
    return None if entry is None else entry[1].is_alive()


def wait_check_ahead() -> None:
    _leave_idle_time()   # (waited for: no longer on idle time only)
    for _fingerprint_, thread, _verdict in list(_ahead.values()):
        thread.join()


def _verdict_ahead(path: Path) -> list | None:
    entry = _ahead.pop(str(path.resolve()), None)
    if entry is None:
        return None
    fingerprint, thread, verdict = entry
    _leave_idle_time()
    thread.join()
    try:
        if _fingerprint(path) != fingerprint:
            return None   # changed since: checked again
    except OSError:
        return None
    return verdict[0] if verdict else None


def inspect_file(path: Path) -> None:
    """Refuse what is plainly not ours before SQLite parses it: wrong header, wrong id."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise FileProblem(_("The file {path} cannot be read: {error}").format(path=path, error=exc.strerror)) from exc
    if len(head) < 100 or not head.startswith(SQLITE_HEADER):
        raise DamagedFileError(_("{name} is not a PMQA Desktop database: it is damaged or not a database at all.").format(
            name=path.name))
    app_id = int.from_bytes(head[68:72], "big")
    user_version = int.from_bytes(head[60:64], "big")
    if app_id != schema.APPLICATION_ID:
        if app_id == 0 and user_version == 0 and _is_empty_sqlite(path):
            return
        raise ForeignFileError(_("{name} is a database of another program, not of PMQA Desktop. "
                                 "It was not opened and has not been changed.").format(name=path.name))


def _is_empty_sqlite(path: Path) -> bool:
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            n = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            conn.close()
        return n == 0
    except sqlite3.DatabaseError:
        return False


def _peek_version(path: Path) -> int:
    with open(path, "rb") as fh:
        head = fh.read(100)
    return int.from_bytes(head[60:64], "big")
