"""Printing speed: every form of one organisation-year of the large generated file, and side by
side in the same run LibreOffice printing the same rows exported as spreadsheets (CSV, UTF-8).

    python bench/bench_print.py [--db large.db] [--year 2569] [--org จังหวัดตัวอย่าง] [--repeat 5] [--no-libreoffice]

Without --db: the large file with real Thai rows (bench/benchlib.py), the provincial office's newest
year (2,000 calendar steps). Our runs and LibreOffice's alternate (5 of each); medians with min and max:

    print_s, print_pages_per_s          every form of the year, a fresh process each run
    print_libreoffice_s                 soffice converting the same rows (CSV) to PDF, a fresh process
    print_vs_libreoffice_ratio          LibreOffice's median time over ours. Target >= 5.
"""
from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import benchlib as bl  # noqa: E402

ROOT = bl.ROOT

from pmqa_desktop.core import dashboard  # noqa: E402
from pmqa_desktop.core.storage import devplan as dp  # noqa: E402
from pmqa_desktop.core.storage import planning  # noqa: E402
from pmqa_desktop.core.storage.store import Actor, Store  # noqa: E402
from pmqa_desktop.printing.render import FORMS, PrintSettings, print_to_pdf, resolve  # noqa: E402


def pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(ln.split()[-1] for ln in out.splitlines() if ln.startswith("Pages:")))


