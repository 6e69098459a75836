"""The traffic-light dashboard of a fiscal year's development plans (criterion IT5 asks for one).

Colours, per plan and per หมวด (worst of its plans), relative to a given "today" month:

* red    -- overdue: a step is past its end month and not done (nor cancelled);
* yellow -- at risk, by thresholds that are SETTINGS (``DashboardSettings``): percent done
            behind the time elapsed by more than ``lag_points``, or the latest weighted KPI
            score below ``score_below``;
* green  -- on track.

Progress of a step in round R is its latest report in a round <= R (status 'done' counts
100 %); a plan's progress is the mean over its steps (cancelled steps left out).

Public API::

    DashboardSettings(lag_points=15.0, score_below=3.0, use_score=True)
    load_settings() -> DashboardSettings;  save_settings(settings) -> None
    compute_dashboard(store, year_id, today=None, settings=None) -> YearDashboard
    compute_dashboards(store, year_ids, today=None, settings=None) -> dict[year_id, YearDashboard]
    plan_scores(store, plan_id) -> dict[round, PlanScore]
    round_report(store, plan_id, round) -> RoundReport     (the 6/9/12-month report of one plan)
    step_status_label(status) -> str
    round_month(year_be, round) -> MonthKey; as_of_round(year_be, round) -> MonthKey (a "today")
    STATUS_ORDER, worst(statuses), status_label(status)
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Iterable

from ..i18n import _, ngettext
from .scoring import PlanScore, milestones_of, plan_value, prepare, score_plan
from .storage import devplan as dp
from .storage.store import Store
from .thai_calendar import MonthKey

STATUS_ORDER = ("green", "yellow", "red")
ROUNDS = dp.ROUNDS
SETTINGS_PREFIX = "dashboard_"


@dataclass
class DashboardSettings:
    """Thresholds for yellow ("at risk"); stored in the settings file, editable by the clerk."""
    lag_points: float = 15.0     # yellow when percent done trails time elapsed by more than this
    score_below: float = 3.0     # yellow when the latest weighted KPI score is below this
    use_score: bool = True       # whether the KPI score may turn a plan yellow


def load_settings() -> DashboardSettings:
    """Read the thresholds from ``pmqa_desktop.settings`` (defaults for missing/bad values)."""
    from .. import settings
    vals = settings.read_all()
    out = DashboardSettings()
    for name, default in asdict(DashboardSettings()).items():
        raw = vals.get(SETTINGS_PREFIX + name)
        if raw is None:
            continue
        try:
            if isinstance(default, bool):
                setattr(out, name, raw.strip().lower() in ("1", "true", "yes", "on"))
            else:
                setattr(out, name, float(raw))
        except ValueError:
            pass
    return out


def save_settings(s: DashboardSettings) -> None:
    from .. import settings
    settings.set_values({SETTINGS_PREFIX + k: (("true" if v else "false") if isinstance(v, bool) else repr(float(v)))
                         for k, v in asdict(s).items()})


def round_month(year_be: int, rnd: int) -> MonthKey:
    """The last month a round covers: round 6 of FY 2553 ends มี.ค.53, 9 มิ.ย.53, 12 ก.ย.53."""
    from .thai_calendar import fiscal_year_start
    return fiscal_year_start(year_be).shifted(int(rnd) - 1)


def as_of_round(year_be: int, rnd: int) -> MonthKey:
    """The "today" for judging a round's report: the month after the round ends."""
    return round_month(year_be, rnd).shifted(1)


def worst(statuses: Iterable[str]) -> str:
    best = 0
    for s in statuses:
        if s in STATUS_ORDER:
            best = max(best, STATUS_ORDER.index(s))
    return STATUS_ORDER[best]


def status_label(status: str) -> str:
    return {"green": _("On track"), "yellow": _("At risk"), "red": _("Overdue")}.get(status, status)


