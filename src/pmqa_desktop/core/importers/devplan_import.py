"""Import of development plans (แผนพัฒนาองค์การ) and KPI form 7.2 from seed-style text (seed 001).

``parse_devplan(text, year_be)`` reads the text into a ``DevPlanPreview`` with a list of every
row it could not read (``problems``; ``errors`` are those that stop the import), touching
nothing.  ``apply_devplan(store, preview, year_id)`` writes it in one transaction (all or
nothing) and returns the number of rows written.

How the dump is read (it is a fragmentary Word-table dump; cells are tab-separated):

* A plan is: one or more step tables, an optional approval block, then its form 7.2 (whose
  first cell names the plan: "1. แผนหมวด 3: ... กิจกรรมหลัก 1. ... 2. ...").  Steps after a
  form 7.2 start the next plan.
* Step tables start with a "กิจกรรม/ขั้นตอน | ระยะเวลา | เริ่มต้น | สิ้นสุด | ปีงบประมาณ 2553"
  header and a row of month headings (often garbled: only warned about).  A row
  "กิจกรรมที่ 2 ... 150,000 บาท" starts an activity and states its budget.  Steps before any
  heading go to an activity made for them (number and title from the form's list of main
  activities when it can be told, else "กิจกรรมที่ 1"), with a warning.
* Step rows are read by content, not position: duration ("2 เดือน", "ไตรมาสที่ 3 และ 4") and
  months ("มิ.ย. 53", typos settled by the duration); the tail is output, responsible,
  related, budget -- after the last Gantt arrow if there is one, else ending at a
  budget-looking last cell.  Ditto marks take the value of the step above.
* Approval block: "พิจารณาเห็นชอบดำเนินการ", "ลงนาม ....", "(name)", position lines.
* Form 7.2 rows are read by content as well, so rows whose cells shifted left are still read.
"""
from __future__ import annotations

import itertools
import json
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ...i18n import _, ngettext
from ..budget import format_baht, is_budget_like, parse_budget
from ..errors import ImportProblem, ValidationError
from ..scoring import check_ladder, parse_number
from ..storage import devplan as dp
from ..storage import planning
from ..storage.store import Store
from ..thai_calendar import (MONTH_ABBR, MonthKey, fiscal_months, from_thai_digits, month_candidates,
                             parse_cell_date, parse_month_header)
from .document_year import years_named
from .text_tables import Line, Problem, as_lines, dewrap, with_merged_down

_log = logging.getLogger(__name__)  # the log file (logfile.py)

ARROWS = set("↓↑→←↔⇣⇢⟶─►▶▼▲⬇➔➜➝➞") | {"-->", "->", "<->", "<-->"}   # not "—": that is a no-money mark
HEAD_RE = re.compile(r"^กิจกรรม\s*/\s*ขั้นตอน")
# the printed form's words after a stated budget that is not the steps' sum (printing's budget_difference)
BUDGET_DIFFERENCE_RE = re.compile(r"\s*\((?:ยอดที่ระบุ|stated)\s*[\d๐-๙][\d๐-๙,.]*\s*(?:บาท|baht)[^()]*\)\s*$")
ACTIVITY_RE = re.compile(r"^กิจกรรมที่\s*(?P<num>[\d๐-๙]+)\s*(?P<title>.*?)\s*(?:(?P<amt>[\d๐-๙][\d๐-๙,]*)\s*บาท)?\s*$")
NUMBER_RE = re.compile(r"^\s*(?P<num>\(\s*[\d๐-๙]+\s*\)|[\d๐-๙]+(?:\.[\d๐-๙]+)*\.?)\s*(?P<rest>.*)$", re.S)
DURATION_RE = re.compile(r"(?:[\d๐-๙]+\s*(?:เดือน|สัปดาห์|วัน|ปี))|ไตรมาส|ตลอดปี|ทั้งปี")
MONTHS_IN_DURATION = re.compile(r"^\s*([\d๐-๙]+)\s*เดือน\s*$")
YEAR_IN_HEAD = re.compile(r"ปีงบประมาณ\s*(?:พ\.ศ\.\s*)?([\d๐-๙]{4})")
DIMENSION_RE = re.compile(r"^\s*(7\.[1-4])\s*(ด้าน.*)?$")
POINTS_RE = re.compile(r"^\s*([1-5๑-๕])\s*คะแนน\s*$")
APPROVE_RE = re.compile(r"พิจารณา\s*เห็นชอบ")
SIGN_RE = re.compile(r"^ลงนาม")
NAME_RE = re.compile(r"^\(\s*(.+?)\s*\)$")
FORM72_RE = re.compile(r"แบบฟอร์มที่\s*7\.2")
PLAN_HEAD_RE = re.compile(r"^แผนพัฒนา")
CATEGORY_IN_PLAN = re.compile(r"หมวด\s*([1-7])")
MAIN_ACTS_RE = re.compile(r"กิจกรรมหลัก\s*(.*)$", re.S)
LOWER_WORDS = ("ไม่พึงพอใจ", "ร้องเรียน", "ผิดพลาด", "ความเสียหาย", "ลดลง", "ข้อบกพร่อง", "อุบัติเหตุ")
PROVINCE_RE = re.compile(r"จังหวัด\s*([ก-๛]+)")
TOTAL_RE = re.compile(r"^รวมงบประมาณ")
# a threshold with its unit ("60%", "9วัน") then its points
LADDER_IN_CELL = re.compile(r"([\d๐-๙][\d๐-๙.,]*\s*(?:%|[^\s\d๐-๙%]+)?)\s+([1-5๑-๕])\s*คะแนน")
THRESHOLD_RE = re.compile(r"^\s*(?P<num>[\d๐-๙][\d๐-๙.,]*)\s*(?P<unit>[^\s\d๐-๙%][^\d๐-๙]*?)\s*$")
DOTS_RE = re.compile(r"^[.\s…]*$")
COLUMN_HEADS = {"output": re.compile(r"^ผลผลิต"), "responsible": re.compile(r"^ผู้\s*รับ"),
                "related": re.compile(r"เกี่ยวข้อง$"), "budget": re.compile(r"^งบ")}


