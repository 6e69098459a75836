"""The import dialog and a document naming another fiscal year: a notice under the preview as
soon as the years differ, and Import asks (into the document's year, into the chosen one anyway,
or cancel); nothing at all is written, not even a backup, until the clerk has chosen."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from pmqa_desktop.core.storage import planning


def set_spin(qtbot, spin, value):
    spin.selectAll()
    qtbot.keyClicks(spin, str(value))
    assert spin.value() == value


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def year_of(store, org, be):
    return planning.find_year(store, planning.find_organisation(store, org)["id"], be)


def files_under(folder):
    """The files in the data folder (backups), the log file aside."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and not p.name.endswith(".log")) if folder.exists() else []


def question(dlg):
    box = dlg.year_question
    assert box is not None and box.isVisible()
    return box


def click(qtbot, box, name):
    from PySide6.QtWidgets import QPushButton
    qtbot.mouseClick(box.findChild(QPushButton, name), Qt.LeftButton)


@pytest.mark.parametrize("kind, org, doc_year, count", [
    ("calendar", "จังหวัดราชบุรี", 2554, lambda s, y: len(planning.calendar_steps(s, y))),
    ("weekly", "จังหวัดราชบุรี", 2554, lambda s, y: len(planning.weekly_rows(s, y))),
])
def test_a_2554_schedule_into_2555_asks_and_cancel_changes_nothing(qtbot, window, tmp_path, seed_text,
                                                                   kind, org, doc_year, count):
    store = window.store
    dlg = window.importing.import_text(str(write(tmp_path, "seed.txt", seed_text)), kind=kind)
    assert dlg.year.value() == doc_year and not dlg.year_notice.isVisible()     # the title's year, no notice
    set_spin(qtbot, dlg.year, 2555)
    assert dlg.year_notice.isVisible()
    assert "2554" in dlg.year_notice.text() and "2555" in dlg.year_notice.text()
    before_steps = count(store, year_of(store, org, 2554)["id"])
    window.wait_for_opening_backup()   # (its .part file, being written, is no file of the import's)
    backups = files_under(tmp_path / "data")
    qtbot.mouseClick(dlg.import_button, Qt.LeftButton)
    box = question(dlg)
    assert "2554" in box.text() and "2555" in box.text() and "ปีงบประมาณ" in box.text()
    assert dlg.isVisible()
    # cancel: nothing written, not even the backup
    qtbot.mouseClick(box.buttons.button(QDialogButtonBox.Close), Qt.LeftButton)
    assert not box.isVisible() and dlg.isVisible()
    assert year_of(store, org, 2555) is None and window.undo_stack.count() == 0
    assert count(store, year_of(store, org, 2554)["id"]) == before_steps
    assert files_under(tmp_path / "data") == backups


def test_choosing_the_documents_year_imports_there(qtbot, window, tmp_path, seed_text):
    store = window.store
    dlg = window.importing.import_text(str(write(tmp_path, "seed.txt", seed_text)), kind="calendar")
    set_spin(qtbot, dlg.year, 2555)
    before = len(planning.calendar_steps(store, year_of(store, "จังหวัดราชบุรี", 2554)["id"]))
    qtbot.mouseClick(dlg.import_button, Qt.LeftButton)
    click(qtbot, question(dlg), "import_year_document")
    assert not dlg.isVisible()
    assert len(planning.calendar_steps(store, year_of(store, "จังหวัดราชบุรี", 2554)["id"])) == before + 18
    assert year_of(store, "จังหวัดราชบุรี", 2555) is None
    assert window.undo_stack.count() == 1


def test_anyway_imports_into_the_chosen_year_as_before(qtbot, window, tmp_path, seed_text):
    store = window.store
    dlg = window.importing.import_text(str(write(tmp_path, "seed.txt", seed_text)), kind="calendar")
    set_spin(qtbot, dlg.year, 2555)
    qtbot.mouseClick(dlg.import_button, Qt.LeftButton)
    click(qtbot, question(dlg), "import_year_anyway")
    assert not dlg.isVisible()
    year = year_of(store, "จังหวัดราชบุรี", 2555)
    assert len(planning.calendar_steps(store, year["id"])) == 18
    assert year["calendar_start"] == "2010-10"          # the document's months, kept as written


def test_development_plans_of_2553_into_2555_ask(qtbot, window, tmp_path, devplan_seed):
    store = window.store
    dlg = window.importing.import_text(str(write(tmp_path, "plans.txt", devplan_seed)), kind="devplan")
    assert dlg.year.value() == 2553
    set_spin(qtbot, dlg.year, 2555)
    assert dlg.year_notice.isVisible() and "2553" in dlg.year_notice.text()
    qtbot.mouseClick(dlg.import_button, Qt.LeftButton)
    box = question(dlg)
    assert "2553" in box.text() and "2555" in box.text()
    qtbot.keyClick(box.focusWidget(), Qt.Key_Return)          # Enter is Cancel: no import is the default
    assert not box.isVisible() and dlg.isVisible()
    assert year_of(store, "จังหวัดระยอง", 2555) is None and window.undo_stack.count() == 0


def test_a_document_naming_no_year_imports_without_a_question(qtbot, window, tmp_path, seed_text):
    text = seed_text.replace(" ประจำปีงบประมาณ พ.ศ. 2554", "").replace(" ปีงบประมาณ 2554", "")
    text = re.sub(r"(?<=\.)(5[34])(?=[\t\r\n])", "", text)
    dlg = window.importing.import_text(str(write(tmp_path, "plain.txt", text)), kind="calendar")
    set_spin(qtbot, dlg.year, 2560)
    assert not dlg.year_notice.isVisible()
    qtbot.mouseClick(dlg.import_button, Qt.LeftButton)
    assert dlg.year_question is None and not dlg.isVisible()
    year = year_of(window.store, "จังหวัดราชบุรี", 2560)
    assert year["calendar_start"] == "2016-10"           # months read in the chosen year, not the first one shown


def test_the_question_in_english(qtbot, english, window, tmp_path, seed_text):
    dlg = window.importing.import_text(str(write(tmp_path, "seed.txt", seed_text)), kind="weekly")
    set_spin(qtbot, dlg.year, 2556)
    qtbot.mouseClick(dlg.import_button, Qt.LeftButton)
    box = question(dlg)
    assert "fiscal year 2554" in box.text() and "fiscal year 2556" in box.text() and "Roll over" in box.text()
    assert not re.search("[\u0e00-\u0e7f]", box.text())
    qtbot.mouseClick(box.buttons.button(QDialogButtonBox.Close), Qt.LeftButton)
    dlg.reject()