@dataclass
class OverdueStep:
    step_id: str
    activity_id: str
    plan_id: str
    number: str
    text: str
    end_month: str


@dataclass
class PlanStatus:
    plan_id: str
    year_id: str
    title: str
    category_id: str | None
    category_code: str
    status: str
    reasons: list[str] = field(default_factory=list)
    overdue_steps: list[OverdueStep] = field(default_factory=list)
    steps_total: int = 0
    percent_done: float | None = None       # latest round's progress
    expected_percent: float | None = None   # by time elapsed to ``today``
    latest_round: int | None = None
    scores: dict[int, float | None] = field(default_factory=dict)     # round -> weighted KPI score
    progress: dict[int, float | None] = field(default_factory=dict)   # round -> percent done
    score_flags: list[str] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return len(self.overdue_steps)

    @property
    def jump(self) -> dict[str, str]:
        """Where a click goes: the plan's row."""
        return {"table": "dev_plan", "id": self.plan_id, "year_id": self.year_id}


@dataclass
class CategoryStatus:
    category_id: str | None     # None: plans tied to a policy only
    code: str
    name: str
    status: str
    plan_ids: list[str] = field(default_factory=list)
    overdue: int = 0
    scores: dict[int, float | None] = field(default_factory=dict)
    progress: dict[int, float | None] = field(default_factory=dict)

    @property
    def jump(self) -> dict[str, Any]:
        return {"table": "category", "id": self.category_id, "plan_ids": list(self.plan_ids)}


@dataclass
class YearDashboard:
    year_id: str
    today: MonthKey
    settings: DashboardSettings
    status: str
    plans: list[PlanStatus] = field(default_factory=list)
    categories: list[CategoryStatus] = field(default_factory=list)
    scores: dict[int, float | None] = field(default_factory=dict)
    progress: dict[int, float | None] = field(default_factory=dict)

    @property
    def overdue(self) -> int:
        return sum(p.overdue for p in self.plans)

    @property
    def overdue_steps(self) -> list[OverdueStep]:
        return [s for p in self.plans for s in p.overdue_steps]

    def plan(self, plan_id: str) -> PlanStatus | None:
        return next((p for p in self.plans if p.plan_id == plan_id), None)


# ---------------------------------------------------------------- computation

def _mean(values: Iterable[float | None]) -> float | None:
    total, n = 0.0, 0
    for v in values:
        if v is not None:
            total += v
            n += 1
    return total / n if n else None


def _percent_of(row: dict | None) -> float | None:
    if row is None:
        return None
    if row["status"] == "done":
        return 100.0
    if row["percent"] is not None:
        return float(row["percent"])
    if row["status"] in ("not_started", "in_progress"):
        return 0.0
    return None


def _month_index(key: str) -> int:
    return int(key[:4]) * 12 + int(key[5:7]) - 1


def _expected(start: str | None, end: str | None, today_index: int) -> float | None:
    """Percent of a step's months elapsed by ``today`` (the current month counts half)."""
    if not start or not end:
        return None
    s, e = _month_index(start), _month_index(end)
    n = e - s + 1
    if n <= 0:
        return None
    elapsed = (today_index - s + 0.5) / n
    return 100.0 * max(0.0, min(1.0, elapsed))


