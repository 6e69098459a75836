"""Word and Excel files built as Word and Excel build them: merged cells are gridSpan / vMerge
(python-docx's ``merge``) and merged ranges (openpyxl's ``merge_cells``), for the import tests."""
from __future__ import annotations

from pathlib import Path

HEAD_FIRST = ("ลำดับ", "หมวด")


def word_table(doc, rows: list[list[str]], merges=()):
    """A table of ``rows``; each merge (r0, c0, r1, c1) made the way Word merges cells."""
    ncols = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=ncols)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    for r0, c0, r1, c1 in merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))
    return table


def header_merges(rows: list[list[str]], first: int) -> list[tuple[int, int, int, int]]:
    """What Word has in a form's two header rows: the first two cells merged down, a heading cell
    merged right over the empty cells after it (months over W1-W4, the period over the months)."""
    out = [(first, 0, first + 1, 0), (first, 1, first + 1, 1)]
    head = rows[first]
    c = 2
    while c < len(head):
        if head[c]:
            e = c
            while e + 1 < len(head) and not head[e + 1]:
                e += 1
            if e > c:
                out.append((first, c, first, e))
            c = e + 1
        else:
            c += 1
    return out


def blocks(text: str) -> list[tuple[str, list[list[str]]]]:
    """A text dump as paragraphs ('p', [[text]]) and tables ('t', rows)."""
    out: list[tuple[str, list[list[str]]]] = []
    rows: list[list[str]] = []
    for raw in text.split("\n"):
        cells = [c.strip() for c in raw.split("\t")]
        if len(cells) > 1:
            rows.append(cells)
            continue
        if rows:
            out.append(("t", rows))
            rows = []
        out.append(("p", [[cells[0]]]))
    if rows:
        out.append(("t", rows))
    return out


def _pad(rows: list[list[str]]) -> list[list[str]]:
    n = max(len(r) for r in rows)
    return [r + [""] * (n - len(r)) for r in rows]


def seed_docx(text: str, path: Path, body_merges=None) -> Path:
    """The seed's text dump as the Word document it came from: one table per page, headers merged."""
    import docx
    doc = docx.Document()
    for kind, rows in blocks(text):
        if kind == "p":
            doc.add_paragraph(rows[0][0])
            continue
        rows = _pad(rows)
        merges = []
        for r, row in enumerate(rows):
            if row[0] in HEAD_FIRST and r + 1 < len(rows):
                merges += header_merges(rows, r)
        if body_merges:
            merges += body_merges(rows)
        word_table(doc, rows, merges)
    doc.save(str(path))
    return path


def seed_xlsx(text: str, path: Path, sheet: str = "Sheet1", body_merges=None, wb=None) -> Path:
    """The same as one Excel sheet: paragraphs in column A, tables below each other, headers merged."""
    import openpyxl
    own = wb is None
    wb = wb or openpyxl.Workbook()
    ws = wb.active if own else wb.create_sheet(sheet)
    ws.title = sheet
    r0 = 1
    for kind, rows in blocks(text):
        if kind == "p":
            if rows[0][0]:
                ws.cell(r0, 1, rows[0][0])
            r0 += 1
            continue
        rows = _pad(rows)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v:
                    ws.cell(r0 + r, c + 1, v)
        merges = []
        for r, row in enumerate(rows):
            if row[0] in HEAD_FIRST and r + 1 < len(rows):
                merges += header_merges(rows, r)
        if body_merges:
            merges += body_merges(rows)
        for a, b, c, d in merges:
            ws.merge_cells(start_row=r0 + a, start_column=b + 1, end_row=r0 + c, end_column=d + 1)
        r0 += len(rows)
    if own:
        wb.save(str(path))
    return path


def empty_run_merges(rows: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """A weekly plan's activities merged over the empty week cells after them (up to the row's end
    or the next text), as a clerk merges an activity that takes several weeks."""
    out = []
    if rows[0][0] != "หมวด":
        return out
    for r, row in enumerate(rows):
        if row[0] in HEAD_FIRST or not row[1].strip() or r and rows[r - 1][0] in HEAD_FIRST and not row[0] \
                and row[2].upper() == "W1":
            continue
        c = 2
        while c < len(row):
            if row[c]:
                e = c
                while e + 1 < len(row) and not row[e + 1] and e + 1 - c < 4:
                    e += 1
                if e > c:
                    out.append((r, c, r, e))
                c = e + 1
            else:
                c += 1
    return out
