"""The colours of the figures, shared by the screen (Plotly) and the printed plan (fpdf2), so
that a mark means the same on both."""

from __future__ import annotations

NEED = "#9ecae1"
"""A provision's need window (light blue bar)."""
NEED_MEDIAN = "#3182bd"
"""The expected (median) need date, and the spread of need dates."""
DELIVERY = "#e6550d"
"""Delivery when requested on the request-by date (P10-P90 line, median dot)."""
REQUEST_BY = "#31a354"
"""The request-by date (green diamond)."""
WMO = "#1f5f8b"
ZVW = "#c05a28"
GREY = "#7f7f7f"
GRID = "#d2d2d2"
TABLE_HEADING = "#e6ecf2"
RESERVED = "#2850a0"
SPENT = "#c83c28"
RELEASED = "#289650"
SCENARIOS = ("#1f5f8b", "#c05a28", "#5b8c3a", "#7b4f9d")
"""Routes in a comparison, in their order."""


def rgb(colour: str) -> tuple[int, int, int]:
    """``"#31a354"`` as ``(49, 163, 84)`` (for fpdf2)."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
