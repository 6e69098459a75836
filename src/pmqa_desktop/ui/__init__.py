"""The Qt layer: a small shell and one package per feature.

The shell (directly in ``ui/``, at most 8 modules): ``app`` (start-up), ``main_window`` (the window,
its menus, the open file, and ``FEATURES``, the list of every feature), ``navigation`` (the tree
choosing the page shown on the right, the pages, the places features show for each other),
``features`` (``Window``, the one interface a feature may use of the window), ``tree_model`` (the
tree), ``qt_settings`` (settings), ``qt_texts`` and ``qt_util`` (Qt's own texts, message boxes).

Shared by the features: ``common/`` (the grids' bases ``GridModel``, ``GridTableView`` and
``GridCommand``, the cell delegates, undo commands over the core, the dialog base, the clipboard).
The features: ``files/``, ``importing/``, ``catalog/``, ``settings/``, ``organisations/``,
``schedules/``, ``devplan/``, ``printing/``, ``sharing/``, ``find/``, ``help/``, ``welcome/``.

May use: the core, ``printing`` (the PDF forms), ``i18n``, ``settings``, ``paths``. A feature never
imports another feature nor the main window, only ``common`` and the shell's helpers; features reach
each other through ``features.Window`` (e.g. ``show_place``). Checked by the import-linter contracts
in ``pyproject.toml`` (a layers and an independence contract, no exceptions).
"""