def export_rows(store: Store, req, folder: Path) -> list[Path]:
    """The rows each form prints, one CSV per form (what a clerk would print from Excel)."""
    year = req.year
    files = []

    def write(name, header, rows):
        p = folder / f"{name}.csv"
        with open(p, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(rows)
        files.append(p)

    crits = planning.criteria(store)
    owners = planning.owners(store, year["id"])
    write("owners", ["criterion", "name", "position", "unit", "phone", "email"],
          [[f"{c['code']} {c['full_text']}"] + [(owners.get(c["id"]) or {}).get(k, "") for k in planning.OWNER_FIELDS]
           for c in crits])
    months = planning.calendar_months(year)
    write("calendar", ["no", "step"] + [m.abbr() for m in months] + ["remark"],
          [[i, s["text"]] + [(s["cells"].get(m.key) or {}).get("text", "") for m in months] + [s["remark"]]
           for i, s in enumerate(planning.calendar_steps(store, year["id"]), start=1)])
    cols = planning.weekly_columns(year)
    rows = []
    for r in planning.weekly_rows(store, year["id"]):
        cells = [""] * len(cols)
        for a in r["activities"]:
            k = planning.week_index(year, a["month"], a["week"])
            if 0 <= k < len(cells):
                cells[k] = a["text"]
        rows.append([r.get("category_code") or "", f"{r.get('criterion_code') or ''} {r.get('criterion_name') or ''}"]
                    + cells)
    write("weekly", ["cat", "code"] + [f"{m.abbr()} W{w}" for m, w in cols], rows)
    steps, kpis, prog = [], [], []
    for p in dp.plans(store, year["id"]):
        tree = dp.plan_tree(store, p["id"])
        scores = dashboard.plan_scores(store, p["id"])[12]
        for a in tree["activities"]:
            for s in a["steps"]:
                steps.append([p["title"], a["title"], s["text"], s["duration"], s["start_month"], s["end_month"],
                              s["output"], s["responsible"], s["related"], s["budget"] or s["budget_note"]])
                prog.append([p["title"], s["text"], s["end_month"]])
        for dim, ks in tree["kpis"].items():
            for k in ks:
                kpis.append([p["title"], dim, k["text"], k["current_data"], k["target"], k["weight"],
                             k["t1"], k["t2"], k["t3"], k["t4"], k["t5"]])
                ksc = scores.scores.get(k["id"])
                prog.append([p["title"], k["text"], ksc.value if ksc else ""])
    write("devplan", ["plan", "activity", "step", "duration", "start", "end", "output", "resp", "related", "budget"],
          steps)
    write("kpi72", ["plan", "dim", "kpi", "current", "target", "weight", "t1", "t2", "t3", "t4", "t5"], kpis)
    write("progress", ["plan", "item", "value"], prog)
    return files


def run_ours(db: Path, year: int, org: str, work: Path) -> tuple[int, float, float, list[str]]:
    """All forms in one fresh process (start-up, imports, word dictionary included), as
    ``pmqa-desktop print`` would; returns (pages, seconds, per-form lines).

    Like the command line (``cli.main`` at a program start, and so ``python -m pmqa_desktop``),
    the child first calls ``cli._keep_compiled_modules()``: where PYTHONDONTWRITEBYTECODE is set
    (as in the developers' shells) the program's compiled modules are kept in the cache folder
    instead of being compiled again at every start; an installed program has its .pyc anyway."""
    code = (
        "import sys, time; t0 = time.perf_counter(); sys.path.insert(0, %r)\n"
        "from pmqa_desktop.cli import _keep_compiled_modules; _keep_compiled_modules()  # as cli.main does\n"
        "from pmqa_desktop.core.storage.store import Actor, Store\n"
        "from pmqa_desktop.printing.render import FORMS, PrintSettings, prewarm, print_to_pdf, resolve\n"
        "prewarm('laksaman')  # as the command line does\n"
        "store = Store.open(%r, Actor(office='bench'), read_only=True)\n"
        "opts = PrintSettings(font='laksaman').options()\n"
        "for form in FORMS:\n"
        "    t = time.perf_counter()\n"
        "    req = resolve(store, form, %d, %r, None, 12 if form == 'progress' else None)\n"
        "    n = print_to_pdf(store, req, %r + '/ours-' + form + '.pdf', opts)\n"
        "    print(form, n, time.perf_counter() - t, flush=True)\n"
        "t = time.perf_counter()\n"
        "for form in FORMS:\n"
        "    req = resolve(store, form, %d, %r, None, 12 if form == 'progress' else None)\n"
        "    print_to_pdf(store, req, %r + '/ours-' + form + '.pdf', opts)\n"
        "print('warm', time.perf_counter() - t, flush=True)\n"
    ) % (str(ROOT / "src"), str(db), year, org, str(work), year, org, str(work))
    t, c = time.perf_counter(), _child_cpu()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    lines, pages = [], 0
    warm = 0.0
    for ln in out.split("\n"):
        if ln.startswith("warm "):
            warm = float(ln.split()[1])
        elif ln.strip():
            form, n, dt = ln.split()
            pages += int(n)
            lines.append(f"ours: {form} pages={n} seconds={float(dt):.2f} pages/s={int(n) / float(dt):.1f}")
    # the cold figure is the first pass only (the second, warm pass ran in the same process)
    total, cpu_all = time.perf_counter() - t, _child_cpu() - c
    secs = total - warm
    cpu = cpu_all * secs / total
    lines.append(f"ours warm (printing again in a running program): pages={pages} seconds={warm:.2f} "
                 f"pages/s={pages / warm:.1f}")
    return pages, secs, cpu, lines


def _child_cpu() -> float:
    """CPU seconds (user + system) of finished child processes and their waited-for children."""
    import resource
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_libreoffice(soffice: str, files: list[Path], work: Path) -> tuple[int, float, float]:
    lo_out = work / "lo"
    shutil.rmtree(lo_out, ignore_errors=True)
    lo_out.mkdir()
    profile = work / "lo-profile"
    t, c = time.perf_counter(), _child_cpu()
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--infilter=CSV:44,34,76,1", "--convert-to", "pdf", "--outdir", str(lo_out),
                    *map(str, files)], check=True, capture_output=True)
    secs, cpu = time.perf_counter() - t, _child_cpu() - c
    return sum(pdf_pages(p) for p in lo_out.glob("*.pdf")), secs, cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="default: the large file with real Thai rows (bench/benchlib.py)")
    ap.add_argument("--year", type=int, default=bl.LARGE_YEAR)
    ap.add_argument("--org", default=bl.PROVINCE)
    ap.add_argument("--repeat", type=int, default=bl.RUNS, help="runs of each, alternated; medians reported")
    ap.add_argument("--no-libreoffice", action="store_true")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-print-"))
    try:
        db = Path(args.db) if args.db else bl.large_file()
        soffice = None if args.no_libreoffice else (shutil.which("soffice") or shutil.which("libreoffice"))
        files: list[Path] = []
        if soffice:
            csv_dir = work / "csv"
            csv_dir.mkdir()
            store = Store.open(db, Actor(office="bench"), read_only=True)
            files = export_rows(store, resolve(store, "calendar", args.year, args.org), csv_dir)
            store.close()
        ours: list[tuple[float, float, int, list[str]]] = []
        lo: list[tuple[float, float, int]] = []

        def run_our_print(i: int) -> float:
            pages, secs, cpu, lines = run_ours(db, args.year, args.org, work)
            ours.append((secs, cpu, pages, lines))
            return secs

        def run_lo(i: int) -> float:
            lpages, lsecs, lcpu = run_libreoffice(soffice, files, work)
            lo.append((lsecs, lcpu, lpages))
            return lsecs

        runs = max(1, args.repeat)
        if soffice:   # one run of each first, not counted: LibreOffice makes its profile folder once
            run_lo(-1)
            run_our_print(-1)
            ours.clear()
            lo.clear()
            bl.alternate(run_our_print, run_lo, runs)
        else:
            for i in range(runs):
                run_our_print(i)
        mid = sorted(ours)[len(ours) // 2]
        for ln in mid[3]:
            print(ln)
        pages = mid[2]
        secs = [o[0] for o in ours]
        print(f"print_pages={pages}  (every form of {args.org} FY {args.year}; fresh process each run, start-up, "
              f"imports and the word dictionary included)")
        bl.figure("print_s", secs)
        bl.figure("print_cpu_s", [o[1] for o in ours])
        bl.figure("print_pages_per_s", [pages / x for x in secs])
        if not soffice:
            print("libreoffice: not run (not installed or --no-libreoffice); only our figures are reported")
            return 0
        lpages = lo[0][2]
        lsecs = [x[0] for x in lo]
        print(f"print_libreoffice_pages={lpages}  (the same rows as {len(files)} CSV files, one soffice run each "
              f"run, start-up included)")
        bl.figure("print_libreoffice_s", lsecs)
        bl.figure("print_libreoffice_cpu_s", [x[1] for x in lo])
        bl.figure("print_pages_per_s_baseline", [lpages / x for x in lsecs], "LibreOffice")
        # ours is faster by LibreOffice's time over ours, for the same rows
        bl.ratio_figure("print_vs_libreoffice_ratio", lsecs, secs, target=5.0, below=False,
                        note="LibreOffice's median time / ours, the same rows")
        bl.ratio_figure("print_vs_libreoffice_cpu_ratio", [x[1] for x in lo], [o[1] for o in ours],
                        note="the same in CPU seconds")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
