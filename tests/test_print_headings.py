"""A grid's heading row repeated on every page is drawn once and its operators repeated: the
PDF is the same as drawing it anew on each page, and a document printed twice prints the same."""
from __future__ import annotations

from pmqa_desktop.printing.fonts import get_font
from pmqa_desktop.printing.layout import Cell, FormDocument, Grid, Options, Row, Title
from print_helpers import pdf_streams


def _doc() -> FormDocument:
    doc = FormDocument(Options(font=get_font("laksaman")), "landscape")
    doc.add(Title(["ปฏิทินการดำเนินงาน"]))
    head = Row([Cell("ลำดับ", align="center", bold=True), Cell("แนวทางการดำเนินงาน", align="center", bold=True),
                Cell("หมายเหตุ", align="center", bold=True)])
    body = [Row([Cell(str(i), align="center"), Cell("ประชุมเชิงปฏิบัติการเพื่อขับเคลื่อนการดำเนินงาน " * (i % 3 + 1)),
                 Cell("")]) for i in range(1, 120)]
    doc.add(Grid([40, 500, 100], [head], body, size=14))
    return doc


def test_repeated_headings_print_as_drawn_anew(tmp_path, monkeypatch):
    doc = _doc()
    assert doc.render(tmp_path / "a.pdf") > 3
    assert doc.render(tmp_path / "b.pdf") > 3    # the same document printed again
    fresh = _doc()
    monkeypatch.setattr(FormDocument, "_draw_heading",
                        lambda self, ctx, laid, y, size, fill: self._draw_laid(ctx, laid, self.left, y, size, fill))
    fresh.render(tmp_path / "c.pdf")
    a, b, c = (pdf_streams(tmp_path / n) for n in ("a.pdf", "b.pdf", "c.pdf"))
    assert a == c and b == c
    assert sum(s.count("ลำดับ".encode("utf-16-be").hex().upper().encode()) for s in a) > 3   # on every page


def _doc_of_grids() -> FormDocument:
    """As the weekly plan: one Grid per page, all sharing the same heading rows and columns."""
    from pmqa_desktop.printing.layout import PageBreak
    doc = FormDocument(Options(font=get_font("laksaman")), "landscape")
    head = Row([Cell("หมวด", align="center", bold=True), Cell("เกณฑ์", align="center", bold=True)])
    body = [Row([Cell(str(i)), Cell("จัดทำแผนพัฒนาองค์การ " * (i % 4 + 1))]) for i in range(40)]
    for k in range(0, 40, 10):
        if k:
            doc.add(PageBreak())
        doc.add(Grid([60, 400], [head], body[k:k + 10], size=14))
    return doc


def test_grids_sharing_their_headings_share_the_laid_rows(tmp_path, monkeypatch):
    doc = _doc_of_grids()
    drawn = []
    real = FormDocument._draw_laid
    monkeypatch.setattr(FormDocument, "_draw_laid", lambda self, ctx, laid, *a, **k: (drawn.append(laid),
                                                                                        real(self, ctx, laid, *a, **k)))
    assert doc.render(tmp_path / "a.pdf") == 4
    heading_draws = [laid for laid in drawn if laid.cells[0][2].text == "หมวด"]
    assert len(heading_draws) == 1   # drawn on the first page, its operators repeated on the others
    monkeypatch.setattr(FormDocument, "_draw_laid", real)
    fresh = _doc_of_grids()
    monkeypatch.setattr(FormDocument, "_draw_heading",
                        lambda self, ctx, laid, y, size, fill: self._draw_laid(ctx, laid, self.left, y, size, fill))
    fresh.render(tmp_path / "b.pdf")
    assert pdf_streams(tmp_path / "a.pdf") == pdf_streams(tmp_path / "b.pdf")
