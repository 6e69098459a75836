"""KPI and plan scoring: hand-worked cases from DOMAIN.md and properties (hypothesis)."""
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmqa_desktop.core import scoring as sc
from pmqa_desktop.core.budget import format_baht, format_budget, is_budget_like, parse_budget
from pmqa_desktop.core.errors import ValidationError


pytestmark = pytest.mark.usefixtures("english")  # assertions read the English wording


UP = (60.0, 65.0, 70.0, 75.0, 80.0)
DOWN = (20.0, 15.0, 10.0, 5.0, 2.0)


def kpi(th=UP, direction="higher", rule="zero", weight=0.5, kid="k", kind="linear", milestones=None):
    row = {"id": kid, "direction": direction, "below_rule": rule, "weight": weight, "ladder_kind": kind,
           "milestones": json.dumps(milestones or [])}
    row.update({f"t{i + 1}": v for i, v in enumerate(th)})
    return row


# ---------------------------------------------------------------- hand-worked cases

def test_domain_example_72_on_60_to_80_is_3_4():
    s = sc.score_kpi(kpi(), 72)
    assert s.value == pytest.approx(3.4)
    assert s.display() == "3.4000"
    assert not s.flags


@pytest.mark.parametrize("x,expected", [(60, 1.0), (62.5, 1.5), (65, 2.0), (79.99, 4.998), (80, 5.0), (95, 5.0),
                                        (100, 5.0)])
def test_at_and_between_levels_and_beyond_the_top(x, expected):
    assert sc.score_linear(UP, x) == pytest.approx(expected)


def test_lower_is_better_descending_ladder():
    # 20/15/10/5/2 days: 12 days is between level 2 (15) and 3 (10): 2 + 3/5
    assert sc.score_linear(DOWN, 12) == pytest.approx(2.6)
    assert sc.score_linear(DOWN, 2) == 5.0
    assert sc.score_linear(DOWN, 0) == 5.0
    assert sc.score_linear(DOWN, 25) == 0.0
    s = sc.score_kpi(kpi(DOWN, direction="lower"), 12)
    assert s.value == pytest.approx(2.6) and not s.flags


def test_ascending_ladder_on_lower_is_better_kpi_is_flagged_as_copy_paste_slip():
    s = sc.score_kpi(kpi(UP, direction="lower"), 72)
    codes = [f.code for f in s.flags]
    assert codes == ["direction_mismatch"]
    assert "lower-is-better" in s.flags[0].message
    assert s.value == pytest.approx(3.4)   # scored as written, not silently reversed
    # and the other way round
    s2 = sc.score_kpi(kpi(DOWN, direction="higher"), 12)
    assert [f.code for f in s2.flags] == ["direction_mismatch"]


def test_short_of_level_one_rules_are_stated_and_applied():
    assert sc.score_linear(UP, 50, "zero") == 0.0
    assert sc.score_linear(UP, 50, "one") == 1.0
    assert sc.score_linear(UP, 57.5, "linear0") == pytest.approx(0.5)   # 0 at 55, 1 at 60
    assert sc.score_linear(UP, 40, "linear0") == 0.0
    texts = {r: sc.score_kpi(kpi(rule=r), 50).rule_text for r in sc.BELOW_RULES}
    assert "0 points" in texts["zero"] and "60" in texts["zero"]
    assert "1 point" in texts["one"]
    assert "55" in texts["linear0"]
    assert sc.score_kpi(kpi(rule="zero"), 50).below is True


def test_incomplete_or_non_monotone_ladder_cannot_be_scored():
    s = sc.score_kpi(kpi((60, 65, 70)), 72)
    assert s.value is None and s.flags[0].code == "ladder_incomplete"
    s = sc.score_kpi(kpi((60, 70, 65, 75, 80)), 72)
    assert s.value is None and s.flags[0].code == "ladder_not_monotone"


def test_no_result_no_score():
    assert sc.score_kpi(kpi(), None).value is None


def test_milestone_ladder_level_k_needs_all_steps_of_levels_1_to_k():
    assert sc.milestone_level([[True], [True, True], [True, False], [True], [True]]) == 2
    assert sc.milestone_level([[False], [True]]) == 0
    assert sc.milestone_level([[True]] * 5) == 5
    assert sc.milestone_level([[True], [], [True], [], []]) == 3
    assert sc.milestone_level([[True], [True], [], [], []]) == 2
    k = kpi(kind="milestone", milestones=[["แต่งตั้งคณะทำงาน"], ["จัดทำแผน"], ["ดำเนินการ"], ["ติดตาม"], ["รายงาน"]])
    assert sc.score_kpi(k, None, [[True], [True], [True], [False], [False]]).value == 3.0
    assert sc.score_kpi(k, 4, None).value == 4.0     # the clerk states the level
    assert sc.score_kpi(k, None, None).value is None
    empty = kpi(kind="milestone")
    assert sc.check_ladder(empty)[0].code == "ladder_incomplete"


def test_weighted_plan_score_and_weights_summing_to_0_9_are_flagged_not_rescaled():
    kpis = [kpi(kid="a", weight=0.5), kpi(kid="b", weight=0.4)]
    ps = sc.score_plan(kpis, {"a": 72, "b": 80})
    # (0.5*3.4 + 0.4*5) / 0.9
    assert ps.value == pytest.approx((0.5 * 3.4 + 0.4 * 5) / 0.9)
    assert ps.display() == f"{(0.5 * 3.4 + 0.4 * 5) / 0.9:.4f}"
    assert ps.weight_sum == pytest.approx(0.9)
    assert [f.code for f in ps.flags] == ["weights_sum"]
    assert "0.9" in ps.flags[0].message
    ok = sc.score_plan([kpi(kid="a", weight=0.5), kpi(kid="b", weight=0.5)], {"a": 72, "b": 80})
    assert ok.value == pytest.approx(4.2) and ok.flags == []


