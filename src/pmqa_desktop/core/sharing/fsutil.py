"""Durable file writes: fsync a file and its folder (what makes a rename survive a power cut)."""
from __future__ import annotations

import contextlib
import os
from pathlib import Path


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # folders cannot be opened for fsync on Windows
        return
    sync_read_only(folder)


def sync_read_only(path: Path, data_only: bool = False) -> None:
    """fsync (or fdatasync) through a read-only handle of our own: a folder, or a file another
    connection is writing (POSIX). A failure is ignored: the writer syncs it itself as well."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            (os.fdatasync if data_only else os.fsync)(fd)
        finally:
            os.close(fd)
