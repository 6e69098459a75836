"""Excel workbooks (.xlsx) as the table of cells the importers interpret.

One sheet is read: each row a line. A merged range means what a merged Word cell means: its
text stands in the first column with the columns it covers, and the rows it covers below are
empty, marked as merged down with its text. Real Excel dates become the text a clerk would type ("31 มี.ค. 55"),
so the month-cell readers see what they see in Word.
"""
from __future__ import annotations

import datetime as dt
import re
from html import unescape
import zipfile
from pathlib import Path

from ...i18n import _, ngettext
from ..errors import UserError
from ..thai_calendar import MonthKey, format_thai_date
from .text_tables import Line, Problem, clean_cell


def _open(path: Path, read_only: bool = True):
    import openpyxl
    try:
        # read-only streams the rows (a 2,000-step calendar in a fraction of a second); merged
        # ranges, which that mode does not offer, are read from the sheet's XML (_merged_ranges)
        return openpyxl.load_workbook(str(path), data_only=True, read_only=read_only)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise UserError(_("{name} is not an Excel workbook that can be read (the file may be damaged).").format(
            name=path.name), str(exc)) from exc
    except Exception as exc:   # a damaged part inside the zip
        if type(exc).__module__.startswith(("lxml", "openpyxl", "xml", "zipfile", "zlib")):   # zlib: damaged packed bytes
            raise UserError(_("{name} is not an Excel workbook that can be read (the file may be damaged).").format(
                name=path.name), str(exc)) from exc
        raise


def sheet_names(path: Path) -> list[str]:
    """The sheets that hold something, in the workbook's order."""
    wb = _open(path)
    try:
        return [ws.title for ws in wb.worksheets if _holds_something(ws)]
    finally:
        wb.close()


def _holds_something(ws) -> bool:
    if ws.max_row is None or ws.max_column is None:   # no size recorded: look
        return any(v is not None for row in ws.iter_rows(values_only=True) for v in row)
    if ws.max_row > 1 or ws.max_column > 1:
        return True
    return any(v is not None for row in ws.iter_rows(max_row=1, values_only=True) for v in row)


def _sheet_xml(ws) -> bytes:
    """The sheet's own XML (read-only mode offers neither merged ranges nor formulas)."""
    with ws.parent._archive.open(ws._worksheet_path) as fh:
        return fh.read()


def _merged_ranges(ws, data: bytes | None = None) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of every merged range of a sheet."""
    from openpyxl.utils.cell import range_boundaries
    ranges = getattr(ws, "merged_cells", None)
    if ranges is not None:
        return [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ranges.ranges]
    import re
    data = _sheet_xml(ws) if data is None else data
    out = []
    for ref in re.findall(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"', data):
        c0, r0, c1, r1 = range_boundaries(ref.decode("ascii"))
        out.append((r0, c0, r1, c1))
    return out


_COORD = re.compile(r"([A-Z]{1,3})([0-9]+)$")


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def sheet_cells(ws, data: bytes):
    """Every cell of a sheet's XML holding a value, read straight from the XML (openpyxl builds an
    object per cell: the most of a large sheet's reading time): {row: {column: (value, number
    format)}}, and the formula cells without a saved value as (cell, row, formula)."""
    from lxml import etree
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
    from openpyxl.utils.datetime import from_excel, from_ISO8601
    root = etree.fromstring(data, parser=etree.XMLParser(huge_tree=True, resolve_entities=False))
    ns = root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    C, V, F, IS, T, R, RPH = (ns + t for t in ("c", "v", "f", "is", "t", "r", "rPh"))
    wb = ws.parent
    shared = getattr(ws, "_shared_strings", None) or wb.shared_strings   # read-only mode keeps them on the sheet
    styles = wb._cell_styles
    date_styles, delta_styles = wb._date_formats, wb._timedelta_formats
    custom = wb._number_formats
    fmt_cache: dict[int, str] = {}

    def number_format(style: int) -> str:
        if style not in fmt_cache:
            fid = styles[style].numFmtId if style < len(styles) else 0
            fmt_cache[style] = (BUILTIN_FORMATS.get(fid, "General") if fid < BUILTIN_FORMATS_MAX_SIZE
                                else custom[fid - BUILTIN_FORMATS_MAX_SIZE])
        return fmt_cache[style]

    rows: dict[int, dict[int, tuple]] = {}
    missing: list[tuple[str, int, str]] = []
    max_col = r = 0
    for row_el in root.iter(ns + "row"):
        r = int(row_el.get("r") or r + 1)
        here: dict[int, tuple] = {}
        c = 0
        for cell in row_el.iterchildren(C):
            ref = cell.get("r")
            m = _COORD.match(ref) if ref else None
            c = _column_number(m.group(1)) if m else c + 1
            max_col = max(max_col, c)
            t = cell.get("t", "n")
            v = cell.findtext(V)
            if t == "inlineStr":
                el = cell.find(IS)
                if el is not None:   # the text runs, without phonetic guides
                    here[c] = ("".join(x.text or "" for x in el.iter(T) if x.getparent().tag != RPH), "")
                continue
            if not v:
                f = cell.find(F)
                if f is not None and not (v == "" and t == "str"):
                    missing.append((ref or f"{c}:{r}", r, f.text or ""))
                continue
            if t == "s":
                here[c] = (shared[int(v)], "")
            elif t == "n":
                num = float(v) if ("." in v or "E" in v or "e" in v) else int(v)
                style = int(cell.get("s") or 0)
                if style in date_styles:
                    try:
                        here[c] = (from_excel(num, wb.epoch, timedelta=style in delta_styles), "")
                    except (OverflowError, ValueError):
                        here[c] = ("#VALUE!", "")
                else:
                    here[c] = (num, number_format(style))
            elif t == "b":
                here[c] = (bool(int(v)), "")
            elif t == "d":
                here[c] = (from_ISO8601(v), "")
            else:            # str (a formula's text), e (an error such as #N/A)
                here[c] = (v, "")
        if here:
            rows[r] = here
    return rows, missing, max_col, r


def cell_text(value, number_format: str = "General") -> tuple[str, bool]:
    """A cell's value as a clerk would have typed it; True when the year looked Buddhist already."""
    if value is None:
        return "", False
    if isinstance(value, (dt.datetime, dt.date)):
        year, be_typed = value.year, value.year > 2400   # "31/3/2554" typed on a non-Thai Windows
        month = MonthKey(year - 543 if be_typed else year, value.month)
        return format_thai_date(value.day, month), be_typed
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), False
    if isinstance(value, (int, float)):
        if "%" in (number_format or ""):
            return f"{value * 100:g}%", False
        if float(value).is_integer():
            n = int(value)
            return (f"{n:,}" if "#,##" in (number_format or "") else str(n)), False
        return f"{value:,.2f}" if "#,##" in (number_format or "") else f"{value:g}", False
    return clean_cell(str(value).replace("\n", " ")), False


