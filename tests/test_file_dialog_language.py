"""The file dialogs speak the program's language (issue 12): Open, Save a copy as and the folder
choice are Qt's own dialog (the operating system's would follow the system's language, not the
one chosen in the program), with its buttons, labels and column headings in English when English
is chosen and in Thai when Thai is. Opened from the menus and buttons, as a clerk does."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QHeaderView, QLabel, QPushButton

from pmqa_desktop.i18n import _, language, set_language
from pmqa_desktop.ui.main_window import MainWindow
from pmqa_desktop.ui.qt_texts import install_qt_translator, remove_qt_translator

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def in_language(qtbot, demo_db):
    """start(lang): the program's start in that language (catalog, Qt's words) and its window."""
    app = QApplication.instance()
    old, native_off = language(), app.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
    made = []

    def start(lang: str) -> MainWindow:
        set_language(lang)
        made.append(install_qt_translator(app))     # as run_gui does, before the window
        w = MainWindow()
        qtbot.addWidget(w)
        assert w.open_database(demo_db)
        w.show()
        qtbot.waitExposed(w)
        made.append(w)
        return w
    yield start
    for thing in made:
        if isinstance(thing, MainWindow):
            thing.close_store()
        else:
            remove_qt_translator(app, thing)
    app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, native_off)
    set_language(old)


def words_of_dialog(qtbot, open_it) -> dict:
    """Open a file dialog with ``open_it()``, read what it shows, close it with Escape."""
    seen: dict = {}

    def look() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, QFileDialog):
            QTimer.singleShot(20, look)
            return
        qtbot.wait(50)
        seen["native"] = not QApplication.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
        seen["buttons"] = {b.text() for b in dlg.findChildren(QPushButton) if b.isVisible() and b.text()}
        seen["labels"] = {lb.text() for lb in dlg.findChildren(QLabel) if lb.isVisible() and lb.text()}
        heads = [h for h in dlg.findChildren(QHeaderView) if h.orientation() == Qt.Orientation.Horizontal]
        seen["headings"] = {h.model().headerData(c, Qt.Orientation.Horizontal) for h in heads
                            for c in range(h.count())}
        qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    QTimer.singleShot(20, look)
    open_it()
    return seen


def _three_dialogs(qtbot, window) -> list[dict]:
    from pmqa_desktop.ui.sharing.dialogs import MergeDialog
    opened = words_of_dialog(qtbot, window.findChild(QAction, "action_open").trigger)
    saved = words_of_dialog(qtbot, window.action_save_copy.trigger)
    window.sharing.action_merge_folder.trigger()
    merge = window.sharing.last_dialog
    assert isinstance(merge, MergeDialog) and merge.folder
    browse = next(b for b in merge.findChildren(QPushButton) if b.text() == _("Browse…"))
    folder = words_of_dialog(qtbot, lambda: qtbot.mouseClick(browse, Qt.MouseButton.LeftButton))
    merge.reject()
    return [opened, saved, folder]


def test_file_dialogs_in_english(qtbot, in_language):
    window = in_language("en")
    opened, saved, folder = _three_dialogs(qtbot, window)
    for seen in (opened, saved, folder):
        assert not seen["native"]          # Qt's own dialog: the system's would speak the system's language
        assert "Cancel" in seen["buttons"]
        assert {"Name", "Size", "Date Modified"} <= seen["headings"]
    assert "&Open" in opened["buttons"] and {"File &name:", "Files of &type:", "&Look in:"} <= opened["labels"]
    assert "&Save" in saved["buttons"]
    assert "&Choose" in folder["buttons"] and "Directory:" in folder["labels"]


def test_file_dialogs_in_thai(qtbot, in_language):
    window = in_language("th")
    opened, saved, folder = _three_dialogs(qtbot, window)
    for seen in (opened, saved, folder):
        assert not seen["native"]
        assert "ยกเลิก" in seen["buttons"]
        assert {"ชื่อ", "ขนาด", "วันที่แก้ไข"} <= seen["headings"]
        for words in (seen["buttons"], seen["labels"], seen["headings"]):
            english = [w for w in words if re.search("[A-Za-z]", re.sub(r"\(&.\)", "", w))]
            assert not english, english    # no English word left (file names and paths aside)
    assert "เปิด(&O)" in opened["buttons"] and "ชื่อไฟล์(&N):" in opened["labels"]
    assert "บันทึก(&S)" in saved["buttons"]
    assert "เลือก(&C)" in folder["buttons"] and "โฟลเดอร์:" in folder["labels"]


def test_print_dialog_in_thai(qtbot, in_language):
    """Print… in the preview opens Qt's print dialog (on Linux; Windows shows its own): Thai words."""
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QCheckBox, QComboBox, QGroupBox, QRadioButton
    from test_print_gui import open_dialog, select_year
    window = in_language("th")
    select_year(qtbot, window, "จังหวัดราชบุรี", 2554)
    preview = open_dialog(qtbot, window, "owners")
    seen: dict = {}

    def look() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, QPrintDialog):
            QTimer.singleShot(20, look)
            return
        options = next(b for b in dlg.findChildren(QPushButton) if "&O" in b.text())
        qtbot.mouseClick(options, Qt.MouseButton.LeftButton)        # the options shown too
        qtbot.wait(50)
        words = set()
        for kind in (QPushButton, QLabel, QRadioButton, QCheckBox):
            words |= {w.text() for w in dlg.findChildren(kind) if w.isVisible() and w.text()}
        words |= {g.title() for g in dlg.findChildren(QGroupBox) if g.isVisible() and g.title()}
        for combo in dlg.findChildren(QComboBox):
            if combo.isVisible() and combo.objectName() in ("pageSetCombo", "colorMode", "duplex"):
                words |= {combo.itemText(i) for i in range(combo.count())}
        seen["words"] = words
        seen["title"] = dlg.windowTitle()
        qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    QTimer.singleShot(20, look)
    qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "words" in seen, timeout=5000)
    english = sorted(w for w in seen["words"] if re.search("[A-Za-z]{2,}", re.sub(r"\(&.\)|PDF|[A-Z]\d", "", w))
                     and not w.startswith("/"))
    assert not english, english
    assert "พิมพ์(&P)" in seen["words"] and "ช่วงที่พิมพ์" in seen["words"]
    preview.reject()
