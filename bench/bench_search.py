"""Benchmark: find (Ctrl+F, ``pmqa-desktop search``) over the large generated file, and what
keeping find's index up to date adds to an edit.

    python bench/bench_search.py [DB]     (DB defaults to a private copy of the large file, built when missing)

The large file (35 agencies, 10 fiscal years, ~460,000 searchable rows) is built by the program
(``demo --large``) into $PMQA_BENCH_DIR (or the temp folder)/pmqa_bench_search/large.db and kept
between runs; a file is never shared with other benchmarks, since opening one adds the index.
Prints ``name=value`` lines:

    index_build_s            building the index for a file that has none (first open after an update)
    search_ms                a typical query (a clerk's phrase, a date, a name; the listed places read
                             back with their organisation, year, form and row): median over queries x runs
    search_ms_min / _max     the fastest and the slowest of them
    search_common_ms         a word in tens of thousands of rows (the first 500 listed): median
    search_short_ms          one or two characters (no index: the fields are read): median
    edit_ms                  one cell edit, saved (its own transaction, synchronous=FULL): median
    edit_index_overhead_ms   median edit time with the index kept up to date minus without (an edit
                             notes its rows in memory and, the first time, marks the index behind
                             in the file; the index itself is written at the next search or close)
    index_five_edits_ms      bringing the index up to date after 5 edits (done by the next search)
Targets (issue 12): search_ms < 100, edit_index_overhead_ms < 5.
"""
from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

TYPICAL = ["ประชุมคณะทำงาน", "31 มี.ค.", "ทุกวันพุธ", "แผนบริหารความเสี่ยง", "Certify FL", "ลักษณะสำคัญขององค์กร",
           "9 - 10 มิ.ย.", "ถ่ายทอดแผน", "คู่มือ", "สำนักงานจังหวัด"]
COMMON = ["ความก้าวหน้า", "รายงานผล", "การดำเนินงาน"]
SHORT = ["ก", "54", "W"]
RUNS = 5
EDITS = 200


def _ms(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def drop_index(db: Path) -> None:
    """Take find's index out of a file (as files written before it were)."""
    import sqlite3
    conn = sqlite3.connect(db)
    try:
        conn.execute("DROP TABLE IF EXISTS search_index")
        conn.commit()
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    work = Path(tempfile.mkdtemp(prefix="pmqa-bench-search-"))
    os.environ.setdefault("PMQA_DATA_DIR", str(work / "data"))
    from pmqa_desktop.core.demo import write_demo
    from pmqa_desktop.core.storage import planning, search
    from pmqa_desktop.core.storage.store import Actor, Store
    try:
        if argv:
            base = Path(argv[0])
        else:
            cache = Path(os.environ.get("PMQA_BENCH_DIR") or tempfile.gettempdir()) / "pmqa_bench_search"
            cache.mkdir(exist_ok=True)
            base = cache / "large.db"
            if not base.exists():
                t0 = time.perf_counter()
                write_demo(base, large=True)
                print(f"generate_large_s={time.perf_counter() - t0:.1f}")
        db = work / "large.db"
        shutil.copy(base, db)
        drop_index(db)          # a file written before the index: its first open builds it
        t0 = time.perf_counter()
        s = Store.open(db, Actor("bench", "bench"), check="")
        print(f"index_build_s={time.perf_counter() - t0:.2f}  (the first open, index built)")
        try:
            rows = sum(s.query(f"SELECT count(*) AS n FROM {t} WHERE deleted = 0")[0]["n"] for t in search.SEARCHABLE)
            print(f"searchable_rows={rows}")

            def timed(queries: list[str]) -> list[float]:
                out = []
                for _run in range(RUNS):
                    for q in queries:
                        out.append(_ms(lambda: search.search(s, q)))
                return out
            hits = {q: len(search.search(s, q)) for q in TYPICAL}
            print("typical_hits=" + ",".join(str(hits[q]) for q in TYPICAL))
            typical = timed(TYPICAL)
            print(f"search_ms={statistics.median(typical):.1f}")
            print(f"search_ms_min={min(typical):.1f}")
            print(f"search_ms_max={max(typical):.1f}")
            print(f"search_common_ms={statistics.median(timed(COMMON)):.1f}")
            print(f"search_short_ms={statistics.median(timed(SHORT)):.1f}")

            # edits: one calendar cell at a time, as a clerk types, alternately with and without
            # the index kept up to date (so the machine's drift hits both alike)
            cells = s.query("SELECT step_id, month FROM calendar_cell WHERE deleted = 0 ORDER BY rowid LIMIT ?",
                            (EDITS,))
            with_index, without, flushes = [], [], []
            for i, c in enumerate(cells):
                keep = i % 2 == 0
                if not keep:
                    search.detach(s.conn)
                    s._search_attached = False
                (with_index if keep else without).append(
                    _ms(lambda: planning.set_calendar_cell(s, c["step_id"], c["month"], f"แก้ไขครั้งที่ {i} 31 มี.ค. 55")))
                if keep:   # the clerk looks something up now and then: the waiting edits are indexed then
                    if i % 10 == 0:
                        flushes.append(_ms(s.index_edits))
                else:
                    search.attach(s.conn)
                    s._search_attached = True
            print(f"edit_ms={statistics.median(with_index):.2f}")
            print(f"edit_without_index_ms={statistics.median(without):.2f}")
            print(f"edit_index_overhead_ms={statistics.median(with_index) - statistics.median(without):.2f}")
            print(f"edit_noise_ms={abs(statistics.median(without[::2]) - statistics.median(without[1::2])):.2f}"
                  "  (two halves of the same edits without the index: how far this machine's medians wander)")
            print(f"index_five_edits_ms={statistics.median(flushes):.2f}  (indexing 5 waiting edits, at the next search)")
        finally:
            s.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
