"""One door for every file a clerk imports: a text dump, a Word document or an Excel workbook.

``read_source`` turns the file into the table of cells (``Line``) that the form interpreters
read; ``parse_source`` runs the interpreter of a kind of form over it and puts what the
reader noticed (tracked changes, a table in a cell...) among the preview's problems, each
with the place in the file a clerk can find.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path

from ...i18n import _
from ..errors import UserError
from .text_tables import Line, Problem, decode, read_lines

KINDS = ("calendar", "weekly", "devplan", "catalog", "progress")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"    # the container of Word 97-2003 .doc and Excel .xls


@dataclass
class Source:
    lines: list[Line]
    problems: list[Problem] = field(default_factory=list)
    kind: str = "text"          # text | docx | xlsx
    sheets: list[str] = field(default_factory=list)


def file_kind(path: Path) -> str:
    """'docx', 'xlsx' or 'text'; old or foreign files are refused with what to do."""
    ext = path.suffix.lower()
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise UserError(_("The file {path} cannot be read: {error}").format(path=path, error=exc.strerror)) from exc
    if head == OLE2 or ext in (".doc", ".xls"):
        raise UserError(_("{name} is an old Word or Excel file (.doc or .xls). Open it in Word or Excel and "
                          "save it as .docx or .xlsx, then import that.").format(name=path.name))
    if ext in (".docx", ".xlsx", ".docm", ".xlsm"):
        if not zipfile.is_zipfile(path):
            raise UserError(_("{name} is damaged or not a Word or Excel file: it cannot be opened.").format(
                name=path.name))
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise UserError(_("{name} is damaged or not a Word or Excel file: it cannot be opened.").format(
            name=path.name))
    if head.startswith(b"PK\x03\x04"):
        raise UserError(_("{name} is a packed file, not a text table; import Word or Excel files under their "
                          ".docx or .xlsx name.").format(name=path.name))
    return "text"


def read_source(path: str | Path, sheet: str | None = None) -> Source:
    path = Path(path)
    kind = file_kind(path)
    if kind == "docx":
        from .docx_tables import read_docx
        lines, problems = read_docx(path)
        return Source(lines, problems, kind)
    if kind == "xlsx":
        from .xlsx_tables import read_workbook
        lines, problems, sheets = read_workbook(path, sheet)
        return Source(lines, problems, kind, sheets)
    try:
        text = decode(path.read_bytes())
    except OSError as exc:
        raise UserError(_("The file {path} cannot be read: {error}").format(path=path, error=exc.strerror)) from exc
    return Source(read_lines(text), [], kind)


def parse_lines(kind: str, lines: list[Line], year_be: int | None = None):
    """The preview of a kind of form read from the table of cells."""
    if kind == "calendar":
        from .schedule_import import parse_calendar
        return parse_calendar(lines, year_be)
    if kind == "weekly":
        from .schedule_import import parse_weekly
        return parse_weekly(lines, year_be)
    if kind == "devplan":
        from .devplan_import import parse_devplan
        return parse_devplan(lines, year_be)
    if kind == "catalog":
        from .catalog_import import parse_catalog
        return parse_catalog(lines)
    if kind == "progress":
        from .progress_import import parse_progress
        return parse_progress(lines, year_be)
    raise UserError(_("Unknown kind of form '{kind}'; choose one of: {kinds}.").format(kind=kind, kinds=", ".join(KINDS)))


def parse_source(kind: str, source: Source, year_be: int | None = None):
    preview = parse_lines(kind, source.lines, year_be)
    where = {ln.number: ln.where for ln in source.lines if ln.where}
    for p in preview.problems:
        if not p.where:
            p.where = where.get(p.line, "")
    preview.problems[:0] = source.problems
    return preview


def problem_text(p: Problem) -> str:
    """One line of the problem list: where, error or note, and what."""
    label = _("error") if p.severity == "error" else _("note")
    if p.where:
        return _("{place}: {label}: {message}").format(place=p.where, label=label, message=p.message)
    return _("line {line}: {label}: {message}").format(line=p.line, label=label, message=p.message)


def place(p: Problem) -> str:
    """Where a problem is, for a clerk: the Word table and row, the Excel sheet and row, or the line."""
    if p.where:
        return p.where
    return _("line {line}").format(line=p.line) if p.line else _("the file")


# ---------------------------------------------------------------- Word's wrapping spaces

_WRAP = re.compile(r"(?<=[\u0e00-\u0e7f]) +(?=[\u0e00-\u0e7f])")
# การ/ความ make one noun with the word after them (การควบคุม): the word list leaves such phrases
# out, so a space right after them is a wrap space when a word follows
_NOUN_PREFIXES = ("การ", "ความ")
_TEXT_FIELDS = {"text", "remark", "output", "responsible", "related", "full_text", "current_data", "target",
                "short_name"}


def unwrap(text: str) -> str:
    """The text without the spaces that sit inside a Thai word ("แนว ทางการ", "บริหารความ เสี่ยง"):
    a space the word breaks straddle, or one that a dictionary word starting just before it crosses.
    Spaces between phrases ("ประชุมชี้แจง เพื่อสร้าง") stay."""
    from ..thai_text import dictionary, words
    spaces = list(_WRAP.finditer(text))
    if not spaces:
        return text
    joined = _WRAP.sub("", text)
    bounds, pos = {0}, 0
    for w in words(joined):
        pos += len(w)
        bounds.add(pos)
    vocab = dictionary()
    drop, removed = set(), 0
    for m in spaces:
        at = m.start() - removed          # where the space falls in the joined text
        removed += len(m.group())
        inside = at not in bounds
        if not inside:
            before = next((w for w in _words_ending_at(joined, at, bounds)), "")
            after = joined[at:at + 20]
            inside = bool(before) and any(before + after[:k] in vocab for k in range(2, len(after) + 1))
            if not inside and before in _NOUN_PREFIXES:
                inside = any(after[:k] in vocab for k in range(2, len(after) + 1))
        if inside:
            drop.update(range(m.start(), m.end()))
    return "".join(ch for k, ch in enumerate(text) if k not in drop)


def _words_ending_at(joined: str, at: int, bounds: set[int]):
    start = max((b for b in bounds if b < at), default=None)
    if start is not None:
        yield joined[start:at]


def _texts(obj, seen: set[int]):
    """(holder, attribute or key) of every free text in a preview, found by walking its dataclasses."""
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if is_dataclass(obj):
        for f in fields(obj):
            v = getattr(obj, f.name)
            if isinstance(v, str) and f.name in _TEXT_FIELDS:
                yield obj, f.name
            elif f.name == "cells" and isinstance(v, dict):
                for k, c in v.items():
                    if isinstance(c, str):
                        yield v, k
            elif isinstance(v, list):
                for item in v:
                    yield from _texts(item, seen)


def _get(holder, key):
    return holder[key] if isinstance(holder, dict) else getattr(holder, key)


def wrap_fixes(preview) -> list[tuple[str, str]]:
    """Texts holding spaces typed only to push part of a word onto the next line of a narrow Word
    cell, each with the text those spaces removed: offered to the clerk, never applied silently."""
    out, seen_text = [], set()
    for holder, key in _texts(preview, set()):
        text = _get(holder, key)
        if text and text not in seen_text and _WRAP.search(text):
            seen_text.add(text)
            new = unwrap(text)
            if new != text:
                out.append((text, new))
    return out


def remove_wrap_spaces(preview) -> int:
    """Apply the offered removal; returns the number of texts changed."""
    n = 0
    for holder, key in list(_texts(preview, set())):
        text = _get(holder, key)
        if text and _WRAP.search(text):
            new = unwrap(text)
            if new != text:
                if isinstance(holder, dict):
                    holder[key] = new
                else:
                    setattr(holder, key, new)
                n += 1
    return n
