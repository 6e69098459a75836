"""Run every benchmark script in this folder and print their figures.

    python bench/run.py                      all bench/bench_*.py
    python bench/run.py gui merge            only the scripts whose name contains 'gui' or 'merge'
    python bench/run.py --json FILE [...]    also write every figure to FILE as one flat JSON object

Each ``bench_*.py`` has a ``main()`` and prints its figures as ``name=value`` lines (``name_min=``,
``name_max=``, ``name_baseline=`` ... beside a median). Every script runs in its own process
(offscreen), so one cannot warm up another. The JSON holds each figure by name (the first
``name=value`` of a line; a number where the value is one) and, beside them, ``run_date``,
``run_machine`` (host, CPU, cores, memory, OS, Python), ``run_load_avg`` and ``run_failed``.
"""
from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIGURE = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)=(\S+)")


def scripts(filters: list[str]) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    return [p for p in found if not filters or any(f in p.stem for f in filters)]


def figures(output: str) -> dict[str, float | str]:
    """The ``name=value`` figures of a script's output (later lines win)."""
    found: dict[str, float | str] = {}
    for line in output.splitlines():
        m = FIGURE.match(line.strip())
        if m:
            name, value = m.groups()
            try:
                found[name] = float(value.rstrip("x%"))
            except ValueError:
                found[name] = value
    return found


def machine() -> dict[str, str | int | float]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0.0
    try:
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else -1.0
    return {"host": platform.node(), "os": platform.platform(), "cpu": cpu, "cores": os.cpu_count() or 0,
            "memory_gb": round(mem, 1), "python": platform.python_version(), "load_avg_at_start": round(load, 1)}


def run_one(path: Path, env: dict) -> tuple[int, str, float]:
    code = f"import runpy, sys; sys.argv = [{str(path)!r}]; runpy.run_path({str(path)!r}, run_name='bench')['main']()"
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=str(ROOT), env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    out = []
    assert proc.stdout is not None
    for line in proc.stdout:   # shown as it comes, kept for the JSON
        sys.stdout.write("   " + line)
        sys.stdout.flush()
        out.append(line)
    proc.wait()
    return proc.returncode, "".join(out), time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    json_out = None
    if "--json" in args:
        i = args.index("--json")
        if i + 1 >= len(args):
            print("--json needs a file name")
            return 1
        json_out = Path(args[i + 1])
        del args[i:i + 2]
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), str(HERE), env.get("PYTHONPATH", "")]))
    todo = scripts(args)
    if not todo:
        print("no benchmark scripts found")
        return 1
    started = datetime.now(timezone.utc)
    result: dict[str, object] = {}
    m = machine()
    run_info: dict[str, object] = {
        "run_date": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "run_machine": f"{m['host']}: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, {m['os']}, "
                       f"Python {m['python']}",
        "run_load_avg": m["load_avg_at_start"]}
    failed = []
    for path in todo:
        print(f"== {path.name}", flush=True)
        code, out, secs = run_one(path, env)
        print(f"   ({path.stem}: {secs:.0f} s, exit {code})", flush=True)
        run_info[f"run_seconds_{path.stem}"] = round(secs, 1)
        result.update(figures(out))
        if code != 0:
            failed.append(path.name)
    run_info["run_failed"] = " ".join(failed)
    run_info["run_minutes"] = round((datetime.now(timezone.utc) - started).total_seconds() / 60, 1)
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps({**run_info, **result}, ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")
        print(f"figures written to {json_out}")
    if failed:
        print("FAILED: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
