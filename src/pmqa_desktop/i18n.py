"""gettext for every user-visible string; Thai is the default language, English the second.

Catalogs live in the repository's ``i18n/`` folder as .po files. A built package (pip install,
the installers) carries them compiled, as .mo files in ``pmqa_desktop/data/locale/`` (setup.py),
so nothing is compiled on a clerk's PC; in a source checkout Babel compiles the .po into memory
when no up-to-date .mo is beside it, so a fresh checkout needs no build step.
"""
from __future__ import annotations

import gettext as _gettext
import zlib
import io
import os
from pathlib import Path

from .resources import i18n_dir, locale_dir

DOMAIN = "pmqa_desktop"
LANGUAGES = ("th", "en")
_current: _gettext.NullTranslations = _gettext.NullTranslations()
_language = "th"
_loaded = [""]   # the language whose catalog _current holds


def _load(lang: str) -> _gettext.NullTranslations:
    """The catalog of ``lang``: a .mo beside the .po when newer (an installed build), else the
    .po compiled by Babel.

    Compiling costs about a second, so the result is cached in the user's cache folder, in a
    folder named by the .po's path, under a name made from its size and time, and reused while
    the .po is unchanged (each checkout's own: several checkouts on one PC do not compile again
    after each other).
    """
    base = i18n_dir() / lang / "LC_MESSAGES"
    po, mo = base / f"{DOMAIN}.po", base / f"{DOMAIN}.mo"
    if not po.exists():
        built = compiled_catalog(lang)
        return _read_mo(built) if built is not None else _gettext.NullTranslations()
    st = po.stat()
    if mo.exists() and mo.stat().st_mtime >= st.st_mtime:
        return _read_mo(mo)
    # in a folder named by the .po's folder, under a name made from its version: each checkout
    # on the PC keeps its own (one checkout's start must not throw away the catalog another one
    # compiled; earlier versions of this module kept one per language, right in _cache_dir())
    where = "%08x" % zlib.crc32(str(po.resolve()).encode())
    version = "%08x" % zlib.crc32(f"{st.st_size}|{st.st_mtime_ns}".encode())
    cached = _cache_dir() / where / f"{DOMAIN}-{lang}-{version}.mo"
    if cached.exists():
        try:
            return _read_mo(cached)
        except (OSError, ValueError):
            pass
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    with open(po, "rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    data = buf.getvalue()
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(cached.name + f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, cached)
        for old in cached.parent.glob(f"{DOMAIN}-{lang}-*.mo"):   # earlier versions of the catalog
            if old != cached:
                old.unlink()
    except OSError:
        pass  # no cache: compile again next time
    return _gettext.GNUTranslations(io.BytesIO(data))


def compiled_catalog(lang: str) -> Path | None:
    """The .mo a built package carries for ``lang`` (or one beside a checkout's .po), if any."""
    for mo in (locale_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.mo",
               i18n_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"):
        if mo.exists():
            return mo
    return None


def catalog_source(lang: str) -> Path | None:
    """Where ``lang``'s messages come from: the checkout's .po, else the built .mo."""
    po = i18n_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    return po if po.exists() else compiled_catalog(lang)


def _read_mo(path: Path) -> _gettext.GNUTranslations:
    with open(path, "rb") as fh:
        return _gettext.GNUTranslations(fh)


def _cache_dir() -> Path:
    from .paths import cache_dir
    return cache_dir() / "i18n"


def set_language(lang: str | None = None) -> str:
    """Switch the language of all later ``_()`` calls; returns the language in force."""
    global _current, _language
    lang = (lang or os.environ.get("PMQA_LANG") or "th").split("_")[0].lower()
    if lang not in LANGUAGES:
        lang = "th"
    _language = lang
    _loaded[0] = ""
    _current = _load(lang)
    _loaded[0] = lang
    return lang


def use_language(lang: str | None = None) -> str:
    """``set_language``, unless that language's catalog is already the one in force (the one read
    when this module was imported serves the program's start: each reading costs ~10 ms)."""
    wanted = (lang or os.environ.get("PMQA_LANG") or "th").split("_")[0].lower()
    if wanted == _language and _loaded[0] == wanted:
        return wanted
    return set_language(lang)


def language() -> str:
    return _language


def english_screen() -> bool:
    """True when the UI is in English: month headers and such follow (the data stays as typed)."""
    return _language == "en"


def _(message: str) -> str:
    return _current.gettext(message)


def gettext_in(lang: str, message: str) -> str:
    """``message`` in a given language (for a message about switching to it)."""
    return (_load(lang) if lang in LANGUAGES else _current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


set_language()
