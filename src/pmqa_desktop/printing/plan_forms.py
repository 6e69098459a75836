"""Development plans (seed 001), KPI form 7.2 and a round's progress report, read through
``core.storage.devplan``, ``core.scoring`` and ``core.dashboard``."""
from __future__ import annotations

import re
from datetime import date

from reportlab.lib import colors

from ..core import dashboard
from ..core.budget import format_baht, format_budget
from ..core.errors import UserError
from ..core.scoring import format_plain, format_score, milestones_of
from ..core.storage import devplan as dp
from ..core.storage import planning
from ..core.storage.store import Store
from ..core.thai_calendar import MONTH_FULL, MonthKey, fiscal_months, format_month
from ..i18n import _, ngettext
from .form_text import thai
from .forms import GROUP_FILL, HEAD_SIZE, FormRequest, _fit, _org_name, _year_text, approval_block
from .layout import BODY_SIZE, MIN_SIZE, Cell, FormDocument, Grid, Options, Row, Section, Title, leading

STATUS_FILL = {"green": colors.Color(0.72, 0.90, 0.72), "yellow": colors.Color(1.0, 0.93, 0.55),
               "red": colors.Color(0.97, 0.62, 0.60)}
BAR_COLOUR = colors.Color(0.15, 0.35, 0.65)
def dimension_names() -> dict[str, str]:
    """The four dimensions of form 7.2 as the form prints them."""
    return {"7.1": thai(_("7.1 Effectiveness")), "7.2": thai(_("7.2 Quality of service")),
            "7.3": thai(_("7.3 Efficiency of government work")), "7.4": thai(_("7.4 Organisation development"))}


def status_names() -> dict[str, str]:
    return {"done": thai(_("done")), "in_progress": thai(_("in progress")), "not_started": thai(_("not started")),
            "": thai(_("not started")), "cancelled": thai(_("cancelled"))}


def colour_names() -> dict[str, str]:
    return {"green": thai(_("green")), "yellow": thai(_("yellow")), "red": thai(_("red")), "": ""}


def check_plan(store: Store, year: dict, plan_id: str) -> dict:
    p = dp.plan(store, plan_id)
    if p is None or p["year_id"] != year["id"]:
        names = "; ".join(f"{x['id']} ({x['title']})" for x in dp.plans(store, year["id"]))
        raise UserError(_("No development plan {plan} in fiscal year {year}. Plans: {plans}").format(
            plan=plan_id, year=year["year_be"], plans=names or "-"))
    return p


def _plans(store: Store, req: FormRequest) -> list[dict]:
    if req.plan_id:
        return [check_plan(store, req.year, req.plan_id)]
    return dp.plans(store, req.year["id"])


def _category(store: Store, cat_id: str | None) -> dict | None:
    return store.get("category", cat_id) if cat_id else None


# Titles the importer gives a plan or an activity the document did not name (both languages):
# provisional, so a signed page leaves them blank rather than print them as names.
_PROVISIONAL = re.compile(r"\((?:title missing in the document|heading missing in the document|"
                          r"ไม่มีชื่อแผนในเอกสาร|ไม่มีหัวข้อในเอกสาร)[^)]*\)")


def is_provisional(text: str | None) -> bool:
    return bool(text) and _PROVISIONAL.search(text) is not None


def _plan_title(p: dict) -> str:
    t = p.get("title") or ""
    return "" if is_provisional(t) else t


def _plan_heading(store: Store, p: dict) -> list[str]:
    lines = []
    cat = _category(store, p.get("category_id"))
    if p.get("policy"):
        lines.append(p["policy"])
    elif cat:
        lines.append(f"หมวด {cat['code']} {cat['name']}".strip())
    title = _plan_title(p)
    if title and title.strip() not in [x.strip() for x in lines]:
        lines.append(title)
    return lines


def _activity_title(a: dict) -> str:
    t = a.get("title") or ""
    return "" if is_provisional(t) else t


def _month(key: str | None, opts: Options) -> str:
    return format_month(MonthKey.parse_key(key), opts.thai_digits) if key else ""


