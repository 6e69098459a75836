"""``pmqa-desktop export / merge / check / backup / restore`` (parsers are in ``pmqa_desktop.cli``).

Exit status: 0 done, 1 the user must act (message printed). ``UserError`` raised here is
printed by the caller.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ... import settings
from ...i18n import _, ngettext
from ..storage.store import Actor
from . import backup as backups
from . import open_for_editing, release
from .exchange import export
from .merge import merge
from .safety import check_file


def _actor() -> Actor:
    ident = settings.identity()
    return Actor(office=ident.office, clerk=ident.clerk)


def run_export(args: argparse.Namespace) -> int:
    res = export(Path(args.db), Path(args.out), orgs=args.org, years=args.year, plans=args.plan,
                 without_plans=getattr(args, "without_plan", None))
    print(_("Exchange file written: {path} ({size}).").format(path=res.path, size=backups.human_size(res.size)))
    if res.selection:
        print(_("Selection: {sel}").format(sel=res.selection))
    return 0


def _is_folder(path: Path) -> bool:
    from .merge import folder_message
    if path.is_dir():
        print(folder_message(path), file=sys.stderr)
        return True
    return False


def run_merge(args: argparse.Namespace) -> int:
    """One file merged, or with ``--folder`` every file in a folder at once (one preview, one backup,
    one commit)."""
    db = Path(args.db)
    if not args.folder and not args.incoming:
        print(_("Name the file to merge, or a folder with --folder."), file=sys.stderr)
        return 1
    if _is_folder(db):
        return 1
    if args.folder:
        from .folder import merge_folder as merge_source
        source = Path(args.folder)
    else:
        merge_source, source = merge, Path(args.incoming)
        if _is_folder(source):
            print(_("To merge every file in a folder at once, give it with --folder."), file=sys.stderr)
            return 1
    if not db.is_file():
        print(_("The file {path} does not exist.").format(path=db), file=sys.stderr)
        return 1
    store = open_for_editing(db, _actor(), read_only=bool(args.dry_run), backup=False)  # the merge backs up
    try:
        if store.read_only and not args.dry_run:
            print(store.read_only_reason, file=sys.stderr)
            return 1
        report = merge_source(store, source, dry_run=bool(args.dry_run))
        for line in report.lines():
            print(line)
        if report.backup:
            print(_("Backup made before merging: {path}").format(path=report.backup))
        conflicts = report.conflicts if isinstance(report.conflicts, int) else len(report.conflicts)
        if report.applied and conflicts:
            print(ngettext("{n} conflict: the newer edit was kept; review it in the program (File > Merge a file...).",
                           "{n} conflicts: the newer edit was kept; review them in the program "
                           "(File > Merge a file...).", conflicts).format(n=conflicts))
    finally:
        release(store, backup=False)
    return 0


def run_check(args: argparse.Namespace) -> int:
    if _is_folder(Path(args.file)):
        return 1
    res = check_file(Path(args.file))
    print(res.message)
    return 0


def run_backup(args: argparse.Namespace) -> int:
    db = Path(args.db)
    if getattr(args, "budget", None) is not None:
        removed = backups.set_budget_mb(args.budget, db)
        print(ngettext("All backups together may now take {mb} MB; {n} old backup was removed to fit.",
                       "All backups together may now take {mb} MB; {n} old backups were removed to fit.",
                       len(removed)).format(
            mb=backups.budget_mb(), n=len(removed)))
        return 0
    if args.list:
        items = backups.list_backups(db)
        print(backups.usage_line(items))
        if not items:
            print(_("There are no backups of {name} yet.").format(name=db.name))
        for i, b in enumerate(items, 1):
            print(f"{i:3d}  {b.local_time.strftime('%Y-%m-%d %H:%M:%S')}  {backups.human_size(b.size):>9}  "
                  f"{b.reason_label}  {b.path.name}")
        return 0
    if not db.is_file():
        print(_("The file {path} does not exist.").format(path=db), file=sys.stderr)
        return 1
    from ..storage.store import Store
    store = Store.open(db, _actor(), read_only=True, check="")
    try:
        path = backups.backup_now(store, "manual")
    finally:
        store.close()
    print(_("Backup written: {path}").format(path=path))
    return 0


def run_restore(args: argparse.Namespace) -> int:
    db = Path(args.db)
    before = backups.restore_backup(db, args.backup, _actor())
    print(_("{name} restored from {backup}.").format(name=db.name, backup=Path(args.backup).name))
    if before:
        print(_("The file as it was before is kept as backup {path}").format(path=before))
    return 0