def read_xlsx(path: Path, sheet: str | None = None) -> tuple[list[Line], list[Problem]]:
    lines, problems, _sheets = read_workbook(path, sheet)
    return lines, problems


def read_workbook(path: Path, sheet: str | None = None) -> tuple[list[Line], list[Problem], list[str]]:
    """The sheet's lines, what the reader noticed, and the sheets that hold something (the
    workbook opened once)."""
    import zlib
    wb = _open(path)
    try:
        sheets = [ws.title for ws in wb.worksheets if _holds_something(ws)]
        lines, problems = _read(wb, path, sheet)
        return lines, problems, sheets
    except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, EOFError) as exc:
        raise UserError(_("{name} is not an Excel workbook that can be read (the file may be damaged).").format(
            name=path.name), str(exc)) from exc
    except Exception as exc:   # a damaged sheet inside the zip
        if type(exc).__module__.startswith(("lxml", "xml")):
            raise UserError(_("{name} is not an Excel workbook that can be read (the file may be damaged).").format(
                name=path.name), str(exc)) from exc
        raise
    finally:
        wb.close()


def _read(wb, path: Path, sheet: str | None) -> tuple[list[Line], list[Problem]]:
    names = [ws.title for ws in wb.worksheets]
    if sheet is None:
        filled = [ws.title for ws in wb.worksheets if _holds_something(ws)] if len(names) > 1 else names
        if len(filled) > 1:
            raise UserError(_("The workbook has several sheets ({names}); choose the one to import.").format(
                names=", ".join(filled)))
        sheet = (filled or names)[0]
    if sheet not in names:
        raise UserError(_("The workbook has no sheet named '{sheet}'; its sheets: {names}.").format(
            sheet=sheet, names=", ".join(names)))
    ws = wb[sheet]
    problems: list[Problem] = []
    origin: dict[tuple[int, int], tuple[int, int, int]] = {}   # covered cell -> top-left row, col, width
    spans: dict[tuple[int, int], int] = {}
    xml = _sheet_xml(ws)
    merged = _merged_ranges(ws, xml)
    for min_row, min_col, max_row, max_col in merged:
        width = max_col - min_col + 1
        if width > 1:
            spans[(min_row, min_col)] = width
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                if (r, c) != (min_row, min_col):
                    origin[(r, c)] = (min_row, min_col, width)
    cells_of, missing, max_col, max_row = sheet_cells(ws, xml)
    max_col = max([max_col] + [c1 for _r0, _c0, _r1, c1 in merged])
    max_row = max([max_row] + [r1 for _r0, _c0, r1, _c1 in merged])
    texts: dict[tuple[int, int], str] = {}
    lines: list[Line] = []
    be_dates = 0
    where = _("sheet {sheet}, row {r}")
    for r in range(1, max_row + 1):
        row = cells_of.get(r, {})
        cells: list[str] = []
        line_spans: dict[int, int] = {}
        down: dict[int, str] = {}
        for c in range(1, max_col + 1):
            if (r, c) in origin:
                r0, c0, width = origin[(r, c)]
                if r0 < r and c == c0:   # the first column of a range merged down: what it continues
                    down[c - 1] = texts.get((r0, c0), "")
                    if width > 1:
                        line_spans[c - 1] = width
                cells.append("")
                continue
            got = row.get(c)
            if got is None:
                cells.append("")
                continue
            text, be_typed = cell_text(*got)
            be_dates += be_typed
            texts[(r, c)] = text
            cells.append(text)
            if (r, c) in spans:
                line_spans[c - 1] = spans[(r, c)]
        lines.append(Line(r, cells, spans=line_spans, merged_down=down, on_grid=True,
                          where=where.format(sheet=sheet, r=r)))
    for ref, row_n, formula in missing:
        problems.append(Problem(row_n, _("This cell holds a formula ({formula}) but no saved value: the workbook "
                                         "was written by a program and never saved in Excel. Open it in Excel, save "
                                         "it, and import it again.").format(formula="=" + formula),
                                "error", _("sheet {sheet}, cell {cell}").format(sheet=sheet, cell=ref)))
    if be_dates:
        problems.append(Problem(0, ngettext("{n} date carries a Buddhist-era year in Excel's own date; read as that year.",
                                         "{n} dates carry a Buddhist-era year in Excel's own date; read as that year.",
                                         be_dates)
                                .format(n=be_dates), "warning"))
    return lines, problems
