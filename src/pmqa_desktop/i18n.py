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
    """The catalog of ``lang``: a compiled .mo beside the .po or in the cache, else compiled now.

    Compiling a .po with Babel costs about a second, so the result is kept (beside the .po when
    that folder is writable, else in the user's cache) and reused while the .po is unchanged.
    """
    base = i18n_dir() / lang / "LC_MESSAGES"
    po, mo = base / f"{DOMAIN}.po", base / f"{DOMAIN}.mo"
    if not po.exists():
        return _read_mo(mo) if mo.exists() else _gettext.NullTranslations()
    stamp = po.stat().st_mtime
    for cand in (mo, _cache_dir() / f"{DOMAIN}-{lang}.mo"):
        if cand.exists() and cand.stat().st_mtime >= stamp:
            try:
                return _read_mo(cand)
            except (OSError, ValueError):
                pass
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    with open(po, "rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    data = buf.getvalue()
    for cand in (mo, _cache_dir() / f"{DOMAIN}-{lang}.mo"):
        try:
            cand.parent.mkdir(parents=True, exist_ok=True)
            tmp = cand.with_name(cand.name + f".{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, cand)
            break
        except OSError:
            continue
    return _gettext.GNUTranslations(io.BytesIO(data))


def _read_mo(path: Path) -> _gettext.GNUTranslations:
    with open(path, "rb") as fh:
        return _gettext.GNUTranslations(fh)


def _cache_dir() -> Path:
    base = os.environ.get("LOCALAPPDATA") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pmqa-desktop" / "i18n"


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
