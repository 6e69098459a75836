"""Import of the operations calendar and the weekly plan from seed-style text tables.

Import is two steps: ``parse_*`` reads the text into a preview with a list of every row it
could not read, touching nothing; ``apply_*`` writes the preview in one transaction, so
an import is all or nothing.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from ...i18n import _, ngettext
from ..errors import ImportProblem
from ..storage import planning
from ..storage.store import Store, new_id
from ..thai_calendar import MonthKey, parse_cell_date, parse_month_header
from .document_year import years_named
from .text_tables import Line, Problem, as_lines, split_code, title_facts, with_merged_down

_log = logging.getLogger(__name__)  # the log file (logfile.py)


@dataclass
class CalendarStepIn:
    line: int
    number: str
    text: str
    cells: dict[str, str] = field(default_factory=dict)   # month key -> text
    remark: str = ""


@dataclass
class _Preview:
    """What a parse found: the form's title, province and year, its months, and the problems."""
    title: str = ""
    province: str | None = None
    year_be: int | None = None
    months: list[MonthKey] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # the fiscal years the title and headings name, and whether the month headings carry years
    # (document_year.year_clash compares them with the year the import goes into)
    named_years: list[int] = field(default_factory=list)
    months_dated: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass
class CalendarPreview(_Preview):
    steps: list[CalendarStepIn] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)   # "หมายเหตุ : ..." under the table


@dataclass
class WeeklyActivityIn:
    month: str
    week: int
    text: str
    span: int = 1


@dataclass
class WeeklyRowIn:
    line: int
    category: str
    code: str
    short_name: str
    label: str
    activities: list[WeeklyActivityIn] = field(default_factory=list)
    remark: str = ""


@dataclass
class WeeklyPreview(_Preview):
    rows: list[WeeklyRowIn] = field(default_factory=list)


def _first_title(lines: list[Line], keyword: str) -> str:
    """The form's title: a line of its own naming the form (and, best, the province)."""
    cands = [ln.text for ln in lines if len(ln.filled) == 1 and keyword in ln.text
             and not ln.text.startswith("หมายเหตุ")]
    best = [t for t in cands if "จังหวัด" in t]
    return (best or cands or [""])[0]


def _read_month_row(cells: list[str], start: int, default_be: int | None, line: int,
                    problems: list[Problem], step: int = 1) -> list[tuple[int, MonthKey]]:
    """Month headers from ``start`` on, each ``step`` cells apart; typos settled by sequence."""
    found: list[tuple[int, MonthKey]] = []
    expected: MonthKey | None = None
    for i in range(start, len(cells), step):
        text = cells[i]
        if not text:
            if found:
                break
            continue
        mk = parse_month_header(text, expected=expected, default_be=default_be)
        if mk is None:
            break
        if expected is None and default_be and mk.month >= 10 and not _has_digit(text):
            # a first heading without its year ("ต.ค.") in fiscal year N is ต.ค. of N-1, not of N
            mk = MonthKey(mk.year - 1, mk.month)
        if expected is not None and mk != expected:
            problems.append(Problem(line, _("Month heading '{text}' read as {month}, expected {expected}.").format(
                text=text, month=mk.abbr(), expected=expected.abbr()), "warning"))
        found.append((i, mk))
        expected = mk.shifted(1)
    return found


def _has_digit(text: str) -> bool:
    return re.search(r"[0-9๐-๙]", text) is not None


def _dated(cells: list[str], months: list[tuple[int, MonthKey]]) -> bool:
    """Whether any month heading read carries its year ("ต.ค.53", "ต.ค. ๕๓"), not only the month."""
    return any(_has_digit(cells[i]) for i, _m in months if i < len(cells))


# ---------------------------------------------------------------- calendar

