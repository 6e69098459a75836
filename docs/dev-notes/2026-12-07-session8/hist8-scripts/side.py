import sqlite3, time, sys, os
B = "/tmp/bench/merge-large-real-2704d3c6c3d7/"
names = "'calendar_step','calendar_cell','weekly_row','weekly_activity','fiscal_year','organisation','dev_plan'"
cols = "rev, table_name, row_id, parent_rev, data, updated_at, office, clerk, deleted"
for order in sys.argv[1:]:
    p = f"/tmp/hist8-work/side-{order}.db"
    if os.path.exists(p): os.unlink(p)
    t = time.perf_counter(); ct = time.thread_time()
    c = sqlite3.connect(p, isolation_level=None)
    c.execute("PRAGMA journal_mode=OFF"); c.execute("PRAGMA synchronous=OFF"); c.execute("PRAGMA temp_store=MEMORY")
    c.execute("ATTACH ? AS inc", ("file:" + B + "office_a_50pct_export.db?mode=ro",))
    c.execute(f"CREATE TABLE h AS SELECT {cols} FROM inc.history NOT INDEXED WHERE table_name IN ({names}) ORDER BY {order}")
    c.close()
    print(order, "side build wall", round(time.perf_counter()-t,3), "cpu", round(time.thread_time()-ct,3), os.path.getsize(p))
