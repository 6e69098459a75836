"""The criteria catalog: the criterion / หมวด detail pane with the owner editor, the criterion dialog,
the catalog's undoable edits, and their menu entries, tree keys and tree menu (``entry``).

May use: the core, the shell's helpers (``features.Window``, ``tree_model``, ``qt_util``), ``common``.
"""
