"""One HTML file holding the app, its vendored libraries, the map data and the ledger's views.

Everything is inline and a Content-Security-Policy forbids every fetch (``connect-src
'none'``, no remote scripts, styles, fonts or images), so the file works with the network off
and an injected tag could load nothing. Data goes in as gzip-compressed JSON in base64 inside
``<script type="application/octet-stream">``, so no text in the ledger can close the element;
the app puts it on the page as text only.
"""

from __future__ import annotations

import base64
import gzip
import html
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sitrep.ledger.store import Ledger
from sitrep.views import Filters, bundle
from sitrep.views.bundle import MAX_INCIDENTS

REPORT_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; connect-src 'none'; font-src 'none'; object-src 'none'; "
    "base-uri 'none'; form-action 'none'"
)
STYLES = (
    "vendor/leaflet/leaflet.css",
    "vendor/markercluster/MarkerCluster.css",
    "vendor/markercluster/MarkerCluster.Default.css",
    "app/app.css",
)
SCRIPTS = (
    "vendor/leaflet/leaflet.js",
    "vendor/markercluster/leaflet.markercluster.js",
    "app/app.js",
)


@dataclass(frozen=True)
class ReportStats:
    path: Path
    bytes: int
    incidents: int
    articles: int


def web_file(name: str) -> str:
    return resources.files("sitrep.resources").joinpath(f"web/{name}").read_text(encoding="utf-8")


def _packed(value: Any) -> str:
    """JSON, gzip-compressed and base64-encoded: a third of its size, and only letters,
    digits, ``+``, ``/`` and ``=`` inside the page (the app unpacks it with the browser's
    DecompressionStream)."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, 9, mtime=0)).decode("ascii")


def render_page(
    *, source: str, title: str, csp: str, styles: str, scripts: str, data: str = ""
) -> str:
    """The app's page (shared by the report and `sitrep serve`)."""
    page = web_file("app/app.html")
    for key, value in (
        ("{{source}}", source),
        ("{{csp}}", html.escape(csp)),
        ("{{title}}", html.escape(title)),
        ("{{styles}}", styles),
        ("{{data}}", data),
        ("{{scripts}}", scripts),
    ):
        page = page.replace(key, value)
    return page


def write_report(
    ledger: Ledger,
    out: Path,
    filters: Filters | None = None,
    *,
    limit: int = MAX_INCIDENTS,
) -> ReportStats:
    """Write the report of ``ledger`` (narrowed by ``filters``) to ``out``."""
    data = bundle(ledger, filters, limit=limit)
    articles = data.pop("articles")
    styles = "\n".join(f"<style>{web_file(name)}</style>" for name in STYLES)
    scripts = "\n".join(f"<script>{web_file(name)}</script>" for name in SCRIPTS)
    blocks = (
        f'<script type="application/octet-stream" id="sitrep-data">{_packed(data)}</script>\n'
        f'<script type="application/octet-stream" id="sitrep-articles">{_packed(articles)}'
        "</script>"
    )
    page = render_page(
        source="report",
        title=f"sitrep report — {ledger.path.name}",
        csp=REPORT_CSP,
        styles=styles,
        scripts=scripts,
        data=blocks,
    )
    out.write_text(page, encoding="utf-8")
    return ReportStats(out, out.stat().st_size, len(data["incidents"]), len(articles))
