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


def install(window: Any) -> None:
    window.register_year_page(DEVPLAN_PAGE, _("Development plans"), _make_devplan_page)
    window.register_year_page(DASHBOARD_PAGE, _("Dashboard"), _make_dashboard_page)
