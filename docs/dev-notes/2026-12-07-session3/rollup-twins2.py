"""Twins query of weekly activities: parents read from each touched row (old) vs noted with the mark (new)."""
import sqlite3, time
c = sqlite3.connect("file:/tmp/pmqa_bench_large.db?mode=ro", uri=True)
c.execute("PRAGMA cache_size=-98304")
c.execute("CREATE TEMP TABLE repair_touched(tbl TEXT NOT NULL, id TEXT NOT NULL, up TEXT, PRIMARY KEY (tbl, id)) WITHOUT ROWID")
c.execute("INSERT INTO temp.repair_touched SELECT 'weekly_activity', id, row_id FROM weekly_activity WHERE row_id IN (SELECT id FROM weekly_row WHERE year_id IN (SELECT id FROM fiscal_year WHERE org_id IN (SELECT id FROM organisation WHERE name = 'ส่วนราชการที่ 5')))")
print("touched", c.execute("SELECT count(*) FROM temp.repair_touched").fetchone())
table="weekly_activity"; cols=("row_id","month","week"); parent="row_id"
on = " AND ".join(f"x.{c} IS k.{c}" for c in cols)
old_parents = (f"SELECT y.{parent} FROM temp.repair_touched t CROSS JOIN main.{table} y ON y.id = t.id WHERE t.tbl = ?1 AND y.deleted = 0")
new_parents = (f"SELECT t.up FROM temp.repair_touched t WHERE t.tbl = ?1 AND t.up IS NOT NULL UNION ALL SELECT y.{parent} "
               f"FROM temp.repair_touched t CROSS JOIN main.{table} y ON y.id = t.id WHERE t.tbl = ?1 AND t.up IS NULL AND y.deleted = 0")
def full(parents):
    twinned = (f"SELECT {', '.join('x.' + c for c in cols)} FROM main.{table} x "
               f"WHERE x.deleted = 0 AND x.{parent} IN ({parents}) "
               f"GROUP BY {', '.join('x.' + c for c in cols)} HAVING count(*) > 1")
    twinned2 = (f"SELECT * FROM ({twinned}) k WHERE EXISTS (SELECT 1 FROM main.{table} x "
                f"CROSS JOIN temp.repair_touched t ON t.tbl = ?1 AND t.id = x.id WHERE x.deleted = 0 AND {on})")
    return f"SELECT x.* FROM ({twinned2}) k CROSS JOIN main.{table} x ON {on} WHERE x.deleted = 0 ORDER BY {', '.join('x.' + c for c in cols)}, x.id"
res = {"old": [], "new": []}
for r in range(6):
    for name, q in (("old", full(old_parents)), ("new", full(new_parents))):
        t = time.process_time()
        for _ in range(5):
            n = len(c.execute(q, (table,)).fetchall())
        res[name].append((time.process_time() - t) / 5 * 1000)
for k, v in res.items():
    v.sort(); print(k, "median %.1f ms (min %.1f) rows" % (v[len(v)//2], v[0]), n)
