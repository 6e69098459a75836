"""The database schema and its step-by-step migrations.

Every synced table carries the same bookkeeping columns so that files from different
offices can be merged: a UUID key, the revision id of its current version, when and by
which office/clerk it was last changed, and a tombstone flag instead of deletion.
"""
from __future__ import annotations

APPLICATION_ID = 0x504D5141  # 'PMQA'
SCHEMA_VERSION = 4
# New files are written in 16 KB pages (SQLite's default is 4 KB): a merge of a large file
# touches a quarter as many pages (journal records, b-tree levels, reads); the clerk's merge of
# another office's export and a 50% merge of two 400 MB files take 20-30% less time (bench/,
# merge_honest). Files written before keep their page size; copies (exports, backups) keep
# their source's.
PAGE_SIZE = 16384

SYNC_COLUMNS = """
    id TEXT PRIMARY KEY,
    rev TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    office TEXT NOT NULL DEFAULT '',
    clerk TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0
"""

# table -> its own columns (after the sync columns). Order matters only for readability.
TABLES: dict[str, str] = {
    "organisation": """
        name TEXT NOT NULL,
        province TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL DEFAULT 'province',
        parent_id TEXT,
        sort_key REAL NOT NULL DEFAULT 0
    """,
    "fiscal_year": """
        org_id TEXT NOT NULL,
        year_be INTEGER NOT NULL,
        calendar_start TEXT NOT NULL,
        calendar_months INTEGER NOT NULL DEFAULT 12,
        weekly_start TEXT NOT NULL,
        weekly_months INTEGER NOT NULL DEFAULT 12,
        calendar_title TEXT NOT NULL DEFAULT '',
        weekly_title TEXT NOT NULL DEFAULT ''
    """,
    "category": """
        code TEXT NOT NULL,
        name TEXT NOT NULL,
        sort_key REAL NOT NULL DEFAULT 0
    """,
    "criterion": """
        category_id TEXT NOT NULL,
        code TEXT NOT NULL,
        short_name TEXT NOT NULL DEFAULT '',
        full_text TEXT NOT NULL DEFAULT '',
        group_title TEXT NOT NULL DEFAULT '',
        sort_key REAL NOT NULL DEFAULT 0,
        retired INTEGER NOT NULL DEFAULT 0
    """,
    "criterion_owner": """
        year_id TEXT NOT NULL,
        criterion_id TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        position TEXT NOT NULL DEFAULT '',
        unit TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT ''
    """,
    "calendar_step": """
        year_id TEXT NOT NULL,
        sort_key REAL NOT NULL DEFAULT 0,
        text TEXT NOT NULL DEFAULT '',
        remark TEXT NOT NULL DEFAULT ''
    """,
    "calendar_cell": """
        step_id TEXT NOT NULL,
        month TEXT NOT NULL,
        text TEXT NOT NULL DEFAULT ''
    """,
    "weekly_row": """
        year_id TEXT NOT NULL,
        criterion_id TEXT,
        label TEXT NOT NULL DEFAULT '',
        sort_key REAL NOT NULL DEFAULT 0,
        remark TEXT NOT NULL DEFAULT ''
    """,
    "weekly_activity": """
        row_id TEXT NOT NULL,
        month TEXT NOT NULL,
        week INTEGER NOT NULL,
        span INTEGER NOT NULL DEFAULT 1,
        text TEXT NOT NULL DEFAULT ''
    """,
    # -- development plans (issue: plans, KPI form 7.2, rounds)
    "dev_plan": """
        year_id TEXT NOT NULL,
        category_id TEXT,
        policy TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        sort_key REAL NOT NULL DEFAULT 0,
        revision INTEGER NOT NULL DEFAULT 1,
        status TEXT NOT NULL DEFAULT 'draft'
    """,
    "plan_activity": """
        plan_id TEXT NOT NULL,
        number TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        stated_budget INTEGER,
        sort_key REAL NOT NULL DEFAULT 0
    """,
    "plan_step": """
        activity_id TEXT NOT NULL,
        sort_key REAL NOT NULL DEFAULT 0,
        number TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT '',
        duration TEXT NOT NULL DEFAULT '',
        start_month TEXT,
        end_month TEXT,
        output TEXT NOT NULL DEFAULT '',
        responsible TEXT NOT NULL DEFAULT '',
        related TEXT NOT NULL DEFAULT '',
        budget INTEGER,
        budget_note TEXT NOT NULL DEFAULT ''
    """,
    "kpi": """
        plan_id TEXT NOT NULL,
        dimension TEXT NOT NULL,
        sort_key REAL NOT NULL DEFAULT 0,
        number TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT '',
        current_data TEXT NOT NULL DEFAULT '',
        target TEXT NOT NULL DEFAULT '',
        weight REAL,
        unit TEXT NOT NULL DEFAULT '',
        direction TEXT NOT NULL DEFAULT 'higher',
        ladder_kind TEXT NOT NULL DEFAULT 'linear',
        t1 REAL, t2 REAL, t3 REAL, t4 REAL, t5 REAL,
        milestones TEXT NOT NULL DEFAULT '[]',
        below_rule TEXT NOT NULL DEFAULT 'zero'
    """,
    "kpi_result": """
        kpi_id TEXT NOT NULL,
        round INTEGER NOT NULL,
        actual REAL,
        note TEXT NOT NULL DEFAULT '',
        reported_on TEXT
    """,
    "step_progress": """
        step_id TEXT NOT NULL,
        round INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT '',
        percent REAL,
        evidence TEXT NOT NULL DEFAULT '',
        reported_on TEXT
    """,
    "plan_approval": """
        plan_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        signer_name TEXT NOT NULL DEFAULT '',
        position_lines TEXT NOT NULL DEFAULT '',
        signed_on TEXT,
        snapshot TEXT NOT NULL DEFAULT '{}'
    """,
}

