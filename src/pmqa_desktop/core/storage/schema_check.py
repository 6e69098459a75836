"""Is a file's schema exactly the one this program creates? A trigger, a view or an unknown table
means a crafted file, refused before anything in it runs (used when a file is opened, by
``storage.store``, and by ``sharing.safety`` for incoming files).
"""
from __future__ import annotations

import sqlite3
from functools import lru_cache
from pathlib import Path

from ...i18n import _
from ..errors import DamagedFileError, FileProblem
from . import schema

# Tables SQLite itself may add (ANALYZE); harmless data for the query planner.
_SQLITE_OWN = {"sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"}

class CraftedFileError(FileProblem):
    """The file holds schema objects (triggers, views, tables) that this program never creates."""


def _norm(sql: str | None) -> str | None:
    return " ".join(sql.split()) if sql else None


@lru_cache(maxsize=None)
def expected_schema(version: int = schema.SCHEMA_VERSION) -> dict[str, tuple[str, str, str | None]]:
    """name -> (type, table, normalised SQL) of every object our migrations create up to ``version``."""
    conn = sqlite3.connect(":memory:")
    try:
        for v in range(version):
            schema.MIGRATIONS[v](conn)
        return {name: (typ, tbl, _norm(sql)) for typ, name, tbl, sql in
                conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")}
    finally:
        conn.close()


@lru_cache(maxsize=None)
def optional_schema() -> dict[str, tuple[str, str, str | None]]:
    """Objects a file may hold or not: find's full-text index (``storage.search``), which a file
    gets on its first open by a program that has it."""
    from . import search
    conn = sqlite3.connect(":memory:")
    try:
        search.create(conn)
        return {name: (typ, tbl, _norm(sql)) for typ, name, tbl, sql in
                conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")}
    finally:
        conn.close()


def schema_problems(conn: sqlite3.Connection, db: str = "main") -> list[str]:
    """What in the file's schema this program did not create (empty list: all ours).

    ``db`` is a schema name of the connection ('main' or an attached name we chose).
    """
    if db not in ("main", "inc"):
        raise ValueError(db)
    version = conn.execute(f"PRAGMA {db}.user_version").fetchone()[0]
    objects = conn.execute(f"SELECT type, name, tbl_name, sql FROM {db}.sqlite_master").fetchall()
    newer = version > schema.SCHEMA_VERSION
    expected = expected_schema(min(version, schema.SCHEMA_VERSION))
    problems: list[str] = []
    for typ, name, tbl, sql in objects:
        if typ in ("trigger", "view"):
            problems.append(f"{typ} {name}")
            continue
        if name in _SQLITE_OWN:
            continue
        if name.startswith("sqlite_autoindex_"):
            if tbl in expected or newer:
                continue
            problems.append(f"{typ} {name}")
            continue
        if newer:
            continue  # a newer program may add tables and indexes; we only read what we know
        want = expected.get(name) or optional_schema().get(name)
        if want is None or want[0] != typ or want[1] != tbl or want[2] != _norm(sql):
            problems.append(f"{typ} {name}")
    if not newer:
        present = {o[1] for o in objects}
        missing = [n for n, (typ, _t, _s) in expected.items() if typ == "table" and n not in present]
        if missing:
            problems.append("missing " + ", ".join(sorted(missing)))
    return problems


def verify_schema(conn: sqlite3.Connection, path: Path | None, db: str = "main") -> None:
    """Raise ``CraftedFileError`` unless the file's schema is exactly ours."""
    try:
        problems = schema_problems(conn, db)
    except sqlite3.DatabaseError as exc:
        raise DamagedFileError(_("The file is damaged and cannot be opened."), str(exc)) from exc
    if problems:
        name = path.name if path else ""
        if any(p.startswith("missing ") for p in problems) and not any(
                p.split()[0] in ("trigger", "view") for p in problems):
            raise DamagedFileError(_("{name} is incomplete: parts of the PMQA Desktop database are "
                                     "missing. It was not opened and has not been changed.").format(name=name),
                                   "; ".join(problems[:10]))
        raise CraftedFileError(
            _("{name} contains database objects that PMQA Desktop never creates (triggers, views or "
              "unknown tables). It may have been crafted to cause harm, so it was refused without "
              "running anything in it, and it has not been changed.").format(name=name),
            "; ".join(problems[:10]))