@dataclass
class StepIn:
    line: int
    number: str
    text: str
    duration: str = ""
    start: MonthKey | None = None
    end: MonthKey | None = None
    output: str = ""
    responsible: str = ""
    related: str = ""
    budget: int | None = None
    budget_note: str = ""
    raw_start: str = ""
    raw_end: str = ""
    raw_budget: str = ""


@dataclass
class ActivityIn:
    line: int
    number: str
    title: str
    stated_budget: int | None = None
    steps: list[StepIn] = field(default_factory=list)
    created: bool = False          # made for steps whose heading is missing in the document
    listed: bool = False           # only named in the plan's list of main activities (no steps in the document)

    @property
    def total(self) -> int:
        return sum(s.budget or 0 for s in self.steps)


@dataclass
class KpiIn:
    line: int
    dimension: str
    number: str
    text: str
    current_data: str = ""
    target: str = ""
    weight: float | None = None
    unit: str = ""
    direction: str = "higher"
    thresholds: dict[int, float] = field(default_factory=dict)
    # a milestone ladder as the form writes it ("1 <steps of level 1> 2 <steps> 3 3 คะแนน ..."): the
    # levels are split again where the plan's steps are known (milestone_levels)
    milestone_text: str = ""

    @property
    def ladder_kind(self) -> str:
        return "milestone" if self.milestone_text else "linear"

    def milestones(self, labels: "list[str] | None" = None) -> list[list[str]]:
        return milestone_levels(self.milestone_text, labels or []) or [] if self.milestone_text else []

    def as_row(self, labels: "list[str] | None" = None) -> dict:
        return {"id": f"line{self.line}", "dimension": self.dimension, "text": self.text, "weight": self.weight,
                "direction": self.direction, "ladder_kind": self.ladder_kind,
                "milestones": [[t for t in lvl] for lvl in self.milestones(labels)],
                **{f"t{k}": self.thresholds.get(k) for k in range(1, 6)}}


@dataclass
class ApprovalIn:
    line: int
    signer_name: str = ""
    position_lines: list[str] = field(default_factory=list)
    date_text: str = ""
    signed_on: date | None = None
    other_lines: list[str] = field(default_factory=list)


@dataclass
class PlanIn:
    line: int
    title: str = ""
    policy: str = ""
    category_code: str | None = None
    main_activities: list[str] = field(default_factory=list)
    activities: list[ActivityIn] = field(default_factory=list)
    kpis: list[KpiIn] = field(default_factory=list)
    dimensions: list[str] = field(default_factory=list)   # dimension rows seen on the form
    approval: ApprovalIn | None = None
    has_form: bool = False

    @property
    def steps(self) -> list[StepIn]:
        return [s for a in self.activities for s in a.steps]

    @property
    def total(self) -> int:
        return sum(a.total for a in self.activities)


@dataclass
class DevPlanPreview:
    year_be: int | None = None
    province: str | None = None
    plans: list[PlanIn] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    named_years: list[int] = field(default_factory=list)   # named by the titles and table headings

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def activities(self) -> list[ActivityIn]:
        return [a for p in self.plans for a in p.activities]

    @property
    def steps(self) -> list[StepIn]:
        return [s for p in self.plans for s in p.steps]

    @property
    def kpis(self) -> list[KpiIn]:
        return [k for p in self.plans for k in p.kpis]

    @property
    def approvals(self) -> list[ApprovalIn]:
        return [p.approval for p in self.plans if p.approval]

    def summary(self) -> str:
        # one plural message for each count (Thai: "{n} แผน {n} กิจกรรม ...", as before)
        plans, acts, steps = len(self.plans), len(self.activities), len(self.steps)
        kpis, appr = len(self.kpis), len(self.approvals)
        return _("{plans}, {acts}, {steps}, {kpis}, {appr}").format(
            plans=ngettext("{n} plan", "{n} plans", plans).format(n=plans),
            acts=ngettext("{n} activity", "{n} activities", acts).format(n=acts),
            steps=ngettext("{n} step", "{n} steps", steps).format(n=steps),
            kpis=ngettext("{n} KPI", "{n} KPIs", kpis).format(n=kpis),
            appr=ngettext("{n} approval", "{n} approvals", appr).format(n=appr))


# ---------------------------------------------------------------- cell readers

_LEVEL_DIGITS = ("1๑", "2๒", "3๓", "4๔", "5๕")


def is_linear_ladder(text: str) -> bool:
    """The whole cell is thresholds with their points ("60% 1 คะแนน 65% 2 คะแนน ...")."""
    return len(LADDER_IN_CELL.findall(text)) > 1 and not LADDER_IN_CELL.sub("", text).strip()


def _as_labels(text: str, labels: list[str]) -> list[str] | None:
    """``text`` as plan-step labels written one after the other, or None."""
    if not text:
        return []
    for lab in sorted(labels, key=len, reverse=True):
        if text == lab:
            return [lab]
        if text.startswith(lab + " "):
            rest = _as_labels(text[len(lab) + 1:], labels)
            if rest is not None:
                return [lab] + rest
    return None


