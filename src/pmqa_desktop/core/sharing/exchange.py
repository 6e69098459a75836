"""Exchange files: a consistent copy of the database for another office.

The copy is made with SQLite's backup API from its own read connection, so it can be
taken while the program edits the file. It is written to a temporary name in the target
folder, optionally pruned to a selection of organisations / fiscal years / plans (the
criteria catalog always travels; history travels for the rows kept), compacted, synced to
disk and only then renamed to the final name: a failure (disk full, USB stick pulled)
never leaves a half file behind the final name.
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from ...i18n import _
from ..errors import FileProblem, UserError
from ..storage import schema, search
from ..storage.store import read_only_uri, Store, _connect, inspect_file, journal_path, new_id, now_iso
from .faults import fault_point
from .fsutil import fsync_dir, fsync_file
from .safety import verify_schema


@dataclass
class ExportResult:
    path: Path
    size: int
    rows: dict[str, int] = field(default_factory=dict)
    selection: str = ""


def _topological_tables() -> list[str]:
    depth: dict[str, int] = {}

    def d(t: str) -> int:
        if t not in depth:
            depth[t] = 0 if t not in schema.PARENTS else d(schema.PARENTS[t][0]) + 1
        return depth[t]
    return sorted(schema.SYNCED_TABLES, key=d)


def _open_destination(path: Path) -> sqlite3.Connection:
    """The connection the copy is written through (tests make it small to simulate a full disk)."""
    return sqlite3.connect(str(path), isolation_level=None)


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold()


def _prune(conn: sqlite3.Connection, orgs: list[str] | None, years: list[int] | None,
           plans: list[str] | None, without_plans: list[str] | None = None) -> str:
    """Delete from the copy every row outside the selection; returns a description of it.
    ``plans``: only these development plans (and their years); ``without_plans``: all but these."""
    all_orgs = conn.execute("SELECT id, name, parent_id FROM organisation").fetchall()
    by_id = {r[0]: r for r in all_orgs}
    keep_orgs: set[str] = set(by_id)
    if orgs:
        keep_orgs = set()
        for wanted in orgs:
            hits = [r[0] for r in all_orgs if _norm(r[1]) == _norm(wanted) or r[0] == wanted]
            if not hits:
                hits = [r[0] for r in all_orgs if _norm(wanted) in _norm(r[1])]
            if not hits:
                raise UserError(_("There is no organisation called \u201c{name}\u201d in this file. "
                                  "Known: {names}").format(name=wanted, names=", ".join(sorted({r[1] for r in all_orgs}))))
            keep_orgs.update(hits)
    year_rows = conn.execute("SELECT id, org_id, year_be FROM fiscal_year").fetchall()
    keep_years = {r[0] for r in year_rows if r[1] in keep_orgs and (not years or r[2] in set(years))}
    if years and not keep_years:
        raise UserError(_("The selection holds no fiscal year {years}.").format(
            years=", ".join(str(y) for y in years)))
    keep_plans: set[str] | None = None
    if plans:
        plan_rows = conn.execute("SELECT id, year_id FROM dev_plan").fetchall()
        keep_plans = {r[0] for r in plan_rows if any(r[0] == p or r[0].startswith(p) for p in plans)}
        if not keep_plans:
            raise UserError(_("There is no development plan {ids} in this file.").format(ids=", ".join(plans)))
        plan_years = {r[1] for r in plan_rows if r[0] in keep_plans}
        if not years and not orgs:
            keep_years = plan_years
        else:
            keep_years &= plan_years
        keep_orgs = {r[1] for r in year_rows if r[0] in keep_years} if not orgs else keep_orgs
    # organisations: the selected ones and the ones above them (an agency shows under its province)
    keep_org_rows = set()
    for oid in keep_orgs:
        seen = 0
        while oid and oid in by_id and oid not in keep_org_rows and seen < 50:
            keep_org_rows.add(oid)
            oid = by_id[oid][2]
            seen += 1
    conn.execute("CREATE TEMP TABLE keep_ids(id TEXT PRIMARY KEY)")

    def keep_only(table: str, ids: Iterable[str]) -> None:
        conn.execute("DELETE FROM temp.keep_ids")
        conn.executemany("INSERT OR IGNORE INTO temp.keep_ids VALUES (?)", ((i,) for i in ids))
        conn.execute(f"DELETE FROM {table} WHERE id NOT IN (SELECT id FROM temp.keep_ids)")

    keep_only("organisation", keep_org_rows)
    keep_only("fiscal_year", keep_years)
    if keep_plans is not None:
        keep_only("dev_plan", keep_plans)
    left_out = []
    if without_plans:
        ids = (json.dumps(without_plans),)
        left_out = [r[0] for r in conn.execute("SELECT title FROM dev_plan WHERE id IN (SELECT value FROM "
                                               "json_each(?)) ORDER BY title", ids)]
        conn.execute("DELETE FROM dev_plan WHERE id IN (SELECT value FROM json_each(?))", ids)
    for table in _topological_tables():
        if table in schema.PARENTS and table not in ("criterion",):
            parent, fk = schema.PARENTS[table]
            conn.execute(f"DELETE FROM {table} WHERE {fk} NOT IN (SELECT id FROM {parent})")
    for table in schema.SYNCED_TABLES:
        conn.execute(f"DELETE FROM history WHERE table_name = ? AND row_id NOT IN (SELECT id FROM {table})", (table,))
    names = ", ".join("?" for _ in schema.SYNCED_TABLES)
    conn.execute(f"DELETE FROM history WHERE table_name NOT IN ({names})", schema.SYNCED_TABLES)
    conn.execute("DROP TABLE temp.keep_ids")
    parts = []
    if orgs:
        parts.append(_("organisations: {v}").format(v=", ".join(orgs)))
    if years:
        parts.append(_("years: {v}").format(v=", ".join(str(y) for y in years)))
    if plans:
        parts.append(_("plans: {v}").format(v=", ".join(plans)))
    if left_out:
        parts.append(_("without the plans: {v}").format(v=", ".join(left_out)))
    return "; ".join(parts)


def _disk_message(exc: BaseException, out: Path) -> str:
    full = (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)) or \
        (isinstance(exc, sqlite3.Error) and "full" in str(exc).lower())
    if full:
        return _("There is not enough space in {folder} for the exchange file. Nothing was written; "
                 "free some space or choose another place.").format(folder=out.parent)
    return _("The exchange file {name} could not be written: {error}. Nothing was written.").format(
        name=out.name, error=exc)


def export(source: Store | str | Path, out: str | Path, *, orgs: list[str] | None = None,
           years: list[int] | None = None, plans: list[str] | None = None,
           without_plans: list[str] | None = None) -> ExportResult:
    """Write an exchange file (whole file, or only the selection) to ``out``, atomically.
    ``plans`` keeps only those development plans (ids or id prefixes) and their years;
    ``without_plans`` (ids) leaves those plans out of the chosen organisations and years."""
    out = Path(out)
    if not out.parent.is_dir():
        raise FileProblem(_("The folder {folder} does not exist.").format(folder=out.parent))
    if isinstance(source, Store):
        if source.path is None:
            raise FileProblem(_("Only a database saved in a file can be exported."))
        src_path = Path(source.path)
    else:
        src_path = Path(source)
    if not src_path.is_file():
        raise FileProblem(_("The file {path} does not exist.").format(path=src_path))
    if out.exists() and out.resolve() == src_path.resolve():
        raise FileProblem(_("The exchange file cannot replace the database itself."))
    inspect_file(src_path)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.part")
    src = dst = None
    try:
        src = _connect(read_only_uri(src_path), uri=True)
        src.execute("PRAGMA busy_timeout = 10000")
        verify_schema(src, src_path)
        dst = _open_destination(tmp)
        src.backup(dst, pages=256, sleep=0.05,  # steps, so a busy writer is waited for, not failed
                   progress=lambda status, remaining, total: fault_point("export-copy"))
        src.close()
        src = None
        selection = ""
        dst.execute("BEGIN IMMEDIATE")
        try:
            if orgs or years or plans or without_plans:
                selection = _prune(dst, orgs, years, plans, without_plans)
                if search.index_exists(dst):
                    search.rebuild(dst)   # find's index holds the texts too: only the kept rows' stay
            dst.execute("DELETE FROM conflict")  # the clerk's own review list stays home
            for key, value in (("exported_at", now_iso()), ("exported_from", ""), ("exported_selection", selection)):
                if key == "exported_from":
                    row = dst.execute("SELECT value FROM meta WHERE key = 'file_id'").fetchone()
                    value = row[0] if row else ""
                dst.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
            dst.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('file_id', ?)", (new_id(),))
            dst.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                dst.execute("ROLLBACK")
            raise
        if selection:
            dst.execute("VACUUM")  # pruned rows must not linger in free pages of the file
        rows = {t: dst.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in schema.SYNCED_TABLES}
        check = dst.execute("PRAGMA quick_check").fetchall()
        if check != [("ok",)]:
            raise FileProblem(_("The exchange file came out damaged; nothing was written."))
        dst.execute("PRAGMA journal_mode = DELETE")
        dst.close()
        dst = None
        fsync_file(tmp)
        fault_point("export-rename")
        os.replace(tmp, out)
        fsync_dir(out.parent)
    except UserError:
        _cleanup(src, dst, tmp)
        raise
    except (OSError, sqlite3.Error) as exc:
        _cleanup(src, dst, tmp)
        raise FileProblem(_disk_message(exc, out), str(exc)) from exc
    except BaseException:
        _cleanup(src, dst, tmp)
        raise
    return ExportResult(out, out.stat().st_size, rows, selection)


def _cleanup(src, dst, tmp: Path) -> None:
    for c in (src, dst):
        if c is not None:
            with contextlib.suppress(Exception):
                c.close()
    for p in (tmp, journal_path(tmp)):
        with contextlib.suppress(OSError):
            p.unlink()
