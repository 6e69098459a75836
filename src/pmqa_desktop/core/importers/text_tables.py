"""The table of cells every importer interprets, and reading it from tab-separated dumps of Word
tables (the seeds' form).

A source (a text dump, a Word document, an Excel sheet; see ``sources``) becomes a list of
``Line``: one per paragraph or table row, cells on the table's grid. Word's and Excel's merged
cells keep their text in the first cell and say how far they reach (``spans``, ``merged_down``),
so the interpreters in ``schedule_import``, ``devplan_import`` and ``catalog_import`` read
all three the same way.

Tabs separate cells; a space inside a cell is often only a line wrap in a narrow Word
cell, so cell text is kept as written (spaces collapsed) and only codes are normalised.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ...resources import seed_path


@dataclass
class Line:
    number: int          # 1-based line number in the source
    cells: list[str]
    spans: dict[int, int] = field(default_factory=dict)   # column -> columns a merged cell covers
    # columns whose cell is merged with the one above in Word or Excel, with that cell's text; the
    # cell itself stays empty, as in a text dump, and each form decides what the merge means
    merged_down: dict[int, str] = field(default_factory=dict)
    where: str = ""      # a place a clerk can find ("table 2, row 5") when line numbers mean nothing
    on_grid: bool = False   # cells stand on the table's columns (Word, Excel), not shifted as in a text dump

    @property
    def text(self) -> str:
        return " ".join(c for c in self.cells if c).strip()

    @property
    def is_blank(self) -> bool:
        return not any(c.strip() for c in self.cells)

    @property
    def filled(self) -> list[tuple[int, str]]:
        return [(i, c) for i, c in enumerate(self.cells) if c.strip()]


@dataclass
class Problem:
    line: int
    message: str
    severity: str = "error"   # 'error' stops the import; 'warning' is reported and kept
    where: str = ""           # the place in a Word or Excel file, when the source is one


@dataclass
class SourceText:
    lines: list[Line] = field(default_factory=list)


def clean_cell(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\r", "")
    return re.sub(r"[ \t]+", " ", text).strip()


def read_lines(text: str) -> list[Line]:
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = []
    for i, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        lines.append(Line(i, [clean_cell(c) for c in raw.split("\t")]))
    return lines


def with_merged_down(ln: Line, first_col: int) -> tuple[Line, list[int]]:
    """The line with the text of cells merged down from the row above filled in from ``first_col``
    on (a date or an activity that applies to several rows), and the columns so filled."""
    filled = [j for j, t in ln.merged_down.items() if j >= first_col and t and j < len(ln.cells) and not ln.cells[j]]
    if not filled:
        return ln, []
    cells = list(ln.cells)
    for j in filled:
        cells[j] = ln.merged_down[j]
    return Line(ln.number, cells, ln.spans, ln.merged_down, ln.where, ln.on_grid), sorted(filled)


def as_lines(source: "str | list[Line]") -> list[Line]:
    """The interpreters take a text dump or lines already read from a Word or Excel table."""
    return read_lines(source) if isinstance(source, str) else source


def decode(data: bytes) -> str:
    """Files come from Word and Excel on Windows: UTF-8 (with or without BOM), UTF-16, or TIS-620."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp874", errors="replace")


_THAI = "\u0e00-\u0e7f"


def dewrap(text: str) -> str:
    """Remove spaces that are only Word line wraps: between two Thai letters."""
    return re.sub(rf"(?<=[{_THAI}])\s+(?=[{_THAI}])", "", text)


CODE_RE = re.compile(r"^\s*(LD|SP|CS|IT|HR|PM|RM)\s*(\d{1,2})\b\s*(.*)$", re.S)


def split_code(text: str) -> tuple[str, str] | None:
    """'LD 2 การมอบ อำนาจ' -> ('LD2', 'การมอบอำนาจ')."""
    m = CODE_RE.match(text)
    if not m:
        return None
    return m.group(1) + m.group(2), dewrap(m.group(3)).strip()


PROVINCE_RE = re.compile(r"จังหวัด\s*([ก-๛]+)")
YEAR_RE = re.compile(r"(?:พ\.ศ\.|ปี(?:งบประมาณ)?)\s*(\d{4})")


def title_facts(title: str) -> tuple[str | None, int | None]:
    """Province and fiscal year named in a form's title."""
    prov = None
    for m in PROVINCE_RE.finditer(title):
        word = m.group(1)
        if word not in ("และ", "ของ"):
            prov = word
    years = [int(y) for y in YEAR_RE.findall(title)]
    return prov, (years[-1] if years else None)


def read_seed(name: str) -> str:
    """The text of a seed document in the package data (``data/seeds/``) (the demo and the tests read them)."""
    return decode(Path(seed_path(name)).read_bytes())
