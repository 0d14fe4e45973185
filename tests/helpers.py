"""Builders for test inputs (web archives, HTML pages) written at test time."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ARTICLE_HTML = """<!DOCTYPE html><html><head><title>{title}</title>
<meta name="author" content="Test Writer"><meta property="og:site_name" content="Test Outlet">
<meta property="article:published_time" content="2020-02-03T10:00:00Z"></head>
<body><nav>Home | Login | Subscribe</nav><article><h1>{title}</h1>
<p>{body}</p><p>Government forces said they had taken control of the area after two days of
fighting, while opposition groups said the fighting was continuing on the southern edge.</p>
</article><footer>Share this: Twitter Facebook. Copyright 2020.</footer></body></html>"""


def article_html(title: str, body: str) -> str:
    return ARTICLE_HTML.format(title=title, body=body)


def write_warc(path: Path, pages: list[tuple[str, str, bytes]], gzip: bool = True) -> None:
    """A WARC with a request and a response record for each (url, content type, payload)."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        for url, mime, payload in pages:
            request = writer.create_warc_record(
                url, "request", payload=BytesIO(b"GET / HTTP/1.1\r\n\r\n")
            )
            writer.write_record(request)
            headers = StatusAndHeaders("200 OK", [("Content-Type", mime)], protocol="HTTP/1.1")
            response = writer.create_warc_record(
                url, "response", payload=BytesIO(payload), http_headers=headers
            )
            writer.write_record(response)
