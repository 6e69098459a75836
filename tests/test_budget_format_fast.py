"""Amounts print as Babel writes them for Thai (``#,##0``), without loading Babel's locale data
during a print (importing Babel's number formatting and reading its Thai data cost ~30 ms of
the print of a year's development plans)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings, strategies as st

from pmqa_desktop.core.budget import format_baht

SRC = Path(__file__).resolve().parents[1] / "src"


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.integers(-10**15, 10**15), st.floats(-1e12, 1e12, allow_nan=False)))
def test_format_baht_writes_what_babel_writes(amount):
    from babel.numbers import format_decimal
    expected = format_decimal(int(round(amount)), format="#,##0", locale="th_TH")
    assert format_baht(amount) == expected
    assert format_baht(amount, unit=True) == expected + " บาท"


def test_format_baht_loads_no_babel():
    code = ("import sys; sys.path.insert(0, %r)\n"
            "from pmqa_desktop.core.budget import format_baht\n"
            "assert format_baht(1234567.4) == '1,234,567'\n"
            "print(sorted(m for m in sys.modules if m.startswith('babel.numbers')))\n") % str(SRC)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", out
