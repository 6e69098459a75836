"""gettext for every user-visible string; Thai is the default language, English the second.

Catalogs live in the repository's ``i18n/`` folder as .po files; Babel compiles them into
memory when no up-to-date .mo is beside them, so a fresh checkout needs no build step.
"""
from __future__ import annotations

import gettext as _gettext
import io
import os
from pathlib import Path

from .resources import i18n_dir

DOMAIN = "pmqa_desktop"
LANGUAGES = ("th", "en")
_current: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "th"


def _load(lang: str) -> _gettext.NullTranslations:
    base = i18n_dir() / lang / "LC_MESSAGES"
    po, mo = base / f"{DOMAIN}.po", base / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with open(mo, "rb") as fh:
            return _gettext.GNUTranslations(fh)
    if po.exists():
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po
        with open(po, "rb") as fh:
            catalog = read_po(fh, locale=lang)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        return _gettext.GNUTranslations(buf)
    return _gettext.NullTranslations()


def set_language(lang: str | None = None) -> str:
    """Switch the language of all later ``_()`` calls; returns the language in force."""
    global _current, _language
    lang = (lang or os.environ.get("PMQA_LANG") or "th").split("_")[0].lower()
    if lang not in LANGUAGES:
        lang = "th"
    _language = lang
    _current = _load(lang)
    return lang


def language() -> str:
    return _language


def _(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


set_language()
