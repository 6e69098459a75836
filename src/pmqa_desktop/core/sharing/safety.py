"""Checking a database file before anything in it is trusted.

An incoming file (USB stick, e-mail, shared folder) is untrusted input. Before the program
reads a single row it checks, on a private copy so the original is never touched (or on the
file itself, opened read-only, when a copy would buy nothing: ``in_place_ok``):

* the SQLite header, that the file is not cut short, and PMQA's ``application_id``;
* ``user_version``: a file from a newer program opens read-only and is not merged;
* ``PRAGMA integrity_check``;
* that ``sqlite_master`` holds exactly the tables and indexes this program creates: a
  trigger, a view or an unknown table means a crafted file, which is refused without
  running anything in it.

Connections are made with ``trusted_schema`` off and SQLite's defensive mode on
(see ``storage.store._connect``).
"""
from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from ...i18n import _, ngettext
from ..errors import DamagedFileError, FileProblem, ForeignFileError
from ..storage import schema
from ..storage.schema_check import (CraftedFileError, expected_schema, optional_schema, schema_problems,  # noqa: F401
                                    verify_schema)
from ..storage.store import read_only_uri, SQLITE_HEADER, _connect, inspect_file
from .fsutil import copy_file


@dataclass
class CheckResult:
    path: Path
    version: int
    newer: bool
    message: str
    empty: bool = False
    in_place: bool = False   # the file itself is read (read-only), not a private copy of it
    # with ``open_incoming(background=True)``: waits for the page check (raises if damaged)
    wait: Callable[[], Any] = field(default=lambda: None, repr=False, compare=False)

    @property
    def read_only(self) -> bool:
        return self.newer


def _check_header(path: Path) -> None:
    """The header must be SQLite's and the file as long as the header says."""
    size = path.stat().st_size
    with open(path, "rb") as fh:
        head = fh.read(100)
    if len(head) < 100 or not head.startswith(SQLITE_HEADER):
        raise DamagedFileError(_("{name} is not a PMQA Desktop database: it is damaged or not a "
                                 "database at all.").format(name=path.name))
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    counter, valid_for = head[24:28], head[92:96]
    if page_size < 512 or page_size & (page_size - 1):
        raise DamagedFileError(_("{name} is damaged: its header is not valid.").format(name=path.name))
    if counter == valid_for and pages and size < pages * page_size:
        raise DamagedFileError(ngettext("{name} is cut short ({size} of {expected} byte): it was not copied "
                                        "completely. Ask for the file again.",
                                        "{name} is cut short ({size} of {expected} bytes): it was not copied "
                                        "completely. Ask for the file again.", pages * page_size).format(
            name=path.name, size=size, expected=pages * page_size))


def check_file(path: str | Path, *, thorough: bool = True, _copy: bool = True) -> CheckResult:
    """Check a file without changing it; raise a ``FileProblem`` with a message if it is bad.

    ``thorough`` runs ``PRAGMA integrity_check`` (also cross-checks every index); otherwise
    ``quick_check`` (every page and record, not the index contents), which the merge uses on
    large files: a damaged page met later still aborts the merge's single transaction.
    """
    path = Path(path)
    if not path.is_file():
        raise FileProblem(_("The file {path} does not exist.").format(path=path))
    if path.stat().st_size == 0:
        raise ForeignFileError(_("{name} is empty: it is not a PMQA Desktop database.").format(name=path.name))
    if _copy:
        with private_copy(path) as copy:
            res = check_file(copy, thorough=thorough, _copy=False)
            res.path = path
            return res
    _check_header(path)
    inspect_file(path)
    conn = _connect(read_only_uri(path), uri=True)
    try:
        _check_pages(conn, path, thorough)
        res = _check_schema(conn, path)
        if not res.newer:
            check_values(conn, path, merging=False)
        return res
    finally:
        conn.close()


class ValueFaultError(FileProblem):
    """Values that do not fit their columns (type, size, NOT NULL, references)."""


def check_values(conn: sqlite3.Connection, path: Path, *, db: str = "main", rows: dict[str, str] | None = None,
                 also: str | None = None, merging: bool = True) -> None:
    """Raise ``ValueFaultError`` naming the first faults when values of ``db`` do not fit."""
    from .values import faults_message, value_faults
    faults = value_faults(conn, db, rows=rows, also=also)
    if faults:
        raise ValueFaultError(*faults_message(path.name, faults, merging))


