"""Word documents (.docx) as the table of cells the importers interpret.

The body is read in order: a paragraph is a line of one cell, a table row a line of cells on
the table's grid. A cell merged across columns (``gridSpan``) keeps its text in its first
column and records how many columns it covers; a cell merged down (``vMerge``) is empty, as
in a text dump, and records the text of the cell it continues, so a หมวด merged over its
criteria belongs to each of them. Rows shifted by ``gridBefore`` keep their grid columns. What Word
can hold but a form table should not (tracked changes, a table inside a cell) is read and
reported, never dropped silently.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ...i18n import _, ngettext
from ..errors import UserError
from .text_tables import Line, Problem, clean_cell

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SKIP = {W + "del", W + "moveFrom"}          # tracked deletions: not part of the text
_CHANGES = {W + "ins", W + "del", W + "moveFrom", W + "moveTo"}


def _val(el, tag: str, default: str | None = None) -> str | None:
    child = el.find(tag) if el is not None else None
    if child is None:
        return default
    return child.get(W + "val", default if default is not None else "")


def _text(el) -> str:
    """The visible text of a paragraph with tracked changes accepted."""
    out: list[str] = []

    def walk(node) -> None:
        for ch in node:
            tag = ch.tag
            if tag in _SKIP or tag == W + "tbl":
                continue
            if tag == W + "t":
                out.append(ch.text or "")
            elif tag in (W + "tab",):
                out.append(" ")
            elif tag in (W + "br", W + "cr"):
                out.append(" ")
            else:
                walk(ch)
    walk(el)
    return "".join(out)


class _Reader:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.problems: list[Problem] = []
        self.tables = 0
        self.paragraphs = 0

    def add(self, cells: list[str], where: str, **kw) -> Line:
        ln = Line(len(self.lines) + 1, cells, where=where, **kw)
        self.lines.append(ln)
        return ln

    def block(self, body) -> None:
        for el in body:
            if el.tag == W + "p":
                self.paragraphs += 1
                self.add([clean_cell(_text(el))], _("paragraph {n}").format(n=self.paragraphs))
            elif el.tag == W + "tbl":
                self.table(el)
            elif el.tag == W + "sdt":   # a content control around paragraphs or tables
                content = el.find(W + "sdtContent")
                if content is not None:
                    self.block(content)

    def cell_text(self, tc, where: str) -> str:
        parts = []
        for ch in tc:
            if ch.tag == W + "p":
                parts.append(_text(ch))
            elif ch.tag == W + "tbl":
                inner = [" ".join(clean_cell(" ".join(_text(p) for p in c.iter(W + "p")))
                                  for c in r.iter(W + "tc")) for r in ch.iter(W + "tr")]
                parts.append(" / ".join(t for t in inner if t.strip()))
                self.problems.append(Problem(0, _("A table inside a cell ({where}) was read as the cell's text: {text}")
                                             .format(where=where, text=" / ".join(inner)[:60]), "warning", where))
            elif ch.tag == W + "sdt":
                parts.append(_text(ch))
        return clean_cell(" ".join(p for p in parts if p.strip()))

    def table(self, tbl) -> None:
        self.tables += 1
        t = self.tables
        above: dict[int, tuple[str, int]] = {}    # grid column -> text and span of the cell above
        self.add([""], _("before table {t}").format(t=t))
        rows = tbl.findall(W + "tr")
        looks_merged: list[str] = []     # empty cells drawn without a border to the text before them
        for r, tr in enumerate(rows, start=1):
            where = _("table {t}, row {r}").format(t=t, r=r)
            trpr = tr.find(W + "trPr")
            before = int(_val(trpr, W + "gridBefore", "0") or 0)
            cells: list[str] = [""] * before
            spans: dict[int, int] = {}
            down: dict[int, str] = {}
            tcs = [el for el in tr if el.tag == W + "tc"]
            for sdt in (el for el in tr if el.tag == W + "sdt"):
                content = sdt.find(W + "sdtContent")
                tcs += [el for el in (content if content is not None else []) if el.tag == W + "tc"]
            for tc in tcs:
                col = len(cells)
                tcpr = tc.find(W + "tcPr")
                span = max(1, int(_val(tcpr, W + "gridSpan", "1") or 1))
                vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
                text = self.cell_text(tc, where)
                if vmerge is not None and vmerge.get(W + "val", "continue") == "continue":
                    if col in above and not text:
                        down[col] = above[col][0]
                        cells += [""] * span
                        if span > 1:
                            spans[col] = span
                        continue
                    elif text:
                        self.problems.append(Problem(0, _("A merged-down cell ({where}) holds its own text; "
                                                          "read as a cell of its own.").format(where=where),
                                                     "warning", where))
                elif tcpr is not None and tcpr.find(W + "hMerge") is not None:
                    if tcpr.find(W + "hMerge").get(W + "val", "continue") == "continue" and not text:
                        # old-style horizontal merge: widen the cell before
                        left = max((c for c in spans if c + spans[c] == col), default=None)
                        start = left if left is not None else col - 1
                        if start >= 0:
                            spans[start] = spans.get(start, 1) + span
                            cells += [""] * span
                            continue
                if not text and col > before and _no_left_border(tcpr) and _filled_before(cells, col, before):
                    looks_merged.append(where)
                cells.append(text)
                cells += [""] * (span - 1)
                if span > 1:
                    spans[col] = span
                above[col] = (text, span)
            after = int(_val(trpr, W + "gridAfter", "0") or 0)
            cells += [""] * after
            self.add(cells, where, spans=spans, merged_down=down, on_grid=True)
        if looks_merged:
            self.problems.append(Problem(0, ngettext(
                "{n} empty cell of table {t} has no border to the cell before it, so it looks merged with that "
                "cell but is not (at {where}); it was read as its own empty cell. Merge the two in Word if one "
                "text covers them.",
                "{n} empty cells of table {t} have no border to the cell before them, so they look merged with it "
                "but are not (first at {where}); each was read as its own empty cell. Merge them in Word if "
                "one text covers them.", len(looks_merged)).format(n=len(looks_merged), t=t, where=looks_merged[0]),
                "warning"))
        self.add([""], _("after table {t}").format(t=t))


def _no_left_border(tcpr) -> bool:
    borders = tcpr.find(W + "tcBorders") if tcpr is not None else None
    left = None
    if borders is not None:
        left = borders.find(W + "left")
        if left is None:
            left = borders.find(W + "start")
    return left is not None and left.get(W + "val") in ("nil", "none")


def _filled_before(cells: list[str], col: int, first: int) -> bool:
    """Whether the nearest text to the left in the row is in a cell before ``col`` (the run of
    border-less empty cells continues it)."""
    return any(c for c in cells[first:col])


def read_docx(path: Path) -> tuple[list[Line], list[Problem]]:
    """The document's paragraphs and table rows in order, and what was noticed reading them."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UserError(_("{name} is not a Word document that can be read (the file may be damaged).").format(
            name=path.name), str(exc)) from exc
    except Exception as exc:   # lxml's XMLSyntaxError and the like: a damaged part inside the zip
        if type(exc).__module__.startswith(("lxml", "docx", "zipfile", "zlib")):   # zlib: damaged packed bytes
            raise UserError(_("{name} is not a Word document that can be read (the file may be damaged).").format(
                name=path.name), str(exc)) from exc
        raise
    body = document.element.body
    reader = _Reader()
    reader.block(body)
    if any(el.tag in _CHANGES for el in body.iter()):
        reader.problems.insert(0, Problem(0, _("The document has tracked changes; it was read with them accepted "
                                               "(insertions kept, deletions left out)."), "warning"))
    return reader.lines, reader.problems
