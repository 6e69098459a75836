"""Every printed form as an editable Excel (.xlsx) or Word (.docx) file.

The export reads the very ``FormDocument`` the PDF is drawn from, so the file holds the same
title, headings, rows, order and approval block: a cell spanning columns (an activity over
several weeks, a Gantt bar over months) becomes a merged cell, cells the PDF draws as one down
several rows (a plan's name beside its KPIs) are merged down, and what the PDF draws rather
than writes (the approval block, form 7.2's ladders) is taken from what the drawing writes.
Text is set in TH SarabunPSK, the font of official documents; years stay Buddhist era as printed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core.errors import UserError
from ..core.storage.store import Store
from ..i18n import _
from .forms import WEEK_FILL, OwnWeeks, build_weekly
from .layout import Block, Cell, Grid, Options, PageBreak, Section, Title

FONT = "TH SarabunPSK"
FORMATS = (".xlsx", ".docx")
XLSX_SIZE = 14          # TH SarabunPSK is small per point: 14 pt reads like 11 pt Calibri
DOCX_SIZE = 14


# ---------------------------------------------------------------- what the PDF draws, as text

class _Anything:
    """A canvas stand-in: drawing calls (lines, paths, colours) do nothing."""

    def __init__(self, pagesize=(842.0, 595.0)):
        self._pagesize = pagesize

    def __getattr__(self, name):
        return lambda *a, **k: _Anything()


class _TextRecorder:
    """Collects what a Block or a cell's draw function writes, in reading order."""

    def __init__(self) -> None:
        self.canvas = _Anything()
        self.texts: list[tuple[float, float, str]] = []

    def text(self, x, y, text, size=16.0, bold=False, align="left") -> None:
        if text:
            self.texts.append((-round(y, 1), x, text))

    def __getattr__(self, name):
        return lambda *a, **k: None

    def lines(self) -> list[str]:
        rows: dict[float, list[tuple[float, str]]] = {}
        for y, x, t in self.texts:
            rows.setdefault(y, []).append((x, t))
        return [" ".join(t for _x, t in sorted(v)) for _y, v in sorted(rows.items())]


def drawn_text(draw, block: bool = False) -> list[str]:
    rec = _TextRecorder()
    try:
        if block:
            draw(rec, 0.0, 560.0)
        else:
            draw(rec, 0.0, 100.0, 200.0, 100.0)
    except Exception:   # a drawing that needs the real canvas: a bar, nothing to write
        return [t for _y, _x, t in rec.texts]
    return rec.lines()


# ---------------------------------------------------------------- the form as blocks and cells

@dataclass
class Placed:
    row: int
    col: int
    colspan: int
    rowspan: int
    cell: Cell
    text: str
    header: bool = False


@dataclass
class Table:
    widths: list[float]
    cells: list[Placed] = field(default_factory=list)
    rows: int = 0
    header_rows: int = 0


def _table(grid: Grid) -> Table:
    t = Table(list(grid.widths))
    grid_rows = [(r, True) for r in grid.header] + [(r, False) for r in grid.body]
    open_at: dict[int, Placed] = {}      # column -> a cell open at its bottom, waiting for its continuation
    for ri, (row, is_head) in enumerate(grid_rows):
        col = 0
        still_open: dict[int, Placed] = {}
        for cell in row.cells:
            span = max(1, cell.colspan)
            text = cell.text or ""
            if cell.draw is not None and not text:
                text = "\n".join(drawn_text(cell.draw))
            own = cell.draw_under if isinstance(cell.draw_under, OwnWeeks) else None
            if own is not None:
                # the weekly plan's text run on over free weeks: the file holds the activity's
                # own weeks as its cell (what the import reads as its span), the free weeks empty
                for k in range(own.span):
                    if k == own.first:
                        t.cells.append(Placed(ri, col + k, own.last - own.first, 1,
                                              replace(cell, colspan=own.last - own.first, fill=WEEK_FILL,
                                                      draw_under=None), text, is_head))
                    elif not own.first < k < own.last:
                        t.cells.append(Placed(ri, col + k, 1, 1, Cell(), "", is_head))
                col += span
                continue
            above = open_at.get(col)
            if cell.open_top and above is not None and above.colspan == span and not text:
                above.rowspan += 1           # drawn as one cell with the one above
                if cell.open_bottom:
                    still_open[col] = above
            else:
                p = Placed(ri, col, span, 1, cell, text, is_head)
                t.cells.append(p)
                if cell.open_bottom:
                    still_open[col] = p
            col += span
        open_at = still_open
    t.rows = len(grid_rows)
    t.header_rows = len(grid.header)
    return t


