"""Folder roll-up timing: python rollup4-roll.py OUT_DIGEST [--prof] [--find]  (run with the venv of the checkout
to test). --prof: SQL CPU by statement, thread time (the main thread's own); --find: also digests of find's index."""
import os
os.makedirs("/tmp/s5/rw", exist_ok=True)
import os, sys, time, shutil, tempfile, hashlib, sqlite3, collections, re
os.environ.setdefault("PMQA_DATA_DIR", tempfile.mkdtemp(prefix="pmqa-roll-data-", dir="/tmp/s5/rw"))
from pathlib import Path
SRC = Path("/tmp/bench/pmqa_bench_rollup")
prof = "--prof" in sys.argv
stats = collections.defaultdict(lambda: [0, 0.0, 0.0])
PHASE = ["pre"]
if prof:
    _connect = sqlite3.connect
    def norm(sql):
        s = re.sub(r"\s+", " ", sql).strip()
        return s[:150]
    class TC(sqlite3.Connection):
        def execute(self, sql, *a):
            c0, t0 = time.thread_time(), time.perf_counter()
            try:
                return super().execute(sql, *a)
            finally:
                st = stats[PHASE[0] + " " + norm(sql)]; st[0] += 1; st[1] += time.thread_time() - c0; st[2] += time.perf_counter() - t0
        def executemany(self, sql, *a):
            c0, t0 = time.thread_time(), time.perf_counter()
            try:
                return super().executemany(sql, *a)
            finally:
                st = stats[PHASE[0] + " MANY " + norm(sql)]; st[0] += 1; st[1] += time.thread_time() - c0; st[2] += time.perf_counter() - t0
    def connect(*a, **k):
        k.setdefault("factory", TC)
        return _connect(*a, **k)
    sqlite3.connect = connect
from pmqa_desktop.core.storage.store import Actor, Store
from pmqa_desktop.core.storage import schema
from pmqa_desktop.core.sharing.folder import merge_folder
import pmqa_desktop
print("code:", pmqa_desktop.__file__)
work = Path(tempfile.mkdtemp(prefix="roll-", dir="/tmp/s5/rw"))
try:
    received = work / "received"; received.mkdir()
    for f in sorted(SRC.glob("agency*.db")):
        os.symlink(f, received / f.name)
    target = work / "province.db"
    shutil.copy(SRC / "province.db", target)
    Store.open(target, Actor("สำนักงานจังหวัด", "clerk")).close()
    store = Store.open(target, Actor("สำนักงานจังหวัด", "clerk"))
    t0, c0, m0 = time.perf_counter(), time.process_time(), time.thread_time()
    pre = merge_folder(store, received, dry_run=True)
    t1, c1 = time.perf_counter(), time.process_time()
    PHASE[0] = "APPLY"
    done = merge_folder(store, received)
    PHASE[0] = "close"
    t2, c2, m2 = time.perf_counter(), time.process_time(), time.thread_time()
    assert done.applied
    store.close()
    import resource; RSS = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10
    print(f"RESULT wall={t2-t0:.2f} cpu={c2-c0:.2f} main={m2-m0:.2f} preview_wall={t1-t0:.2f} preview_cpu={c1-c0:.2f} "
          f"apply_wall={t2-t1:.2f} apply_cpu={c2-c1:.2f} load={os.getloadavg()[0]:.2f} rss={RSS}")
    # digest: report lines and the final file
    h = hashlib.sha256()
    for line in pre.lines() + done.lines():
        h.update(line.encode()); h.update(b"\n")
    for r in pre.files:
        h.update(repr((r.source.name, sorted((k, g.label, sorted((t, vars(c)) for t, c in g.tables.items())) for k, g in r.groups.items()),
                       sorted((c.table, c.row_id, c.kept_rev, c.other_rev, c.incoming_won, c.group, c.source, c.fields) for c in r.conflicts),
                       r.history_added, r.rows_taken, r.versions_kept_aside, r.same_both, repr(r.settled))).encode())
    rep = h.hexdigest()[:16]
    conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    h = hashlib.sha256()
    for t in (*schema.SYNCED_TABLES,):
        for row in conn.execute(f"SELECT * FROM {t} ORDER BY id"):
            h.update(repr(row[:]).encode())
    for row in conn.execute("SELECT rev, table_name, row_id, parent_rev, data, updated_at, office, clerk, deleted FROM history ORDER BY rev"):
        h.update(repr(row).encode())
    for row in conn.execute("SELECT table_name, row_id, kept_rev, other_rev, source, fields, resolved FROM conflict ORDER BY table_name, row_id, kept_rev, other_rev, source"):
        h.update(repr(row).encode())
    print(f"DIGEST report={rep} file={h.hexdigest()[:16]} conflicts={conn.execute('select count(*) from conflict').fetchone()[0]}")
    for tb in ("search_index_content", "search_index_data", "search_index_idx", "search_index_config") if "--find" in sys.argv else ():
        hh = hashlib.sha256()
        for row in conn.execute(f"SELECT * FROM {tb} ORDER BY 1, 2"):
            hh.update(repr(row).encode())
        print("FIND", tb, hh.hexdigest()[:16], conn.execute(f"SELECT count(*) FROM {tb}").fetchone()[0])
    conn.close()
finally:
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(os.environ['PMQA_DATA_DIR'], ignore_errors=True)   # (its backup: 34 MB a run)
if prof:
    tot = sum(v[1] for v in stats.values())
    print(f"SQL CPU total {tot:.2f}")
    for k, v in sorted(stats.items(), key=lambda kv: -kv[1][1])[:int(os.environ.get('TOP', 45))]:
        print(f"{v[1]:7.3f} {v[2]:7.3f} {v[0]:6d}  {k}")
