"""The clerk's merge of another office's file, from real exports, against SQLite copying the same rows.

Inputs (built once, kept in the bench folder): the large file with real Thai rows goes out to two
offices as exports; office A changes 10% of the rows of the big tables (calendar steps and cells,
weekly rows and activities), adds 200 steps and deletes 50, and exports its file; office B changes
a different 10% (some rows change on both sides: conflicts) in its own copy. A second export of
office A's has 50% of those rows changed. Neither file is a byte copy of the other.

Each run is a fresh process on a fresh copy of office B's file (written to disk first):

    merge_clerk_s           A's 10% export merged into B's file as the clerk does it: the preview
                            (private copy, page check, comparison), then Merge (the backup first,
                            then the merge, committed)
    merge_50pct_s           A's 50% export merged into B's file (``merge()``: copy, page check,
                            compare, apply, committed; no backup)
    merge_clerk_find_index_s  after that merge, find's index brought up to date (the clerk waits
                            for it at the first find after the merge, or when closing the file)
    merge_peak_rss_mb       the merging process's peak memory (the 50% merge, the worse)
    baselines               SQLite's own minimum for copying the same rows: the incoming file
                            attached, every row office A wrote copied over ours with INSERT OR
                            REPLACE, committed the same way (journal DELETE, synchronous FULL)
    merge_50pct_vs_sqlite_ratio   merge_50pct_s over its baseline. Targets: merge_clerk_s < 2,
                            ratio <= 1.5, peak memory < 300 MB.
Runs of the merge and of its baseline alternate; medians of 5 with min and max.
"""
from __future__ import annotations

import random
import shutil
import sys
import tempfile
from pathlib import Path

import benchlib as bl

BIG_TABLES = {"calendar_step": "text", "calendar_cell": "text", "weekly_row": "remark", "weekly_activity": "text"}
OFFICE_A, OFFICE_B = "สำนักงานสาธารณสุขจังหวัด", "สำนักงานเกษตรจังหวัด"

MERGE = r"""
import sys, time
sys.path.insert(0, sys.argv[3])
import benchlib as bl
from pmqa_desktop.core.sharing import merge
from pmqa_desktop.core.storage.store import Actor, Store
store = Store.open(sys.argv[1], Actor(sys.argv[4], "clerk"))
try:
    if sys.argv[5] == "clerk":
        t0, c0 = time.perf_counter(), time.process_time()
        preview = merge(store, sys.argv[2], dry_run=True)
        t1 = time.perf_counter()
        report = merge(store, sys.argv[2])          # the backup, then the merge
        t2 = time.perf_counter()
        tot = preview.totals()
        print(f"preview_s={t1 - t0:.3f}")
        print(f"apply_s={t2 - t1:.3f}")
        print(f"seconds={t2 - t0:.3f}")
        print(f"cpu_s={time.process_time() - c0:.3f}")   # (to the same point: not the close)
        print(f"rows adds={tot.add} changes={tot.change} deletes={tot.delete} conflicts={tot.conflict} backup={bool(report.backup)}")
        t3 = time.perf_counter()
        store.index_edits()      # what the clerk waits for at the first find after the merge, or at closing
        print(f"find_index_s={time.perf_counter() - t3:.3f}")
    else:
        t0, c0 = time.perf_counter(), time.process_time()
        report = merge(store, sys.argv[2], backup=False)
        print(f"seconds={time.perf_counter() - t0:.3f}")
        print(f"cpu_s={time.process_time() - c0:.3f}")
        print(f"rows taken={report.rows_taken}")
finally:
    store.close()
print(f"rss={bl.peak_rss_mb():.1f}")
"""

SQLITE_COPY = r"""
import sys, time, sqlite3
sys.path.insert(0, sys.argv[3])
import benchlib as bl
from pmqa_desktop.core.storage import schema
t0, c0 = time.perf_counter(), time.process_time()
conn = sqlite3.connect(sys.argv[1], isolation_level=None, uri=True)
conn.execute("PRAGMA journal_mode = DELETE")
conn.execute("PRAGMA synchronous = FULL")
conn.execute("ATTACH DATABASE ? AS inc", ("file:" + sys.argv[2] + "?mode=ro",))
conn.execute("BEGIN")
n = 0
for t in schema.SYNCED_TABLES:
    n += conn.execute(f"INSERT OR REPLACE INTO main.{t} SELECT * FROM inc.{t} WHERE office = ?", (sys.argv[4],)).rowcount
conn.execute("COMMIT")
conn.close()
print(f"seconds={time.perf_counter() - t0:.3f}")
print(f"rows copied={n}")
print(f"cpu_s={time.process_time() - c0:.3f}")
print(f"rss={bl.peak_rss_mb():.1f}")
"""


