"""Thai calendar: Buddhist era, fiscal years, month names, digits and the date forms clerks type.

Qt has no Buddhist calendar and Babel only knows Gregorian years, so everything about
พ.ศ. and fiscal years lives here. Months are carried as ``MonthKey`` (C.E. year, month).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

BE_OFFSET = 543

# Canonical abbreviations, January first.
MONTH_ABBR = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
              "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
# for an English screen (the data keeps what was typed)
MONTH_ABBR_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_FULL_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                 "October", "November", "December")
MONTH_FULL = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
              "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")

# Typos seen in the seeds and what they can stand for (first is the usual reading).
MONTH_TYPOS: dict[str, tuple[int, ...]] = {
    "ม.ย.": (4, 6),    # เม.ย. or มิ.ย.
    "มี.ย.": (6, 3),   # มิ.ย. or มี.ค.
    "มิ.ค.": (3, 6),   # มี.ค. or มิ.ย.
    "ค.ค.": (7, 10),   # ก.ค. or ต.ค.
    "พ.ม.": (11, 5),   # พ.ย. or พ.ค.
}

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
_FROM_THAI = str.maketrans(THAI_DIGITS, "0123456789")


def to_thai_digits(text: str) -> str:
    return str(text).translate(_TO_THAI)


def from_thai_digits(text: str) -> str:
    return str(text).translate(_FROM_THAI)


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def ce_year(be: int) -> int:
    return be - BE_OFFSET


@dataclass(frozen=True, order=True)
class MonthKey:
    """A calendar month, stored in C.E.; shown in B.E."""
    year: int  # C.E.
    month: int  # 1..12

    def __post_init__(self):
        if not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")

    @classmethod
    def parse_key(cls, key: str) -> "MonthKey":
        y, m = key.split("-")
        return cls(int(y), int(m))

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def be(self) -> int:
        return self.year + BE_OFFSET

    def shifted(self, months: int) -> "MonthKey":
        idx = self.year * 12 + (self.month - 1) + months
        return MonthKey(idx // 12, idx % 12 + 1)

    def months_until(self, other: "MonthKey") -> int:
        return (other.year * 12 + other.month) - (self.year * 12 + self.month)

    def abbr(self, with_year: bool = True, thai_digits: bool = False, english: bool = False) -> str:
        """'ต.ค.53' style, as the seeds' headers ('Oct 53' for an English screen)."""
        if english:
            return MONTH_ABBR_EN[self.month - 1] + (f" {self.be % 100:02d}" if with_year else "")
        text = MONTH_ABBR[self.month - 1]
        if with_year:
            text += f"{self.be % 100:02d}"
        return to_thai_digits(text) if thai_digits else text

    def full(self, thai_digits: bool = False, english: bool = False) -> str:
        if english:
            return f"{MONTH_FULL_EN[self.month - 1]} {self.be}"
        text = f"{MONTH_FULL[self.month - 1]} {self.be}"
        return to_thai_digits(text) if thai_digits else text

    def fiscal_year_be(self) -> int:
        return fiscal_year_of(self)


def fiscal_year_of(month: MonthKey) -> int:
    """B.E. fiscal year a month belongs to: ต.ค. 2553 is in FY 2554."""
    return month.be + (1 if month.month >= 10 else 0)


def fiscal_year_start(fy_be: int) -> MonthKey:
    return MonthKey(ce_year(fy_be) - 1, 10)


def fiscal_months(fy_be: int) -> list[MonthKey]:
    start = fiscal_year_start(fy_be)
    return [start.shifted(i) for i in range(12)]


def month_span(start: MonthKey, count: int) -> list[MonthKey]:
    return [start.shifted(i) for i in range(count)]


def header_labels(months: list[MonthKey], thai_digits: bool = False, english: bool = False) -> list[str]:
    """Headers as clerks write them: year shown on the first, on January and on the last."""
    labels = []
    for i, m in enumerate(months):
        show_year = i == 0 or i == len(months) - 1 or m.month == 1
        labels.append(m.abbr(with_year=show_year, thai_digits=thai_digits, english=english))
    return labels


# ---------------------------------------------------------------- parsing

def _norm(text: str) -> str:
    return re.sub(r"\s+", "", from_thai_digits(text)).rstrip(".") + "."


