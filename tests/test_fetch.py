"""`sitrep fetch` against a local HTTP server on 127.0.0.1: pages, robots, errors, size cap."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from sitrep import FetchOptions, Ledger, fetch
from sitrep.ingest import read_url_list

from .helpers import article_html

BODY = (
    "Rockets hit the outskirts of the city overnight, wounding three civilians, "
    "the provincial health directorate said in a statement on Saturday morning."
)
PAGES: dict[str, tuple[int, str, bytes]] = {
    "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /private/\n"),
    "/news/one": (200, "text/html; charset=utf-8", article_html("One", BODY).encode()),
    "/news/two": (200, "text/html", article_html("Two", BODY + " Second.").encode()),
    "/news/plain": (200, "text/plain; charset=utf-8", f"Plain page\n\n{BODY} Plain.\n".encode()),
    "/private/secret": (200, "text/html", article_html("Secret", BODY).encode()),
    "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n" + b"0" * 100),
    "/big": (200, "text/html", b"<html><body><p>" + b"x " * 600_000 + b"</p></body></html>"),
}


class _Handler(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Handler.requests.append(self.path)
        status, mime, body = PAGES.get(self.path, (404, "text/html", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Handler.requests = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_reads_pages_and_logs_every_failure(server: str, ledger: Ledger) -> None:
    paths = [
        "/news/one",
        "/news/two",
        "/news/plain",
        "/private/secret",
        "/image",
        "/missing",
        "/big",
    ]
    urls = [server + p for p in paths] + ["ftp://example.org/file"]
    counts = fetch(ledger, urls, FetchOptions(per_host_delay=0, max_bytes=1_000_000, timeout=5))
    titles = [a.title for a in ledger.iter_articles()]
    assert titles == ["One", "Two", "Plain page"]
    assert next(ledger.iter_articles()).url == server + "/news/one"
    reasons = {
        row["source"].removeprefix(server): row["reason"] for row in ledger.ingest_log("skipped")
    }
    assert reasons == {
        "/private/secret": "robots_disallowed",
        "/image": "binary",
        "/missing": "fetch_error",
        "/big": "too_large",
        "ftp://example.org/file": "parse_error",
    }
    assert "/private/secret" not in _Handler.requests  # robots.txt obeyed before any request
    assert counts.new == 3


def test_unreachable_host_is_a_logged_fetch_error(ledger: Ledger) -> None:
    counts = fetch(
        ledger, ["http://127.0.0.1:9/nothing"], FetchOptions(per_host_delay=0, timeout=2)
    )
    assert counts.skipped == {"fetch_error": 1}


def test_url_list_ignores_comments_and_blank_lines(tmp_path: Path) -> None:
    text = "# my list\nhttps://a.example/1\n\n  https://b.example/2  \n# end\n"
    assert read_url_list(text) == ["https://a.example/1", "https://b.example/2"]


def test_cli_fetch(server: str, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    url_file = tmp_path / "urls.txt"
    url_file.write_text(f"{server}/news/one\n{server}/news/two\n", encoding="utf-8")
    result = run_cli("--db", tmp_path / "f.duckdb", "fetch", url_file, "--delay", "0")
    assert result.code == 0, result.err
    assert "2 new articles" in result.out
