"""Development plans (แผนพัฒนาองค์การ), their activities and steps, KPI form 7.2, the
6/9/12-month rounds and approvals: all reading and writing through a ``Store``.

Rows are plain dicts with the table's columns (see ``schema.TABLES``).  Every write runs in
one transaction and goes through the Store, so it is versioned, merged and undoable
(the GUI undoes an edit by writing the old values back; see ``plan_state`` for the
approval status).

Rules kept here:

* Budgets are whole baht; a non-money marker ("ในม.") is kept in ``budget_note`` and is
  never summed.  Sums are computed when read, so they are always current.
* A ditto mark (``"`` “ ” 〃) in ``responsible`` / ``related`` is resolved at write time to
  the value of the step above (previous step of the plan, across activities).
* Editing an APPROVED plan (any change through the functions below to the plan, its
  activities, steps or KPIs) starts the next revision: ``revision += 1``, status 'draft'.
  The approved version stays readable as a JSON snapshot in ``plan_approval``.
  Results and progress reports are not plan edits and do not start a revision.

Public API (store first everywhere)::

  plans / plan / add_plan / update_plan / delete_plan / move_plan
  activities / activity / add_activity / update_activity / delete_activity / move_activity
  steps / plan_steps / step / add_step / update_step / delete_step / move_step
  set_step_span / step_above / resolve_ditto_for / is_ditto
  kpis / kpis_by_dimension / kpi / add_kpi / update_kpi / delete_kpi / move_kpi
  kpi_results / set_kpi_result / clear_kpi_result / plan_kpi_results
  step_progress / set_step_progress / plan_progress
  budget_summary / budget_mismatches
  plan_tree / plan_state / set_plan_state / plan_id_of
  approve_plan / update_approval / approvals / approved_versions / load_snapshot / withdraw_approval
  year_dashboard_rows (the few queries the dashboard needs)
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from ...i18n import _
from ..budget import parse_budget
from ..errors import ValidationError
from ..thai_calendar import MonthKey, parse_month_header
from .planning import sort_key_between
from .store import Store

DIMENSIONS = ("7.1", "7.2", "7.3", "7.4")
DIMENSION_NAMES = {
    "7.1": "ด้านประสิทธิผล",
    "7.2": "ด้านคุณภาพการให้บริการ",
    "7.3": "ด้านประสิทธิภาพของการปฏิบัติราชการ",
    "7.4": "ด้านการพัฒนาองค์การ",
}
ROUNDS = (6, 9, 12)
STEP_STATUSES = ("", "not_started", "in_progress", "done", "cancelled")
DIRECTIONS = ("higher", "lower")
LADDER_KINDS = ("linear", "milestone")
PLAN_STATUSES = ("draft", "approved")
DITTO_MARKS = ('"', "“", "”", "〃", "''", "„", "″")

PLAN_FIELDS = ("category_id", "policy", "title", "sort_key")
ACTIVITY_FIELDS = ("number", "title", "stated_budget", "sort_key")
STEP_FIELDS = ("number", "text", "duration", "start_month", "end_month", "output", "responsible",
               "related", "budget", "budget_note", "sort_key")
KPI_FIELDS = ("dimension", "number", "text", "current_data", "target", "weight", "unit", "direction",
              "ladder_kind", "t1", "t2", "t3", "t4", "t5", "milestones", "below_rule", "sort_key")


# ---------------------------------------------------------------- small helpers

def is_ditto(text: str | None) -> bool:
    """A ditto mark ("same as above"): ``"``, “ ”, 〃 (alone in the cell)."""
    return (text or "").strip() in DITTO_MARKS


def _month(value: Any, year_be: int | None = None) -> str | None:
    """A month value as stored: None or 'YYYY-MM'. Accepts MonthKey, 'YYYY-MM', 'มิ.ย. 53'."""
    if value is None or value == "":
        return None
    if isinstance(value, MonthKey):
        return value.key
    text = str(value).strip()
    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        try:
            return MonthKey.parse_key(text).key
        except ValueError:
            pass
    mk = parse_month_header(text, default_be=year_be)
    if mk is None:
        raise ValidationError(_("'{text}' is not a month (example: มิ.ย. 53).").format(text=text))
    return mk.key


def _sort_key_at(rows: list[dict], index: int | None) -> float:
    """A sort key placing a row at ``index`` among ``rows`` (already ordered, mover excluded)."""
    if index is None or index >= len(rows):
        return (rows[-1]["sort_key"] + 1.0) if rows else 1.0
    index = max(0, index)
    before = rows[index - 1]["sort_key"] if index > 0 else None
    return sort_key_between(before, rows[index]["sort_key"])


