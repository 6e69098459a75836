"""What the faster merge does beside the comparison (issue 5's benchmark): the page check of the
incoming copy and some reading ahead run in a thread; a damaged file is still refused with the
check's message and nothing changed, and unreadable history rows are still never copied."""
import importlib
import json
import os
import random
import shutil
import sqlite3
import time

import pytest

from pmqa_desktop.core.errors import DamagedFileError
from pmqa_desktop.core.sharing import check_file, merge
from pmqa_desktop.core.storage.store import Actor, Store
from sharing_helpers import data_digest, integrity_ok, merged_both_ways

pytestmark = pytest.mark.usefixtures("english")  # assertions read the English wording

merge_mod = importlib.import_module("pmqa_desktop.core.sharing.merge")


def _damage_table(path, table):
    """Random bytes over the root page of ``table`` (the schema page stays sound)."""
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    rnd = random.Random(5)
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(bytes(rnd.randrange(256) for _ in range(page_size)))


@pytest.mark.parametrize("dry_run", [True, False])
def test_damaged_pages_are_refused_with_the_checks_message(offices, tmp_path, dry_run):
    a, b = offices["A"], offices["B"]
    for r in a.select("weekly_activity")[:20]:
        a.update("weekly_activity", r["id"], {"text": r["text"] + " (A)"})
    a.close()
    bad = tmp_path / "damaged.db"
    shutil.copy(a.path, bad)
    _damage_table(bad, "weekly_activity")
    with pytest.raises(DamagedFileError) as checked:
        check_file(bad, thorough=False)
    before = data_digest(b)
    with pytest.raises(DamagedFileError) as merged:
        merge(b, bad, dry_run=dry_run)
    assert str(merged.value) == str(checked.value)
    assert data_digest(b) == before and integrity_ok(b.path)
    assert merge_mod._prepared is None  # nothing of the comparison is kept for an apply
    assert b.query("SELECT count(*) AS n FROM conflict")[0]["n"] == 0


def _add_history(path, rows):
    conn = sqlite3.connect(path)
    conn.executemany("INSERT INTO history (rev, table_name, row_id, parent_rev, data, updated_at, office, clerk, "
                     "deleted) VALUES (?, ?, ?, NULL, ?, '2026-01-01T00:00:00.000000Z', 'far', 'x', 0)", rows)
    conn.commit()
    conn.close()


@pytest.mark.parametrize("ahead", [True, False], ids=["read-ahead", "read-ahead-failed"])
def test_unreadable_and_foreign_history_rows_are_never_copied(offices, tmp_path, monkeypatch, ahead):
    a, b = offices["A"], offices["B"]
    sid = a.select("calendar_step")[0]["id"]
    a.update("calendar_step", sid, {"text": "edited at A"})
    a.close()
    _add_history(a.path, [("r-good", "calendar_step", sid, json.dumps({"text": "old"})),
                          ("r-not-json", "calendar_step", sid, "{not json"),
                          ("r-foreign", "evil_table", sid, json.dumps({"x": 1}))])
    if not ahead:  # the thread's reading ahead fails: the merge does it itself, alike
        monkeypatch.setattr(merge_mod, "_side_work", lambda live, **kw: (lambda conn: 1 / 0))
    preview = merge(b, a.path, dry_run=True)
    # the version A's edit replaced, plus r-good
    assert preview.history_added == 2
    report = merge(b, a.path)
    assert report.applied and report.history_added == 2
    revs = {r["rev"] for r in b.query("SELECT rev FROM history")}
    assert "r-good" in revs and "r-not-json" not in revs and "r-foreign" not in revs
    assert b.get("calendar_step", sid)["text"] == "edited at A"
    for r in b.query("SELECT data FROM history"):
        json.loads(r["data"])
    again = merge(b, a.path)
    assert again.changes_nothing


