"""What this installation has and where it keeps things: for ``pmqa-desktop diagnose`` and Help >
About, so a clerk can read it out to IT support. Every part the program needs is checked;
anything missing is marked, and ``diagnose`` then exits 1.
"""
from __future__ import annotations

import importlib
import platform
import sqlite3
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable

from . import __version__
from .i18n import _, ngettext

# Libraries the program loads only when a feature is used; a frozen build must carry them all.
LIBRARIES = ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg", "reportlab",
             "uharfbuzz", "pypdfium2", "sqlite_utils", "babel",
             "docx", "openpyxl", "lxml.etree")   # Word and Excel import and export
MIN_WORDS = 10_000    # the Thai word list has tens of thousands; far fewer means a wrong or cut file


@dataclass
class Line:
    label: str
    value: str
    ok: bool = True


def _try(label: str, fn) -> Line:
    try:
        value, ok = fn()
    except Exception as exc:   # a part that cannot even be looked at is missing
        return Line(label, f"{type(exc).__name__}: {exc}", False)
    return Line(label, value, ok)


def _font():
    from .printing.fonts import get_font
    font = get_font("auto")
    path = font.face(False).path
    if font.key == "Sarabun":
        return f"TH Sarabun New ({path})", True
    return _("{name} (bundled; TH Sarabun New is not installed) {path}").format(name=font.label, path=path), True


def _words():
    from .core.thai_text import dictionary
    n = len(dictionary())
    return ngettext("{n} word", "{n} words", n).format(n=f"{n:,}"), n >= MIN_WORDS


def _translations():
    from .i18n import LANGUAGES, _load, catalog_source
    parts, ok = [], True
    for lang in LANGUAGES:
        src = catalog_source(lang)
        # the messages are written in English, so the English catalog may translate none of them
        n = max(len(getattr(_load(lang), "_catalog", {})) - 1, 0) if src is not None else 0   # less the header
        if src is None or (n == 0 and lang != "en"):
            ok = False
            parts.append(f"{lang}: " + _("missing"))
        else:
            parts.append(f"{lang}: {n} ({src})")
    return ", ".join(parts), ok


def _module(name: str):
    mod = importlib.import_module(name)
    version = getattr(mod, "__version__", "")
    return (_("loaded") + (f" {version}" if isinstance(version, str) and version else "")), True


def report(features: Callable[[], Iterable[str]] | None = None) -> list[Line]:
    """Every check, as lines. ``features`` gives the window's parts by module name (the main
    window's ``feature_modules``; passed in, since the window shows this report in Help > About)."""
    from .logfile import log_path
    from .paths import data_dir, default_db_path
    from .settings import settings_path
    lines = [
        Line(_("Program"), f"PMQA Desktop {__version__}"),
        Line("Python", f"{platform.python_version()} ({platform.platform()}), SQLite {sqlite3.sqlite_version}"),
        _try(_("Data folder"), lambda: (str(data_dir()), True)),
        _try(_("Default database"), lambda: (str(default_db_path()), True)),
        _try(_("Settings file"), lambda: (str(settings_path()), True)),
        _try(_("Log file"), lambda: (str(log_path()), True)),
        _try(_("Print font"), _font),
        _try(_("Thai word list"), _words),
        _try(_("Translations"), _translations),
    ]
    lines += [_try(_("Library {name}").format(name=name), lambda name=name: _module(name)) for name in LIBRARIES]
    if features is None:
        return lines
    try:
        names = tuple(features())
    except Exception as exc:
        return lines + [Line(_("Parts of the window"), f"{type(exc).__name__}: {exc}", False)]
    lines += [_try(_("Part {name}").format(name=name), lambda name=name: _module(name)) for name in names]
    return lines


def _columns(text: str) -> int:
    """Width on screen: Thai vowels and tone marks above or below a letter take no column."""
    return sum(unicodedata.category(ch) != "Mn" for ch in text)


def format_report(lines: list[Line]) -> str:
    width = max(_columns(line.label) for line in lines)
    marks = {True: "OK", False: _("MISSING")}
    mark_width = max(_columns(m) for m in marks.values())
    out = []
    for line in lines:
        mark, label = marks[line.ok], line.label
        out.append(f"{mark}{' ' * (mark_width - _columns(mark))} {label}{' ' * (width - _columns(label))}  {line.value}")
    missing = sum(not line.ok for line in lines)
    out.append(_("Everything the program needs is present.") if not missing
               else ngettext("{n} part missing: reinstall the program or send this text to IT support.",
                             "{n} parts missing: reinstall the program or send this text to IT support.",
                             missing).format(n=missing))
    return "\n".join(out)


def run_diagnose(features: Callable[[], Iterable[str]] | None = None) -> int:
    lines = report(features)
    print(format_report(lines))
    return 0 if all(line.ok for line in lines) else 1
