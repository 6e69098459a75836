"""Merge every file in a folder: what a province receives from its agencies, taken in together.

One preview, one backup, one commit. The files are first merged one after another (with
``merge``, nothing copied from it) into a private copy of our file; that copy is then merged into
our file in a single transaction, after the one backup. So the province's file either takes every
agency's file or none of them, and the result is the same as merging them one by one. The
conflicts found between an agency's file and ours travel with it (named by the agency's file).

A damaged or foreign file among them is named and refused before anything is merged: nothing is
changed, not even the private copy is kept.
"""
from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ...i18n import _
from ..errors import FileProblem
from ..storage.store import Store
from .merge import ConflictInfo, MergeReport, merge, outcome_lines, table_label
from .safety import check_file

_SKIP_SUFFIXES = ("-journal", "-wal", "-shm", ".lock", ".tmp", ".part")


@dataclass
class FolderReport:
    """Each file's report (as merged after the ones before it) and the whole merge's."""
    folder: Path
    dry_run: bool
    files: list[MergeReport] = field(default_factory=list)
    total: MergeReport | None = None
    applied: bool = False
    backup: Path | None = None

    @property
    def conflicts(self) -> int:
        return sum(len(r.conflicts) for r in self.files)

    @property
    def changes_nothing(self) -> bool:
        return all(r.changes_nothing for r in self.files)

    def lines(self) -> list[str]:
        out = [_("Merge of every file in {folder}: {n} files.").format(folder=self.folder.name or str(self.folder),
                                                                        n=len(self.files))]
        for r in self.files:
            t = r.totals()
            out.append("  " + _("{name}: {add} added, {change} changed, {delete} deleted, {conflict} conflicts").format(
                name=r.source.name, add=t.add, change=t.change, delete=t.delete, conflict=t.conflict))
        return out + outcome_lines(self)


def folder_files(folder: str | Path, db: Path | None = None) -> list[Path]:
    """The files of ``folder`` to merge, by name (not hidden ones, journals, or our own file)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileProblem(_("{path} is not a folder.").format(path=folder))
    own = db.resolve() if db else None
    files = sorted((p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                    and not p.name.endswith(_SKIP_SUFFIXES) and (own is None or p.resolve() != own)),
                   key=lambda p: p.name)
    if not files:
        raise FileProblem(_("{path} holds no files to merge.").format(path=folder))
    return files


def check_folder(files: list[Path]) -> None:
    """Refuse the whole folder, naming every damaged or foreign file in it."""
    bad: list[str] = []
    for p in files:
        try:
            res = check_file(p, thorough=False)
        except FileProblem as exc:
            bad.append(f"{p.name}: {exc}")
            continue
        if res.newer:
            bad.append(f"{p.name}: " + _("{name} was saved by a newer version of PMQA Desktop; update the program "
                                         "before merging it. Nothing was changed.").format(name=p.name))
    if bad:
        raise FileProblem(_("These files cannot be merged, so none of the folder was merged and nothing was "
                            "changed:") + "\n" + "\n".join(bad))


def merge_folder(store: Store, folder: str | Path, dry_run: bool = False, *, backup: bool = True) -> FolderReport:
    """Merge every file in ``folder`` into ``store`` in one transaction (or only preview it)."""
    folder = Path(folder)
    if not dry_run:
        store._writable()
    if folder.is_file():
        raise FileProblem(_("{path} is a file, not a folder. Choose the folder holding the files.").format(path=folder))
    files = folder_files(folder, store.path)
    check_folder(files)
    report = FolderReport(folder, dry_run)
    with tempfile.TemporaryDirectory(prefix="pmqa-folder-") as tmp:
        staging_path = Path(tmp) / "staging.db"
        with store._lock:
            target = sqlite3.connect(staging_path)
            try:
                store.conn.backup(target)   # (a consistent copy, even while the window has the file open)
            finally:
                target.close()
        staging = Store.open(staging_path, store.actor, check="")
        try:
            first = staging.conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM conflict").fetchone()[0]
            for p in files:
                try:
                    report.files.append(merge(staging, p, backup=False))
                except FileProblem as exc:   # (checked above; e.g. changed since)
                    raise FileProblem(_("{name} cannot be merged, so none of the folder was merged and nothing "
                                        "was changed:").format(name=p.name) + "\n" + str(exc)) from exc
            carried = [ConflictInfo(r["table_name"], r["row_id"], r["kept_rev"], r["other_rev"], True,
                                    table_label(r["table_name"]), source=r["source"])
                       for r in staging.query("SELECT * FROM conflict WHERE rowid > ? ORDER BY rowid", (first,))]
        finally:
            staging.close()
        if dry_run or report.changes_nothing:
            return report
        report.total = merge(store, staging_path, backup=backup, carried=carried)
        report.applied = report.total.applied
        report.backup = report.total.backup
    return report


