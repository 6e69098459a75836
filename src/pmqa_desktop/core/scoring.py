"""Scoring of KPIs (form 7.2) and of a plan, as practised in Thai KPI agreements.

Pure functions, no database: the storage layer hands in KPI rows (dicts with the ``kpi``
table's columns) and results.

Linear ladder (thresholds T1..T5 for scores 1..5, result x)::

    x at or past T5               -> 5
    Tk <= x < Tk+1                -> k + (x - Tk) / (Tk+1 - Tk)      (72 on 60/65/70/75/80 -> 3.4)
    x short of T1                 -> the KPI's stated *below rule* (see BELOW_RULES)

Which way "past" points is decided by the ladder itself: ascending thresholds mean
higher-is-better, descending thresholds lower-is-better.  A KPI whose ``direction`` column
disagrees with its ladder is scored as the ladder is written and FLAGGED (the seed's
ร้อยละความไม่พึงพอใจ carries an ascending ladder: a probable copy-paste slip).

Milestone ladder (ระดับความสำเร็จ): level k is reached when every item of levels 1..k is done.

Plan: weighted score sum(w*s) / sum(w) over the scored KPIs, shown to 4 decimals; weights
that do not sum to 1 are flagged, never rescaled silently.

Public API::

    BELOW_RULES, below_rule_text(rule, ladder=None) -> str
    parse_number(text) -> float | None          # '72%', '๗๒', '72.5', 'ร้อยละ 72'
    ladder_thresholds(kpi) -> tuple[float, ...]
    ladder_direction(thresholds) -> 'higher' | 'lower' | None
    check_ladder(kpi) -> list[Flag]
    score_linear(thresholds, x, below_rule='zero') -> float | None
    milestone_level(done_by_level) -> int
    score_kpi(kpi, actual, done_by_level=None) -> KpiScore
    check_weights(weights) -> Flag | None
    weighted_score(pairs) -> float | None
    score_plan(kpis, actual_by_kpi, done_by_kpi=None) -> PlanScore
    plan_value(kpis, actual_by_kpi, done_by_kpi=None) -> float | None   (same value, no detail)
    format_score(value, places=4, thai_digits=False) -> str;  format_plain(value) -> str
    below_rule_choices() -> [(rule, label)];  direction_label(direction) -> str
    prepare(kpi) -> Prepared;  prepared_score(prepared, actual, done=None) -> float | None
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from ..i18n import _, ngettext
from ..i18n import language as _language
from .errors import ValidationError
from .thai_calendar import from_thai_digits, to_thai_digits

MAX_SCORE = 5.0
LEVELS = 5
BELOW_RULES = ("zero", "one", "linear0")
WEIGHT_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Flag:
    """Something on a KPI or plan the clerk should look at (shown next to the score)."""
    code: str      # 'direction_mismatch', 'ladder_not_monotone', 'ladder_incomplete', 'weights_sum', ...
    message: str   # translated sentence for the screen
    severity: str = "warning"   # 'warning' (still scored) or 'error' (cannot be scored)


@dataclass
class KpiScore:
    value: float | None            # None: no result yet, or the ladder cannot be read
    level: int | None = None       # milestone level / whole ladder level reached
    flags: list[Flag] = field(default_factory=list)
    rule_text: str = ""            # the below-T1 rule sentence for the screen
    below: bool = False            # the result was short of level 1

    def display(self, places: int = 4, thai_digits: bool = False) -> str:
        return format_score(self.value, places, thai_digits)


@dataclass
class PlanScore:
    value: float | None            # sum(w*s)/sum(w) over scored KPIs with a weight
    weight_sum: float              # of ALL the plan's KPI weights (what the form states)
    scored: int
    total: int
    flags: list[Flag] = field(default_factory=list)
    scores: dict[str, KpiScore] = field(default_factory=dict)   # kpi id -> score

    def display(self, places: int = 4, thai_digits: bool = False) -> str:
        return format_score(self.value, places, thai_digits)


# ---------------------------------------------------------------- parsing

_NUM_RE = re.compile(r"^(?:ร้อยละ|ระดับ(?:ที่)?)?\s*(?P<sign>[-+−])?\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d*\.?\d+)\s*"
                     r"(?:%|เปอร์เซ็นต์|คะแนน|ระดับ)?$")


def parse_number(text: Any) -> float | None:
    """A result or threshold as typed: '72%', '๗๒', '72.5', 'ร้อยละ 72', '1,250'. '' -> None.

    Raises ``ValidationError`` (with the text) for anything else.
    """
    if text is None:
        return None
    if isinstance(text, (int, float)):
        if isinstance(text, float) and not math.isfinite(text):
            raise ValidationError(_("'{text}' is not a number.").format(text=text))
        return float(text)
    raw = from_thai_digits(str(text)).strip().replace("\u00a0", " ")
    if raw in ("", "-", "–"):
        return None
    m = _NUM_RE.match(raw)
    if not m:
        raise ValidationError(_("'{text}' is not a number (examples: 72, 72.5, 72%).").format(text=str(text).strip()))
    value = float(m.group("num").replace(",", ""))
    if m.group("sign") in ("-", "−"):
        value = -value
    return value


# ---------------------------------------------------------------- ladders

def ladder_thresholds(kpi: Mapping[str, Any]) -> tuple[float, ...]:
    """T1..T5 of a linear KPI, as stored (missing ones left out)."""
    return tuple(float(kpi[f"t{k}"]) for k in range(1, LEVELS + 1) if kpi.get(f"t{k}") is not None)


def ladder_direction(thresholds: Sequence[float]) -> str | None:
    """'higher' for a strictly rising ladder, 'lower' for a strictly falling one, else None."""
    if len(thresholds) < 2:
        return None
    diffs = [b - a for a, b in zip(thresholds, thresholds[1:])]
    if all(d > 0 for d in diffs):
        return "higher"
    if all(d < 0 for d in diffs):
        return "lower"
    return None


def milestones_of(kpi: Mapping[str, Any]) -> list[list[dict]]:
    """The milestone ladder: one list of items per level; an item is {'text', 'step_id'}."""
    raw = kpi.get("milestones") or "[]"
    try:
        data = json.loads(raw) if isinstance(raw, str) else raw
    except (TypeError, ValueError):
        return []
    levels = []
    for level in data if isinstance(data, list) else []:
        items = level.get("items", []) if isinstance(level, dict) else level
        out = []
        for it in items if isinstance(items, list) else []:
            if isinstance(it, str):
                out.append({"text": it, "step_id": None})
            elif isinstance(it, dict):
                out.append({"text": str(it.get("text", "")), "step_id": it.get("step_id")})
        levels.append(out)
    return levels


def check_ladder(kpi: Mapping[str, Any]) -> list[Flag]:
    """Problems with a KPI's ladder: incomplete, not monotone, or against its direction."""
    flags: list[Flag] = []
    if kpi.get("ladder_kind", "linear") == "milestone":
        levels = milestones_of(kpi)
        if not levels or not any(levels):
            flags.append(Flag("ladder_incomplete", _("The milestone ladder lists no steps."), "error"))
        else:
            empty = [str(k) for k in range(1, LEVELS + 1) if k > len(levels) or not levels[k - 1]]
            if empty:
                flags.append(Flag("ladder_incomplete", _("Levels {levels} of the milestone ladder list no steps.").format(
                    levels=", ".join(empty))))
        return flags
    th = ladder_thresholds(kpi)
    if len(th) < LEVELS:
        flags.append(Flag("ladder_incomplete",
                          _("The ladder has {n} of its 5 thresholds.").format(n=len(th)), "error"))
        return flags
    natural = ladder_direction(th)
    if natural is None:
        flags.append(Flag("ladder_not_monotone",
                          _("The thresholds neither rise nor fall steadily; the KPI cannot be scored."), "error"))
        return flags
    stated = kpi.get("direction") or "higher"
    if stated != natural:
        if stated == "lower":
            flags.append(Flag("direction_mismatch", _(
                "This KPI is lower-is-better but its thresholds rise: probably copied from another KPI. "
                "It is scored as the thresholds are written; correct the thresholds or the direction.")))
        else:
            flags.append(Flag("direction_mismatch", _(
                "This KPI is higher-is-better but its thresholds fall. It is scored as the thresholds "
                "are written (lower is better); correct the thresholds or the direction.")))
    return flags