def _after(rows: list[dict], after_id: str | None) -> float:
    """Sort key right after ``after_id`` (None: at the end)."""
    if after_id is None:
        return (rows[-1]["sort_key"] + 1.0) if rows else 1.0
    idx = next((i for i, r in enumerate(rows) if r["id"] == after_id), len(rows) - 1)
    return sort_key_between(rows[idx]["sort_key"] if rows else None,
                            rows[idx + 1]["sort_key"] if idx + 1 < len(rows) else None)


def _require(row: dict | None, what: str, row_id: str) -> dict:
    if row is None:
        raise ValidationError(_("The {what} no longer exists (it may have been deleted).").format(what=what),
                              row_id)
    return row


def _year_be_of_plan(store: Store, plan_id: str) -> int | None:
    rows = store.query("SELECT y.year_be FROM dev_plan p JOIN fiscal_year y ON y.id = p.year_id WHERE p.id = ?",
                       (plan_id,))
    return rows[0]["year_be"] if rows else None


def plan_id_of(store: Store, table: str, row_id: str) -> str | None:
    """The plan a row of 'dev_plan', 'plan_activity', 'plan_step', 'kpi' or 'plan_approval' belongs to."""
    if table == "dev_plan":
        return row_id
    if table in ("plan_activity", "kpi", "plan_approval"):
        r = store.get(table, row_id, include_deleted=True)
        return r["plan_id"] if r else None
    if table == "plan_step":
        rows = store.query("SELECT a.plan_id FROM plan_step s JOIN plan_activity a ON a.id = s.activity_id "
                           "WHERE s.id = ?", (row_id,))
        return rows[0]["plan_id"] if rows else None
    raise KeyError(table)


_plan_id_of = plan_id_of   # older name, kept for callers


def _touch(store: Store, plan_id: str | None) -> None:
    """An edit of an approved plan starts its next revision (draft); the snapshot stays."""
    if not plan_id:
        return
    p = store.get("dev_plan", plan_id)
    if p and p["status"] == "approved":
        store.update("dev_plan", plan_id, {"status": "draft", "revision": p["revision"] + 1})


# ---------------------------------------------------------------- plans

def plans(store: Store, year_id: str) -> list[dict[str, Any]]:
    """The year's plans in order."""
    return store.select("dev_plan", {"year_id": year_id}, order_by="sort_key")


def plan(store: Store, plan_id: str) -> dict[str, Any] | None:
    return store.get("dev_plan", plan_id)


def add_plan(store: Store, year_id: str, title: str, *, category_id: str | None = None, policy: str = "",
             after_id: str | None = None) -> str:
    """A new plan under fiscal year ``year_id``, tied to a หมวด (``category_id``) and/or a policy text."""
    title = (title or "").strip()
    if not title and not policy.strip():
        raise ValidationError(_("A development plan needs a title or a policy."))
    with store.transaction():
        key = _after(plans(store, year_id), after_id)
        return store.insert("dev_plan", {"year_id": year_id, "category_id": category_id,
                                         "policy": policy.strip(), "title": title, "sort_key": key})


def update_plan(store: Store, plan_id: str, **values: Any) -> bool:
    """Change title / policy / category_id / sort_key. Starts a revision if the plan was approved."""
    bad = set(values) - set(PLAN_FIELDS)
    if bad:
        raise KeyError(f"dev_plan: not editable here: {sorted(bad)}")
    with store.transaction():
        _require(plan(store, plan_id), _("plan"), plan_id)
        changed = store.update("dev_plan", plan_id, values)
        if changed and set(values) != {"sort_key"}:
            _touch(store, plan_id)
        return changed


def delete_plan(store: Store, plan_id: str) -> list[tuple[str, str]]:
    """Tombstone the plan and everything under it; pass the result to ``store.undelete`` to undo."""
    return store.delete("dev_plan", plan_id)


def move_plan(store: Store, plan_id: str, index: int) -> None:
    p = _require(plan(store, plan_id), _("plan"), plan_id)
    rows = [r for r in plans(store, p["year_id"]) if r["id"] != plan_id]
    store.update("dev_plan", plan_id, {"sort_key": _sort_key_at(rows, index)})


# ---------------------------------------------------------------- activities

def activities(store: Store, plan_id: str) -> list[dict[str, Any]]:
    return store.select("plan_activity", {"plan_id": plan_id}, order_by="sort_key")


def activity(store: Store, activity_id: str) -> dict[str, Any] | None:
    return store.get("plan_activity", activity_id)