def _thai_date(iso: str | None, opts: Options) -> str:
    if not iso:
        return ""
    try:
        d = date.fromisoformat(str(iso)[:10])
    except ValueError:
        return str(iso)
    return opts.digits(f"{d.day} {MONTH_FULL[d.month - 1]} {d.year + 543}")


def _approval(store: Store, p: dict, req: FormRequest, opts: Options, keep_prev: int):
    rows = [a for a in dp.approvals(store, p["id"]) if a["revision"] == p["revision"]]
    a = rows[-1] if rows else None
    if a:
        pos = [x for x in (a["position_lines"] or "").split("\n") if x.strip()] or None
        return approval_block(opts, req.org, a["signer_name"], pos, _thai_date(a["signed_on"], opts),
                              keep_prev=keep_prev)
    return approval_block(opts, req.org, keep_prev=keep_prev)


def step_number(number: str | None) -> str:
    """A step's number as the clerk typed it ("3.", "3", "1.2", "(1)")."""
    return (number or "").strip()


def _listed_number(number: str | None) -> str:
    """An activity's number in form 7.2's list of main activities: "1." as in the seed
    (an activity's number is the n of "กิจกรรมที่ n")."""
    num = (number or "").strip()
    return num + "." if num.isdigit() else num


def _step_text(s: dict) -> str:
    num = step_number(s.get("number"))
    text = s.get("text") or ""
    return f"{num} {text}" if num and not text.startswith(num) else text


# ---------------------------------------------------------------- development plan

def _bar(start_col: int, end_col: int, n: int):
    """Gantt arrow across the spanned month cells (the seeds draw arrows)."""
    def draw(ctx, x, y_top, w, h):
        c = ctx.canvas
        mid = y_top - min(h / 2, 9)
        c.saveState()
        c.setStrokeColor(BAR_COLOUR)
        c.setFillColor(BAR_COLOUR)
        c.setLineWidth(1.6)
        x0, x1 = x + 2, x + w - 2
        c.line(x0, mid, x1 - 3, mid)
        p = c.beginPath()
        p.moveTo(x1, mid)
        p.lineTo(x1 - 5, mid + 3)
        p.lineTo(x1 - 5, mid - 3)
        p.close()
        c.drawPath(p, stroke=0, fill=1)
        c.line(x0, mid - 3, x0, mid + 3)
        c.restoreState()
    return draw


def budget_difference(stated: int, total: int, opts: Options) -> str:
    """The words next to an activity's figures when its stated budget is not the sum of its steps."""
    return thai(_("stated {stated} baht does not match the sum of the steps {total} baht")).format(
        stated=format_baht(stated, opts.thai_digits), total=format_baht(total, opts.thai_digits))


