"""The first start: the welcome page over the example file (the clerk's name and office asked once,
start a file of one's own, open a file received, look around) and File > New (``entry``).

May use: the core, the shell's helpers (``features.Window``, ``qt_settings``, ``qt_util``), ``common``.
"""