# Parent links, used by deletes (children follow their parent into the tombstone)
# and by the merge and export code.
PARENTS: dict[str, tuple[str, str]] = {
    "fiscal_year": ("organisation", "org_id"),
    "criterion": ("category", "category_id"),
    "criterion_owner": ("fiscal_year", "year_id"),
    "calendar_step": ("fiscal_year", "year_id"),
    "calendar_cell": ("calendar_step", "step_id"),
    "weekly_row": ("fiscal_year", "year_id"),
    "weekly_activity": ("weekly_row", "row_id"),
    "dev_plan": ("fiscal_year", "year_id"),
    "plan_activity": ("dev_plan", "plan_id"),
    "plan_step": ("plan_activity", "activity_id"),
    "kpi": ("dev_plan", "plan_id"),
    "kpi_result": ("kpi", "kpi_id"),
    "step_progress": ("plan_step", "step_id"),
    "plan_approval": ("dev_plan", "plan_id"),
}

INDEXES = [
    "CREATE INDEX IF NOT EXISTS ix_fiscal_year_org ON fiscal_year(org_id)",
    "CREATE INDEX IF NOT EXISTS ix_criterion_cat ON criterion(category_id)",
    "CREATE INDEX IF NOT EXISTS ix_owner_year ON criterion_owner(year_id, criterion_id)",
    "CREATE INDEX IF NOT EXISTS ix_calendar_step_year ON calendar_step(year_id, sort_key)",
    "CREATE INDEX IF NOT EXISTS ix_calendar_cell_step ON calendar_cell(step_id, month)",
    "CREATE INDEX IF NOT EXISTS ix_weekly_row_year ON weekly_row(year_id, sort_key)",
    "CREATE INDEX IF NOT EXISTS ix_weekly_activity_row ON weekly_activity(row_id)",
    "CREATE INDEX IF NOT EXISTS ix_dev_plan_year ON dev_plan(year_id)",
    "CREATE INDEX IF NOT EXISTS ix_plan_activity_plan ON plan_activity(plan_id)",
    "CREATE INDEX IF NOT EXISTS ix_plan_step_activity ON plan_step(activity_id)",
    "CREATE INDEX IF NOT EXISTS ix_kpi_plan ON kpi(plan_id)",
    "CREATE INDEX IF NOT EXISTS ix_kpi_result_kpi ON kpi_result(kpi_id, round)",
    "CREATE INDEX IF NOT EXISTS ix_step_progress_step ON step_progress(step_id, round)",
    "CREATE INDEX IF NOT EXISTS ix_plan_approval_plan ON plan_approval(plan_id)",
    "CREATE INDEX IF NOT EXISTS ix_history_row ON history(table_name, row_id)",
]