def build_devplan(store: Store, req: FormRequest, opts: Options) -> FormDocument:
    doc = FormDocument(opts, "landscape", footer_left=_org_name(req.org))
    months = fiscal_months(req.year["year_be"])
    labels = [m.abbr(with_year=False, thai_digits=opts.thai_digits) for m in months]
    W = doc.frame_w
    mw = 18.0
    widths = _fit([150, 40, 35, 35] + [mw] * 12 + [96, 64, 44, 54], W, 0)
    ncols = len(widths)
    hs = HEAD_SIZE
    head1 = Row([Cell(thai(_("Activity / step")), align="center", bold=True, size=hs, open_bottom=True),
                 Cell(thai(_("Duration")), align="center", bold=True, size=hs, open_bottom=True),
                 Cell(thai(_("Start")), align="center", bold=True, size=hs, open_bottom=True),
                 Cell(thai(_("End")), align="center", bold=True, size=hs, open_bottom=True),
                 Cell(thai(_("Fiscal year {year}")).format(year=_year_text(opts, req.year)), align="center",
                      bold=True, size=hs, colspan=12),
                 Cell(thai(_("Output / progress indicator")), align="center", bold=True, size=hs, open_bottom=True),
                 Cell(thai(_("Responsible")), align="center", bold=True, size=hs, open_bottom=True),
                 Cell(thai(_("Related")), align="center", bold=True, size=hs, open_bottom=True),
                 Cell(thai(_("Budget")), align="center", bold=True, size=hs, open_bottom=True)])
    head2 = Row([Cell(open_top=True)] * 4 + [Cell(lb, align="center", bold=True, size=MIN_SIZE, pad=0.5)
                                             for lb in labels]
                + [Cell(open_top=True)] * 4)
    plans = _plans(store, req)
    title = thai(_("Organisation development plan, {org}, fiscal year {year}")).format(
        org=_org_name(req.org), year=_year_text(opts, req.year))
    if not plans:
        doc.add(Title([title]))
    first_key = months[0]
    for pi, p in enumerate(plans):
        if pi:
            doc.add(Section())
        tree = dp.plan_tree(store, p["id"])
        doc.add(Title([title], space_after=2))
        heading = _plan_heading(store, p)
        if heading:
            doc.add(Title(heading, size=BODY_SIZE, bold=False, align="left", space_after=4))
        body: list[Row] = []
        stated_sum, differs = 0, False
        for a in tree["activities"]:
            stated = a.get("stated_budget")
            head_text = thai(_("Activity {number} {title}")).format(number=a["number"] or "",
                                                                     title=_activity_title(a)).strip()
            if stated is not None:
                head_text += " " + format_baht(stated, opts.thai_digits, unit=True)
                if stated != a["total"]:
                    differs = True
                    head_text += " (" + budget_difference(stated, a["total"], opts) + ")"
            stated_sum += stated if stated is not None else a["total"]
            listed_only = not a["steps"] and stated is None   # a main activity with nothing planned yet
            body.append(Row([Cell(head_text, bold=True, colspan=ncols - 1, fill=GROUP_FILL),
                             Cell("" if listed_only else format_baht(a["total"], opts.thai_digits), align="right",
                                  bold=True, fill=GROUP_FILL)], keep_with_next=not listed_only))
            if listed_only:
                continue
            for s in a["steps"]:
                cells = [Cell(_step_text(s)), Cell(s.get("duration") or "", align="center"),
                         Cell(_month(s.get("start_month"), opts), align="center"),
                         Cell(_month(s.get("end_month"), opts), align="center")]
                sm, em = s.get("start_month"), s.get("end_month") or s.get("start_month")
                c0 = c1 = None
                if sm:
                    c0 = first_key.months_until(MonthKey.parse_key(sm))
                    c1 = first_key.months_until(MonthKey.parse_key(em))
                    if c1 < 0 or c0 > 11:
                        c0 = c1 = None
                    else:
                        c0, c1 = max(0, c0), min(11, c1)
                col = 0
                while col < 12:
                    if c0 is not None and col == c0:
                        cells.append(Cell(colspan=c1 - c0 + 1, draw=_bar(c0, c1, 12)))
                        col = c1 + 1
                    else:
                        cells.append(Cell())
                        col += 1
                cells += [Cell(s.get("output") or ""), Cell(s.get("responsible") or ""),
                          Cell(s.get("related") or ""),
                          Cell(format_budget(s.get("budget"), s.get("budget_note") or "", opts.thai_digits),
                               align="right")]
                body.append(Row(cells))
            total_label = thai(_("Total budget of the activity"))
            if stated is not None and stated != a["total"]:
                total_label += " (" + budget_difference(stated, a["total"], opts) + ")"
            body.append(Row([Cell(total_label, bold=True, colspan=ncols - 1, align="right"),
                             Cell(format_baht(a["total"], opts.thai_digits), align="right", bold=True)]))
        plan_label = thai(_("Total budget of the plan"))
        if differs:
            plan_label += " (" + thai(_("sum of the steps; the stated budgets add up to {stated} baht")).format(
                stated=format_baht(stated_sum, opts.thai_digits)) + ")"
        body.append(Row([Cell(plan_label, bold=True, colspan=ncols - 1, align="right", fill=GROUP_FILL),
                         Cell(format_baht(tree["total"], opts.thai_digits), align="right", bold=True,
                              fill=GROUP_FILL)]))
        doc.add(Grid(widths, [head1, head2], body, size=14, continued=_continued(heading, title)))
        doc.add(_approval(store, p, req, opts, keep_prev=2))
    return doc


