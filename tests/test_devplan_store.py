"""Development plans in the store: plans, activities, steps, KPIs, rounds, budgets, ditto marks,
approval and revision."""
import pytest

from pmqa_desktop.core.errors import ValidationError
from pmqa_desktop.core.storage import Actor, Store
from pmqa_desktop.core.storage import devplan as dp
from pmqa_desktop.core.storage import planning
from pmqa_desktop.core.thai_calendar import MonthKey


pytestmark = pytest.mark.usefixtures("english")  # assertions read the English wording


@pytest.fixture
def store(tmp_path):
    s = Store.open(None, Actor("office", "clerk"))
    yield s
    s.close()


@pytest.fixture
def year(store):
    org = planning.add_organisation(store, "จังหวัดระยอง", province="ระยอง")
    return planning.add_fiscal_year(store, org, 2553)


@pytest.fixture
def plan_id(store, year):
    return dp.add_plan(store, year, "แผนหมวด 3", policy="")


def test_plans_activities_steps_in_order(store, year, plan_id):
    second = dp.add_plan(store, year, "แผนหมวด 4")
    first = dp.add_plan(store, year, "แผนหมวด 2", after_id=None)
    dp.move_plan(store, first, 0)
    assert [p["title"] for p in dp.plans(store, year)] == ["แผนหมวด 2", "แผนหมวด 3", "แผนหมวด 4"]
    a1 = dp.add_activity(store, plan_id, "การกำหนดกลุ่มผู้รับบริการ")
    a2 = dp.add_activity(store, plan_id, "การปรับปรุงคุณภาพ", stated_budget="150,000 บาท")
    assert [a["number"] for a in dp.activities(store, plan_id)] == ["1", "2"]
    assert dp.activity(store, a2)["stated_budget"] == 150000
    s1 = dp.add_step(store, a1, "จัดประชุม", number="1", duration="1 เดือน", start_month="ม.ค. 53",
                     end_month=MonthKey(2010, 2), budget="30,000", responsible="คณะทำงานฯ")
    s3 = dp.add_step(store, a1, "สรุปผล", number="3", budget="ในม.")
    s2 = dp.add_step(store, a1, "ดำเนินการ", number="2", after_id=s1, budget=20000)
    assert [s["id"] for s in dp.steps(store, a1)] == [s1, s2, s3]
    row = dp.step(store, s1)
    assert (row["start_month"], row["end_month"], row["budget"], row["budget_note"]) == ("2010-01", "2010-02", 30000, "")
    assert (dp.step(store, s3)["budget"], dp.step(store, s3)["budget_note"]) == (None, "ในม.")
    # move a step to the other activity, at the top
    dp.move_step(store, s3, 0, activity_id=a2)
    assert [s["id"] for s in dp.steps(store, a1)] == [s1, s2]
    assert [s["id"] for s in dp.plan_steps(store, plan_id)] == [s1, s2, s3]
    dp.move_step(store, s2, 0)
    assert [s["id"] for s in dp.steps(store, a1)] == [s2, s1]
    dp.move_activity(store, a2, 0)
    assert [s["id"] for s in dp.plan_steps(store, plan_id)] == [s3, s2, s1]
    assert second in [p["id"] for p in dp.plans(store, year)]


def test_budget_sums_are_always_current_and_mismatch_is_exposed(store, plan_id):
    a = dp.add_activity(store, plan_id, "การปรับปรุงคุณภาพ", stated_budget=150000)
    ids = [dp.add_step(store, a, f"ขั้นตอน {k}", budget="50,000") for k in range(3)]
    marker = dp.add_step(store, a, "สรุป", budget="ในม.")
    b = dp.budget_summary(store, plan_id)
    assert b.total == 150000 and b.activities[0].total == 150000 and not b.mismatches
    assert b.activities[0].markers == 1
    dp.update_step(store, ids[0], budget="60,000")
    b = dp.budget_summary(store, plan_id)
    assert b.total == 160000
    assert [(m.stated, m.total) for m in b.mismatches] == [(150000, 160000)]
    undo = dp.delete_step(store, ids[0])
    assert dp.budget_summary(store, plan_id).total == 100000
    store.undelete("plan_step", undo)
    assert dp.budget_summary(store, plan_id).total == 160000
    dp.update_step(store, marker, budget="5,000")
    assert dp.step(store, marker)["budget_note"] == ""
    a2 = dp.add_activity(store, plan_id, "การติดตามผล")
    dp.add_step(store, a2, "ติดตาม", budget=20000)
    assert dp.budget_summary(store, plan_id).total == 185000
    assert dp.plan_tree(store, plan_id)["total"] == 185000


