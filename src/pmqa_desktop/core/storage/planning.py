"""Organisations, fiscal years, the criteria catalog, owners, the operations calendar and the
weekly plan: reading and writing them through a ``Store``."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator

from ...i18n import _
from ..errors import ValidationError
from ..thai_calendar import MonthKey, fiscal_year_start, shift_years
from .owner_rules import OWNER_FIELDS, validate_owner  # noqa: F401
from .store import Store

WEEKS_PER_MONTH = 4


def sort_key_between(before: float | None, after: float | None) -> float:
    if before is None and after is None:
        return 1.0
    if before is None:
        return after - 1.0
    if after is None:
        return before + 1.0
    return (before + after) / 2.0


# ---------------------------------------------------------------- organisations and years

def organisations(store: Store) -> list[dict[str, Any]]:
    return store.select("organisation", order_by="sort_key, name")


def find_organisation(store: Store, name: str) -> dict[str, Any] | None:
    norm = _norm_name(name)
    for org in organisations(store):
        if _norm_name(org["name"]) == norm or (org["province"] and _norm_name(org["province"]) == norm):
            return org
    return None


def _norm_name(name: str) -> str:
    return re.sub(r"\s+", "", name or "")


def add_organisation(store: Store, name: str, province: str = "", kind: str = "province",
                     parent_id: str | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError(_("An organisation needs a name."))
    return store.insert("organisation", {
        "name": name, "province": province, "kind": kind, "parent_id": parent_id,
        "sort_key": store.next_sort_key("organisation", {})})


def rename_organisation(store: Store, org_id: str, name: str, province: str | None = None) -> bool:
    """Change an organisation's name (and province); False when nothing changed."""
    org = store.get("organisation", org_id)
    if org is None:
        raise ValidationError(_("This organisation no longer exists."))
    name = name.strip()
    if not name:
        raise ValidationError(_("An organisation needs a name."))
    values = {"name": name}
    if province is not None:
        values["province"] = province.strip()
    if all(org[k] == v for k, v in values.items()):
        return False
    store.update("organisation", org_id, values)
    return True


def delete_organisation(store: Store, org_id: str) -> None:
    """Delete an organisation with its years and everything in them. Every row becomes a
    tombstone (nothing is erased: undo brings it all back), and the deletion travels to the
    offices the file is shared with."""
    if store.get("organisation", org_id) is None:
        raise ValidationError(_("This organisation no longer exists."))
    store.delete("organisation", org_id)


def delete_fiscal_year(store: Store, year_id: str) -> None:
    """Delete a fiscal year with its calendar, weekly plan, owners and plans, as tombstones
    (see ``delete_organisation``)."""
    if store.get("fiscal_year", year_id) is None:
        raise ValidationError(_("This fiscal year no longer exists."))
    store.delete("fiscal_year", year_id)


def fiscal_years(store: Store, org_id: str) -> list[dict[str, Any]]:
    return store.select("fiscal_year", {"org_id": org_id}, order_by="year_be")


