"""Importing a Word table saved as text into a fiscal year (calendar, weekly plan, development plans),
with a preview and a report of every row that could not be read.

May use: the core (``core.importers``), ``common``, the shell's helpers; never another feature.
"""
