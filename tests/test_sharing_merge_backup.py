"""The backup a merge makes first: copied while the merge works, but holding the file exactly as it
was before the merge, synced and listed before the merge commits; a backup that cannot be made
stops the merge with nothing changed."""
import importlib
import os

import pytest

from pmqa_desktop.core.errors import FileProblem
from pmqa_desktop.core.sharing import list_backups, merge
from pmqa_desktop.core.storage.store import Actor, Store
from sharing_helpers import data_digest

pytestmark = pytest.mark.usefixtures("english")  # assertions read the English wording

backup_mod = importlib.import_module("pmqa_desktop.core.sharing.backup")


def _merge_backups(path):
    return [b for b in list_backups(path) if b.reason == "merge"]


@pytest.mark.parametrize("preview_first", [False, True], ids=["cold", "after-preview"])
def test_the_merge_backup_holds_the_file_as_before_the_merge(offices, preview_first):
    a, b = offices["A"], offices["B"]
    steps = a.select("calendar_step")
    a.update("calendar_step", steps[0]["id"], {"text": "edited at A"})
    new_id = a.insert("calendar_step", {"year_id": steps[0]["year_id"], "text": "new at A"})
    before = data_digest(b)
    seen = []
    real_publish = backup_mod._publish

    def publish(db_path, tmp, *args):
        # listed while the merge's transaction is still open: our file not yet changed on disk
        probe = Store.open(db_path, Actor(), read_only=True, check="")
        try:
            seen.append(probe.get("calendar_step", new_id))
        finally:
            probe.close()
        return real_publish(db_path, tmp, *args)
    if preview_first:
        merge(b, a.path, dry_run=True)
    backup_mod._publish = publish
    try:
        report = merge(b, a.path)
    finally:
        backup_mod._publish = real_publish
    assert report.applied and report.backup is not None and report.backup.exists()
    assert seen == [None]
    assert [x.path for x in _merge_backups(b.path)] == [report.backup]
    assert not list(report.backup.parent.glob(".*.part"))
    copy = Store.open(report.backup, Actor(), read_only=True)
    try:
        assert data_digest(copy) == before
        assert copy.get("calendar_step", new_id) is None
    finally:
        copy.close()
    assert b.get("calendar_step", new_id)["text"] == "new at A"
    assert b.get("calendar_step", steps[0]["id"])["text"] == "edited at A"


def test_a_backup_that_cannot_be_made_stops_the_merge_with_nothing_changed(offices, monkeypatch):
    a, b = offices["A"], offices["B"]
    a.update("calendar_step", a.select("calendar_step")[0]["id"], {"text": "edited at A"})
    before = data_digest(b)

    def broken_fsync(path):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(backup_mod, "fsync_file", broken_fsync)
    with pytest.raises(FileProblem) as err:
        merge(b, a.path)
    assert str(err.value).startswith(f"A backup of {b.path.name} could not be made")
    assert data_digest(b) == before and not _merge_backups(b.path)
    assert not list(backup_mod.backup_folder(b.path).glob(".*.part"))
    monkeypatch.undo()
    report = merge(b, a.path)   # (and the file is free to be merged afterwards)
    assert report.applied and os.path.exists(report.backup) and data_digest(b) != before


# ---------------------------------------------------------------- the largest table decided beside

merge_mod = importlib.import_module("pmqa_desktop.core.sharing.merge")


def _tamper(path, sql, params=()):
    import sqlite3
    conn = sqlite3.connect(path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def _outcome(b, a_path):
    try:
        report = merge(b, a_path, dry_run=True)
    except FileProblem as exc:
        return ("refused", str(exc), exc.detail)
    return ("merged", report.lines(), [(c.table, c.row_id, c.kept_rev, c.other_rev, c.fields) for c in report.conflicts])


@pytest.mark.parametrize("case", ["taken", "both-changed", "ours-newer", "unchanged"])
def test_weekly_activities_decided_beside_are_checked_and_reported_alike(offices, monkeypatch, case):
    """The weekly activities are decided in a thread beside; a file
    whose weekly activity does not fit is refused with the same words as when decided on the
    store's connection, and one whose faulty row the merge would not take is merged alike."""
    monkeypatch.setattr(merge_mod, "_AHEAD_MIN_BYTES", 0)   # (the demo file is small)
    a, b = offices["A"], offices["B"]
    rows = a.select("weekly_activity", order_by="id")
    assert len(rows) > 20
    x = rows[3]["id"]
    for r in rows[10:20]:
        a.update("weekly_activity", r["id"], {"text": r["text"] + " (A)"})
    if case in ("taken", "both-changed"):
        a.update("weekly_activity", x, {"text": "A's"})
    if case == "both-changed":
        b.update("weekly_activity", x, {"text": "B's"})
    if case == "ours-newer":
        a.update("weekly_activity", x, {"text": "A's"})
        merge(b, a.path, backup=False)
        b.update("weekly_activity", x, {"text": "B's, later"})
    a.close()
    _tamper(a.path, "UPDATE weekly_activity SET text = ? WHERE id = ?", (b"\x00\x01binary", x))
    started = []
    real_start = merge_mod._ClassifyAhead.__init__
    monkeypatch.setattr(merge_mod._ClassifyAhead, "__init__",
                        lambda self, *args: started.append(1) or real_start(self, *args))
    beside = _outcome(b, a.path)
    assert started
    calls = []
    monkeypatch.setattr(merge_mod._ClassifyAhead, "start", staticmethod(lambda *args: calls.append(1)))
    alone = _outcome(b, a.path)
    assert calls and beside == alone
    assert beside[0] == ("refused" if case in ("taken", "both-changed") else "merged")
    if beside[0] == "refused":
        assert "must be text but holds binary data" in beside[2] and x[:12] in beside[2]