def below_rule_text(rule: str, thresholds: Sequence[float] | None = None) -> str:
    """The sentence the screen shows under a score: what a result short of level 1 gets."""
    t1 = format_plain(thresholds[0]) if thresholds else _("level 1")
    if rule == "one":
        return _("A result short of level 1 ({t1}) still scores 1 point.").format(t1=t1)
    if rule == "linear0":
        if thresholds and len(thresholds) >= 2:
            zero = format_plain(thresholds[0] - (thresholds[1] - thresholds[0]))
        else:
            zero = _("one step below level 1")
        return _("A result short of level 1 ({t1}) scores between 0 and 1 point, falling to 0 at {zero}.").format(
            t1=t1, zero=zero)
    return _("A result short of level 1 ({t1}) scores 0 points.").format(t1=t1)


def score_linear(thresholds: Sequence[float], x: float | None, below_rule: str = "zero") -> float | None:
    """Score of result ``x`` on a 5-step ladder; the ladder's own order says which way is better.

    None when there is no result or the ladder is not five strictly monotone thresholds.
    """
    if x is None or len(thresholds) != LEVELS:
        return None
    natural = ladder_direction(thresholds)
    if natural is None:
        return None
    if below_rule not in BELOW_RULES:
        raise ValueError(f"unknown below rule {below_rule!r}")
    sign = 1.0 if natural == "higher" else -1.0
    t = [sign * v for v in thresholds]    # now strictly rising
    v = sign * float(x)
    if v >= t[-1]:
        return MAX_SCORE
    if v < t[0]:
        if below_rule == "one":
            return 1.0
        if below_rule == "linear0":
            zero = t[0] - (t[1] - t[0])
            return max(0.0, (v - zero) / (t[0] - zero))
        return 0.0
    for k in range(LEVELS - 1):
        if t[k] <= v < t[k + 1]:
            return (k + 1) + (v - t[k]) / (t[k + 1] - t[k])
    return MAX_SCORE  # pragma: no cover (unreachable)


