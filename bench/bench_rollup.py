"""Benchmark: a province roll-up, 35 agency files merged into the large province file.

    python bench/bench_rollup.py [--agencies N] [DB]   (DB: the shared large file, built when missing)

The inputs are made once and kept in $PMQA_BENCH_DIR (or the temp folder)/pmqa_bench_rollup:
the province's file is the large file without its 35 agencies (an export of the provincial
offices only), and each agency's file is an export of that agency alone (its own organisation,
10 fiscal years, about 4 MB). The roll-up then merges the 35 files one after the other into a
copy of the province's file as the clerk would (one backup before the first merge, then each
file previewed and applied), and merges the first agency's file again (nothing to do).

Prints ``name=value`` lines:
    rollup_35_agencies_s    all 35 merges, preview + apply each (target < 10)
    rollup_35_agencies_folder_s  the same 35 files merged at once (merge_folder: preview, then apply),
                            median of >= 5 runs alternated with its baseline (SQLite copying every
                            agency's rows in one transaction), with _min/_max, and its CPU time
                            (``_cpu_s``) beside it
    rollup_35_agencies_find_index_s  after each of those runs, find's index brought up to date with
                            the rows taken (the clerk waits for it at the first find, or when closing)
    rollup_merge_median_s   one agency's merge, median; _min/_max alongside
    rollup_backup_s         the backup before the roll-up
    rollup_peak_rss_mb      the whole process's peak memory after the roll-ups (builds the files too)
    machine_ref_s           a fixed piece of SQLite work, to read the figures against the machine's pace
"""
from __future__ import annotations

import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


def _prepare(base: Path, cache: Path, agencies: int) -> tuple[Path, list[Path]]:
    from pmqa_desktop.core.sharing.exchange import export
    cache.mkdir(parents=True, exist_ok=True)
    province = cache / "province.db"
    files = [cache / f"agency{i + 1:02d}.db" for i in range(agencies)]
    if province.exists() and all(f.exists() for f in files):
        print(f"prepare_s=(reused {cache})")
        return province, files
    t0 = time.perf_counter()
    export(base, province, orgs=["จังหวัดตัวอย่าง", "จังหวัดราชบุรี", "จังหวัดระยอง"])
    for i, f in enumerate(files):
        export(base, f, orgs=[f"ส่วนราชการที่ {i + 1}"])
    print(f"prepare_s={time.perf_counter() - t0:.1f}")
    return province, files


