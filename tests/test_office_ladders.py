"""Form 7.2's ladder cell read back: a milestone ladder as the form prints it in one cell (each
level's number, then the steps that reach it, or "k คะแนน" for a level without steps) splits into
its levels again, even when a step's own text holds a lone digit, and a linear ladder with a unit."""
from __future__ import annotations

from hypothesis import assume, given, settings, strategies as st

from pmqa_desktop.core.importers.devplan_import import is_linear_ladder, milestone_levels, parse_devplan

WORDS = ["ประชุม", "จัดทำแผน", "2", "ครั้ง", "ติดตาม", "5", "รายงานผล", "คณะทำงาน", "1", "ระดับ"]


def printed(levels: list[list[str]], digits: str = "12345") -> str:
    """The cell as the printed form writes it (plan_forms._ladder_lines, rows joined by a space)."""
    return " ".join(f"{digits[k]} " + (" ".join(items) if items else f"{digits[k]} คะแนน")
                    for k, items in enumerate(levels))


labels_st = st.lists(
    st.tuples(st.sampled_from(["1", "1.1", "2", "2.3", "3", "10", ""]),
              st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join))
    .map(lambda nt: f"{nt[0]} {nt[1]}".strip()),
    min_size=1, max_size=8, unique=True)


def readings(text: str, labels: list[str]) -> int:
    """In how many ways ``text`` is labels written one after the other."""
    if not text:
        return 1
    return sum(readings(text[len(lab) + 1:], labels) for lab in labels
               if text == lab or text.startswith(lab + " "))


def ladder_readings(text: str, labels: list[str], digits: str = "12345") -> int:
    """In how many ways ``text`` is a whole ladder: each level's number, then labels or "k คะแนน"."""
    def level(rest: str, k: int) -> int:   # ``rest`` starts at level k's number
        if k == len(digits):
            return 1 if not rest else 0
        d = digits[k]
        if not rest.startswith(d + " "):
            return 0
        body = rest[len(d) + 1:]
        empty = f"{d} คะแนน"
        n = level(body[len(empty) + 1:], k + 1) if body == empty or body.startswith(empty + " ") else 0
        return n + items(body, k)

    def items(body: str, k: int) -> int:   # one or more labels, then the next level (or the end)
        n = 0
        for lab in labels:
            if body == lab or body.startswith(lab + " "):
                after = body[len(lab) + 1:]
                n += level(after, k + 1) + (items(after, k) if after else 0)
        return n
    return level(text, 0)


@settings(max_examples=200, deadline=None)
@given(labels_st, st.data())
def test_a_milestone_ladder_splits_back_into_its_levels(labels, data):
    levels = [data.draw(st.lists(st.sampled_from(labels), max_size=3, unique=True)) for _k in range(5)]
    # steps "1 ประชุม" + "ประชุม" and a step "1 ประชุม ประชุม" print alike: no reader can tell them apart
    assume(all(readings(" ".join(lvl), labels) == 1 for lvl in levels if lvl))
    text = printed(levels)
    # nor a cell that reads as another ladder across its levels: steps "1 จัดทำแผน 2" and "1 จัดทำแผน"
    # in level 1, "1 ประชุม" in level 2 print as "1 จัดทำแผน" in level 1, then both in level 2
    assume(ladder_readings(text, labels) == 1)
    assert milestone_levels(text, labels) == levels


def test_a_cell_that_reads_two_ways_is_counted_so():
    labels = ["1 จัดทำแผน 2", "1 จัดทำแผน", "1 ประชุม"]
    assert ladder_readings(printed([["1 จัดทำแผน 2", "1 จัดทำแผน"], ["1 ประชุม"], [], [], []]), labels) == 2
    assert ladder_readings(printed([["1 จัดทำแผน"], ["1 ประชุม"], [], [], []]), labels) == 1