LOCAL_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- every superseded version of a row, here or from a merged file (rev is globally unique)
CREATE TABLE IF NOT EXISTS history (
    rev TEXT PRIMARY KEY,
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    parent_rev TEXT,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    office TEXT NOT NULL DEFAULT '',
    clerk TEXT NOT NULL DEFAULT '',
    deleted INTEGER NOT NULL DEFAULT 0
);
-- conflicts found by a merge, for the clerk to review and swap
CREATE TABLE IF NOT EXISTS conflict (
    id TEXT PRIMARY KEY,
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    kept_rev TEXT NOT NULL,
    other_rev TEXT NOT NULL,
    found_at TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    resolved INTEGER NOT NULL DEFAULT 0
);
"""


def create_sql() -> list[str]:
    stmts = [f"CREATE TABLE IF NOT EXISTS {name} ({SYNC_COLUMNS},{cols})" for name, cols in TABLES.items()]
    stmts.extend(s.strip() for s in LOCAL_TABLES.split(";") if s.strip())
    stmts.extend(INDEXES)
    return stmts


def _migrate_0_to_1(conn) -> None:
    for stmt in create_sql():
        conn.execute(stmt)


def _migrate_1_to_2(conn) -> None:
    """Version 2 holds one live row per natural key and no live row under a deleted parent.
    No table changes: version-1 files merged before the repair existed may hold both, and
    ``Store._initialise`` settles every row after this step (``SETTLED_FROM``; ``storage.repair``),
    the versions that go kept in the history and the conflicts listed for the clerk."""


# the version from which a file holds one live row per natural key and none under a tombstone
SETTLED_FROM = 2

# Columns added to a synced table after version 1: (version that adds it, table, definition).
# ``TABLES`` stays the version-1 schema that ``_migrate_0_to_1`` creates; each later step adds its
# own columns, so every file has the same table definitions whichever version it started at.
ADDED_COLUMNS: list[tuple[int, str, str]] = [
    # the calendar's footnote ("หมายเหตุ : รายละเอียดตามเอกสารแนบ ..."), printed under the table
    (3, "fiscal_year", "calendar_note TEXT NOT NULL DEFAULT ''"),
]


def column_defs(table: str) -> str:
    """A synced table's own column definitions at the current version (comma-separated)."""
    added = [d for _v, t, d in ADDED_COLUMNS if t == table]
    return ",\n".join([TABLES[table].rstrip().rstrip(",")] + added) if added else TABLES[table]


def _add_columns(conn, version: int) -> None:
    for v, table, definition in ADDED_COLUMNS:
        if v == version:
            name = definition.split()[0]
            if name not in {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {definition}")


def _migrate_2_to_3(conn) -> None:
    """Version 3: the operations calendar keeps its footnote (``fiscal_year.calendar_note``)."""
    _add_columns(conn, 3)


def _migrate_3_to_4(conn) -> None:
    """Version 4: a conflict found on one field of a row (two offices changed that field, and each perhaps
    other fields alone) names its fields, so that Swap brings back only those: a JSON list, or
    '' for a conflict about the whole row (a deletion against an edit, twins, restored parents).
    The conflict table is this file's own (it does not travel), so no other file is affected."""
    conn.execute("ALTER TABLE conflict ADD COLUMN fields TEXT NOT NULL DEFAULT ''")


def _columns(table: str) -> list[str]:
    cols = []
    for line in column_defs(table).split(","):
        name = line.strip().split()[0] if line.strip() else ""
        if name:
            cols.append(name)
    return cols


_OWN_COLUMNS = {t: _columns(t) for t in TABLES}


def own_columns(table: str) -> list[str]:
    """A synced table's own columns (after the bookkeeping ones)."""
    return _OWN_COLUMNS[table]


# MIGRATIONS[n] takes a database at user_version n to n + 1. Never edit a shipped step.
# (Find's full-text index is not a numbered step: ``search.ensure`` runs after them at every
# open and creates it when missing; see storage.search.)
MIGRATIONS = {0: _migrate_0_to_1, 1: _migrate_1_to_2, 2: _migrate_2_to_3, 3: _migrate_3_to_4}

SYNCED_TABLES = tuple(TABLES)
