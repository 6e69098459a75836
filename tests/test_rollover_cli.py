"""``pmqa-desktop rollover``: the same rollover as the window's, with its report; bad input gets
a sentence and exit status 1, and the file is left as it was."""
import pytest

from pmqa_desktop.cli import main
from pmqa_desktop.core.storage import planning
from pmqa_desktop.core.storage.store import Store
from sharing_helpers import data_digest


def _year(db, org, be):
    s = Store.open(db)
    try:
        o = planning.find_organisation(s, org)
        y = planning.find_year(s, o["id"], be)
        return y and {(m, c["text"]) for st in planning.calendar_steps(s, y["id"]) for m, c in st["cells"].items()}
    finally:
        s.close()


def test_rollover_from_the_command_line_moves_dates_and_lists_them(demo_db, capsys):
    assert main(["rollover", "--db", str(demo_db), "--org", "จังหวัดราชบุรี", "--from", "2554", "--to", "2555"]) == 0
    out = capsys.readouterr().out
    assert "2554" in out and "2555" in out
    assert "31 มี.ค. 54 → 31 มี.ค. 55" in out and "9 - 10 มิ.ย. 54 → 9 - 10 มิ.ย. 55" in out
    cells = _year(demo_db, "จังหวัดราชบุรี", 2555)
    assert ("2012-03", "31 มี.ค. 55") in cells and ("2012-05", "ทุกวันพุธ") in cells


def test_rollover_reads_thai_digits_and_defaults_to_the_next_year(demo_db, capsys):
    assert main(["rollover", "--db", str(demo_db), "--org", "ระยอง", "--from", "๒๕๕๓"]) == 0
    assert _year(demo_db, "จังหวัดระยอง", 2554) is not None


@pytest.mark.parametrize("args, says", [
    (["--org", "จังหวัดราชบุรี", "--from", "abc"], "ไม่ใช่ปีงบประมาณ"),
    (["--org", "จังหวัดราชบุรี", "--from", "2554", "--to", "99999"], "ไม่ใช่ปีงบประมาณ"),
    (["--org", "จังหวัดนครนายก", "--from", "2554"], "ไม่มีหน่วยงานชื่อ จังหวัดนครนายก"),
    (["--org", "จังหวัดราชบุรี", "--from", "2550"], "2550"),
    (["--from", "2554"], "--org"),                                 # two organisations in the file
    (["--org", "จังหวัดราชบุรี", "--from", "2554", "--to", "2554"], "ต้องไม่ใช่ปีเดียวกัน"),
])
def test_bad_input_says_why_in_thai_and_changes_nothing(demo_db, capsys, args, says):
    before = data_digest(demo_db)
    assert main(["rollover", "--db", str(demo_db), *args]) == 1
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert data_digest(demo_db) == before


def test_rollover_onto_an_existing_year_is_refused(demo_db, capsys):
    assert main(["rollover", "--db", str(demo_db), "--org", "จังหวัดราชบุรี", "--from", "2554", "--to", "2555"]) == 0
    capsys.readouterr()
    assert main(["rollover", "--db", str(demo_db), "--org", "จังหวัดราชบุรี", "--from", "2554", "--to", "2555"]) == 1
    assert "2555" in capsys.readouterr().err


def test_a_missing_file_is_not_created(tmp_path, capsys):
    db = tmp_path / "nothing.pmqa"
    assert main(["rollover", "--db", str(db), "--from", "2554"]) == 1
    assert "nothing.pmqa" in capsys.readouterr().err and not db.exists()
