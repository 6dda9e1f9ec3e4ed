"""The register's report as an Excel workbook (:func:`register_xlsx`): the clients, the money
per financier and per provision, every melding with its steps, the norms (summary and each
measurement) and the depot; numbers, euros and dates as cells of their kind."""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO

from ivp.application.register.report import RegisterReport
from ivp.application.reports.excel import _Book, _result, _words
from ivp.domain.messages import Lang

_KINDS = {"eur": ("euro", 13), "on": ("date", 12), "date": ("date", 12), "from": ("date", 12), "to": ("date", 12),
          "share_breached": ("percent", 11), "elapsed": ("number1", 10)}
_COUNTS = {"ivp_version", "melding_id", "limit", "measured", "breached", "in_stock", "returned", "reissued",
           "norms_measured", "norms_breached", "werkdagen_to_delivery"}


def _kind(column: str) -> tuple[str, int]:
    if column in _COUNTS:
        return "number0", 10
    for suffix, kind in _KINDS.items():
        if column == suffix or column.endswith("_" + suffix):
            return kind
    return "text", 16


WORDS = {"status": "register.status", "state": "register.state", "decision": "register.app.decision",
         "norm": "norm", "unit": "unit"}
"""Columns whose codes the workbook shows as words of the catalogue (``<prefix>.<code>``)."""


def _in_words(frame, say):
    shown = frame.copy()
    for column, prefix in WORDS.items():
        if column in shown.columns:
            shown[column] = shown[column].map(lambda code: code if code is None or code != code
                                              else say(f"{prefix}.{code}"))
    return shown


def register_xlsx(report: RegisterReport, target: str | Path | IO[bytes] | None = None,
                  lang: Lang = "nl") -> bytes | Path:
    """Write the report in ``lang``; returns the path, or the bytes when ``target`` is None."""
    buffer = io.BytesIO() if target is None or hasattr(target, "write") else None
    book = _Book(buffer if buffer is not None else str(target))
    say = _words(lang)
    title = say("register.cli.report_title" if report.dossier is None else "register.cli.client_title",
                dossier=report.dossier or "", date=report.as_of.strftime("%d-%m-%Y"))
    sheets = (("clients", report.clients), ("money_financier", report.by_financier), ("money", report.money),
              ("meldingen", report.meldingen), ("norm_summary", report.norm_summary), ("norms", report.norms),
              ("depot", report.depot))
    for name, frame in sheets:
        frame = _in_words(frame, say)
        columns = [(say(f"register.col.{c}"), *_kind(c)) for c in frame.columns]
        rows = [[None if v is None or v != v else v for v in row] for row in frame.itertuples(index=False)]
        book.sheet(say(f"register.sheet.{name}"), columns, rows, title=title)
    book.close()
    return _result(buffer, target)

