import sqlite3, time, sys, importlib
sys.path.insert(0,"/work/main/src")
M = importlib.import_module("pmqa_desktop.core.sharing.merge")
from pmqa_desktop.core.storage import schema
c=sqlite3.connect("file:/tmp/bench/merge-large-real-2704d3c6c3d7/office_b.db?mode=ro",uri=True)
c.execute("attach 'file:/tmp/s5/a.db?mode=ro' as inc")
for db in ("main","inc"): c.execute(f"pragma {db}.cache_size=-2048")
table="weekly_activity"; t=schema.SYNCED_TABLES.index(table)
q=M._classify_sql(t,table,flagged=True)
qi=q.replace(f"FROM inc.{table} i LEFT JOIN", f"FROM inc.{table} i LEFT JOIN").replace(
        "WHERE (x.id IS NOT i.id", f"WHERE i.rowid IN (SELECT rowid FROM inc.{table} INDEXED BY ix_{table}_at WHERE updated_at > '2026-12-07T10:16') AND (x.id IS NOT i.id")
for rnd in range(3):
    for k,v in (("full",q),("changed, rowid order",qi)):
        t0=time.perf_counter(); c0=time.process_time(); r=c.execute(v).fetchall(); print(f"{k:22s} {time.perf_counter()-t0:.3f}/{time.process_time()-c0:.3f} {len(r)}")
for r in c.execute("explain query plan "+qi): print(r)