def milestone_level(done_by_level: Sequence[Sequence[bool]]) -> int:
    """Level k is reached when every item of levels 1..k is done. A level that lists no item
    is not a level of its own: it is passed through but never reached by itself."""
    level = 0
    for k, items in enumerate(done_by_level, start=1):
        if not items:
            continue
        if not all(items):
            break
        level = k
    return min(level, LEVELS)


_STATIC_CACHE: dict[tuple, tuple] = {}


def _static(kpi: Mapping[str, Any]) -> tuple:
    """What does not depend on the result: flags, thresholds, rule sentence, rule, direction
    (memoised: the dashboard scores every KPI for every round)."""
    get = kpi.get
    kind = get("ladder_kind", "linear")
    ms = get("milestones") if kind == "milestone" else None
    if ms is not None and not isinstance(ms, str):
        ms = json.dumps(ms, sort_keys=True)
    key = (_language(), kind, get("direction"), get("below_rule"), ms,
           get("t1"), get("t2"), get("t3"), get("t4"), get("t5"))
    hit = _STATIC_CACHE.get(key)
    if hit is None:
        rule = kpi.get("below_rule") or "zero"
        if rule not in BELOW_RULES:
            rule = "zero"
        th = ladder_thresholds(kpi)
        text = below_rule_text(rule, th if len(th) == LEVELS else None)
        hit = (tuple(check_ladder(kpi)), th, text, rule, ladder_direction(th))
        if len(_STATIC_CACHE) > 4096:
            _STATIC_CACHE.clear()
        _STATIC_CACHE[key] = hit
    return hit


