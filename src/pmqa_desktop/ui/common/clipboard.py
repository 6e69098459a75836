"""Rectangular blocks on the clipboard, the way Excel and Word put them there.

Excel writes a block as tab-separated text: rows end with a newline, and a cell that holds a
tab, a newline or a double quote is wrapped in double quotes with its quotes doubled. Word
writes table cells with tabs too, but never quotes. ``parse_tsv`` reads both; ``to_tsv``
writes Excel's form, so a block copied here pastes into Excel cell for cell.
"""
from __future__ import annotations


from ...core.thai_text import strip_zwsp


def _quote(cell: str) -> str:
    cell = strip_zwsp(cell or "")
    if any(ch in cell for ch in ("\t", "\n", "\r", '"')):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def to_tsv(block: list[list[str]]) -> str:
    """A block (rows of cells) as Excel's tab-separated text, ending with a newline."""
    return "".join("\t".join(_quote(c) for c in row) + "\n" for row in block)


def to_html(block: list[list[str]]) -> str:
    """The same block as an HTML table (Word and LibreOffice prefer it when present)."""
    import html   # on first copy, not at the program's start
    rows = []
    for row in block:
        cells = "".join("<td>{}</td>".format(html.escape(strip_zwsp(c or "")).replace("\n", "<br>")) for c in row)
        rows.append("<tr>" + cells + "</tr>")
    return ("<html><head><meta charset=\"utf-8\"></head><body><table border=\"1\">"
            + "".join(rows) + "</table></body></html>")


def parse_tsv(text: str) -> list[list[str]]:
    """Read tab-separated text from Excel or Word into rows of cells.

    Quoted cells may hold tabs, newlines and doubled quotes (Excel); a quote that does not
    open a cell is kept as text (Word). The trailing newline Excel adds makes no empty row.
    Rows come back padded to the same length.
    """
    text = strip_zwsp(text or "").replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    if text == "":
        return []
    rows: list[list[str]] = []
    row: list[str] = []
    i, n = 0, len(text)
    while True:
        # one cell starting at i
        if i < n and text[i] == '"' and _closing_quote(text, i) is not None:
            end = _closing_quote(text, i)
            cell = text[i + 1:end].replace('""', '"')
            i = end + 1
            # anything between the closing quote and the separator stays with the cell
            j = i
            while j < n and text[j] not in "\t\n":
                j += 1
            cell += text[i:j]
            i = j
        else:
            j = i
            while j < n and text[j] not in "\t\n":
                j += 1
            cell = text[i:j]
            i = j
        row.append(cell)
        if i >= n:
            rows.append(row)
            break
        if text[i] == "\t":
            i += 1
            if i >= n:
                row.append("")
                rows.append(row)
                break
            continue
        # newline
        rows.append(row)
        row = []
        i += 1
        if i >= n:
            break
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def _closing_quote(text: str, start: int) -> int | None:
    """Index of the quote closing a quoted cell opened at ``start``, or None when the cell
    is not a properly quoted one (then the quote is plain text)."""
    i, n = start + 1, len(text)
    while i < n:
        if text[i] == '"':
            if i + 1 < n and text[i + 1] == '"':
                i += 2
                continue
            if i + 1 >= n or text[i + 1] in "\t\n":
                return i
            return None
        i += 1
    return None


# The QMimeData this program last put on the clipboard (see ``hand_clipboard_to_qt``).
_OURS: list = []


def put_on_clipboard(text: str, html: str = "") -> None:
    """Put a copied block on the clipboard as tab-separated text (and an HTML table)."""
    from PySide6.QtCore import QMimeData
    from PySide6.QtGui import QGuiApplication
    mime = QMimeData()
    mime.setText(text)
    if html:
        mime.setHtml(html)
    QGuiApplication.clipboard().setMimeData(mime)
    _OURS[:] = [mime]


def hand_clipboard_to_qt() -> None:
    """Before Python shuts down, swap clipboard data made in Python for a copy Qt owns.

    Qt frees the clipboard's data after the interpreter has gone, and freeing a QMimeData that
    Python created at that point crashes the program's exit. The text stays for pasting.
    """
    from PySide6.QtGui import QGuiApplication
    import shiboken6
    if not _OURS:
        return
    mime = _OURS.pop()
    cb = QGuiApplication.clipboard()
    if cb is None or not shiboken6.isValid(mime):
        return
    current = cb.mimeData()
    if current is not None and shiboken6.getCppPointer(current) == shiboken6.getCppPointer(mime):
        cb.setText(mime.text())
