"""Automatic rotating backups of a database file.

Backups go to ``paths.backups_dir()/<file name>-<hash of its folder>/`` as complete SQLite
copies made with the backup API (consistent even while the program edits). The name of
each backup says when and why it was made: ``20261120T232500123456Z_merge_c42.db`` (the
last part is the file's change counter, so an unchanged file is not backed up twice on
open/close). Rotation keeps the newest ``KEEP_NEWEST`` plus the newest of each day for
``KEEP_DAYS`` days.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

from ... import paths
from ...i18n import _, ngettext
from ..errors import FileProblem
from ..storage.store import read_only_uri, Actor, Store, _connect, hot_journal, new_id
from . import locking
from .safety import check_file
from .fsutil import fsync_dir, fsync_file

KEEP_NEWEST = 20
KEEP_DAYS = 14
DEFAULT_BUDGET_MB = 2048   # all backups together, every file's (a province opens and merges 35 files a round)
MIN_BUDGET_MB = 10
_NAME = re.compile(r"^(\d{8}T\d{12})Z_([a-z0-9-]+)_c(\d+)\.db$")

REASONS = {
    "open": lambda: _("opened"),
    "close": lambda: _("closed"),
    "merge": lambda: _("before a merge"),
    "import": lambda: _("before an import"),
    "restore": lambda: _("before restoring a backup"),
    "manual": lambda: _("made by hand"),
}


@dataclass
class BackupInfo:
    path: Path
    created: datetime  # UTC
    reason: str        # code: open, close, merge, import, restore, manual, ...
    size: int
    counter: int

    @property
    def reason_label(self) -> str:
        fn = REASONS.get(self.reason)
        return fn() if fn else self.reason

    @property
    def local_time(self) -> datetime:
        return self.created.astimezone()


def backup_folder(db_path: str | Path) -> Path:
    db_path = Path(db_path).resolve()
    try:
        from _sha1 import sha1   # Python's own; importing hashlib loads OpenSSL, which a start need not wait for
    except ImportError:  # pragma: no cover - a Python built without it
        from hashlib import sha1
    digest = sha1(os.path.normcase(str(db_path.parent)).encode("utf-8")).hexdigest()[:8]
    folder = paths.backups_dir() / f"{db_path.name}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _slug(reason: str) -> str:
    s = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-")
    return s[:30] or "manual"


def change_counter(path: Path) -> int:
    try:
        with open(path, "rb") as fh:
            head = fh.read(28)
        return int.from_bytes(head[24:28], "big") if len(head) >= 28 else 0
    except OSError:
        return 0


def _stamp_time(stamp: str) -> datetime:
    """The UTC time of a backup name's stamp, ``YYYYmmddTHHMMSSffffff`` (as ``_NAME`` matched it);
    read by hand, as ``strptime`` first loads Python's locale-aware parser."""
    return datetime(int(stamp[0:4]), int(stamp[4:6]), int(stamp[6:8]), int(stamp[9:11]), int(stamp[11:13]),
                    int(stamp[13:15]), int(stamp[15:21]), tzinfo=timezone.utc)


def list_backups(db_path: str | Path) -> list[BackupInfo]:
    """Backups of this file, newest first."""
    return _backups_in(backup_folder(db_path))


def _backups_in(folder: Path) -> list[BackupInfo]:
    out = []
    for p in folder.iterdir():
        m = _NAME.match(p.name)
        if not m or not p.is_file():
            continue
        created = _stamp_time(m.group(1))
        out.append(BackupInfo(p, created, m.group(2), p.stat().st_size, int(m.group(3))))
    out.sort(key=lambda b: b.created, reverse=True)
    return out


def _copy_consistent(conn: sqlite3.Connection, target: Path, pages: int = -1) -> None:
    """Copy through the backup API; in steps of ``pages`` when another connection may write, so
    its commits are never held up for long (SQLite restarts the copy if the file changed)."""
    dst = sqlite3.connect(str(target), isolation_level=None)
    try:
        conn.backup(dst, pages=pages, sleep=0.01)
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()


def _copy_bytes(conn: sqlite3.Connection, db_path: Path, target: Path) -> None:
    """The file copied as it is (the kernel's copy: a 400 MB file in a third of the time the
    backup API takes page by page) under a read transaction of our own connection: its shared
    lock keeps every other connection from writing the file meanwhile (a rollback journal: a
    writer must wait for it before it changes the file), so the copy is the committed state.
    Only on POSIX (Windows refuses reads of the bytes SQLite locks in files over 1 GB)."""
    conn.execute("BEGIN")
    try:
        conn.execute("SELECT count(*) FROM main.sqlite_master").fetchone()   # takes the shared lock
        shutil.copyfile(db_path, target)
    finally:
        conn.execute("COMMIT")


