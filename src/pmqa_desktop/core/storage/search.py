"""Find and replace across the whole file, over a full-text index kept in the file.

The index is one FTS5 table, ``search_index``, with SQLite's trigram tokenizer: it matches any
substring of three characters or more, which is what Thai needs (no spaces between words:
"วหน้า" finds "ความก้าวหน้า"). Each searchable field of each live row is one entry; its rowid
says where the text lives: ``(source rowid * 16 + table code) * 8 + field number``.

Keeping it up to date. sqlite-utils' ``enable_fts(create_triggers=True)`` would put triggers
into the file, and the file check (``sharing.safety``) refuses any trigger in a file (a crafted
file's triggers would run); and with ``trusted_schema`` off SQLite lets no trigger, not even a
TEMP one, write into a virtual table. So TEMP triggers on our own connection (``attach``) note
each inserted, changed or deleted row in a temporary table: every edit, undo, import and merge
(all write through the store's connection) is noted. Writing the index at every edit added
about 6 ms to an edit (its pages, journalled and synced), so the noted rows are indexed when the
index is next used: ``Store.index_edits`` (called by ``search``) and ``Store.close``. The first
edit after that marks the index 'behind' in ``meta`` in its own transaction; a program stopped
before indexing leaves that mark, and the next open rebuilds the index (``ensure``). A read-only
store that finds the mark reads the fields themselves instead.

Opening a file builds the index if it is missing (``ensure``, idempotent: a file written before
the index existed gets it on its first open). It is a separate step, not a numbered migration,
so it can be renumbered into the migration chain later (see ``schema``); ``sharing.safety``
accepts its tables whether present or not (``optional_schema``). The index only proposes
candidates: every hit is read back from its row and checked, so an entry left over from a row
pruned by another connection is never shown (and an exchange file's selection rebuilds it, so
the other organisations' texts do not travel in it).
"""
from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from ...i18n import _
from ..thai_calendar import MonthKey

INDEX = "search_index"
STATE_KEY = "search_index"   # in meta: 'behind' while edits wait to be indexed
CREATE_INDEX_SQL = f"CREATE VIRTUAL TABLE {INDEX} USING fts5(text, tokenize='trigram', columnsize=0)"
MIN_INDEXED = 3          # the trigram index answers queries of three characters or more
MAX_HITS = 500          # places listed at most (a clerk narrows a search with more)

# table -> (code, searchable fields). Codes and field order are stored in the index's rowids:
# never renumber them; add new tables with new codes (< 16) and new fields at the end (< 8).
SEARCHABLE: dict[str, tuple[int, tuple[str, ...]]] = {
    "calendar_step": (1, ("text", "remark")),
    "calendar_cell": (2, ("text",)),
    "weekly_row": (3, ("label", "remark")),
    "weekly_activity": (4, ("text",)),
    "dev_plan": (5, ("policy", "title")),
    "plan_activity": (6, ("title",)),
    "plan_step": (7, ("text", "duration", "output", "responsible", "related", "budget_note")),
    "kpi": (8, ("text", "current_data", "target", "unit")),
    "criterion_owner": (9, ("name", "position", "unit", "phone", "email")),
    "criterion": (10, ("code", "short_name", "full_text", "group_title")),
}
_BY_CODE = {code: table for table, (code, _f) in SEARCHABLE.items()}


# ---------------------------------------------------------------- the index in the file

def index_exists(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (INDEX,)).fetchone() \
        is not None


def create(conn: sqlite3.Connection) -> None:
    """The index's table, empty (also builds the file check's picture of it)."""
    conn.execute(CREATE_INDEX_SQL)


def ensure(conn: sqlite3.Connection) -> bool:
    """Create and fill the index if the file has none, or fill it again if it was left behind
    (the program stopped before re-indexing its last edits); True when it was built now."""
    if index_exists(conn):
        if is_current(conn):
            return False
        conn.execute(f"DROP TABLE {INDEX}")
    create(conn)
    _index_rows(conn)
    _set_state(conn, "current")
    return True


