"""Reading the offices' documents: Word tables saved as text (the operations calendar, the weekly
plan, development plans) and the criteria catalog, each with a preview and a report of every
row that could not be read, applied to the store in one transaction.

May use: ``core.storage``, the Thai calendar and text, ``i18n`` and ``resources``.
"""