@pytest.mark.parametrize("ahead", [True, False], ids=["read-ahead", "read-ahead-failed"])
def test_a_merge_without_preview_counts_the_history_it_copies(offices, monkeypatch, ahead):
    """Only the preview counts the new history beforehand; a merge that applies asks only whether
    there is any (1 or 0): what it reports is still the number it copied, and a file that brings
    nothing new changes nothing."""
    a, b = offices["A"], offices["B"]
    sid = a.select("calendar_step")[0]["id"]
    a.close()
    _add_history(a.path, [(f"r-{i}", "calendar_step", sid, json.dumps({"text": f"old {i}"})) for i in range(3)])
    if not ahead:
        monkeypatch.setattr(merge_mod, "_side_work", lambda live, **kw: (lambda conn: 1 / 0))
    report = merge(b, a.path)
    assert report.applied and report.rows_taken == 0 and report.history_added == 3
    assert merge(b, a.path).changes_nothing


def test_preview_then_apply_equals_a_cold_merge(offices, tmp_path):
    """The decisions kept by a preview and those made afresh give the same file."""
    a, b = offices["A"], offices["B"]
    rows = a.select("weekly_activity")
    for r in rows[:30]:
        a.update("weekly_activity", r["id"], {"text": r["text"] + " A"})
    for r in rows[20:40]:
        b.update("weekly_activity", r["id"], {"text": r["text"] + " B"})
    b.delete("weekly_activity", rows[45]["id"])
    b.close()
    b2 = tmp_path / "b2.db"
    shutil.copy(b.path, b2)
    b = Store.open(b.path, Actor("office-B", "clerk-B"))
    c = Store.open(b2, Actor("office-B", "clerk-B"))
    try:
        preview = merge(b, a.path, dry_run=True)
        warm = merge(b, a.path)
        cold = merge(c, a.path)
        assert preview.totals() == warm.totals() == cold.totals()
        assert warm.totals().conflict == 10 and warm.totals().change == 20
        assert data_digest(b) == data_digest(c)
        assert {(x.table, x.row_id, x.kept_rev, x.other_rev, x.group) for x in warm.conflicts} == \
            {(x.table, x.row_id, x.kept_rev, x.other_rev, x.group) for x in cold.conflicts}
    finally:
        b.close()
        c.close()


def test_each_conflict_is_listed_under_its_own_plan_or_year(offices):
    a, b = offices["A"], offices["B"]
    expected = {}  # row id -> what its group's label must name
    acts = a.query("SELECT a.id, p.title FROM plan_activity a JOIN dev_plan p ON p.id = a.plan_id ORDER BY a.id")
    titles = {r["title"] for r in acts}
    assert len(titles) == 2
    for title in titles:
        rid = next(r["id"] for r in acts if r["title"] == title)
        for store in (a, b):
            store.update("plan_activity", rid, {"title": f"edited at {store.actor.office}"})
        expected[rid] = title
    w = a.query("SELECT w.id, y.year_be FROM weekly_activity w JOIN weekly_row r ON r.id = w.row_id "
                "JOIN fiscal_year y ON y.id = r.year_id ORDER BY w.id LIMIT 1")[0]
    for store in (a, b):
        store.update("weekly_activity", w["id"], {"text": f"edited at {store.actor.office}"})
    expected[w["id"]] = str(w["year_be"])
    report = merge(b, a.path, dry_run=True)
    assert sorted(c.row_id for c in report.conflicts) == sorted(expected)
    for c in report.conflicts:
        assert expected[c.row_id] in c.group
        assert all(other not in c.group for other in titles - {expected[c.row_id]})
        # the group the conflict is counted in carries the same label
        assert any(g.label == c.group and g.tables.get(c.table) and g.tables[c.table].conflict
                   for g in report.groups.values())