def compute_dashboards(store: Store, year_ids: list[str], today: MonthKey | None = None,
                       settings: DashboardSettings | None = None) -> dict[str, YearDashboard]:
    """Dashboards of several fiscal years from one batch of queries."""
    today = today or MonthKey(date.today().year, date.today().month)
    settings = settings or DashboardSettings()
    data = dp.year_dashboard_rows(store, list(year_ids))
    steps_by_plan: dict[str, list[dict]] = {}
    for s in data["steps"]:
        steps_by_plan.setdefault(s["plan_id"], []).append(s)
    prog: dict[str, dict[int, dict]] = {}
    for g in data["progress"]:
        prog.setdefault(g["step_id"], {})[g["round"]] = g
    kpis_by_plan: dict[str, list[dict]] = {}
    for k in data["kpis"]:
        kpis_by_plan.setdefault(k["plan_id"], []).append(k)
    results: dict[int, dict[str, float | None]] = {r: {} for r in ROUNDS}
    reported_kpi_rounds: dict[str, set[int]] = {}
    for r in data["results"]:
        if r["round"] in results:
            results[r["round"]][r["kpi_id"]] = r["actual"]
            reported_kpi_rounds.setdefault(r["kpi_id"], set()).add(r["round"])

    out: dict[str, YearDashboard] = {y: YearDashboard(y, today, settings, "green") for y in year_ids}
    for p in data["plans"]:
        ps = _plan_status(p, steps_by_plan.get(p["id"], []), prog, kpis_by_plan.get(p["id"], []), results,
                          reported_kpi_rounds, today, settings)
        out[p["year_id"]].plans.append(ps)
    for yd in out.values():
        _aggregate(yd, data["plans"])
    return out


def compute_dashboard(store: Store, year_id: str, today: MonthKey | None = None,
                      settings: DashboardSettings | None = None) -> YearDashboard:
    """The dashboard of one fiscal year (plans, หมวด, counts, scores and progress per round)."""
    return compute_dashboards(store, [year_id], today, settings)[year_id]


def _carried(step_rounds: dict[int, dict] | None, rnd: int) -> dict | None:
    if not step_rounds:
        return None
    best = None
    for r in ROUNDS:
        if r > rnd:
            break
        if r in step_rounds:
            best = step_rounds[r]
    return best


def _plan_status(p: dict, steps: list[dict], prog: dict[str, dict[int, dict]], kpis: list[dict],
                 results: dict[int, dict[str, float | None]], reported: dict[str, set[int]],
                 today: MonthKey, settings: DashboardSettings) -> PlanStatus:
    ps = PlanStatus(p["id"], p["year_id"], p["title"] or p["policy"], p["category_id"], p["category_code"] or "",
                    "green", steps_total=len(steps))
    rounds_seen = {r for s in steps for r in (prog.get(s["id"]) or {})}
    rounds_seen |= {r for k in kpis for r in reported.get(k["id"], ())}
    latest = max(rounds_seen) if rounds_seen else None
    ps.latest_round = latest
    today_key = today.key
    today_index = today.year * 12 + today.month - 1
    # one pass over the steps: progress per round (carried forward), overdue, time elapsed
    sums = {r: 0.0 for r in ROUNDS}
    counts = {r: 0 for r in ROUNDS}
    expected_sum, expected_n = 0.0, 0
    for s in steps:
        rows = prog.get(s["id"])
        row = None
        for rnd in ROUNDS:
            if rows and rnd in rows:
                row = rows[rnd]
            if row is not None and row["status"] == "cancelled":
                continue
            v = _percent_of(row)
            sums[rnd] += 0.0 if v is None else v
            counts[rnd] += 1
        end = s["end_month"]
        if end and end < today_key and not (row is not None and (row["status"] in ("done", "cancelled")
                                                                 or (row["percent"] or 0) >= 100)):
            ps.overdue_steps.append(OverdueStep(s["id"], s["activity_id"], p["id"], s["number"], s["text"], end))
        e = _expected(s["start_month"], end, today_index)
        if e is not None:
            expected_sum += e
            expected_n += 1
    for rnd in ROUNDS:
        if latest is None or rnd > latest or not steps:
            ps.progress[rnd] = None
        else:
            ps.progress[rnd] = sums[rnd] / counts[rnd] if counts[rnd] else None
    # KPI scores per round
    prepared = None
    for rnd in ROUNDS:
        if not kpis or latest is None or rnd > latest:
            ps.scores[rnd] = None
            continue
        done_by_kpi = {}
        for k in kpis:
            if k["ladder_kind"] == "milestone":
                done_by_kpi[k["id"]] = [[_step_done(prog.get(it.get("step_id") or ""), rnd) for it in level]
                                        for level in milestones_of(k)]
        if rnd == latest:
            sc = score_plan(kpis, results[rnd], done_by_kpi)
            ps.scores[rnd] = sc.value
            ps.score_flags = [f.message for f in sc.flags]
        else:
            if prepared is None:
                prepared = [prepare(k) for k in kpis]
            ps.scores[rnd] = plan_value(prepared, results[rnd], done_by_kpi)
    # colour
    if ps.overdue_steps:
        ps.status = "red"
        ps.reasons.append(ngettext("{n} step past its end month and not done.",
                                   "{n} steps past their end month and not done.",
                                   len(ps.overdue_steps)).format(n=len(ps.overdue_steps)))
    expected = expected_sum / expected_n if expected_n else None
    ps.expected_percent = expected
    if latest is not None:
        ps.percent_done = ps.progress.get(latest)
    yellow = []
    if expected is not None and expected > 0:
        done = ps.percent_done or 0.0
        if expected - done > settings.lag_points:
            yellow.append(_("{done:.0f}% done, {expected:.0f}% of the time has passed.").format(
                done=done, expected=expected))
    if settings.use_score and latest is not None and ps.scores.get(latest) is not None \
            and ps.scores[latest] < settings.score_below:
        yellow.append(_("KPI score {score:.4f} is below {limit}.").format(score=ps.scores[latest],
                                                                          limit=settings.score_below))
    if yellow:
        ps.reasons.extend(yellow)
        if ps.status == "green":
            ps.status = "yellow"
    return ps