def blocks(doc) -> list[tuple[str, object]]:
    """('title', Title) | ('table', Table) | ('lines', [str]) | ('break', None), in the PDF's order."""
    out: list[tuple[str, object]] = []
    for item in doc.items:
        if isinstance(item, Title):
            out.append(("title", item))
        elif isinstance(item, Grid):
            out.append(("table", _table(item)))
        elif isinstance(item, Block):
            out.append(("lines", drawn_text(item.draw, block=True)))
        elif isinstance(item, (PageBreak, Section)):   # a Section (each plan) starts a page too
            if out:
                out.append(("break", None))
    return out


def _hex(colour) -> str | None:
    if colour is None:
        return None
    try:
        return "%02X%02X%02X" % tuple(int(round(v * 255)) for v in (colour.red, colour.green, colour.blue))
    except AttributeError:
        return None


def _lines_needed(text: str, width_pt: float, size: float) -> int:
    """Lines a text takes in a column (Thai marks above and below take no width)."""
    per_line = max(1.0, (width_pt - 6) / (size * 0.38))

    def base(word: str) -> int:
        return sum(1 for ch in word if not ("\u0e31" == ch or "\u0e34" <= ch <= "\u0e3a" or "\u0e47" <= ch <= "\u0e4e"))
    n = 0
    for part in (text or "").split("\n"):
        # words wrapped whole, as the spreadsheet does: in a narrow week column each word takes a line;
        # a word longer than the line breaks between its Thai words, lines a quarter short
        lines, used = 1, 0.0
        for word in part.split():
            size_w = base(word)
            if used and used + 1 + size_w <= per_line:
                used += 1 + size_w
                continue
            if used:
                lines += 1
            long = math.ceil(size_w * (1.25 if size_w > per_line else 1) / per_line)
            lines += max(1, long) - 1
            used = size_w - (max(1, long) - 1) * per_line if size_w > per_line else size_w
        n += lines
    return n + (1 if n > 2 else 0)   # lines broken between words are shorter than the column


# ---------------------------------------------------------------- Excel

def _text_cell(ws, row: int, col: int, text: str | None):
    """A cell holding ``text`` as text: openpyxl would store "=A1+1" as a formula that Excel runs
    (and a step written so would not import back)."""
    c = ws.cell(row, col)
    if text:
        c.value = text
        if text.startswith("="):
            c.data_type = "s"
    return c


def write_xlsx(parts: list[tuple[str, object]], out: Path, title: str, page: tuple[str, str] = ("A4", "landscape")) -> int:
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = (title or "form")[:31].replace("/", "-").replace(":", " ")
    ncols = max([len(t.widths) for k, t in parts if k == "table"] or [1])
    widths = [0.0] * ncols
    for k, t in parts:   # the first table's widths; a later, wider table adds its extra columns
        if k == "table":
            for i, w in enumerate(t.widths):
                widths[i] = widths[i] or w
    for i, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = max(4.0, w / 4.6)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    r = 1
    rows_written = 0
    for kind, part in parts:
        if kind == "title":
            for line in part.lines:
                c = _text_cell(ws, r, 1, line)
                c.font = Font(name=FONT, size=XLSX_SIZE + 2 if part.bold else XLSX_SIZE, bold=part.bold)
                c.alignment = Alignment(horizontal=part.align if part.align in ("left", "center", "right")
                                        else "center", vertical="center", wrap_text=True)
                if ncols > 1:
                    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
                ws.row_dimensions[r].height = (XLSX_SIZE + 2) * 1.6 * _lines_needed(line, sum(widths), XLSX_SIZE + 2)
                r += 1
        elif kind == "lines":
            r += 1
            first = max(1, int(ncols * 0.55))
            for line in part:
                c = _text_cell(ws, r, first, line)
                c.font = Font(name=FONT, size=XLSX_SIZE)
                c.alignment = Alignment(horizontal="center")
                if ncols > first:
                    ws.merge_cells(start_row=r, start_column=first, end_row=r, end_column=ncols)
                ws.row_dimensions[r].height = XLSX_SIZE * 1.6
                r += 1
        elif kind == "break":
            ws.row_breaks.append(Break(id=r))
            r += 1
        else:
            t: Table = part
            heights = [1] * t.rows
            for p in t.cells:
                row, col = r + p.row, 1 + p.col
                c = _text_cell(ws, row, col, p.text)
                size = min(XLSX_SIZE, p.cell.size or XLSX_SIZE)
                c.font = Font(name=FONT, size=size, bold=p.cell.bold or p.header)
                c.alignment = Alignment(horizontal=p.cell.align if p.cell.align in ("left", "center", "right")
                                        else "left", vertical="center" if p.header or p.cell.valign == "middle"
                                        else "top", wrap_text=True)
                fill = _hex(p.cell.fill)
                if fill and fill != "FFFFFF":
                    c.fill = PatternFill("solid", fgColor=fill)
                elif p.cell.draw is not None and not p.text:   # a Gantt bar: the months it covers shaded
                    c.fill = PatternFill("solid", fgColor="9FC5E8")
                for rr in range(row, row + p.rowspan):
                    for cc in range(col, col + p.colspan):
                        ws.cell(rr, cc).border = border
                if p.colspan > 1 or p.rowspan > 1:
                    ws.merge_cells(start_row=row, start_column=col, end_row=row + p.rowspan - 1,
                                   end_column=col + p.colspan - 1)
                w = sum(widths[p.col:p.col + p.colspan])   # the sheet's columns: the first table's widths
                heights[p.row] = max(heights[p.row], math.ceil(_lines_needed(p.text, w, size) / p.rowspan))
            for i, h in enumerate(heights):
                ws.row_dimensions[r + i].height = round(h * XLSX_SIZE * 1.5 + 4)
            r += t.rows
            rows_written += t.rows - t.header_rows
            r += 1
    paper, orientation = page   # the paper and orientation chosen for the print
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if paper == "A3" else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.save(str(out))
    return rows_written


