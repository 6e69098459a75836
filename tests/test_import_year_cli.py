"""The command line refuses a document naming another fiscal year than --year: exit 1, a
sentence naming both years and what to do, nothing changed (no backup, no new year, no new
file); --year-anyway imports it as before. (No import of the new module here, so that these
tests ran, and failed, on the code before it.)"""
from __future__ import annotations

import re

import pytest

from pmqa_desktop.cli import main
from pmqa_desktop.core.storage import Actor, Store, planning


def files_under(folder):
    """The files in the data folder (backups), the log file aside."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and not p.name.endswith(".log")) if folder.exists() else []


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def undated(seed_text):
    """The seed with no year anywhere in its title, headings or month headings."""
    text = seed_text.replace(" ประจำปีงบประมาณ พ.ศ. 2554", "").replace(" ปีงบประมาณ 2554", "")
    return re.sub(r"(?<=\.)(5[34])(?=[\t\r\n])", "", text)


# ---------------------------------------------------------------- the command line

def _cli(db, kind, year, src, *extra, command="import", org="X"):
    return main([command, "--db", str(db), "--kind", kind, "--year", str(year), "--org", org, *extra, str(src)])


@pytest.mark.parametrize("kind", ["calendar", "weekly"])
def test_cli_refuses_the_2554_seed_into_2555_and_changes_nothing(demo_db, tmp_path, seed_text, capsys, kind):
    src = write(tmp_path, "seed.txt", seed_text)
    data = tmp_path / "data"
    before, files_before = demo_db.read_bytes(), files_under(data)
    assert _cli(demo_db, kind, 2555, src) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "2554" in err and "2555" in err and "--year-anyway" in err and "rollover" in err
    assert "ปีงบประมาณ" in err                                  # in Thai by default
    assert demo_db.read_bytes() == before and files_under(data) == files_before   # no backup, no new year


def test_cli_refusal_creates_no_file(tmp_path, seed_text):
    src = write(tmp_path, "seed.txt", seed_text)
    db = tmp_path / "new.db"
    assert _cli(db, "calendar", 2555, src) == 1
    assert not db.exists()


def test_cli_refuses_the_2553_plans_into_2555(demo_db, tmp_path, devplan_seed, capsys):
    src = write(tmp_path, "plans.txt", devplan_seed)
    before = demo_db.read_bytes()
    assert _cli(demo_db, "devplan", 2555, src, org="จังหวัดระยอง") == 1
    assert "2553" in capsys.readouterr().err
    assert demo_db.read_bytes() == before


def test_import_text_refuses_too(demo_db, tmp_path, seed_text, capsys):
    src = write(tmp_path, "seed.txt", seed_text)
    assert _cli(demo_db, "calendar", 2555, src, command="import-text") == 1
    assert "--year-anyway" in capsys.readouterr().err
    assert _cli(demo_db, "calendar", 2555, src, "--year-anyway", command="import-text") == 0


def test_cli_year_anyway_imports_as_before_and_says_so(demo_db, tmp_path, seed_text, capsys):
    src = write(tmp_path, "seed.txt", seed_text)
    assert _cli(demo_db, "calendar", 2555, src, "--year-anyway") == 0
    err = capsys.readouterr().err
    assert "2554" in err and "2555" in err
    store = Store.open(demo_db, Actor(office="t"))
    try:
        year = planning.find_year(store, planning.find_organisation(store, "X")["id"], 2555)
        assert len(planning.calendar_steps(store, year["id"])) == 18
    finally:
        store.close()


def test_cli_same_year_or_no_year_imports_without_a_word(demo_db, tmp_path, seed_text, capsys):
    assert _cli(demo_db, "calendar", 2554, write(tmp_path, "seed.txt", seed_text)) == 0
    assert "2555" not in capsys.readouterr().err
    assert _cli(demo_db, "calendar", 2560, write(tmp_path, "plain.txt", undated(seed_text))) == 0
    assert "--year-anyway" not in capsys.readouterr().err


def test_cli_sentence_in_english(demo_db, tmp_path, seed_text, capsys, english):
    src = write(tmp_path, "seed.txt", seed_text)
    assert _cli(demo_db, "calendar", 2555, src) == 1
    err = capsys.readouterr().err
    assert "fiscal year 2554" in err and "fiscal year 2555" in err and "Nothing was imported" in err
    assert "--year-anyway" in err and "rollover" in err
    last = err.strip().splitlines()[-1]                   # the refusal comes last, under the notes
    assert last.startswith("This document is for fiscal year 2554") and not re.search("[\u0e00-\u0e7f]", last)
