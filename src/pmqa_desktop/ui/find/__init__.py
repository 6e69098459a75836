"""Find and replace across the whole file (``entry``: the menu entry; ``dialog``: the dialog and
showing a hit in its place). The search itself is ``core.storage.search``."""