# ---------------------------------------------------------------- Word

def _font_run(run, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for tag in ("w:szCs",):
        el = rpr.find(qn(tag))
        if el is None:
            el = rpr.makeelement(qn(tag), {})
            rpr.append(el)
        el.set(qn("w:val"), str(int(size * 2)))
    if bold:
        b = rpr.makeelement(qn("w:bCs"), {})
        rpr.append(b)


def _default_font(document) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(DOCX_SIZE)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    pf = style.paragraph_format
    pf.space_after = Pt(0)
    pf.space_before = Pt(0)


def _para(container, text: str, size: float, bold: bool = False, align: str = "left", indent_pt: float = 0):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt
    p = container.add_paragraph() if hasattr(container, "add_paragraph") else container
    p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}.get(
        align, WD_ALIGN_PARAGRAPH.LEFT)
    if indent_pt:
        p.paragraph_format.left_indent = Pt(indent_pt)
    for k, line in enumerate((text or "").split("\n")):
        run = p.add_run(line)
        _font_run(run, size, bold)
        if k < len(text.split("\n")) - 1:
            run.add_break()
    return p


def write_docx(parts: list[tuple[str, object]], out: Path, title: str, page: tuple[str, str] = ("A4", "landscape")) -> int:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    _default_font(document)
    document.core_properties.title = title
    sec = document.sections[0]
    paper, orientation = page   # the paper and orientation chosen for the print
    short, long_ = (297, 420) if paper == "A3" else (210, 297)
    width_mm, height_mm = (long_, short) if orientation == "landscape" else (short, long_)
    sec.orientation = WD_ORIENT.LANDSCAPE if orientation == "landscape" else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(width_mm), Mm(height_mm)
    for side in ("left_margin", "right_margin"):
        setattr(sec, side, Mm(12))
    sec.top_margin = sec.bottom_margin = Mm(12)
    frame_pt = (width_mm - 24) / 25.4 * 72
    rows_written = 0
    pending_break = False
    for kind, part in parts:
        if kind == "break":
            pending_break = True
            continue
        if pending_break:
            document.add_page_break()
            pending_break = False
        if kind == "title":
            for line in part.lines:
                _para(document, line, DOCX_SIZE + 2 if part.bold else DOCX_SIZE, part.bold, part.align)
        elif kind == "lines":
            document.add_paragraph()
            for line in part:
                _para(document, line, DOCX_SIZE, align="center", indent_pt=frame_pt * 0.45)
        else:
            t: Table = part
            ncols = len(t.widths)
            table = document.add_table(rows=t.rows, cols=ncols)
            table.style = "Table Grid"
            table.autofit = False
            scale = min(1.0, frame_pt / max(1.0, sum(t.widths)))
            widths = [Pt(w * scale) for w in t.widths]
            layout = OxmlElement("w:tblLayout")    # Word and LibreOffice keep the form's column widths
            layout.set(qn("w:type"), "fixed")
            table._tbl.tblPr.append(layout)
            margins = OxmlElement("w:tblCellMar")   # narrow cell margins, as the PDF's: month columns are narrow
            for side in ("left", "right"):
                m = OxmlElement(f"w:{side}")
                m.set(qn("w:w"), "45")
                m.set(qn("w:type"), "dxa")
                margins.append(m)
            table._tbl.tblPr.append(margins)
            for i, w in enumerate(widths):
                table.columns[i].width = w
                for cell in table.columns[i].cells:
                    cell.width = w
            for i in range(t.header_rows):   # the headings repeat on every page, as in the PDF
                trpr = table.rows[i]._tr.get_or_add_trPr()
                el = OxmlElement("w:tblHeader")
                el.set(qn("w:val"), "true")
                trpr.append(el)
            for p in t.cells:
                cell = table.cell(p.row, p.col)
                if p.colspan > 1 or p.rowspan > 1:
                    cell = cell.merge(table.cell(p.row + p.rowspan - 1, p.col + p.colspan - 1))
                    cell.width = sum(widths[p.col:p.col + p.colspan], Pt(0))
                size = min(DOCX_SIZE, p.cell.size or DOCX_SIZE)
                para = cell.paragraphs[0]
                _para(para, p.text, size, p.cell.bold or p.header, p.cell.align)
                fill = _hex(p.cell.fill) or ("9FC5E8" if p.cell.draw is not None and not p.text else None)
                if fill and fill != "FFFFFF":
                    shd = OxmlElement("w:shd")
                    shd.set(qn("w:val"), "clear")
                    shd.set(qn("w:fill"), fill)
                    cell._tc.get_or_add_tcPr().append(shd)
            rows_written += t.rows - t.header_rows
            document.add_paragraph()
    document.save(str(out))
    return rows_written


