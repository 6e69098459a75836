"""`pip install .` from a clean checkout into a fresh virtualenv, run from another folder: the
installed package carries its fonts, seeds, icon and compiled translations (about a minute;
the pip cache makes it quick after the first run)."""
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from pmqa_desktop.core.thai_text import dictionary

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.slow, pytest.mark.packaging]


def _clean_checkout(dst: Path) -> Path:
    """The repository's files as a fresh clone has them (tracked, plus new files not ignored)."""
    names = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for name in filter(None, names):
        src = ROOT / name
        if src.is_file():
            (dst / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst / name)
    return dst


def test_pip_install_gives_a_complete_program(tmp_path):
    checkout = _clean_checkout(tmp_path / "checkout")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    subprocess.run([bindir / "python", "-m", "pip", "install", "-q", str(checkout)], check=True, timeout=900)
    shutil.rmtree(checkout)   # nothing may be read from the source folder any more

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PMQA_DATA_DIR=str(tmp_path / "data"), PMQA_SETTINGS_DIR=str(tmp_path / "settings"),
               PMQA_CACHE_DIR=str(tmp_path / "cache"), QT_QPA_PLATFORM="offscreen", PMQA_LANG="en")
    env.pop("PYTHONPATH", None)

    def run(*args):
        r = subprocess.run([str(bindir / "pmqa-desktop"), *args], cwd=elsewhere, env=env, capture_output=True,
                           text=True, timeout=300)
        assert r.returncode == 0, (args, r.stdout, r.stderr)
        return r.stdout

    out = run("diagnose")
    assert "site-packages" in out and "MISSING" not in out
    assert "pmqa_desktop/data/locale/th/LC_MESSAGES/pmqa_desktop.mo" in out.replace("\\", "/")
    # the whole Thai word list, from the program's own package data (PyThaiNLP is not installed with it)
    words = re.search(r"^OK\s+Thai word list\s+([\d,]+) words", out, re.M)
    assert words and int(words.group(1).replace(",", "")) == len(dictionary()), out
    no_pythainlp = subprocess.run([bindir / "python", "-c", "import pythainlp"], capture_output=True)
    assert no_pythainlp.returncode != 0
    db = tmp_path / "demo.db"
    run("demo", "--db", str(db))
    pdf = tmp_path / "owners.pdf"
    run("print", "owners", "--db", str(db), "--year", "2554", "--out", str(pdf))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "จังหวัดราชบุรี" in text and "ผู้รับผิดชอบ" in text
    assert run("--smoke", "--db", str(db)).startswith("smoke ok")
    assert not (tmp_path / "cache" / "i18n").exists()   # nothing compiled on the clerk's PC
