"""Benchmark: merging two offices' copies of the large generated file.

    python bench/bench_merge.py [--repeat N] [DB]     (DB defaults to the shared large file, built when missing)

The two edited copies are kept in $PMQA_BENCH_DIR (or the temp folder)/pmqa_bench_merge
between runs, since preparing them takes a minute.

Both copies start from the large file (35 agencies, 10 fiscal years); each office changes 10%
of the rows of the big tables (different random rows, so some rows change on both sides and
become conflicts), adds some rows and deletes a few. Then office A's file is merged into
office B's. Prints, among others:

    merge_preview_s   merge(dry_run=True): private copy of the incoming file, its check (schema at
                      once; quick_check, and some reading ahead, in a thread beside the comparison,
                      awaited before the preview returns), compare, count per plan
    merge_apply_s     merge() without the backup, right after the preview (reuses its checked copy
                      and decisions when neither file changed: the incoming file is compared byte
                      for byte with the copy in a thread, awaited before the commit) and applying
                      in one transaction (journal_mode=DELETE, synchronous=FULL, committed)
    merge_clerk_s     preview + apply: the merge as the clerk runs it (backup reported apart); repeated
                      N times (3 unless --repeat) on fresh copies of B, and the median reported
    merge_cold_s      merge() with no preview before it (copy, check, compare and apply)
    backup_s          the backup taken before a merge
    merge_back_s      B's merged file into A (the other direction)
Target: merge_clerk_median_s < 2 (issue 5). Measured on 2 cores; the timings of this machine vary by
up to +-30 % from run to run: run it a few times.
"""
from __future__ import annotations

import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BIG_TABLES = {"calendar_step": "text", "calendar_cell": "text", "weekly_row": "remark", "weekly_activity": "text"}


def _edit(path: Path, office: str, seed: int, share: float = 0.10) -> dict[str, int]:
    from pmqa_desktop.core.storage.store import Actor, Store
    rnd = random.Random(seed)
    s = Store.open(path, Actor(office=office, clerk=f"clerk of {office}"))
    s.conn.execute("PRAGMA synchronous = OFF")  # preparing the inputs only
    counts = {}
    with s.transaction(notify=False):
        for table, col in BIG_TABLES.items():
            ids = [r["id"] for r in s.query(f"SELECT id FROM {table} WHERE deleted = 0 ORDER BY id")]
            chosen = rnd.sample(ids, int(len(ids) * share))
            for rid in chosen:
                s.update(table, rid, {col: f"แก้ไขโดย {office} {rnd.randrange(10**6)}"})
            counts[table] = len(chosen)
        year = s.query("SELECT id FROM fiscal_year ORDER BY id LIMIT 1")[0]["id"]
        for k in range(200):
            s.insert("calendar_step", {"year_id": year, "text": f"ขั้นตอนใหม่ {office} {k}", "sort_key": 10000.0 + k})
        steps = [r["id"] for r in s.query("SELECT id FROM calendar_step WHERE deleted = 0 ORDER BY id")]
        for rid in rnd.sample(steps, 50):
            s.delete("calendar_step", rid)
    s.close()
    return counts


def _machine_ref() -> float:
    """Seconds for a fixed piece of SQLite work in memory: how fast this machine is just now
    (about 0.35 s when quiet; its pace varies by tens of percent from minute to minute)."""
    import sqlite3
    conn = sqlite3.connect(":memory:")
    t0 = time.perf_counter()
    conn.execute("WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < 500000) "
                 "SELECT count(*), max(printf('%08d', x)) FROM r").fetchall()
    conn.close()
    return time.perf_counter() - t0


