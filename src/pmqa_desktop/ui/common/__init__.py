"""Qt helpers shared by the features (and the shell): the spreadsheet grids' bases, which the
schedules and the development plans both build on: the table model (``grid_model.GridModel``, the
item roles), the table view (``grid_view.GridTableView``: keys, clipboard, row heights, zoom) and
the undo commands of a grid edit (``grid_commands.GridCommand``, ``Op``, ``push``); the cells'
delegates and Thai wrapping (``delegates``), frozen columns (``frozen_view``), remembered widths
(``layout_memory``), copy and paste with Excel and Word (``clipboard``); undoable edits over the
core (``undo``), the base of the small dialogs (``forms``), and small widgets (status bar path,
flow layout, crash dialog, 'Saved' notice).

May use: the core, ``i18n`` and the shell's helpers (``qt_util``, ``qt_settings``, ``features``);
never a feature nor the main window.
"""
