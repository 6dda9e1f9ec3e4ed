"""Exports of the plan, the reserve and a comparison of routes: Excel workbooks (xlsxwriter) and a printable Dutch
PDF (fpdf2). Each function writes to a path, or returns the bytes when no path is given
(for downloads in the app)::

    from ivp.application.reports import comparison_xlsx, plan_xlsx, plan_pdf, reserve_xlsx
"""

from ivp.application.reports.excel import comparison_xlsx, plan_xlsx, reserve_xlsx
from ivp.application.reports.pdf import pdf_text, plan_pdf

__all__ = ["comparison_xlsx", "pdf_text", "plan_pdf", "plan_xlsx", "reserve_xlsx"]
