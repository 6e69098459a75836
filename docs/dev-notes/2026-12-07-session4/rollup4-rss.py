import os
os.makedirs("/tmp/rollup4-work", exist_ok=True)
import os, sys, shutil, tempfile
os.environ.setdefault("PMQA_DATA_DIR", tempfile.mkdtemp(prefix="pmqa-rss-data-", dir="/tmp/rollup4-work"))
from pathlib import Path
SRC = Path("/tmp/bench-rollup/pmqa_bench_rollup")
from pmqa_desktop.core.storage.store import Actor, Store
import pmqa_desktop.core.sharing.folder as F
if sys.argv[1] == "off":
    class Off:
        def __init__(self, ours): pass
        def look(self, copy): return None
        def close(self): pass
    F._Added = Off
def hwm():
    for l in open("/proc/self/status"):
        if l.startswith("VmHWM"): return l.split()[1]
work = Path(tempfile.mkdtemp(prefix="rss-", dir="/tmp/rollup4-work"))
try:
    received = work / "received"; received.mkdir()
    for f in sorted(SRC.glob("agency*.db")):
        os.symlink(f, received / f.name)
    target = work / "province.db"
    shutil.copy(SRC / "province.db", target)
    store = Store.open(target, Actor("สำนักงานจังหวัด", "clerk"))
    F.merge_folder(store, received, dry_run=True)
    a = hwm()
    F.merge_folder(store, received)
    print(sys.argv[1], "hwm after preview", a, "kB; after apply", hwm(), "kB")
    store.close()
finally:
    shutil.rmtree(work, ignore_errors=True); shutil.rmtree(os.environ["PMQA_DATA_DIR"], ignore_errors=True)