def score_kpi(kpi: Mapping[str, Any], actual: float | None,
              done_by_level: Sequence[Sequence[bool]] | None = None) -> KpiScore:
    """Score one KPI for one round.

    Linear: ``actual`` is the result.  Milestone: ``actual`` (if given) is the level the
    clerk states; otherwise the level comes from ``done_by_level`` (one list of booleans
    per level, from the linked plan steps' progress).
    """
    flags, th, text, rule, natural = _static(kpi)
    flags = list(flags)
    if kpi.get("ladder_kind", "linear") == "milestone":
        if actual is not None:
            lvl = max(0.0, min(MAX_SCORE, float(actual)))
            return KpiScore(lvl, int(lvl), flags, _("Milestone ladder: the score is the level reached."))
        if done_by_level is None or not any(len(x) for x in done_by_level):
            return KpiScore(None, None, flags, _("Milestone ladder: the score is the level reached."))
        lvl = milestone_level(done_by_level)
        return KpiScore(float(lvl), lvl, flags, _("Milestone ladder: the score is the level reached."))
    if any(f.severity == "error" for f in flags):
        return KpiScore(None, None, flags, text)
    value = score_linear(th, actual, rule)
    if value is None:
        return KpiScore(None, None, flags, text)
    below = (actual < th[0]) if natural == "higher" else (actual > th[0])
    return KpiScore(value, int(math.floor(value)) if not below else 0, flags, text, below)


# ---------------------------------------------------------------- plan

def check_weights(weights: Iterable[float | None]) -> Flag | None:
    """Flag weights that are missing or do not sum to 1 (they are never rescaled)."""
    ws = list(weights)
    if not ws:
        return None
    if any(w is None for w in ws):
        return Flag("weights_missing", _("Some KPIs have no weight."))
    total = sum(ws)
    if abs(total - 1.0) > WEIGHT_TOLERANCE:
        return Flag("weights_sum", _("The weights sum to {total}, not 1.").format(total=format_plain(total)))
    return None


def weighted_score(pairs: Iterable[tuple[float | None, float | None]]) -> float | None:
    """sum(w*s)/sum(w) over pairs with both a weight > 0 and a score; None if there are none."""
    num = den = 0.0
    for w, s in pairs:
        if w is None or s is None or w <= 0:
            continue
        num += w * s
        den += w
    if den <= 0:
        return None
    return num / den


def score_plan(kpis: Sequence[Mapping[str, Any]], actual_by_kpi: Mapping[str, float | None],
               done_by_kpi: Mapping[str, Sequence[Sequence[bool]]] | None = None) -> PlanScore:
    """Weighted result of a plan for one round from its KPI rows and the round's results."""
    scores: dict[str, KpiScore] = {}
    pairs = []
    for k in kpis:
        sc = score_kpi(k, actual_by_kpi.get(k["id"]), (done_by_kpi or {}).get(k["id"]))
        scores[k["id"]] = sc
        pairs.append((k.get("weight"), sc.value))
    flags: list[Flag] = []
    wflag = check_weights(k.get("weight") for k in kpis)
    if wflag:
        flags.append(wflag)
    if any(f.code == "direction_mismatch" for s in scores.values() for f in s.flags):
        flags.append(Flag("kpi_flags", _("A KPI's ladder needs checking (see its row).")))
    scored = sum(1 for s in scores.values() if s.value is not None)
    if kpis and 0 < scored < len(kpis):
        flags.append(Flag("partial", ngettext("{n} of {total} KPIs has a score; the weighted result covers that one only.",
                                              "{n} of {total} KPIs have a score; the weighted result covers those only.",
                                              scored).format(n=scored, total=len(kpis))))
    value = weighted_score(pairs)
    ws = [k.get("weight") for k in kpis if k.get("weight") is not None]
    return PlanScore(value, float(sum(ws)), scored, len(kpis), flags, scores)