def is_current(conn: sqlite3.Connection) -> bool:
    """Whether the index holds every edit (False while edits wait in a connection's note)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (STATE_KEY,)).fetchone()
    return row is None or row[0] != "behind"


def _set_state(conn: sqlite3.Connection, state: str) -> None:
    conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (STATE_KEY, state))


def pending(conn: sqlite3.Connection) -> bool:
    """Whether rows changed on this connection wait to be re-indexed."""
    try:
        return conn.execute("SELECT 1 FROM search_dirty LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:   # the temporary objects were dropped (temp_store changed)
        attach(conn)
        if index_exists(conn):
            _set_state(conn, "behind")  # what changed since is not known: rebuilt at the next open
        return False


def mark_behind(conn: sqlite3.Connection) -> None:
    """Say in the file that edits wait to be indexed (in the transaction of the first of them), so
    that a program stopped before ``flush`` leaves a file whose next open rebuilds the index."""
    if index_exists(conn):
        _set_state(conn, "behind")


def attach(conn: sqlite3.Connection) -> None:
    """TEMP triggers on this connection noting every row that changes (see the module's note)."""
    # temporary objects in memory, as the merge wants them: changing temp_store drops them all
    if not conn.in_transaction:
        conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_dirty (code INTEGER, r INTEGER, "
                 "PRIMARY KEY (code, r)) WITHOUT ROWID")
    for table, (code, fields) in SEARCHABLE.items():
        note = f"INSERT OR IGNORE INTO search_dirty VALUES ({code}, {{row}}.rowid);"
        cols = ", ".join(fields + ("deleted",))
        conn.execute(f"CREATE TEMP TRIGGER IF NOT EXISTS search_{table}_i AFTER INSERT ON main.{table} "
                     f"BEGIN {note.format(row='new')} END")
        conn.execute(f"CREATE TEMP TRIGGER IF NOT EXISTS search_{table}_u AFTER UPDATE OF {cols} ON main.{table} "
                     f"BEGIN {note.format(row='new')} END")
        conn.execute(f"CREATE TEMP TRIGGER IF NOT EXISTS search_{table}_d AFTER DELETE ON main.{table} "
                     f"BEGIN {note.format(row='old')} END")


@contextlib.contextmanager
def noted_in_one(conn: sqlite3.Connection, table: str, rowids_sql: str) -> Iterator[None]:
    """Inside: UPDATEs of ``table`` are not noted row by row by ``attach``'s trigger; after: the
    rows ``rowids_sql`` selects (their rowids) are noted in one statement and the trigger is made
    again, as ``attach`` makes it (also when the block fails; a rollback restores it anyway). For
    writes of many rows whose every row is known beforehand (a merge's rows taken in place)."""
    entry = SEARCHABLE.get(table)
    name = f"search_{table}_u"
    if entry is None or conn.execute(
            "SELECT 1 FROM temp.sqlite_master WHERE type = 'trigger' AND name = ?", (name,)).fetchone() is None:
        yield
        return
    conn.execute(f"DROP TRIGGER temp.{name}")
    try:
        yield
        conn.execute(f"INSERT OR IGNORE INTO temp.search_dirty (code, r) SELECT {int(entry[0])}, r FROM ({rowids_sql})")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            attach(conn)
        raise
    attach(conn)


def detach(conn: sqlite3.Connection) -> None:
    """Stop noting changes on this connection (what ``attach`` set up); the index then falls
    behind until ``rebuild``."""
    for table in SEARCHABLE:
        for kind in "iud":
            conn.execute(f"DROP TRIGGER IF EXISTS temp.search_{table}_{kind}")
    conn.execute("DELETE FROM search_dirty")


def flush(conn: sqlite3.Connection) -> None:
    """Re-index the rows noted since the last flush (inside the caller's transaction)."""
    try:
        noted = conn.execute("SELECT 1 FROM search_dirty LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:   # the temporary objects were dropped (temp_store changed)
        attach(conn)
        if index_exists(conn):
            rebuild(conn)
        return
    if not index_exists(conn):
        conn.execute("DELETE FROM search_dirty")
        return
    if not noted:
        if not is_current(conn):
            _set_state(conn, "current")
        return
    # each field's entry taken out by its rowid (FTS5 finds a range of rowids by a slower path: a
    # merge's 35,000 weekly activities took 2.0 s to take out by range, 0.4 s one by one), in rowid
    # order (SQLite sorts the IN list; FTS5 writes its pending changes out each time a rowid comes
    # below the one before it: in the order noted it took 2.9 s)
    fields = " UNION ALL ".join(f"SELECT {code} AS code, {i} AS n"
                                for code, names in SEARCHABLE.values() for i in range(len(names)))
    conn.execute(f"DELETE FROM {INDEX} WHERE rowid IN (SELECT (d.r * 16 + d.code) * 8 + f.n "
                 f"FROM temp.search_dirty d JOIN ({fields}) f ON f.code = d.code)")
    _index_rows(conn, noted=True)
    conn.execute("DELETE FROM search_dirty")
    _set_state(conn, "current")


def _index_rows(conn: sqlite3.Connection, noted: bool = False) -> None:
    """Index the fields of every row, or (``noted``) of the rows noted in ``temp.search_dirty``,
    in one statement."""
    parts = [f"SELECT (rowid * 16 + {code}) * 8 + {i}, {f} FROM main.{table} WHERE deleted = 0 AND {f} != ''"
             + (f" AND rowid IN (SELECT r FROM temp.search_dirty WHERE code = {code})" if noted else "")
             for table, (code, fields) in SEARCHABLE.items() for i, f in enumerate(fields)]
    # (each part comes in its rowids' order; sorting them all took longer than FTS5's few writes
    # between parts)
    conn.execute(f"INSERT INTO {INDEX} (rowid, text) " + " UNION ALL ".join(parts))


def rebuild(conn: sqlite3.Connection) -> None:
    """Build the index afresh from the rows (after rows were changed by a connection without our
    triggers). Dropped and made again, so nothing of the rows gone stays in the file (an exchange
    file's selection must not carry the other organisations' texts)."""
    if index_exists(conn):
        conn.execute(f"DROP TABLE {INDEX}")
    ensure(conn)


# ---------------------------------------------------------------- searching

@dataclass
class Hit:
    """One field of one row holding the text looked for, and where the clerk finds it."""
    table: str
    row_id: str
    field: str
    text: str
    org: str
    year_be: int | None
    form: str
    place: str
    target: tuple = ()       # where the window jumps: ('calendar', year_id, step_id, month), ...
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


def _contains(text: str, query: str) -> bool:
    return query.casefold() in (text or "").casefold()


def _candidates(conn: sqlite3.Connection, query: str, limit: int,
                indexed: bool = True) -> tuple[dict[str, set[int]], bool]:
    """Source rowids per table whose fields may hold ``query`` (at most ``limit`` fields), and
    whether there are more."""
    out: dict[str, set[int]] = {}
    if len(query) >= MIN_INDEXED and indexed and index_exists(conn) and is_current(conn):
        phrase = '"' + query.replace('"', '""') + '"'
        rows = conn.execute(f"SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH ? LIMIT ?", (phrase, limit + 1)).fetchall()
        for (entry,) in rows[:limit]:
            base = entry // 8
            table = _BY_CODE.get(base % 16)
            if table:
                out.setdefault(table, set()).add(base // 16)
        return out, len(rows) > limit
    # shorter than a trigram (or no index, a file opened read-only): read the fields themselves
    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", query) + "%"
    left = limit + 1
    for table, (_code, fields) in SEARCHABLE.items():
        cond = " OR ".join(f"{f} LIKE ? ESCAPE '\\'" for f in fields)
        found = {r for (r,) in conn.execute(f"SELECT rowid FROM main.{table} WHERE deleted = 0 AND ({cond}) LIMIT ?",
                                            [pattern] * len(fields) + [left])}
        if found:
            out[table] = found
            left -= len(found)
            if left <= 0:
                return out, True
    return out, False


_YEAR = ("JOIN fiscal_year y ON y.id = {col} AND y.deleted = 0 "
         "JOIN organisation o ON o.id = y.org_id AND o.deleted = 0")
_PLAN = "JOIN dev_plan p ON p.id = {col} AND p.deleted = 0 " + _YEAR.format(col="p.year_id")

# table -> (extra columns, joins): every query also reads the row's fields, y.id, y.year_be, o.name
_CONTEXT: dict[str, tuple[str, str]] = {
    "calendar_step": ("x.id AS step_id",
                      "JOIN calendar_step s ON s.id = x.id " + _YEAR.format(col="x.year_id")),
    "calendar_cell": ("s.id AS step_id, x.month",
                      "JOIN calendar_step s ON s.id = x.step_id AND s.deleted = 0 " + _YEAR.format(col="s.year_id")),
    "weekly_row": ("x.id AS wrow_id, c.code AS code",
                   "LEFT JOIN criterion c ON c.id = x.criterion_id " + _YEAR.format(col="x.year_id")),
    "weekly_activity": ("w.id AS wrow_id, w.label AS wlabel, c.code AS code, x.month, x.week",
                        "JOIN weekly_row w ON w.id = x.row_id AND w.deleted = 0 "
                        "LEFT JOIN criterion c ON c.id = w.criterion_id " + _YEAR.format(col="w.year_id")),
    "dev_plan": ("x.id AS plan_id, x.title AS plan_title", _YEAR.format(col="x.year_id")),
    "plan_activity": ("p.id AS plan_id, p.title AS plan_title, x.number AS number",
                      _PLAN.format(col="x.plan_id")),
    "plan_step": ("p.id AS plan_id, p.title AS plan_title, a.number AS activity_no, x.number AS number",
                  "JOIN plan_activity a ON a.id = x.activity_id AND a.deleted = 0 " + _PLAN.format(col="a.plan_id")),
    "kpi": ("p.id AS plan_id, p.title AS plan_title, x.number AS number, x.dimension",
            _PLAN.format(col="x.plan_id")),
    "criterion_owner": ("c.id AS crit_id, c.code AS code",
                        "JOIN criterion c ON c.id = x.criterion_id " + _YEAR.format(col="x.year_id")),
}


def _rows(conn: sqlite3.Connection, table: str, rowids: Iterable[int]) -> list[dict[str, Any]]:
    fields = SEARCHABLE[table][1]
    cols = ", ".join(f"x.{f}" for f in fields)
    if table == "criterion":
        sql = (f"SELECT x.rowid AS rid, x.id, {cols}, x.id AS crit_id, NULL AS year_id, NULL AS year_be, "
               f"'' AS org FROM criterion x WHERE x.deleted = 0")
    else:
        extra, joins = _CONTEXT[table]
        sql = (f"SELECT x.rowid AS rid, x.id, {cols}, y.id AS year_id, y.year_be, o.name AS org, {extra} "
               f"FROM main.{table} x {joins} WHERE x.deleted = 0")
    sql += " AND x.rowid IN (SELECT value FROM json_each(?))"
    cur = conn.execute(sql, (json.dumps(sorted(rowids)),))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


_FIELD_LABELS = {   # (lambdas: only the label shown is translated, and the catalogs still see them)
    "remark": lambda: _("remark"), "policy": lambda: _("policy"), "duration": lambda: _("duration"),
    "output": lambda: _("output"), "responsible": lambda: _("responsible"), "related": lambda: _("related"),
    "budget_note": lambda: _("budget note"), "current_data": lambda: _("current data"),
    "target": lambda: _("target"), "unit": lambda: _("unit"), "name": lambda: _("name"),
    "position": lambda: _("position"), "phone": lambda: _("phone"), "email": lambda: _("e-mail"),
    "short_name": lambda: _("short name"), "full_text": lambda: _("full text"),
    "group_title": lambda: _("sub-heading"), "title": lambda: _("title"), "code": lambda: _("code")}


def _field_label(field_name: str) -> str:
    label = _FIELD_LABELS.get(field_name)
    return label() if label else ""


def _describe(table: str, row: dict[str, Any], field_name: str) -> tuple[str, str, tuple]:
    """(form, place, target) of a hit."""
    yid = row["year_id"]
    if table in ("calendar_step", "calendar_cell"):
        place = _("step {number}").format(number=row["number"])
        month = row.get("month")
        if month:
            place += ", " + MonthKey.parse_key(month).abbr()
        return _("Operations calendar"), place, ("calendar", yid, row["step_id"], month, field_name)
    if table in ("weekly_row", "weekly_activity"):
        place = row.get("code") or row.get("wlabel") or row.get("label") or ""
        month = row.get("month")
        if month:
            place += f", {MonthKey.parse_key(month).abbr()} W{row['week']}"
        return _("Weekly plan"), place, ("weekly", yid, row["wrow_id"], month, row.get("week"), field_name)
    if table in ("dev_plan", "plan_activity", "plan_step"):
        place = row["plan_title"] or _("(untitled plan)")
        if table == "plan_activity":
            place += ", " + _("activity {number}").format(number=row["number"] or "-")
        elif table == "plan_step":
            place += ", " + _("activity {a}, step {number}").format(a=row["activity_no"] or "-",
                                                                  number=row["number"] or "-")
        step = row["id"] if table == "plan_step" else None
        return _("Development plan"), place, ("devplan", yid, row["plan_id"], step, field_name)
    if table == "kpi":
        place = (row["plan_title"] or _("(untitled plan)")) + ", " + _("KPI {number}").format(
            number=row["number"] or row["dimension"])
        return _("Form 7.2"), place, ("kpi", yid, row["plan_id"], row["id"], field_name)
    if table == "criterion_owner":
        return _("Criteria owners"), row["code"], ("criterion", yid, row["crit_id"], field_name)
    return _("Criteria catalog"), row["code"], ("catalog", None, row["crit_id"], field_name)


_FORM_ORDER = {"calendar_step": 0, "calendar_cell": 0, "weekly_row": 1, "weekly_activity": 1, "dev_plan": 2,
               "plan_activity": 2, "plan_step": 2, "kpi": 3, "criterion_owner": 4, "criterion": 5}


def _number_steps(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    """A calendar step's number (ลำดับ) as the calendar shows it: its place among the year's steps."""
    numbers: dict[str, int] = {}
    for year_id in {r["year_id"] for r in rows}:
        ids = conn.execute("SELECT id FROM calendar_step WHERE year_id = ? AND deleted = 0 ORDER BY sort_key, id",
                           (year_id,)).fetchall()
        numbers.update((sid, n) for n, (sid,) in enumerate(ids, start=1))
    for r in rows:
        r["number"] = numbers.get(r["step_id"], 0)


class Hits(list):
    """The hits found; ``more`` is True when the file holds more than were listed."""
    more: bool = False


def search(store: Any, query: str, limit: int = MAX_HITS) -> Hits:
    """The fields holding ``query`` (case-insensitive substring), at most about ``limit`` of them,
    in the order of the file: organisation, year, form, row. Edits waiting to be indexed are
    indexed first (``Store.index_edits``)."""
    query = query or ""
    hits = Hits()
    if not query.strip():
        return hits
    conn = store.conn
    indexed = store.index_edits()   # False: the index is behind and this store may not write it
    candidates, hits.more = _candidates(conn, query, limit, indexed)
    found = {table: _rows(conn, table, rowids) for table, rowids in candidates.items()}
    _number_steps(conn, found.get("calendar_step", []) + found.get("calendar_cell", []))
    for table, rows in found.items():
        for row in rows:
            for fname in SEARCHABLE[table][1]:
                value = row[fname]
                if not value or not _contains(value, query):
                    continue
                form, place, target = _describe(table, row, fname)
                if len(SEARCHABLE[table][1]) > 1 and fname not in ("text", "label"):
                    place = f"{place} ({_field_label(fname)})"
                hits.append(Hit(table, row["id"], fname, value, row["org"] or "", row["year_be"], form, place,
                                target, {"order": (row.get("number") or 0, row.get("month") or "",
                                                   row.get("week") or 0, row["rid"])}))
    hits.sort(key=lambda h: (h.org == "", h.org, h.year_be or 0, _FORM_ORDER[h.table], h.form,
                             "" if h.table.startswith("calendar") else h.place.split(",")[0],
                             _natural(h.extra["order"])))
    if len(hits) > limit:
        del hits[limit:]
        hits.more = True
    return hits


def _natural(order: tuple) -> tuple:
    number, *rest = order
    try:
        return (float(number), *rest)
    except (TypeError, ValueError):
        return (0.0, *rest)


def replaced(text: str, query: str, replacement: str) -> str:
    """``text`` with every occurrence of ``query`` (any letter case) replaced."""
    return re.sub(re.escape(query), lambda _m: replacement, text, flags=re.IGNORECASE)


def replace(store: Any, hits: Iterable[Hit], query: str, replacement: str) -> int:
    """Replace ``query`` by ``replacement`` in the fields of ``hits`` (as they are now), in one
    transaction; returns how many fields changed. An owner's e-mail or phone that would no longer
    be one is refused (``ValidationError``) and nothing changes."""
    from .owner_rules import OWNER_FIELDS, validate_owner
    n = 0
    with store.transaction():
        for hit in hits:
            row = store.get(hit.table, hit.row_id)
            if row is None or not _contains(row[hit.field], query):
                continue
            new = replaced(row[hit.field], query, replacement)
            if hit.table == "criterion_owner":
                validate_owner({**{k: row[k] for k in OWNER_FIELDS}, hit.field: new})
            if store.update(hit.table, hit.row_id, {hit.field: new}):
                n += 1
    return n
