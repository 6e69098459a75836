"""A round's progress report read back (the report of 6, 9 or 12 months that ``print progress``
writes, as a Word or Excel file or a text dump): each KPI's result and each step's status,
percent done and evidence, for plans already in the file.

The report names its round in its title ("รอบ 9 เดือน"); a plan is found by its heading (its
policy or title), a KPI by its text, a step by its number and text. The report shows a step's
latest report up to the round: a row that only repeats what an earlier round already says is
not written again, so exporting rounds 6, 9 and 12 and importing them gives back the rounds.
Nothing is written while a row cannot be read or matched.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from ...i18n import _, ngettext, gettext_in
from ..errors import ImportProblem, ValidationError
from ..scoring import parse_number
from ..storage import devplan as dp
from ..storage.store import Store
from ..thai_calendar import from_thai_digits
from .text_tables import Line, Problem, as_lines

_log = logging.getLogger(__name__)

ROUND_RE = re.compile(r"รอบ\s*([\d๐-๙]{1,2})\s*เดือน|([\d๐-๙]{1,2})-month round")
KPI_HEAD_RE = re.compile(r"^(ตัวชี้วัด|Indicator)")
STEP_HEAD_RE = re.compile(r"^(ขั้นตอน|Step)$")
ACTIVITY_RE = re.compile(r"^(กิจกรรมที่|Activity)\s")


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def status_of(text: str) -> str | None:
    """The stored status of a printed status word (Thai or English); None when unknown."""
    words = {"done": "done", "in progress": "in_progress", "not started": "not_started", "cancelled": "cancelled"}
    table = {}
    for word, key in words.items():
        table[_norm(word)] = key
        table[_norm(gettext_in("th", word))] = key
    return "" if not text.strip() else table.get(_norm(text))


@dataclass
class KpiResultIn:
    line: int
    text: str
    actual: float | None


@dataclass
class StepReportIn:
    line: int
    text: str
    status: str
    percent: float | None
    evidence: str


@dataclass
class PlanReportIn:
    line: int
    heading: list[str] = field(default_factory=list)
    kpis: list[KpiResultIn] = field(default_factory=list)
    steps: list[StepReportIn] = field(default_factory=list)


@dataclass
class ProgressPreview:
    round: int | None = None
    year_be: int | None = None
    province: str | None = None
    plans: list[PlanReportIn] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    named_years: list[int] = field(default_factory=list)   # named by the report's title

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def summary(self) -> str:
        # one plural message for each count (the Thai sentence as before)
        plans = len(self.plans)
        kpis, steps = sum(len(p.kpis) for p in self.plans), sum(len(p.steps) for p in self.plans)
        return _("Round {r}: {plans}, {kpis}, {steps}").format(
            r=self.round, plans=ngettext("{n} plan", "{n} plans", plans).format(n=plans),
            kpis=ngettext("{n} KPI result", "{n} KPI results", kpis).format(n=kpis),
            steps=ngettext("{n} step report", "{n} step reports", steps).format(n=steps))


def parse_progress(source: "str | list[Line]", year_be: int | None = None) -> ProgressPreview:
    from .document_year import years_named
    from .text_tables import title_facts
    prev = ProgressPreview(year_be=year_be)
    heading: list[str] = []
    mode = ""
    plan: PlanReportIn | None = None
    for ln in as_lines(source):
        filled = ln.filled
        if not filled:
            continue
        first = filled[0][1]
        if prev.round is None:
            m = ROUND_RE.search(from_thai_digits(ln.text))
            if m:
                prev.round = int(m.group(1) or m.group(2))
                prov, year = title_facts(ln.text)
                prev.province, prev.year_be = prov, year_be or year
                prev.named_years = years_named(ln.text)
                continue
        if len(filled) == 1:
            if first.startswith(("หมายเหตุ", "เกณฑ์", "Note", "Rule")) or (mode == "steps" and ACTIVITY_RE.match(first)):
                continue     # the report's notes and the activities' headings: nothing to store
            if mode == "steps":          # the next plan's heading
                heading, mode = [], ""
            if mode == "":
                heading.append(first)
            continue
        if KPI_HEAD_RE.match(first) and len(filled) >= 5:
            plan = PlanReportIn(ln.number, heading)
            prev.plans.append(plan)
            heading, mode = [], "kpis"
            continue
        if STEP_HEAD_RE.match(first) and len(filled) >= 5:
            mode = "steps"
            continue
        if plan is None:
            prev.problems.append(Problem(ln.number, _("A row before any plan's table: {text}").format(
                text=ln.text[:60])))
            continue
        cells = (ln.cells + [""] * 6)[:6]
        if mode == "kpis":
            if _norm(first) in (_norm(gettext_in("th", "Weighted score of the plan")), _norm("Weighted score of the plan")):
                continue    # the plan's weighted score: computed, not read
            text = cells[0].split(":", 1)[1].strip() if ":" in cells[0] else cells[0]
            actual = None
            raw = cells[3]
            if raw and _norm(raw) not in (_norm(gettext_in("th", "no result")), _norm("no result")):
                try:
                    actual = parse_number(re.sub(r"[^\d๐-๙.,%\-]+$", "", raw.strip()))
                except ValidationError as exc:
                    prev.problems.append(Problem(ln.number, exc.message))
                    continue
            plan.kpis.append(KpiResultIn(ln.number, text, actual))
        elif mode == "steps":
            status = status_of(cells[2])
            if status is None:
                prev.problems.append(Problem(ln.number, _("Unknown step status '{status}'.").format(status=cells[2])))
                continue
            try:
                percent = parse_number(cells[3]) if cells[3] else None
            except ValidationError as exc:
                prev.problems.append(Problem(ln.number, exc.message))
                continue
            plan.steps.append(StepReportIn(ln.number, cells[0], status, percent, cells[4]))
    if prev.round not in dp.ROUNDS:
        prev.problems.insert(0, Problem(1, _("The report does not name its round (รอบ 6, 9 or 12 เดือน) in its title.")))
    if not prev.plans:
        prev.problems.append(Problem(0, _("No progress-report table (a heading row starting with ตัวชี้วัด) was found.")))
    return prev


def _step_text(s: dict) -> str:
    num = (s.get("number") or "").strip()
    num = num + "." if num.isdigit() else num
    text = s.get("text") or ""
    return f"{num} {text}" if num and not text.startswith(num) else text


def _carried(rows: dict[int, dict] | None, rnd: int) -> dict | None:
    got = [r for k, r in (rows or {}).items() if k <= rnd]
    return max(got, key=lambda r: r["round"]) if got else None


def match_progress(store: Store, preview: ProgressPreview, year_id: str) -> list[tuple[str, str, dict]]:
    """What the report would write: ('kpi_result' | 'step_progress', id, values). Rows that cannot be
    matched to the file's plans, KPIs or steps are added to the preview's problems as errors."""
    plans = dp.plans(store, year_id)
    writes: list[tuple[str, str, dict]] = []
    rnd = preview.round or 12
    for pr in preview.plans:
        names = {_norm(h) for h in pr.heading}
        plan = next((p for p in plans if (_norm(p["title"]) and _norm(p["title"]) in names)
                     or (_norm(p["policy"]) and _norm(p["policy"]) in names)), None)
        if plan is None:
            preview.problems.append(Problem(pr.line, _("No plan of this year is named '{name}'.").format(
                name=" / ".join(pr.heading)[:80])))
            continue
        kpis = {_norm(k["text"]): k for k in dp.kpis(store, plan["id"])}
        results = dp.plan_kpi_results(store, plan["id"])
        for k in pr.kpis:
            kpi = kpis.get(_norm(k.text))
            if kpi is None:
                preview.problems.append(Problem(k.line, _("The plan has no KPI '{kpi}'.").format(kpi=k.text[:60])))
            elif k.actual is not None and ((results.get(kpi["id"]) or {}).get(rnd) or {}).get("actual") != k.actual:
                writes.append(("kpi_result", kpi["id"], {"actual": k.actual}))
        steps = {_norm(_step_text(s)): s for s in dp.plan_steps(store, plan["id"])}
        progress = dp.plan_progress(store, plan["id"])
        for s in pr.steps:
            step = steps.get(_norm(s.text))
            if step is None:
                preview.problems.append(Problem(s.line, _("The plan has no step '{step}'.").format(step=s.text[:60])))
                continue
            now = _carried(progress.get(step["id"]), rnd) or {}
            # no report and "not started" print alike
            if (now.get("status") or "not_started", now.get("percent"), now.get("evidence") or "") != \
                    (s.status or "not_started", s.percent, s.evidence):
                writes.append(("step_progress", step["id"], {"status": s.status, "percent": s.percent,
                                                             "evidence": s.evidence}))
    return writes


def apply_progress(store: Store, preview: ProgressPreview, year_id: str) -> int:
    """Write the round's results and step reports, all or nothing; returns the rows written."""
    _log.info("import progress report of round %s into fiscal year %s", preview.round, year_id)
    with store.transaction():
        writes = match_progress(store, preview, year_id)
        if preview.errors:
            raise ImportProblem(ngettext("Nothing was imported: {n} row could not be read.",
                                     "Nothing was imported: {n} rows could not be read.",
                                     len(preview.errors)).format(n=len(preview.errors)),
                                "\n".join(f"{p.line}: {p.message}" for p in preview.errors[:20]))
        for table, row_id, values in writes:
            if table == "kpi_result":
                dp.set_kpi_result(store, row_id, preview.round, values["actual"])
            else:
                dp.set_step_progress(store, row_id, preview.round, status=values["status"] or "",
                                     percent=values["percent"], evidence=values["evidence"])
    return len(writes)