def parse_calendar(text: "str | list[Line]", year_be: int | None = None) -> CalendarPreview:
    lines = as_lines(text)
    prev = CalendarPreview()
    prev.title = _first_title(lines, "ปฏิทิน") or _first_title(lines, "จังหวัด")
    prev.province, title_year = title_facts(prev.title)
    prev.named_years = years_named(prev.title)
    prev.year_be = year_be or title_year
    default_be = prev.year_be
    month_cols: dict[int, MonthKey] = {}
    remark_col: int | None = None
    in_table = False
    seen_numbers: set[str] = set()
    i = 0
    while i < len(lines):
        ln = lines[i]
        first = ln.cells[0] if ln.cells else ""
        if first.startswith("ลำดับ"):
            remark_col = next((j for j, c in enumerate(ln.cells) if c.startswith("หมายเหตุ")), None)
            if i + 1 < len(lines):
                months = _read_month_row(lines[i + 1].cells, 2, default_be, lines[i + 1].number, prev.problems)
                if not months:
                    prev.problems.append(Problem(lines[i + 1].number, _("No month headings under the table heading.")))
                else:
                    month_cols = dict(months)
                    prev.named_years += years_named(ln.text)   # "ระยะเวลาดำเนินการ ปีงบประมาณ 2554"
                    prev.months_dated |= _dated(lines[i + 1].cells, months)
                    if not prev.months:
                        prev.months = [m for _i, m in months]
                    elif [m for _i, m in months] != prev.months:
                        prev.problems.append(Problem(lines[i + 1].number,
                                                     _("This table's months differ from the first table's."), "warning"))
            in_table = True
            i += 2
            continue
        if ln.is_blank:
            i += 1
            continue
        if not in_table or not month_cols:
            i += 1
            continue
        number = first
        if len(ln.filled) == 1 and not number.isdigit():
            in_table = False  # a title or note line between tables
            if ln.text.startswith("หมายเหตุ"):
                prev.footnotes.append(ln.text)
            i += 1
            continue
        if not number.isdigit():
            prev.problems.append(Problem(ln.number, _("Row has no step number: {text}").format(text=ln.text[:60])))
            i += 1
            continue
        if number in seen_numbers:
            prev.problems.append(Problem(ln.number, _("Step {n} appears twice.").format(n=number), "warning"))
        seen_numbers.add(number)
        step = CalendarStepIn(ln.number, number, ln.cells[1] if len(ln.cells) > 1 else "")
        if not step.text:
            prev.problems.append(Problem(ln.number, _("Step {n} has no text.").format(n=number), "warning"))
        last_month_col = max(month_cols)
        extra: list[str] = []
        ln, down = with_merged_down(ln, 2)
        for j, cell in ln.filled:
            if j <= 1:
                continue
            if j in down:
                prev.problems.append(Problem(ln.number, _(
                    "'{text}' is one cell merged down over several steps in the file; given to step {n} too.").format(
                    text=cell[:40], n=number), "warning"))
            covered = [month_cols[k] for k in range(j + 1, j + ln.spans.get(j, 1)) if k in month_cols]
            if j in month_cols and covered:
                prev.problems.append(Problem(ln.number, _(
                    "'{text}' is one cell merged over {first} to {last}; kept in {first}.").format(
                    text=cell[:40], first=month_cols[j].abbr(), last=covered[-1].abbr()), "warning"))
            if j in month_cols:
                col_month = month_cols[j]
                target = col_month
                parsed = parse_cell_date(cell, col_month, default_be)
                if parsed.month is not None and parsed.month != col_month and parsed.month in prev.months:
                    # A Word dump can shift a cell; the date written in it is what counts.
                    target = parsed.month
                    prev.problems.append(Problem(ln.number, _(
                        "'{text}' stood under {col} but names {month}; placed in {month}.").format(
                        text=cell, col=col_month.abbr(), month=parsed.month.abbr()), "warning"))
                if parsed.typo:
                    prev.problems.append(Problem(ln.number, _("Month name typo in '{text}' read as {month}.").format(
                        text=cell, month=(parsed.month or target).abbr()), "warning"))
                key = target.key
                step.cells[key] = (step.cells[key] + " / " + cell) if key in step.cells else cell
            elif j > last_month_col:
                extra.append(cell)
            else:
                prev.problems.append(Problem(ln.number, _("Cell '{text}' is outside the month columns.").format(text=cell)))
        step.remark = " ".join(extra)
        if remark_col is None and extra:
            prev.problems.append(Problem(ln.number, _("Text after the last month kept as the remark."), "warning"))
        prev.steps.append(step)
        i += 1
    if not prev.steps and not any(p.severity == "error" for p in prev.problems):
        prev.problems.append(Problem(0, _("No operations-calendar table (a heading row starting with ลำดับ) was found.")))
    for note in prev.footnotes:
        prev.problems.append(Problem(0, _("The note under the table is kept as the calendar's note: {text}").format(
            text=note[:80]), "warning"))
    return prev


