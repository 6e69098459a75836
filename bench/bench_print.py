"""Printing speed: every form of one organisation-year of the large generated file, and side by
side in the same run LibreOffice printing the same rows exported as spreadsheets (CSV, UTF-8).

    python bench/bench_print.py [--db large.db] [--year 2565] [--org จังหวัดตัวอย่าง] [--no-libreoffice]

Without --db the large file is generated first (``pmqa-desktop demo --large``: 35 agencies,
10 years). Prints one result line per form and the totals:

    ours: <form> pages=N seconds=S pages/s=P
    ours total: pages=N seconds=S pages/s=P
    libreoffice: pages=N seconds=S pages/s=P  (same rows as CSV, one soffice run)
    ratio: ours is Xx faster (time for the same rows)
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db")
    ap.add_argument("--year", type=int, default=2565)
    ap.add_argument("--org", default="จังหวัดตัวอย่าง")
    ap.add_argument("--no-libreoffice", action="store_true")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-print-"))
    try:
        db = Path(args.db) if args.db else work / "large.db"
        if not db.exists():
            from pmqa_desktop.core.demo import write_demo
            t = time.perf_counter()
            write_demo(db, large=True)
            print(f"generated large file: {db} in {time.perf_counter() - t:.1f} s")
        store = Store.open(db, Actor(office="bench"), read_only=True)
        opts = PrintSettings(thai_digits=False, font="laksaman").options()
        total_pages, total_secs = 0, 0.0
        t_start = time.perf_counter()
        for form in FORMS:
            req = resolve(store, form, args.year, args.org, None, 12 if form == "progress" else None)
            out = work / f"ours-{form}.pdf"
            t = time.perf_counter()
            n = print_to_pdf(store, req, out, opts)
            dt = time.perf_counter() - t
            total_pages += n
            total_secs += dt
            print(f"ours: {form} pages={n} seconds={dt:.2f} pages/s={n / dt:.1f}")
        ours_wall = time.perf_counter() - t_start
        print(f"ours total: pages={total_pages} seconds={ours_wall:.2f} pages/s={total_pages / ours_wall:.1f} "
              f"(one process, includes loading the word dictionary and fonts)")
        if args.no_libreoffice:
            return 0
        soffice = shutil.which("libreoffice") or shutil.which("soffice")
        if not soffice:
            print("libreoffice: not installed; only our figures are reported")
            return 0
        csv_dir = work / "csv"
        csv_dir.mkdir()
        req = resolve(store, "calendar", args.year, args.org)
        files = export_rows(store, req, csv_dir)
        store.close()
        lo_out = work / "lo"
        lo_out.mkdir()
        profile = work / "lo-profile"
        t = time.perf_counter()
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--infilter=CSV:44,34,76,1", "--convert-to", "pdf", "--outdir", str(lo_out),
                        *map(str, files)], check=True, capture_output=True)
        lo_secs = time.perf_counter() - t
        lo_pages = sum(pdf_pages(p) for p in lo_out.glob("*.pdf"))
        print(f"libreoffice: pages={lo_pages} seconds={lo_secs:.2f} pages/s={lo_pages / lo_secs:.1f} "
              f"(same rows as {len(files)} CSV files, one soffice run incl. start-up)")
        print(f"ratio: ours is {lo_secs / ours_wall:.1f}x faster for the same rows; "
              f"pages/s ours {total_pages / ours_wall:.1f} vs libreoffice {lo_pages / lo_secs:.1f}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
