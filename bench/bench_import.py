"""Benchmark: importing an operations calendar of 2,000 steps from an Excel workbook.

    python bench/bench_import.py [--repeat N]

The workbook is built the way Excel keeps a clerk's calendar: a title row merged across the
table, the two heading rows with ลำดับ / แนวทาง / หมายเหตุ merged down and the period merged
over 12 month columns, then 2,000 steps with a date (some real Excel dates, some typed text)
in a few months each and a remark. The import is what ``pmqa-desktop import`` and the import
dialog do: read the sheet (openpyxl), interpret the table, and write the steps into a fresh
file in one transaction. Prints:

    import_2000_steps_s       median of N runs (PMQA_BENCH_RUNS, at least 5, or --repeat N) of
                              read + interpret + write, wall time; _min / _max beside it
    import_2000_steps_s_baseline   openpyxl alone reading every value of the same sheet (read-only
                              mode), alternated with the measured runs in the same process
    import_read_s             reading the sheet into the table of cells (median)
    import_parse_s            interpreting it as a calendar (median)
    import_write_s            writing the steps (median)
    import_2000_steps_cpu_s   the process's CPU time for one import (median): the figure when the
                              machine is not shared (wall time on a loaded machine is far higher)
    import_2000_steps_cpu_s_baseline   the same for the baseline
Target: import_2000_steps_s < 2 (issue 13). Measured on 2 shared cores: run it a few times.
"""
from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

STEPS = 2000
MONTHS = ["ต.ค.54", "พ.ย.", "ธ.ค.", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย."]


def build_workbook(path: Path) -> None:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ปฏิทินในการดำเนินงานตามตัวชี้วัด การพัฒนาคุณภาพการบริหารจัดการภาครัฐ จังหวัดน่าน "
               "ประจำปีงบประมาณ พ.ศ. 2555"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=15)
    ws.append([])
    ws.append(["ลำดับ", "แนวทางการดำเนินงาน", "ระยะเวลาดำเนินการ ปีงบประมาณ 2555"] + [None] * 11 + ["หมายเหตุ"])
    ws.append([None, None] + MONTHS + [None])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:N3")
    ws.merge_cells("O3:O4")
    for i in range(1, STEPS + 1):
        cells: list = [None] * 12
        m = i % 12
        year = 2011 if m < 3 else 2012
        month = (m + 9) % 12 + 1
        cells[m] = dt.date(year, month, 1 + i % 28) if i % 2 else f"{1 + i % 28} - {2 + i % 27} {MONTHS[m][:5]}"
        cells[(m + 5) % 12] = "ทุกวันพุธ" if i % 3 == 0 else None
        ws.append([i, f"ขั้นตอนที่ {i} ประชุมคณะทำงานเพื่อติดตามผลการดำเนินการตามแผนพัฒนาองค์การ ประจำปี 2555"]
                  + cells + ["รายละเอียดตามแผน" if i % 4 == 0 else None])
    wb.save(str(path))


def one_run(src: Path, work: Path, k: int) -> tuple[float, float, float, float]:
    from pmqa_desktop.core.importers import schedule_import
    from pmqa_desktop.core.importers.sources import parse_source, read_source
    from pmqa_desktop.core.storage import planning
    from pmqa_desktop.core.storage.store import Actor, Store
    c0 = time.process_time()
    t0 = time.perf_counter()
    source = read_source(src)
    t1 = time.perf_counter()
    preview = parse_source("calendar", source, 2555)
    t2 = time.perf_counter()
    assert len(preview.steps) == STEPS and not preview.errors, preview.errors[:3]
    store = Store.open(work / f"run{k}.db", Actor(office="bench"))
    try:
        with store.transaction():
            org = planning.add_organisation(store, "จังหวัดน่าน", province="น่าน")
            year = planning.add_fiscal_year(store, org, 2555)
            schedule_import.apply_calendar(store, preview, year)
    finally:
        store.close()
    t3 = time.perf_counter()
    return t1 - t0, t2 - t1, t3 - t2, time.process_time() - c0


def openpyxl_read(src: Path) -> tuple[float, float]:
    """The baseline: openpyxl alone reading every value of the same sheet (read-only, values only),
    nothing interpreted or written. Returns (wall, CPU) seconds."""
    import openpyxl
    c0, t0 = time.process_time(), time.perf_counter()
    wb = openpyxl.load_workbook(str(src), read_only=True, data_only=True)
    n = sum(1 for row in wb.active.iter_rows(values_only=True) for v in row if v is not None)
    wb.close()
    assert n > STEPS
    return time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    from benchlib import RUNS, alternate, figure, target_line
    repeat = RUNS
    if "--repeat" in sys.argv:
        repeat = int(sys.argv[sys.argv.index("--repeat") + 1])
    with tempfile.TemporaryDirectory(prefix="pmqa-bench-import-") as tmp:
        work = Path(tmp)
        src = work / "calendar_2000.xlsx"
        t = time.perf_counter()
        build_workbook(src)
        print(f"build_workbook_s={time.perf_counter() - t:.2f}")
        one_run(src, work, -1)        # imports and catalogs loaded once, as in the program
        openpyxl_read(src)
        runs: list[tuple[float, float, float, float]] = []
        base: list[tuple[float, float]] = []

        def measured(i: int) -> float:
            runs.append(one_run(src, work, i))
            return sum(runs[-1][:3])

        def baseline(i: int) -> float:
            base.append(openpyxl_read(src))
            return base[-1][0]
        totals, base_wall = alternate(measured, baseline, repeat)
    figure("import_2000_steps_s", totals, "read + interpret + write into a fresh file, wall")
    figure("import_2000_steps_s_baseline", base_wall, "openpyxl alone reading the same sheet's values, wall")
    for i, name in enumerate(("read", "parse", "write")):
        print(f"import_{name}_s={statistics.median(r[i] for r in runs):.3f}")
    # CPU time of this process: what the import costs when the machine is not shared
    print(f"import_2000_steps_cpu_s={statistics.median(r[3] for r in runs):.3f}")
    print(f"import_2000_steps_cpu_s_baseline={statistics.median(b[1] for b in base):.3f}")
    target_line("import_2000_steps_s", statistics.median(totals), 2.0, unit=" s")


if __name__ == "__main__":
    main()
