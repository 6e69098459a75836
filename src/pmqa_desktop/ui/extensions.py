"""Parts of the Qt layer that plug into the main window.

Each module named here has ``install(window)``; the main window calls it once after it
has built its menus and tree. A module may be missing while its feature is being built.

What a module may use of the window (``ui.main_window.MainWindow``):
    window.store                      the open core Store (changes when another file is opened)
    window.undo_stack                 the QUndoStack every edit goes through
    window.menus[name]                QMenu for 'file', 'edit', 'view', 'tools', 'print', 'help'
    window.current_org_id() / current_year_id() / current_criterion_id()
    window.register_year_page(key, label, factory)
                                      adds a child node under every fiscal year in the tree;
                                      factory(window, year_id) -> QWidget shown on the right
    window.register_file_listener(fn) fn(store) after a file is opened or reloaded
    window.open_database(path, read_only=False)
    window.reload()                   re-read the current file (after a merge or restore)
    window.show_message(text, error=False)
"""
EXTENSION_MODULES = (
    "pmqa_desktop.ui.devplan_entry",     # development plans, KPI form 7.2, rounds, dashboard
    "pmqa_desktop.ui.print_entry",       # print preview / print / save PDF
    "pmqa_desktop.ui.sharing_entry",     # export, merge, backups, history (dialogs in sharing_dialogs)
    "pmqa_desktop.ui.clerk_entry",       # saving shown, layout remembered, welcome page, manual
)