def test_versions_set_aside_get_the_same_json_as_the_store_writes(offices):
    """The version that lost a conflict goes to the history as json.dumps(own columns) would
    write it, whether it came from the incoming file or was ours, text or real numbers."""
    from pmqa_desktop.core.storage.store import own_columns
    a, b = offices["A"], offices["B"]
    w1, w2 = [r["id"] for r in a.select("weekly_activity")[:2]]
    s1, s2 = [r["id"] for r in a.select("calendar_step")[:2]]
    odd = 'quote " back \\ new\nline\ttab \x01 \x7f ไทย 😀'
    edits = [("weekly_activity", w1, {"text": "A " + odd}, {"text": "B " + odd}, True),
             ("weekly_activity", w2, {"text": "A2 " + odd, "span": 3}, {"text": "B2"}, False),
             ("calendar_step", s1, {"text": "A step", "sort_key": 1 / 3}, {"text": "B " + odd}, True),
             ("calendar_step", s2, {"sort_key": 2.5e-7}, {"text": "B step", "sort_key": 12345.678}, False)]
    for table, rid, at_a, at_b, b_later in edits:  # the later edit wins the conflict
        first, second = ((a, at_a), (b, at_b)) if b_later else ((b, at_b), (a, at_a))
        first[0].update(table, rid, first[1])
        second[0].update(table, rid, second[1])
    versions = {}
    for store in (a, b):
        for table, rid, *_ in edits:
            row = store.get(table, rid, include_deleted=True)
            versions[row["rev"]] = json.dumps({c: row[c] for c in own_columns(table)}, ensure_ascii=False)
    report = merge(b, a.path)
    assert report.totals().conflict == 4
    assert {c.incoming_won for c in report.conflicts} == {True, False}
    for c in report.conflicts:
        data = b.query("SELECT data FROM history WHERE rev = ?", (c.other_rev,))[0]["data"]
        assert data == versions[c.other_rev]


def test_quick_grouping_matches_the_walk_up_the_parents(offices, monkeypatch):
    """The per-table quick look-up of a changed row's plan or year gives the same report as
    walking up its parents row by row, over every kind of row the demo holds."""
    a, b = offices["A"], offices["B"]
    rnd = random.Random(11)
    for table, col in (("weekly_activity", "text"), ("calendar_cell", "text"), ("calendar_step", "remark"),
                       ("plan_step", "output"), ("kpi_result", "note"), ("step_progress", "evidence"),
                       ("criterion_owner", "unit"), ("kpi", "unit"), ("weekly_row", "remark")):
        rows = a.select(table)
        for r in rnd.sample(rows, min(len(rows), 7)):
            a.update(table, r["id"], {col: f"แก้ที่ A {rnd.randrange(1000)}"})
    quick = merge(b, a.path, dry_run=True)
    monkeypatch.setattr(merge_mod, "_HOPS", {})
    walked = merge(b, a.path, dry_run=True)
    summary = lambda rep: sorted((g.label, t, vars(c)) for g in rep.groups.values() for t, c in g.tables.items())
    assert summary(quick) == summary(walked)
    tables = {t for g in quick.groups.values() for t in g.tables}
    assert {"weekly_activity", "calendar_cell", "plan_step", "kpi_result", "step_progress"} <= tables
    assert all(g.key[0] in ("plan", "year") for g in quick.groups.values()
               if set(g.tables) & {"weekly_activity", "plan_step", "step_progress"})


def test_versions_each_in_the_others_history_end_alike_both_ways(offices, tmp_path):
    """Each side's current version in the other's history (only clocks far off bring this
    about): the decision made after one history look-up keeps the newer version on both sides,
    the older one in both histories, and A into B ends like B into A."""
    a, b = offices["A"], offices["B"]
    sid = a.select("calendar_step")[0]["id"]
    a.update("calendar_step", sid, {"text": "older, at A"})
    b.update("calendar_step", sid, {"text": "newer, at B"})
    va, vb = a.get("calendar_step", sid), b.get("calendar_step", sid)
    assert vb["updated_at"] > va["updated_at"]
    for store, seen in ((a, vb), (b, va)):  # each has the other's version in its history
        store.conn.execute(
            "INSERT INTO history (rev, table_name, row_id, parent_rev, data, updated_at, office, clerk, deleted) "
            "VALUES (?, 'calendar_step', ?, NULL, ?, ?, ?, ?, 0)",
            (seen["rev"], sid, json.dumps({"text": seen["text"]}), seen["updated_at"], seen["office"], seen["clerk"]))
    a.close()
    b.close()
    with merged_both_ways(a.path, b.path, tmp_path) as (into_a, into_b, ra, rb):
        for store in (into_a, into_b):
            assert store.get("calendar_step", sid)["rev"] == vb["rev"]
            assert {va["rev"], vb["rev"]} - {store.get("calendar_step", sid)["rev"]} <= \
                {r["rev"] for r in store.query("SELECT rev FROM history WHERE row_id = ?", (sid,))}
        assert data_digest(into_a)["calendar_step"] == data_digest(into_b)["calendar_step"]
        assert not ra.conflicts and not rb.conflicts


