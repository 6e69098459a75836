"""A small page engine for the forms: titles, ruled grids whose heading rows repeat on every
page, rows that move to the next page (or split between lines when taller than a page),
blocks kept together (the approval block with the last rows of its form), and page numbers
"หน้า 2/5" known before the first page is drawn (layout is done in full, then drawn).

Drawing is straight onto a ReportLab canvas through ``TextWriter`` (shaped Thai, ActualText).
"""
from __future__ import annotations

import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import PATH_OPS, Canvas

from ..core.thai_calendar import from_thai_digits, to_thai_digits
from ..i18n import _
from . import layout_helper
from .fonts import ThaiFont
from .form_text import thai
from .thai_text_layout import TextWriter, fp_str, longest_word_width, num, surely_wider, words_surely_fit, wrap

MM = 72.0 / 25.4
BODY_SIZE = 16.0          # nominal TH Sarabun sizes
LINE_FACTOR = 1.08        # leading / nominal size
PAD_X = 2.5
PAD_Y = 1.5
FOOTER_ROOM = 7 * MM      # the page number line, inside the frame (nothing in the margins)
HELPER_MIN_CHARS = 40000  # a form with this much text in its grids has part of its cells wrapped by the helper ...
HELPER_MIN_TEXT = 16      # ... counting only its cells of this many characters or more
HELPER_MIN_PAGES = 20     # a form of this many pages has its pages compressed by the helper
MIN_SIZE = 12.0           # no text is set smaller (nominal TH Sarabun points), even to fit a long word


FLATE_LEVEL = 1
_ARABIC_DIGIT = re.compile("[0-9]").search
_THAI_DIGIT = re.compile("[\u0e50-\u0e59]").search


class _Flate(pdfdoc.PDFStreamFilterZCompress):
    """ReportLab's Flate filter at a low level: a long form's page streams compress about 2.5
    times faster than at zlib's default and come out about a fifth bigger. (Compressing
    finished pages in a helper thread was tried: the thread switches cost what it saved.) A large
    form's pages are compressed by the helper process as they are finished (``layout_helper``,
    the same call to zlib); a page whose result is not back when the file is written is
    compressed here."""

    def __init__(self):
        self.done: dict[str, bytes] = {}   # streams compressed by the helper process (layout_helper)

    def encode(self, text):
        if self.done:
            got = self.done.pop(text, None)
            if got is not None:
                return got
        if isinstance(text, str):
            text = text.encode("utf8")
        return zlib.compress(text, FLATE_LEVEL)


def _wrap_key(cell: "Cell", width: float, size: float) -> tuple:
    """What a text cell wraps by: its text and look, its width and its grid's size. The key of the
    document's wrapped texts, and the cell as the helper process is handed it (``layout_helper``)."""
    return (cell.text, cell.bold, cell.size, cell.pad, cell.min_lines, width, size)


_TOP, _BOTTOM = "\x00t", "\x00b"    # stand for a row's top and bottom in its rules' template


class Cancelled(Exception):
    """The job was cancelled; nothing was written."""


# Official margins (ระเบียบงานสารบรรณ practice): the binding side wider for the punch holes.
BINDING_MM = 30.0
OTHER_MM = 20.0


@dataclass
class Options:
    font: ThaiFont
    thai_digits: bool = False
    binding_mm: float = BINDING_MM
    other_mm: float = OTHER_MM
    landscape_binding: str = "left"     # left | top: where a landscape form is bound
    weekly_paper: str = "A4"            # A4 (months over several pages) | A3 (all months on one page)
    paper: str = ""                     # A4 | A3 chosen for this print; "" = the form's own
    orientation: str = ""               # portrait | landscape chosen for this print; "" = the form's own

    def digits(self, text: str) -> str:
        """Every digit in one system: Thai when chosen, else Arabic (the stored text is not changed,
        only what is printed). A text without a digit to change is returned as it is: looking
        for one is much quicker than ``str.translate`` over Thai text (~5 us a cell)."""
        if type(text) is not str:
            text = str(text)
        if self.thai_digits:
            return to_thai_digits(text) if _ARABIC_DIGIT(text) else text
        return from_thai_digits(text) if _THAI_DIGIT(text) else text

    def margins_mm(self, orientation: str) -> tuple[float, float, float, float]:
        """(top, right, bottom, left) in mm: the binding side gets ``binding_mm``."""
        b, o = self.binding_mm, self.other_mm
        if orientation == "landscape" and self.landscape_binding == "top":
            return (b, o, o, o)
        return (o, o, o, b)