def milestone_levels(text: str, labels: list[str]) -> list[list[str]] | None:
    """A milestone ladder written in one cell, as form 7.2 prints it: each level's number then the
    steps that reach it, or "k คะแนน" for a level without any ("1 1.1 ประชุม 2 1.2 จัดทำแผน 1.3 ...").
    Several splits are possible when a step's text holds a lone digit: the one whose levels are
    the plan's steps (``labels``) wins. None when the text is not such a ladder."""
    text = re.sub(r"\s+", " ", text or "").strip()
    labels = [re.sub(r"\s+", " ", lab).strip() for lab in labels if lab and lab.strip()]
    if not text or text[0] not in _LEVEL_DIGITS[0] or not re.match(r"^\S\s", text):
        return None
    marks = [[m.start() + (1 if m.start() else 0) for m in re.finditer(rf"(?:^|\s)[{d}](?=\s)", text)]
             for d in _LEVEL_DIGITS]
    best: tuple[tuple[int, int, int], list[list[str]]] | None = None

    def level(seg: str, k: int) -> tuple[int, list[str]]:
        if re.fullmatch(rf"[{_LEVEL_DIGITS[k]}]\s*คะแนน", seg):
            return 1, []
        items = _as_labels(seg, labels)
        if items and len(set(items)) < len(items):   # a step reaches a level once: not this split
            items = None
        return (1, items) if items else (0, [seg] if seg else [])

    def walk(k: int, start: int, got: list[tuple[int, list[str]]]) -> None:
        nonlocal best
        # level k starts at ``start``; it ends at the text's end or where level k+1 starts
        ends = [p for p in (marks[k + 1] if k + 1 < 5 else []) if p > start + 1]
        seg_from = start + 2
        for end in [len(text) + 1] + ends:
            seg = text[seg_from:end - 1].strip()
            here = got + [level(seg, k)]
            if end > len(text):
                # the most levels read as steps or as empty, then the most levels, then the earliest marks
                score = (sum(g for g, _i in here), len(here), -len(got))
                if best is None or score > best[0]:
                    best = (score, [items for _g, items in here])
            elif len(here) < 5:
                walk(k + 1, end, here)

    walk(0, 0, [])
    return best[1] if best else None



def _is_arrow(cell: str) -> bool:
    c = cell.strip()
    return bool(c) and (c in ARROWS or all(ch in "↓↑→←↔-–—>─ " for ch in c) and any(ch in "↓↑→←↔>─" for ch in c))


def _month_readings(text: str, year_be: int | None) -> list[MonthKey]:
    """Every month a start/end cell may mean ('มิ.ค. 53' -> มี.ค.53, มิ.ย.53), usual reading first."""
    plain = from_thai_digits(text).strip()
    m = re.match(r"^(?P<mon>.+?)\s*(?P<yr>\d{2,4})?\s*$", plain)
    if not m:
        return []
    cands = month_candidates(m.group("mon"))
    out = []
    for num in cands:
        label = MONTH_ABBR[num - 1] + (" " + m.group("yr") if m.group("yr") else "")
        mk = parse_month_header(label, default_be=year_be)
        if mk is None and year_be:
            mk = next((fm for fm in fiscal_months(year_be) if fm.month == num), None)
        if mk is not None:
            out.append(mk)
    return out


def _is_month(text: str, year_be: int | None) -> bool:
    return bool(text.strip()) and bool(_month_readings(text, year_be))


def _duration_months(text: str) -> int | None:
    m = MONTHS_IN_DURATION.match(from_thai_digits(text or ""))
    return int(m.group(1)) if m else None


def _choose_span(starts: list[MonthKey], ends: list[MonthKey], months: int | None,
                 year_be: int | None) -> tuple[MonthKey | None, MonthKey | None]:
    """The reading of (start, end) that fits best: ordered, in the fiscal year, as long as stated."""
    fy = set(fiscal_months(year_be)) if year_be else set()
    best, best_cost = (starts[0] if starts else None, ends[0] if ends else None), None
    for (i, s), (j, e) in itertools.product(enumerate(starts or [None]), enumerate(ends or [None])):
        cost = i + j
        if s is not None and e is not None:
            span = s.months_until(e) + 1
            if span < 1:
                cost += 100
            if months is not None and span != months:
                cost += 10 * abs(span - months)
        for mk in (s, e):
            if mk is not None and fy and mk not in fy:
                cost += 20
        if best_cost is None or cost < best_cost:
            best, best_cost = (s, e), cost
    return best


def _split_number(text: str, as_typed: bool = False) -> tuple[str, str]:
    """'3. ประชุม' -> ('3', 'ประชุม'); with ``as_typed`` (a step's number, printed as the clerk
    wrote it) the period stays: ('3.', 'ประชุม'), and '3 ประชุม' -> ('3', 'ประชุม')."""
    m = NUMBER_RE.match(text)
    if m and m.group("rest").strip():
        num = from_thai_digits(re.sub(r"\s+", "", m.group("num")))
        return (num if as_typed else num.rstrip(".")), m.group("rest").strip()
    return "", text.strip()


def _tidy(text: str) -> str:
    return re.sub(r"\s+", " ", dewrap(text or "")).strip()


def step_label(number: str | None, text: str | None) -> str:
    """A step as a milestone ladder names it: its number and its text ("1.2 จัดทำแผน")."""
    return f"{(number or '').strip()} {text or ''}".strip()


def guess_direction(text: str) -> str:
    """'lower' for KPIs whose wording says less is better (ร้อยละความไม่พึงพอใจ, ข้อร้องเรียน...)."""
    return "lower" if any(w in (text or "") for w in LOWER_WORDS) else "higher"


# ---------------------------------------------------------------- parser