def test_the_incoming_history_is_read_in_its_files_order_not_row_by_row_through_an_index(offices):
    """Copying and counting the incoming versions scans the history table (0.2 s and 0.5 s of CPU
    less for a 50% merge's 200,000 versions than SQLite's own choice, its (table, row) index with
    a look-up of every row)."""
    import importlib
    merge_mod = importlib.import_module("pmqa_desktop.core.sharing.merge")
    conn = offices["A"].conn
    conn.execute("ATTACH DATABASE ? AS inc", (str(offices["B"].path),))
    try:
        for ours in (None, "main"):
            plan = " ".join(r[-1] for r in conn.execute(
                f"EXPLAIN QUERY PLAN SELECT h.data {merge_mod._new_history_sql('inc', ours, True)}", ("[]",)))
            assert "SCAN h" in plan and "ix_history_row" not in plan, plan
    finally:
        conn.execute("DETACH DATABASE inc")


def test_the_previews_write_of_marked_rows_starts_from_the_marked_rows(offices):
    """The preview writes only the taken rows marked for the settling pass (a few hundred) to
    foresee it: the statement goes from them to their plan rows, not through every row taken (tens
    of thousands in a large merge, each looked up among the marked)."""
    from pmqa_desktop.core.storage import repair
    from pmqa_desktop.core.storage.store import own_columns
    conn = offices["A"].conn
    conn.execute(merge_mod._PLAN_SQL)
    conn.execute(repair._TOUCHED)
    conn.execute("ATTACH DATABASE ? AS inc", (str(offices["B"].path),))
    try:
        table = "weekly_activity"
        cols = ["rev", "updated_at", "office", "clerk", "deleted"] + own_columns(table)
        steps = [r[-1] for r in conn.execute("EXPLAIN QUERY PLAN " + merge_mod._marked_taken_sql(8, table, cols))]
        assert steps[0].startswith("SEARCH rt "), steps
        assert "SCAN" not in " ".join(steps), steps
    finally:
        conn.execute("DETACH DATABASE inc")


def _inode(path):
    return os.stat(path).st_ino


@pytest.mark.skipif(os.name != "posix", reason="the write-back beside is POSIX only")
def test_the_write_back_beside_syncs_the_journal_and_our_file_until_closed(offices, monkeypatch):
    b = offices["B"]
    synced = set()
    real = os.fdatasync

    def spy(fd):
        synced.add(os.fstat(fd).st_ino)
        real(fd)
    monkeypatch.setattr(os, "fdatasync", spy)
    monkeypatch.setattr(merge_mod._WriteBackBeside, "interval", 0.001)
    sid = b.select("calendar_step")[0]["id"]
    write_back = merge_mod._WriteBackBeside(b)
    with b.transaction():
        write_back.start()
        b.update("calendar_step", sid, {"text": "written while the thread syncs"})
        wanted = {_inode(b.path), _inode(str(b.path) + "-journal")}
        for _ in range(2000):
            if wanted <= synced:
                break
            time.sleep(0.001)
    write_back.close()
    assert wanted <= synced
    assert write_back.fd is None and not write_back.thread.is_alive()
    assert b.get("calendar_step", sid)["text"] == "written while the thread syncs"


@pytest.mark.skipif(os.name != "posix", reason="the write-back beside is POSIX only")
@pytest.mark.parametrize("preview", [True, False], ids=["after-preview", "at-once"])
def test_a_merge_keeps_the_write_back_handle_open_until_its_transaction_has_ended(offices, preview, monkeypatch):
    """Closing a handle of our file drops the POSIX locks this process holds on it, the writer's
    too: the thread's handle is closed only after COMMIT (or ROLLBACK)."""
    a, b = offices["A"], offices["B"]
    for r in a.select("weekly_activity")[:30]:
        a.update("weekly_activity", r["id"], {"text": r["text"] + " (A)"})
    a.close()
    seen = []
    real_start, real_close = merge_mod._WriteBackBeside.start, merge_mod._WriteBackBeside.close

    def start(self):
        seen.append(("start", b.conn.in_transaction, self.fd is not None))
        real_start(self)

    def close(self):
        seen.append(("close", b.conn.in_transaction, self.fd is not None))
        real_close(self)
    monkeypatch.setattr(merge_mod._WriteBackBeside, "start", start)
    monkeypatch.setattr(merge_mod._WriteBackBeside, "close", close)
    if preview:
        merge(b, a.path, dry_run=True)
        assert seen == []   # (a preview writes nothing)
    report = merge(b, a.path)
    assert report.applied and report.rows_taken == 30
    assert seen[0] == ("start", True, True)
    assert all(not in_tx for what, in_tx, _ in seen if what == "close")
    assert ("close", False, True) in seen   # (the handle was open until then)
    assert integrity_ok(b.path)


