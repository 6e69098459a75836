"""The clerk's names of the synced tables (merge summaries, value faults, conflict lists)."""
from __future__ import annotations

from ...i18n import _


def table_label(table: str) -> str:
    labels = {
        "organisation": _("organisations"), "fiscal_year": _("fiscal years"), "category": _("categories"),
        "criterion": _("criteria"), "criterion_owner": _("criterion owners"),
        "calendar_step": _("calendar steps"), "calendar_cell": _("calendar cells"),
        "weekly_row": _("weekly plan rows"), "weekly_activity": _("weekly activities"),
        "dev_plan": _("development plans"), "plan_activity": _("plan activities"), "plan_step": _("plan steps"),
        "kpi": _("KPIs"), "kpi_result": _("KPI results"), "step_progress": _("step progress"),
        "plan_approval": _("plan approvals"),
    }
    return labels.get(table, table)