def fiscal_years_by_org(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every organisation's fiscal years (as ``fiscal_years`` lists them), read at once."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for y in store.select("fiscal_year", order_by="year_be"):
        out[y["org_id"]].append(y)
    return out


def find_year(store: Store, org_id: str, year_be: int) -> dict[str, Any] | None:
    rows = store.select("fiscal_year", {"org_id": org_id, "year_be": year_be})
    return rows[0] if rows else None


def add_fiscal_year(store: Store, org_id: str, year_be: int, *, calendar_start: MonthKey | None = None,
                    calendar_months: int = 12, weekly_start: MonthKey | None = None,
                    weekly_months: int = 12, calendar_title: str = "", weekly_title: str = "") -> str:
    if not 2400 <= int(year_be) <= 2700:
        raise ValidationError(_("The fiscal year must be a Buddhist-era year such as 2554."))
    if find_year(store, org_id, year_be):
        raise ValidationError(_("This organisation already has fiscal year {year}.").format(year=year_be))
    start = fiscal_year_start(year_be)
    return store.insert("fiscal_year", {
        "org_id": org_id, "year_be": int(year_be),
        "calendar_start": (calendar_start or start).key, "calendar_months": calendar_months,
        "weekly_start": (weekly_start or start).key, "weekly_months": weekly_months,
        "calendar_title": calendar_title, "weekly_title": weekly_title})


def calendar_months(year: dict[str, Any]) -> list[MonthKey]:
    start = MonthKey.parse_key(year["calendar_start"])
    return [start.shifted(i) for i in range(year["calendar_months"])]


def weekly_columns(year: dict[str, Any]) -> list[tuple[MonthKey, int]]:
    start = MonthKey.parse_key(year["weekly_start"])
    return [(start.shifted(i), w) for i in range(year["weekly_months"]) for w in range(1, WEEKS_PER_MONTH + 1)]


def set_calendar_span(store: Store, year_id: str, start: MonthKey, months: int) -> None:
    if not 1 <= months <= 36:
        raise ValidationError(_("The calendar can span 1 to 36 months."))
    store.update("fiscal_year", year_id, {"calendar_start": start.key, "calendar_months": months})


def set_calendar_note(store: Store, year_id: str, text: str) -> None:
    """The calendar's footnote ("หมายเหตุ : ..."), printed under its table."""
    store.update("fiscal_year", year_id, {"calendar_note": (text or "").strip()})


def set_weekly_span(store: Store, year_id: str, start: MonthKey, months: int) -> None:
    if not 1 <= months <= 36:
        raise ValidationError(_("The weekly plan can span 1 to 36 months."))
    store.update("fiscal_year", year_id, {"weekly_start": start.key, "weekly_months": months})


# ---------------------------------------------------------------- catalog

def categories(store: Store) -> list[dict[str, Any]]:
    return store.select("category", order_by="sort_key")


def criteria(store: Store, category_id: str | None = None, include_retired: bool = False) -> list[dict[str, Any]]:
    sql = ("SELECT c.* FROM criterion c JOIN category cat ON cat.id = c.category_id "
           "WHERE c.deleted = 0" + (" AND c.category_id = ?" if category_id else "")
           + ("" if include_retired else " AND c.retired = 0") + " ORDER BY cat.sort_key, cat.id, c.sort_key, c.id")
    return store.query(sql, [category_id] if category_id else [])


def criteria_by_code(store: Store) -> dict[str, dict[str, Any]]:
    return {normalise_code(c["code"]): c for c in criteria(store, include_retired=True)}


def normalise_code(code: str) -> str:
    return re.sub(r"\s+", "", code or "").upper()


def add_criterion(store: Store, category_id: str, code: str, short_name: str = "", full_text: str = "",
                  group_title: str = "", after_id: str | None = None) -> str:
    code = normalise_code(code)
    if not re.match(r"^[A-Z]{1,4}\d{0,3}[A-Z]?$", code):
        raise ValidationError(_("A criterion code is letters and a number, such as LD1 or PM12."))
    existing = criteria_by_code(store)
    if code in existing and not existing[code]["retired"]:
        raise ValidationError(_("Criterion {code} already exists.").format(code=code))
    siblings = criteria(store, category_id, include_retired=True)
    if after_id:
        keys = [c["sort_key"] for c in siblings]
        idx = next((i for i, c in enumerate(siblings) if c["id"] == after_id), len(siblings) - 1)
        sort_key = sort_key_between(keys[idx], keys[idx + 1] if idx + 1 < len(keys) else None)
    else:
        sort_key = (siblings[-1]["sort_key"] + 1.0) if siblings else 1.0
    return store.insert("criterion", {
        "category_id": category_id, "code": code, "short_name": short_name.strip(),
        "full_text": full_text.strip(), "group_title": group_title.strip(), "sort_key": sort_key})


def update_criterion(store: Store, criterion_id: str, **values: Any) -> bool:
    if "code" in values:
        code = normalise_code(values["code"])
        if not re.match(r"^[A-Z]{1,4}\d{0,3}[A-Z]?$", code):
            raise ValidationError(_("A criterion code is letters and a number, such as LD1 or PM12."))
        other = criteria_by_code(store).get(code)
        if other and other["id"] != criterion_id and not other["retired"]:
            raise ValidationError(_("Criterion {code} already exists.").format(code=code))
        values["code"] = code
    return store.update("criterion", criterion_id, values)


# ---------------------------------------------------------------- owners

def owner(store: Store, year_id: str, criterion_id: str) -> dict[str, Any] | None:
    rows = store.select("criterion_owner", {"year_id": year_id, "criterion_id": criterion_id}, order_by="")
    return rows[0] if rows else None


def owners(store: Store, year_id: str) -> dict[str, dict[str, Any]]:
    return {r["criterion_id"]: r for r in store.select("criterion_owner", {"year_id": year_id}, order_by="")}


def set_owner(store: Store, year_id: str, criterion_id: str, values: dict[str, str]) -> str:
    values = {k: (values.get(k) or "").strip() for k in OWNER_FIELDS if k in values}
    validate_owner(values)
    with store.transaction():
        row = owner(store, year_id, criterion_id)
        if row:
            store.update("criterion_owner", row["id"], values)
            return row["id"]
        return store.insert("criterion_owner", {"year_id": year_id, "criterion_id": criterion_id, **values})


# ---------------------------------------------------------------- operations calendar

def calendar_steps(store: Store, year_id: str) -> list[dict[str, Any]]:
    """Steps in order, each with ``cells``: month key -> cell row."""
    steps = store.select("calendar_step", {"year_id": year_id}, order_by="sort_key")
    if not steps:
        return steps
    cells: dict[str, dict[str, dict]] = defaultdict(dict)
    for c in store.query(
            "SELECT c.* FROM calendar_cell c JOIN calendar_step s ON s.id = c.step_id "
            "WHERE s.year_id = ? AND c.deleted = 0 AND s.deleted = 0", (year_id,)):
        cells[c["step_id"]][c["month"]] = c
    for s in steps:
        s["cells"] = cells.get(s["id"], {})
    return steps


def calendar_step_keys(store: Store, year_id: str) -> list[tuple[str, float]]:
    """The year's steps in order, without their texts and cells: (id, sort_key)."""
    return store.conn.execute("SELECT id, sort_key FROM calendar_step WHERE year_id = ? AND deleted = 0 "
                              "ORDER BY sort_key, id", (year_id,)).fetchall()


def calendar_step_texts(store: Store, year_id: str) -> dict[str, tuple[str, str]]:
    """The texts of the year's steps: step id -> (text, remark)."""
    return {sid: (text, remark) for sid, text, remark in store.conn.execute(
        "SELECT id, text, remark FROM calendar_step WHERE year_id = ? AND deleted = 0", (year_id,))}


def calendar_step_texts_of(store: Store, step_ids: list[str]) -> dict[str, tuple[str, str]]:
    """The texts of these steps only (a first screenful of the grid): step id -> (text, remark)."""
    return {sid: (text, remark) for sid, text, remark in _rows_of_ids(
        store, "SELECT id, text, remark FROM calendar_step WHERE id IN (%s)", step_ids)}


def _rows_of_ids(store: Store, sql: str, ids: list[str]) -> Iterator[tuple]:
    """The rows of ``sql`` for these ids, its ``IN (%s)`` given 500 of them at a time (under
    SQLite's limit of bound values), in the order of the parts."""
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        yield from store.conn.execute(sql % ",".join("?" * len(part)), part)


def calendar_cells(store: Store, year_id: str) -> dict[str, dict[str, str]]:
    """The cells of the year's steps: step id -> month key -> text (steps without cells left out)."""
    cells: dict[str, dict[str, str]] = defaultdict(dict)
    for step_id, month, text in store.conn.execute(
            "SELECT c.step_id, c.month, c.text FROM calendar_cell c JOIN calendar_step s ON s.id = c.step_id "
            "WHERE s.year_id = ? AND c.deleted = 0 AND s.deleted = 0", (year_id,)):
        cells[step_id][month] = text
    return cells


def calendar_cells_of(store: Store, step_ids: list[str]) -> dict[str, dict[str, str]]:
    """The cells of these steps only (a first screenful of the grid), as ``calendar_cells``:
    a step's cells come in the same order (its index, by month), so the same text wins."""
    cells: dict[str, dict[str, str]] = defaultdict(dict)
    for step_id, month, text in _rows_of_ids(
            store, "SELECT step_id, month, text FROM calendar_cell WHERE step_id IN (%s) AND deleted = 0", step_ids):
        cells[step_id][month] = text
    return cells


def add_calendar_step(store: Store, year_id: str, text: str = "", remark: str = "",
                      sort_key: float | None = None, cells: dict[str, str] | None = None) -> str:
    with store.transaction():
        sid = store.insert("calendar_step", {
            "year_id": year_id, "text": text, "remark": remark,
            "sort_key": sort_key if sort_key is not None else store.next_sort_key("calendar_step", {"year_id": year_id})})
        for month, value in (cells or {}).items():
            if value:
                store.insert("calendar_cell", {"step_id": sid, "month": month, "text": value})
    return sid


def set_calendar_cell(store: Store, step_id: str, month: str, text: str) -> None:
    with store.transaction():
        rows = store.select("calendar_cell", {"step_id": step_id, "month": month}, order_by="", include_deleted=True)
        live = [r for r in rows if not r["deleted"]]
        if live:
            store.update("calendar_cell", live[0]["id"], {"text": text})
        elif text:
            if rows:  # reuse a tombstoned cell so the month keeps one row across offices
                store.update("calendar_cell", rows[0]["id"], {"text": text})
                store.undelete("calendar_cell", rows[0]["id"])
            else:
                store.insert("calendar_cell", {"step_id": step_id, "month": month, "text": text})


def calendar_cell_text(store: Store, step_id: str, month: str) -> str:
    rows = store.select("calendar_cell", {"step_id": step_id, "month": month}, order_by="")
    return rows[0]["text"] if rows else ""


# ---------------------------------------------------------------- weekly plan

def weekly_rows(store: Store, year_id: str) -> list[dict[str, Any]]:
    """Rows grouped by หมวด (category order, then the row's own order); each with ``activities``."""
    rows = store.query(
        "SELECT w.*, c.code AS criterion_code, c.short_name AS criterion_name, c.category_id AS category_id, "
        "cat.code AS category_code, cat.sort_key AS cat_sort, c.sort_key AS crit_sort "
        "FROM weekly_row w LEFT JOIN criterion c ON c.id = w.criterion_id "
        "LEFT JOIN category cat ON cat.id = c.category_id "
        "WHERE w.year_id = ? AND w.deleted = 0 "
        "ORDER BY COALESCE(cat.sort_key, 1e9), cat.id, w.sort_key, w.id", (year_id,))
    acts: dict[str, list[dict]] = defaultdict(list)
    for a in store.query(
            "SELECT a.* FROM weekly_activity a JOIN weekly_row w ON w.id = a.row_id "
            "WHERE w.year_id = ? AND a.deleted = 0 AND w.deleted = 0 ORDER BY a.month, a.week, a.id", (year_id,)):
        acts[a["row_id"]].append(a)
    for r in rows:
        r["activities"] = acts.get(r["id"], [])
    return rows


def add_weekly_row(store: Store, year_id: str, criterion_id: str | None, label: str = "",
                   sort_key: float | None = None, remark: str = "") -> str:
    return store.insert("weekly_row", {
        "year_id": year_id, "criterion_id": criterion_id, "label": label, "remark": remark,
        "sort_key": sort_key if sort_key is not None else store.next_sort_key("weekly_row", {"year_id": year_id})})


def week_index(year: dict[str, Any], month: str, week: int) -> int:
    return (_month_number(month) - _month_number(year["weekly_start"])) * WEEKS_PER_MONTH + (week - 1)


@lru_cache(maxsize=4096)
def _month_number(key: str) -> int:
    """Months since year 0 of a 'YYYY-MM' key (asked for every activity of a weekly plan)."""
    m = MonthKey.parse_key(key)
    return m.year * 12 + m.month


def week_at(year: dict[str, Any], index: int) -> tuple[str, int]:
    start = MonthKey.parse_key(year["weekly_start"])
    return start.shifted(index // WEEKS_PER_MONTH).key, index % WEEKS_PER_MONTH + 1


def add_weekly_activity(store: Store, row_id: str, month: str, week: int, text: str, span: int = 1) -> str:
    if not 1 <= week <= WEEKS_PER_MONTH:
        raise ValidationError(_("A week is W1 to W4."))
    if span < 1:
        raise ValidationError(_("An activity spans at least one week."))
    return store.insert("weekly_activity", {"row_id": row_id, "month": month, "week": week, "span": span, "text": text})


# ---------------------------------------------------------------- rolling a year over

@dataclass
class DateNote:
    """One text the rollover moved (or could not read): where it is, before and after."""
    place: str
    before: str
    after: str
    problem: str = ""   # why it needs the clerk's eye ('' when it simply moved)


@dataclass
class RolloverReport:
    year_id: str = ""
    changed: list[DateNote] = field(default_factory=list)
    unread: list[DateNote] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as text lines (the command line prints them)."""
        out = [_("Dates moved: {n}").format(n=len(self.changed))]
        out += [f"  {n.place}: {n.before} → {n.after}" for n in self.changed]
        out.append(_("Texts to check (not moved, or not a day in the new year): {n}").format(n=len(self.unread)))
        out += [f"  {n.place}: {n.after} ({n.problem})" for n in self.unread]
        return out


class _DateMover:
    def __init__(self, years: int, report: RolloverReport):
        self.years, self.report = years, report

    def __call__(self, text: str, place: str) -> str:
        res = shift_years(text, self.years)
        if res.status == "changed" or (res.status == "unread" and res.text != text):
            self.report.changed.append(DateNote(place, text, res.text))
        if res.status == "unread":
            self.report.unread.append(DateNote(place, text, res.text, _("a date whose year could not be read")))
        for day in res.check:
            self.report.unread.append(DateNote(place, text, res.text,
                                               _("{date} moved to a day the new year does not have").format(date=day)))
        return res.text


def roll_over(store: Store, from_year_id: str, to_year_be: int | None = None,
              report: RolloverReport | None = None) -> str:
    """Create the next fiscal year from an earlier one: steps, weekly activities and owners
    copied, every month shifted by the difference in years, and every date written in their
    texts moved by as many years ("31 มี.ค. 54" -> "31 มี.ค. 55"). ``report`` (if given) lists
    what was moved and what could not be read."""
    src = store.get("fiscal_year", from_year_id)
    if src is None:
        raise ValidationError(_("The fiscal year to copy from no longer exists."))
    to_year_be = to_year_be or src["year_be"] + 1
    years = to_year_be - src["year_be"]
    shift = years * 12
    report = report if report is not None else RolloverReport()
    mv = _DateMover(years, report)

    def sh(key: str | None) -> str | None:
        return MonthKey.parse_key(key).shifted(shift).key if key else key

    with store.transaction():
        new_id_ = add_fiscal_year(
            store, src["org_id"], to_year_be,
            calendar_start=MonthKey.parse_key(sh(src["calendar_start"])), calendar_months=src["calendar_months"],
            weekly_start=MonthKey.parse_key(sh(src["weekly_start"])), weekly_months=src["weekly_months"],
            calendar_title=mv(src["calendar_title"], _("Calendar title")),
            weekly_title=mv(src["weekly_title"], _("Weekly plan title")))
        if src["calendar_note"]:
            set_calendar_note(store, new_id_, mv(src["calendar_note"], _("Calendar note")))
        for number, step in enumerate(calendar_steps(store, from_year_id), start=1):
            place = _("Calendar, step {number}").format(number=number)
            cells = {}
            for m, c in sorted(step["cells"].items()):
                month = sh(m)
                cells[month] = mv(c["text"], f"{place}, {MonthKey.parse_key(month).abbr()}")
            add_calendar_step(store, new_id_, mv(step["text"], place),
                              mv(step["remark"], _("{place}, remark").format(place=place)), step["sort_key"], cells)
        for row in weekly_rows(store, from_year_id):
            name = row["criterion_code"] or row["label"]
            place = _("Weekly plan, {row}").format(row=name)
            rid = add_weekly_row(store, new_id_, row["criterion_id"], mv(row["label"], place), row["sort_key"],
                                 mv(row["remark"], _("{place}, remark").format(place=place)))
            for a in row["activities"]:
                month = sh(a["month"])
                text = mv(a["text"], f"{place}, {MonthKey.parse_key(month).abbr()} W{a['week']}")
                add_weekly_activity(store, rid, month, a["week"], text, a["span"])
        for crit_id, o in owners(store, from_year_id).items():
            store.insert("criterion_owner", {"year_id": new_id_, "criterion_id": crit_id,
                                             **{k: o[k] for k in OWNER_FIELDS}})
    report.year_id = new_id_
    return new_id_