def _machine_ref() -> float:
    import sqlite3
    conn = sqlite3.connect(":memory:")
    t0 = time.perf_counter()
    conn.execute("CREATE TABLE t(a INTEGER, b TEXT)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", ((i, str(i) * 5) for i in range(300_000)))
    conn.execute("CREATE INDEX ix ON t(b)")
    conn.close()
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    agencies = 35
    if "--agencies" in argv:
        i = argv.index("--agencies")
        agencies = int(argv[i + 1])
        del argv[i:i + 2]
    own_data = None
    if "PMQA_DATA_DIR" not in os.environ:   # (it holds the merges' backups: removed at the end)
        own_data = os.environ["PMQA_DATA_DIR"] = tempfile.mkdtemp(prefix="pmqa-bench-data-")
    from pmqa_desktop.core.demo import write_demo
    from pmqa_desktop.core.sharing import merge
    from pmqa_desktop.core.sharing.backup import backup_now
    from pmqa_desktop.core.storage.store import Actor, Store

    base = Path(argv[0]) if argv else Path(tempfile.gettempdir()) / "pmqa_bench_large.db"
    if not base.exists():
        t0 = time.perf_counter()
        write_demo(base, large=True)
        print(f"generate_large_s={time.perf_counter() - t0:.1f}")
    cache = Path(os.environ.get("PMQA_BENCH_DIR") or tempfile.gettempdir()) / "pmqa_bench_rollup"
    province, files = _prepare(base, cache, agencies)
    print(f"province_mb={province.stat().st_size / 1e6:.0f}  agency_mb="
          f"{statistics.mean(f.stat().st_size for f in files) / 1e6:.1f}  agencies={len(files)}")
    work = Path(tempfile.mkdtemp(prefix="pmqa-bench-rollup-"))
    try:
        target = work / "province.db"
        shutil.copy(province, target)
        print(f"machine_ref_s={_machine_ref():.2f}")
        store = Store.open(target, Actor("สำนักงานจังหวัด", "clerk"))
        try:
            t0 = time.perf_counter()
            backup_now(store, "merge")
            print(f"rollup_backup_s={time.perf_counter() - t0:.2f}")
            each = []
            t_all, c_all = time.perf_counter(), time.process_time()
            for f in files:
                t0 = time.perf_counter()
                merge(store, f, dry_run=True)
                report = merge(store, f, backup=False)
                each.append(time.perf_counter() - t0)
                assert report.applied, report.lines()
            total = time.perf_counter() - t_all
            print(f"rollup_{len(files)}_agencies_s={total:.2f}  cpu_s={time.process_time() - c_all:.2f}  "
                  f"(one by one, once)")
            print(f"rollup_merge_median_s={statistics.median(each):.2f}")
            print(f"rollup_merge_median_s_min={min(each):.2f}")
            print(f"rollup_merge_median_s_max={max(each):.2f}")
            t0 = time.perf_counter()
            again = merge(store, files[0], backup=False)
            print(f"rollup_again_s={time.perf_counter() - t0:.2f}")
            assert again.changes_nothing
        finally:
            store.close()
        # the same files merged at once (File > Merge every file in a folder): one preview, one
        # backup, one commit; each run from a fresh copy of the province's file, alternated with
        # the baseline: SQLite itself copying every agency's rows into a fresh copy (one transaction)
        import benchlib as bl
        from pmqa_desktop.core.sharing.folder import merge_folder
        received = work / "received"
        received.mkdir()
        for f in files:
            os.symlink(f, received / f.name)
        cpu: dict[str, list[float]] = {"folder": [], "sqlite": []}
        find_index: list[float] = []

        def fresh() -> Path:
            target2 = work / "province_folder.db"
            shutil.copy(province, target2)
            s = Store.open(target2, Actor("สำนักงานจังหวัด", "clerk"))   # (taken to this version first)
            s.close()
            bl.settle()
            return target2

        def folder(_i: int) -> float:
            store = Store.open(fresh(), Actor("สำนักงานจังหวัด", "clerk"))
            try:
                t0, c0 = time.perf_counter(), time.process_time()
                merge_folder(store, received, dry_run=True)
                done = merge_folder(store, received)
                wall = time.perf_counter() - t0
                cpu["folder"].append(time.process_time() - c0)
                assert done.applied, done.lines()
                t1 = time.perf_counter()
                store.index_edits()   # what the clerk waits for at the first find after it, or at closing
                find_index.append(time.perf_counter() - t1)
            finally:
                store.close()
            return wall

        def sqlite_copy(_i: int) -> float:
            import sqlite3
            from pmqa_desktop.core.storage import schema
            target2 = fresh()
            t0, c0 = time.perf_counter(), time.process_time()
            conn = sqlite3.connect(target2, isolation_level=None)
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("BEGIN")
            for f in files:   # (read with a connection of its own: ATTACH takes at most 10 files)
                src = sqlite3.connect("file:" + str(f) + "?mode=ro", uri=True)
                for t in (*schema.SYNCED_TABLES, "history"):
                    cur = src.execute(f"SELECT * FROM {t}")
                    names = ", ".join(d[0] for d in cur.description)
                    marks = ", ".join("?" * len(cur.description))
                    conn.executemany(f"INSERT OR IGNORE INTO main.{t} ({names}) VALUES ({marks})", cur)
                src.close()
            conn.execute("COMMIT")
            conn.close()
            cpu["sqlite"].append(time.process_time() - c0)
            return time.perf_counter() - t0

        measured, baseline = bl.alternate(folder, sqlite_copy)
        name = f"rollup_{len(files)}_agencies_folder_s"
        med = bl.figure(name, measured, "merge every file in the folder: preview + apply, one backup")
        bl.figure(f"rollup_{len(files)}_agencies_folder_cpu_s",
                  cpu["folder"], "CPU time of the same runs")
        bl.baseline_figure(name, baseline, "SQLite copying every agency's rows, one transaction")
        bl.baseline_figure(f"rollup_{len(files)}_agencies_folder_cpu_s", cpu["sqlite"])
        bl.target_line(name, med, 10.0, unit=" s")
        bl.figure(f"rollup_{len(files)}_agencies_find_index_s", find_index,
                  "after it, find's index brought up to date (waited for at the first find, or at closing)")
        print(f"rollup_peak_rss_mb={_peak_rss_mb():.0f}  (this whole process: building the files, 35 merges one by one, the folder runs)")
        print(f"machine_ref_s={_machine_ref():.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if own_data:
            shutil.rmtree(own_data, ignore_errors=True)


if __name__ == "__main__":
    main()