def _edit(path: Path, office: str, seed: int, share: float) -> int:
    from pmqa_desktop.core.storage.store import Actor, Store
    rnd = random.Random(seed)
    s = Store.open(path, Actor(office=office, clerk=f"clerk of {office}"))
    s.conn.execute("PRAGMA synchronous = OFF")  # preparing the inputs only
    n = 0
    try:
        with s.transaction(notify=False):
            for table, col in BIG_TABLES.items():
                ids = [r["id"] for r in s.query(f"SELECT id FROM {table} WHERE deleted = 0 ORDER BY id")]
                for rid in rnd.sample(ids, int(len(ids) * share)):
                    s.update(table, rid, {col: f"แก้ไขโดย{office}ครั้งที่{rnd.randrange(10 ** 6)}"})
                    n += 1
            year = s.query("SELECT id FROM fiscal_year ORDER BY id LIMIT 1")[0]["id"]
            for k in range(200):
                s.insert("calendar_step", {"year_id": year, "text": f"ขั้นตอนใหม่ของ{office}ที่{k}", "sort_key": 10000.0 + k})
            steps = [r["id"] for r in s.query("SELECT id FROM calendar_step WHERE deleted = 0 ORDER BY id")]
            for rid in rnd.sample(steps, 50):
                s.delete("calendar_step", rid)
    finally:
        s.close()
    return n


def inputs() -> tuple[Path, Path, Path]:
    """(office B's own file, office A's 10% export, office A's 50% export), built once."""
    from pmqa_desktop.core.sharing import export
    large = bl.large_file()
    folder = bl.bench_dir() / f"merge-{large.stem}"
    folder.mkdir(exist_ok=True)
    own_b, a10, a50 = folder / "office_b.db", folder / "office_a_10pct_export.db", folder / "office_a_50pct_export.db"
    for out, office, seed, share in ((own_b, OFFICE_B, 2, 0.10), (a10, OFFICE_A, 1, 0.10), (a50, OFFICE_A, 3, 0.50)):
        if out.exists():
            continue
        work = folder / f"work-{out.stem}.db"
        export(large, work)                 # the file as the office received it
        n = _edit(work, office, seed, share)
        if out is own_b:
            work.replace(out)               # office B merges into its own working file
        else:
            export(work, out)               # what office A sends
            work.unlink()
        print(f"prepared {out.name}: {n} rows changed by {office}", flush=True)
    return own_b, a10, a50


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="pmqa-bench-merge-honest-"))
    here = str(Path(__file__).resolve().parent)
    try:
        own_b, a10, a50 = inputs()
        env = bl.child_env(work)
        figures: dict[str, list[float]] = {}
        details: dict[str, str] = {}

        def run(kind: str, code: str, incoming: Path, mode: str) -> float:
            b = bl.fresh_copy(own_b, work, "office_b.db")
            bl.settle()
            office = OFFICE_B if code is MERGE else OFFICE_A
            out = bl.run_python(code, str(b), str(incoming), here, office, mode, env=env)
            figures.setdefault(kind, []).extend(bl.values_of(out, "seconds"))
            figures.setdefault(kind + "_rss", []).extend(bl.values_of(out, "rss"))
            figures.setdefault(kind + "_cpu", []).extend(bl.values_of(out, "cpu_s"))
            for name in ("preview_s", "apply_s", "find_index_s"):
                figures.setdefault(f"{kind}_{name}", []).extend(bl.values_of(out, name))
            details[kind] = " ".join(ln for ln in out.splitlines() if ln.startswith("rows "))
            return figures[kind][-1]

        bl.alternate(lambda i: run("clerk", MERGE, a10, "clerk"), lambda i: run("sqlite10", SQLITE_COPY, a10, ""))
        bl.alternate(lambda i: run("m50", MERGE, a50, "cold"), lambda i: run("sqlite50", SQLITE_COPY, a50, ""))
        print(f"merge_inputs: 10% {details['clerk']}; 50% {details['m50']}; sqlite {details['sqlite50']}")
        clerk = bl.figure("merge_clerk_s", figures["clerk"], "preview + backup + merge, A's 10% export into B's file")
        bl.figure("merge_clerk_preview_s", figures["clerk_preview_s"])
        bl.figure("merge_clerk_apply_s", figures["clerk_apply_s"], "the backup and the merge")
        bl.baseline_figure("merge_clerk_s", figures["sqlite10"], "SQLite copying the rows A wrote")
        bl.figure("merge_clerk_find_index_s", figures["clerk_find_index_s"],
                  "find's index brought up to date after it (waited for at the first find, or at closing)")
        bl.figure("merge_clerk_cpu_s", figures["clerk_cpu"], "CPU time of the same runs (process)")
        bl.baseline_figure("merge_clerk_cpu_s", figures["sqlite10_cpu"])
        bl.target_line("merge_clerk_s", clerk, 2.0, unit=" s")
        bl.figure("merge_50pct_s", figures["m50"], "merge() of A's 50% export, no backup")
        bl.baseline_figure("merge_50pct_s", figures["sqlite50"], "SQLite copying the rows A wrote")
        bl.ratio_figure("merge_50pct_vs_sqlite_ratio", figures["m50"], figures["sqlite50"], target=1.5)
        bl.figure("merge_50pct_cpu_s", figures["m50_cpu"], "CPU time of the same runs (process)")
        bl.baseline_figure("merge_50pct_cpu_s", figures["sqlite50_cpu"])
        rss = bl.figure("merge_peak_rss_mb", figures["m50_rss"], "the 50% merge's process")
        bl.baseline_figure("merge_peak_rss_mb", figures["sqlite50_rss"], "SQLite's copy's process")
        print(f"merge_clerk_peak_rss_mb={bl.median(figures['clerk_rss']):.0f}  (the 10% merge as the clerk does it)")
        bl.target_line("merge_peak_rss_mb", rss, 300, unit=" MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