def backup_now(store: Store, reason: str = "manual", *, skip_if_unchanged: bool = False) -> Path | None:
    """Back up the store's file now (call it before a merge or an import); returns the backup."""
    if store.path is None:
        return None
    own = store.conn if getattr(store, "_depth", 0) == 0 else None
    return _backup(Path(store.path), reason, skip_if_unchanged, own)


def backup_file(db_path: str | Path, reason: str = "manual", *, skip_if_unchanged: bool = False) -> Path | None:
    """Back up a file through a connection of its own (safe from another thread)."""
    return _backup(Path(db_path), reason, skip_if_unchanged, None)


def _backup(db_path: Path, reason: str, skip_if_unchanged: bool, own: sqlite3.Connection | None) -> Path | None:
    counter = change_counter(db_path)
    if skip_if_unchanged:
        existing = list_backups(db_path)
        if existing and existing[0].counter == counter:
            return None
    stamp = datetime.now(timezone.utc)
    return _publish(db_path, _write_part(db_path, own), stamp, reason, counter)


def _failed(db_path: Path, exc: BaseException) -> FileProblem:
    return FileProblem(_("A backup of {name} could not be made: {error}").format(name=db_path.name, error=exc))


def _write_part(db_path: Path, own: sqlite3.Connection | None) -> Path:
    """A synced copy of the file under a temporary name in its backup folder."""
    tmp = backup_folder(db_path) / f".{new_id()}.part"
    try:
        if own is not None and os.name == "posix" and not own.in_transaction:
            _copy_bytes(own, db_path, tmp)
        elif own is not None:
            _copy_consistent(own, tmp)
        else:  # another thread, or inside a transaction: the committed state through another connection
            src = _connect(read_only_uri(db_path), uri=True)
            src.execute("PRAGMA busy_timeout = 10000")
            try:
                _copy_consistent(src, tmp, pages=2048)
            finally:
                src.close()
        fsync_file(tmp)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _failed(db_path, exc) from exc
    return tmp


def _publish(db_path: Path, tmp: Path, stamp: datetime, reason: str, counter: int) -> Path:
    """The copy ``_write_part`` made, under its backup name (and old backups rotated away)."""
    folder = tmp.parent
    final = folder / f"{stamp.strftime('%Y%m%dT%H%M%S%f')}Z_{_slug(reason)}_c{counter}.db"
    try:
        os.replace(tmp, final)
        fsync_dir(folder)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _failed(db_path, exc) from exc
    rotate(db_path)
    return final


class BackupBeside:
    """The backup a merge makes first, copied in a thread while the merge does its work inside its
    transaction, and listed (``finish``) before that transaction commits: the backup still holds
    the file exactly as it was before the merge, and it exists, synced, before anything of the
    merge is in the file. Our file cannot change while it is copied: a connection of its own holds
    a read transaction from before the merge's transaction begins until the copy is made (a
    rollback journal: our writer cannot write the file before that ends; a page it would spill
    meanwhile stays in memory). The file is read through a handle opened here and closed only by
    ``close()``, after the merge's transaction has ended (closing a handle of a file drops every
    POSIX lock this process holds on it, our writer's too). POSIX only (``available``).
    """

    @staticmethod
    def available(store: Store) -> bool:
        return (store.path is not None and os.name == "posix" and hasattr(os, "sendfile")
                and getattr(store, "_depth", 0) == 0)

    def __init__(self, db_path: str | Path, reason: str):
        self.db_path = Path(db_path)
        self.reason = reason
        self.stamp = datetime.now(timezone.utc)
        self.error: BaseException | None = None
        self.tmp: Path | None = None
        self.fd: int | None = None
        try:
            self.tmp = backup_folder(self.db_path) / f".{new_id()}.part"
            self.conn = _connect(read_only_uri(self.db_path), uri=True)
            self.conn.execute("PRAGMA busy_timeout = 10000")
            self.conn.execute("BEGIN")
            self.conn.execute("SELECT count(*) FROM main.sqlite_master").fetchone()   # takes the shared lock
            self.counter = change_counter(self.db_path)
            self.fd = os.open(self.db_path, os.O_RDONLY)
            self.size = os.fstat(self.fd).st_size
        except (OSError, sqlite3.Error) as exc:
            self._end_read()
            self.close()
            raise _failed(self.db_path, exc) from exc
        self.thread = threading.Thread(target=self._run, name="pmqa-backup-beside", daemon=True)
        self.thread.start()

    def _end_read(self) -> None:
        conn, self.conn = getattr(self, "conn", None), None
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()   # (ends the read transaction)

    def _run(self) -> None:
        try:
            try:
                with open(self.tmp, "wb") as out:
                    _copy_range(self.fd, out.fileno(), self.size)
            finally:
                self._end_read()
            fsync_file(self.tmp)
        except BaseException as exc:  # handed to finish()
            self.error = exc

    def finish(self) -> Path:
        """The backup, synced and listed (raises ``FileProblem`` if it could not be made)."""
        self.thread.join()
        if self.error is not None:
            raise _failed(self.db_path, self.error) from self.error
        tmp, self.tmp = self.tmp, None
        return _publish(self.db_path, tmp, self.stamp, self.reason, self.counter)

    def close(self) -> None:
        """After the merge's transaction has ended: the file's handle closed, an unlisted copy removed."""
        thread = getattr(self, "thread", None)
        if thread is not None:
            thread.join()
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                self.tmp.unlink()
            self.tmp = None


