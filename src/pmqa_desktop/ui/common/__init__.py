"""Qt helpers shared by the features: undoable edits over the core (``undo``), the base of the small
dialogs (``forms``), the grids' cell delegates and Thai wrapping (``delegates``), copy and paste with
Excel and Word (``clipboard``).

May use: the core, ``i18n`` and ``ui.qt_util``; never a feature nor the main window.
"""
