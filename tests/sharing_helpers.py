"""Helpers for the sharing tests (offices editing copies of one file)."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

from pmqa_desktop.core.storage import schema
from pmqa_desktop.core.storage.store import Actor, Store


def data_digest(path_or_store) -> dict:
    """Everything that travels: every synced row (all columns) and the history (parsed)."""
    if isinstance(path_or_store, Store):
        conn, close = path_or_store.conn, False
    else:
        conn, close = sqlite3.connect(f"file:{Path(path_or_store).as_posix()}?mode=ro", uri=True), True
    try:
        out = {}
        for t in schema.SYNCED_TABLES:
            out[t] = sorted(conn.execute(f"SELECT * FROM {t}").fetchall())
        out["history"] = sorted(
            (r[0], r[1], r[2], json.dumps(json.loads(r[3]), sort_keys=True), r[4], r[5], r[6], r[7])
            for r in conn.execute("SELECT rev, table_name, row_id, data, updated_at, office, clerk, deleted "
                                  "FROM history"))
        return out
    finally:
        if close:
            conn.close()


@contextlib.contextmanager
def office_copy(src: Path, dst: Path, office: str = "Rayong office", clerk: str = "Suda"):
    """A copy of ``src`` (taken now) that another office edits; closed afterwards."""
    shutil.copy(src, dst)
    s = Store.open(dst, Actor(office, clerk))
    try:
        yield s
    finally:
        s.close()


def file_state(path: Path) -> tuple[bytes, int]:
    st = os.stat(path)
    return Path(path).read_bytes(), st.st_mtime_ns


def office_copies(src: Path, folder: Path, names=("A", "B", "C")) -> dict[str, Store]:
    stores = {}
    for n in names:
        dst = folder / f"office_{n}.db"
        shutil.copy(src, dst)
        stores[n] = Store.open(dst, Actor(office=f"office-{n}", clerk=f"clerk-{n}"))
    return stores


@contextlib.contextmanager
def merged_both_ways(a: Path, b: Path, folder: Path):
    """B's file merged into a copy of A's, and A's into a copy of B's: yields the two merged
    stores (A with B, B with A) and their merge reports; closed afterwards."""
    from pmqa_desktop.core.sharing import merge
    stores = []
    try:
        for mine, theirs, name in ((a, b, "a_with_b.db"), (b, a, "b_with_a.db")):
            shutil.copy(mine, folder / name)
            stores.append(Store.open(folder / name, Actor(f"office of {name}", "clerk")))
        yield stores[0], stores[1], merge(stores[0], b, backup=False), merge(stores[1], a, backup=False)
    finally:
        for s in stores:
            s.close()


def integrity_ok(path: Path) -> bool:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def tampered(path: Path, sql: str, params: tuple = ()) -> None:
    """Write into a file behind the program's back (a damaged or crafted file), committed."""
    conn = sqlite3.connect(str(path))
    try:
        conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()
