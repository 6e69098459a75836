"""The Print menu and the print preview (print, save as PDF); the forms themselves are in the top-level
``pmqa_desktop.printing`` package and load on first use.

May use: the core, ``pmqa_desktop.printing``, the shell's helpers; never another feature.
"""
