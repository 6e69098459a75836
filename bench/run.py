"""Run every benchmark script in this folder and print their figures.

    python bench/run.py            all bench/bench_*.py
    python bench/run.py gui        only the scripts whose name contains 'gui'

Each ``bench_*.py`` has a ``main()`` that prints result lines such as ``start_bare_ms=312``.
Every script runs in its own process (offscreen), so one cannot warm up another.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def scripts(filters: list[str]) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    return [p for p in found if not filters or any(f in p.stem for f in filters)]


def main(argv: list[str] | None = None) -> int:
    filters = list(sys.argv[1:] if argv is None else argv)
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH", "")]))
    failed = []
    todo = scripts(filters)
    if not todo:
        print("no benchmark scripts found")
        return 1
    for path in todo:
        print(f"== {path.name}", flush=True)
        t0 = time.perf_counter()
        code = f"import runpy, sys; sys.argv = [{str(path)!r}]; runpy.run_path({str(path)!r})['main']()"
        proc = subprocess.run([sys.executable, "-c", code], cwd=str(ROOT), env=env)
        print(f"   ({path.stem}: {time.perf_counter() - t0:.1f} s, exit {proc.returncode})", flush=True)
        if proc.returncode != 0:
            failed.append(path.name)
    if failed:
        print("FAILED: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
