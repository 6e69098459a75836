"""Qt's own buttons speak the program's language (Qt ships no Thai translation of its own)."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from pmqa_desktop.i18n import set_language
from pmqa_desktop.ui.qt_texts import install_qt_translator, remove_qt_translator


def test_standard_buttons_in_thai(qtbot):
    set_language("th")
    app = QApplication.instance()
    tr = install_qt_translator(app)
    try:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        qtbot.addWidget(box)
        assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "ยกเลิก"
        assert box.button(QDialogButtonBox.StandardButton.Ok).text() == "ตกลง"
    finally:
        remove_qt_translator(app, tr)
        app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, False)
    box2 = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box2)
    assert box2.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancel"   # without it: English