class _Parser:
    def __init__(self, text: "str | list[Line]", year_be: int | None):
        self.lines = as_lines(text)
        self.prev = DevPlanPreview(year_be=year_be)
        self.year_be = year_be
        self.plan: PlanIn | None = None
        self.activity: ActivityIn | None = None
        self.last_step: StepIn | None = None
        self.headless: list[tuple[PlanIn, ActivityIn]] = []
        self.columns: dict[str, int] = {}   # where a Word or Excel table's heading puts the tail cells
        # Word and Excel cells keep their spaces: removing wrap spaces is offered in the preview
        self.keep_spaces = any(ln.on_grid for ln in self.lines)

    def tidy(self, text: str) -> str:
        return re.sub(r"\s+", " ", text or "").strip() if self.keep_spaces else _tidy(text)

    def problem(self, line: int, message: str, severity: str = "warning") -> None:
        self.prev.problems.append(Problem(line, message, severity))

    # -- plan / activity bookkeeping
    def current_plan(self, line: int) -> PlanIn:
        if self.plan is None or self.plan.has_form:
            self.plan = PlanIn(line)
            self.prev.plans.append(self.plan)
            self.activity = None
            self.last_step = None
        return self.plan

    def current_activity(self, line: int) -> ActivityIn:
        plan = self.current_plan(line)
        if self.activity is None:
            self.activity = ActivityIn(line, "", "", created=True)
            plan.activities.append(self.activity)
            self.headless.append((plan, self.activity))
        return self.activity

    # -- main loop
    def run(self) -> DevPlanPreview:
        i, n = 0, len(self.lines)
        while i < n:
            ln = self.lines[i]
            if ln.is_blank:
                i += 1
                continue
            first = ln.filled[0][1]
            if HEAD_RE.match(first):
                i = self.step_table(i)
            elif APPROVE_RE.search(ln.text) and len(ln.filled) == 1:
                i = self.approval(i)
            elif FORM72_RE.search(ln.text) and len(ln.filled) == 1:
                i = self.form72(i)
            elif ACTIVITY_RE.match(first):
                self.activity_heading(ln)
                i += 1
            elif PLAN_HEAD_RE.match(first) and len(ln.filled) == 1:
                i = self.plan_title(i)
            else:
                self.problem(ln.number, _("Could not read this row: {text}").format(text=ln.text[:80]), "error")
                i += 1
        self.finish()
        return self.prev

    def step_table(self, i: int) -> int:
        head = self.lines[i]
        self.prev.named_years += years_named(head.text)
        m = YEAR_IN_HEAD.search(from_thai_digits(head.text))
        if m:
            yr = int(m.group(1))
            if self.year_be is None:
                self.year_be = self.prev.year_be = yr
            elif yr != self.year_be:
                self.problem(head.number, _("The table says fiscal year {found}; importing into {year}.").format(
                    found=yr, year=self.year_be))
        self.current_plan(head.number)
        self.columns = {}
        if head.on_grid:
            for key, rx in COLUMN_HEADS.items():
                at = next((j for j, c in enumerate(head.cells) if j >= 4 and rx.search(c.strip())), None)
                if at is not None:
                    self.columns[key] = at
            if len(self.columns) != len(COLUMN_HEADS):
                self.columns = {}
        i += 1
        # the month headings row (garbled in the seed): checked, only warned about
        if i < len(self.lines) and not self.lines[i].is_blank and not self.lines[i].cells[0].strip():
            self.month_row(self.lines[i])
            i += 1
        while i < len(self.lines):
            ln = self.lines[i]
            if ln.is_blank:
                break
            first = ln.cells[0].strip() if ln.cells else ""
            if HEAD_RE.match(first):
                break
            wide = ln.spans.get(0, 1) > 4 and len(ln.filled) == 2 and is_budget_like(ln.filled[1][1])
            if ACTIVITY_RE.match(first) and (len(ln.filled) == 1 or wide):
                self.activity_heading(ln, only_first=wide)   # a printed heading also shows the steps' sum
            elif TOTAL_RE.match(first) and wide:
                self.total_row(ln)
            elif first:
                self.step_row(ln)
            else:
                self.problem(ln.number, _("Could not read this row (no step text): {text}").format(
                    text=ln.text[:80]), "error")
            i += 1
        return i

    def month_row(self, ln: Line) -> None:
        if self.year_be is None:
            return
        cells = [c for _i, c in ln.filled]
        expected = fiscal_months(self.year_be)
        bad = []
        for k, text in enumerate(cells[:12]):
            want = expected[k] if k < len(expected) else None
            mk = parse_month_header(text, expected=want, default_be=self.year_be)
            if mk is None or want is None or mk.month != want.month:
                bad.append(text)
        if bad or len(cells) != 12:
            self.problem(ln.number, _(
                "The month headings ({found}) do not read as the 12 months of fiscal year {year}; "
                "each step's own start and end months are used for its bar.").format(
                found=" ".join(cells), year=self.year_be))

    def plan_title(self, i: int) -> int:
        """A printed plan's title ("แผนพัฒนาองค์การ ...") and the heading lines under it (policy or
        หมวด, then the plan's name) start a plan."""
        head = self.lines[i]
        self.plan = PlanIn(head.number)
        self.prev.plans.append(self.plan)
        self.activity, self.last_step = None, None
        i += 1
        heads: list[str] = []
        while i < len(self.lines):
            ln = self.lines[i]
            if ln.is_blank or len(ln.filled) != 1 or HEAD_RE.match(ln.filled[0][1]) \
                    or ACTIVITY_RE.match(ln.filled[0][1]) or PLAN_HEAD_RE.match(ln.filled[0][1]):
                break
            heads.append(self.tidy(ln.filled[0][1]))
            i += 1
        for text in [head.text] + heads:
            self.prev.named_years += years_named(text)
        for k, text in enumerate(heads):
            if "นโยบาย" in text and not self.plan.policy:
                self.plan.policy = text
            c = CATEGORY_IN_PLAN.search(text)
            if k == 0 and c and self.plan.category_code is None:
                self.plan.category_code = c.group(1)
        if heads:
            self.plan.title = heads[-1] if len(heads) > 1 or self.plan.policy else heads[0]
        return i

    def total_row(self, ln: Line) -> None:
        """A printed total: computed from the steps again, and a difference reported."""
        try:
            amount = parse_budget(ln.filled[1][1]).amount
        except ValidationError:
            return
        plan = self.plan
        total = None
        if plan is not None and "แผน" in ln.filled[0][1]:
            total = plan.total
        elif self.activity is not None:
            total = self.activity.total
        if total is not None and amount is not None and amount != total:
            self.problem(ln.number, _("The file's total {stated} differs from the steps' sum {total}; "
                                      "the sum is kept.").format(stated=format_baht(amount), total=format_baht(total)))

    def activity_heading(self, ln: Line, only_first: bool = False) -> None:
        text = self.tidy(ln.filled[0][1] if only_first else " ".join(c for _i, c in ln.filled))
        m = ACTIVITY_RE.match(BUDGET_DIFFERENCE_RE.sub("", text))
        plan = self.current_plan(ln.number)
        amount = None
        if m.group("amt"):
            try:
                amount = parse_budget(m.group("amt")).amount
            except ValidationError as exc:
                self.problem(ln.number, exc.message, "error")
        number = from_thai_digits(m.group("num"))
        if any(a.number == number and not a.created for a in plan.activities):
            self.problem(ln.number, _("Activity {n} appears twice in the same plan.").format(n=number))
        self.activity = ActivityIn(ln.number, number, m.group("title").strip(), amount)
        plan.activities.append(self.activity)

    def step_row(self, ln: Line) -> None:
        cells = [c.strip() for c in ln.cells]
        while cells and not cells[-1]:
            cells.pop()
        text_cell = cells[0]
        # leading cells: duration and the start/end months, found by content
        lead = cells[1:5]
        duration, months_txt, lead_used = "", [], 0
        for k, c in enumerate(lead, start=1):
            if not c:
                lead_used = k
                continue
            if _is_arrow(c):
                break
            if _is_month(c, self.year_be) and not DURATION_RE.search(c):
                months_txt.append(c)
                lead_used = k
            elif not duration and not months_txt and (DURATION_RE.search(c) or k == 1):
                duration = self.tidy(c)
                lead_used = k
            else:
                break
        # the tail: output, responsible, related, budget
        arrows = [k for k, c in enumerate(cells) if k > lead_used and _is_arrow(c)]
        pos = self.columns if ln.on_grid else {}
        if pos and len(ln.cells) > max(pos.values()):
            tail = [ln.cells[pos[k]].strip() for k in ("output", "responsible", "related", "budget")]
            extra = [c for j, c in enumerate(ln.cells) if j > pos["output"] and j not in pos.values() and c.strip()]
            middle = [c for c in ln.cells[lead_used + 1:pos["output"]]]
        elif arrows:
            after = cells[arrows[-1] + 1:]          # trailing empties already stripped
            if len(after) > 4:                      # empty month cells after the bar
                extra, tail = after[:-4], after[-4:]
            else:
                extra, tail = [], (after + ["", "", "", ""])[:4]
            middle = cells[lead_used + 1:arrows[-1]]
        elif len(cells) > lead_used + 1 and is_budget_like(cells[-1]):
            start = max(lead_used + 1, len(cells) - 4)
            tail = ([""] * 4 + cells[start:])[-4:]
            extra = []
            middle = cells[lead_used + 1:start]
        else:
            self.problem(ln.number, _("Could not find the output, responsible and budget cells of this step: {text}")
                         .format(text=self.tidy(text_cell)[:60]), "error")
            return
        if any(c and not _is_arrow(c) for c in middle) or any(extra):
            self.problem(ln.number, _("Unexpected text in the month columns of this step was left out: {text}").format(
                text=" | ".join(c for c in middle + extra if c and not _is_arrow(c))[:80]))
        output, responsible, related, budget_txt = tail
        number, text = _split_number(self.tidy(text_cell), as_typed=True)
        step = StepIn(ln.number, number, text, duration=duration, output=self.tidy(output), raw_budget=budget_txt)
        # months
        if len(months_txt) > 2:
            self.problem(ln.number, _("More than two months in the start/end columns: {m}").format(m=" ".join(months_txt)))
        if months_txt:
            step.raw_start = months_txt[0]
            step.raw_end = months_txt[1] if len(months_txt) > 1 else months_txt[0]
            if len(months_txt) == 1:
                self.problem(ln.number, _("Only one month given ({m}); used as both start and end.").format(m=months_txt[0]))
            starts = _month_readings(step.raw_start, self.year_be)
            ends = _month_readings(step.raw_end, self.year_be)
            step.start, step.end = _choose_span(starts, ends, _duration_months(duration), self.year_be)
            for raw, chosen, readings in ((step.raw_start, step.start, starts), (step.raw_end, step.end, ends)):
                if len(readings) > 1 and chosen is not None:
                    self.problem(ln.number, _("'{raw}' is not a month name; read as {month} (fits the dates and the "
                                              "duration).").format(raw=raw, month=chosen.abbr()))
            if step.start and step.end and step.end < step.start:
                self.problem(ln.number, _("The step ends ({end}) before it starts ({start}).").format(
                    end=step.raw_end, start=step.raw_start), "error")
            if self.year_be and step.start and step.start not in fiscal_months(self.year_be):
                self.problem(ln.number, _("{m} is outside fiscal year {year}.").format(m=step.start.abbr(), year=self.year_be))
        else:
            self.problem(ln.number, _("Step '{text}' has no start or end month; its bar is left empty.").format(
                text=text[:40]))
        # ditto marks
        for attr, raw in (("responsible", responsible), ("related", related)):
            if dp.is_ditto(raw):
                if self.last_step is None:
                    self.problem(ln.number, _("A ditto mark (\") with no row above it in the document; "
                                              "the {field} cell is left empty.").format(field=_field_label(attr)))
                    value = ""
                else:
                    value = getattr(self.last_step, attr)
            else:
                value = self.tidy(raw)
            setattr(step, attr, value)
        # budget
        try:
            b = parse_budget(budget_txt)
            step.budget, step.budget_note = b.amount, b.note
        except ValidationError as exc:
            self.problem(ln.number, exc.message, "error")
        if step.budget is None and step.budget_note and not is_budget_like(step.budget_note):
            self.problem(ln.number, _("Budget '{text}' is not an amount; kept as a note.").format(text=step.budget_note))
        self.current_activity(ln.number).steps.append(step)
        self.last_step = step

    def approval(self, i: int) -> int:
        head = self.lines[i]
        plan = self.plan
        if plan is None:
            plan = self.current_plan(head.number)
        appr = ApprovalIn(head.number)
        i += 1
        name_seen = False
        while i < len(self.lines):
            ln = self.lines[i]
            if ln.is_blank:
                i += 1
                continue
            text = ln.text
            if len(ln.filled) != 1 or FORM72_RE.search(text) or HEAD_RE.match(text) or APPROVE_RE.search(text) \
                    or PLAN_HEAD_RE.match(text):
                break
            m = NAME_RE.match(text)
            if SIGN_RE.match(text):
                rest = re.sub(r"^ลงนาม\s*(ณ\s*วันที่)?", "", text).strip(" .…")
                if "วันที่" in text:
                    appr.date_text = rest
                    appr.signed_on = _date_of(rest, self.year_be)
            elif m and not name_seen:
                # a printed form left for signing shows dots where the name goes
                appr.signer_name = "" if DOTS_RE.match(m.group(1)) else m.group(1).strip()
                name_seen = True
            elif name_seen:
                appr.position_lines.append(text.rstrip(" ."))
            else:
                appr.other_lines.append(text)
            i += 1
        if not appr.signer_name:
            self.problem(head.number, _("The approval block has no signer's name in parentheses."))
        elif appr.signer_name.startswith("ผู้") and ("มอบ" in appr.signer_name or "อำนาจ" in appr.signer_name):
            self.problem(head.number, _("The signer's name '{name}' reads like a role, not a name; check it.").format(
                name=appr.signer_name))
        if plan.approval is not None:
            self.problem(head.number, _("A second approval block for the same plan; the later one is kept."))
        plan.approval = appr
        return i

    def form72(self, i: int) -> int:
        head_line = self.lines[i].number
        i += 1
        # skip the form's title lines up to the table header
        while i < len(self.lines) and not (self.lines[i].filled and PLAN_HEAD_RE.match(self.lines[i].filled[0][1])
                                           and len(self.lines[i].filled) > 2):
            ln = self.lines[i]
            if ln.filled and (HEAD_RE.match(ln.filled[0][1]) or FORM72_RE.search(ln.text)):
                self.problem(head_line, _("Form 7.2 has no table."), "error")
                return i
            if ln.filled and len(ln.filled) == 1:
                self.prev.named_years += years_named(ln.text)
                m = re.search(r"พ\.ศ\.\s*([\d๐-๙]{4})", from_thai_digits(ln.text))
                if m and self.year_be and int(m.group(1)) != self.year_be:
                    self.problem(ln.number, _("Form 7.2 says fiscal year {found}; importing into {year}.").format(
                        found=m.group(1), year=self.year_be))
            i += 1
        if i >= len(self.lines):
            self.problem(head_line, _("Form 7.2 has no table."), "error")
            return i
        header = self.lines[i]
        i += 1
        plan = self.plan if (self.plan is not None and not self.plan.has_form) else self.current_plan(header.number)
        plan.has_form = True
        dim = None
        kpi: KpiIn | None = None
        while i < len(self.lines):
            ln = self.lines[i]
            if ln.is_blank:
                if i + 1 < len(self.lines) and not self.lines[i + 1].is_blank and len(self.lines[i + 1].filled) > 1 \
                        and not HEAD_RE.match(self.lines[i + 1].filled[0][1]):
                    i += 1
                    continue
                break
            if ln.on_grid:   # a dimension merged down over its KPIs in Word or Excel
                ln, _down = with_merged_down(ln, 1)
            cells = [c.strip() for c in ln.cells]
            if cells and HEAD_RE.match(cells[0]):
                break
            # where are the dimension cell and the points cell?
            d_idx = next((k for k, c in enumerate(cells) if DIMENSION_RE.match(c)), None)
            p_idx = next((k for k, c in enumerate(cells) if POINTS_RE.match(c)), None)
            if cells[0] and d_idx != 0 and p_idx != 1:
                self.plan_cell(plan, cells[0], ln.number)
            if d_idx is not None:
                dim = DIMENSION_RE.match(cells[d_idx]).group(1)
                if dim not in plan.dimensions:
                    plan.dimensions.append(dim)
                if d_idx != 1:
                    self.problem(ln.number, _("Cells of this row were shifted; read by their content."))
                kpi_cells = (cells[d_idx + 1:d_idx + 5] + ["", "", "", ""])[:4]
                kpi = None
                if kpi_cells[0]:
                    kpi = self.kpi_row(ln.number, dim, kpi_cells)
                    plan.kpis.append(kpi)
                    # the printed form writes the whole ladder in one cell ("60% 1 คะแนน 65% 2 คะแนน ...",
                    # or a milestone ladder "1 <steps> 2 <steps> ...")
                    lad_text = cells[d_idx + 5] if len(cells) > d_idx + 5 else ""
                    if is_linear_ladder(lad_text):
                        for thr_txt, lv in LADDER_IN_CELL.findall(lad_text):
                            self.ladder_row(kpi, int(from_thai_digits(lv)), thr_txt, ln.number)
                    elif p_idx is None and milestone_levels(lad_text, self.step_labels(plan)):
                        kpi.milestone_text = lad_text
            if p_idx is not None:
                level = int(from_thai_digits(POINTS_RE.match(cells[p_idx]).group(1)))
                if p_idx in (0,) or (d_idx is None and p_idx < 6 and not cells[0].startswith("แผน")):
                    if p_idx == 0:
                        self.problem(ln.number, _("A ladder row without its threshold: {text}").format(text=ln.text), "error")
                        i += 1
                        continue
                    if p_idx != 7:
                        self.problem(ln.number, _("Cells of this row were shifted; read by their content."))
                thr_txt = cells[p_idx - 1]
                if kpi is None:
                    self.problem(ln.number, _("A ladder row ({text}) before any KPI.").format(text=ln.text), "error")
                else:
                    self.ladder_row(kpi, level, thr_txt, ln.number)
            elif d_idx is None and not cells[0]:
                self.problem(ln.number, _("Could not read this form 7.2 row: {text}").format(text=ln.text[:80]), "error")
            i += 1
        for k in plan.kpis:
            missing = [lv for lv in range(1, 6) if lv not in k.thresholds]
            if k.milestone_text:
                missing = []
            elif not missing and k.thresholds[1] > k.thresholds[5]:
                k.direction = "lower"    # a falling ladder: the fewer, the better (form 7.2 prints no direction)
            if missing:
                self.problem(k.line, _("KPI '{kpi}' lacks the thresholds of levels {levels}.").format(
                    kpi=k.text[:40], levels=", ".join(map(str, missing))), "error")
                continue
            for f in check_ladder(k.as_row(self.step_labels(plan))):
                self.problem(k.line, _("KPI '{kpi}': {message}").format(kpi=k.text[:40], message=f.message),
                             "error" if f.severity == "error" else "warning")
        for d in dp.DIMENSIONS:
            if d not in plan.dimensions:
                self.problem(header.number, _("Form 7.2 has no row for dimension {d}.").format(d=d))
        return i

    @staticmethod
    def step_labels(plan: PlanIn) -> list[str]:
        return [step_label(s.number, s.text) for s in plan.steps]

    def plan_cell(self, plan: PlanIn, text: str, line: int) -> None:
        text = re.sub(r"\s+", " ", text).strip()
        m = MAIN_ACTS_RE.search(text)
        head = text[:m.start()].strip() if m else text
        num, head = _split_number(head)
        plan.title = head.rstrip(" :")
        plan.policy = head if "นโยบาย" in head else ""
        c = CATEGORY_IN_PLAN.search(head)
        plan.category_code = c.group(1) if c else None
        if m:
            parts = re.split(r"(?:^|\s)(\d{1,2})\.\s*", " " + m.group(1))
            plan.main_activities = [p.strip() for p in parts[2::2] if p.strip()]

    def kpi_row(self, line: int, dim: str, cells: list[str]) -> KpiIn:
        number, text = _split_number(self.tidy(cells[0]))
        k = KpiIn(line, dim, number, text, current_data=self.tidy(cells[1]), target=self.tidy(cells[2]))
        try:
            k.weight = parse_number(cells[3]) if cells[3] else None
        except ValidationError as exc:
            self.problem(line, exc.message, "error")
        if k.weight is None:
            self.problem(line, _("KPI '{kpi}' has no weight.").format(kpi=text[:40]))
        k.direction = guess_direction(text)
        if "%" in cells[2] or text.startswith("ร้อยละ"):
            k.unit = "%"
        return k

    def ladder_row(self, kpi: KpiIn, level: int, thr_txt: str, line: int) -> None:
        unit = THRESHOLD_RE.match(thr_txt) if "%" not in thr_txt else None
        try:
            value = parse_number(unit.group("num") if unit else thr_txt)
        except ValidationError as exc:
            self.problem(line, exc.message, "error")
            return
        if value is None:
            self.problem(line, _("Level {n} has no threshold.").format(n=level), "error")
            return
        if "%" in thr_txt:
            kpi.unit = "%"
        elif unit:
            kpi.unit = unit.group("unit")   # "9วัน": the KPI's unit, printed after each threshold
        old = kpi.thresholds.get(level)
        if old is not None:
            if old == value:
                self.problem(line, _("Level {n} ({value}) is repeated; the repeat is ignored.").format(
                    n=level, value=thr_txt))
            else:
                self.problem(line, _("Level {n} is given twice with different thresholds ({a} and {b}).").format(
                    n=level, a=old, b=value), "error")
            return
        kpi.thresholds[level] = value

    def finish(self) -> None:
        if self.year_be is None:
            self.problem(1, _("The fiscal year is not given and the text does not name it."), "error")
        # activities made for steps without a heading: number and title
        for plan, act in self.headless:
            numbers = [int(a.number) for a in plan.activities if a.number.isdigit()]
            idx = plan.activities.index(act)
            after = next((int(a.number) for a in plan.activities[idx + 1:] if a.number.isdigit()), None)
            guess, why = None, ""
            if after is not None and after > 1 and (after - 1) not in numbers:
                guess, why = after - 1, _("it comes before activity {n}").format(n=after)
            elif after is None and plan.main_activities:
                k = _best_match(act, plan.main_activities)
                if k is not None:
                    guess, why = k + 1, _("its steps match the plan's main activity {n}").format(n=k + 1)
            if guess is None:
                guess = 1
                while guess in numbers:
                    guess += 1
                why = _("no heading could be matched")
            act.number = str(guess)
            if len(plan.main_activities) >= guess:
                act.title = plan.main_activities[guess - 1]
            else:
                act.title = _("Activity {n} (heading missing in the document)").format(n=guess)
            first, last = act.steps[0].line if act.steps else act.line, act.steps[-1].line if act.steps else act.line
            self.problem(act.line, _("Lines {first}-{last} have no activity heading in the document; they were put under "
                                     "a new activity {n} ({why}). Check it.").format(first=first, last=last, n=guess,
                                                                                    why=why))
        for plan in self.prev.plans:
            self.listed_activities(plan)
        for plan in self.prev.plans:
            if not plan.title:
                plan.title = _("Development plan (title missing in the document, line {line})").format(line=plan.line)
                self.problem(plan.line, _("This plan has no form 7.2 naming it; it was given a provisional title."))
            for a in plan.activities:
                if a.stated_budget is not None and a.stated_budget != a.total:
                    self.problem(a.line, _("Activity {n} states {stated} baht but its steps add up to {total} baht.")
                                 .format(n=a.number, stated=format_baht(a.stated_budget), total=format_baht(a.total)))
        provinces = Counter(m.group(1) for ln in self.lines for m in PROVINCE_RE.finditer(ln.text))
        if provinces:
            self.prev.province = provinces.most_common(1)[0][0]


    def listed_activities(self, plan: PlanIn) -> None:
        """The plan's main activities that the document lists but gives no steps (seed 001's
        แนวนโยบาย 2: 1-4 listed, only 5 planned) are kept as activities without steps, in order."""
        have = {a.number for a in plan.activities}
        for k, title in enumerate(plan.main_activities, start=1):
            if str(k) in have:
                continue
            act = ActivityIn(plan.line, str(k), title, listed=True)
            at = next((i for i, a in enumerate(plan.activities) if a.number.isdigit() and int(a.number) > k),
                      len(plan.activities))
            plan.activities.insert(at, act)
            if plan.activities != [act] and any(not a.listed for a in plan.activities):
                self.problem(plan.line, _("Main activity {n} ({title}) has no steps in the document; it was kept "
                                          "without steps.").format(n=k, title=title[:40]))


