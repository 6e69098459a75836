"""The printed forms, laid out as the seeds' forms: owners (seed 002), the operations calendar
and the weekly plan (seed 000), development plans and form 7.2 (seed 001), and a round's
progress report. Each ``build_*`` reads the core and returns a ``FormDocument``.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from reportlab.lib import colors

from ..core.storage import planning
from ..core.storage.store import Store
from ..core.thai_calendar import MonthKey, header_labels, parse_cell_date
from ..i18n import _
from .form_text import thai
from .layout import BODY_SIZE, MIN_SIZE, Block, Cell, FormDocument, Grid, Options, PageBreak, Row, Title, leading

GROUP_FILL = colors.Color(0.95, 0.95, 0.95)
HEAD_SIZE = 14.0


@dataclass
class FormRequest:
    """What to print: the form, the organisation and fiscal year, and for plan forms a plan and a round."""
    form: str
    org: dict
    year: dict
    plan_id: str | None = None
    round: int | None = None


def _org_name(org: dict) -> str:
    return org.get("name") or ""


def _year_text(opts: Options, year: dict) -> str:
    return opts.digits(str(year["year_be"]))


def _fit(widths: list[float], total: float, flexible: int) -> list[float]:
    """Give the column at index ``flexible`` whatever is left of ``total``."""
    widths = list(widths)
    widths[flexible] = max(30.0, total - (sum(widths) - widths[flexible]))
    return widths


# ---------------------------------------------------------------- owners (seed 002)

def build_owners(store: Store, req: FormRequest, opts: Options) -> FormDocument:
    doc = FormDocument(opts, "landscape", footer_left=_org_name(req.org))
    doc.add(Title([thai(_("List of owners of the PMQA criteria, {org}, fiscal year {year}")).format(
        org=_org_name(req.org), year=_year_text(opts, req.year))]))
    W = doc.frame_w
    widths = _fit([330, 110, 100, 100, 70, 104], W, 0)
    head = Row([Cell(thai(t), align="center", bold=True, valign="middle", size=HEAD_SIZE) for t in (
        _("Category / criterion"), _("Owner's name"), _("Position"), _("Unit"), _("Phone"), _("Owner's e-mail"))])
    owners = planning.owners(store, req.year["id"])
    body: list[Row] = []
    cats = planning.categories(store)
    crits = planning.criteria(store)
    by_cat: dict[str, list[dict]] = {}
    for c in crits:
        by_cat.setdefault(c["category_id"], []).append(c)
    for cat in cats:
        body.append(Row([Cell(f"หมวด {cat['code']} {cat['name']}" if not cat["name"].startswith("หมวด")
                              else cat["name"], bold=True, colspan=6, fill=GROUP_FILL)], keep_with_next=True))
        group = None
        for c in by_cat.get(cat["id"], []):
            if c["group_title"] and c["group_title"] != group:
                group = c["group_title"]
                body.append(Row([Cell(group, bold=True, colspan=6)], keep_with_next=True))
            o = owners.get(c["id"]) or {}
            text = f"{c['code']} {c['full_text']}".strip()
            body.append(Row([Cell(text), Cell(o.get("name", "")), Cell(o.get("position", "")),
                             Cell(o.get("unit", "")), Cell(o.get("phone", "")), Cell(o.get("email", ""))]))
    doc.add(Grid(widths, [head], body, size=14))
    return doc


# ---------------------------------------------------------------- operations calendar (seed 000)

def build_calendar(store: Store, req: FormRequest, opts: Options) -> FormDocument:
    year = req.year
    doc = FormDocument(opts, "landscape", footer_left=_org_name(req.org))
    title = year.get("calendar_title") or thai(_(
        "Operations calendar of the PMQA indicators, {org}, fiscal year {year}")).format(
        org=_org_name(req.org), year=_year_text(opts, year))
    doc.add(Title([title]))
    months = planning.calendar_months(year)
    n = len(months)
    W = doc.frame_w
    month_w = max(26.0, min(40.0, (W - 30 - 190 - 90) / n))
    widths = _fit([30, 200] + [month_w] * n + [90], W, 1)
    head1 = Row([Cell(thai(_("No.")), align="center", bold=True, size=HEAD_SIZE),
                 Cell(thai(_("Course of action")), align="center", bold=True, size=HEAD_SIZE),
                 Cell(thai(_("Period of operation, fiscal year {year}")).format(year=_year_text(opts, year)),
                      align="center", bold=True, colspan=n, size=HEAD_SIZE),
                 Cell(thai(_("Remarks")), align="center", bold=True, size=HEAD_SIZE)])
    labels = header_labels(months, thai_digits=opts.thai_digits)
    head2 = Row([Cell(), Cell()] + [Cell(lb, align="center", bold=True, size=MIN_SIZE, pad=0.5) for lb in labels]
                + [Cell()])
    body = []
    keyed = [(m, m.key) for m in months]   # MonthKey.key formats a string on every call
    month_cells: dict = {}      # cells are never changed: one per distinct date text (and remark)
    # only the texts: the step rows' other columns, read and made into dicts, cost as much again
    texts = planning.calendar_step_texts(store, year["id"])
    cells_of = planning.calendar_cells(store, year["id"])
    for i, (step_id, _sort_key) in enumerate(planning.calendar_step_keys(store, year["id"]), start=1):
        step_text, step_remark = texts[step_id]
        step_cells = cells_of.get(step_id, {})
        cells = [Cell(str(i), align="center"), Cell(step_text)]
        for m, key in keyed:
            text = step_cells.get(key, "")
            if text and opts.thai_digits and parse_cell_date(text, m).kind != "text":
                text = opts.digits(text)
            cell = month_cells.get(text)
            if cell is None:
                cell = month_cells[text] = Cell(text, align="center")
            cells.append(cell)
        remark = month_cells.get((step_remark,))   # (one per distinct remark too, most are alike)
        if remark is None:
            remark = month_cells[(step_remark,)] = Cell(step_remark)
        cells.append(remark)
        body.append(Row(cells))
    doc.add(Grid(widths, [head1, head2], body, size=14))
    note = (year.get("calendar_note") or "").strip()
    if note:   # the footnote under the table ("หมายเหตุ : รายละเอียดตามเอกสารแนบ ...")
        if not note.startswith("หมายเหตุ"):
            note = "หมายเหตุ : " + note   # (the form's word: the note reads, and imports back, as one)
        doc.add(Title(note.split("\n"), size=BODY_SIZE, bold=False, align="left", space_after=0, space_before=4))
    return doc


# ---------------------------------------------------------------- weekly plan (seed 000)

def _bands(n: int, most: int = 4) -> list[tuple[int, int]]:
    """Split n months into bands of at most ``most`` months, as even as possible."""
    k = max(1, ceil(n / most))
    per = ceil(n / k)
    return [(a, min(n, a + per)) for a in range(0, n, per)]


WEEK_FILL = colors.Color(0.93, 0.96, 1.0)


def _weekly_activities(store: Store, year: dict, total_weeks: int) -> tuple[list[dict], list[list[tuple]]]:
    """The plan's rows and, per row, its activities as (first week, end week, text); activities
    that overlap share one cell (both texts printed, none lost)."""
    rows = planning.weekly_rows(store, year["id"])
    per_row = []
    for r in rows:
        acts = []
        for a in r["activities"]:
            s = planning.week_index(year, a["month"], a["week"])
            e = s + max(1, int(a["span"] or 1))
            s, e = max(0, s), min(total_weeks, e)
            if s < e:
                acts.append((s, e, a["text"]))
        acts.sort(key=lambda t: (t[0], t[1]))
        merged: list[tuple[int, int, str]] = []
        for s, e, text in acts:
            if merged and s < merged[-1][1]:
                ps, pe, ptext = merged[-1]
                merged[-1] = (ps, max(pe, e), ptext + "\n" + text)
            else:
                merged.append((s, e, text))
        per_row.append(merged)
    return rows, per_row


@dataclass(frozen=True)
class OwnWeeks:
    """Shades week columns ``first`` to ``last`` (exclusive) of a cell ``span`` weeks wide: an
    activity's own weeks in a cell its text runs on over. The Office export reads the weeks back
    so that the file holds the activity over its own weeks only."""
    first: int
    last: int
    span: int

    def __call__(self, ctx, x, y_top, w, h):
        ctx.fill_rect(WEEK_FILL, x + w * self.first / self.span, y_top - h, w * (self.last - self.first) / self.span, h)


# months of the weekly plan side by side on one page (four weeks each), by paper and orientation
WEEKLY_MONTHS_A_PAGE = {("A4", "landscape"): 3, ("A3", "landscape"): 7, ("A4", "portrait"): 2, ("A3", "portrait"): 3}


def build_weekly(store: Store, req: FormRequest, opts: Options, paged: bool = True) -> FormDocument:
    """The weekly plan as the Word original reads: landscape, the same rows on every page of a
    group of rows, each page's title naming its months. On A3 all months (up to seven) stand on
    one page; on A4 they go four to a page, and the pages of one group of rows follow each other
    so they can be laid side by side. An activity over several weeks is one cell across them.
    ``paged=False`` (the Office export) gives each band of months one table of all the rows."""
    year = req.year
    doc = FormDocument(opts, "landscape", footer_left=_org_name(req.org),
                       paper="A3" if opts.weekly_paper == "A3" else "A4")
    title = year.get("weekly_title") or thai(_("PMQA work plan, {org}, fiscal year {year}")).format(
        org=_org_name(req.org), year=_year_text(opts, year))
    start = MonthKey.parse_key(year["weekly_start"])
    months = [start.shifted(i) for i in range(year["weekly_months"])]
    wpm = planning.WEEKS_PER_MONTH
    total_weeks = len(months) * wpm
    rows, per_row = _weekly_activities(store, year, total_weeks)
    W = doc.frame_w
    bands = _bands(len(months), WEEKLY_MONTHS_A_PAGE[doc.paper, doc.orientation])
    grids: list[Grid] = []
    titles: list[Title] = []
    for m0, m1 in bands:
        nm = m1 - m0
        nw = nm * wpm
        widths = _fit([36, 120] + [(W - 36 - 120) / nw] * nw, W, 1)
        head1 = Row([Cell(thai(_("Category")), align="center", bold=True, size=HEAD_SIZE),
                     Cell(thai(_("Code")), align="center", bold=True, size=HEAD_SIZE)]
                    + [Cell(months[m].abbr(thai_digits=opts.thai_digits), align="center", bold=True,
                            colspan=wpm, size=HEAD_SIZE) for m in range(m0, m1)])
        head2 = Row([Cell(), Cell()] + [Cell(f"W{w}", align="center", bold=True, size=MIN_SIZE, pad=0.5)
                                        for _m in range(nm) for w in range(1, wpm + 1)])
        w0, w1 = m0 * wpm, m1 * wpm
        body = []
        prev_cat = object()
        for r, acts in zip(rows, per_row):
            cat = r.get("category_code")
            first_of_cat = cat != prev_cat
            prev_cat = cat
            code = f"{r['criterion_code'] or ''} {r['criterion_name'] or ''}".strip() if r.get("criterion_code") \
                else (r.get("label") or "")
            cells = [Cell(cat or "" if first_of_cat else "", align="center", bold=True), Cell(code)]
            w = w0
            for j, (s, e, text) in enumerate(acts):
                if e <= w0 or s >= w1:
                    continue
                # the text may run on over up to a month of free weeks after it (as the Word
                # original's merged cells do), or, with none free after it, back over the free
                # weeks before it in its month; only the activity's own weeks are shaded
                nxt = acts[j + 1][0] if j + 1 < len(acts) else total_weeks
                a = max(s, w)
                end = min(max(e, min(nxt, s + wpm)), w1)
                if end <= min(e, w1) and s >= w:
                    a = max(w, (s // wpm) * wpm)
                while w < a:
                    cells.append(Cell())
                    w += 1
                first, last, span = max(s, a) - a, min(e, w1) - a, end - a
                whole = first == 0 and last == span
                cells.append(Cell(text, colspan=span, align="center", fill=WEEK_FILL if whole else None,
                                  draw_under=None if whole else OwnWeeks(first, last, span)))
                w = end
            while w < w1:
                cells.append(Cell())
                w += 1
            body.append(Row(cells))
        grids.append(Grid(widths, [head1, head2], body, size=14))
        months_text = thai(_("Months {first} to {last}")).format(
            first=months[m0].abbr(thai_digits=opts.thai_digits), last=months[m1 - 1].abbr(thai_digits=opts.thai_digits))
        titles.append(Title([title + " (" + months_text + ")"] if len(bands) > 1 else [title]))
    if len(bands) == 1 or not paged:
        for k, (t, g) in enumerate(zip(titles, grids)):
            if k:
                doc.add(PageBreak())
            doc.add(t)
            doc.add(g)
        return doc
    # one height per row over all bands, then the same groups of rows on every band's pages
    heights = [doc.row_heights(g) for g in grids]
    for i in range(len(rows)):
        tallest = max(h[i] for h in heights)
        for g in grids:
            g.body[i].min_height = tallest
    groups = max((doc.row_groups(t, g) for t, g in zip(titles, grids)), key=len)
    first = True
    for a, b in groups:
        for t, g in zip(titles, grids):
            if not first:
                doc.add(PageBreak())
            first = False
            doc.add(t)
            doc.add(Grid(g.widths, g.header, g.body[a:b], size=g.size))
    return doc


# ---------------------------------------------------------------- approval block

def approval_block(opts: Options, org: dict, signer: str = "", position_lines: list[str] | None = None,
                   signed_on: str = "", keep_prev: int = 2) -> Block:
    """"พิจารณาเห็นชอบดำเนินการ", the dotted signature line, (name), position lines, date line."""
    province = (org.get("province") or "").strip()
    if position_lines is None:
        position_lines = [thai(_("Deputy Governor of {province}, acting for")).format(province=province),
                          thai(_("Governor of {province}")).format(province=province)]
    dots = "." * 60
    lines: list[tuple[str, bool]] = [(thai(_("Considered and approved for implementation")), True),
                                     (thai(_("Signed")) + " " + dots, False),
                                     ("(" + (signer or "." * 50) + ")", False)]
    lines += [(p, False) for p in position_lines if p.strip()]
    lines.append((thai(_("Signed on")) + " " + (opts.digits(signed_on) if signed_on else "." * 40), False))
    size = BODY_SIZE
    lead = leading(size)
    height = lead * (len(lines) + 1) + 6

    def draw(ctx, x, y):
        cx = x + ctx_frame_w(ctx, x) * 0.68
        yy = y - 6 - lead
        for i, (text, bold) in enumerate(lines):
            if text:
                ctx.text(cx, yy, text, size, bold, align="center")
            yy -= lead * (2 if i == 0 else 1)  # room to sign under the first line
    return Block(height, draw, keep_prev=keep_prev)


def ctx_frame_w(ctx, x) -> float:
    return ctx.canvas._pagesize[0] - 2 * x
