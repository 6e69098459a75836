"""The fiscal year a document names, and the clash when it is imported into another year.

A clerk who imports the FY 2554 calendar into FY 2555 gets a form that says 2554 in its title
and ต.ค.53 in its months but 2555 in its headings: the governor signs a page that mixes two
years. The year is read only from where a document states it for itself: its title and table
headings ("ประจำปีงบประมาณ พ.ศ. 2554", "ปีงบประมาณ ๒๕๕๔", "fiscal year 2554") and the years
written in its month headings ("ต.ค.53"). Years inside the steps' text ("จัดทำแผน ... ประจำปี
งบประมาณ พ.ศ. 2555" is next year's work planned this year) never count.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ...i18n import _, english_screen
from ..thai_calendar import BE_OFFSET, MonthKey, fiscal_year_of, from_thai_digits


def _spaced(word: str) -> str:
    """The word as a pattern that allows a space between any two letters (Word's wrap spaces)."""
    return r"\s*".join(re.escape(ch) for ch in word)


_BE = r"(?P<be>พ\s*\.?\s*ศ\s*\.?)?"
_YEAR = r"(?P<yr>\d{4}|\d{2})(?!\d)"
_UNTIL = r"(?:\s*[-–]\s*(?P<to>\d{4}|\d{2})(?!\d))?"
# "ประจำปีงบประมาณ" holds "ปีงบประมาณ": one alternative is enough for both
_KEYWORDS = "|".join([_spaced("ปีงบประมาณ"), _spaced("ประจำปี"), r"\bfiscal\s+year", r"\bFY"])
_NAMED = re.compile(rf"(?:{_KEYWORDS})\s*{_BE}\s*{_YEAR}{_UNTIL}", re.IGNORECASE)


def _be(text: str, era_given: bool) -> int | None:
    """A year as written: '2554', '54' (B.E.), or '2011' (C.E., only without พ.ศ.)."""
    n = int(text)
    if len(text) == 2:
        return 2500 + n
    if 2400 <= n <= 2700:
        return n
    if 1900 <= n <= 2200 and not era_given:
        return n + BE_OFFSET
    return None


def years_named(text: str) -> list[int]:
    """Every fiscal year a title or heading names, in order ("พ.ศ. 2554-2555" names both)."""
    found: list[int] = []
    for m in _NAMED.finditer(from_thai_digits(text or "")):
        first = _be(m.group("yr"), bool(m.group("be")))
        if first is None:
            continue
        last = _be(m.group("to"), bool(m.group("be"))) if m.group("to") else None
        if last is not None and len(m.group("to")) == 2 and len(m.group("yr")) == 4:
            last = first // 100 * 100 + last % 100
        if last is not None and first < last <= first + 5:
            found.extend(range(first, last + 1))
        else:
            found.append(first)
    return found


def fiscal_year_of_months(months: list[MonthKey]) -> int | None:
    """The fiscal year most of the months fall in (a 14-month calendar ต.ค.53 - พ.ย.54 is 2554);
    None when two years have as many months."""
    counts = Counter(fiscal_year_of(m) for m in months).most_common(2)
    if not counts or (len(counts) > 1 and counts[0][1] == counts[1][1]):
        return None
    return counts[0][0]


@dataclass(frozen=True)
class YearClash:
    """The document names fiscal year ``document`` and is going into ``target``."""
    document: int
    target: int
    first: MonthKey | None = None   # set when the month headings tell the year (not the title)
    last: MonthKey | None = None

    def sentence(self) -> str:
        if self.first is not None and self.last is not None:
            english = english_screen()
            how = _("its months run from {first} to {last}").format(
                first=self.first.abbr(english=english), last=self.last.abbr(english=english))
        else:
            how = _("its title says so")
        return _("This document is for fiscal year {doc} ({how}), but it is being imported into fiscal year "
                 "{target}: the printed form would show both years.").format(doc=self.document, how=how,
                                                                            target=self.target)

    def cli_text(self) -> str:
        """The sentence and what to do, for the command line (the import stops)."""
        return self.sentence() + " " + _(
            "Nothing was imported. Import it into fiscal year {doc} (--year {doc}) and carry it into {target} "
            "with rollover (pmqa-desktop rollover --from {doc} --to {target}); or, if it is meant for "
            "{target} as it is, add --year-anyway.").format(doc=self.document, target=self.target)


def year_clash(preview, target_be: int) -> YearClash | None:
    """The clash between the year the previewed document names and ``target_be``, if any.

    The title and headings speak first; the month headings only when they carry years
    (headings without one were read in the target year, so they prove nothing).
    """
    named = list(getattr(preview, "named_years", None) or [])
    if named and target_be not in named:
        return YearClash(Counter(named).most_common(1)[0][0], target_be)
    months = list(getattr(preview, "months", None) or [])
    if months and getattr(preview, "months_dated", False):
        fy = fiscal_year_of_months(months)
        if fy is not None and fy != target_be:
            return YearClash(fy, target_be, months[0], months[-1])
    return None
