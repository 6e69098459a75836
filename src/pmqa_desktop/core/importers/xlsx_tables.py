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

from ...i18n import _
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
        if type(exc).__module__.startswith(("lxml", "openpyxl", "xml", "zipfile")):
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


_FORMULA = re.compile(rb"<((?:\w+:)?)f\b")
_CELL_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


def formulas_without_value(data: bytes) -> list[tuple[str, int, str]]:
    """(cell, row, formula) of every formula cell with no value saved beside it: a workbook
    written by a program and never opened in Excel. Opening the file for its values reads
    such a cell as empty, which would import a blank where the clerk sees a result."""
    out: list[tuple[str, int, str]] = []
    if b"<f" not in data and b":f" not in data:
        return out
    for m in _FORMULA.finditer(data):
        prefix = m.group(1)
        start = data.rfind(b"<" + prefix + b"c ", 0, m.start())
        end = data.find(b"</" + prefix + b"c>", m.start())
        if start < 0 or end < 0:
            continue
        cell = data[start:end]
        head = cell[:cell.find(b">") + 1]
        value = _VALUE.search(cell)
        # an empty saved value is a formula's empty text only when the cell says it holds text
        if value and (value.group(1) or b't="str"' in head or b't="inlineStr"' in head):
            continue
        ref = _CELL_REF.search(head)
        if not ref:
            continue
        f_end = cell.find(b"</" + prefix + b"f>")
        f_text = cell[cell.find(b">", m.start() - start) + 1:f_end] if f_end > 0 else b""
        out.append((ref.group(1).decode() + ref.group(2).decode(), int(ref.group(2)),
                    unescape(f_text.decode("utf-8", "replace"))))
    return out


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
    wb = _open(path)
    try:
        return _read(wb, path, sheet)
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
    xml = _sheet_xml(ws) if getattr(ws, "merged_cells", None) is None else None
    for min_row, min_col, max_row, max_col in _merged_ranges(ws, xml):
        width = max_col - min_col + 1
        if width > 1:
            spans[(min_row, min_col)] = width
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                if (r, c) != (min_row, min_col):
                    origin[(r, c)] = (min_row, min_col, width)
    texts: dict[tuple[int, int], str] = {}
    lines: list[Line] = []
    be_dates = 0
    for r, row in enumerate(ws.iter_rows(), start=1):
        cells: list[str] = []
        line_spans: dict[int, int] = {}
        down: dict[int, str] = {}
        for c, cell in enumerate(row, start=1):
            if (r, c) in origin:
                r0, c0, width = origin[(r, c)]
                if r0 < r and c == c0:   # the first column of a range merged down: what it continues
                    down[c - 1] = texts.get((r0, c0), "")
                    if width > 1:
                        line_spans[c - 1] = width
                cells.append("")
                continue
            value = cell.value
            if value is None:
                texts[(r, c)] = ""
                cells.append("")
                continue
            fmt = (getattr(cell, "number_format", None) or "General") if isinstance(value, (int, float)) else ""
            text, be_typed = cell_text(value, fmt)
            be_dates += be_typed
            texts[(r, c)] = text
            cells.append(text)
            if (r, c) in spans:
                line_spans[c - 1] = spans[(r, c)]
        lines.append(Line(r, cells, spans=line_spans, merged_down=down, on_grid=True,
                          where=_("sheet {sheet}, row {r}").format(sheet=sheet, r=r)))
    for ref, row, formula in formulas_without_value(xml if xml is not None else _sheet_xml(ws)):
        problems.append(Problem(row, _("This cell holds a formula ({formula}) but no saved value: the workbook was "
                                       "written by a program and never saved in Excel. Open it in Excel, save it, "
                                       "and import it again.").format(formula="=" + formula if formula else "="),
                                "error", _("sheet {sheet}, cell {cell}").format(sheet=sheet, cell=ref)))
    if be_dates:
        problems.append(Problem(0, _("{n} dates carry a Buddhist-era year in Excel's own date; read as that year.")
                                .format(n=be_dates), "warning"))
    return lines, problems