def _field_label(attr: str) -> str:
    return {"responsible": _("responsible"), "related": _("related units")}[attr]


def _best_match(act: ActivityIn, titles: list[str]) -> int | None:
    """Index of the title sharing the most character trigrams with the activity's steps (clear winner only)."""
    def grams(t: str) -> set[str]:
        t = re.sub(r"\s+", "", t)
        return {t[k:k + 3] for k in range(len(t) - 2)}
    body = grams(" ".join(s.text + " " + s.output for s in act.steps))
    scores = [len(grams(t) & body) / max(1, len(grams(t))) for t in titles]
    if not scores:
        return None
    order = sorted(range(len(scores)), key=lambda k: -scores[k])
    best = order[0]
    second = scores[order[1]] if len(order) > 1 else 0.0
    return best if scores[best] >= 0.3 and scores[best] >= second + 0.15 else None


def _date_of(text: str, year_be: int | None) -> date | None:
    d = parse_cell_date(text, default_be=year_be)
    if d.kind == "day" and d.month is not None:
        return date(d.month.year, d.month.month, d.days[0])
    return None


def parse_devplan(text: "str | list[Line]", year_be: int | None = None) -> DevPlanPreview:
    """Read seed-001-style text into a preview; nothing is written."""
    return _Parser(text, year_be).run()