def test_ditto_mark_resolves_to_the_step_above(store, plan_id):
    a1 = dp.add_activity(store, plan_id, "หนึ่ง")
    a2 = dp.add_activity(store, plan_id, "สอง")
    s1 = dp.add_step(store, a1, "แรก", responsible="คณะทำงานฯ", related="34 หน่วยงานภูมิภาค")
    s2 = dp.add_step(store, a1, "สอง", responsible='"', related="〃")
    assert (dp.step(store, s2)["responsible"], dp.step(store, s2)["related"]) == ("คณะทำงานฯ", "34 หน่วยงานภูมิภาค")
    # first step of the next activity: the row above is the last step of the previous activity
    s3 = dp.add_step(store, a2, "สาม", responsible="“")
    assert dp.step(store, s3)["responsible"] == "คณะทำงานฯ"
    dp.update_step(store, s1, responsible="สนจ.")
    dp.update_step(store, s2, responsible='"')
    assert dp.step(store, s2)["responsible"] == "สนจ."
    assert dp.resolve_ditto_for(store, a2, "related", '"', index=0) == "34 หน่วยงานภูมิภาค"
    assert dp.resolve_ditto_for(store, a1, "related", " ฝ่าย ก ") == "ฝ่าย ก"
    with pytest.raises(ValidationError):
        dp.update_step(store, s1, related='"')


def test_bad_values_are_refused_with_a_message_and_lose_nothing(store, plan_id):
    a = dp.add_activity(store, plan_id, "หนึ่ง")
    s = dp.add_step(store, a, "แรก", start_month="2010-03", end_month="2010-05", budget=1000)
    with pytest.raises(ValidationError) as exc:
        dp.update_step(store, s, end_month="2010-01")
    assert "before" in exc.value.message
    with pytest.raises(ValidationError):
        dp.update_step(store, s, start_month="ไม่ใช่เดือน")
    with pytest.raises(ValidationError):
        dp.update_step(store, s, budget="-5")
    assert dp.step(store, s)["end_month"] == "2010-05" and dp.step(store, s)["budget"] == 1000
    with pytest.raises(ValidationError):
        dp.add_kpi(store, plan_id, "7.9", "x")
    with pytest.raises(ValidationError):
        dp.add_kpi(store, plan_id, "7.1", "x", direction="sideways")
    with pytest.raises(ValidationError):
        dp.set_kpi_result(store, dp.add_kpi(store, plan_id, "7.1", "x"), 7, "72")
    with pytest.raises(ValidationError):
        dp.set_step_progress(store, s, 6, percent=120)
    assert dp.set_step_span(store, s, MonthKey(2010, 4), MonthKey(2010, 6))
    assert dp.step(store, s)["start_month"] == "2010-04"


