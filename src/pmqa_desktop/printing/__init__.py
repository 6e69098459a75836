"""The printed forms: ReportLab PDFs with shaped, wrapped and copyable Thai (fonts, line breaking,
page layout, one module per family of forms).

May use: the core (it reads the store, never the widgets) and ``i18n``; never Qt nor ``ui``.
"""