def _joined_note(current: str, footnotes: list[str]) -> str:
    """The year's note with the imported footnotes it does not hold yet (one a line)."""
    lines = [ln for ln in (current or "").split("\n") if ln.strip()]
    for note in footnotes:
        if note.strip() and note.strip() not in lines:
            lines.append(note.strip())
    return "\n".join(lines)


def apply_calendar(store: Store, preview: CalendarPreview, year_id: str) -> int:
    """Append the previewed steps to a year's calendar, all or nothing."""
    _log.info("import calendar into fiscal year %s", year_id)
    if preview.errors:
        raise ImportProblem(ngettext("The import was not applied: {n} row could not be read.",
                                    "The import was not applied: {n} rows could not be read.",
                                    len(preview.errors)).format(n=len(preview.errors)))
    year = store.get("fiscal_year", year_id)
    with store.transaction():
        if preview.months:
            current = planning.calendar_months(year)
            if not planning.calendar_steps(store, year_id) or not set(m.key for m in preview.months) <= set(
                    m.key for m in current):
                planning.set_calendar_span(store, year_id, preview.months[0], len(preview.months))
        if preview.title and not year["calendar_title"]:
            store.update("fiscal_year", year_id, {"calendar_title": preview.title})
        note = _joined_note(year["calendar_note"], preview.footnotes)
        if note != year["calendar_note"]:
            planning.set_calendar_note(store, year_id, note)
        base = store.next_sort_key("calendar_step", {"year_id": year_id})
        # one bulk insert of the steps and one of their cells (a 2,000-step calendar in well under a second)
        steps = [{"id": new_id(), "year_id": year_id, "text": step.text, "remark": step.remark,
                  "sort_key": base + k} for k, step in enumerate(preview.steps)]
        store.insert_many("calendar_step", steps)
        store.insert_many("calendar_cell", ({"step_id": row["id"], "month": month, "text": value}
                                            for row, step in zip(steps, preview.steps)
                                            for month, value in step.cells.items() if value))
    return len(preview.steps)


# ---------------------------------------------------------------- weekly plan

