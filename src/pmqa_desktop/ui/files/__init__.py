"""File > Open, the recent-files list and Show file location.

May use: the core, the shell's helpers (``qt_settings`` keeps the list); never another feature.
"""
