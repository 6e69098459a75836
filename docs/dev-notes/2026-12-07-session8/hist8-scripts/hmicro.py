import sqlite3, shutil, time, sys, os
B = "/tmp/bench/merge-large-real-2704d3c6c3d7/"
mode = sys.argv[1]
db = "/tmp/hist8-work/h.db"
shutil.copyfile(B + "office_b.db", db)
c = sqlite3.connect(db, isolation_level=None)
c.execute("PRAGMA cache_size=-%s" % (sys.argv[2] if len(sys.argv) > 2 else "98304")); c.execute("PRAGMA journal_mode=DELETE"); c.execute("PRAGMA synchronous=FULL")
c.execute("ATTACH ? AS inc", ("file:" + B + "office_a_50pct_export.db?mode=ro",))
c.execute("PRAGMA inc.cache_size=-8192")
c.execute("PRAGMA temp_store=MEMORY")
cols = "rev, table_name, row_id, parent_rev, data, updated_at, office, clerk, deleted"
hcols = ", ".join("h." + x.strip() for x in cols.split(","))
names = "'calendar_step','calendar_cell','weekly_row','weekly_activity','fiscal_year','organisation','dev_plan'"
base = f"FROM inc.history h NOT INDEXED WHERE h.table_name IN ({names})"
t = time.perf_counter(); ct = time.thread_time(); pt0 = time.process_time()
c.execute("BEGIN")
if mode == "plain":
    n = c.execute(f"INSERT OR IGNORE INTO main.history ({cols}) SELECT {hcols} {base}").rowcount
elif mode == "rev":
    n = c.execute(f"INSERT OR IGNORE INTO main.history ({cols}) SELECT {hcols} {base} ORDER BY h.rev").rowcount
elif mode == "row":
    n = c.execute(f"INSERT OR IGNORE INTO main.history ({cols}) SELECT {hcols} {base} ORDER BY h.table_name, h.row_id").rowcount
elif mode == "noix":
    c.execute("DROP INDEX main.ix_history_row")
    n = c.execute(f"INSERT OR IGNORE INTO main.history ({cols}) SELECT {hcols} {base}").rowcount
elif mode == "revnoix":
    c.execute("DROP INDEX main.ix_history_row")
    n = c.execute(f"INSERT OR IGNORE INTO main.history ({cols}) SELECT {hcols} {base} ORDER BY h.rev").rowcount
elif mode == "dropcreate":
    c.execute("DROP INDEX main.ix_history_row")
    n = c.execute(f"INSERT OR IGNORE INTO main.history ({cols}) SELECT {hcols} {base}").rowcount
    c.execute("CREATE INDEX ix_history_row ON history(table_name, row_id)")
elif mode in ("rowthr", "revthr"):
    c.execute("PRAGMA threads=2")
    n = c.execute(f"INSERT OR IGNORE INTO main.history ({cols}) SELECT {hcols} {base} ORDER BY " + ("h.table_name, h.row_id" if mode == "rowthr" else "h.rev")).rowcount
elif mode == "rowix":
    n = c.execute(f"INSERT OR IGNORE INTO main.history ({cols}) SELECT {hcols} FROM inc.history h INDEXED BY ix_history_row WHERE h.table_name IN ({names}) ORDER BY h.table_name, h.row_id").rowcount
elif mode.startswith("side"):
    which = {"siderow": "table_name, row_id, rowid", "siderev": "rev", "sideplain": "rowid"}[mode]
    c.execute("ATTACH ? AS s", (f"/tmp/hist8-work/side-{which}.db",))
    n = c.execute(f"INSERT OR IGNORE INTO main.history ({cols}) SELECT {hcols} FROM s.h h ORDER BY rowid").rowcount
elif mode == "selectonly":
    n = c.execute(f"SELECT count(*), sum(length(data)) {base}").fetchone()[0]
elif mode == "selectrev":
    n = c.execute(f"SELECT count(*), sum(length(data)) FROM (SELECT {hcols} {base} ORDER BY h.rev)").fetchone()[0]
t2 = time.perf_counter(); ct2 = time.thread_time(); pt = time.process_time()
c.execute("COMMIT")
print(f"{mode:10s} n={n} insert wall={t2 - t:.3f} cpu={ct2-ct:.3f} proc={pt-pt0:.3f} commit={time.perf_counter() - t2:.3f}", flush=True)
c.close()
os.unlink(db)
