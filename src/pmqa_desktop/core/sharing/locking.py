"""Who else has the file open, and is it on a network share?

A second copy of the program that opens the same file must not become a silent second
writer. The first opener writes a lock file beside the database (``NAME.lock``) holding
its process id, host, user and the time; a later opener finds it and gets a read-only
view with a message. A lock left behind by a crashed program on the same computer is
recognised by its dead process id and taken over. An exclusive SQLite transaction probe
also catches other programs that write the file right now.

Network shares: SQLite warns against live databases on network file systems, and WAL
cannot work there. ``is_network_path`` recognises UNC paths (``\\\\server\\share``), mapped
network drives on Windows (``GetDriveTypeW``) and nfs/cifs/smb/sshfs mounts on Linux; the
store never uses WAL anywhere (a rollback journal: PERSIST while the file is open, removed at close).
"""
from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import threading
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

NETWORK_FS = {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "fuse.sshfs", "sshfs", "afs",
              "ncpfs", "9p", "fuse.rclone", "davfs", "fuse.davfs2", "ceph", "glusterfs", "fuse.glusterfs",
              "lustre", "gpfs", "beegfs", "fuse.s3fs"}

# lock files this process holds (a second window of the same program is a second opener too)
_HELD: dict[str, "FileLock"] = {}
_HELD_LOCK = threading.Lock()


@dataclass
class LockInfo:
    pid: int
    host: str
    user: str
    time: str
    app: str = "PMQA Desktop"

    @classmethod
    def mine(cls) -> "LockInfo":
        user = ""
        with contextlib.suppress(Exception):
            import getpass   # here, not at the top: the program's start does not wait for it
            user = getpass.getuser()
        return cls(pid=os.getpid(), host=hostname(), user=user,
                   time=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))


@dataclass
class FileLock:
    db_path: Path
    lock_path: Path
    info: LockInfo

    def release(self) -> None:
        release_lock(self)


def hostname() -> str:
    """This computer's name, as ``socket.gethostname()`` gives it (without importing socket where
    the system call is at hand: the program's start does not wait for the socket module)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket
    return socket.gethostname()


def lock_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def _key(db_path: Path) -> str:
    return os.path.normcase(str(db_path.resolve()))


def read_lock(lock_path: Path) -> LockInfo | None:
    try:
        data = json.loads(lock_path.read_text(encoding="utf-8"))
        return LockInfo(pid=int(data["pid"]), host=str(data["host"]), user=str(data.get("user", "")),
                        time=str(data.get("time", "")), app=str(data.get("app", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes
        from ctypes import wintypes
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # access denied: it exists
        try:
            code = wintypes.DWORD()
            if kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return code.value == 259  # STILL_ACTIVE
            return True
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _is_stale(info: LockInfo | None, lock_path: Path) -> bool:
    if info is None:
        # unreadable lock: stale once it is more than a minute old (a writer would have finished)
        with contextlib.suppress(OSError):
            age = datetime.now().timestamp() - lock_path.stat().st_mtime
            return age > 60
        return True
    if info.host != hostname():
        return False  # cannot see another computer's processes: respect it
    if info.pid == os.getpid():
        return True  # our own leftover (this process would have it in _HELD otherwise)
    return not pid_alive(info.pid)


def acquire(db_path: str | Path) -> tuple[FileLock | None, LockInfo | None]:
    """Take the lock beside ``db_path``: (lock, None), or (None, holder) when someone holds it."""
    db_path = Path(db_path)
    lock_path = lock_path_for(db_path)
    key = _key(db_path)
    with _HELD_LOCK:
        if key in _HELD:
            return None, _HELD[key].info
        for _attempt in range(3):
            info = LockInfo.mine()
            try:
                fd = os.open(lock_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                holder = read_lock(lock_path)
                if _is_stale(holder, lock_path):
                    with contextlib.suppress(FileNotFoundError):
                        lock_path.unlink()
                    continue
                return None, holder
            except OSError:
                # read-only folder (CD, protected share): no lock possible; report as no holder
                return None, None
            try:
                # no fsync: the lock only has to be seen by other copies of the program, which
                # the write does; after a crash an empty or missing lock is stale anyway (see
                # _is_stale), and waiting for the disk here slowed every start by tens of ms
                os.write(fd, json.dumps(asdict(info)).encode("utf-8"))
            finally:
                os.close(fd)
            lock = FileLock(db_path, lock_path, info)
            _HELD[key] = lock
            return lock, None
    return None, read_lock(lock_path)


def release_lock(lock: FileLock | None) -> None:
    if lock is None:
        return
    with _HELD_LOCK:
        key = _key(lock.db_path)
        if _HELD.get(key) is lock:
            del _HELD[key]
        current = read_lock(lock.lock_path)
        if current and current.pid == lock.info.pid and current.host == lock.info.host \
                and current.time == lock.info.time:
            with contextlib.suppress(OSError):
                lock.lock_path.unlink()


def held_here(db_path: str | Path) -> bool:
    with _HELD_LOCK:
        return _key(Path(db_path)) in _HELD


def probe_exclusive(db_path: str | Path, timeout: float = 0.2) -> bool:
    """True when no other connection is reading or writing the file right now."""
    db_path = Path(db_path)
    if not db_path.exists():
        return True
    try:
        conn = sqlite3.connect(str(db_path), timeout=timeout, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    except sqlite3.DatabaseError:
        return True   # not a database at all: Store.open refuses it with the right message
    finally:
        conn.close()


# ---------------------------------------------------------------- network paths

def _unescape_mount(field: str) -> str:
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\")


def fs_type(path: str | Path, mounts_text: str | None = None) -> str:
    """The file-system type of the mount holding ``path`` (Linux /proc/mounts); '' if unknown."""
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
    target = os.path.realpath(str(path))
    best, best_type = "", ""
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mnt, typ = _unescape_mount(parts[1]), parts[2]
        prefix = mnt.rstrip("/") + "/"
        if (target == mnt or target.startswith(prefix) or mnt == "/") and len(mnt) >= len(best):
            best, best_type = mnt, typ
    return best_type


def is_unc(path: str) -> bool:
    s = path.replace("/", "\\")
    if s.startswith("\\\\?\\") or s.startswith("\\\\.\\"):
        return s[4:].upper().startswith("UNC\\")
    return s.startswith("\\\\")


def _windows_drive_remote(path: str) -> bool:  # pragma: no cover - Windows only
    import ctypes
    drive = os.path.splitdrive(os.path.abspath(path))[0]
    if not drive or len(drive) != 2:
        return False
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == 4  # DRIVE_REMOTE


def is_network_path(path: str | Path, *, platform: str | None = None, mounts_text: str | None = None) -> bool:
    """Whether the file lives on a network share (where SQLite locking is unreliable)."""
    platform = platform or sys.platform
    s = str(path)
    if is_unc(s) and (platform == "win32" or s.startswith("\\\\")):
        return True
    if platform == "win32":
        if sys.platform == "win32":  # pragma: no cover
            with contextlib.suppress(Exception):
                return _windows_drive_remote(s)
        return False
    if platform.startswith("linux"):
        typ = fs_type(s, mounts_text)
        return typ in NETWORK_FS or typ.startswith("fuse.sshfs") or typ.startswith("nfs")
    return False
