"""Exports of the plan, the reserve (with a one-page summary for the council), a comparison
of routes and a caseload template: Excel workbooks (xlsxwriter) and a printable Dutch
PDF (fpdf2). Each function writes to a path, or returns the bytes when no path is given
(for downloads in the app)::

    from ivp.application.reports import comparison_xlsx, plan_xlsx, plan_pdf, reserve_pdf, reserve_xlsx
"""

from ivp.application.reports.council import reserve_pdf
from ivp.application.reports.excel import caseload_template_xlsx, comparison_xlsx, plan_xlsx, reserve_xlsx
from ivp.application.reports.pdf import pdf_text, plan_pdf

__all__ = ["caseload_template_xlsx", "comparison_xlsx", "pdf_text", "plan_pdf", "plan_xlsx", "reserve_pdf",
           "reserve_xlsx"]
