"""Translations: every user-visible string of the source has a Thai translation, the
translations keep their placeholders, and the program speaks Thai unless told otherwise.

When a test here fails after you added a string: run ``scripts/i18n_update.sh``, translate
the new empty entries of ``i18n/th/LC_MESSAGES/pmqa_desktop.po`` and run this file again.
"""
from __future__ import annotations

import ast
import gettext
import io
import os
import re
import sqlite3
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from pmqa_desktop import i18n

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
I18N = ROOT / "i18n"
DOMAIN = i18n.DOMAIN
THAI = re.compile(r"[\u0E01-\u0E5B]")


def _po_path(lang: str) -> Path:
    return I18N / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _read(lang: str):
    with open(_po_path(lang), "rb") as fh:
        return read_po(fh, locale=lang)


@pytest.fixture(scope="module")
def th_catalog():
    return _read("th")


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[str, ...]]:
    """msgid -> all its forms, extracted from the current source exactly as scripts/i18n_update.sh does."""
    keywords = dict(DEFAULT_KEYWORDS)
    keywords.update({"_": None, "ngettext": (1, 2)})
    found: dict[str, tuple[str, ...]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(SRC), method_map=[("**.py", "python")], keywords=keywords):
        forms = (message,) if isinstance(message, str) else tuple(message)
        found.setdefault(forms[0], forms)
    return found


@pytest.fixture
def restore_language():
    before = i18n.language()
    yield
    i18n.set_language(before)


def _fields(text: str) -> list[tuple[str, str, str]]:
    """The str.format replacement fields of a text: (name, conversion, format spec), sorted."""
    out = []
    for _lit, name, spec, conv in string.Formatter().parse(text):
        if name is not None:
            out.append((name, conv or "", spec or ""))
    return sorted(out)


def _translated(message) -> bool:
    if isinstance(message.string, tuple):
        return all(s.strip() for s in message.string)
    return bool(message.string and message.string.strip())


# ---------------------------------------------------------------- the catalog is complete

def test_source_has_strings_to_translate(extracted):
    assert len(extracted) > 100
    assert "&File" in extracted or "Operations calendar" in extracted


def test_every_source_string_has_a_thai_translation(extracted, th_catalog):
    missing = []
    for msgid, forms in sorted(extracted.items()):
        key = msgid if len(forms) == 1 else forms
        m = th_catalog.get(key)
        if m is None or not _translated(m) or m.fuzzy:
            missing.append(msgid)
    assert not missing, (f"{len(missing)} strings lack a Thai translation; run scripts/i18n_update.sh and "
                         f"translate them in {_po_path('th').relative_to(ROOT)}:\n" + "\n".join(missing[:40]))


def test_both_catalogs_hold_exactly_the_source_strings(extracted):
    for lang in i18n.LANGUAGES:
        cat = _read(lang)
        ids = {(m.id if isinstance(m.id, str) else m.id[0]) for m in cat if m.id}
        assert ids >= set(extracted), f"{lang}: run scripts/i18n_update.sh ({len(set(extracted) - ids)} new)"
        assert not [m.id for m in cat if m.id and m.fuzzy], f"{lang}: fuzzy entries are not used by gettext"


def test_english_catalog_does_not_contradict_the_source():
    # English may leave msgstr empty (gettext shows the msgid); anything filled must keep the placeholders
    for m in _read("en"):
        if m.id and isinstance(m.string, str) and m.string:
            assert _fields(m.string) == _fields(m.id), m.id


# ---------------------------------------------------------------- the translations are well-formed

def test_thai_translations_keep_placeholders_and_whitespace(th_catalog):
    bad = []
    for m in th_catalog:
        if not m.id or not _translated(m):
            continue
        ids = (m.id,) if isinstance(m.id, str) else m.id
        strs = (m.string,) if isinstance(m.string, str) else m.string
        for s in strs:
            try:
                got = _fields(s)
            except ValueError as exc:
                bad.append(f"{ids[0]!r}: broken braces in {s!r} ({exc})")
                continue
            if got not in [_fields(i) for i in ids]:
                bad.append(f"{ids[0]!r}: placeholders {got} in {s!r}")
            lead, trail = re.match(r"\s*", ids[0]).group(), re.search(r"\s*$", ids[0]).group()
            if re.match(r"\s*", s).group() != lead or re.search(r"\s*$", s).group() != trail:
                bad.append(f"{ids[0]!r}: leading/trailing whitespace differs in {s!r}")
            if s.count("\n") != ids[0].count("\n"):
                bad.append(f"{ids[0]!r}: line breaks differ in {s!r}")
            if ids[0].count("&") - ids[0].count("&&") and s.count("&") > 1:
                bad.append(f"{ids[0]!r}: more than one accelerator in {s!r}")
    assert not bad, "\n".join(bad)