def _has_milestones(kpis: list[dict]) -> bool:
    return any(k["ladder_kind"] == "milestone" for k in kpis)


def _step_done(step_rounds: dict[int, dict] | None, rnd: int) -> bool:
    row = _carried(step_rounds, rnd)
    return row is not None and (row["status"] == "done" or (row["percent"] or 0) >= 100)


def _aggregate(yd: YearDashboard, plan_rows: list[dict]) -> None:
    info = {p["id"]: p for p in plan_rows}
    cats: dict[str | None, CategoryStatus] = {}
    order: dict[str | None, float] = {}
    for ps in yd.plans:
        p = info[ps.plan_id]
        cid = p["category_id"] if p["category_code"] is not None else None
        if cid not in cats:
            cats[cid] = CategoryStatus(cid, p["category_code"] or "", p["category_name"] or _("Policies"), "green")
            order[cid] = p["category_sort"] if p["category_sort"] is not None else 1e9
        c = cats[cid]
        c.plan_ids.append(ps.plan_id)
        c.overdue += ps.overdue
        c.status = worst((c.status, ps.status))
    for cid, c in cats.items():
        members = [ps for ps in yd.plans if ps.plan_id in c.plan_ids]
        for rnd in ROUNDS:
            c.scores[rnd] = _mean(ps.scores.get(rnd) for ps in members)
            c.progress[rnd] = _mean(ps.progress.get(rnd) for ps in members)
    yd.categories = sorted(cats.values(), key=lambda c: order[c.category_id])
    yd.status = worst(ps.status for ps in yd.plans)
    for rnd in ROUNDS:
        yd.scores[rnd] = _mean(ps.scores.get(rnd) for ps in yd.plans)
        yd.progress[rnd] = _mean(ps.progress.get(rnd) for ps in yd.plans)


def plan_scores(store: Store, plan_id: str) -> dict[int, PlanScore]:
    """round -> PlanScore (weighted result, per-KPI scores and flags) for one plan."""
    kpis = dp.kpis(store, plan_id)
    res = dp.plan_kpi_results(store, plan_id)
    prog = dp.plan_progress(store, plan_id)
    out = {}
    for rnd in ROUNDS:
        actual = {kid: rows[rnd]["actual"] for kid, rows in res.items() if rnd in rows}
        done = {k["id"]: [[_step_done(prog.get(it.get("step_id") or ""), rnd) for it in level]
                          for level in milestones_of(k)]
                for k in kpis if k["ladder_kind"] == "milestone"}
        out[rnd] = score_plan(kpis, actual, done)
    return out


