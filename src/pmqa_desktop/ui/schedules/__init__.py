"""The schedule grids: the operations calendar and the weekly plan (``grid_models``: their models;
``grid_views``: their views and pages with the toolbar; ``grid_commands``: their undo operations),
built on the spreadsheet grid in ``common`` (``GridModel``, ``GridTableView``, ``GridCommand``),
which the development plans share.

The main window (``navigation``) shows them for a fiscal year's calendar and weekly-plan nodes.
May use: the core and ``common``; never another feature nor the main window.
"""
