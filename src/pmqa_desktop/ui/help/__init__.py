"""Help > Manual (F1): the short manual with the keys table, in the program's language (``entry``).

May use: the core, the shell's helpers (``features.Window``, ``qt_util``), ``common``.
"""