def _settle() -> None:
    """Write the copies just made to disk, as a clerk's file is: otherwise the merge's commit,
    which syncs our file, would also write out the 183 MB this script copied a moment ago."""
    if hasattr(os, "sync"):
        os.sync()


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    repeats = 3
    if "--repeat" in argv:
        i = argv.index("--repeat")
        repeats = max(1, int(argv[i + 1]))
        del argv[i:i + 2]
    work = Path(tempfile.mkdtemp(prefix="pmqa-bench-merge-"))
    os.environ.setdefault("PMQA_DATA_DIR", str(work / "data"))
    from pmqa_desktop.core.demo import write_demo
    from pmqa_desktop.core.sharing import check_file, merge
    from pmqa_desktop.core.sharing.backup import backup_now
    from pmqa_desktop.core.storage import schema
    from pmqa_desktop.core.storage.store import Actor, Store
    try:
        base = Path(argv[0]) if argv else Path(tempfile.gettempdir()) / "pmqa_bench_large.db"
        if not base.exists():
            t0 = time.perf_counter()
            write_demo(base, large=True)
            print(f"generate_large_s={time.perf_counter() - t0:.1f}")
        cache = Path(os.environ.get("PMQA_BENCH_DIR") or tempfile.gettempdir()) / "pmqa_bench_merge"
        cache.mkdir(exist_ok=True)
        ready_a, ready_b = cache / "office_a.db", cache / "office_b.db"
        stamp = cache / "base.stamp"
        key = f"{base.resolve()} {base.stat().st_mtime_ns} {base.stat().st_size}"
        s = Store.open(base, Actor(), read_only=True)
        rows = {t: s.query(f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in schema.SYNCED_TABLES}
        s.close()
        print(f"file_mb={base.stat().st_size / 1e6:.0f}  rows={sum(rows.values())}  "
              + "  ".join(f"{t}={rows[t]}" for t in BIG_TABLES))
        if not (ready_a.exists() and ready_b.exists() and stamp.exists() and stamp.read_text() == key):
            t0 = time.perf_counter()
            counts = 0
            for ready, office, seed in ((ready_a, "office-A", 1), (ready_b, "office-B", 2)):
                part = ready.with_suffix(".part")
                shutil.copy(base, part)
                counts = sum(_edit(part, office, seed).values())
                part.replace(ready)
            stamp.write_text(key)
            print(f"prepare_edits_s={time.perf_counter() - t0:.1f}  changed_per_side={counts} "
                  f"(10% of {sum(rows[t] for t in BIG_TABLES)} rows) + 200 added + 50 deleted")
        else:
            print(f"prepare_edits_s=(reused {cache})")
        a, b = work / "office_a.db", work / "office_b.db"
        shutil.copy(ready_a, a)
        shutil.copy(ready_b, b)
        _settle()
        print(f"sizes_mb: A={a.stat().st_size / 1e6:.0f} B={b.stat().st_size / 1e6:.0f}")

        t0 = time.perf_counter()
        check_file(a)
        print(f"check_incoming_s={time.perf_counter() - t0:.2f}  (private copy + integrity_check + schema)")

        clerk = []
        print(f"machine_ref_s={_machine_ref():.2f}  (fixed SQLite work; about 0.35 when the machine is quiet)")
        for run in range(repeats):
            if run:  # office B's file as it was, again
                shutil.copy(ready_b, b)
                _settle()
            store = Store.open(b, Actor("office-B", "clerk"))
            try:
                t0, c0 = time.perf_counter(), time.process_time()
                preview = merge(store, a, dry_run=True)
                t_prev, c_prev = time.perf_counter() - t0, time.process_time() - c0
                t0 = time.perf_counter()
                backup_now(store, "merge")
                t_backup = time.perf_counter() - t0
                t0, c0 = time.perf_counter(), time.process_time()
                report = merge(store, a, backup=False)
                t_apply, c_apply = time.perf_counter() - t0, time.process_time() - c0
                clerk.append(t_prev + t_apply)
                if run == 0:
                    tot = preview.totals()
                    print(f"merge_preview_s={t_prev:.2f}  cpu_s={c_prev:.2f}  adds={tot.add} changes={tot.change} "
                          f"deletes={tot.delete} conflicts={tot.conflict} groups={len(preview.groups)}")
                    print(f"backup_s={t_backup:.2f}")
                    print(f"merge_apply_s={t_apply:.2f}  cpu_s={c_apply:.2f}  "
                          f"(rows taken={report.rows_taken}, history added={report.history_added})")
                else:
                    print(f"merge_preview_s={t_prev:.2f}  merge_apply_s={t_apply:.2f}  (run {run + 1})")
                print(f"merge_clerk_s={t_prev + t_apply:.2f}  load_avg={os.getloadavg()[0]:.1f}")
                if run == repeats - 1:
                    t0 = time.perf_counter()
                    again = merge(store, a, backup=False)
                    print(f"merge_again_s={time.perf_counter() - t0:.2f}  changes_nothing={again.changes_nothing}")
            finally:
                store.close()
        print(f"machine_ref_s={_machine_ref():.2f}  (again, after the runs)")
        med = statistics.median(clerk)
        print(f"merge_clerk_median_s={med:.2f}  (preview + apply as the clerk runs it, {repeats} runs: "
              f"{' '.join(f'{x:.2f}' for x in clerk)}; the apply reuses the preview's checked copy and decisions; "
              f"backup not included)  target<2  {'OK' if med < 2 else 'SLOWER THAN TARGET'}")
        store = Store.open(a, Actor("office-A", "clerk"))
        try:
            t0 = time.perf_counter()
            merge(store, b, backup=False)
            print(f"merge_back_s={time.perf_counter() - t0:.2f}")
        finally:
            store.close()
        b2 = work / "office_b2.db"
        shutil.copy(ready_b, b2)
        _settle()
        store = Store.open(b2, Actor("office-B", "clerk"))
        try:
            t0 = time.perf_counter()
            merge(store, ready_a, backup=False)
            print(f"merge_cold_s={time.perf_counter() - t0:.2f}  (merge() with no preview before it: "
                  f"copy + quick_check + compare + apply)")
        finally:
            store.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
