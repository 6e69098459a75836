"""Rolling a fiscal year over, importing text tables, new organisations and years, and the
settings: through the main window's dialogs, with undo/redo."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from pmqa_desktop import settings as app_settings
from pmqa_desktop.core.demo import read_seed
from pmqa_desktop.core.errors import ValidationError
from pmqa_desktop.core.storage import planning
from pmqa_desktop.core.thai_calendar import MonthKey, shift_years
from pmqa_desktop.i18n import _
from pmqa_desktop.resources import SEED_CALENDAR_WEEKLY
from pmqa_desktop.ui.tree_model import KEY_ROLE
from gui_helpers import type_text


def set_spin(qtbot, spin, value):
    spin.selectAll()
    qtbot.keyClicks(spin, str(value))
    assert spin.value() == value


def confirm_other_year(qtbot, dlg):
    """The seeds name their fiscal year: imported into another one, the dialog asks first."""
    from PySide6.QtWidgets import QPushButton
    box = dlg.year_question
    assert box is not None and box.isVisible()
    qtbot.mouseClick(box.findChild(QPushButton, "import_year_anyway"), Qt.LeftButton)


def org_id(store, name):
    return planning.find_organisation(store, name)["id"]


def year_of(store, org, be):
    return planning.find_year(store, org_id(store, org), be)


def shifted(key, months):
    return MonthKey.parse_key(key).shifted(months).key


# ---------------------------------------------------------------- roll over

@pytest.mark.qt_log_ignore("does not support propagateSizeHints")   # the report opens after it
def test_roll_over_2554_to_2555_through_the_dialog(qtbot, window):
    store = window.store
    src = year_of(store, "จังหวัดราชบุรี", 2554)
    ld2 = planning.criteria_by_code(store)["LD2"]
    planning.set_owner(store, src["id"], ld2["id"], {"name": "นายสมชาย รักงาน", "email": "somchai@moi.go.th"})
    window.action_roll_over.trigger()
    dlg = window.last_dialog
    assert dlg.isVisible()
    assert dlg.source.currentData() == src["id"]
    assert dlg.target.value() == 2555          # the next year by default
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert not dlg.isVisible()
    new = year_of(store, "จังหวัดราชบุรี", 2555)
    assert new is not None
    assert new["calendar_start"] == shifted(src["calendar_start"], 12) == "2011-10"
    assert new["calendar_months"] == src["calendar_months"] == 14
    assert new["weekly_start"] == shifted(src["weekly_start"], 12)
    assert "2555" in new["calendar_title"] and "2554" not in new["calendar_title"]
    old_steps = planning.calendar_steps(store, src["id"])
    new_steps = planning.calendar_steps(store, new["id"])
    # texts copied, with their dates moved a year on (test_rollover_dates.py checks the moving)
    assert [s["text"] for s in new_steps] == [shift_years(s["text"], 1).text for s in old_steps]
    assert len(new_steps) == 18
    for a, b in zip(old_steps, new_steps):
        assert {shifted(m, 12): shift_years(c["text"], 1).text for m, c in a["cells"].items()} == \
               {m: c["text"] for m, c in b["cells"].items()}
    old_rows = planning.weekly_rows(store, src["id"])
    new_rows = planning.weekly_rows(store, new["id"])
    assert len(new_rows) == len(old_rows) == 39
    for a, b in zip(old_rows, new_rows):
        assert a["criterion_id"] == b["criterion_id"]
        assert [(shifted(x["month"], 12), x["week"], x["span"], shift_years(x["text"], 1).text)
                for x in a["activities"]] == \
               [(x["month"], x["week"], x["span"], x["text"]) for x in b["activities"]]
    o = planning.owner(store, new["id"], ld2["id"])
    assert (o["name"], o["email"]) == ("นายสมชาย รักงาน", "somchai@moi.go.th")
    # the window shows the new year's calendar
    assert window.tree.currentIndex().data(KEY_ROLE) == ("calendar", new["id"])
    # one undo takes the whole new year away; redo brings it back
    assert window.undo_stack.count() == 1
    window.action_undo.trigger()
    assert year_of(store, "จังหวัดราชบุรี", 2555) is None
    assert not planning.calendar_steps(store, new["id"])
    assert planning.owner(store, new["id"], ld2["id"]) is None
    window.action_redo.trigger()
    assert year_of(store, "จังหวัดราชบุรี", 2555)["id"] == new["id"]
    assert len(planning.calendar_steps(store, new["id"])) == 18
    assert len(planning.weekly_rows(store, new["id"])) == 39


def test_roll_over_onto_an_existing_year_is_refused(qtbot, window):
    store = window.store
    rayong = year_of(store, "จังหวัดระยอง", 2553)
    dlg = window.organisations.roll_over(rayong["id"])
    set_spin(qtbot, dlg.target, 2553)
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert dlg.isVisible() and dlg.error.isVisible() and "2553" in dlg.error.text()
    assert window.undo_stack.count() == 0
    assert len(planning.fiscal_years(store, rayong["org_id"])) == 1
    dlg.reject()


# ---------------------------------------------------------------- import

def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_import_preview_shows_problems_and_blocks_errors(qtbot, window, tmp_path):
    seed = read_seed(SEED_CALENDAR_WEEKLY).splitlines()
    # a row without a step number inside the calendar table is an error
    bad_lines = seed[:8] + ["ก\tขั้นตอนที่ไม่มีลำดับ\t\t1 ต.ค. 53"] + seed[8:]
    bad = write(tmp_path, "bad.txt", "\n".join(bad_lines))
    window.action_import.trigger()
    dlg = window.last_dialog
    assert dlg.isVisible()
    type_text(dlg.path, str(bad), qtbot)
    qtbot.mouseClick(dlg.preview_button, Qt.LeftButton)
    problems = [dlg.problems.item(i).text() for i in range(dlg.problems.count())]
    error_line = _("line {line}: {label}: {message}").format(line=9, label=_("error"), message="")
    assert any(p.startswith(error_line) and "ขั้นตอนที่ไม่มีลำดับ" in p for p in problems)
    assert any("9 - 10 มิ.ย. 54" in p for p in problems)      # the seed's shifted cell, a note
    assert dlg.table.rowCount() == 18
    assert dlg.table.item(0, 0).text() == "1"
    assert dlg.table.horizontalHeaderItem(2).text() == "ต.ค.53"
    assert not dlg.import_button.isEnabled()
    steps_before = {y["id"]: len(planning.calendar_steps(window.store, y["id"]))
                    for o in planning.organisations(window.store) for y in planning.fiscal_years(window.store, o["id"])}
    # fixing the file and previewing again allows the import
    good = write(tmp_path, "good.txt", "\n".join(seed))
    dlg.path.selectAll()
    type_text(dlg.path, str(good), qtbot)
    qtbot.mouseClick(dlg.preview_button, Qt.LeftButton)
    assert dlg.import_button.isEnabled()
    assert dlg.org.currentText() == "จังหวัดราชบุรี" and dlg.year.value() == 2554
    # import into Rayong 2553 instead
    dlg.org.setCurrentIndex(dlg.org.findText("จังหวัดระยอง"))
    set_spin(qtbot, dlg.year, 2553)
    qtbot.mouseClick(dlg.import_button, Qt.LeftButton)
    confirm_other_year(qtbot, dlg)       # the seed names 2554
    assert not dlg.isVisible()
    rayong = year_of(window.store, "จังหวัดระยอง", 2553)
    steps = planning.calendar_steps(window.store, rayong["id"])
    assert len(steps) == 18 and steps[0]["text"].startswith("ประชุมชี้แจง")
    assert steps[0]["cells"]["2011-03"]["text"] == "31 มี.ค. 54"
    assert rayong["calendar_start"] == "2010-10" and rayong["calendar_months"] == 14
    assert window.tree.currentIndex().data(KEY_ROLE) == ("calendar", rayong["id"])
    # the whole import is one undo step
    assert window.undo_stack.count() == 1
    window.action_undo.trigger()
    assert planning.calendar_steps(window.store, rayong["id"]) == []
    assert year_of(window.store, "จังหวัดระยอง", 2553)["calendar_start"] == "2009-10"
    for yid, n in steps_before.items():
        assert len(planning.calendar_steps(window.store, yid)) == n
    window.action_redo.trigger()
    assert len(planning.calendar_steps(window.store, rayong["id"])) == 18


def test_import_is_all_or_nothing(qtbot, window, tmp_path, monkeypatch):
    good = write(tmp_path, "seed.txt", read_seed(SEED_CALENDAR_WEEKLY))
    dlg = window.importing.import_text(str(good), kind="weekly")
    assert dlg.kind.currentData() == "weekly"
    assert dlg.table.rowCount() == 39 and dlg.import_button.isEnabled()
    dlg.org.setCurrentIndex(dlg.org.findText("จังหวัดระยอง"))
    set_spin(qtbot, dlg.year, 2556)     # a year the organisation does not have yet: created with the import
    real = planning.add_weekly_activity
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 30:
            raise ValidationError("the disk is full (simulated)")
        return real(*args, **kwargs)
    monkeypatch.setattr(planning, "add_weekly_activity", failing)
    qtbot.mouseClick(dlg.import_button, Qt.LeftButton)
    confirm_other_year(qtbot, dlg)       # the seed names 2554
    assert dlg.isVisible() and dlg.error.isVisible() and "simulated" in dlg.error.text()
    assert year_of(window.store, "จังหวัดระยอง", 2556) is None       # nothing at all was stored
    assert window.undo_stack.count() == 0
    monkeypatch.setattr(planning, "add_weekly_activity", real)
    qtbot.mouseClick(dlg.import_button, Qt.LeftButton)
    confirm_other_year(qtbot, dlg)
    assert not dlg.isVisible()
    y = year_of(window.store, "จังหวัดระยอง", 2556)
    rows = planning.weekly_rows(window.store, y["id"])
    assert len(rows) == 39
    assert rows[0]["criterion_code"] == "LD1"
    window.action_undo.trigger()
    assert year_of(window.store, "จังหวัดระยอง", 2556) is None


def test_import_of_an_unreadable_file_says_so(qtbot, window, tmp_path):
    dlg = window.importing.import_text()
    type_text(dlg.path, str(tmp_path / "missing.txt"), qtbot)
    qtbot.mouseClick(dlg.preview_button, Qt.LeftButton)
    assert dlg.error.isVisible() and "missing.txt" in dlg.error.text()
    assert not dlg.import_button.isEnabled()
    empty = write(tmp_path, "empty.txt", "ไม่มีตาราง\n")
    dlg.path.selectAll()
    type_text(dlg.path, str(empty), qtbot)
    qtbot.mouseClick(dlg.preview_button, Qt.LeftButton)
    assert dlg.problems.count() == 1 and not dlg.import_button.isEnabled()
    dlg.reject()


# ---------------------------------------------------------------- organisations, years, settings

def test_add_organisation_with_a_year_and_a_new_year(qtbot, window):
    window.action_add_org.trigger()
    dlg = window.last_dialog
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)            # no name: refused
    assert dlg.isVisible() and dlg.error.isVisible()
    type_text(dlg.name, "สำนักงานพัฒนาชุมชนจังหวัดราชบุรี", qtbot)
    dlg.kind.setCurrentIndex(dlg.kind.findData("agency"))
    dlg.parent_org.setCurrentIndex(dlg.parent_org.findText("จังหวัดราชบุรี"))
    set_spin(qtbot, dlg.year, 2555)
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert not dlg.isVisible()
    org = planning.find_organisation(window.store, "สำนักงานพัฒนาชุมชนจังหวัดราชบุรี")
    assert org["kind"] == "agency" and org["parent_id"] == org_id(window.store, "จังหวัดราชบุรี")
    assert [y["year_be"] for y in planning.fiscal_years(window.store, org["id"])] == [2555]
    m = window.tree_model
    assert "สำนักงานพัฒนาชุมชนจังหวัดราชบุรี" in [m.index(r, 0).data() for r in range(m.rowCount())]
    # a new empty year for it, suggested as the next one
    dlg = window.organisations.new_year(org["id"])
    assert dlg.year.value() == 2556
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert [y["year_be"] for y in planning.fiscal_years(window.store, org["id"])] == [2555, 2556]
    window.action_undo.trigger()
    window.action_undo.trigger()
    assert planning.find_organisation(window.store, "สำนักงานพัฒนาชุมชนจังหวัดราชบุรี") is None
    assert window.tree_model.rowCount() == 2


def test_settings_dialog_sets_who_is_editing(qtbot, window):
    window.action_settings.trigger()
    dlg = window.last_dialog
    type_text(dlg.clerk, "นางสาวสมใจ", qtbot)
    type_text(dlg.office, "สำนักงานจังหวัดราชบุรี", qtbot)
    dlg.language.setCurrentIndex(dlg.language.findData("en"))
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert not dlg.isVisible()
    ident = app_settings.identity()
    assert (ident.clerk, ident.office) == ("นางสาวสมใจ", "สำนักงานจังหวัดราชบุรี")
    assert app_settings.get("language") == "en"
    crit = planning.criteria_by_code(window.store)["LD1"]
    planning.update_criterion(window.store, crit["id"], short_name="ทิศทาง")
    row = window.store.get("criterion", crit["id"])
    assert (row["clerk"], row["office"]) == ("นางสาวสมใจ", "สำนักงานจังหวัดราชบุรี")


def test_import_for_a_province_not_in_the_file_creates_it(qtbot, window, tmp_path):
    text = read_seed(SEED_CALENDAR_WEEKLY).replace("จังหวัดราชบุรี", "จังหวัดเพชรบุรี")
    src = write(tmp_path, "phetchaburi.txt", text)
    dlg = window.importing.import_text(str(src), kind="weekly")
    assert dlg.org.currentData() == ("new", "จังหวัดเพชรบุรี")
    assert dlg.year.value() == 2554
    set_spin(qtbot, dlg.year, 2555)
    qtbot.mouseClick(dlg.preview_button, Qt.LeftButton)      # previewing again keeps the clerk's choices
    assert dlg.year.value() == 2555 and dlg.org.currentData() == ("new", "จังหวัดเพชรบุรี")
    qtbot.mouseClick(dlg.import_button, Qt.LeftButton)
    confirm_other_year(qtbot, dlg)       # the seed names 2554
    assert not dlg.isVisible()
    org = planning.find_organisation(window.store, "จังหวัดเพชรบุรี")
    assert org["province"] == "เพชรบุรี"
    y = planning.find_year(window.store, org["id"], 2555)
    assert len(planning.weekly_rows(window.store, y["id"])) == 39
    assert window.tree.currentIndex().data(KEY_ROLE) == ("weekly", y["id"])
    window.action_undo.trigger()
    assert planning.find_organisation(window.store, "จังหวัดเพชรบุรี") is None


def test_import_development_plans_with_preview_then_undo(qtbot, window, tmp_path):
    """Seed 001 through the same previewed, all-or-nothing import dialog, into a new year."""
    from pmqa_desktop.core.storage import devplan as dp
    from pmqa_desktop.resources import SEED_DEVPLAN
    src = write(tmp_path, "rayong.txt", read_seed(SEED_DEVPLAN))
    dlg = window.importing.import_text(str(src), kind="devplan")
    assert dlg.kind.currentData() == "devplan"
    assert dlg.table.rowCount() > 20            # activities, steps and KPIs shown before importing
    shown = {dlg.table.item(r, 1).text() for r in range(dlg.table.rowCount()) if dlg.table.item(r, 1)}
    assert any("ร้อยละความพึงพอใจของผู้รับบริการ" in t for t in shown)
    assert dlg.problems.count() > 0 and not dlg.preview.errors   # notes listed, nothing blocking
    dlg.org.setCurrentIndex(dlg.org.findData(org_id(window.store, "จังหวัดระยอง")))
    set_spin(qtbot, dlg.year, 2554)
    qtbot.mouseClick(dlg.import_button, Qt.LeftButton)
    confirm_other_year(qtbot, dlg)       # the seed names 2553
    assert not dlg.isVisible()
    y = year_of(window.store, "จังหวัดระยอง", 2554)
    plans = dp.plans(window.store, y["id"])
    assert len(plans) == 2
    assert sum(len(dp.plan_steps(window.store, p["id"])) for p in plans) == 21
    window.action_undo.trigger()
    assert all(not dp.plans(window.store, y2["id"]) for y2 in [y] if window.store.get("fiscal_year", y2["id"]))
