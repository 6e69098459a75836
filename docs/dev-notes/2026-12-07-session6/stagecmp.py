import os, sys, shutil, tempfile, sqlite3, hashlib
os.makedirs("/tmp/s6/rw", exist_ok=True)
os.environ.setdefault("PMQA_DATA_DIR", tempfile.mkdtemp(prefix="d-", dir="/tmp/s6/rw"))
from pathlib import Path
SRC = Path("/tmp/bench/pmqa_bench_rollup")
from pmqa_desktop.core.storage.store import Actor, Store
from pmqa_desktop.core.sharing import folder as F
real = F.merge
def spy(store, path, *a, **k):
    if k.get("staged"):
        shutil.copy(path, "/tmp/s6/staging_copy.db")
    return real(store, path, *a, **k)
F.merge = spy
work = Path(tempfile.mkdtemp(prefix="roll-", dir="/tmp/s6/rw"))
received = work / "received"; received.mkdir()
n = int(sys.argv[1]) if len(sys.argv) > 1 else 35
for f in sorted(SRC.glob("agency*.db"))[:n]:
    os.symlink(f, received / f.name)
target = work / "province.db"
shutil.copy(SRC / "province.db", target)
Store.open(target, Actor("สำนักงานจังหวัด", "clerk")).close()
store = Store.open(target, Actor("สำนักงานจังหวัด", "clerk"))
F.merge_folder(store, received, dry_run=True)
F.merge_folder(store, received)
store.close()
shutil.copy(target, "/tmp/s6/final.db")
shutil.rmtree(work)
a = sqlite3.connect("/tmp/s6/final.db"); b = sqlite3.connect("/tmp/s6/staging_copy.db")
tabs = [r[0] for r in a.execute("select name from sqlite_master where type='table' order by name")]
tabsb = [r[0] for r in b.execute("select name from sqlite_master where type='table' order by name")]
print("tables only in final", set(tabs)-set(tabsb), "only in staging", set(tabsb)-set(tabs))
for t in tabs:
    def dig(c, byrow):
        h = hashlib.sha256(); n = 0
        cols = [r[1] for r in c.execute(f"pragma table_info({t})")]
        order = "rowid" if byrow else ",".join(f'"{x}"' for x in cols)
        try:
            for row in c.execute(f'select {"rowid," if byrow else ""} * from "{t}" order by {order}'):
                h.update(repr(row).encode()); n += 1
        except sqlite3.Error as e:
            return str(e), 0
        return h.hexdigest()[:12], n
    da, db = dig(a, False), dig(b, False)
    ra, rb = dig(a, True), dig(b, True)
    print(f"{t:30s} content {'SAME' if da==db else 'DIFF'} {da[1]} {db[1]}   rowids {'SAME' if ra==rb else 'DIFF'}")
for k in ("user_version", "application_id", "page_size", "freelist_count", "page_count"):
    print(k, a.execute(f"pragma {k}").fetchone(), b.execute(f"pragma {k}").fetchone())
