"""``pmqa-desktop search --db FILE TEXT``: each place in the file where TEXT is written."""
from __future__ import annotations

from pathlib import Path

from ..i18n import _, ngettext
from .errors import UserError
from .storage import search
from .storage.store import Store


def hit_line(hit: search.Hit) -> str:
    where = " | ".join(p for p in (hit.org, str(hit.year_be) if hit.year_be else "", hit.form, hit.place) if p)
    text = " ".join(hit.text.split())
    return f"{where}: {text if len(text) <= 120 else text[:119] + '…'}"


def run_search(db: Path, text: str) -> int:
    if not db.is_file():
        raise UserError(_("The file {path} does not exist.").format(path=db))
    if not text.strip():
        raise UserError(_("Give the text to look for."))
    store = Store.open(db, create=False)   # (a file without the index gets it here)
    try:
        hits = search.search(store, text)
    finally:
        store.close()
    for hit in hits:
        print(hit_line(hit))
    if hits.more:
        print(ngettext("More than {n} place holds “{text}”: the first {n} is listed. Give more of the text "
                       "to narrow the search.",
                       "More than {n} places hold “{text}”: the first {n} are listed. Give more of the text "
                       "to narrow the search.", len(hits)).format(n=len(hits), text=text))
    else:
        print(ngettext("{n} place holds “{text}”.", "{n} places hold “{text}”.", len(hits)).format(
            n=len(hits), text=text) if hits else
              _("“{text}” is not in this file.").format(text=text))
    return 0
