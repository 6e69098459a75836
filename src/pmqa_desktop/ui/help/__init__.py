"""Help > Manual (F1): the short manual with the keys table, in the program's language; Help > About
with the same checks as ``pmqa-desktop diagnose`` (``about``); their menu entries (``entry``).

May use: the core, the shell's helpers (``features.Window``, ``qt_util``), ``common``.
"""