def test_thai_translations_are_thai(th_catalog):
    """A Thai msgstr without Thai letters is only right for names, codes and formats (PMQA Desktop,
    "{form}…", "TH Sarabun New") or Latin terms the Thai forms themselves use (the seed's "e-mail")."""
    latin_ok = r"\{[^{}]*\}|<[^>]*>|PMQA Desktop|PMQA|TH Sarabun New|PDF|KPI|e-mail"
    untranslated = []
    for m in th_catalog:
        if not m.id or not isinstance(m.string, str) or not m.string or THAI.search(m.string):
            continue
        if re.search(r"[A-Za-z]{3,}", re.sub(latin_ok, "", m.string)):
            untranslated.append(m.id)
    assert not untranslated, untranslated


def test_catalogs_are_valid_and_compile():
    for lang in i18n.LANGUAGES:
        with open(_po_path(lang), "rb") as fh:
            cat = read_po(fh, locale=lang, abort_invalid=True)
        # Babel also compares %-placeholders of anything that looks %-formatted, but the program formats
        # with str.format only (see test_no_format_inside_the_translated_string) and "{done:.0f}% done"
        # or "(% of steps done)" merely look like "% d" / "% o" to it: those reports are left out.
        errors = [(m.id, e) for m, errs in cat.check() for e in errs
                  if not ("python-format" in m.flags and "placeholder" in str(e))]
        assert not errors, errors[:10]
        buf = io.BytesIO()
        write_mo(buf, cat)
        buf.seek(0)
        assert len(gettext.GNUTranslations(buf)._catalog) >= sum(1 for m in cat if m.id and m.string)


def test_no_format_inside_the_translated_string():
    """_(f"..."), _("...".format()) or _(variable) cannot be extracted (the msgid must be a literal), and
    translated text is filled with str.format, never with %."""
    bad = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "ngettext") and node.args):
                arg = node.args[0]
                if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                    # f-strings, "a" + b, "...".format(), or a variable: Babel cannot extract any of them
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:80]}")
            # "..." % values on a translated string: the catalogs only keep {placeholders}
            if (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Call)
                    and isinstance(node.left.func, ast.Name) and node.left.func.id in ("_", "ngettext")):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno} (% formatting)")
    assert not bad, bad


# ---------------------------------------------------------------- the program uses them

def test_set_language_switches_between_thai_and_english(th_catalog, restore_language):
    msgid = "Operations calendar"
    expected = th_catalog.get(msgid).string
    assert THAI.search(expected)
    assert i18n.set_language("th") == "th"
    assert i18n._(msgid) == expected
    assert i18n.set_language("en") == "en"
    assert i18n._(msgid) == msgid
    assert i18n.set_language("th_TH") == "th" and i18n._(msgid) == expected
    assert i18n.set_language("fr") == "th" and i18n.language() == "th"
    # a string the catalog does not know comes back as it is
    assert i18n._("no such msgid 12345") == "no such msgid 12345"


def test_ngettext_works_in_both_languages(restore_language):
    i18n.set_language("en")
    assert i18n.ngettext("{n} file", "{n} files", 1) == "{n} file"
    assert i18n.ngettext("{n} file", "{n} files", 2) == "{n} files"
    i18n.set_language("th")
    assert i18n.ngettext("{n} file", "{n} files", 2) == "{n} files"   # unknown: falls back


def test_po_is_compiled_in_memory_and_a_stale_mo_is_ignored(tmp_path, monkeypatch, restore_language):
    """No .mo is committed: the .po is read directly; a .mo only wins when it is newer than the .po."""
    base = tmp_path / "i18n" / "th" / "LC_MESSAGES"
    base.mkdir(parents=True)
    po = base / f"{DOMAIN}.po"
    po.write_bytes(_po_path("th").read_bytes())
    monkeypatch.setattr(i18n, "i18n_dir", lambda: tmp_path / "i18n")
    expected = _read("th").get("Operations calendar").string

    assert not (base / f"{DOMAIN}.mo").exists()
    i18n.set_language("th")
    assert i18n._("Operations calendar") == expected

    # an older .mo saying something else must not hide the newer .po
    stale = _read("th")
    stale.get("Operations calendar").string = "STALE"
    mo = base / f"{DOMAIN}.mo"
    with open(mo, "wb") as fh:
        write_mo(fh, stale)
    os.utime(mo, (po.stat().st_mtime - 100, po.stat().st_mtime - 100))
    i18n.set_language("th")
    assert i18n._("Operations calendar") == expected
    # a newer .mo (an installed, compiled build) is used
    os.utime(mo, (po.stat().st_mtime + 100, po.stat().st_mtime + 100))
    i18n.set_language("th")
    assert i18n._("Operations calendar") == "STALE"


