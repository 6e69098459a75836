"""``pmqa-desktop FILE`` opens that file (as a double-clicked ``.pmqa`` file does); ``--db FILE``
keeps working; a name that is not a file is not created."""
import os
import subprocess
import sys


def _run(args, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PMQA_DATA_DIR=str(tmp_path / "data"), PMQA_LANG="th")
    return subprocess.run([sys.executable, "-m", "pmqa_desktop", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_a_file_named_on_the_command_line_is_opened(demo_db, tmp_path):
    received = tmp_path / "จากสำนักงานจังหวัด.pmqa"
    demo_db.rename(received)
    proc = _run(["--smoke", str(received)], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("smoke ok: ")
    # the named file was opened: no demo was written into the data folder instead
    assert not (tmp_path / "data" / "pmqa.db").exists()


def test_db_option_still_opens_its_file(demo_db, tmp_path):
    proc = _run(["--db", str(demo_db), "--smoke"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "data" / "pmqa.db").exists()


def test_a_name_that_is_not_a_file_says_so_and_creates_nothing(tmp_path):
    missing = tmp_path / "mrege"
    proc = _run(["--smoke", str(missing)], tmp_path)
    assert proc.returncode == 1
    assert "ไม่พบไฟล์" in proc.stderr and "mrege" in proc.stderr and "Traceback" not in proc.stderr
    assert not missing.exists()
