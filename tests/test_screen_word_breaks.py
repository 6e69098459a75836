"""Screen grids end their lines only between words, by the program's word list, as printed forms
do. Qt on Linux asks libthai for Thai breaks, and libthai cuts words the list keeps whole
(ตัว|ชี้วัด, ส่วน|ราชการ, ดำเนิน|งาน); the grids' text layouts must not follow it."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QFontMetricsF, QTextOption

from pmqa_desktop.core.thai_text import line_breaks, words
from pmqa_desktop.ui.common.delegates import TextLayouts, load_word_breaks, word_breaks_ready

TEXTS = [
    "การจัดทำแผนการดำเนินงานตามตัวชี้วัดของส่วนราชการจังหวัดและการประชาสัมพันธ์ผลการดำเนินงาน",
    "ผู้ว่าราชการจังหวัดลงนามอนุมัติแผนพัฒนาองค์การประจำปีงบประมาณ พ.ศ. 2555 ตามเกณฑ์ PMQA หมวด 1",
    "ประชุมคณะทำงานเพื่อทบทวนโครงสร้างองค์การและกระบวนการทำงานที่ตอบสนองความต้องการของผู้รับบริการ",
    "รายงานความก้าวหน้าการดำเนินการตามคำรับรองการปฏิบัติราชการรอบ 6 เดือน (31 มี.ค. 55)",
]


def _lines(layout) -> list[str]:
    text = layout.text()
    return [text[layout.lineAt(i).textStart():layout.lineAt(i).textStart() + layout.lineAt(i).textLength()]
            for i in range(layout.lineCount())]


@pytest.mark.parametrize("text", TEXTS)
def test_grid_lines_end_between_words_at_every_width(qtbot, text):
    load_word_breaks()
    qtbot.waitUntil(word_breaks_ready, timeout=60000)
    font = QFont()
    metrics = QFontMetricsF(font)
    pieces = words(text)
    # where the printed forms may end a line (the program's word list, UAX #14 around it)
    allowed = set(line_breaks(text)) | {i + 1 for i, c in enumerate(text) if c == " "}
    widest = max(metrics.horizontalAdvance(w) for w in pieces)
    layouts = TextLayouts()
    checked = 0
    for width in range(int(widest) + 2, int(metrics.horizontalAdvance(text)), 5):
        layout, _height = layouts.layout(text, width, font, int(QTextOption().alignment()))
        lines = [line.replace("\u200b", "") for line in _lines(layout)]
        assert "".join(lines) == text
        ends, pos = set(), 0
        for line in lines[:-1]:
            pos += len(line)
            ends.add(pos)
        inside = sorted(ends - allowed)
        assert not inside, (width, lines)
        checked += 1
    assert checked > 10
