"""`sitrep report`: the analyst's view as one self-contained, offline HTML file."""

from sitrep.report.build import ReportStats, render_page, write_report

__all__ = ["ReportStats", "render_page", "write_report"]
