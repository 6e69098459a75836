"""Find and replace across the whole file (``entry``: the menu entry; ``dialog``: the dialog and
showing a hit in its place). The search itself is ``core.storage.search``.

May use: the core, ``common``, the shell's helpers; never another feature: a hit in a development
plan is shown through ``Window.show_place("devplan", ...)``, which that feature registers.
"""