@lru_cache(maxsize=None)
def _month_table() -> dict[str, tuple[int, ...]]:
    table: dict[str, tuple[int, ...]] = {}
    for i, abbr in enumerate(MONTH_ABBR, start=1):
        table[abbr] = (i,)
        table[abbr.replace(".", "") + "."] = (i,)
    for i, name in enumerate(MONTH_FULL, start=1):
        table[name + "."] = (i,)
    try:  # Babel's names too (full and abbreviated), so what other programs write is read
        from babel.dates import get_month_names
        for width in ("wide", "abbreviated"):
            for num, name in get_month_names(width, locale="th").items():
                table.setdefault(_norm(name), (num,))
    except Exception:  # Babel missing its locale data must not stop parsing
        pass
    for typo, cands in MONTH_TYPOS.items():
        table.setdefault(typo, cands)
    return table


def month_candidates(token: str) -> tuple[int, ...]:
    """Month numbers a typed abbreviation may stand for (empty if none)."""
    return _month_table().get(_norm(token), ())


def is_typo(token: str) -> bool:
    return _norm(token) in MONTH_TYPOS


_MONTH_RE = r"(?P<mon>[\u0e01-\u0e4e]{1,4}\.\s?[\u0e01-\u0e4e]{1,2}\.?|[\u0e01-\u0e4e]{4,12})"
_YEAR_RE = r"(?P<yr>\d{2,4})"


# The patterns are compiled when first used, not on import (~2 ms of the program's start for
# patterns that only tooltips, imports and the roll-over read).
@lru_cache(maxsize=None)
def _header_re() -> re.Pattern:
    return re.compile(r"^\s*" + _MONTH_RE + r"\s*" + _YEAR_RE + r"?\s*$")


def parse_month_header(text: str, expected: MonthKey | None = None,
                       default_be: int | None = None) -> MonthKey | None:
    """Read a header like 'ต.ค.53', 'พ.ย.', 'ม.ย.54'.

    ``expected`` settles typos and missing years: headers run in sequence, so the month
    we expect next decides between the readings of an ambiguous abbreviation.
    """
    m = _header_re().match(from_thai_digits(text))
    if not m:
        return None
    cands = month_candidates(m.group("mon"))
    if not cands:
        return None
    month = cands[0]
    if expected is not None and expected.month in cands:
        month = expected.month
    yr = m.group("yr")
    if yr:
        be = _expand_be(int(yr), default_be)
        year_ce = ce_year(be)
    elif expected is not None:
        year_ce = expected.year if expected.month == month else _nearest_year(month, expected)
    elif default_be is not None:
        year_ce = ce_year(default_be)
    else:
        return None
    return MonthKey(year_ce, month)


def _nearest_year(month: int, near: MonthKey) -> int:
    best = None
    for y in (near.year - 1, near.year, near.year + 1):
        d = abs(near.months_until(MonthKey(y, month)))
        if best is None or d < best[0]:
            best = (d, y)
    return best[1]