def _copy_range(src: int, dst: int, size: int) -> None:
    """``size`` bytes of the file ``src`` from its start into ``dst`` (the kernel's copy where it can)."""
    offset = 0
    while offset < size:
        try:
            n = os.sendfile(dst, src, offset, min(size - offset, 1 << 30))
        except OSError:
            if offset:
                raise
            break   # (a file system where the kernel cannot: read and write below)
        if n == 0:
            break
        offset += n
    while offset < size:
        data = os.pread(src, min(size - offset, 1 << 22), offset)
        if not data:
            break
        offset += len(data)
        view = memoryview(data)
        while view:
            view = view[os.write(dst, view):]
    if offset != size:
        raise OSError(f"copied {offset} of {size} bytes")


class PendingBackup:
    """A backup made ahead, in a thread (a merge's, while the clerk reads its preview). It is
    written and synced under a temporary name and becomes a listed backup only through
    ``publish``, which keeps it only if the file has not changed since it was taken."""

    def __init__(self, db_path: str | Path, reason: str):
        self.db_path = Path(db_path)
        self.reason = reason
        self.part: Path | None = None
        self.counter: int | None = None
        self.stamp = datetime.now(timezone.utc)
        self.thread = threading.Thread(target=self._run, name="pmqa-backup-ahead", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        counter = change_counter(self.db_path)
        try:
            part = _write_part(self.db_path, None)
        except FileProblem:
            return  # (publish() returns None: the backup is made then, and any error shown)
        self.part = part
        if change_counter(self.db_path) == counter:  # (else written to while it was copied)
            self.counter = counter

    def publish(self) -> Path | None:
        """The backup, listed, if the file is still as it was copied; else None (dropped)."""
        self.thread.join()
        if self.part is None or self.counter is None or change_counter(self.db_path) != self.counter:
            self.discard()
            return None
        part, self.part = self.part, None
        return _publish(self.db_path, part, self.stamp, self.reason, self.counter)

    def discard(self) -> None:
        self.thread.join()
        if self.part is not None:
            with contextlib.suppress(OSError):
                self.part.unlink()
            self.part = None


def _budget_file() -> Path:
    return paths.backups_dir() / "budget.json"


def budget_mb() -> int:
    """The disk space (MB) all backups may take together, every file's; the clerk can change it."""
    import json
    try:
        value = int(json.loads(_budget_file().read_text(encoding="utf-8"))["mb"])
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_BUDGET_MB
    return max(MIN_BUDGET_MB, value)


def set_budget_mb(mb: int, db_path: str | Path | None = None) -> list[Path]:
    """Set the backup budget (at least ``MIN_BUDGET_MB``); backups beyond it go now."""
    import json
    from ..errors import ValidationError
    if int(mb) < MIN_BUDGET_MB:
        raise ValidationError(_("The space for backups must be at least {n} MB.").format(n=MIN_BUDGET_MB))
    target = _budget_file()
    tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"mb": int(mb)}), encoding="utf-8")
    os.replace(tmp, target)
    return rotate(db_path) if db_path is not None else []


def backups_size(db_path: str | Path) -> int:
    return sum(b.size for b in list_backups(db_path))


def human_size(n: float) -> str:
    """A file size as a clerk reads it: 512 B, 752.0 KB, 34.2 MB, 2.1 GB."""
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _every_files_backups() -> Iterator[tuple[Path, list[BackupInfo]]]:
    """Each file's backup folder with its backups, newest first (a folder that cannot be read is
    passed over)."""
    for folder in paths.backups_dir().iterdir():
        if folder.is_dir():
            try:
                yield folder, _backups_in(folder)
            except OSError:
                continue


def all_backups_size() -> int:
    """The disk space every file's backups take together (what the budget bounds)."""
    return sum(b.size for _folder, items in _every_files_backups() for b in items)


def usage_line(items: list[BackupInfo]) -> str:
    """What a file's backups (``items``) and all backups take, against the budget."""
    return ngettext("{n} backup of this file takes {used}; all backups together take {all} of the {mb} MB they may take.",
                    "{n} backups of this file take {used}; all backups together take {all} of the {mb} MB they may take.",
                    len(items)).format(
        n=len(items), used=human_size(sum(b.size for b in items)), all=human_size(all_backups_size()),
        mb=budget_mb())