def test_kpis_by_dimension_results_and_progress(store, plan_id):
    k1 = dp.add_kpi(store, plan_id, "7.2", "ร้อยละความพึงพอใจ", weight="0.5", t1="60%", t2=65, t3=70, t4=75, t5=80,
                    target="100%", unit="%")
    k2 = dp.add_kpi(store, plan_id, "7.1", "ระดับความสำเร็จ", weight=0.5, ladder_kind="milestone",
                    milestones=[["แต่งตั้งคณะทำงาน"], ["จัดทำแผน"], [], [], []])
    by = dp.kpis_by_dimension(store, plan_id)
    assert list(by) == ["7.1", "7.2", "7.3", "7.4"]
    assert [k["id"] for k in by["7.2"]] == [k1] and by["7.3"] == [] and [k["id"] for k in by["7.1"]] == [k2]
    assert dp.kpi(store, k1)["t1"] == 60.0
    rid = dp.set_kpi_result(store, k1, 6, "72%", note="จากแบบสอบถาม", reported_on="2010-04-05")
    assert dp.set_kpi_result(store, k1, 6, "๗๔") == rid           # one row per round
    assert dp.kpi_results(store, k1)[6]["actual"] == 74.0
    assert dp.plan_kpi_results(store, plan_id)[k1][6]["note"] == "จากแบบสอบถาม"
    dp.clear_kpi_result(store, k1, 6)
    assert dp.kpi_results(store, k1) == {}
    assert dp.set_kpi_result(store, k1, 6, 70) == rid             # revived, not duplicated
    a = dp.add_activity(store, plan_id, "หนึ่ง")
    s = dp.add_step(store, a, "แรก")
    dp.set_step_progress(store, s, 9, status="done", evidence="รายงาน", reported_on="2010-07-01")
    assert dp.step_progress(store, s)[9]["percent"] == 100.0
    assert dp.plan_progress(store, plan_id)[s][9]["evidence"] == "รายงาน"
    dp.move_kpi(store, k1, 0, dimension="7.3")
    assert [k["id"] for k in dp.kpis_by_dimension(store, plan_id)["7.3"]] == [k1]


def test_approval_freezes_and_editing_starts_revision_two(store, plan_id):
    a = dp.add_activity(store, plan_id, "หนึ่ง", stated_budget=50000)
    s = dp.add_step(store, a, "จัดประชุม", budget=50000)
    k = dp.add_kpi(store, plan_id, "7.1", "ร้อยละ", weight=1, t1=60, t2=65, t3=70, t4=75, t5=80)
    before = dp.plan_state(store, plan_id)
    ap = dp.approve_plan(store, plan_id, "สุพรีพจน์ จอองพานิช",
                         ["รองผู้ว่าราชการจังหวัดระยอง ปฏิบัติราชการแทน", "ผู้ว่าราชการจังหวัดระยอง"], "2010-01-15")
    assert dp.plan_state(store, plan_id) == (1, "approved")
    # results are reports, not edits: no new revision
    dp.set_kpi_result(store, k, 6, 72)
    dp.set_step_progress(store, s, 6, status="in_progress", percent=40)
    assert dp.plan_state(store, plan_id) == (1, "approved")
    # an edit starts revision 2 and the approved version stays readable
    assert dp.update_step(store, s, text="จัดประชุมใหญ่", budget="60,000")
    assert dp.plan_state(store, plan_id) == (2, "draft")
    versions = dp.approved_versions(store, plan_id)
    assert [(v["revision"], v["signer_name"], v["signed_on"]) for v in versions] == [(1, "สุพรีพจน์ จอองพานิช", "2010-01-15")]
    assert versions[0]["position_lines"].splitlines() == ["รองผู้ว่าราชการจังหวัดระยอง ปฏิบัติราชการแทน",
                                                          "ผู้ว่าราชการจังหวัดระยอง"]
    snap = dp.load_snapshot(store, ap)
    assert snap["plan"]["revision"] == 1 and snap["plan"]["status"] == "approved"
    assert snap["activities"][0]["steps"][0]["text"] == "จัดประชุม"
    assert snap["activities"][0]["total"] == 50000 and snap["total"] == 50000
    assert snap["kpis"]["7.1"][0]["t3"] == 70
    assert dp.plan_tree(store, plan_id)["activities"][0]["steps"][0]["text"] == "จัดประชุมใหญ่"
    # a second edit stays in revision 2; approving again freezes revision 2
    dp.update_kpi(store, k, weight=0.9)
    assert dp.plan_state(store, plan_id) == (2, "draft")
    ap2 = dp.approve_plan(store, plan_id, "ผู้ว่า", "ผู้ว่าราชการจังหวัดระยอง")
    assert [v["revision"] for v in dp.approved_versions(store, plan_id)] == [1, 2]
    # approving the same revision again corrects its record, it does not freeze a second copy
    assert dp.approve_plan(store, plan_id, "ผู้ว่าฯ", ["ผู้ว่าราชการจังหวัดระยอง"], "2010-01-20") == ap2
    assert [(v["revision"], v["signer_name"]) for v in dp.approved_versions(store, plan_id)] == [(1, "สุพรีพจน์ จอองพานิช"),
                                                                                                (2, "ผู้ว่าฯ")]
    assert dp.update_approval(store, ap2, signer_name="นายสมชาย ใจดี", signed_on="2010-02-01")
    assert dp.approved_versions(store, plan_id)[1]["signer_name"] == "นายสมชาย ใจดี"
    assert dp.approved_versions(store, plan_id)[1]["signed_on"] == "2010-02-01"
    assert dp.plan_state(store, plan_id) == (2, "approved")
    # undo of an approval
    dp.withdraw_approval(store, ap2)
    assert dp.plan_state(store, plan_id) == (2, "draft")
    assert [v["revision"] for v in dp.approved_versions(store, plan_id)] == [1]
    dp.set_plan_state(store, plan_id, before)
    assert dp.plan_state(store, plan_id) == before
    with pytest.raises(ValidationError):
        dp.approve_plan(store, plan_id, "  ", [])