@dataclass
class Cell:
    text: str = ""
    align: str = "left"          # left | center | right
    bold: bool = False
    size: float | None = None    # nominal size; None = the grid's
    fill: object = None          # a reportlab colour
    colspan: int = 1
    valign: str = "top"          # top | middle
    draw: Callable | None = None  # draw(ctx, x, y_top, w, h) instead of text (Gantt bars)
    min_lines: int = 0
    open_top: bool = False       # no rule above: the cell continues the one above (merged look)
    open_bottom: bool = False
    pad: float | None = None     # left/right padding (points) instead of PAD_X: narrow centred labels
    draw_under: Callable | None = None   # draw(ctx, x, y_top, w, h) before the text (partial shading)


@dataclass
class Row:
    cells: list[Cell]
    keep_with_next: bool = False
    rule_above: bool = True
    min_height: float = 0.0      # points: rows printed side by side on several pages get one height


@dataclass
class Grid:
    widths: list[float]
    header: list[Row]
    body: list[Row]
    size: float = BODY_SIZE
    header_fill: object = colors.Color(0.90, 0.90, 0.90)
    keep_last_with_next: int = 0
    continued: str = ""          # printed above the headings on a page the grid continues onto


@dataclass
class Section:
    """Starts a new page and a new page count ("หน้า 1/n" per plan / per signed document)."""


@dataclass
class Title:
    lines: list[str]
    size: float = 18.0
    bold: bool = True
    align: str = "center"
    space_after: float = 6.0
    space_before: float = 0.0    # a note under a table stands a little below it


@dataclass
class Block:
    """A fixed block drawn by a function; never split. ``keep_prev`` rows of the grid before
    it travel with it to a new page."""
    height: float
    draw: Callable
    keep_prev: int = 0


@dataclass
class PageBreak:
    pass


# ---------------------------------------------------------------- laid-out units

@dataclass
class _Laid:
    cells: list[tuple[float, float, Cell, list[str], float]]  # x offset, width, cell, lines, nominal size
    height: float


@dataclass
class _Unit:
    height: float
    kind: str                      # 'row', 'title', 'block', 'break'
    grid: "_GridLay | None" = None
    laid: _Laid | None = None
    draw: Callable | None = None
    keep_next: bool = False
    keep_prev: int = 0
    continues: bool = False        # a row of a grid that is not its first
    row: int = -1                  # index of the row in its grid's body
    split: bool = False            # the rest of a row cut between lines at a page end


@dataclass
class _GridLay:
    grid: Grid
    header: list[_Laid] = field(default_factory=list)
    header_height: float = 0.0
    continued_height: float = 0.0
    continued_lines: list[str] = field(default_factory=list)