def parse_weekly(text: "str | list[Line]", year_be: int | None = None) -> WeeklyPreview:
    lines = as_lines(text)
    prev = WeeklyPreview()
    prev.title = _first_title(lines, "แผนการดำเนินงาน") or _first_title(lines, "จังหวัด")
    prev.province, title_year = title_facts(prev.title)
    prev.named_years = years_named(prev.title)
    prev.year_be = year_be or title_year
    default_be = prev.year_be
    week_cols: dict[int, tuple[str, int]] = {}
    remark_col: int | None = None
    category = ""
    rows_before_band = 0   # rows of the earlier bands of months, which a later band continues
    seen_in_band: dict[str, int] = {}   # code -> rows of it so far in this band: the n-th continues the n-th
    in_table = False
    i = 0
    while i < len(lines):
        ln = lines[i]
        first = ln.cells[0] if ln.cells else ""
        if first == "หมวด" and len(ln.cells) > 1 and ln.cells[1].startswith("รหัส"):
            months = _read_month_row(ln.cells, 2, default_be, ln.number, prev.problems, step=4)
            # a "หมายเหตุ" column after the weeks holds the rows' remarks (the exported plan has one)
            remark_col = next((j for j, c in enumerate(ln.cells) if j > 1 and c.startswith("หมายเหตุ")), None)
            week_row = lines[i + 1] if i + 1 < len(lines) else None
            if not months:
                prev.problems.append(Problem(ln.number, _("No month headings in the weekly-plan heading row.")))
                week_cols = {}
            else:
                prev.months_dated |= _dated(ln.cells, months)
                week_cols = {}
                for col, mk in months:
                    for w in range(4):
                        label = week_row.cells[col + w] if week_row and col + w < len(week_row.cells) else ""
                        if label and label.upper() != f"W{w + 1}":
                            prev.problems.append(Problem(week_row.number, _("Week heading '{t}' read as W{w}.").format(
                                t=label, w=w + 1), "warning"))
                        week_cols[col + w] = (mk.key, w + 1)
                ms = [m for _c, m in months]
                if not prev.months:
                    prev.months = ms
                elif not set(ms) & set(prev.months):
                    # the same rows continued over later months (a printed plan's page per band of months)
                    prev.months = sorted(set(prev.months) | set(ms), key=lambda m: (m.year, m.month))
                    rows_before_band = len(prev.rows)
                    seen_in_band = {}
                    prev.problems.append(Problem(ln.number, _(
                        "This table continues the rows over {first} to {last}; rows of the same criterion are joined."
                    ).format(first=ms[0].abbr(), last=ms[-1].abbr()), "warning"))
                elif ms != prev.months:
                    prev.problems.append(Problem(ln.number, _("This table's months differ from the first table's."),
                                                 "warning"))
            in_table = True
            i += 2
            continue
        if ln.is_blank:
            i += 1
            continue
        if not in_table or not week_cols:
            i += 1
            continue
        if len(ln.cells) < 2 or (len(ln.filled) == 1 and ln.filled[0][0] == 0 and not ln.merged_down):
            in_table = False   # a title or note line (in Word or Excel: one cell across the table)
            i += 1
            continue
        if first.strip():
            category = first.strip()
        parsed = split_code(ln.cells[1])
        if parsed is None and not ln.cells[1].strip():
            prev.problems.append(Problem(ln.number, _("No criterion code (such as LD 1) in '{text}'.").format(
                text=ln.cells[1][:60])))
            i += 1
            continue
        if parsed is None:   # a row of the clerk's own (a working group's meetings): kept under its label
            code, short = "", ""
            if not any(r.label == ln.cells[1] and not r.code for r in prev.rows[:rows_before_band]):
                prev.problems.append(Problem(ln.number, _(
                    "'{text}' names no criterion (such as LD 1); imported as a row of its own under that name.").format(
                    text=ln.cells[1][:60]), "warning"))
        else:
            code, short = parsed
        row = WeeklyRowIn(ln.number, category, code, short, ln.cells[1])
        key = code or "\0" + ln.cells[1]
        nth = seen_in_band.get(key, 0)
        seen_in_band[key] = nth + 1
        same = [r for r in prev.rows[:rows_before_band] if (r.code or "\0" + r.label) == key]
        earlier = same[nth] if nth < len(same) else None
        last = max(week_cols)
        overflow: list[str] = []
        remarks: list[str] = []
        ln, down = with_merged_down(ln, 2)
        for j, cell in ln.filled:
            if j <= 1:
                continue
            if j in week_cols:
                month, week = week_cols[j]
                # a cell merged across week columns is one activity spanning those weeks
                span = sum(1 for k in range(j, j + ln.spans.get(j, 1)) if k in week_cols)
                if j in down:
                    prev.problems.append(Problem(ln.number, _(
                        "'{text}' is one cell merged down over several criteria in the file; given to {code} too."
                    ).format(text=cell[:40], code=code), "warning"))
                row.activities.append(WeeklyActivityIn(month, week, cell, max(1, span)))
            elif j == remark_col:
                remarks.append(cell)
            elif j > last:
                overflow.append(cell)
        row.remark = " | ".join(remarks + overflow)
        if overflow:
            prev.problems.append(Problem(ln.number, ngettext(
                "{code}: {n} cell stands beyond the last week column; kept in the row's remark.",
                "{code}: {n} cells stand beyond the last week column; kept in the row's remark.", len(overflow)).format(
                code=code, n=len(overflow)), "warning"))
        if earlier is not None:
            _join_band(earlier, row, prev.months)
        else:
            prev.rows.append(row)
        i += 1
    if not prev.rows and not prev.errors:
        prev.problems.append(Problem(0, _("No weekly-plan table (a heading row หมวด / รหัส) was found.")))
    return prev