@pytest.mark.parametrize("edit", ["plan", "activity", "add_step", "delete_step", "kpi", "move_step", "delete_kpi"])
def test_every_kind_of_edit_of_an_approved_plan_starts_a_revision(store, plan_id, edit):
    a = dp.add_activity(store, plan_id, "หนึ่ง")
    s = dp.add_step(store, a, "แรก")
    dp.add_step(store, a, "สอง")
    k = dp.add_kpi(store, plan_id, "7.1", "ร้อยละ")
    dp.approve_plan(store, plan_id, "ผู้ว่า", "ผู้ว่าราชการจังหวัด")
    {"plan": lambda: dp.update_plan(store, plan_id, title="ใหม่"),
     "activity": lambda: dp.update_activity(store, a, title="ใหม่"),
     "add_step": lambda: dp.add_step(store, a, "สาม"),
     "delete_step": lambda: dp.delete_step(store, s),
     "kpi": lambda: dp.update_kpi(store, k, target="90%"),
     "move_step": lambda: dp.move_step(store, s, 5),
     "delete_kpi": lambda: dp.delete_kpi(store, k)}[edit]()
    assert dp.plan_state(store, plan_id) == (2, "draft")
    assert len(dp.approved_versions(store, plan_id)) == 1


def test_unchanged_write_does_not_start_a_revision(store, plan_id):
    a = dp.add_activity(store, plan_id, "หนึ่ง")
    s = dp.add_step(store, a, "แรก", budget=100)
    dp.approve_plan(store, plan_id, "ผู้ว่า", "ผู้ว่าราชการจังหวัด")
    assert dp.update_step(store, s, text="แรก", budget="100") is False
    assert dp.plan_state(store, plan_id) == (1, "approved")


def test_delete_plan_takes_its_children_and_undelete_brings_them_back(store, year, plan_id):
    a = dp.add_activity(store, plan_id, "หนึ่ง")
    s = dp.add_step(store, a, "แรก", budget=10)
    k = dp.add_kpi(store, plan_id, "7.1", "ร้อยละ")
    dp.set_kpi_result(store, k, 6, 70)
    done = dp.delete_plan(store, plan_id)
    assert dp.plans(store, year) == [] and dp.step(store, s) is None
    store.undelete("dev_plan", done)
    assert dp.step(store, s)["budget"] == 10 and dp.kpi_results(store, k)[6]["actual"] == 70