def _expand_be(yr: int, default_be: int | None = None) -> int:
    """Two-digit years are B.E. ('54' is 2554); four digits over 2400 are B.E., else C.E."""
    if yr >= 2400:
        return yr
    if yr >= 1000:
        return yr + BE_OFFSET
    century = (default_be // 100 * 100) if default_be else 2500
    be = century + yr
    if default_be and be - default_be > 50:
        be -= 100
    return be


@dataclass(frozen=True)
class CellDate:
    """What a month cell's text says, as far as it is a date."""
    kind: str           # 'day', 'range', 'days', 'recurring', 'month', 'text'
    days: tuple[int, ...] = ()
    month: MonthKey | None = None
    note: str = ""
    typo: bool = False


@lru_cache(maxsize=None)
def _days_re() -> re.Pattern:
    return re.compile(
        r"^\s*(?P<d1>\d{1,2})(?:\s*(?P<sep>[-/,–])\s*(?P<d2>\d{1,2}))?\s+"
        + _MONTH_RE + r"\s*" + _YEAR_RE + r"?\s*$")


@lru_cache(maxsize=None)
def _recurring_re() -> re.Pattern:
    return re.compile(r"^\s*ทุก\s*วัน\s*(จันทร์|อังคาร|พุธ|พฤหัส(?:บดี)?|ศุกร์|เสาร์|อาทิตย์)")


def parse_cell_date(text: str, column_month: MonthKey | None = None,
                    default_be: int | None = None) -> CellDate:
    """Read the date forms clerks type: '31 มี.ค. 54', '9 - 10 มิ.ย. 54', '18 / 29 เม.ย.', 'ทุกวันพุธ'.

    Anything else is kept as text: a month cell is free text first, a date second.
    """
    raw = text.strip()
    if not raw:
        return CellDate("text")
    plain = from_thai_digits(raw)
    if _recurring_re().match(plain):
        return CellDate("recurring", month=column_month, note=raw)
    m = _days_re().match(plain)
    if m:
        cands = month_candidates(m.group("mon"))
        if cands:
            month = cands[0]
            if column_month is not None and column_month.month in cands:
                month = column_month.month
            yr = m.group("yr")
            if yr:
                year_ce = ce_year(_expand_be(int(yr), default_be))
            elif column_month is not None:
                year_ce = column_month.year if column_month.month == month else _nearest_year(month, column_month)
            elif default_be is not None:
                year_ce = ce_year(default_be)
            else:
                year_ce = None
            d1 = int(m.group("d1"))
            d2 = m.group("d2")
            mk = MonthKey(year_ce, month) if year_ce is not None else None
            days = (d1,) if not d2 else (d1, int(d2))
            if any(not 1 <= d <= _days_in(mk) for d in days):
                return CellDate("text", note=raw)
            kind = "day" if not d2 else ("range" if m.group("sep") in "-–" else "days")
            if kind == "range" and days[1] < days[0]:
                return CellDate("text", note=raw)
            return CellDate(kind, days=days, month=mk, typo=is_typo(m.group("mon")))
    h = parse_month_header(plain, expected=column_month, default_be=default_be)
    if h is not None:
        return CellDate("month", month=h)
    return CellDate("text", note=raw)


def _days_in(month: MonthKey | None) -> int:
    if month is None:
        return 31
    import calendar
    return calendar.monthrange(month.year, month.month)[1]


def format_thai_date(day: int, month: MonthKey, thai_digits: bool = False, full: bool = False) -> str:
    """'31 มี.ค. 54' or '31 มีนาคม 2554'."""
    if full:
        text = f"{day} {MONTH_FULL[month.month - 1]} {month.be}"
    else:
        text = f"{day} {MONTH_ABBR[month.month - 1]} {month.be % 100:02d}"
    return to_thai_digits(text) if thai_digits else text


def format_month(month: MonthKey, thai_digits: bool = False) -> str:
    """'มิ.ย. 53' as the development plan writes start and end months."""
    text = f"{MONTH_ABBR[month.month - 1]} {month.be % 100:02d}"
    return to_thai_digits(text) if thai_digits else text


# ---------------------------------------------------------------- moving dates by whole years

@dataclass(frozen=True)
class YearShift:
    """What moving a text's dates by some years did: ``status`` is 'changed', 'unchanged' (no
    year in it: "ทุกวันพุธ", "18 / 29 เม.ย.") or 'unread' (it looks like a date with a year that
    could not be read, "มีนา 54"; left as it was for the clerk to check). ``check`` names days
    that do not exist in the new year (29 ก.พ. moved to a common year)."""
    text: str
    status: str
    check: tuple[str, ...] = ()


_DIGIT = "[0-9๐-๙]"


@lru_cache(maxsize=None)
def _month_year_re() -> re.Pattern:
    """A month as clerks write it (any known spelling, dots and spaces optional) with a year after it."""
    spellings = set()
    for key in _month_table():
        core = key.rstrip(".")
        spellings.add(r"\.?\s?".join(re.escape(p) for p in core.split(".")) + r"\.?")
    alternation = "|".join(sorted(spellings, key=len, reverse=True))
    return re.compile(
        rf"(?:(?P<day>{_DIGIT}{{1,2}})\s*(?:[-/,–]\s*{_DIGIT}{{1,2}}\s*)?)?"
        rf"(?P<mon>{alternation})(?P<gap>\s*)(?P<yr>{_DIGIT}{{4}}|{_DIGIT}{{2}})(?!{_DIGIT})")


@lru_cache(maxsize=None)
def _full_year_re() -> re.Pattern:
    return re.compile(rf"(?<![0-9๐-๙,.])(?P<yr>[2๒][4-6๔-๖]{_DIGIT}{{2}})(?![0-9๐-๙,])")


@lru_cache(maxsize=None)
def _unread_re() -> re.Pattern:
    """What is left after the readable dates: an abbreviation or a cut month name with a short year."""
    return re.compile(
        rf"(?:[\u0e01-\u0e4e]{{1,3}}\.\s?[\u0e01-\u0e4e]{{1,3}}\.?|"
        r"(?:มกรา|กุมภา|มีนา|เมษา|พฤษภา|มิถุนา|กรกฎา|สิงหา|กันยา|ตุลา|พฤศจิกา|ธันวา)[\u0e01-\u0e4e]*)"
        rf"\s*{_DIGIT}{{2}}(?!{_DIGIT})")


def _same_digits(template: str, value: str) -> str:
    return to_thai_digits(value) if any(c in THAI_DIGITS for c in template) else value


def shift_years(text: str, years: int) -> YearShift:
    """Move every date in ``text`` that carries a year by ``years`` (B.E. or C.E., two or four
    digits, Arabic or Thai digits, kept as written): "31 มี.ค. 54" -> "31 มี.ค. 55",
    "9 - 10 มิ.ย. 54" -> "9 - 10 มิ.ย. 55", "พ.ศ. 2554" -> "พ.ศ. 2555"."""
    if not text or not years:
        return YearShift(text or "", "unchanged")
    pieces: list[str] = []
    check: list[str] = []
    pos = 0
    changed = False
    for m in _month_year_re().finditer(text):
        raw_year = m.group("yr")
        value = int(from_thai_digits(raw_year))
        if len(raw_year) == 4:
            new_value = value + years
            new_year = str(new_value)
            be = new_value if new_value >= 2400 else new_value + BE_OFFSET
        else:
            new_value = (value + years) % 100
            new_year = f"{new_value:02d}"
            be = _expand_be(value) + years
        day = m.group("day")
        if day:
            cands = month_candidates(m.group("mon"))
            month = MonthKey(ce_year(be), cands[0]) if cands else None
            if month and int(from_thai_digits(day)) > _days_in(month):
                check.append(m.group(0).strip())
        pieces.append(text[pos:m.start("yr")])
        pieces.append(_same_digits(raw_year, new_year))
        pos = m.end("yr")
        changed = True
    pieces.append(text[pos:])
    out = "".join(pieces)
    # full years standing alone ("พ.ศ. 2554", "ปีงบประมาณ 2554"); those after a month moved already
    done = [(m.start("yr"), m.end("yr")) for m in _month_year_re().finditer(out)]

    def full_year(m: re.Match) -> str:
        nonlocal changed
        if any(a <= m.start() < b for a, b in done):
            return m.group(0)
        changed = True
        return _same_digits(m.group(0), str(int(from_thai_digits(m.group(0))) + years))
    out = _full_year_re().sub(full_year, out)
    rest = _month_year_re().sub("", text)
    rest = _full_year_re().sub("", rest)
    if _unread_re().search(rest):
        return YearShift(out, "unread", tuple(check))
    return YearShift(out, "changed" if changed else "unchanged", tuple(check))


def format_local_datetime(stamp: str, english: bool = False) -> str:
    """A UTC time stamp ("2026-12-07T03:54:00Z", as the program writes them) as the clerk's
    clock shows it: '7 ธ.ค. 2569 10:54' (English: '7 Dec 2026 10:54'). Text that is not such
    a stamp comes back as it is."""
    from datetime import datetime, timezone
    try:
        t = datetime.fromisoformat(str(stamp).strip().replace("Z", "+00:00"))
    except ValueError:
        return str(stamp)
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    t = t.astimezone()
    if english:
        return f"{t.day} {MONTH_ABBR_EN[t.month - 1]} {t.year} {t.hour:02d}:{t.minute:02d}"
    return f"{t.day} {MONTH_ABBR[t.month - 1]} {t.year + BE_OFFSET} {t.hour:02d}:{t.minute:02d}"