def _check_pages(conn: sqlite3.Connection, path: Path, thorough: bool) -> None:
    try:
        # (read, not memory-mapped: every mapped page would count in the program's memory, a
        # merge's whole incoming file)
        rows = conn.execute("PRAGMA integrity_check" if thorough else "PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise DamagedFileError(_("The file {name} is damaged and cannot be opened.").format(name=path.name),
                               str(exc)) from exc
    if rows != [("ok",)]:
        raise DamagedFileError(_("The file {name} is damaged and cannot be opened.").format(name=path.name),
                               "; ".join(str(r[0]) for r in rows[:5]))


def _check_schema(conn: sqlite3.Connection, path: Path) -> CheckResult:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    n_objects = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if version == 0 and n_objects == 0:
        raise ForeignFileError(_("{name} is an empty database, not a PMQA Desktop file.").format(name=path.name))
    verify_schema(conn, path)
    if version > schema.SCHEMA_VERSION:
        msg = _("{name} was saved by a newer version of PMQA Desktop (schema {found}, this program knows "
                "{known}). It can be opened read-only; update the program to edit or merge it.").format(
            name=path.name, found=version, known=schema.SCHEMA_VERSION)
        return CheckResult(path, version, True, msg)
    return CheckResult(path, version, False,
                       _("OK: {name} is a sound PMQA Desktop database (schema {version}).").format(
                           name=path.name, version=version))


class PageCheck:
    """``integrity_check`` / ``quick_check`` of a private copy running in a thread (SQLite works
    without Python's lock, so it runs beside the caller's own reading on a second core).

    ``wait()`` raises the check's ``DamagedFileError`` if the file is damaged: whatever was read
    from the file meanwhile must then be thrown away. Otherwise it returns what ``also(conn)``
    (more reading of the checked file by the caller, in the same thread, once the check has
    passed) returned, or None if that failed (the caller then does it itself).
    """

    def __init__(self, path: Path, thorough: bool, also: Callable[[sqlite3.Connection], Any] | None = None):
        self.path = path
        self.also = also
        self.result: Any = None
        self.error: BaseException | None = None
        self.conn = _connect(read_only_uri(path), uri=True)
        self.thread = threading.Thread(target=self._run, args=(thorough,), name="pmqa-check", daemon=True)
        self.thread.start()

    def _run(self, thorough: bool) -> None:
        try:
            _check_pages(self.conn, self.path, thorough)
        except BaseException as exc:  # handed to wait()
            self.error = exc
            return
        if self.also is not None:
            try:
                self.result = self.also(self.conn)
            except Exception:  # (only work done ahead: the caller does it itself)
                self.result = None

    def wait(self) -> Any:
        self.thread.join()
        self._close()
        if self.error is not None:
            raise self.error
        return self.result

    def cancel(self) -> None:
        if self.thread.is_alive():
            self.conn.interrupt()
        self.thread.join()
        self._close()

    def _close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


@contextlib.contextmanager
def private_copy(path: Path) -> Iterator[Path]:
    """A copy of ``path`` in a private temporary folder, removed afterwards.

    SQLite never opens the original, so a hot journal or a crafted file cannot change it.
    """
    folder = Path(tempfile.mkdtemp(prefix="pmqa-check-"))
    try:
        copy = folder / (path.name or "incoming.db")
        try:
            copy_file(path, copy)
        except OSError as exc:
            raise FileProblem(_("The file {path} cannot be read: {error}").format(
                path=path, error=exc.strerror or exc)) from exc
        yield copy
    finally:
        _remove_soon(folder)


_removals: list[tuple[threading.Thread, Path]] = []
_exiting = False


def _remove_soon(folder: Path) -> None:
    """A private folder gone at once under its name (renamed), and its files removed in a thread:
    unlinking a copy of a 400 MB file takes a tenth of a second that nobody need wait for. The
    program's end waits for what is still being removed (``_finish_removals``), and once it is
    ending, or from a worker thread, the folder is removed here and now (a new thread might no
    longer run to its end)."""
    if _exiting or sys.is_finalizing() or threading.current_thread() is not threading.main_thread():
        shutil.rmtree(folder, ignore_errors=True)
        return
    try:
        gone = folder.with_name(folder.name + "-gone")
        os.rename(folder, gone)
    except OSError:   # (e.g. a file still open in it on Windows: removed as far as it can be now)
        shutil.rmtree(folder, ignore_errors=True)
        return
    _removals[:] = [(t, g) for t, g in _removals if t.is_alive()]
    thread = threading.Thread(target=shutil.rmtree, args=(gone,), kwargs={"ignore_errors": True},
                              name="pmqa-remove-copy", daemon=False)
    _removals.append((thread, gone))
    thread.start()


