"""The Qt layer: a small shell and one package per feature.

The shell (directly in ``ui/``): ``app`` (start-up), ``main_window`` (the window, its menus, the
open file, and ``FEATURES``, the list of every feature), ``navigation`` (the tree choosing the page
shown on the right), ``features`` (``Window``, the one interface a feature may use of the window),
``tree_model`` (the tree), ``qt_settings`` (settings), ``qt_texts`` and ``qt_util`` (Qt's own texts,
message boxes).

Shared by the features: ``common/`` (undo commands over the core, the dialog base, the grid
cell delegates, the clipboard). The features: ``files/``, ``importing/``, ``catalog/``,
``settings/``, ``organisations/``, ``schedules/``, ``devplan/``, ``printing/``, ``sharing/``.

May use: the core, ``printing`` (the PDF forms), ``i18n``, ``settings``, ``paths``. A feature never
imports another feature nor the main window (the import-linter contracts in ``pyproject.toml``).
"""