def test_repository_holds_no_compiled_catalog():
    assert not list(I18N.rglob("*.mo")), "the .mo files are built in memory and must not be committed"


def _foreign_db(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT)")
    con.commit()
    con.close()
    return path


def test_user_error_is_thai_by_default(tmp_path, monkeypatch, restore_language):
    from pmqa_desktop.core.errors import ForeignFileError
    from pmqa_desktop.core.storage import Actor, Store
    monkeypatch.delenv("PMQA_LANG", raising=False)
    assert i18n.set_language() == "th"
    path = _foreign_db(tmp_path / "accounts.db")
    before = path.read_bytes()
    with pytest.raises(ForeignFileError) as exc:
        Store.open(path, Actor(office="สำนักงานจังหวัดราชบุรี", clerk="ทดสอบ"))
    assert THAI.search(exc.value.message), exc.value.message
    assert "accounts.db" in exc.value.message
    assert path.read_bytes() == before
    # and in English when asked
    i18n.set_language("en")
    with pytest.raises(ForeignFileError) as exc:
        Store.open(path, Actor(office="x", clerk="y"))
    assert not THAI.search(exc.value.message) and "accounts.db" in exc.value.message


def test_command_line_speaks_thai_without_being_told(tmp_path):
    path = _foreign_db(tmp_path / "accounts.db")
    env = {k: v for k, v in os.environ.items() if k != "PMQA_LANG"}
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    run = subprocess.run([sys.executable, "-m", "pmqa_desktop", "check", str(path)], env=env,
                         capture_output=True, text=True, encoding="utf-8", timeout=60)
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert THAI.search(out) and "accounts.db" in out and "Traceback" not in out, out
    env["PMQA_LANG"] = "en"
    run = subprocess.run([sys.executable, "-m", "pmqa_desktop", "check", str(path)], env=env,
                         capture_output=True, text=True, encoding="utf-8", timeout=60)
    out = run.stdout + run.stderr
    assert run.returncode == 1 and not THAI.search(out) and "accounts.db" in out, out


def test_two_checkouts_keep_their_own_compiled_catalogs(tmp_path, monkeypatch, restore_language):
    """Two source checkouts on one PC (the same .po in two folders) each keep their compiled
    catalog in the cache: reading one does not throw the other's away, so neither compiles again
    (Babel's reading of a .po costs ~0.1 s at every start that has to do it)."""
    import babel.messages.pofile as pofile
    dirs = []
    for name in ("one", "two"):
        base = tmp_path / name / "i18n" / "th" / "LC_MESSAGES"
        base.mkdir(parents=True)
        (base / f"{DOMAIN}.po").write_bytes(_po_path("th").read_bytes())
        dirs.append(tmp_path / name / "i18n")
    monkeypatch.setenv("PMQA_CACHE_DIR", str(tmp_path / "cache"))
    compiled = []
    real = pofile.read_po
    monkeypatch.setattr(pofile, "read_po", lambda *a, **k: compiled.append(1) or real(*a, **k))
    expected = _read("th").get("Operations calendar").string
    for d in dirs * 2:
        monkeypatch.setattr(i18n, "i18n_dir", lambda d=d: d)
        i18n.set_language("th")
        assert i18n._("Operations calendar") == expected
    assert len(compiled) == 2, "each checkout's catalog is compiled once"
    # a changed .po is compiled again, and its old compiled catalog goes
    po = dirs[0] / "th" / "LC_MESSAGES" / f"{DOMAIN}.po"
    po.write_bytes(po.read_bytes() + b"\n")
    monkeypatch.setattr(i18n, "i18n_dir", lambda: dirs[0])
    i18n.set_language("th")
    assert len(compiled) == 3
    assert len(list((tmp_path / "cache" / "i18n").rglob("*.mo"))) == 2
