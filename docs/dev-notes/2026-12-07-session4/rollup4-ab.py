"""In-process A/B: the folder roll-up with the check thread's look-ups off (as main) and on, alternated."""
import os
os.makedirs("/tmp/rollup4-work", exist_ok=True)
import os, sys, time, shutil, tempfile
os.environ.setdefault("PMQA_DATA_DIR", tempfile.mkdtemp(prefix="pmqa-ab-data-", dir="/tmp/rollup4-work"))
from pathlib import Path
SRC = Path("/tmp/bench-rollup/pmqa_bench_rollup")
from pmqa_desktop.core.storage.store import Actor, Store
import pmqa_desktop.core.sharing.folder as F
REAL = F._Added
class Off:
    def __init__(self, ours): pass
    def look(self, copy): return None
    def close(self): pass
def run(on):
    F._Added = REAL if on else Off
    work = Path(tempfile.mkdtemp(prefix="ab-", dir="/tmp/rollup4-work"))
    try:
        received = work / "received"; received.mkdir()
        for f in sorted(SRC.glob("agency*.db")):
            os.symlink(f, received / f.name)
        target = work / "province.db"
        shutil.copy(SRC / "province.db", target)
        Store.open(target, Actor("สำนักงานจังหวัด", "clerk")).close()
        store = Store.open(target, Actor("สำนักงานจังหวัด", "clerk"))
        t0, c0, m0 = time.perf_counter(), time.process_time(), time.thread_time()
        F.merge_folder(store, received, dry_run=True)
        t1, m1 = time.perf_counter(), time.thread_time()
        done = F.merge_folder(store, received)
        t2, c2, m2 = time.perf_counter(), time.process_time(), time.thread_time()
        assert done.applied
        store.close()
        return t2 - t0, c2 - c0, m2 - m0, t1 - t0, m1 - m0
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(os.environ["PMQA_DATA_DIR"], ignore_errors=True)
        os.makedirs(os.environ["PMQA_DATA_DIR"], exist_ok=True)
res = {False: [], True: []}
for i in range(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
    for on in ((False, True) if i % 2 == 0 else (True, False)):
        r = run(on); res[on].append(r)
        print(f"{time.strftime('%H:%M:%S')} {'on ' if on else 'off'} wall={r[0]:.2f} cpu={r[1]:.2f} main={r[2]:.2f} "
              f"preview_wall={r[3]:.2f} preview_main={r[4]:.2f} load={os.getloadavg()[0]:.2f}", flush=True)
import statistics as st
for on in (False, True):
    rs = res[on]
    print("on " if on else "off", "median wall %.2f cpu %.2f main %.2f preview_main %.2f" % tuple(st.median(r[k] for r in rs) for k in (0, 1, 2, 4)))
shutil.rmtree(os.environ["PMQA_DATA_DIR"], ignore_errors=True)