# ---------------------------------------------------------------- apply

def apply_devplan(store: Store, preview: DevPlanPreview, year_id: str) -> int:
    """Write the previewed plans under ``year_id`` in one transaction; returns rows written.

    Raises ``ImportProblem`` (and writes nothing) if the preview has errors.
    """
    _log.info("import development plans into fiscal year %s", year_id)
    if preview.errors:
        raise ImportProblem(ngettext("Nothing was imported: {n} row could not be read.",
                                     "Nothing was imported: {n} rows could not be read.",
                                     len(preview.errors)).format(n=len(preview.errors)),
                            "\n".join(f"{p.line}: {p.message}" for p in preview.errors[:20]))
    cats = {c["code"]: c["id"] for c in planning.categories(store)}
    n = 0
    with store.transaction():
        for p in preview.plans:
            same = _plan_named(store, year_id, p) if p.kpis and all(a.listed for a in p.activities) else None
            if same is not None:   # form 7.2 of a plan already in the file (imported from its own file)
                base = len(dp.kpis(store, same["id"]))
                n += _insert_kpis(store, same["id"], p.kpis, base)
                continue
            pid = dp.add_plan(store, year_id, p.title, category_id=cats.get(p.category_code or ""), policy=p.policy)
            n += 1
            for a in p.activities:
                aid = store.insert("plan_activity", {
                    "plan_id": pid, "number": a.number, "title": a.title, "stated_budget": a.stated_budget,
                    "sort_key": store.next_sort_key("plan_activity", {"plan_id": pid})})
                n += 1
                store.insert_many("plan_step", (
                    {"activity_id": aid, "sort_key": float(k + 1), "number": s.number, "text": s.text,
                     "duration": s.duration, "start_month": s.start.key if s.start else None,
                     "end_month": s.end.key if s.end else None, "output": s.output,
                     "responsible": s.responsible, "related": s.related, "budget": s.budget,
                     "budget_note": s.budget_note} for k, s in enumerate(a.steps)))
                n += len(a.steps)
            n += _insert_kpis(store, pid, p.kpis, 0)
            if p.approval and p.approval.signer_name:
                dp.approve_plan(store, pid, p.approval.signer_name, p.approval.position_lines, p.approval.signed_on)
                n += 1
    return n


