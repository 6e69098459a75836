"""usage: threads.py CHECKOUT -> cold 50% merge with per-thread CPU sampled every 100 ms"""
import sys, shutil, os, tempfile, time, threading
sys.path.insert(0, sys.argv[1] + "/src")
os.environ["PMQA_DATA_DIR"] = tempfile.mkdtemp(prefix="thr-data-", dir="/tmp/hist8-work/run")
from pmqa_desktop.core.sharing import merge
from pmqa_desktop.core.storage.store import Actor, Store
B = "/tmp/bench/merge-large-real-2704d3c6c3d7/"
target = f"/tmp/hist8-work/run/thr-{os.getpid()}.db"
shutil.copyfile(B + "office_b.db", target)
os.sync()
inc = B + "office_a_50pct_export.db"
tick = os.sysconf("SC_CLK_TCK")
samples = []
stop = False
def cpu_of_threads():
    out = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            st = open(f"/proc/self/task/{tid}/stat").read()
            name = NAMES.get(int(tid), st[st.index("(") + 1:st.rindex(")")])
            f = st[st.rindex(")") + 2:].split()
            out[(tid, name)] = (int(f[11]) + int(f[12])) / tick
        except OSError:
            pass
    return out
NAMES = {}
def sampler():
    while not stop:
        for t in threading.enumerate(): NAMES[t.native_id] = t.name
        samples.append((time.perf_counter(), cpu_of_threads(), os.getloadavg()[0], int(open("/proc/self/io").read().split("read_bytes: ")[1].split()[0])))
        time.sleep(0.1)
s = Store.open(target, Actor("สำนักงานเกษตรจังหวัด", "clerk"))
th = threading.Thread(target=sampler, daemon=True); th.start()
t0 = time.perf_counter(); c0 = time.process_time()
r = merge(s, inc, backup=False)
el = time.perf_counter() - t0; cpu = time.process_time() - c0
stop = True; th.join()
s.close()
import resource
tot = {}
for k, v in samples[-1][1].items():
    tot[k[1]] = tot.get(k[1], 0) + v - samples[0][1].get(k, 0)
print(f"{sys.argv[1][-6:]} seconds={el:.2f} cpu={cpu:.2f} rss={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024:.0f} load={os.getloadavg()[0]:.2f} " + " ".join(f"{n}={v:.2f}" for n, v in sorted(tot.items()) if v > 0.02))
# per 0.5 s bucket: cpu of each thread name

prev = samples[0][1]; rb0 = samples[0][3]
bucket, acc = 0, {}
rows = []
for t, d, l, rb in samples[1:]:
    b = int((t - t0) / 0.5)
    for k, v in d.items():
        acc.setdefault(b, {}).setdefault(k[1], 0.0)
        acc[b][k[1]] += v - prev.get(k, 0)
    acc[b]["~readMB"] = (rb - rb0) / 1e6
    prev = d
per = {}
for b in acc:
    for n, v in acc[b].items(): per[n] = per.get(n, 0) + v
print("   threads: " + " ".join(f"{n}={v:.2f}" for n, v in sorted(per.items()) if v > 0.02 and not n.startswith("~")))
for b in sorted(acc) if os.environ.get("BUCKETS") else []:
    print(f"{b*0.5:5.1f}s " + " ".join(f"{n}={v:.2f}" for n, v in sorted(acc[b].items()) if v > 0.005))
os.unlink(target)
shutil.rmtree(os.environ["PMQA_DATA_DIR"], ignore_errors=True)
