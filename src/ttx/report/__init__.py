"""Printed documents: handouts and after-action reports, from plain data through Jinja to PDF.

Nothing here imports `textual`; `weasyprint` is imported only inside the
rendering worker, so building contexts and HTML stays cheap.
"""
