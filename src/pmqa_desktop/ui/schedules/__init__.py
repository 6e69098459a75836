"""The schedule grids: the operations calendar and the weekly plan (models, views, undo commands),
and the spreadsheet grid they and the development plans are built on (``GridModel``, ``GridTableView``).

The main window shows them for a fiscal year's calendar and weekly-plan nodes.
May use: the core and ``common``; never another feature nor the main window.
"""
