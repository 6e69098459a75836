import sqlite3, shutil, time, sys
B = "/tmp/bench/merge-large-real-2704d3c6c3d7/"
mode = sys.argv[1]
shutil.copyfile(B + "office_b.db", "/tmp/s6/h.db")
c = sqlite3.connect("/tmp/s6/h.db", isolation_level=None)
c.execute("PRAGMA cache_size=-98304"); c.execute("PRAGMA journal_mode=PERSIST"); c.execute("PRAGMA synchronous=FULL")
c.execute("ATTACH ? AS inc", ("file:" + B + "office_a_50pct_export.db?mode=ro",))
c.execute("PRAGMA inc.cache_size=-8192")
cols = "rev, table_name, row_id, parent_rev, data, updated_at, office, clerk, deleted"
t = time.perf_counter()
c.execute("BEGIN")
if mode == "plain":
    n = c.execute(f"INSERT OR IGNORE INTO main.history ({cols}) SELECT {cols} FROM inc.history h WHERE h.table_name IN ('weekly_activity','calendar_step','calendar_cell','weekly_row')").rowcount
elif mode == "dropix":
    c.execute("DROP INDEX main.ix_history_row")
    n = c.execute(f"INSERT OR IGNORE INTO main.history ({cols}) SELECT {cols} FROM inc.history h WHERE h.table_name IN ('weekly_activity','calendar_step','calendar_cell','weekly_row')").rowcount
    t1 = time.perf_counter()
    c.execute("CREATE INDEX ix_history_row ON history(table_name, row_id)")
    print("  index build", round(time.perf_counter() - t1, 3))
elif mode == "newonly":
    n = c.execute(f"INSERT INTO main.history ({cols}) SELECT {cols} FROM inc.history h WHERE h.table_name IN ('weekly_activity','calendar_step','calendar_cell','weekly_row') AND NOT EXISTS (SELECT 1 FROM main.history m WHERE m.rev = h.rev) ORDER BY h.table_name, h.row_id").rowcount
t2 = time.perf_counter()
c.execute("COMMIT")
print(mode, n, "insert", round(t2 - t, 3), "commit", round(time.perf_counter() - t2, 3))
c.close()