def _continued(heading: list[str], fallback: str) -> str:
    """What a page a plan's table continues onto says first: the plan's name and "(ต่อ)"."""
    name = (heading[-1] if heading else "").strip() or fallback
    return name + " " + thai(_("(continued)"))


# ---------------------------------------------------------------- form 7.2

def _ladder_lines(k: dict, opts: Options) -> list[tuple[str, str]]:
    if k.get("ladder_kind") == "milestone":
        out = []
        for lvl, items in enumerate(milestones_of(k), start=1):
            text = " ".join((it.get("text") or "") for it in items).strip()
            out.append((opts.digits(str(lvl)), text or _points(lvl, opts)))
        return out
    unit = k.get("unit") or ""
    out = []
    for lvl in range(1, 6):
        t = k.get(f"t{lvl}")
        if t is None:
            continue
        out.append((opts.digits(format_plain(t) + unit), _points(lvl, opts)))
    return out


def _points(n: int, opts: Options) -> str:
    """"{n} คะแนน" (the printed forms are Thai; Thai has one form for every count)."""
    return thai(ngettext("{n} point", "{n} points", n)).format(n=opts.digits(str(n)))


def _ladder_cell(pairs: list[tuple[str, str]], size: float):
    def draw(ctx, x, y_top, w, h):
        n = max(1, len(pairs))
        step = (h) / n
        half = w / 2
        c = ctx.canvas
        for i, (a, b) in enumerate(pairs):
            yt = y_top - i * step
            if i:
                c.line(x, yt, x + w, yt)
            base = yt - (step - leading(size)) / 2 - leading(size) * 0.78
            ctx.text(x + half / 2, base, a, size, align="center")
            ctx.text(x + half + half / 2, base, b, size, align="center")
        c.line(x + half, y_top, x + half, y_top - h)
    return draw


def _plan_cell_text(store: Store, p: dict) -> str:
    """Form 7.2's first column as in the seed: the plan's heading, then "กิจกรรมหลัก" and its
    activities numbered."""
    lines = _plan_heading(store, p)
    acts = [a for a in dp.activities(store, p["id"]) if _activity_title(a)]
    if acts:
        lines.append(thai(_("Main activities")))
        lines += [f"{_listed_number(a.get('number'))} {_activity_title(a)}".strip() for a in acts]
    return "\n".join(lines)