def rotate(db_path: str | Path, keep_newest: int = KEEP_NEWEST, keep_days: int = KEEP_DAYS,
           now: datetime | None = None, budget: int | None = None) -> list[Path]:
    """Delete old backups: keep the newest ``keep_newest`` and the newest of each of the last days,
    within the disk budget (``budget`` MB, else ``budget_mb()``): past it the oldest go first,
    thinned so that the newest backup always stays. Then every file's backups together are kept
    within the same budget (``_fit_all``)."""
    now = now or datetime.now(timezone.utc)
    backups = list_backups(db_path)
    keep = {b.path for b in backups[:keep_newest]}
    seen_days: set = set()
    for b in backups:  # newest first
        day = b.local_time.date()
        if now - b.created <= timedelta(days=keep_days) and day not in seen_days:
            seen_days.add(day)
            keep.add(b.path)
    limit = (budget_mb() if budget is None else budget) * 1024 * 1024
    used = 0
    for i, b in enumerate(backups):  # newest first: the newest is kept whatever its size
        if b.path in keep:
            if i > 0 and used + b.size > limit:
                keep.discard(b.path)
            else:
                used += b.size
    removed = []
    for part in backup_folder(db_path).glob(".*.part"):  # left by a crash or a killed process
        with contextlib.suppress(OSError):
            if now.timestamp() - part.stat().st_mtime > 3600:
                part.unlink()
    for b in backups:
        if b.path not in keep:
            with contextlib.suppress(OSError):
                b.path.unlink()
                removed.append(b.path)
    return removed + _fit_all(db_path, limit)


def _fit_all(db_path: str | Path, limit: int) -> list[Path]:
    """Every file's backups together within ``limit`` bytes (a province opens dozens of received
    files a round, each backed up under its own name): past it the oldest go first, each file's
    newest only after every older backup; the newest backup of ``db_path`` always stays."""
    own = backup_folder(db_path)
    candidates: list[tuple[bool, datetime, BackupInfo]] = []
    total = 0
    for folder, items in _every_files_backups():
        for i, b in enumerate(items):   # newest first
            total += b.size
            if i == 0 and folder == own:
                continue
            candidates.append((i == 0, b.created, b))
    removed = []
    for _newest, _created, b in sorted(candidates, key=lambda c: (c[0], c[1])):
        if total <= limit:
            break
        with contextlib.suppress(OSError):
            b.path.unlink()
            total -= b.size
            removed.append(b.path)
    return removed


def resolve_backup(db_path: str | Path, name: str | Path) -> Path:
    """A backup given by path, by file name in the file's backup folder, or by its number in the list."""
    p = Path(name)
    if p.is_file():
        return p
    cand = backup_folder(db_path) / p.name
    if cand.is_file():
        return cand
    if str(name).isdigit():
        items = list_backups(db_path)
        i = int(str(name)) - 1
        if 0 <= i < len(items):
            return items[i].path
    raise FileProblem(_("There is no backup called {name}.").format(name=name))


def restore_backup(db_path: str | Path, backup: str | Path, actor: Actor | None = None) -> Path | None:
    """Replace ``db_path`` with a checked backup; the current file is backed up first.

    The file must not be open for editing (close it first). Returns the backup of the
    current file that was made before restoring (None if there was no current file).
    """
    db_path = Path(db_path)
    backup = resolve_backup(db_path, backup)
    check_file(backup)  # damaged, foreign or crafted backups are refused
    lock, holder = locking.acquire(db_path)
    if lock is None and holder is not None:
        raise FileProblem(_("{name} is open in PMQA Desktop on {host}; close it there before restoring.").format(
            name=db_path.name, host=holder.host))
    try:
        if not locking.probe_exclusive(db_path):
            raise FileProblem(_("{name} is in use by another program; close it before restoring.").format(
                name=db_path.name))
        before = None
        if db_path.exists() and db_path.stat().st_size > 0:
            store = Store.open(db_path, actor or Actor(), read_only=True, check="")
            try:
                before = backup_now(store, "restore")
            finally:
                store.close()
        if hot_journal(db_path):
            raise FileProblem(_("{name} has an unfinished change journal beside it; open it once in PMQA "
                                "Desktop so it is repaired, then restore.").format(name=db_path.name))
        tmp = db_path.with_name(f".{db_path.name}.{new_id()[:8]}.part")
        try:
            shutil.copyfile(backup, tmp)
            fsync_file(tmp)
            os.replace(tmp, db_path)
            fsync_dir(db_path.parent)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise FileProblem(_("The backup could not be restored: {error}").format(error=exc)) from exc
        return before
    finally:
        locking.release_lock(lock)
