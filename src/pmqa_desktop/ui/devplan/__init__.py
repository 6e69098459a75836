"""Development plans: the plan grid with Gantt bars, KPI form 7.2 and its scores, the 6/9/12-month
rounds, approval, and the dashboard; registered as two pages under every fiscal year (``entry``),
built when first shown.

May use: the core, ``common`` (its grids are built on ``common.grid_model.GridModel`` and
``common.grid_view.GridTableView``, as the schedules' are), the shell's helpers; never another
feature. Find shows a plan, step or KPI through the place this feature registers (``show_place``).
"""

# the keys of the two pages under every fiscal year in the tree (("page", year_id, key))
DEVPLAN_PAGE = "devplans"
DASHBOARD_PAGE = "dashboard"
