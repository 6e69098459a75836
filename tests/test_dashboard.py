"""The traffic-light dashboard: colours, counts, scores and progress per round, settings."""
import pytest

from pmqa_desktop.core import dashboard as dash
from pmqa_desktop.core.storage import Actor, Store
from pmqa_desktop.core.storage import devplan as dp
from pmqa_desktop.core.storage import planning
from pmqa_desktop.core.thai_calendar import MonthKey


pytestmark = pytest.mark.usefixtures("english")  # assertions read the English wording


JULY_53 = MonthKey(2010, 7)


@pytest.fixture
def store():
    s = Store.open(None, Actor("office", "clerk"))
    from pmqa_desktop.core.demo import ensure_catalog
    ensure_catalog(s)
    yield s
    s.close()


@pytest.fixture
def year(store):
    org = planning.add_organisation(store, "จังหวัดระยอง")
    return planning.add_fiscal_year(store, org, 2553)


def _cat(store, code):
    return next(c["id"] for c in planning.categories(store) if c["code"] == code)


def _plan(store, year, code="3", spans=(("2010-01", "2010-02"), ("2010-05", "2010-08"))):
    pid = dp.add_plan(store, year, f"แผนหมวด {code}", category_id=_cat(store, code))
    a = dp.add_activity(store, pid, "กิจกรรม")
    sids = [dp.add_step(store, a, f"ขั้นตอน {k}", start_month=s, end_month=e) for k, (s, e) in enumerate(spans)]
    return pid, sids


def test_overdue_step_makes_the_plan_and_its_category_red(store, year):
    pid, (s1, s2) = _plan(store, year)
    d = dash.compute_dashboard(store, year, JULY_53)
    ps = d.plan(pid)
    assert ps.status == "red" and ps.overdue == 1 and ps.overdue_steps[0].step_id == s1
    assert ps.jump == {"table": "dev_plan", "id": pid, "year_id": year}
    assert d.overdue == 1 and d.status == "red"
    assert d.categories[0].code == "3" and d.categories[0].status == "red" and d.categories[0].overdue == 1
    # reported done: no longer overdue
    dp.set_step_progress(store, s1, 6, status="done")
    d = dash.compute_dashboard(store, year, JULY_53)
    assert d.plan(pid).overdue == 0 and d.plan(pid).status != "red"
    # before the end month nothing is overdue
    assert dash.compute_dashboard(store, year, MonthKey(2010, 2)).overdue == 0


def test_cancelled_step_is_not_overdue_and_not_counted_in_progress(store, year):
    pid, (s1, s2) = _plan(store, year)
    dp.set_step_progress(store, s1, 6, status="cancelled")
    dp.set_step_progress(store, s2, 9, status="in_progress", percent=40)
    ps = dash.compute_dashboard(store, year, JULY_53).plan(pid)
    assert ps.overdue == 0
    assert ps.progress[9] == 40.0


def test_yellow_when_progress_trails_time_by_more_than_the_setting(store, year):
    pid, (s1, s2) = _plan(store, year)
    dp.set_step_progress(store, s1, 6, status="done")
    dp.set_step_progress(store, s2, 9, status="in_progress", percent=10)
    # expected: step 1 100 %, step 2 (พ.ค.-ส.ค., today ก.ค.) 2.5/4 = 62.5 % -> 81.25 ; done (100+10)/2 = 55
    ps = dash.compute_dashboard(store, year, JULY_53).plan(pid)
    assert ps.expected_percent == pytest.approx(81.25) and ps.percent_done == pytest.approx(55.0)
    assert ps.status == "yellow" and "55% done" in ps.reasons[0]
    lenient = dash.DashboardSettings(lag_points=30.0)
    assert dash.compute_dashboard(store, year, JULY_53, lenient).plan(pid).status == "green"


def test_yellow_when_kpi_score_below_the_setting(store, year):
    pid, (s1,) = _plan(store, year, spans=(("2010-01", "2010-02"),))
    dp.set_step_progress(store, s1, 6, status="done")
    k1 = dp.add_kpi(store, pid, "7.1", "ร้อยละ ก", weight=0.5, t1=60, t2=65, t3=70, t4=75, t5=80)
    k2 = dp.add_kpi(store, pid, "7.2", "ร้อยละ ข", weight=0.5, t1=60, t2=65, t3=70, t4=75, t5=80)
    dp.set_kpi_result(store, k1, 6, 72)
    dp.set_kpi_result(store, k2, 6, 62)
    dp.set_kpi_result(store, k1, 9, 80)
    dp.set_kpi_result(store, k2, 9, 70)
    ps = dash.compute_dashboard(store, year, JULY_53).plan(pid)
    assert ps.scores[6] == pytest.approx((3.4 + 1.4) / 2)
    assert ps.scores[9] == pytest.approx(4.0)
    assert ps.scores[12] is None and ps.progress[12] is None
    assert ps.latest_round == 9 and ps.status == "green"
    strict = dash.DashboardSettings(score_below=4.5)
    ps = dash.compute_dashboard(store, year, JULY_53, strict).plan(pid)
    assert ps.status == "yellow" and "4.0000" in ps.reasons[0]
    ignore = dash.DashboardSettings(score_below=4.5, use_score=False)
    assert dash.compute_dashboard(store, year, JULY_53, ignore).plan(pid).status == "green"
    # the per-plan detail agrees with the dashboard
    assert dash.plan_scores(store, pid)[6].value == pytest.approx(2.4)


