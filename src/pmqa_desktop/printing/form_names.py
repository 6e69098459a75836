"""The printable forms and their names (light: no ReportLab, so menus can be built at start)."""
from __future__ import annotations

from ..i18n import _

FORMS = ("owners", "calendar", "weekly", "devplan", "kpi72", "progress")
PLAN_FORMS = ("devplan", "kpi72", "progress")


def form_labels() -> dict[str, str]:
    return {
        "owners": _("Criteria owners"),
        "calendar": _("Operations calendar"),
        "weekly": _("Weekly plan"),
        "devplan": _("Development plans"),
        "kpi72": _("KPI form 7.2"),
        "progress": _("Progress report"),
    }