def build_kpi72(store: Store, req: FormRequest, opts: Options) -> FormDocument:
    doc = FormDocument(opts, "landscape", footer_left=_org_name(req.org))
    W = doc.frame_w
    widths = _fit([160, 100, 170, 56, 56, 50, 52, 60], W, 2)
    hs = HEAD_SIZE
    heads = (_("Development plan"), _("Dimension"), _("Indicator (KPI)"), _("Current data"), _("Target (form 7.2)"),
             _("Weight (form 7.2)"), _("Scoring criteria"))
    head = Row([Cell(thai(t), align="center", bold=True, size=hs, valign="middle",
                     colspan=2 if i == len(heads) - 1 else 1) for i, t in enumerate(heads)])
    plans = _plans(store, req)
    title = [thai(_("Form 7.2")), thai(_(
        "Form showing the success indicators of the organisation development plan, fiscal year {year}")).format(
        year=_year_text(opts, req.year)), _org_name(req.org)]
    if not plans:
        doc.add(Title(title))
    lad_size = 14.0
    size = 14.0
    for pi, p in enumerate(plans):
        if pi:
            doc.add(Section())
        doc.add(Title(title))
        by_dim = dp.kpis_by_dimension(store, p["id"])
        plan_text = _plan_cell_text(store, p)
        body: list[Row] = []
        first_row = True
        dims = list(dp.DIMENSIONS) + [d for d in by_dim if d not in dp.DIMENSIONS]
        dims_names = dimension_names()
        for di, dim in enumerate(dims):
            ks = by_dim.get(dim, [])
            dim_text = dims_names.get(dim, dim)
            last_dim = di == len(dims) - 1
            if not ks:
                body.append(Row([Cell(plan_text if first_row else "", open_top=not first_row,
                                      open_bottom=not last_dim), Cell(dim_text)]
                                + [Cell() for _i in range(4)] + [Cell(colspan=2)]))
                first_row = False
                continue
            for ki, k in enumerate(ks):
                pairs = _ladder_lines(k, opts)
                num = (k.get("number") or "").strip()
                ktext = f"{num}{'' if num.endswith('.') or not num else '.'}{k['text']}" if num else k["text"]
                body.append(Row([
                    Cell(plan_text if first_row else "", open_top=not first_row,
                         open_bottom=not (last_dim and ki == len(ks) - 1)),
                    Cell(dim_text if ki == 0 else "", open_top=ki > 0, open_bottom=ki < len(ks) - 1),
                    Cell(ktext), Cell(k.get("current_data") or "", align="center"),
                    Cell(k.get("target") or "", align="center"),
                    Cell(format_plain(k["weight"]) if k.get("weight") is not None else "", align="center"),
                    Cell(colspan=2, draw=_ladder_cell(pairs, lad_size),
                         min_lines=max(1, len(pairs)) * max(1, round(leading(lad_size) / leading(size) + 0.49)))
                ]))
                first_row = False
        heading = _plan_heading(store, p)
        doc.add(Grid(widths, [head], body, size=size, continued=_continued(heading, title[0])))
        doc.add(_approval(store, p, req, opts, keep_prev=2))
    return doc


# ---------------------------------------------------------------- progress report of a round

def _carried(rows: dict[int, dict] | None, rnd: int) -> dict | None:
    """A step's latest report in a round up to ``rnd``."""
    if not rows:
        return None
    got = [r for k, r in rows.items() if k <= rnd]
    return max(got, key=lambda r: r["round"]) if got else None


def step_colour(step: dict, report: dict | None, round_end: MonthKey) -> str:
    """green: done; red: past its end month at the round's end and not done; yellow: under way
    and not yet due; '' not started and not yet due, or cancelled."""
    status = (report or {}).get("status") or ""
    pct = (report or {}).get("percent")
    if status == "done" or pct == 100:
        return "green"
    if status == "cancelled":
        return ""
    end = step.get("end_month")
    if end and MonthKey.parse_key(end) <= round_end:
        return "red"
    if status == "in_progress" or (pct or 0) > 0:
        return "yellow"
    return ""



