"""usage: clerkdig.py CHECKOUT 10|50 -> digests of the clerk's merge (10: preview+apply, 50: cold merge)"""
import sys, shutil, os, hashlib, sqlite3, tempfile, time
sys.path.insert(0, sys.argv[1] + "/src")
os.environ["PMQA_DATA_DIR"] = tempfile.mkdtemp(prefix="dig-data-", dir="/tmp/s6/rw")
from pmqa_desktop.core.sharing import merge
from pmqa_desktop.core.storage.store import Actor, Store
from pmqa_desktop.core.storage import schema
B = "/tmp/bench/merge-large-real-2704d3c6c3d7/"
target = f"/tmp/s6/rw/dig-{os.getpid()}.db"
shutil.copyfile(B + "office_b.db", target)
inc = B + ("office_a_10pct_export.db" if sys.argv[2] == "10" else "office_a_50pct_export.db")
s = Store.open(target, Actor("สำนักงานเกษตรจังหวัด", "clerk"))
t = time.perf_counter()
reps = []
if sys.argv[2] == "10":
    reps.append(merge(s, inc, dry_run=True))
    reps.append(merge(s, inc))
else:
    reps.append(merge(s, inc, backup=False))
el = time.perf_counter() - t
h = hashlib.sha256()
for r in reps:
    for line in r.lines():
        h.update(line.encode())
    h.update(repr((sorted((c.table, c.row_id, c.kept_rev, c.other_rev, c.incoming_won, c.group, c.source, c.fields) for c in r.conflicts),
                   r.history_added, r.rows_taken, r.versions_kept_aside, r.same_both, r.applied)).encode())
rep = h.hexdigest()[:16]
s.close()
conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
h = hashlib.sha256()
for t_ in schema.SYNCED_TABLES:
    for row in conn.execute(f"SELECT * FROM {t_} ORDER BY id"):
        h.update(repr(row).encode())
for row in conn.execute("SELECT rev, table_name, row_id, parent_rev, data, updated_at, office, clerk, deleted FROM history ORDER BY rev"):
    h.update(repr(row).encode())
for row in conn.execute("SELECT table_name, row_id, kept_rev, other_rev, source, fields, resolved FROM conflict ORDER BY table_name, row_id, kept_rev, other_rev, source"):
    h.update(repr(row).encode())
f = hashlib.sha256()
for row in conn.execute("SELECT rowid, text FROM search_index ORDER BY rowid"):
    f.update(repr(row).encode())
print(f"{sys.argv[2]}% seconds={el:.2f} report={rep} file={h.hexdigest()[:16]} find={f.hexdigest()[:16]}")
conn.close()
os.unlink(target)
shutil.rmtree(os.environ["PMQA_DATA_DIR"], ignore_errors=True)
