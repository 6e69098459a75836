"""diagnose, the log file, Thai on any code page, the crash dialog and Help > About."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from pmqa_desktop.cli import main
from pmqa_desktop.core.storage import Actor, Store, planning
from pmqa_desktop.ui.main_window import feature_modules
from pmqa_desktop.logfile import log_path, start_logging
from gui_helpers import type_into_cell

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")
ROOT = Path(__file__).resolve().parents[1]


def test_diagnose_shows_every_part_and_exits_0(capsys, english, tmp_path):
    assert main(["diagnose"]) == 0
    out = capsys.readouterr().out
    assert "PMQA Desktop 0.1.0" in out
    assert "Data folder" in out and str(tmp_path / "data") in out
    assert str(tmp_path / "data" / "pmqa-desktop.log") in out
    font_line = next(line for line in out.splitlines() if "Print font" in line)
    assert "TH Sarabun New" in font_line or ("Laksaman" in font_line and "bundled" in font_line)
    words = next(line for line in out.splitlines() if "Thai word list" in line)
    assert int(words.split()[-2].replace(",", "")) > 10_000
    assert "th: " in out and "pmqa_desktop.po" in out
    for name in feature_modules():
        assert any(line.startswith("OK") and name in line for line in out.splitlines()), name
    assert "MISSING" not in out


def test_diagnose_exits_1_when_a_part_of_the_window_is_missing(capsys, english, monkeypatch):
    missing = feature_modules()[1]
    monkeypatch.setitem(sys.modules, missing, None)   # as if the freezer had left it out: import fails
    assert main(["diagnose"]) == 1
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if missing in line)
    assert line.startswith("MISSING") and "ModuleNotFoundError" in line
    assert "1 part missing:" in out


def test_diagnose_names_the_word_and_excel_libraries(capsys, english, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)   # as if the installer had left it out
    assert main(["diagnose"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert next(line for line in lines if "Library openpyxl" in line).startswith("MISSING")
    for name in ("docx", "lxml.etree"):
        assert next(line for line in lines if f"Library {name}" in line).startswith("OK"), name


def test_diagnose_exits_1_when_the_word_list_is_empty(capsys, english, monkeypatch):
    from pmqa_desktop.core import thai_text
    monkeypatch.setattr(thai_text, "dictionary", lambda: frozenset())
    assert main(["diagnose"]) == 1
    assert next(line for line in capsys.readouterr().out.splitlines() if "word list" in line).startswith("MISSING")


def _run(args, tmp_path, **env):
    e = dict(os.environ, PMQA_DATA_DIR=str(tmp_path / "data"), PMQA_SETTINGS_DIR=str(tmp_path / "settings"), **env)
    out = tmp_path / "out.txt"
    with open(out, "wb") as fh:   # redirected, as a script or IT support's batch file would
        rc = subprocess.run([sys.executable, "-m", "pmqa_desktop", *args], stdout=fh, stderr=subprocess.STDOUT,
                            env=e, timeout=120).returncode
    return rc, out.read_bytes()


def test_thai_messages_on_a_code_page_without_thai(tmp_path, demo_db):
    """A Western Windows writes redirected output in cp1252: Thai comes out escaped, never a crash."""
    rc, out = _run(["check", str(demo_db)], tmp_path, PYTHONIOENCODING="cp1252", PMQA_LANG="th")
    assert rc == 0, out
    text = out.decode("cp1252")
    assert "\\u0e" in text and "Traceback" not in text
    rc, out = _run(["diagnose"], tmp_path, PYTHONIOENCODING="cp1252", PMQA_LANG="th")
    assert rc == 0, out
    assert b"PMQA Desktop 0.1.0" in out and b"Traceback" not in out


def test_log_records_start_commands_prints_merges_and_errors(tmp_path, demo_db, capsys):
    pdf = tmp_path / "owners.pdf"
    assert main(["print", "owners", "--db", str(demo_db), "--year", "2554", "--out", str(pdf)]) == 0
    assert main(["merge", "--db", str(demo_db), str(demo_db), "--dry-run"]) in (0, 1)
    assert main(["check", str(tmp_path / "no-such.db")]) == 1
    log = log_path().read_text(encoding="utf-8")
    assert log_path().parent == tmp_path / "data"
    assert "start PMQA Desktop 0.1.0" in log and "command print" in log
    assert f"to {pdf}" in log and "merge " in log
    assert "WARNING" in log and "no-such.db" in log


# ---------------------------------------------------------------- the window

def _calendar(qtbot, store):
    from pmqa_desktop.ui.schedules.grid_views import CalendarView
    org = planning.find_organisation(store, "จังหวัดราชบุรี")
    year_id = planning.find_year(store, org["id"], 2554)["id"]
    stack = QUndoStack()
    view = CalendarView(store, stack)
    view.undo_stack_ref = stack
    qtbot.addWidget(view)
    view.set_year(year_id)
    view.resize(1300, 700)
    view.show()
    qtbot.waitExposed(view)
    return view, year_id


def test_unexpected_error_shows_a_thai_dialog_and_keeps_the_last_edit(qtbot, demo_store, demo_db):
    from pmqa_desktop.ui.common.crash_dialog import CrashDialog, install_crash_handler
    view, year_id = _calendar(qtbot, demo_store)
    start_logging([])   # as main() does before the window starts
    handler = install_crash_handler(QApplication.instance())
    try:
        view.table.setCurrentIndex(view.model.index(0, view.model.FIRST_MONTH + 2))
        view.table.setFocus()
        type_into_cell(qtbot, view.table, "ทุกวันศุกร์")

        def boom():
            raise RuntimeError("a bug in a slot")
        QTimer.singleShot(0, boom)
        qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible())
        box = handler.dialog
        assert isinstance(box, CrashDialog)
        assert "ข้อผิดพลาดที่ไม่คาดคิด" in box.text() and str(log_path()) in box.text()
        assert "RuntimeError: a bug in a slot" in box.details.toPlainText()
        qtbot.mouseClick(box.copy_button, Qt.MouseButton.LeftButton)
        assert "RuntimeError: a bug in a slot" in QApplication.clipboard().text()
        assert box.isVisible()   # copying leaves the dialog open
        assert "RuntimeError: a bug in a slot" in log_path().read_text(encoding="utf-8")
        # the edit made before the error is in the file, as another program opening it sees it
        other = Store.open(demo_db, Actor(office="other", clerk="x"))
        try:
            cells = planning.calendar_steps(other, year_id)[0]["cells"]
            assert any(c["text"] == "ทุกวันศุกร์" for c in cells.values())
        finally:
            other.close()
        box.close()
    finally:
        handler.uninstall()
        view.model.detach()


def test_help_about_shows_the_diagnosis(qtbot, window, english):
    help_menu = window.menus["help"]
    action = next(a for a in help_menu.actions() if a.objectName() == "action_about")
    action.trigger()
    box = window.last_message_box
    qtbot.waitExposed(box)
    details = box.findChild(type(box.layout().itemAt(1).widget()), "about_details").toPlainText()
    assert "PMQA Desktop 0.1.0" in details and "Thai word list" in details and "Log file" in details
    for name in feature_modules():
        assert name in details
    box.close()


def test_the_program_icon_loads_for_the_window_and_the_installers(qtbot):
    from pmqa_desktop.resources import icon_path
    from PySide6.QtGui import QIcon
    assert not QIcon(str(icon_path())).isNull() and icon_path("ico").stat().st_size > 1000


def test_a_file_opened_from_the_file_manager_is_the_database(tmp_path):
    """The .pmqa association starts `pmqa-desktop FILE`; a mistyped command is not taken for a file."""
    from pmqa_desktop.cli import _file_to_open, _simple_gui_args
    from pmqa_desktop.core.errors import UserError
    f = tmp_path / "จังหวัด.pmqa"
    f.write_bytes(b"")
    args = _simple_gui_args([str(f)], None)
    assert _file_to_open(args.db, args.file) == str(f)
    args = _simple_gui_args(["demoo"], None)
    with pytest.raises(UserError):
        _file_to_open(args.db, args.file)


def test_log_records_files_opened_and_errors_shown_in_the_window(window, demo_db, tmp_path):
    start_logging([])   # as main() does before the window starts
    assert window.open_database(demo_db)
    assert not window.open_database(tmp_path / "no-such.pmqa")
    window.last_message_box.close()
    log = log_path().read_text(encoding="utf-8")
    assert f"open {demo_db}" in log
    assert "WARNING" in log and "no-such.pmqa" in log


def test_log_is_kept_to_a_few_small_files(tmp_path, monkeypatch):
    """The log rolls over at MAX_BYTES into .1 .. .KEEP, the oldest dropped (as Python's
    RotatingFileHandler keeps it)."""
    from pmqa_desktop import logfile
    monkeypatch.setattr(logfile, "MAX_BYTES", 400)
    path = start_logging(["test"])
    try:
        for i in range(60):
            logfile.logger.info("line %03d %s", i, "ก" * 20)
        names = sorted(p.name for p in path.parent.glob(logfile.LOG_NAME + "*"))
        assert names == [logfile.LOG_NAME] + [f"{logfile.LOG_NAME}.{i}" for i in range(1, logfile.KEEP + 1)]
        for p in path.parent.glob(logfile.LOG_NAME + "*"):
            assert p.stat().st_size < 400
        assert "line 059" in path.read_text(encoding="utf-8")
        assert "line 000" not in "".join(p.read_text(encoding="utf-8") for p in path.parent.glob("*.log*"))
        newer = path.with_name(logfile.LOG_NAME + ".1").read_text(encoding="utf-8")
        older = path.with_name(logfile.LOG_NAME + f".{logfile.KEEP}").read_text(encoding="utf-8")
        assert int(newer.split("line ")[1][:3]) > int(older.split("line ")[1][:3])
    finally:
        for h in list(logfile.logger.handlers):
            if isinstance(h, logfile._Handler):
                logfile.logger.removeHandler(h)
                h.close()