def band_rows_joinable(prev: WeeklyPreview) -> bool:
    return len(prev.months) > len({a.month for r in prev.rows for a in r.activities} | set()) or bool(prev.rows)


def _join_band(row: WeeklyRowIn, more: WeeklyRowIn, months: list[MonthKey]) -> None:
    """Add a later band's cells to the row; an activity cut at the band's edge is made whole again."""
    index = {m.key: k for k, m in enumerate(months)}

    def week_no(a: WeeklyActivityIn) -> int:
        return index.get(a.month, 0) * 4 + a.week - 1
    for a in more.activities:
        before = next((b for b in row.activities if b.text == a.text and week_no(b) + b.span == week_no(a)), None)
        if before is not None:
            before.span += a.span
        else:
            row.activities.append(a)
    if more.remark:
        row.remark = " | ".join(t for t in (row.remark, more.remark) if t)


def apply_weekly(store: Store, preview: WeeklyPreview, year_id: str) -> int:
    """Append the previewed rows to a year's weekly plan, all or nothing.

    Criteria named in the plan but missing from the catalog are added to it, so nothing is lost.
    """
    _log.info("import weekly plan into fiscal year %s", year_id)
    if preview.errors:
        raise ImportProblem(ngettext("The import was not applied: {n} row could not be read.",
                                    "The import was not applied: {n} rows could not be read.",
                                    len(preview.errors)).format(n=len(preview.errors)))
    year = store.get("fiscal_year", year_id)
    with store.transaction():
        if preview.months:
            current = {m.key for m in _weekly_months(year)}
            if not planning.weekly_rows(store, year_id) or not {m.key for m in preview.months} <= current:
                planning.set_weekly_span(store, year_id, preview.months[0], len(preview.months))
        if preview.title and not year["weekly_title"]:
            store.update("fiscal_year", year_id, {"weekly_title": preview.title})
        by_code = planning.criteria_by_code(store)
        cats = {c["code"]: c for c in planning.categories(store)}
        base = store.next_sort_key("weekly_row", {"year_id": year_id})
        for k, row in enumerate(preview.rows):
            if not row.code:     # a row of the clerk's own, under its label
                rid = planning.add_weekly_row(store, year_id, None, row.label, base + k, row.remark)
                for a in row.activities:
                    planning.add_weekly_activity(store, rid, a.month, a.week, a.text, a.span)
                continue
            crit = by_code.get(row.code)
            if crit is None:
                cat = cats.get(row.category) or _category_for_code(store, row.code)
                cid = planning.add_criterion(store, cat["id"], row.code, row.short_name)
                crit = store.get("criterion", cid)
                by_code[row.code] = crit
            elif not crit["short_name"] and row.short_name:
                store.update("criterion", crit["id"], {"short_name": row.short_name})
            rid = planning.add_weekly_row(store, year_id, crit["id"], "", base + k, row.remark)
            for a in row.activities:
                planning.add_weekly_activity(store, rid, a.month, a.week, a.text, a.span)
    return len(preview.rows)


def _weekly_months(year):
    start = MonthKey.parse_key(year["weekly_start"])
    return [start.shifted(i) for i in range(year["weekly_months"])]


PREFIX_CATEGORY = {"LD": "1", "SP": "2", "CS": "3", "IT": "4", "HR": "5", "PM": "6", "RM": "7"}


def _category_for_code(store: Store, code: str) -> dict:
    want = PREFIX_CATEGORY.get(code[:2], "P")
    for c in planning.categories(store):
        if c["code"] == want:
            return c
    raise ImportProblem(_("The criteria catalog has no หมวด {code}.").format(code=want))
