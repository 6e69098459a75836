"""Development plans and the dashboard in the tree. Their pages (and the scoring behind them)
load when first shown, so the program's start does not wait for them."""
from __future__ import annotations

from typing import Any

from ...i18n import _
from . import DASHBOARD_PAGE, DEVPLAN_PAGE


def _make_devplan_page(window: Any, year_id: str):
    from .pages import make_devplan_page
    return make_devplan_page(window, year_id)


def _make_dashboard_page(window: Any, year_id: str):
    from .pages import make_dashboard_page
    return make_dashboard_page(window, year_id)


def _show_plan(window: Any, year_id: str, plan_id: str | None = None, step_id: str | None = None,
               kpi_id: str | None = None) -> bool:
    """A plan (or a step's or KPI's row) on its year's plans page: for find's hits."""
    from .pages import open_plan
    return open_plan(window, year_id, plan_id=plan_id, step_id=step_id, kpi_id=kpi_id) is not None


def install(window: Any) -> None:
    window.register_year_page(DEVPLAN_PAGE, _("Development plans"), _make_devplan_page)
    window.register_year_page(DASHBOARD_PAGE, _("Dashboard"), _make_dashboard_page)
    window.register_place("devplan", _show_plan)
