"""``pmqa-desktop print FORM --db FILE --year 2554 [--org NAME] [--plan ID] [--round 6|9|12]
--out F.pdf [--thai-digits]``"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..core.errors import UserError
from ..core.storage.store import Actor, Store
from ..i18n import _, ngettext
from .render import PrintSettings, missing_message, prewarm, print_to_pdf, resolve


def run_print(args: argparse.Namespace) -> int:
    db = Path(args.db)
    if not db.exists():
        raise UserError(_("The file {path} does not exist.").format(path=db))
    prewarm(PrintSettings.load().font)
    store = Store.open(db, Actor(office="print"), create=False, read_only=True)
    try:
        req = resolve(store, args.form, args.year, getattr(args, "org", None), getattr(args, "plan", None),
                      getattr(args, "round", None))
        ps = PrintSettings.load(args.form)   # the paper and orientation last chosen for this form
        if getattr(args, "thai_digits", False):
            ps.thai_digits = True
        if getattr(args, "font", None):
            ps.font = args.font
        ps.paper = getattr(args, "paper", None) or ps.paper                  # (this print only: not kept)
        ps.orientation = getattr(args, "orientation", None) or ps.orientation
        t0 = time.perf_counter()
        if Path(args.out).suffix.lower() in (".xlsx", ".docx"):   # the format follows the file's extension
            from .office_export import export_form
            rows = export_form(store, req, ps.options(), args.out)
            print(ngettext("{rows} row written to {path}", "{rows} rows written to {path}", rows).format(
                rows=rows, path=args.out), file=sys.stderr)
            return 0
        missing: set[str] = set()
        pages = print_to_pdf(store, req, args.out, ps.options(), missing=missing)
        dt = time.perf_counter() - t0
    finally:
        store.close()
    print(ngettext("{pages} page written to {path} in {secs:.1f} s", "{pages} pages written to {path} in {secs:.1f} s",
                   pages).format(pages=pages, path=args.out, secs=dt),
          file=sys.stderr)
    if missing:
        print(missing_message(missing), file=sys.stderr)
    return 0
