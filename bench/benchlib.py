"""What the benchmark scripts share: the figures' printed form, alternating measured runs with
their baseline, the realistic large file and a copy of it received from another office, timing a
program from its start to a line it prints, and peak memory.

Figures are printed one per line as ``name=value`` (``bench/run.py --json`` collects them):
``name=`` is the median, ``name_min=`` / ``name_max=`` beside it, ``name_baseline=`` (with its own
min and max) the baseline measured in the same run, alternated with the measured runs.
"""
from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

RUNS = max(5, int(os.environ.get("PMQA_BENCH_RUNS", "5")))   # medians of at least 5 runs
SEED_DIRS = (ROOT / "src" / "pmqa_desktop" / "data" / "seeds", ROOT.parent / "shared" / "seeds")
PROVINCE = "จังหวัดตัวอย่าง"       # the large file's provincial office: 2,000 calendar steps a year
LARGE_YEAR = 2569                    # its last (largest, newest) fiscal year in the large file


# ---------------------------------------------------------------- printing figures
def fmt(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def figure(name: str, values: list[float], note: str = "") -> float:
    """Print the median of ``values`` with its min and max; returns the median."""
    med = median(values)
    print(f"{name}={fmt(med)}" + (f"  ({note})" if note else ""))
    print(f"{name}_min={fmt(min(values))}")
    print(f"{name}_max={fmt(max(values))}")
    print(f"{name}_runs={len(values)}")
    return med


def ratio_figure(name: str, measured: list[float], baseline: list[float], target: float | None = None,
                 below: bool = True, note: str = "") -> float:
    """``name`` = median(measured) / median(baseline); the per-pair ratios give its min and max
    (measured run i was alternated with baseline run i)."""
    ratio = median(measured) / median(baseline)
    pairs = [m / b for m, b in zip(measured, baseline)]
    verdict = ""
    if target is not None:
        ok = ratio <= target if below else ratio >= target
        verdict = f"  target {'<=' if below else '>='}{target:g}: {'OK' if ok else 'MISSED'}"
    print(f"{name}={ratio:.2f}{verdict}" + (f"  ({note})" if note else ""))
    print(f"{name}_min={min(pairs):.2f}")
    print(f"{name}_max={max(pairs):.2f}")
    print(f"{name}_measured={fmt(median(measured))}")
    print(f"{name}_baseline={fmt(median(baseline))}")
    return ratio


def baseline_figure(name: str, values: list[float], note: str = "") -> float:
    return figure(f"{name}_baseline", values, note)


def target_line(name: str, value: float, target: float, below: bool = True, unit: str = "") -> bool:
    ok = value < target if below else value >= target
    print(f"{name}_target={'<' if below else '>='}{target:g}{unit}  {'OK' if ok else 'MISSED'}")
    return ok


def alternate(measured: Callable[[int], float], baseline: Callable[[int], float],
              runs: int = RUNS) -> tuple[list[float], list[float]]:
    """Run baseline and measured in turn (B M M B B M ...: each goes first half the time), so
    the machine's drift falls on both alike."""
    m, b = [], []
    for i in range(runs):
        if i % 2 == 0:
            b.append(baseline(i))
            m.append(measured(i))
        else:
            m.append(measured(i))
            b.append(baseline(i))
    return m, b


def percentile(values: list[float], p: float) -> float:
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(p / 100 * len(v) + 0.5)) - 1))
    return v[k]


# ---------------------------------------------------------------- processes
def bench_dir() -> Path:
    """Where generated files are kept between runs ($PMQA_BENCH_DIR, else the temp folder)."""
    d = Path(os.environ.get("PMQA_BENCH_DIR") or Path(tempfile.gettempdir()) / "pmqa-bench")
    d.mkdir(parents=True, exist_ok=True)
    return d


def child_env(data_dir: Path) -> dict:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = env.get("PMQA_BENCH_QPA", "offscreen")
    env["PMQA_DATA_DIR"] = str(data_dir / "data")
    env["PMQA_SETTINGS_DIR"] = str(data_dir / "settings")
    # the bench's own cache (compiled catalogs, files that passed their check): the user's is shared
    # by every checkout on this machine, and each one's catalogs push out the others'
    env["PMQA_CACHE_DIR"] = str(bench_dir() / "cache")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH", "")]))
    return env


def app_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "pmqa_desktop", *args]