# ---------------------------------------------------------------- one plan's round report

def step_status_label(status: str) -> str:
    return {"": _("Not reported"), "not_started": _("Not started"), "in_progress": _("In progress"),
            "done": _("Done"), "cancelled": _("Cancelled")}.get(status or "", status)


@dataclass
class StepReport:
    step: dict                      # plan_step row (+ 'activity_number')
    status: str                     # this round's report ('' if none; see ``carried``)
    percent: float | None
    evidence: str
    reported_on: str | None
    carried: bool                   # True when the values come from an earlier round
    overdue: bool


@dataclass
class KpiReport:
    kpi: dict
    actual: float | None
    note: str
    reported_on: str | None
    score: Any                      # scoring.KpiScore


@dataclass
class RoundReport:
    plan: dict
    round: int
    activities: list[dict]          # activity rows + 'total', 'steps': [StepReport]
    kpis: dict[str, list[KpiReport]]   # dimension -> KPI rows (all four dimensions present)
    score: PlanScore
    progress: float | None          # mean percent done over the steps (cancelled left out)


def round_report(store: Store, plan_id: str, rnd: int, today: MonthKey | None = None) -> RoundReport:
    """What the 6/9/12-month progress report of one plan shows (GUI and print): each step's
    status for the round (carried from an earlier round when not reported again), each KPI's
    result and score, the weighted score and the overall progress."""
    if rnd not in ROUNDS:
        raise ValueError(rnd)
    tree = dp.plan_tree(store, plan_id)
    prog = dp.plan_progress(store, plan_id)
    res = dp.plan_kpi_results(store, plan_id)
    if today is None:
        year = store.get("fiscal_year", tree["plan"]["year_id"])
        today = as_of_round(year["year_be"], rnd) if year else MonthKey(date.today().year, date.today().month)
    acts, percents = [], []
    for a in tree["activities"]:
        rows = []
        for s in a["steps"]:
            own = (prog.get(s["id"]) or {}).get(rnd)
            row = own or _carried(prog.get(s["id"]), rnd)
            pct = _percent_of(row)
            done = row is not None and (row["status"] in ("done", "cancelled") or (row["percent"] or 0) >= 100)
            overdue = bool(s["end_month"]) and s["end_month"] < today.key and not done
            rows.append(StepReport({**s, "activity_number": a["number"]}, row["status"] if row else "",
                                   pct, row["evidence"] if row else "", row["reported_on"] if row else None,
                                   own is None and row is not None, overdue))
            if not (row and row["status"] == "cancelled"):
                percents.append(pct or 0.0)
        acts.append({**{k: v for k, v in a.items() if k != "steps"}, "steps": rows})
    actual = {kid: r[rnd]["actual"] for kid, r in res.items() if rnd in r}
    done_by = {k["id"]: [[_step_done(prog.get(it.get("step_id") or ""), rnd) for it in level]
                         for level in milestones_of(k)]
               for dim in tree["kpis"].values() for k in dim if k["ladder_kind"] == "milestone"}
    all_kpis = [k for dim in tree["kpis"].values() for k in dim]
    score = score_plan(all_kpis, actual, done_by)
    kpis = {d: [KpiReport(k, actual.get(k["id"]), (res.get(k["id"], {}).get(rnd) or {}).get("note", ""),
                          (res.get(k["id"], {}).get(rnd) or {}).get("reported_on"), score.scores[k["id"]])
                for k in rows] for d, rows in tree["kpis"].items()}
    return RoundReport(tree["plan"], rnd, acts, kpis, score, _mean(percents) if percents else None)