class Ctx:
    """What drawing functions get: the canvas, the text writer and the options."""

    def __init__(self, canvas: Canvas, opts: Options):
        self.canvas = canvas
        self.opts = opts
        self.writer = TextWriter(canvas)
        self._fill_ops: dict[tuple, str] = {}

    def set_fill(self, colour) -> None:
        """``canvas.setFillColor``, its operator cached per colour: ReportLab formats the numbers
        with its slow pure-Python fp_str, and a grid sets a colour twice per filled cell. The first
        use goes through ReportLab (PDF version, transparency state), later ones only repeat the
        operator and the canvas' current colour (plain opaque RGB colours only)."""
        c = self.canvas
        if type(colour) is not colors.Color or colour.alpha not in (None, 1):
            c.setFillColor(colour)
            return
        key = (colour.red, colour.green, colour.blue)
        got = self._fill_ops.get(key)
        if got is not None:
            c._fillColorObj = colour
            c._code.append(got)
            return
        n = len(c._code)
        c.setFillColor(colour)
        if len(c._code) == n + 1:
            self._fill_ops[key] = c._code[n]

    def fill_rect(self, colour, x: float, y: float, w: float, h: float) -> None:
        """A filled rectangle without outline, then the fill colour back to black."""
        c = self.canvas
        self.set_fill(colour)
        c._code.append("n " + fp_str(x) + " " + fp_str(y) + " " + fp_str(w) + " " + fp_str(h) + " re "
                       + PATH_OPS[0, 1, c._fillMode])
        self.set_fill(colors.black)

    def size(self, nominal: float) -> float:
        return nominal * self.opts.font.scale

    def text(self, x: float, y: float, text: str, size: float = BODY_SIZE, bold: bool = False,
             align: str = "left") -> None:
        face = self.opts.font.face(bold)
        s = self.size(size)
        text = self.opts.digits(text)
        if align != "left":
            w = face.drawn_advance(text) * s / 1000.0
            x -= w / 2 if align == "center" else w
        self.writer.draw(face, s, x, y, text)


def leading(size: float) -> float:
    return size * LINE_FACTOR


def baseline_offset(size: float) -> float:
    """From the top of a line box to the baseline."""
    return size * LINE_FACTOR * 0.78