def build_progress(store: Store, req: FormRequest, opts: Options) -> FormDocument:
    rnd = req.round or 12
    doc = FormDocument(opts, "landscape", footer_left=_org_name(req.org))
    W = doc.frame_w
    round_end = planning.calendar_months({"calendar_start": fiscal_months(req.year["year_be"])[0].key,
                                         "calendar_months": rnd})[-1]
    dash = dashboard.compute_dashboard(store, req.year["id"], today=round_end)
    doc.add(Title([thai(_("Progress report, {months}-month round, {org}, fiscal year {year}")).format(
        months=opts.digits(str(rnd)), org=_org_name(req.org), year=_year_text(opts, req.year))]))
    kw = _fit([300, 80, 60, 90, 80, 90], W, 0)
    khead = Row([Cell(thai(t), align="center", bold=True, size=HEAD_SIZE) for t in
                 (_("Indicator (KPI)"), _("Target (form 7.2)"), _("Weight (form 7.2)"), _("Result"), _("Score"),
                  _("Weighted score"))])
    sw = _fit([300, 60, 110, 80, 170, 60], W, 0)
    colours = colour_names()
    statuses = status_names()
    dims_names = dimension_names()
    shead = Row([Cell(thai(t), align="center", bold=True, size=HEAD_SIZE) for t in
                 (_("Step"), _("End"), _("Status"), _("Percent done"), _("Evidence / remarks"))]
                + [Cell(thai(_("Status")) + " (" + "/".join(colours[c] for c in ("green", "yellow", "red")) + ")",
                        align="center", bold=True, size=12)])
    plans = _plans(store, req)
    for pi, p in enumerate(plans):
        scores = dashboard.plan_scores(store, p["id"])[rnd]
        results = dp.plan_kpi_results(store, p["id"])
        ps = dash.plan(p["id"])
        colour = ps.status if ps else ""
        heading = _plan_heading(store, p)
        doc.add(Title(heading or [" "], size=BODY_SIZE, bold=True, align="left", space_after=3))
        body = []
        for k in dp.kpis(store, p["id"]):
            res = (results.get(k["id"]) or {}).get(rnd)
            ks = scores.scores.get(k["id"])
            w = k.get("weight")
            weighted = (w * ks.value) if (ks and ks.value is not None and w) else None
            dim = dims_names.get(k["dimension"], k["dimension"])
            actual = ""
            if res and res.get("actual") is not None:
                actual = opts.digits(format_plain(res["actual"]) + (k.get("unit") or ""))
            body.append(Row([Cell(f"{dim}: {k['text']}"), Cell(k.get("target") or "", align="center"),
                             Cell(opts.digits(format_plain(w)) if w is not None else "", align="center"),
                             Cell(actual or thai(_("no result")), align="center"),
                             Cell(format_score(ks.value if ks else None, 4, opts.thai_digits), align="center"),
                             Cell(format_score(weighted, 4, opts.thai_digits), align="center")]))
        body.append(Row([Cell(thai(_("Weighted score of the plan")), bold=True, colspan=5, align="right",
                              fill=GROUP_FILL),
                         Cell(scores.display(4, opts.thai_digits), bold=True, align="center",
                              fill=STATUS_FILL.get(colour, GROUP_FILL))]))
        doc.add(Grid(kw, [khead], body, size=BODY_SIZE))
        rules = sorted({ks.rule_text for ks in scores.scores.values() if ks and ks.below and ks.rule_text})
        notes = [thai(_("Rule below the first threshold: {rule}")).format(rule=r) for r in rules]
        # what the scoring flags for the clerk (a ladder against its direction, weights not summing to 1)
        flags = [f.message for ks in scores.scores.values() if ks for f in ks.flags] + [f.message for f in scores.flags]
        notes += [thai(_("Note: {text}")).format(text=m) for m in dict.fromkeys(flags)]
        if notes:
            doc.add(Title(notes, size=14, bold=False, align="left", space_after=2))
        doc.add(Title([" "], size=6, bold=False, space_after=0))
        prog = dp.plan_progress(store, p["id"])
        sbody = []
        for a in dp.plan_tree(store, p["id"])["activities"]:
            sbody.append(Row([Cell(thai(_("Activity {number} {title}")).format(
                number=a["number"] or "", title=_activity_title(a)).strip(), bold=True, colspan=6,
                fill=GROUP_FILL)], keep_with_next=True))
            for s in a["steps"]:
                rep = _carried(prog.get(s["id"]), rnd)
                col = step_colour(s, rep, round_end)
                status = (rep or {}).get("status") or ""
                pct = (rep or {}).get("percent")
                sbody.append(Row([
                    Cell(_step_text(s)), Cell(_month(s.get("end_month"), opts), align="center", size=14),
                    Cell(statuses.get(status, status), align="center", size=14),
                    Cell(opts.digits(format_plain(pct)) if pct is not None else "", align="center"),
                    Cell((rep or {}).get("evidence") or "", size=14),
                    Cell(colours.get(col, col), align="center", size=14, fill=STATUS_FILL.get(col))]))
        doc.add(Grid(sw, [shead], sbody, size=BODY_SIZE))
        if pi < len(plans) - 1:
            doc.add(Title([" "], size=10, bold=False, space_after=4))
    if not plans:
        doc.add(Title([thai(_("no result"))], size=BODY_SIZE, bold=False))
    return doc
