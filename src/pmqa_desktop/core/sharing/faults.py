"""Fault-injection points for the crash tests (a process killed half-way through).

When the environment variable ``PMQA_FAULT_PAUSE`` names a point, the program reports
``PMQA-FAULT-POINT <name>`` on stderr and waits there, so a test can kill it at exactly that
moment. Without the variable this costs one dictionary look-up.
"""
from __future__ import annotations

import os
import sys
import time


def fault_point(name: str) -> None:
    if os.environ.get("PMQA_FAULT_PAUSE") == name:
        print(f"PMQA-FAULT-POINT {name}", file=sys.stderr, flush=True)
        time.sleep(float(os.environ.get("PMQA_FAULT_SLEEP", "60")))