class FormDocument:
    """Collects titles, grids and blocks, lays them out on pages, then draws them."""

    def __init__(self, opts: Options, orientation: str = "portrait", footer_left: str = "", paper: str = "A4"):
        self.opts = opts
        paper, orientation = opts.paper or paper, opts.orientation or orientation   # the clerk's choice first
        self.paper, self.orientation = paper, orientation
        size = A3 if paper == "A3" else A4
        self.pagesize = landscape(size) if orientation == "landscape" else size
        top, right, bottom, left = (m * MM for m in opts.margins_mm(orientation))
        self.left, self.right, self.top, self.bottom = left, right, top, bottom
        self.frame_w = self.pagesize[0] - left - right
        self.frame_h = self.pagesize[1] - top - bottom - FOOTER_ROOM
        self.items: list = []
        self.footer_left = footer_left
        self.missing: set[str] = set()      # characters the font cannot draw (reported, not boxed)
        self._xcache: dict[float, str] = {}
        self._rules: dict[tuple, str] = {}        # a row's columns -> its rules (see _rules_template)
        self._headings: dict[tuple, tuple] = {}   # a heading row where it stands -> its operators
        self._wrapped: dict[tuple, tuple] = {}   # (id(cell), width, size) -> (cell, lines, size)
        self._wrapped_texts: dict[tuple, tuple] = {}   # (text, look, width, size) -> (lines, size)
        self._helped = False    # the helper process wraps some of the cells being laid out

    def add(self, item) -> None:
        self.items.append(item)

    # ------------------------------------------------------------ measuring
    def _wrap_cell(self, cell: Cell, width: float, size: float) -> tuple[list[str], float]:
        """Lines of a cell and the nominal size used. A word wider than the cell breaks between its
        parts; a cell whose widest part is still wider is set smaller (never below MIN_SIZE)
        before that part is cut."""
        nominal = cell.size or size
        if cell.draw is not None:
            return [""] * max(1, cell.min_lines), nominal
        if not cell.text:
            return [""] * cell.min_lines, nominal
        face = self.opts.font.face(cell.bold)
        avail = max(4.0, width - 2 * (PAD_X if cell.pad is None else cell.pad))
        text = self.opts.digits(cell.text)
        if "\n" not in text:
            s = nominal * self.opts.font.scale
            # a text that will likely fit is shaped in full now (its drawing reuses it); a longer one
            # is first measured by its words, which its wrapping needs anyway (of the large year's
            # texts up to twice as long as the cell, 11 in 1,370 fit: shaping each in full only to
            # learn that it does not cost more than finding the words of those few), and only
            # measured in full when that does not settle it (the same width either way)
            guess = len(text) * s * 0.45
            if guess <= avail:
                fits = face.drawn_advance(text) * s / 1000.0 <= avail
            elif surely_wider(face, text, avail * 1000.0 / s):
                fits = False
            else:
                fits = face.advance(text) * s / 1000.0 <= avail
        else:
            fits = False
        if fits:
            return [text.strip()] + [""] * (cell.min_lines - 1), nominal
        if not words_surely_fit(face, text, avail * 1000.0 / (nominal * self.opts.font.scale)):
            widest = longest_word_width(face, text)  # in 1/1000 em
            if widest * nominal * self.opts.font.scale / 1000.0 > avail:
                nominal = max(min(nominal, MIN_SIZE), avail * 1000.0 / (widest * self.opts.font.scale) - 0.01)
        s = nominal * self.opts.font.scale
        lines = [ln.text for ln in wrap(face, s, text, avail)]
        while len(lines) < cell.min_lines:
            lines.append("")
        return lines, nominal

    def _lay_row(self, row: Row, widths: list[float], size: float) -> _Laid:
        out = []
        x = 0.0
        col = 0
        h = 0.0
        memo = self._wrapped
        texts = self._wrapped_texts
        for cell in row.cells:
            span = cell.colspan
            w = widths[col] if span == 1 else sum(widths[col:col + span])
            # the same Cell object (forms share one per repeated text) wraps the same way
            got = memo.get((id(cell), w, size))
            if got is None or got[0] is not cell:
                if cell.draw is None:
                    # another Cell of the same text and look wraps the same way too (the weekly
                    # plan makes each row's cells anew for each band of months)
                    like = _wrap_key(cell, w, size)
                    wrapped = texts.get(like)
                    if wrapped is None:
                        wrapped = texts[like] = self._wrap_cell(cell, w, size)
                else:
                    wrapped = self._wrap_cell(cell, w, size)
                got = memo[(id(cell), w, size)] = (cell, *wrapped)
            _c, lines, csize = got
            out.append((x, w, cell, lines, csize))
            lh = len(lines) * (csize * LINE_FACTOR)
            if lh > h:
                h = lh
            x += w
            col += span
        return _Laid(out, max(h + 2 * PAD_Y, leading(size) + 2 * PAD_Y, row.min_height))

    def _split_laid(self, laid: _Laid, size: float, avail: float) -> tuple[_Laid, _Laid]:
        """Cut a row between lines so the first part fits ``avail``."""
        first, rest = [], []
        for x, w, cell, lines, csize in laid.cells:
            n = max(1, int((avail - 2 * PAD_Y) // leading(csize)))
            first.append((x, w, cell, lines[:n], csize))
            rest.append((x, w, cell, lines[n:], csize))

        def height(cells):
            return max([len(ls) * leading(cs) for _, _, _c, ls, cs in cells] + [leading(size)]) + 2 * PAD_Y
        return _Laid(first, height(first)), _Laid(rest, height(rest))

    def _units(self) -> list[_Unit]:
        helped = self._helped = self._ask_helper()
        try:
            return self._lay_units()
        finally:
            self._helped = False
            if helped:
                layout_helper.ask(self.opts.font, self.opts.thai_digits, [], {})   # done: the helper stops

    def _ask_helper(self) -> bool:
        """A large form's text cells, in the order ``_lay_row`` wraps them, go to the helper process
        that wraps them on the PC's other core (``layout_helper``); what it has not done when a cell
        is reached is wrapped here, as without it, by the same code. Only texts of
        ``HELPER_MIN_TEXT`` characters or more: a shorter one is quicker to wrap than to hand over."""
        if not layout_helper.idle_core():
            return False
        cells: dict[tuple, None] = {}
        chars = 0
        shortest = HELPER_MIN_TEXT
        for item in self.items:
            if not isinstance(item, Grid):
                continue
            widths, size = item.widths, item.size
            n = len(widths)
            rows = (*item.header, *item.body)
            # the columns worth it: those with a long text in the grid's first rows (the calendar's
            # step texts and remarks, not its twelve months)
            wordy = [j for j in range(n) if any(len(r.cells) == n and type(r.cells[j].text) is str
                                                and len(r.cells[j].text) >= shortest for r in rows[:64])]
            for row in rows:
                rc = row.cells
                if len(rc) == n:   # one cell a column (a key made wrong would only never be looked up)
                    pairs = [(rc[j], widths[j]) for j in wordy]
                else:
                    pairs = []
                    col = 0
                    for c in rc:
                        span = c.colspan
                        pairs.append((c, widths[col] if span == 1 else sum(widths[col:col + span])))
                        col += span
                for cell, w in pairs:
                    text = cell.text
                    if type(text) is str and len(text) >= shortest and cell.draw is None:
                        like = _wrap_key(cell, w, size)
                        if like not in cells:
                            cells[like] = None
                            chars += len(text)
        if chars < HELPER_MIN_CHARS:
            return False
        return layout_helper.ask(self.opts.font, self.opts.thai_digits, list(cells), self._wrapped_texts)

    def _lay_units(self) -> list[_Unit]:
        units: list[_Unit] = []
        # grids sharing their heading rows and columns (the weekly plan's pages, one Grid each)
        # share the laid-out rows too, so _draw_heading repeats their operators from page to page
        headings: dict[tuple, tuple[Row, _Laid]] = {}
        for item in self.items:
            if isinstance(item, Title):
                s = item.size * self.opts.font.scale
                face = self.opts.font.face(item.bold)
                lines = []
                for t in item.lines:
                    lines.extend(ln.text for ln in wrap(face, s, self.opts.digits(t), self.frame_w))
                h = len(lines) * leading(item.size) + item.space_after + item.space_before

                def draw_title(ctx, x, y, item=item, lines=lines):
                    for i, t in enumerate(lines):
                        yy = y - item.space_before - baseline_offset(item.size) - i * leading(item.size)
                        if item.align == "center":
                            ctx.text(x + self.frame_w / 2, yy, t, item.size, item.bold, "center")
                        else:
                            ctx.text(x, yy, t, item.size, item.bold)
                units.append(_Unit(h, "title", draw=draw_title, keep_next=True))
            elif isinstance(item, Grid):
                gl = _GridLay(item)
                gl.header = []
                for r in item.header:
                    key = (id(r), tuple(item.widths), item.size)
                    got = headings.get(key)
                    if got is None or got[0] is not r:
                        got = headings[key] = (r, self._lay_row(r, item.widths, item.size))
                    gl.header.append(got[1])
                gl.header_height = sum(h.height for h in gl.header)
                if item.continued:
                    face = self.opts.font.face(True)
                    gl.continued_lines = [ln.text for ln in wrap(face, BODY_SIZE * self.opts.font.scale,
                                                                 self.opts.digits(item.continued), self.frame_w)]
                    gl.continued_height = len(gl.continued_lines) * leading(BODY_SIZE) + 2
                poll = layout_helper.poll if self._helped else None
                for i, r in enumerate(item.body):
                    if poll is not None and not i & 15:
                        poll()   # the helper's lines come in (``_ask_helper``)
                    laid = self._lay_row(r, item.widths, item.size)
                    units.append(_Unit(laid.height, "row", grid=gl, laid=laid, keep_next=r.keep_with_next,
                                       continues=i > 0, row=i))
            elif isinstance(item, Block):
                units.append(_Unit(item.height, "block", draw=item.draw, keep_prev=item.keep_prev))
            elif isinstance(item, PageBreak):
                units.append(_Unit(0, "break"))
            elif isinstance(item, Section):
                units.append(_Unit(0, "section"))
        return units

    def row_heights(self, grid: Grid) -> list[float]:
        """Height of each body row of ``grid`` as laid out on this document's pages."""
        return [self._lay_row(r, grid.widths, grid.size).height for r in grid.body]

    def row_groups(self, title: "Title", grid: Grid) -> list[tuple[int, int]]:
        """(first, end) row indexes of ``grid`` on each page when every page repeats ``title``:
        how a table printed in parts on several sets of pages groups its rows."""
        probe = FormDocument(self.opts, footer_left=self.footer_left)
        probe.pagesize, probe.frame_w = self.pagesize, self.frame_w
        probe._wrapped = self._wrapped      # the same cells at the same widths: wrapped once
        probe._wrapped_texts = self._wrapped_texts
        probe.add(title)
        probe.frame_h = self.frame_h - probe._units()[0].height
        probe.items = [grid]
        starts = []
        for page in probe.paginate():
            rows = [u.row for u in page if u.kind == "row" and not u.split]
            if rows:
                starts.append(rows[0])
        starts = starts or [0]
        return list(zip(starts, starts[1:] + [len(grid.body)]))

    def text_cells(self) -> list[tuple[Cell, float, list[str], float]]:
        """Every text cell as laid out: (cell, its width in points, its lines, nominal size used)."""
        out = []
        for u in self._units():
            if u.kind == "row":
                for laid in (*u.grid.header, u.laid):
                    out.extend((cell, w, lines, size) for _x, w, cell, lines, size in laid.cells
                               if cell.text and cell.draw is None)
        return out

    # ------------------------------------------------------------ pagination
    def paginate(self) -> list[list[_Unit]]:
        units = self._units()
        pages: list[list[_Unit]] = [[]]
        self.page_sections = [0]
        section = 0

        def head(prev, u):
            """Room for the headings (and the "(ต่อ)" line) a row brings when it starts a grid's part."""
            if u.kind != "row" or (prev is not None and prev.grid is u.grid):
                return 0.0
            return u.grid.header_height + (u.grid.continued_height if prev is None and u.continues else 0.0)

        def used(page):
            h, prev = 0.0, None
            for u in page:
                h += head(prev, u) + u.height
                prev = u
            return h

        def need(page, u):
            return head(page[-1] if page else None, u) + u.height

        cur_h = 0.0
        queue = units
        i = 0
        while i < len(queue):
            u = queue[i]
            i += 1
            page = pages[-1]
            if u.kind in ("break", "section"):
                if u.kind == "section":
                    section += 1
                if page:
                    pages.append([])
                    self.page_sections.append(section)
                    cur_h = 0.0
                else:
                    self.page_sections[-1] = section
                continue
            nd = need(page, u)
            if cur_h + nd <= self.frame_h + 0.01 or not page and u.kind != "row":
                page.append(u)
                cur_h = used(page)
                continue
            if u.kind == "row" and u.height > self.frame_h - u.grid.header_height:
                # taller than a page: fill what is left of this one, go on over the next
                size = u.grid.grid.size
                avail = self.frame_h - cur_h - (nd - u.height)
                if avail < 2 * leading(size) + 2 * PAD_Y:
                    pages.append([])
                    self.page_sections.append(section)
                    cur_h = 0.0
                    i -= 1
                    continue
                part, rest = self._split_laid(u.laid, size, avail)
                page.append(_Unit(part.height, "row", grid=u.grid, laid=part, continues=u.continues, row=u.row,
                                  split=u.split))
                queue.insert(i, _Unit(rest.height, "row", grid=u.grid, laid=rest, keep_next=u.keep_next,
                                      continues=True, row=u.row, split=True))
                pages.append([])
                self.page_sections.append(section)
                cur_h = 0.0
                continue
            # does not fit: move to a new page, taking along what must stay with it
            carry: list[_Unit] = []
            take = u.keep_prev
            while page and len(page) > 1 and (take > 0 or page[-1].keep_next):
                if page[-1].kind == "row" and take > 0:
                    take -= 1
                carry.insert(0, page.pop())
                if take <= 0 and not page[-1].keep_next:
                    break
            new = carry + [u]
            if used(new) > self.frame_h:  # cannot keep together: keep only what is required
                page.extend(carry)
                new = [u]
            pages.append(new)
            self.page_sections.append(section)
            cur_h = used(new)
        keep = [i for i, p in enumerate(pages) if p]
        self.page_sections = [self.page_sections[i] for i in keep]
        return [pages[i] for i in keep]

    # ------------------------------------------------------------ drawing
    def _draw_laid(self, ctx: Ctx, laid: _Laid, x0: float, y_top: float, size: float, fill=None) -> None:
        c = ctx.canvas
        h = laid.height
        cells = laid.cells
        font = self.opts.font
        faces = font.faces
        scale = font.scale
        draw_text = ctx.writer.draw
        for x, w, cell, lines, csize in cells:
            bg = cell.fill or fill
            if bg is not None:
                ctx.fill_rect(bg, x0 + x, y_top - h, w, h)
            if cell.draw_under is not None:
                cell.draw_under(ctx, x0 + x, y_top, w, h)
            if cell.draw is not None:
                cell.draw(ctx, x0 + x, y_top, w, h)
                continue
            if not lines or not any(lines):
                continue
            ax = x0 + x
            lead = csize * LINE_FACTOR
            ty = y_top - PAD_Y
            if cell.valign == "middle":
                ty -= (h - 2 * PAD_Y - len(lines) * lead) / 2
            face = faces[bool(cell.bold)]
            s = csize * scale
            base = ty - csize * LINE_FACTOR * 0.78   # baseline_offset(csize)
            align = cell.align
            if align == "left":
                tx = ax + PAD_X
                if len(lines) == 1:
                    draw_text(face, s, tx, base, lines[0])
                    continue
            for i, t in enumerate(lines):
                if not t:
                    continue
                yy = base - i * lead
                if align != "left":
                    tw = face.drawn_advance(t) * s / 1000.0
                    tx = ax + (w - tw) / 2 if align == "center" else ax + w - PAD_X - tw
                draw_text(face, s, tx, yy, t)
        # the rules: every row of a grid has the same columns, so its rules differ only in height
        key = (x0, *[(x, w, cell.open_top, cell.open_bottom) for x, w, cell, _l, _s in cells])
        rules = self._rules.get(key)
        if rules is None:
            rules = self._rules[key] = self._rules_template(x0, cells)
        c._code.append(rules.replace(_TOP, num(y_top)).replace(_BOTTOM, num(y_top - h)))

    def _draw_heading(self, ctx: Ctx, laid: _Laid, y_top: float, size: float, fill) -> None:
        """A grid's heading row, the same on every page where it stands at the same height: its
        operators are made on its first page and repeated on the next (the canvas then stands as
        after drawing it: the fill colour is the last one set). A heading with a cell drawn by a
        function of its own is drawn anew every time."""
        key = (id(laid), y_top, size, id(fill))
        got = self._headings.get(key)
        c = ctx.canvas
        if got is not None and got[0] is laid:
            c._code.extend(got[1])
            c._fillColorObj = got[2]
            return
        n = len(c._code)
        self._draw_laid(ctx, laid, self.left, y_top, size, fill)
        if all(cell.draw is None and cell.draw_under is None for _x, _w, cell, _l, _s in laid.cells):
            self._headings[key] = (laid, c._code[n:], c._fillColorObj)

    def _rules_template(self, x0: float, cells: list) -> str:
        """The rules of a row (the left edge of every cell and the right edge of the last; above
        and below every cell but open ones, joined where they touch) as one path, with
        ``_TOP`` and ``_BOTTOM`` standing for the row's top and bottom y."""
        yt, yb = _TOP, _BOTTOM
        xs = self._xcache
        lefts: list[str] = []
        top: list[list[str]] = []
        bottom: list[list[str]] = []
        right = ""
        for x, w, cell, _lines, _csize in cells:
            ax = x0 + x
            xl = xs.get(ax)
            if xl is None:
                xl = xs[ax] = num(ax)
            bx = ax + w
            right = xs.get(bx)
            if right is None:
                right = xs[bx] = num(bx)
            lefts.append(xl)
            if not cell.open_top:
                if top and top[-1][1] == xl:
                    top[-1][1] = right
                else:
                    top.append([xl, right])
            if not cell.open_bottom:
                if bottom and bottom[-1][1] == xl:
                    bottom[-1][1] = right
                else:
                    bottom.append([xl, right])
        lefts.append(right)
        vt = " " + yt + " m "
        vb = " " + yb + " l"
        ops = [xl + vt + xl + vb for xl in lefts]
        ht = " " + yt + " l"
        ops += [a + vt + b + ht for a, b in top]
        ops += [a + " " + yb + " m " + b + vb for a, b in bottom]
        return "n " + " ".join(ops) + " S"

    def render(self, path: str | os.PathLike, progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None, title: str = "") -> int:
        """Write the PDF to ``path`` (through a temporary file, renamed at the end).
        Returns the number of pages. Raises ``Cancelled`` if ``cancelled()`` turns true."""
        pages = self.paginate()
        n = len(pages)
        path = Path(path)
        tmp = path.with_name(path.name + ".part")
        old_a85, old_flate = rl_config.useA85, pdfdoc.PDFZCompress
        rl_config.useA85 = 0   # Flate only: ASCII85 doubles the time of writing the file
        pdfdoc.PDFZCompress = flate = _Flate()
        helped = n >= HELPER_MIN_PAGES and layout_helper.idle_core()
        # the initial font is ours: ReportLab's default would name an unused, unembedded Helvetica
        canvas = Canvas(str(tmp), pagesize=self.pagesize, pageCompression=1,
                        initialFontName=self.opts.font.face(False).rl_name)
        canvas.setTitle(title)
        canvas.setCreator("PMQA Desktop")
        canvas.setLineWidth(0.5)
        ctx = Ctx(canvas, self.opts)
        self._headings = {}   # (operators repeated on this canvas only: its fonts' subsets are its own)
        counts: dict[int, int] = {}
        for sec in self.page_sections:
            counts[sec] = counts.get(sec, 0) + 1
        number_in_section: list[int] = []
        seen: dict[int, int] = {}
        for sec in self.page_sections:
            seen[sec] = seen.get(sec, 0) + 1
            number_in_section.append(seen[sec])
        try:
            for pno, page in enumerate(pages, start=1):
                if cancelled and cancelled():
                    raise Cancelled()
                canvas.setLineWidth(0.5)
                y = self.pagesize[1] - self.top
                prev = None
                for u in page:
                    if u.kind == "row":
                        if prev is None and u.continues and u.grid.grid.continued:
                            for i, t in enumerate(u.grid.continued_lines):
                                ctx.text(self.left, y - baseline_offset(BODY_SIZE) - i * leading(BODY_SIZE), t,
                                         BODY_SIZE, True)
                            y -= u.grid.continued_height
                        if prev is None or prev.grid is not u.grid:
                            for hl in u.grid.header:
                                self._draw_heading(ctx, hl, y, u.grid.grid.size, u.grid.grid.header_fill)
                                y -= hl.height
                        self._draw_laid(ctx, u.laid, self.left, y, u.grid.grid.size)
                    elif u.draw is not None:
                        u.draw(ctx, self.left, y)
                    y -= u.height
                    prev = u
                sec = self.page_sections[pno - 1]
                foot = thai(_("Page {page}/{pages}")).format(page=number_in_section[pno - 1], pages=counts[sec])
                base = self.bottom + leading(14) - baseline_offset(14)   # descenders stay above the margin
                ctx.text(self.pagesize[0] - self.right, base, foot, 14, align="right")
                if self.footer_left:
                    ctx.text(self.left, base, self.footer_left, 12)
                canvas.showPage()
                if helped:   # (unless the helper is not ready, or behind: then this page is compressed here)
                    layout_helper.compress(canvas._doc.Pages[-1].stream, FLATE_LEVEL, flate.done)
                if progress:
                    progress(pno, n)
            if cancelled and cancelled():
                raise Cancelled()
            if helped:
                layout_helper.poll()   # the last pages the helper compressed
            canvas.save()
            os.replace(tmp, path)
            self.missing = set(ctx.writer.missing)
        except BaseException:
            try:
                tmp.unlink()
            except OSError:
                pass
            raise
        finally:
            rl_config.useA85, pdfdoc.PDFZCompress = old_a85, old_flate
            if helped:
                layout_helper.forget_streams()
        return n
