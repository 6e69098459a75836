import sqlite3, time, sys, importlib
sys.path.insert(0,"/work/main/src")
M = importlib.import_module("pmqa_desktop.core.sharing.merge")
from pmqa_desktop.core.storage import schema
c=sqlite3.connect("file:/tmp/bench/merge-large-real-2704d3c6c3d7/office_b.db?mode=ro",uri=True)
c.execute("attach 'file:/tmp/s5/a.db?mode=ro' as inc")
for db in ("main","inc"): c.execute(f"pragma {db}.cache_size=-2048")
def T(label, q, n=3):
    ts=[]
    for k in range(n):
        t0=time.perf_counter(); r=c.execute(q).fetchall(); ts.append(time.perf_counter()-t0)
    print(label, f"{min(ts):.3f}", len(r))
tot_full=tot_inc=0
for table in ("weekly_activity","calendar_step","calendar_cell","weekly_row"):
    t=schema.SYNCED_TABLES.index(table)
    q=M._classify_sql(t,table,flagged=True)
    T(table+" full", q)
    qi=q.replace(f"FROM inc.{table} i LEFT JOIN", f"FROM inc.{table} i INDEXED BY ix_{table}_at LEFT JOIN").replace("LIMIT -1", "").replace(
        "WHERE (x.id IS NOT i.id", "WHERE i.updated_at > '2026-12-07T10:16' AND (x.id IS NOT i.id") + ""
    T(table+" changed only", qi)
