"""Development plans: the plan grid with Gantt bars, KPI form 7.2 and its scores, the 6/9/12-month
rounds, approval, and the dashboard; registered as two pages under every fiscal year (``entry``),
built when first shown.

May use: the core, ``common``, and the schedule grids' base classes (``schedules.grid_models.GridModel``,
``schedules.grid_views.GridTableView``) as the contract in ``pyproject.toml`` allows.
"""

# the keys of the two pages under every fiscal year in the tree (("page", year_id, key))
DEVPLAN_PAGE = "devplans"
DASHBOARD_PAGE = "dashboard"
