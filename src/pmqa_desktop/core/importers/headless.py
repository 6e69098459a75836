"""``pmqa-desktop import-text``: the same import as the GUI's, without the GUI."""
from __future__ import annotations

import sys
from pathlib import Path

from ...i18n import _, ngettext
from ...settings import identity
from ..errors import ImportProblem, UserError
from ..storage import planning
from ..storage.store import Actor, Store


def resolve_target(store: Store, org_name: str | None, title_province: str | None, year_be: int,
                   create: bool = True) -> tuple[dict, str]:
    """The organisation and fiscal year an import goes to.

    The organisation is the one named (or, failing that, the one in the document's title;
    created if new), else the file's only one.
    """
    orgs = planning.organisations(store)
    org = None
    name = org_name or (f"จังหวัด{title_province}" if title_province else None)
    if name:
        org = planning.find_organisation(store, name)
        if org is None:
            if not create:
                raise UserError(_("There is no organisation named {name} in this file.").format(name=name))
            oid = planning.add_organisation(store, name, province=title_province or "")
            org = store.get("organisation", oid)
    elif len(orgs) == 1:
        org = orgs[0]
    elif not orgs:
        raise UserError(_("The file has no organisation yet: name one with --org."))
    else:
        raise UserError(_("The file holds several organisations: name one with --org ({names}).").format(
            names=", ".join(o["name"] for o in orgs)))
    year = planning.find_year(store, org["id"], year_be)
    year_id = year["id"] if year else planning.add_fiscal_year(store, org["id"], year_be)
    return org, year_id


def import_text(db: Path, kind: str, year_be: int, org_name: str | None, source: Path,
                year_anyway: bool = False) -> int:
    return import_file(db, kind, year_be, org_name, source, year_anyway=year_anyway)


def import_file(db: Path, kind: str, year_be: int, org_name: str | None, source: Path, sheet: str | None = None,
                join_wrapped: bool = False, year_anyway: bool = False) -> int:
    """``pmqa-desktop import``: a Word, Excel or text file read, every problem listed, then
    written all or nothing (after a backup of the file as it was).

    A document that names another fiscal year than ``year_be`` is refused before the file is
    opened (nothing written, no backup) unless ``year_anyway``: a form mixing two years would
    otherwise reach the governor unnoticed."""
    from .document_year import year_clash
    from ..demo import ensure_catalog
    from . import schedule_import
    from .sources import parse_source, problem_text, read_source, remove_wrap_spaces, wrap_fixes
    src = read_source(source, sheet)
    preview = parse_source(kind, src, year_be)
    for p in preview.problems:
        print(problem_text(p), file=sys.stderr)
    fixes = wrap_fixes(preview)
    if join_wrapped:
        n = remove_wrap_spaces(preview)
        print(ngettext("Spaces typed only to wrap lines were removed from {n} text.",
                       "Spaces typed only to wrap lines were removed from {n} texts.", n).format(n=n), file=sys.stderr)
    elif fixes:
        print(ngettext("{n} text holds spaces between Thai letters that may only wrap lines in a narrow cell "
                       "(e.g. '{old}'); kept as written. --join-wrapped removes them.",
                       "{n} texts hold spaces between Thai letters that may only wrap lines in a narrow cell "
                       "(e.g. '{old}'); kept as written. --join-wrapped removes them.", len(fixes)).format(
            n=len(fixes), old=fixes[0][0][:40]), file=sys.stderr)
    if preview.errors:
        raise ImportProblem(ngettext("Nothing was imported: {n} row could not be read (listed above).",
                                     "Nothing was imported: {n} rows could not be read (listed above).",
                                     len(preview.errors)).format(n=len(preview.errors)))
    clash = year_clash(preview, year_be)
    if clash is not None:
        if not year_anyway:
            raise UserError(clash.cli_text())
        print(clash.sentence() + " " + _("Imported anyway (--year-anyway)."), file=sys.stderr)
    ident = identity()
    store = Store.open(db, Actor(office=ident.office, clerk=ident.clerk))
    try:
        if store.path is not None and store.path.exists() and planning.organisations(store):
            from ..sharing import backup_now
            backup_now(store, "import")   # the file as it was, before the import
        with store.transaction():
            if kind != "catalog":
                ensure_catalog(store)
            org, year_id = resolve_target(store, org_name, getattr(preview, "province", None), year_be)
            if kind == "calendar":
                n = schedule_import.apply_calendar(store, preview, year_id)
            elif kind == "weekly":
                n = schedule_import.apply_weekly(store, preview, year_id)
            elif kind == "catalog":
                from .catalog_import import apply_catalog
                n = apply_catalog(store, preview, year_id)
            elif kind == "progress":
                from .progress_import import apply_progress
                try:
                    n = apply_progress(store, preview, year_id)
                except ImportProblem:   # rows naming no plan, KPI or step of the file: listed like the others
                    for p in preview.errors:
                        print(problem_text(p), file=sys.stderr)
                    raise
            else:
                from .devplan_import import apply_devplan
                n = apply_devplan(store, preview, year_id)
    finally:
        store.close()
    print(ngettext("Imported {n} row into {org}, fiscal year {year}.",
                   "Imported {n} rows into {org}, fiscal year {year}.", n).format(n=n, org=org["name"], year=year_be))
    return 0