def _insert_kpis(store: Store, plan_id: str, kpis: list[KpiIn], base: int) -> int:
    """Form 7.2's KPIs under a plan; a milestone ladder's levels are linked to the plan's steps
    they name (a text naming no step is kept as written)."""
    by_label: dict[str, str] = {}
    for st in dp.plan_steps(store, plan_id):
        by_label.setdefault(re.sub(r"\s+", " ", step_label(st["number"], st["text"])), st["id"])
    for k, kp in enumerate(kpis):
        levels = kp.milestones(list(by_label))
        store.insert("kpi", {
            "plan_id": plan_id, "dimension": kp.dimension, "sort_key": float(base + k + 1), "number": kp.number,
            "text": kp.text, "current_data": kp.current_data, "target": kp.target, "weight": kp.weight,
            "unit": kp.unit, "direction": kp.direction, "ladder_kind": kp.ladder_kind,
            "milestones": json.dumps([[{"text": t, "step_id": by_label.get(t)} for t in lvl] for lvl in levels],
                                     ensure_ascii=False),
            **{f"t{lv}": kp.thresholds.get(lv) for lv in range(1, 6)}})
    return len(kpis)


def _plan_named(store: Store, year_id: str, p: PlanIn) -> dict | None:
    """The plan of the year that a form 7.2 names: its title (and policy) as the form prints them."""
    title = re.sub(r"\s+", "", p.title)
    for row in dp.plans(store, year_id):
        own = re.sub(r"\s+", "", row["title"] or "")
        if own and (own == title or title.endswith(own)):
            return row
    return None
