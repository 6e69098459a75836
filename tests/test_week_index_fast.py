"""week_index (asked for every activity when a weekly plan is shown) counts weeks as the months between
the plan's first month and the activity's month, by the calendar's own month arithmetic."""
from hypothesis import given
from hypothesis import strategies as st

from pmqa_desktop.core.storage import planning
from pmqa_desktop.core.thai_calendar import MonthKey

months = st.builds(MonthKey, st.integers(1990, 2100), st.integers(1, 12))


@given(months, months, st.integers(1, 4))
def test_week_index_is_months_between_times_four(start, month, week):
    year = {"weekly_start": start.key}
    assert planning.week_index(year, month.key, week) == start.months_until(month) * planning.WEEKS_PER_MONTH + week - 1
    assert planning.week_at(year, planning.week_index(year, month.key, week)) == (month.key, week)