def time_to_line(cmd: list[str], env: dict, marker: str, timeout: float = 120) -> tuple[float, str]:
    """Milliseconds from starting ``cmd`` to its printing a line containing ``marker`` (what
    the clerk waits for; the process's exit afterwards is not counted). Returns (ms, output)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen, ms = [], None
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            seen.append(line)
            if ms is None and marker in line:
                ms = (time.perf_counter() - t0) * 1000
            if time.perf_counter() - t0 > timeout:
                break
        proc.wait(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    out = "".join(seen)
    if ms is None or proc.returncode != 0:
        raise RuntimeError(f"{cmd!r} failed ({proc.returncode}):\n{out[-2000:]}")
    return ms, out


def run_python(code: str, *args: str, env: dict | None = None, timeout: float = 900) -> str:
    """Run ``code`` in a fresh Python process; returns its output (fails loudly)."""
    env = env or child_env(bench_dir())
    proc = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return proc.stdout


def values_of(output: str, name: str) -> list[float]:
    """Every ``name=value`` a child printed, in order."""
    return [float(v) for v in re.findall(rf"^{re.escape(name)}=([-0-9.eE+]+)", output, re.M)]


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux VmHWM; else getrusage)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def settle() -> None:
    """Files just copied are written out first, as a clerk's file is before he opens it."""
    if hasattr(os, "sync"):
        os.sync()


def fresh_copy(src: Path, folder: Path, name: str) -> Path:
    """A copy under a name never used before (so the program has never checked it)."""
    folder.mkdir(parents=True, exist_ok=True)
    dst = folder / name
    if dst.exists():
        dst.unlink()
    shutil.copyfile(src, dst)
    return dst


# ---------------------------------------------------------------- realistic Thai texts
_THAI = re.compile(r"[\u0e00-\u0e7f]")


def seed_texts() -> list[str]:
    """The real step, activity and criterion texts of the seed documents (cells of their Word
    tables with Thai in them), spaces taken out: Thai rows run on without spaces, and a space
    in these cells is mostly a line wrap of a narrow Word cell."""
    from pmqa_desktop.core.importers.text_tables import decode
    seen: dict[str, None] = {}
    for folder in SEED_DIRS:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.txt")):
            for line in decode(path.read_bytes()).splitlines():
                for cell in line.split("\t"):
                    cell = re.sub(r"^\s*\d+[.)]?\s*", "", cell.strip())
                    if len(cell) >= 12 and len(_THAI.findall(cell)) >= len(cell) // 2:
                        seen[re.sub(r"\s+", "", cell)] = None
    texts = list(seen)
    if len(texts) < 50:
        raise RuntimeError(f"only {len(texts)} seed texts found in {SEED_DIRS}")
    return texts


def real_texts() -> Callable[[random.Random, int], str]:
    """``texts(rnd, words)`` for ``build_large``: a real row of the seeds, joined to a second one
    when short, so rows are as long as real ones (about 60-200 characters) and rarely repeat."""
    corpus = seed_texts()
    short = [t for t in corpus if len(t) <= 40]

    def texts(rnd: random.Random, words: int) -> str:
        if words <= 3:    # a weekly-plan activity: one real cell, short ones first
            return rnd.choice(short if rnd.random() < 0.7 else corpus)
        text = rnd.choice(corpus)
        while len(text) < 60:
            text += rnd.choice(corpus)
        return text
    return texts


# ---------------------------------------------------------------- the large file
def _key(*parts: object) -> str:
    h = hashlib.sha1()
    for p in parts:
        h.update(repr(p).encode())
    for f in sorted((ROOT / "src" / "pmqa_desktop" / "core").rglob("*.py")):
        if f.name in ("demo.py", "devplan_demo.py", "schema.py"):   # what the data depends on
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


def large_file() -> Path:
    """The large file with real Thai rows: 35 agencies and their provincial office, 10 fiscal
    years each, the provincial office's calendar 2,000 steps a year; the provincial office is
    first in the tree (moved up by its clerk), so the program opens on its newest, largest
    calendar. Built once and kept in ``bench_dir()``."""
    from pmqa_desktop.core.demo import build_large
    from pmqa_desktop.core.storage import planning
    from pmqa_desktop.core.storage.store import Actor, Store
    path = bench_dir() / f"large-real-{_key('large', 3)}.db"
    if path.exists():
        return path
    t0 = time.perf_counter()
    part = path.with_suffix(".part")
    if part.exists():
        part.unlink()
    store = Store.open(part, Actor(office="สำนักงานจังหวัดตัวอย่าง", clerk="bench"))
    try:
        build_large(store, texts=real_texts())
        with store.transaction():
            orgs = planning.organisations(store)
            province = planning.find_organisation(store, PROVINCE)
            store.update("organisation", province["id"], {"sort_key": min(o["sort_key"] for o in orgs) - 1})
    finally:
        store.close()
    part.replace(path)
    print(f"built the large file {path.name} in {time.perf_counter() - t0:.0f} s "
          f"({path.stat().st_size / 1e6:.0f} MB)", flush=True)
    return path


def received_file() -> Path:
    """The large file as another office sends it: its export (a consistent copy the program
    wrote), which this computer has never opened or checked."""
    from pmqa_desktop.core.sharing import export
    large = large_file()
    path = large.with_name(large.stem + "-export.db")
    if not path.exists():
        export(large, path)
    return path
