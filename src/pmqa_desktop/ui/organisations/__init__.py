"""Organisations and their fiscal years: add, rename, delete (one undo step each), a new fiscal year,
rolling a year over into the next.

May use: the core, ``common``, the shell's helpers; never another feature.
"""