@atexit.register
def _finish_removals() -> None:
    """At the program's end: every private copy still being removed is gone before it ends
    (a thread started while the program was already ending is not waited for by Python)."""
    global _exiting
    _exiting = True
    for thread, gone in list(_removals):
        thread.join(timeout=30)
        shutil.rmtree(gone, ignore_errors=True)
    _removals.clear()


def _bring_forward(copy: Path, res: CheckResult) -> None:
    """Give the private copy of an older file the columns later versions added (the merge
    compares whole rows); its rows are settled by the merge as any file's are."""
    if res.newer or res.version >= schema.SCHEMA_VERSION:
        return
    conn = _connect(str(copy))
    try:
        conn.execute("BEGIN")
        for v in range(res.version, schema.SCHEMA_VERSION):
            schema.MIGRATIONS[v](conn)
        conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")
        conn.execute("COMMIT")
    finally:
        conn.close()
    res.version = schema.SCHEMA_VERSION


def in_place_ok(path: Path, ours: Path | None = None) -> bool:
    """Whether a merge (or a preview, where the system keeps a change time that tells whether the
    file was written before its Merge reuses what it read: ``merge._change_time_kept``) may read
    the incoming file where it is, opened read-only, instead of a private copy of it: the copy
    would go to the same disk (the temporary folder's), so it buys nothing but the wait and the
    space (400 MB for a large file); a file on a stick or a share is still copied (read once, in
    order, and then never again from there). Only a file of this program's version (nothing to
    bring forward in it), in the rollback-journal format, with no journal or log beside it
    (SQLite, opening it read-only, then has nothing to roll back or to read from another file),
    and not our own file. Such a file is never written: SQLite opens it
    read-only, and the merge checks before it commits that the file was not changed meanwhile."""
    try:
        st = path.stat()
        if st.st_dev != os.stat(tempfile.gettempdir()).st_dev:
            return False
        if ours is not None:
            o = os.stat(ours)
            if (o.st_dev, o.st_ino) == (st.st_dev, st.st_ino):
                return False
        if any(os.path.lexists(f"{path}{suffix}") for suffix in ("-journal", "-wal", "-shm")):
            return False
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError:
        return False
    return (len(head) == 100 and head.startswith(SQLITE_HEADER) and head[18] == 1 and head[19] == 1
            and int.from_bytes(head[60:64], "big") == schema.SCHEMA_VERSION)


@contextlib.contextmanager
def open_incoming(path: str | Path, thorough: bool = True, background: bool = False,
                  also: Callable[[sqlite3.Connection], Any] | None = None,
                  in_place_of: Path | None = None) -> Iterator[tuple[Path, CheckResult]]:
    """A checked private copy of an incoming file, ready to be attached read-only.

    ``in_place_of`` (with ``background``): our file, when merging into it; the incoming file
    itself is then given, not a copy, where ``in_place_ok`` says so (``res.in_place``).

    With ``background`` the header, ``application_id``, version and schema are checked before
    this returns, and the page check runs on in a thread while the caller reads the copy: the
    caller must call ``res.wait()`` (which raises if the file is damaged) before it trusts or
    uses anything it read; it returns what ``also(conn)`` returned, run in the same thread on
    a read-only connection to the copy once the check has passed.
    """
    path = Path(path)
    if not path.is_file():
        raise FileProblem(_("The file {path} does not exist.").format(path=path))
    in_place = background and in_place_of is not None and in_place_ok(path, in_place_of)
    with (contextlib.nullcontext(path) if in_place else private_copy(path)) as copy:
        if not background:
            res = check_file(copy, thorough=thorough, _copy=False)
            _bring_forward(copy, res)
            res.path = path
            yield copy, res
            return
        if copy.stat().st_size == 0:
            raise ForeignFileError(_("{name} is empty: it is not a PMQA Desktop database.").format(name=copy.name))
        _check_header(copy)
        inspect_file(copy)
        conn = _connect(read_only_uri(copy), uri=True)
        try:
            res = _check_schema(conn, copy)  # before anything else reads the copy
        except (FileProblem, sqlite3.DatabaseError):
            _check_pages(conn, copy, thorough)  # a damaged file gets the same message as without ``background``
            raise
        finally:
            conn.close()
        try:
            _bring_forward(copy, res)
        except sqlite3.DatabaseError:
            conn = _connect(read_only_uri(copy), uri=True)
            try:
                _check_pages(conn, copy, thorough)   # (damaged: its message)
            finally:
                conn.close()
            raise
        pages = PageCheck(copy, thorough, None if res.newer else also)
        try:
            res.path = path
            res.in_place = in_place
            res.wait = pages.wait
            yield copy, res
        finally:
            pages.cancel()
