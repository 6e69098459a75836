"""Three offices edit copies of one file and merge in every order (hypothesis state machine).

Invariants: no edit is lost (every value an office wrote or received is current or in the
history of its file), merging the same file twice changes nothing, A into B and B into A
end in the same data, and after merging every pair to quiescence all copies are identical.
"""
import json
import shutil
import tempfile
from pathlib import Path

import pytest

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from pmqa_desktop.core.sharing import merge
from pmqa_desktop.core.storage import planning
from pmqa_desktop.core.storage.store import Actor, Store
from sharing_helpers import data_digest

pytestmark = pytest.mark.usefixtures("english")  # assertions read the English wording

OFFICES = ("A", "B", "C")
office = st.sampled_from(OFFICES)


def present_values(store: Store) -> set[tuple[str, str]]:
    """(row id, text) for every version of every calendar step in the file."""
    out = {(r["id"], r["text"]) for r in store.select("calendar_step", include_deleted=True)}
    for h in store.query("SELECT row_id, data FROM history WHERE table_name = 'calendar_step'"):
        out.add((h["row_id"], json.loads(h["data"])["text"]))
    return out


class Offices(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        shm = "/dev/shm" if Path("/dev/shm").is_dir() else None  # tmpfs: fsync costs nothing
        self.dir = Path(tempfile.mkdtemp(prefix="pmqa-sm-", dir=shm))
        base = self.dir / "base.db"
        s = Store.open(base, Actor("base", "base"))
        org = planning.add_organisation(s, "จังหวัดทดสอบ")
        self.year = planning.add_fiscal_year(s, org, 2554)
        for i in range(3):
            s.insert("calendar_step", {"year_id": self.year, "text": f"base {i}", "sort_key": float(i)})
        s.close()
        self.stores = {}
        for n in OFFICES:
            p = self.dir / f"{n}.db"
            shutil.copy(base, p)
            self.stores[n] = Store.open(p, Actor(office=f"office-{n}", clerk=f"clerk {n}"))
            self.stores[n].conn.execute("PRAGMA synchronous = OFF")  # speed only: no power cut here
        first = self.stores["A"]
        self.known = {n: present_values(first) for n in OFFICES}
        self.counter = 0

    def _value(self, who: str) -> str:
        self.counter += 1
        return f"{who}-{self.counter}"

    def _rows(self, who: str, include_deleted=False):
        return sorted(self.stores[who].select("calendar_step", include_deleted=include_deleted),
                      key=lambda r: r["id"])

    @rule(who=office, pick=st.integers(0, 50))
    def edit(self, who, pick):
        rows = self._rows(who)
        if not rows:
            return
        row = rows[pick % len(rows)]
        value = self._value(who)
        self.stores[who].update("calendar_step", row["id"], {"text": value})
        self.known[who].add((row["id"], value))

    @rule(who=office)
    def add(self, who):
        value = self._value(who)
        rid = self.stores[who].insert("calendar_step", {"year_id": self.year, "text": value})
        self.known[who].add((rid, value))

    @rule(who=office, pick=st.integers(0, 50))
    def delete(self, who, pick):
        rows = self._rows(who)
        if rows:
            self.stores[who].delete("calendar_step", rows[pick % len(rows)]["id"])

    @rule(who=office, pick=st.integers(0, 50))
    def undelete(self, who, pick):
        rows = [r for r in self._rows(who, include_deleted=True) if r["deleted"]]
        if rows:
            self.stores[who].undelete("calendar_step", rows[pick % len(rows)]["id"])

    @rule(src=office, dst=office)
    def merge_into(self, src, dst):
        if src == dst:
            return
        target, incoming = self.stores[dst], self.stores[src]
        merge(target, incoming.path, backup=False)
        self.known[dst] |= self.known[src]
        after = data_digest(target)
        again = merge(target, incoming.path, backup=False)
        assert again.changes_nothing
        assert data_digest(target) == after

    @rule(x=office, y=office)
    def both_ways_end_alike(self, x, y):
        if x == y:
            return
        cx, cy = self.dir / "cx.db", self.dir / "cy.db"
        shutil.copy(self.stores[x].path, cx)
        shutil.copy(self.stores[y].path, cy)
        sx, sy = Store.open(cx, Actor("t", "t")), Store.open(cy, Actor("t", "t"))
        for s in (sx, sy):
            s.conn.execute("PRAGMA synchronous = OFF")
        try:
            merge(sx, self.stores[y].path, backup=False)
            merge(sy, self.stores[x].path, backup=False)
            assert data_digest(sx) == data_digest(sy)
        finally:
            sx.close()
            sy.close()

    @invariant()
    def no_edit_is_lost(self):
        for n in OFFICES:
            missing = self.known[n] - present_values(self.stores[n])
            assert not missing, (n, missing)

    def teardown(self):
        try:
            for _round in range(6):  # merge every pair until nothing changes any more
                changed = False
                for x in OFFICES:
                    for y in OFFICES:
                        if x != y:
                            r = merge(self.stores[y], self.stores[x].path, backup=False)
                            changed |= not r.changes_nothing
                if not changed:
                    break
            assert not changed, "merges did not settle"
            digests = [data_digest(self.stores[n]) for n in OFFICES]
            assert digests[0] == digests[1] == digests[2]
            everything = set().union(*self.known.values())
            assert everything <= present_values(self.stores["A"])
        finally:
            for s in self.stores.values():
                s.close()
            shutil.rmtree(self.dir, ignore_errors=True)


Offices.TestCase.settings = settings(max_examples=40, stateful_step_count=25, deadline=None,
                                     suppress_health_check=[HealthCheck.too_slow])
TestOffices = Offices.TestCase