def _clean_activity(values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    if "stated_budget" in out and not isinstance(out["stated_budget"], (int, type(None))):
        b = parse_budget(out["stated_budget"])
        if b.amount is None and b.note:
            raise ValidationError(_("'{text}' is not an amount in baht.").format(text=b.note))
        out["stated_budget"] = b.amount
    for k in ("number", "title"):
        if k in out:
            out[k] = (out[k] or "").strip()
    return out


def add_activity(store: Store, plan_id: str, title: str, *, number: str | None = None,
                 stated_budget: int | str | None = None, after_id: str | None = None) -> str:
    """A new activity (กิจกรรมที่ n); ``number`` defaults to the next free number."""
    with store.transaction():
        _require(plan(store, plan_id), _("plan"), plan_id)
        rows = activities(store, plan_id)
        if number is None:
            nums = [int(r["number"]) for r in rows if str(r["number"]).isdigit()]
            number = str(max(nums, default=0) + 1)
        vals = _clean_activity({"number": number, "title": title, "stated_budget": stated_budget})
        aid = store.insert("plan_activity", {"plan_id": plan_id, "sort_key": _after(rows, after_id), **vals})
        _touch(store, plan_id)
        return aid


def update_activity(store: Store, activity_id: str, **values: Any) -> bool:
    bad = set(values) - set(ACTIVITY_FIELDS)
    if bad:
        raise KeyError(f"plan_activity: not editable here: {sorted(bad)}")
    with store.transaction():
        a = _require(activity(store, activity_id), _("activity"), activity_id)
        changed = store.update("plan_activity", activity_id, _clean_activity(values))
        if changed:
            _touch(store, a["plan_id"])
        return changed


def delete_activity(store: Store, activity_id: str) -> list[tuple[str, str]]:
    with store.transaction():
        a = _require(activity(store, activity_id), _("activity"), activity_id)
        done = store.delete("plan_activity", activity_id)
        _touch(store, a["plan_id"])
        return done


def move_activity(store: Store, activity_id: str, index: int) -> None:
    with store.transaction():
        a = _require(activity(store, activity_id), _("activity"), activity_id)
        rows = [r for r in activities(store, a["plan_id"]) if r["id"] != activity_id]
        if store.update("plan_activity", activity_id, {"sort_key": _sort_key_at(rows, index)}):
            _touch(store, a["plan_id"])


# ---------------------------------------------------------------- steps

def steps(store: Store, activity_id: str) -> list[dict[str, Any]]:
    return store.select("plan_step", {"activity_id": activity_id}, order_by="sort_key")


def plan_steps(store: Store, plan_id: str) -> list[dict[str, Any]]:
    """All live steps of a plan in print order (activity order, then step order)."""
    return store.query(
        "SELECT s.* FROM plan_step s JOIN plan_activity a ON a.id = s.activity_id "
        "WHERE a.plan_id = ? AND a.deleted = 0 AND s.deleted = 0 ORDER BY a.sort_key, a.id, s.sort_key, s.id", (plan_id,))


def step(store: Store, step_id: str) -> dict[str, Any] | None:
    return store.get("plan_step", step_id)


def step_above(store: Store, activity_id: str, before_step_id: str | None = None,
               index: int | None = None) -> dict[str, Any] | None:
    """The step printed just above a position: the previous step of the same activity, else the
    last step of the previous activity of the plan (tables run on across activities).

    Give ``before_step_id`` (the step at the position) or ``index`` (position within the activity).
    """
    a = store.get("plan_activity", activity_id)
    if a is None:
        return None
    rows = plan_steps(store, a["plan_id"])
    if before_step_id is not None:
        pos = next((i for i, r in enumerate(rows) if r["id"] == before_step_id), None)
        if pos is None:
            return None
    else:
        own = [i for i, r in enumerate(rows) if r["activity_id"] == activity_id]
        if own:
            k = len(own) if index is None else max(0, min(index, len(own)))
            pos = own[k] if k < len(own) else own[-1] + 1
        else:  # empty activity: after the steps of the activities before it
            acts = activities(store, a["plan_id"])
            earlier = {x["id"] for x in acts if x["sort_key"] < a["sort_key"]}
            pos = sum(1 for r in rows if r["activity_id"] in earlier)
    return rows[pos - 1] if pos > 0 else None


def resolve_ditto_for(store: Store, activity_id: str, field_name: str, value: str,
                      before_step_id: str | None = None, index: int | None = None) -> str:
    """What a typed ``value`` means in ``responsible``/``related``: a ditto mark becomes the value
    of the step above (itself resolved already); anything else is returned stripped."""
    if not is_ditto(value):
        return (value or "").strip()
    above = step_above(store, activity_id, before_step_id, index)
    if above is None:
        raise ValidationError(_("A ditto mark (\") means \"same as above\", but there is no step above."))
    return above[field_name]


def _clean_step(store: Store, values: dict[str, Any], activity_id: str, year_be: int | None,
                step_id: str | None = None, index: int | None = None) -> dict[str, Any]:
    out = dict(values)
    for k in ("number", "text", "duration", "output", "budget_note"):
        if k in out:
            out[k] = (out[k] or "").strip()
    for k in ("start_month", "end_month"):
        if k in out:
            out[k] = _month(out[k], year_be)
    for k in ("responsible", "related"):
        if k in out:
            out[k] = resolve_ditto_for(store, activity_id, k, out[k] or "", step_id, index)
    if "budget" in out:
        raw = out["budget"]
        if isinstance(raw, (bool, float)):
            raw = str(raw)
        b = parse_budget(raw)
        out["budget"] = b.amount
        if "budget_note" not in values:
            out["budget_note"] = b.note
    return out


def _check_span(start: str | None, end: str | None) -> None:
    if start and end and end < start:
        raise ValidationError(_("A step cannot end ({end}) before it starts ({start}).").format(
            end=MonthKey.parse_key(end).abbr(), start=MonthKey.parse_key(start).abbr()))


def add_step(store: Store, activity_id: str, text: str = "", *, after_id: str | None = None,
             index: int | None = None, **fields: Any) -> str:
    """A new step in an activity (at the end, after ``after_id``, or at ``index``).

    ``fields``: number, duration, start_month, end_month (MonthKey, 'YYYY-MM' or 'มิ.ย. 53'),
    output, responsible, related (ditto resolved), budget (int or text such as '30,000' / 'ในม.'),
    budget_note.
    """
    bad = set(fields) - set(STEP_FIELDS)
    if bad:
        raise KeyError(f"plan_step: unknown fields {sorted(bad)}")
    with store.transaction():
        a = _require(activity(store, activity_id), _("activity"), activity_id)
        rows = steps(store, activity_id)
        if index is not None:
            key = _sort_key_at(rows, index)
            pos = index
        else:
            key = _after(rows, after_id)
            pos = next((i + 1 for i, r in enumerate(rows) if r["id"] == after_id), len(rows))
        vals = _clean_step(store, {"text": text, **fields}, activity_id, _year_be_of_plan(store, a["plan_id"]),
                           None, pos)
        _check_span(vals.get("start_month"), vals.get("end_month"))
        vals.setdefault("sort_key", key)
        sid = store.insert("plan_step", {"activity_id": activity_id, **vals})
        _touch(store, a["plan_id"])
        return sid


def update_step(store: Store, step_id: str, **values: Any) -> bool:
    """Change fields of a step (same forms as ``add_step``); returns False if nothing changed."""
    bad = set(values) - set(STEP_FIELDS)
    if bad:
        raise KeyError(f"plan_step: not editable here: {sorted(bad)}")
    with store.transaction():
        s = _require(step(store, step_id), _("step"), step_id)
        a = _require(activity(store, s["activity_id"]), _("activity"), s["activity_id"])
        vals = _clean_step(store, values, s["activity_id"], _year_be_of_plan(store, a["plan_id"]), step_id)
        _check_span(vals.get("start_month", s["start_month"]), vals.get("end_month", s["end_month"]))
        changed = store.update("plan_step", step_id, vals)
        if changed:
            _touch(store, a["plan_id"])
        return changed


def set_step_span(store: Store, step_id: str, start: MonthKey | str | None, end: MonthKey | str | None) -> bool:
    """Move or stretch a step's Gantt bar (what dragging the bar does)."""
    return update_step(store, step_id, start_month=start, end_month=end)


def delete_step(store: Store, step_id: str) -> list[tuple[str, str]]:
    with store.transaction():
        pid = _plan_id_of(store, "plan_step", step_id)
        done = store.delete("plan_step", step_id)
        _touch(store, pid)
        return done


def move_step(store: Store, step_id: str, index: int, activity_id: str | None = None) -> None:
    """Put a step at ``index`` of ``activity_id`` (default: its own activity)."""
    with store.transaction():
        s = _require(step(store, step_id), _("step"), step_id)
        dest = activity_id or s["activity_id"]
        rows = [r for r in steps(store, dest) if r["id"] != step_id]
        old_plan = _plan_id_of(store, "plan_step", step_id)
        changed = store.update("plan_step", step_id, {"activity_id": dest, "sort_key": _sort_key_at(rows, index)})
        if changed:
            _touch(store, old_plan)
            _touch(store, _plan_id_of(store, "plan_step", step_id))


# ---------------------------------------------------------------- KPIs (form 7.2)

def kpis(store: Store, plan_id: str) -> list[dict[str, Any]]:
    """The plan's KPIs, in dimension order then sort order."""
    return store.query("SELECT * FROM kpi WHERE plan_id = ? AND deleted = 0 ORDER BY dimension, sort_key, id",
                       (plan_id,))


def kpis_by_dimension(store: Store, plan_id: str) -> dict[str, list[dict[str, Any]]]:
    """dimension '7.1'..'7.4' -> its KPIs; every dimension present (the form prints empty ones)."""
    out: dict[str, list[dict[str, Any]]] = {d: [] for d in DIMENSIONS}
    for k in kpis(store, plan_id):
        out.setdefault(k["dimension"], []).append(k)
    return out


def kpi(store: Store, kpi_id: str) -> dict[str, Any] | None:
    return store.get("kpi", kpi_id)


def _clean_kpi(values: dict[str, Any]) -> dict[str, Any]:
    from ..scoring import BELOW_RULES, parse_number
    out = dict(values)
    if "dimension" in out and out["dimension"] not in DIMENSIONS:
        raise ValidationError(_("The dimension must be one of 7.1, 7.2, 7.3, 7.4."))
    if "direction" in out and out["direction"] not in DIRECTIONS:
        raise ValidationError(_("The direction must be higher-is-better or lower-is-better."))
    if "ladder_kind" in out and out["ladder_kind"] not in LADDER_KINDS:
        raise ValidationError(_("The ladder is either linear (5 thresholds) or milestones."))
    if "below_rule" in out and out["below_rule"] not in BELOW_RULES:
        raise ValidationError(_("Unknown rule for results short of level 1."))
    for k in ("weight", "t1", "t2", "t3", "t4", "t5"):
        if k in out:
            out[k] = parse_number(out[k])
    if out.get("weight") is not None and not 0 <= out["weight"] <= 100:
        raise ValidationError(_("A weight must be between 0 and 1 (or a percentage)."))
    if "milestones" in out and not isinstance(out["milestones"], str):
        levels = []
        for level in out["milestones"] or []:
            items = []
            for it in level:
                if isinstance(it, str):
                    items.append({"text": it.strip(), "step_id": None})
                else:
                    items.append({"text": str(it.get("text", "")).strip(), "step_id": it.get("step_id")})
            levels.append(items)
        if len(levels) > 5:
            raise ValidationError(_("A milestone ladder has at most 5 levels."))
        out["milestones"] = json.dumps(levels, ensure_ascii=False)
    for k in ("number", "text", "current_data", "target", "unit"):
        if k in out:
            out[k] = (out[k] or "").strip()
    return out


def add_kpi(store: Store, plan_id: str, dimension: str, text: str, *, after_id: str | None = None,
            **fields: Any) -> str:
    """A KPI row of form 7.2. ``fields``: number, current_data, target, weight, unit, direction,
    ladder_kind, t1..t5 (numbers or '60%'), milestones (list of 5 lists of str or
    {'text', 'step_id'}), below_rule."""
    bad = set(fields) - set(KPI_FIELDS)
    if bad:
        raise KeyError(f"kpi: unknown fields {sorted(bad)}")
    with store.transaction():
        _require(plan(store, plan_id), _("plan"), plan_id)
        vals = _clean_kpi({"dimension": dimension, "text": text, **fields})
        rows = [k for k in kpis(store, plan_id) if k["dimension"] == dimension]
        vals.setdefault("sort_key", _after(rows, after_id))
        kid = store.insert("kpi", {"plan_id": plan_id, **vals})
        _touch(store, plan_id)
        return kid


def update_kpi(store: Store, kpi_id: str, **values: Any) -> bool:
    bad = set(values) - set(KPI_FIELDS)
    if bad:
        raise KeyError(f"kpi: not editable here: {sorted(bad)}")
    with store.transaction():
        k = _require(kpi(store, kpi_id), _("KPI"), kpi_id)
        changed = store.update("kpi", kpi_id, _clean_kpi(values))
        if changed:
            _touch(store, k["plan_id"])
        return changed


def delete_kpi(store: Store, kpi_id: str) -> list[tuple[str, str]]:
    with store.transaction():
        pid = _plan_id_of(store, "kpi", kpi_id)
        done = store.delete("kpi", kpi_id)
        _touch(store, pid)
        return done


def move_kpi(store: Store, kpi_id: str, index: int, dimension: str | None = None) -> None:
    with store.transaction():
        k = _require(kpi(store, kpi_id), _("KPI"), kpi_id)
        dim = dimension or k["dimension"]
        if dim not in DIMENSIONS:
            raise ValidationError(_("The dimension must be one of 7.1, 7.2, 7.3, 7.4."))
        rows = [r for r in kpis(store, k["plan_id"]) if r["dimension"] == dim and r["id"] != kpi_id]
        if store.update("kpi", kpi_id, {"dimension": dim, "sort_key": _sort_key_at(rows, index)}):
            _touch(store, k["plan_id"])


# ---------------------------------------------------------------- rounds: results and progress

def _check_round(rnd: int) -> int:
    if int(rnd) not in ROUNDS:
        raise ValidationError(_("A round is 6, 9 or 12 months."))
    return int(rnd)


def _iso_date(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValidationError(_("'{text}' is not a date.").format(text=text)) from None


def kpi_results(store: Store, kpi_id: str) -> dict[int, dict[str, Any]]:
    """round -> kpi_result row."""
    return {r["round"]: r for r in store.select("kpi_result", {"kpi_id": kpi_id}, order_by="round")}


def plan_kpi_results(store: Store, plan_id: str) -> dict[str, dict[int, dict[str, Any]]]:
    """kpi id -> round -> result row, for every KPI of the plan (one query)."""
    out: dict[str, dict[int, dict[str, Any]]] = {}
    for r in store.query("SELECT r.* FROM kpi_result r JOIN kpi k ON k.id = r.kpi_id "
                         "WHERE k.plan_id = ? AND k.deleted = 0 AND r.deleted = 0", (plan_id,)):
        out.setdefault(r["kpi_id"], {})[r["round"]] = r
    return out


def set_kpi_result(store: Store, kpi_id: str, rnd: int, actual: Any, note: str | None = None,
                   reported_on: Any = None) -> str:
    """Record (or change) a KPI's result for round 6/9/12; ``actual`` may be text ('72%')."""
    from ..scoring import parse_number
    rnd = _check_round(rnd)
    vals: dict[str, Any] = {"actual": parse_number(actual)}
    if note is not None:
        vals["note"] = note.strip()
    if reported_on is not None:
        vals["reported_on"] = _iso_date(reported_on)
    with store.transaction():
        _require(kpi(store, kpi_id), _("KPI"), kpi_id)
        return _upsert(store, "kpi_result", {"kpi_id": kpi_id, "round": rnd}, vals)


def clear_kpi_result(store: Store, kpi_id: str, rnd: int) -> list[tuple[str, str]]:
    rows = store.select("kpi_result", {"kpi_id": kpi_id, "round": _check_round(rnd)}, order_by="")
    done: list[tuple[str, str]] = []
    with store.transaction():
        for r in rows:
            done += store.delete("kpi_result", r["id"])
    return done


def _upsert(store: Store, table: str, key: dict[str, Any], values: dict[str, Any]) -> str:
    """One live row per key; a tombstoned row for the key is revived rather than duplicated."""
    rows = store.select(table, key, order_by="", include_deleted=True)
    live = [r for r in rows if not r["deleted"]]
    if live:
        store.update(table, live[0]["id"], values)
        return live[0]["id"]
    if rows:
        store.update(table, rows[0]["id"], values)
        store.undelete(table, rows[0]["id"])
        return rows[0]["id"]
    return store.insert(table, {**key, **values})


def step_progress(store: Store, step_id: str) -> dict[int, dict[str, Any]]:
    """round -> step_progress row."""
    return {r["round"]: r for r in store.select("step_progress", {"step_id": step_id}, order_by="round")}


def plan_progress(store: Store, plan_id: str) -> dict[str, dict[int, dict[str, Any]]]:
    """step id -> round -> progress row, for the whole plan (one query)."""
    out: dict[str, dict[int, dict[str, Any]]] = {}
    for r in store.query(
            "SELECT g.* FROM step_progress g JOIN plan_step s ON s.id = g.step_id "
            "JOIN plan_activity a ON a.id = s.activity_id "
            "WHERE a.plan_id = ? AND g.deleted = 0 AND s.deleted = 0 AND a.deleted = 0", (plan_id,)):
        out.setdefault(r["step_id"], {})[r["round"]] = r
    return out


def set_step_progress(store: Store, step_id: str, rnd: int, *, status: str | None = None,
                      percent: Any = None, evidence: str | None = None, reported_on: Any = None) -> str:
    """Report a step for round 6/9/12: status ('not_started', 'in_progress', 'done', 'cancelled'),
    percent done (0-100; 'done' without a percent means 100), evidence note, date reported."""
    from ..scoring import parse_number
    rnd = _check_round(rnd)
    vals: dict[str, Any] = {}
    if status is not None:
        if status not in STEP_STATUSES:
            raise ValidationError(_("Unknown step status '{status}'.").format(status=status))
        vals["status"] = status
    if percent is not None:
        p = parse_number(percent)
        if p is not None and not 0 <= p <= 100:
            raise ValidationError(_("Percent done is between 0 and 100."))
        vals["percent"] = p
    if status == "done" and vals.get("percent") is None:
        vals["percent"] = 100.0
    if evidence is not None:
        vals["evidence"] = evidence.strip()
    if reported_on is not None:
        vals["reported_on"] = _iso_date(reported_on)
    with store.transaction():
        _require(step(store, step_id), _("step"), step_id)
        return _upsert(store, "step_progress", {"step_id": step_id, "round": rnd}, vals)


# ---------------------------------------------------------------- budgets

@dataclass
class ActivityBudget:
    activity_id: str
    number: str
    title: str
    total: int                 # sum of the steps' amounts (markers excluded)
    stated: int | None         # the amount printed in the heading, if any
    markers: int               # steps with a non-money marker

    @property
    def mismatch(self) -> bool:
        return self.stated is not None and self.stated != self.total


@dataclass
class PlanBudget:
    plan_id: str
    total: int
    activities: list[ActivityBudget] = field(default_factory=list)

    @property
    def mismatches(self) -> list[ActivityBudget]:
        return [a for a in self.activities if a.mismatch]


def budget_summary(store: Store, plan_id: str) -> PlanBudget:
    """Activity sums (of step budgets) and the plan sum (of activities), with stated budgets."""
    rows = store.query(
        "SELECT a.id, a.number, a.title, a.stated_budget, "
        "COALESCE(SUM(CASE WHEN s.deleted = 0 THEN s.budget END), 0) AS total, "
        "SUM(CASE WHEN s.deleted = 0 AND s.budget IS NULL AND s.budget_note <> '' THEN 1 ELSE 0 END) AS markers "
        "FROM plan_activity a LEFT JOIN plan_step s ON s.activity_id = a.id "
        "WHERE a.plan_id = ? AND a.deleted = 0 GROUP BY a.id ORDER BY a.sort_key, a.id", (plan_id,))
    acts = [ActivityBudget(r["id"], r["number"], r["title"], int(r["total"] or 0), r["stated_budget"],
                           int(r["markers"] or 0)) for r in rows]
    return PlanBudget(plan_id, sum(a.total for a in acts), acts)


def budget_mismatches(store: Store, plan_id: str) -> list[ActivityBudget]:
    return budget_summary(store, plan_id).mismatches


# ---------------------------------------------------------------- whole plan, approvals

def plan_tree(store: Store, plan_id: str) -> dict[str, Any]:
    """The plan as one JSON-able dict (what approvals freeze and the print forms read)::

        {'plan': row, 'activities': [row + {'steps': [rows], 'total': int}],
         'kpis': {'7.1': [rows], ...}, 'total': int}
    """
    p = _require(plan(store, plan_id), _("plan"), plan_id)
    by_act: dict[str, list] = {}
    for s in plan_steps(store, plan_id):
        by_act.setdefault(s["activity_id"], []).append(s)
    budget = {a.activity_id: a.total for a in budget_summary(store, plan_id).activities}
    acts = []
    for a in activities(store, plan_id):
        acts.append({**a, "steps": by_act.get(a["id"], []), "total": budget.get(a["id"], 0)})
    return {"plan": p, "activities": acts, "kpis": kpis_by_dimension(store, plan_id),
            "total": sum(budget.values())}


def plan_state(store: Store, plan_id: str) -> tuple[int, str]:
    """(revision, status): what the GUI saves before an edit to restore on undo."""
    p = _require(plan(store, plan_id), _("plan"), plan_id)
    return p["revision"], p["status"]


def set_plan_state(store: Store, plan_id: str, state: tuple[int, str]) -> None:
    """Restore (revision, status) saved by ``plan_state`` (undo of an edit or an approval)."""
    store.update("dev_plan", plan_id, {"revision": int(state[0]), "status": state[1]})


def approve_plan(store: Store, plan_id: str, signer_name: str, position_lines: str | Iterable[str],
                 signed_on: Any = None) -> str:
    """Record the approval and freeze the plan: a ``plan_approval`` row for the current
    revision with a JSON snapshot; the plan's status becomes 'approved'.  Returns its id.

    If the current revision is already approved, its approval record is corrected instead
    (same id returned; the snapshot is not retaken)."""
    if not isinstance(position_lines, str):
        position_lines = "\n".join(x.strip() for x in position_lines if x and x.strip())
    signer_name = (signer_name or "").strip()
    if not signer_name:
        raise ValidationError(_("Type the name of the person who approved the plan."))
    with store.transaction():
        p = _require(plan(store, plan_id), _("plan"), plan_id)
        if p["status"] == "approved":
            same = [a for a in approvals(store, plan_id) if a["revision"] == p["revision"]]
            if same:   # this revision is already approved: the record is corrected, nothing new is frozen
                update_approval(store, same[-1]["id"], signer_name=signer_name, position_lines=position_lines,
                                signed_on=signed_on)
                return same[-1]["id"]
        snap = plan_tree(store, plan_id)
        snap["plan"] = {**snap["plan"], "status": "approved"}
        aid = store.insert("plan_approval", {
            "plan_id": plan_id, "revision": p["revision"], "signer_name": signer_name,
            "position_lines": position_lines.strip(), "signed_on": _iso_date(signed_on),
            "snapshot": json.dumps(snap, ensure_ascii=False, default=str)})
        store.update("dev_plan", plan_id, {"status": "approved"})
        return aid


def update_approval(store: Store, approval_id: str, *, signer_name: str | None = None,
                    position_lines: str | Iterable[str] | None = None, signed_on: Any = None) -> bool:
    """Correct an approval record (name, position lines, date); the frozen snapshot is untouched."""
    vals: dict[str, Any] = {}
    if signer_name is not None:
        if not signer_name.strip():
            raise ValidationError(_("Type the name of the person who approved the plan."))
        vals["signer_name"] = signer_name.strip()
    if position_lines is not None:
        if not isinstance(position_lines, str):
            position_lines = "\n".join(x.strip() for x in position_lines if x and x.strip())
        vals["position_lines"] = position_lines.strip()
    if signed_on is not None:
        vals["signed_on"] = _iso_date(signed_on)
    _require(store.get("plan_approval", approval_id), _("approval"), approval_id)
    return store.update("plan_approval", approval_id, vals) if vals else False


def approvals(store: Store, plan_id: str) -> list[dict[str, Any]]:
    """Approval rows (without parsing snapshots), oldest revision first."""
    return store.select("plan_approval", {"plan_id": plan_id}, order_by="revision")


def approved_versions(store: Store, plan_id: str) -> list[dict[str, Any]]:
    """[{'approval_id', 'revision', 'signer_name', 'position_lines', 'signed_on'}], oldest first."""
    return [{"approval_id": a["id"], "revision": a["revision"], "signer_name": a["signer_name"],
             "position_lines": a["position_lines"], "signed_on": a["signed_on"]}
            for a in approvals(store, plan_id)]


def load_snapshot(store: Store, approval_id: str) -> dict[str, Any]:
    """The frozen plan of an approval, in ``plan_tree`` form."""
    a = _require(store.get("plan_approval", approval_id), _("approval"), approval_id)
    return json.loads(a["snapshot"] or "{}")


def withdraw_approval(store: Store, approval_id: str) -> list[tuple[str, str]]:
    """Undo an approval: tombstone it; the plan goes back to 'draft' if it was this revision."""
    with store.transaction():
        a = _require(store.get("plan_approval", approval_id), _("approval"), approval_id)
        done = store.delete("plan_approval", approval_id)
        p = plan(store, a["plan_id"])
        if p and p["status"] == "approved" and p["revision"] == a["revision"]:
            store.update("dev_plan", p["id"], {"status": "draft"})
        return done


# ---------------------------------------------------------------- dashboard queries

def year_dashboard_rows(store: Store, year_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Everything the dashboard needs for some fiscal years, in four queries:

    'plans' (with category code/name), 'steps' (with plan_id), 'progress' (step_id, round,
    status, percent), 'kpis' (the scoring columns only, with plan_id) and 'results'
    (kpi_id, round, actual).
    """
    if not year_ids:
        return {"plans": [], "steps": [], "progress": [], "kpis": [], "results": []}
    marks = ",".join("?" for _ in year_ids)
    plans_ = store.query(
        "SELECT p.id, p.year_id, p.title, p.policy, p.category_id, p.status, p.revision, p.sort_key, "
        "c.code AS category_code, c.name AS category_name, c.sort_key AS category_sort "
        f"FROM dev_plan p LEFT JOIN category c ON c.id = p.category_id WHERE p.deleted = 0 AND p.year_id IN ({marks}) "
        "ORDER BY p.year_id, p.sort_key, p.id", year_ids)
    steps_: list[dict[str, Any]] = []
    progress: list[dict[str, Any]] = []
    seen: set[str] = set()
    cur = store.conn.execute(   # steps and their progress rows in one pass
        "SELECT s.id, s.activity_id, a.plan_id, s.start_month, s.end_month, s.number, s.text, "
        "g.round, g.status, g.percent "
        "FROM dev_plan p JOIN plan_activity a ON a.plan_id = p.id AND a.deleted = 0 "
        "JOIN plan_step s ON s.activity_id = a.id AND s.deleted = 0 "
        "LEFT JOIN step_progress g ON g.step_id = s.id AND g.deleted = 0 "
        f"WHERE p.deleted = 0 AND p.year_id IN ({marks}) ORDER BY a.sort_key, a.id, s.sort_key, s.id", year_ids)
    for sid, aid, pid, start, end, number, text, rnd, status, percent in cur:
        if sid not in seen:
            seen.add(sid)
            steps_.append({"id": sid, "activity_id": aid, "plan_id": pid, "start_month": start, "end_month": end,
                           "number": number, "text": text})
        if rnd is not None:
            progress.append({"step_id": sid, "round": rnd, "status": status, "percent": percent})
    kpis_ = store.query(
        "SELECT k.id, k.plan_id, k.dimension, k.sort_key, k.weight, k.direction, k.ladder_kind, k.t1, k.t2, k.t3, "
        "k.t4, k.t5, k.milestones, k.below_rule FROM kpi k JOIN dev_plan p ON p.id = k.plan_id "
        f"WHERE k.deleted = 0 AND p.deleted = 0 AND p.year_id IN ({marks}) ORDER BY k.dimension, k.sort_key, k.id",
        year_ids)
    results = store.query(
        "SELECT r.kpi_id, r.round, r.actual FROM kpi_result r JOIN kpi k ON k.id = r.kpi_id "
        "JOIN dev_plan p ON p.id = k.plan_id "
        f"WHERE r.deleted = 0 AND k.deleted = 0 AND p.deleted = 0 AND p.year_id IN ({marks})", year_ids)
    return {"plans": plans_, "steps": steps_, "progress": progress, "kpis": kpis_, "results": results}
