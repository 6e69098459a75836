"""``pmqa-desktop rollover``: the window's Tools > Roll over, without the window."""
from __future__ import annotations

from pathlib import Path

from ..i18n import _
from ..settings import identity
from .errors import UserError
from .storage import planning
from .storage.store import Actor, Store
from .thai_calendar import from_thai_digits


def pick_organisation(store: Store, name: str | None) -> dict:
    """The organisation named (by name or province), else the file's only one."""
    orgs = planning.organisations(store)
    if name:
        org = planning.find_organisation(store, name)
        if org is None:
            raise UserError(_("There is no organisation named {name} in this file ({names}).").format(
                name=name, names=", ".join(o["name"] for o in orgs) or "-"))
        return org
    if len(orgs) == 1:
        return orgs[0]
    if not orgs:
        raise UserError(_("The file has no organisation yet: name one with --org."))
    raise UserError(_("The file holds several organisations: name one with --org ({names}).").format(
        names=", ".join(o["name"] for o in orgs)))


def read_year(text: str | None) -> int | None:
    """A B.E. fiscal year as typed ('2555' or '๒๕๕๕')."""
    if text is None:
        return None
    digits = from_thai_digits(text.strip())
    if not digits.isdigit() or not 2400 <= int(digits) <= 2700:
        raise UserError(_("'{value}' is not a fiscal year: give a Buddhist-era year such as 2554.").format(
            value=text))
    return int(digits)


def run_rollover(db: Path, org_name: str | None, from_text: str, to_text: str | None) -> int:
    from_be, to_be = read_year(from_text), read_year(to_text)
    if not db.is_file():
        raise UserError(_("The file {path} does not exist.").format(path=db))
    ident = identity()
    store = Store.open(db, Actor(office=ident.office, clerk=ident.clerk), create=False)
    try:
        if store.read_only:
            raise UserError(store.read_only_reason or _("This file is open read-only."))
        org = pick_organisation(store, org_name)
        src = planning.find_year(store, org["id"], from_be)
        if src is None:
            have = ", ".join(str(y["year_be"]) for y in planning.fiscal_years(store, org["id"])) or "-"
            raise UserError(_("{org} has no fiscal year {year} to roll over (it has: {years}).").format(
                org=org["name"], year=from_be, years=have))
        to_be = to_be or from_be + 1
        if to_be == from_be:
            raise UserError(_("The new fiscal year must differ from the one rolled over."))
        report = planning.RolloverReport()
        planning.roll_over(store, src["id"], to_be, report)   # (a ValidationError says what is wrong)
    finally:
        store.close()
    print(_("Rolled {org} over from fiscal year {old} to {new}.").format(org=org["name"], old=from_be, new=to_be))
    for line in report.lines():
        print(line)
    return 0
