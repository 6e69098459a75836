"""Per-statement timing of the clerk's merge. usage: sqlprof.py CHECKOUT MODE"""
import os, shutil, subprocess, sys, tempfile
from pathlib import Path
checkout, mode = sys.argv[1], sys.argv[2]
B = Path("/tmp/bench/merge-large-real-2704d3c6c3d7")
inc = B / ("office_a_10pct_export.db" if mode == "clerk" else "office_a_50pct_export.db")
work = Path(tempfile.mkdtemp(prefix="clerkrun-", dir="/tmp/hist8-work/run"))
CODE = r'''
import sys, time, re, collections
from pmqa_desktop.core.sharing import merge
from pmqa_desktop.core.storage.store import Actor, Store
stats = collections.defaultdict(lambda: [0, 0.0, 0.0])
phase = ["?"]
plans = {}
tl = []
T0 = [time.perf_counter()]
class Cur:
    pass
class P:
    def __init__(self, c): self.__dict__["_c"] = c
    def __getattr__(self, n): return getattr(self._c, n)
    def __setattr__(self, n, v): setattr(self._c, n, v)
    def _t(self, fn, sql, *a):
        t, c = time.perf_counter(), time.thread_time()
        r = fn(sql, *a)
        k = phase[0] + " | " + re.sub(r"\s+", " ", sql)[:230]
        s = stats[k]; s[0] += 1; s[1] += time.perf_counter() - t; s[2] += time.thread_time() - c
        if time.perf_counter() - t > 0.03: tl.append((t - T0[0], time.perf_counter() - t, time.thread_time() - c, k[:110]))
        return r
    def execute(self, sql, *a):
        k = re.sub(r"\s+", " ", sql)[:230]
        if k not in plans and sql.lstrip()[:6].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH "):
            try: plans[k] = [r[-1] for r in self._c.execute("EXPLAIN QUERY PLAN " + sql, *a)]
            except Exception as e: plans[k] = [str(e)]
        return self._t(self._c.execute, sql, *a)
    def executemany(self, sql, *a): return self._t(self._c.executemany, sql, *a)
store = Store.open(sys.argv[1], Actor(sys.argv[3], "clerk"))
import importlib; M = importlib.import_module("pmqa_desktop.core.sharing.merge")
if hasattr(M, "_SortedHistory"):
    _ci = M._SortedHistory.copy_into
    _run = M._SortedHistory._run
    def copy_into(self, conn):
        t = time.perf_counter(); self.thread.join(); print(f"join wait {time.perf_counter()-t:.3f} at {t-T0[0]:.3f}")
        return _ci(self, conn)
    def run(self):
        t = time.perf_counter(); c = time.thread_time(); _run(self); print(f"side start {t-T0[0]:.3f} wall {time.perf_counter()-t:.3f} cpu {time.thread_time()-c:.3f} ok {self.ok}")
    M._SortedHistory.copy_into = copy_into; M._SortedHistory._run = run
store.conn = P(store.conn)
try:
    t0, c0 = time.perf_counter(), time.process_time(); T0[0] = t0
    if sys.argv[4] == "clerk":
        phase[0] = "preview"
        merge(store, sys.argv[2], dry_run=True)
        t1 = time.perf_counter()
        phase[0] = "apply"
        merge(store, sys.argv[2])
    else:
        phase[0] = "cold"
        merge(store, sys.argv[2], backup=False)
    mt = time.thread_time()
    print("MERGE_SQL wall %.3f cpu %.3f mainthread_cpu %.3f" % (sum(v[1] for v in stats.values()), sum(v[2] for v in stats.values()), mt))
    H = [v for k, v in stats.items() if "INTO main.history" in k and "SELECT rev, table_name" in k]
    print("HIST", H)
    print(f"seconds={time.perf_counter() - t0:.3f} cpu_s={time.process_time() - c0:.3f}")
finally:
    store.close()
for k, (n, w, c) in sorted(stats.items(), key=lambda kv: -kv[1][1])[:12]:
    print(f"{w:7.3f} {c:7.3f} {n:5d}  {k}")
for x in tl: print("TL %6.3f %6.3f %6.3f %s" % x)
for k, (n, w, c) in sorted(stats.items(), key=lambda kv: -kv[1][1])[:0]:
    print(f"{w:7.3f} {k[:150]}"); [print("      ", x) for x in plans.get(k.split(" | ",1)[1], [])]
print("total execute wall", sum(v[1] for v in stats.values()), "cpu", sum(v[2] for v in stats.values()))
'''
try:
    dst = work / "office_b.db"
    shutil.copyfile(B / "office_b.db", dst)
    os.sync()
    env = dict(os.environ, PYTHONPATH=f"{checkout}/src", PMQA_DATA_DIR=str(work / "data"),
               PMQA_SETTINGS_DIR=str(work / "settings"), PMQA_CACHE_DIR=str(work / "cache"))
    out = subprocess.run([f"{checkout}/.venv/bin/python", "-c", CODE, str(dst), str(inc), "สำนักงานเกษตรจังหวัด", mode],
                         env=env, capture_output=True, text=True)
    print(out.stdout[-30000:], out.stderr[-3000:])
    print(f"load={os.getloadavg()[0]:.2f}")
finally:
    shutil.rmtree(work, ignore_errors=True)
