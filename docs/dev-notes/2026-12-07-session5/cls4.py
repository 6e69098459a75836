import sqlite3, time, sys, importlib
sys.path.insert(0,"/work/main/src")
M = importlib.import_module("pmqa_desktop.core.sharing.merge")
from pmqa_desktop.core.storage import schema
table="weekly_activity"; t=schema.SYNCED_TABLES.index(table)
q=M._classify_sql(t,table,flagged=True)
c=sqlite3.connect("file:/tmp/bench/merge-large-real-2704d3c6c3d7/office_b.db?mode=ro",uri=True)
c.execute("attach 'file:/tmp/bench/merge-large-real-2704d3c6c3d7/office_a_10pct_export.db?mode=ro' as inc")
c.execute("pragma main.cache_size=-2048"); c.execute("pragma inc.cache_size=-2048")
variants={
 "full": q,
 "no theirs probe": q.replace("EXISTS(SELECT 1 FROM inc.history h WHERE h.rev = l.rev)", "1"),
 "no probes": q.replace("EXISTS(SELECT 1 FROM inc.history h WHERE h.rev = l.rev)", "1").replace("EXISTS(SELECT 1 FROM main.history h WHERE h.rev = i.rev)","0"),
 "join only": "SELECT i.rowid, x.rowid FROM inc.weekly_activity i LEFT JOIN main.weekly_activity x ON x.rowid = i.rowid WHERE (x.id IS NOT i.id OR x.rev IS NOT i.rev)",
 "join+cols": "SELECT i.rowid, x.rowid, i.updated_at, i.office, i.rev, x.updated_at, x.office, x.rev, i.row_id, x.row_id FROM inc.weekly_activity i LEFT JOIN main.weekly_activity x ON x.rowid = i.rowid WHERE (x.id IS NOT i.id OR x.rev IS NOT i.rev)",
}
for rnd in range(2):
  for k,v in variants.items():
    t0=time.perf_counter(); c0=time.process_time(); r=c.execute(v).fetchall(); print(f"{k:18s} {time.perf_counter()-t0:.3f}/{time.process_time()-c0:.3f} {len(r)}")
