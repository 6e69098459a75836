"""Sharing the database between offices: exchange files, merge, safe open, locks, backups, history.

Part of the core (no Qt); built on ``core.storage``. The main window opens its file with::

    from pmqa_desktop.core.sharing import open_for_editing, release
    store = open_for_editing(path, actor)      # checked, locked, backed up
    if store.read_only: show store.read_only_reason
    if store.sharing_notice: show it (e.g. the file is in a network folder)
    ...
    release(store)                             # on close: backup if changed, unlock, close
"""
from __future__ import annotations

import contextlib
import sys
import types
from pathlib import Path

from ...i18n import _
from ..storage.store import Actor, Store
from . import locking
from .backup import backup_file, backup_now, list_backups, restore_backup

# Loaded on first use (PEP 562), so opening a file at start-up does not import the merge code.
_LAZY = {
    "export": "exchange",
    "cell_history": "history", "recent_changes": "history", "restore_value": "history",
    "restore_version": "history", "row_history": "history",
    "MergeReport": "merge", "merge": "merge", "open_conflicts": "merge", "conflict_list": "merge",
    "conflict_detail": "merge", "resolve_conflict": "merge", "swap_conflict": "merge",
    "conflict_state": "merge", "set_conflict_state": "merge",
    "discard_preview": "merge",
    "CheckResult": "safety", "CraftedFileError": "safety", "check_file": "safety",
}


class _Package(types.ModuleType):
    """Keeps ``sharing.merge`` the function: importing the submodule ``sharing.merge`` (as
    ``from .merge import table_label`` does) would otherwise put the module in its place."""

    def __setattr__(self, name: str, value) -> None:
        if (name in _LAZY and _LAZY[name] == name and isinstance(value, types.ModuleType)
                and value.__name__ == f"{__name__}.{name}"):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value

__all__ = ["open_for_editing", "release", "backup_now", "backup_file", "list_backups", "restore_backup", "export", "merge",
           "MergeReport", "swap_conflict", "resolve_conflict", "open_conflicts", "conflict_list", "conflict_detail",
           "conflict_state", "set_conflict_state", "discard_preview", "check_file", "CheckResult",
           "CraftedFileError", "row_history", "cell_history", "restore_value", "restore_version",
           "recent_changes"]


def open_for_editing(path: str | Path, actor: Actor | None = None, *, read_only: bool = False,
                     backup: bool = True) -> Store:
    """Open a database file the safe way: checked, locked against a second writer, backed up.

    Returns a ``Store``; it is read-only (``store.read_only_reason`` says why) when the file
    is from a newer version, already open in another copy of the program, or busy in another
    program. ``store.sharing_notice`` holds a warning to show (network folder, failed backup).
    Damaged, foreign or crafted files raise a ``FileProblem``. Call ``release(store)`` on close.
    """
    path = Path(path)
    actor = actor or Actor()
    reason = ""
    lock = None
    notices: list[str] = []
    if path.exists() and path.stat().st_size > 0:
        from ..storage.store import inspect_file
        inspect_file(path)   # a foreign or damaged file is refused before we lock or probe it
    if not read_only:
        lock, holder = locking.acquire(path)
        if lock is None:
            read_only = True
            if holder is not None:
                reason = _("{name} is already open in PMQA Desktop on computer {host} (user {user}, since {time}). "
                           "It is opened read-only here so that two people do not overwrite each other's work; "
                           "close it there, or work on a copy and merge it.").format(
                    name=path.name, host=holder.host, user=holder.user or "?", time=_lock_time(holder.time))
            else:
                reason = _("{name} is in a folder where PMQA Desktop cannot write. It is opened "
                           "read-only.").format(name=path.name)
        elif not locking.probe_exclusive(path):
            locking.release_lock(lock)
            lock = None
            read_only = True
            reason = _("{name} is being changed by another program right now. It is opened read-only; "
                       "close the other program and open it again to edit.").format(name=path.name)
    if read_only and not path.exists():
        from ..errors import FileProblem
        raise FileProblem(_("The file {path} does not exist.").format(path=path))
    try:
        store = Store.open(path, actor, read_only=read_only)
    except BaseException:
        locking.release_lock(lock)
        raise
    if store.read_only and lock is not None:  # newer file: nothing will be written
        locking.release_lock(lock)
        lock = None
    if reason:
        store.read_only_reason = reason
    if locking.is_network_path(path):
        notices.append(_("{name} is in a shared network folder. Working on a database over the network can "
                         "damage it; copy it to this computer, or exchange files with Export and Merge.").format(
            name=path.name))
    store.sharing_lock = lock
    if backup and not store.read_only and path.exists():
        try:
            backup_now(store, "open", skip_if_unchanged=True)
        except Exception as exc:  # a failed backup must not stop the clerk's work; say so
            notices.append(str(exc))
    store.sharing_notice = "\n".join(notices)
    return store


def release(store: Store | None, *, backup: bool = True, reopening: bool = False) -> None:
    """Close a store opened with ``open_for_editing``: back up if it changed, unlock, close.
    ``reopening``: the file is opened again at once (its journal is kept for that)."""
    if store is None:
        return
    try:
        with contextlib.suppress(Exception):
            store.index_edits()   # find's index written before the backup, so the backup is the file as left
        if backup and not store.read_only and store.path is not None and Path(store.path).exists():
            with contextlib.suppress(Exception):
                backup_now(store, "close", skip_if_unchanged=True)
    finally:
        store.close(keep_journal=reopening)
        locking.release_lock(getattr(store, "sharing_lock", None))
        store.sharing_lock = None


def _lock_time(stamp: str) -> str:
    """When the other opener took the file, on this computer's clock ('7 ธ.ค. 2569 10:54')."""
    from ...i18n import language
    from ..thai_calendar import format_local_datetime
    return format_local_datetime(stamp, english=language() == "en")
