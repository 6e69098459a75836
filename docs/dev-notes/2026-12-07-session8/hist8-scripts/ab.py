"""A/B of the bench's cold 50% merge (bench_merge_honest's MERGE, mode cold) and its SQLite baseline.
usage: ab.py ROUNDS CHECKOUT_A CHECKOUT_B"""
import os, sys, shutil, subprocess, statistics, re, time
sys.path.insert(0, "/work/wt-hist8/bench")
import bench_merge_honest as bm
rounds, A, B = int(sys.argv[1]), sys.argv[2], sys.argv[3]
D = "/tmp/bench/merge-large-real-2704d3c6c3d7/"
own_b, a50 = D + "office_b.db", D + "office_a_50pct_export.db"
work = "/tmp/hist8-work/ab"
res = {"A": [], "B": [], "sqlA": [], "sqlB": []}
def run(code, checkout, office, mode):
    dst = work + "/office_b.db"
    if os.path.exists(dst): os.unlink(dst)
    shutil.copyfile(own_b, dst); os.sync()
    env = dict(os.environ, PMQA_DATA_DIR=work + "/data", PMQA_SETTINGS_DIR=work + "/settings", PMQA_CACHE_DIR=work + "/cache",
               PYTHONPATH=checkout + "/src", QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(["nice", "-n", "5", "/work/wt-hist8/.venv/bin/python", "-c", code, dst, a50, "/work/wt-hist8/bench", office, mode],
                         env=env, capture_output=True, text=True, timeout=900)
    if out.returncode: raise SystemExit(out.stderr[-3000:])
    v = dict(re.findall(r"^(seconds|cpu_s|rss)=([\d.]+)", out.stdout, re.M))
    return float(v["seconds"]), float(v["cpu_s"]), float(v["rss"]), os.getloadavg()[0]
for i in range(rounds):
    order = [("A", A), ("B", B)] if i % 2 == 0 else [("B", B), ("A", A)]
    for name, co in order:
        if i % 2 == 0:
            res["sql" + name].append(run(bm.SQLITE_COPY, co, bm.OFFICE_A, "")); res[name].append(run(bm.MERGE, co, bm.OFFICE_B, "cold"))
        else:
            res[name].append(run(bm.MERGE, co, bm.OFFICE_B, "cold")); res["sql" + name].append(run(bm.SQLITE_COPY, co, bm.OFFICE_A, ""))
        print(i, name, "merge", res[name][-1], "sqlite", res["sql" + name][-1], flush=True)
def med(xs): return f"{statistics.median(xs):.2f} ({min(xs):.2f}-{max(xs):.2f})"
for name in ("A", "B"):
    m, s = res[name], res["sql" + name]
    ratios = [x[0] / y[0] for x, y in zip(m, s)]
    print(f"{name}: merge {med([x[0] for x in m])} cpu {med([x[1] for x in m])} rss {med([x[2] for x in m])} | sqlite {med([x[0] for x in s])} cpu {med([x[1] for x in s])} | ratio of medians {statistics.median([x[0] for x in m]) / statistics.median([x[0] for x in s]):.2f} per-pair {med(ratios)}")
shutil.rmtree(work + "/data", ignore_errors=True)