def test_milestone_kpi_scored_from_linked_steps(store, year):
    pid, (s1, s2) = _plan(store, year)
    k = dp.add_kpi(store, pid, "7.4", "ระดับความสำเร็จ", weight=1.0, ladder_kind="milestone",
                   milestones=[[{"text": "ประชุม", "step_id": s1}], [{"text": "ดำเนินการ", "step_id": s2}], [], [], []])
    dp.set_step_progress(store, s1, 6, status="done")
    scores = dash.plan_scores(store, pid)
    assert scores[6].scores[k].value == 1.0
    dp.set_step_progress(store, s2, 9, status="done")
    d = dash.compute_dashboard(store, year, JULY_53)
    assert d.plan(pid).scores[9] == 2.0     # levels 3-5 list nothing: they cannot be reached
    assert "Levels 3, 4, 5" in dash.plan_scores(store, pid)[9].scores[k].flags[0].message
    assert d.plan(pid).scores[6] == 1.0


def test_categories_take_the_worst_colour_and_policies_group(store, year):
    red, _ = _plan(store, year, "3")
    green, (g1,) = _plan(store, year, "2", spans=(("2010-09", "2010-09"),))
    policy = dp.add_plan(store, year, "แนวนโยบาย 2", policy="แนวนโยบาย 2")
    d = dash.compute_dashboard(store, year, JULY_53)
    by = {c.code: c for c in d.categories}
    assert by["3"].status == "red" and by["2"].status == "green"
    assert [c.code for c in d.categories] == ["2", "3", ""]     # catalog order, policies last
    assert by[""].plan_ids == [policy] and by[""].category_id is None
    assert d.status == "red"
    assert set(by["3"].jump["plan_ids"]) == {red}


def test_many_years_at_once(store, year):
    org2 = planning.add_organisation(store, "ส่วนราชการ")
    y2 = planning.add_fiscal_year(store, org2, 2553)
    _plan(store, year)
    _plan(store, y2, spans=(("2010-09", "2010-09"),))
    ds = dash.compute_dashboards(store, [year, y2], JULY_53)
    assert ds[year].status == "red" and ds[y2].status == "green"
    empty = planning.add_fiscal_year(store, org2, 2554)
    assert dash.compute_dashboard(store, empty, JULY_53).plans == []


def test_settings_round_trip_through_the_settings_file():
    assert dash.load_settings() == dash.DashboardSettings()
    dash.save_settings(dash.DashboardSettings(lag_points=7.5, score_below=2.0, use_score=False))
    assert dash.load_settings() == dash.DashboardSettings(7.5, 2.0, False)
    from pmqa_desktop import settings
    settings.set_values({"dashboard_lag_points": "not a number"})
    assert dash.load_settings().lag_points == dash.DashboardSettings().lag_points


def test_round_months():
    assert dash.round_month(2553, 6) == MonthKey(2010, 3)
    assert dash.round_month(2553, 12) == MonthKey(2010, 9)
    assert dash.as_of_round(2553, 9) == JULY_53


def test_demo_dashboard_shows_colours(demo_store):
    org = planning.find_organisation(demo_store, "จังหวัดระยอง")
    year = planning.find_year(demo_store, org["id"], 2553)
    d = dash.compute_dashboard(demo_store, year["id"], dash.as_of_round(2553, 9))
    assert {p.status for p in d.plans} == {"yellow", "red"}
    assert d.overdue >= 1
    assert all(p.scores[6] is not None and p.scores[9] is not None for p in d.plans)
    assert all(p.progress[9] is not None for p in d.plans)


def test_round_report_of_one_plan(store, year):
    pid, (s1, s2) = _plan(store, year)
    k = dp.add_kpi(store, pid, "7.2", "ร้อยละความพึงพอใจ", weight=1.0, t1=60, t2=65, t3=70, t4=75, t5=80)
    dp.set_step_progress(store, s1, 6, status="done", evidence="รายงานการประชุม", reported_on="2010-04-01")
    dp.set_step_progress(store, s2, 9, status="in_progress", percent=40)
    dp.set_kpi_result(store, k, 9, "72%", note="แบบสอบถาม")
    r = dash.round_report(store, pid, 9)
    steps = r.activities[0]["steps"]
    assert (steps[0].status, steps[0].carried, steps[0].evidence, steps[0].overdue) == ("done", True, "รายงานการประชุม", False)
    assert (steps[1].status, steps[1].percent, steps[1].carried, steps[1].overdue) == ("in_progress", 40.0, False, False)
    assert r.progress == pytest.approx(70.0)
    assert list(r.kpis) == ["7.1", "7.2", "7.3", "7.4"] and r.kpis["7.1"] == []
    kr = r.kpis["7.2"][0]
    assert (kr.actual, kr.note, kr.score.display()) == (72.0, "แบบสอบถาม", "3.4000")
    assert r.score.display() == "3.4000"
    # as of round 6 the second step has no report yet, and round 12 (after ก.ย.) it is overdue
    r6 = dash.round_report(store, pid, 6)
    assert r6.activities[0]["steps"][1].status == "" and r6.kpis["7.2"][0].actual is None
    r12 = dash.round_report(store, pid, 12)
    assert r12.activities[0]["steps"][1].overdue and r12.activities[0]["steps"][1].carried
    assert dash.step_status_label("done") == "Done"