def test_the_rows_marked_for_settling_are_those_taken_with_another_key_parent_or_deleted_mark(offices, monkeypatch):
    """The rows decided in SQL say in the plan whether they are taken with another natural key,
    parent or deleted mark (read once, as they were compared): the settling pass's marks then
    read both rows again only for those decided in Python. The same rows as reading them all."""
    a, b = offices["A"], offices["B"]
    rows = [r for r in a.select("weekly_activity") if not r["deleted"]]
    weeks = {r["id"]: r["week"] for r in rows}
    for r in rows[40:50]:   # changed on both sides, A's week later: taken in Python, with another week
        b.update("weekly_activity", r["id"], {"week": weeks[r["id"]] % 4 + 1})
    for i, r in enumerate(rows[:60]):
        if 40 <= i < 50:   # (another week than B's)
            a.update("weekly_activity", r["id"], {"week": (weeks[r["id"]] + 1) % 4 + 1})
        elif i < 20:       # taken in SQL with another week; then deleted; then another text only
            a.update("weekly_activity", r["id"], {"week": weeks[r["id"]] % 4 + 1})
        elif i < 30:
            a.delete("weekly_activity", r["id"])
        else:
            a.update("weekly_activity", r["id"], {"text": r["text"] + " A"})
    a.close()
    seen = {}
    real = merge_mod._mark

    def read_again(conn, t, table):
        """The ids the marks must give, read from both rows of every row taken (and the rows added)."""
        from pmqa_desktop.core.storage import repair
        up = repair.parent_column(table)
        ids = f"i.id, i.{up}" if up else "i.id"
        differs = " OR ".join(f"i.{c} IS NOT l.{c}" for c in repair.key_columns(table))
        return set(conn.execute(
            f"SELECT {ids} FROM temp.merge_plan p JOIN inc.{table} i ON i.rowid = p.r "
            f"WHERE p.t = {t} AND p.what = {merge_mod._NEW} UNION ALL "
            f"SELECT {ids} FROM temp.merge_plan p JOIN inc.{table} i ON i.rowid = p.o "
            f"JOIN main.{table} l ON l.rowid = p.r "
            f"WHERE p.t = {t} AND p.what IN ({merge_mod._TAKE}, {merge_mod._TAKE_IX}) AND ({differs})"))

    def spy(store, plans):
        for table, tp in plans.items():
            taken = f"FROM temp.merge_plan WHERE t = {tp.t} AND what IN ({merge_mod._TAKE}, {merge_mod._TAKE_IX})"
            # (every row decided in SQL carries its flag)
            assert not store.conn.execute(f"SELECT count(*) {taken} AND kind IS NOT NULL AND kd IS NULL").fetchone()[0]
            marked = {tuple(x) for x in store.conn.execute(merge_mod._taken_ids_sql(tp.t, table))}
            assert marked == read_again(store.conn, tp.t, table), table
            seen[table] = marked
            if table == "weekly_activity":   # (both kinds of rows taken are there)
                kinds = dict(store.conn.execute(f"SELECT kind IS NULL, count(*) {taken} GROUP BY 1"))
                assert kinds.get(0) and kinds.get(1), kinds
            # (the shortcut is taken: the rows decided in SQL are not read again in our file)
            sql = merge_mod._taken_ids_sql(tp.t, table)
            assert sql.count(f"main.{table}") == 1, sql
        return real(store, plans)
    monkeypatch.setattr(merge_mod, "_mark", spy)
    report = merge(b, a.path)
    assert report.applied
    ids = {x[0] for x in seen["weekly_activity"]}
    assert {r["id"] for r in rows[:30] + rows[40:50]} <= ids   # another week or deleted, in SQL and in Python
    assert not ids & {r["id"] for r in rows[50:60]}   # another text only