@dataclass(frozen=True)
class Prepared:
    """A KPI ready for fast repeated scoring (what ``plan_value`` uses)."""
    id: str
    weight: float | None
    milestone: bool
    scorable: bool
    rising: tuple[float, ...]   # thresholds times ``sign``: strictly rising
    sign: float
    rule: str


def prepare(kpi: Mapping[str, Any]) -> Prepared:
    flags, th, _text, rule, natural = _static(kpi)
    milestone = kpi.get("ladder_kind", "linear") == "milestone"
    scorable = milestone or (natural is not None and len(th) == LEVELS and not any(f.severity == "error" for f in flags))
    sign = -1.0 if natural == "lower" else 1.0
    return Prepared(kpi["id"], kpi.get("weight"), milestone, scorable, tuple(sign * v for v in th), sign, rule)


def prepared_score(p: Prepared, actual: float | None, done: Sequence[Sequence[bool]] | None = None) -> float | None:
    """Same value as ``score_kpi(...).value``."""
    if p.milestone:
        if actual is not None:
            return max(0.0, min(MAX_SCORE, float(actual)))
        return float(milestone_level(done)) if done and any(len(x) for x in done) else None
    if actual is None or not p.scorable:
        return None
    t = p.rising
    v = p.sign * float(actual)
    if v >= t[4]:
        return MAX_SCORE
    if v < t[0]:
        if p.rule == "one":
            return 1.0
        if p.rule == "linear0":
            zero = t[0] - (t[1] - t[0])
            return max(0.0, (v - zero) / (t[0] - zero))
        return 0.0
    for k in range(LEVELS - 1):
        if v < t[k + 1]:
            return (k + 1) + (v - t[k]) / (t[k + 1] - t[k])
    return MAX_SCORE  # pragma: no cover


def plan_value(kpis: Sequence[Mapping[str, Any] | Prepared], actual_by_kpi: Mapping[str, float | None],
               done_by_kpi: Mapping[str, Sequence[Sequence[bool]]] | None = None) -> float | None:
    """``score_plan(...).value`` without the per-KPI detail (fast path for the dashboard);
    accepts KPI rows or ``prepare``d KPIs."""
    num = den = 0.0
    for k in kpis:
        p = k if isinstance(k, Prepared) else prepare(k)
        w = p.weight
        if w is None or w <= 0:
            continue
        v = prepared_score(p, actual_by_kpi.get(p.id), done_by_kpi.get(p.id) if done_by_kpi else None)
        if v is not None:
            num += w * v
            den += w
    return num / den if den > 0 else None


# ---------------------------------------------------------------- display

def below_rule_choices() -> list[tuple[str, str]]:
    """(rule, short label) for a choice box."""
    return [("zero", _("Short of level 1: 0 points")), ("one", _("Short of level 1: 1 point")),
            ("linear0", _("Short of level 1: linear from 0"))]


def direction_label(direction: str) -> str:
    return _("Lower is better") if direction == "lower" else _("Higher is better")


def format_score(value: float | None, places: int = 4, thai_digits: bool = False) -> str:
    """3.4 -> '3.4000' (the 4 decimals of KPI agreements); None -> '-'."""
    if value is None:
        return "-"
    text = f"{value:.{places}f}"
    return to_thai_digits(text) if thai_digits else text


def format_plain(value: float | None) -> str:
    """72.0 -> '72', 72.5 -> '72.5', 0.9 -> '0.9' (thresholds, weights)."""
    if value is None:
        return ""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"
