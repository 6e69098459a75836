"""Money in development plans: whole baht, Thai number formatting, and the markers clerks
write instead of an amount ("ในม." = ในงบประมาณปกติ / no separate money).

Budgets are stored as whole baht (INTEGER) in ``plan_step.budget``; a non-money marker is
kept verbatim in ``plan_step.budget_note`` and never counted in sums.

Public API::

    parse_budget(text) -> Budget            # Budget(amount: int | None, note: str)
    is_budget_like(text) -> bool            # for spotting the budget cell in imported rows
    is_money_marker(text) -> bool
    format_baht(amount, thai_digits=False, unit=False) -> str   # 150000 -> '150,000'
    format_budget(amount, note, thai_digits=False) -> str       # '30,000' or 'ในม.'
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..i18n import _
from .errors import ValidationError
from .thai_calendar import from_thai_digits, to_thai_digits

# Markers for "no separate money" seen on Thai plans.  Matching ignores spaces and dots.
MONEY_MARKERS = ("ในม.", "ในม", "งบปกติ", "ไม่ใช้งบประมาณ", "ไม่ใช้งบ", "ไม่มี", "-", "–", "—", "ใช้งบปกติ")
_MARKER_KEYS = {re.sub(r"[\s.]", "", m) for m in MONEY_MARKERS}

_AMOUNT_RE = re.compile(
    r"^\s*(?:งบ(?:ประมาณ)?\s*)?(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d{1,2}))?\s*"
    r"(?P<mult>ล้าน)?\s*(?:\.?-)?\s*(?:บาท|บ\.)?\s*(?:\.?-)?\s*$")   # '50,000.-', '50,000 บาท', '50,000.- บาท'

MAX_BAHT = 10 ** 13


@dataclass(frozen=True)
class Budget:
    """A parsed budget cell: ``amount`` in whole baht, or ``note`` for a marker/free text."""
    amount: int | None = None
    note: str = ""

    @property
    def is_money(self) -> bool:
        return self.amount is not None


def is_money_marker(text: str) -> bool:
    key = re.sub(r"[\s.]", "", text or "")
    return bool(key) and (key in _MARKER_KEYS or key.startswith("ในม"))


def _amount(text: str) -> int | None:
    m = _AMOUNT_RE.match(from_thai_digits(text or ""))
    if not m:
        return None
    value = int(m.group("num").replace(",", ""))
    frac = m.group("frac")
    if m.group("mult"):
        whole = value * 1_000_000 + (int((frac or "0").ljust(6, "0")) if frac else 0)
        return whole
    if frac and int(frac) != 0:
        raise ValidationError(_("A budget is whole baht: '{text}' has satang.").format(text=text.strip()))
    return value


def parse_budget(text: str | int | None) -> Budget:
    """Read a budget cell: '30,000', '๕๐,๐๐๐', '150,000 บาท', '1.5 ล้านบาท', 'ในม.', ''.

    Raises ``ValidationError`` for a negative or absurd amount; any other non-number text
    is kept as a marker note (a clerk's "ในม.", "งบปกติ", "-").
    """
    if text is None:
        return Budget()
    if isinstance(text, int):
        amount = text
    else:
        raw = str(text).strip()
        if not raw:
            return Budget()
        if from_thai_digits(raw).lstrip().startswith("-") and re.search(r"\d", raw):
            raise ValidationError(_("A budget cannot be negative: '{text}'.").format(text=raw))
        amount = _amount(raw)
        if amount is None:
            return Budget(None, raw)
    if amount < 0:
        raise ValidationError(_("A budget cannot be negative: '{text}'.").format(text=text))
    if amount > MAX_BAHT:
        raise ValidationError(_("The budget '{text}' is too large to be right.").format(text=text))
    return Budget(amount, "")


def is_budget_like(text: str) -> bool:
    """True for an amount ('30,000', '150,000 บาท') or a non-money marker ('ในม.')."""
    raw = (text or "").strip()
    if not raw:
        return False
    if is_money_marker(raw):
        return True
    try:
        return _amount(raw) is not None
    except ValidationError:
        return True


def format_baht(amount: int | float | None, thai_digits: bool = False, unit: bool = False) -> str:
    """150000 -> '150,000' (as Babel writes ``#,##0`` in the Thai locale: groups of three, a comma
    between them, '-' before a negative amount; Babel itself is not loaded for it, which took
    ~30 ms of a print); '' for None; ' บาท' appended when ``unit``."""
    if amount is None:
        return ""
    text = f"{int(round(amount)):,}"
    if unit:
        text += " บาท"
    return to_thai_digits(text) if thai_digits else text


def format_budget(amount: int | None, note: str = "", thai_digits: bool = False) -> str:
    """What a budget cell shows: the amount, else the marker."""
    if amount is not None:
        return format_baht(amount, thai_digits=thai_digits)
    return to_thai_digits(note) if thai_digits else note