def test_partial_results_are_said():
    ps = sc.score_plan([kpi(kid="a"), kpi(kid="b")], {"a": 72})
    assert ps.value == pytest.approx(3.4)
    assert "partial" in [f.code for f in ps.flags]
    assert sc.check_weights([0.5, None]).code == "weights_missing"


@pytest.mark.parametrize("text,value", [("72%", 72.0), ("๗๒", 72.0), ("72.5", 72.5), (" 72 % ", 72.0),
                                        ("ร้อยละ 80", 80.0), ("1,250", 1250.0), ("0.5", 0.5), ("", None),
                                        ("-", None), ("๗๒.๕%", 72.5)])
def test_parse_number(text, value):
    assert sc.parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "72%%", "7 2", "1.2.3"])
def test_parse_number_rejects_garbage_with_a_message(text):
    with pytest.raises(ValidationError) as exc:
        sc.parse_number(text)
    assert text.strip() in exc.value.message


# ---------------------------------------------------------------- baht

@pytest.mark.parametrize("text,amount,note", [("30,000", 30000, ""), ("๕๐,๐๐๐", 50000, ""),
                                              ("150,000 บาท", 150000, ""), ("1.5 ล้านบาท", 1500000, ""),
                                              ("ในม.", None, "ในม."), ("", None, ""), ("20000", 20000, ""),
                                              ("30,000.00", 30000, ""), ("50,000.-", 50000, ""),
                                              ("50,000.- บาท", 50000, ""), ("๒๐,๐๐๐ บ.", 20000, ""),
                                              ("งบปกติ", None, "งบปกติ"), ("-", None, "-")])
def test_parse_budget(text, amount, note):
    b = parse_budget(text)
    assert (b.amount, b.note) == (amount, note)


def test_budget_validation_and_format():
    with pytest.raises(ValidationError):
        parse_budget("-5,000")
    with pytest.raises(ValidationError):
        parse_budget("30,000.50")
    assert format_baht(150000) == "150,000"
    assert format_baht(150000, thai_digits=True, unit=True) == "๑๕๐,๐๐๐ บาท"
    assert format_budget(None, "ในม.") == "ในม."
    assert is_budget_like("ในม.") and is_budget_like("50,000") and not is_budget_like("คณะทำงานฯ")
    assert not is_budget_like('"')


# ---------------------------------------------------------------- properties

ladders = st.lists(st.floats(min_value=-1e4, max_value=1e4, allow_nan=False), min_size=5, max_size=5, unique=True) \
    .filter(lambda xs: min(abs(a - b) for a in xs for b in xs if a != b) > 1e-3).map(sorted)
results = st.floats(min_value=-2e4, max_value=2e4, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(ladders, results, results, st.sampled_from(sc.BELOW_RULES), st.booleans())
def test_score_is_monotone_and_in_range(th, x, y, rule, descending):
    if descending:
        th = list(reversed(th))
    lo, hi = sorted((x, y))
    s_lo, s_hi = sc.score_linear(th, lo, rule), sc.score_linear(th, hi, rule)
    floor = 1.0 if rule == "one" else 0.0
    for s in (s_lo, s_hi):
        assert floor <= s <= 5.0
    if descending:   # lower is better: non-increasing in the result
        assert s_lo >= s_hi - 1e-9
    else:
        assert s_lo <= s_hi + 1e-9


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.floats(min_value=0.01, max_value=10), st.floats(min_value=0, max_value=5)),
                min_size=1, max_size=8))
def test_weighted_score_lies_between_the_scores(pairs):
    v = sc.weighted_score(pairs)
    scores = [s for _w, s in pairs]
    assert min(scores) - 1e-9 <= v <= max(scores) + 1e-9


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10 ** 12), st.booleans())
def test_baht_round_trip(amount, thai):
    assert parse_budget(format_baht(amount, thai_digits=thai)).amount == amount
    assert parse_budget(format_baht(amount, unit=True)).amount == amount


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda v: round(v, 2)), st.booleans())
def test_percent_round_trip(value, thai):
    from pmqa_desktop.core.thai_calendar import to_thai_digits
    text = f"{value}%"
    if thai:
        text = to_thai_digits(text)
    assert math.isclose(sc.parse_number(text), value)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([None, 0.0, 0.25, 0.5, 1.0]), st.one_of(st.none(), results),
                          st.sampled_from(sc.BELOW_RULES), st.booleans()), min_size=0, max_size=6))
def test_fast_plan_value_equals_score_plan(rows):
    kpis, actual = [], {}
    for i, (w, x, rule, down) in enumerate(rows):
        kpis.append(kpi(DOWN if down else UP, rule=rule, weight=w, kid=str(i)))
        actual[str(i)] = x
    full = sc.score_plan(kpis, actual).value
    fast = sc.plan_value(kpis, actual)
    assert (full is None and fast is None) or math.isclose(full, fast)


@settings(max_examples=100, deadline=None)
@given(ladders, results, st.sampled_from(sc.BELOW_RULES), st.booleans(), st.sampled_from(["higher", "lower"]))
def test_prepared_score_equals_score_kpi(th, x, rule, descending, direction):
    if descending:
        th = list(reversed(th))
    row = kpi(th, direction=direction, rule=rule)
    assert sc.prepared_score(sc.prepare(row), x) == pytest.approx(sc.score_kpi(row, x).value)