# ---------------------------------------------------------------- entry point

def export_form(store: Store, req, opts: Options, out: str | Path) -> int:
    """Write the form to ``out`` (.xlsx or .docx, by its extension); returns the table rows written."""
    from .form_names import form_labels
    from .render import build
    out = Path(out)
    ext = out.suffix.lower()
    if ext not in FORMATS:
        raise UserError(_("Unknown file type '{ext}': export to .pdf, .xlsx or .docx.").format(ext=out.suffix))
    if out.is_dir():
        raise UserError(_("{path} is a folder; give a file name.").format(path=out))
    if not out.parent.exists():
        raise UserError(_("The folder {path} does not exist.").format(path=out.parent))
    # the weekly plan: one table per band of months holding every row (the paper's groups of
    # rows, repeated per page, would split the plan the import joins back by band)
    doc = build_weekly(store, req, opts, paged=False) if req.form == "weekly" else build(store, req, opts)
    parts = blocks(doc)
    if req.form == "weekly":
        _weekly_remarks(store, req, parts)
    title = form_labels().get(req.form, req.form) + " " + str(req.year["year_be"])
    tmp = out.with_name(out.name + ".part")
    try:
        n = (write_xlsx if ext == ".xlsx" else write_docx)(parts, tmp, title, page=(doc.paper, doc.orientation))
        tmp.replace(out)
    except PermissionError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(_("Cannot write {path}: it may be open in another program.").format(path=out),
                        str(exc)) from exc
    return n


def _weekly_remarks(store: Store, req, parts) -> None:
    """The weekly plan's row remarks, which the printed form leaves out, in a last column of the
    last band of months, so that the file holds the whole plan (and imports back whole)."""
    from ..core.storage import planning
    from .form_text import thai
    rows = planning.weekly_rows(store, req.year["id"])
    tables = [p for k, p in parts if k == "table"]
    if not tables or not any(r.get("remark") for r in rows):
        return
    t = tables[-1]   # the export builds one table per band of months, each with every row
    col = len(t.widths)
    t.widths.append(90.0)
    t.cells.append(Placed(0, col, 1, t.header_rows, Cell(thai(_("Remarks")), align="center", bold=True),
                          thai(_("Remarks")), True))
    for i, r in enumerate(rows):
        t.cells.append(Placed(t.header_rows + i, col, 1, 1, Cell(r.get("remark") or "", size=12),
                              r.get("remark") or ""))