def test_thai_digits_and_a_level_with_no_steps():
    text = printed([["1.1 ประชุม 2 ครั้ง"], [], ["1.2 จัดทำแผน", "2 ติดตาม"], [], ["3 รายงานผล"]], "๑๒๓๔๕")
    got = milestone_levels(text, ["1.1 ประชุม 2 ครั้ง", "1.2 จัดทำแผน", "2 ติดตาม", "3 รายงานผล"])
    assert got == [["1.1 ประชุม 2 ครั้ง"], [], ["1.2 จัดทำแผน", "2 ติดตาม"], [], ["3 รายงานผล"]]


def test_without_the_plans_steps_a_level_is_kept_as_written():
    assert milestone_levels("1 ประชุมชี้แจง 2 จัดทำแผน 3 3 คะแนน 4 ติดตาม 5 รายงานผล", []) == [
        ["ประชุมชี้แจง"], ["จัดทำแผน"], [], ["ติดตาม"], ["รายงานผล"]]


def test_not_a_ladder():
    assert milestone_levels("60%", []) is None
    assert milestone_levels("ร้อยละ 80", []) is None
    assert is_linear_ladder("60% 1 คะแนน 65% 2 คะแนน 70% 3 คะแนน 75% 4 คะแนน 80% 5 คะแนน")
    assert is_linear_ladder("9วัน 1 คะแนน 8วัน 2 คะแนน 7วัน 3 คะแนน 6วัน 4 คะแนน 5วัน 5 คะแนน")
    assert not is_linear_ladder("1 ประชุม 2 จัดทำแผน 3 3 คะแนน 4 4 คะแนน 5 รายงาน")


def test_form_72_text_with_a_milestone_ladder_and_a_falling_ladder():
    """The ladder cells of a form 7.2 table (as a Word or Excel file gives them, one cell each)."""
    from pmqa_desktop.core.importers.text_tables import Line
    rows = [["แบบฟอร์มที่ 7.2 แบบฟอร์มแสดงตัวชี้วัดความสำเร็จของการดำเนินการตามแผนพัฒนาองค์การ ปีงบประมาณ พ.ศ. 2553"],
            ["แผนพัฒนาองค์การ", "มิติ", "ตัวชี้วัด", "ข้อมูลปัจจุบัน", "เป้าหมาย", "น้ำหนัก", "เกณฑ์การให้คะแนน", ""],
            ["แผนพัฒนาองค์การ หมวด 4", "7.1 ด้านประสิทธิผล", "ระดับความสำเร็จของระบบ", "-", "ระดับ 5", "0.5",
             "1 ประชุม 2 จัดทำแผน 3 3 คะแนน 4 ติดตาม 5 รายงานผล", ""],
            ["", "7.3 ด้านประสิทธิภาพ", "จำนวนวันที่ใช้", "-", "5 วัน", "0.5",
             "9วัน 1 คะแนน 8วัน 2 คะแนน 7วัน 3 คะแนน 6วัน 4 คะแนน 5วัน 5 คะแนน", ""]]
    lines = [Line(i + 1, r, on_grid=True) for i, r in enumerate(rows)]
    prev = parse_devplan(lines, 2553)
    assert not prev.errors, prev.errors
    mil, days = prev.kpis
    assert mil.ladder_kind == "milestone" and mil.milestones() == [["ประชุม"], ["จัดทำแผน"], [], ["ติดตาม"], ["รายงานผล"]]
    assert days.ladder_kind == "linear" and days.thresholds == {1: 9, 2: 8, 3: 7, 4: 6, 5: 5}
    assert days.unit == "วัน" and days.direction == "lower"


def test_a_step_reaches_a_level_once():
    """A step labelled only "5" beside level 5's own number: the split that would list it twice on
    one level is not a reading (found by the property above)."""
    text = printed([[], [], [], ["1 ประชุม", "5"], ["5"]])
    assert milestone_levels(text, ["5", "1 ประชุม"]) == [[], [], [], ["1 ประชุม", "5"], ["5"]]
