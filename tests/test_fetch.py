"""`sitrep fetch` against a local HTTP server on 127.0.0.1: pages, robots, errors, size cap."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from sitrep import FetchOptions, Ledger, UsageError, fetch
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


# ---------------------------------------------------------------- hostile servers


class _Hostile(BaseHTTPRequestHandler):
    """A server that misbehaves in every way a crawler meets."""

    requests: ClassVar[list[str]] = []
    robots: ClassVar[tuple[int, bytes]] = (200, b"User-agent: *\nDisallow: /private/\n")

    def do_GET(self) -> None:
        _Hostile.requests.append(self.path)
        page = article_html("Page", BODY).encode()
        if self.path == "/robots.txt":
            status, body = _Hostile.robots
            if body == b"HUGE":  # 50 MB of rules, streamed: only the first 500 KiB count
                self._stream(
                    200, b"User-agent: *\nDisallow: /private/\n", b"# padding\n", 5_000_000
                )
                return
            self._send(status, "text/plain", body)
        elif self.path == "/trickle":  # one byte at a time, forever: only a deadline stops it
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(600):
                self.wfile.write(b"<")
                self.wfile.flush()
                time.sleep(0.05)
        elif self.path.startswith("/redirect/"):
            targets = {
                "/redirect/private": "/private/page",
                "/redirect/loop-a": "/redirect/loop-b",
                "/redirect/loop-b": "/redirect/loop-a",
                "/redirect/file": "file:///etc/passwd",
                "/redirect/ok": "/news/ok",
            }
            if self.path.startswith("/redirect/chain/"):
                n = int(self.path.rsplit("/", 1)[1])
                target = f"/redirect/chain/{n + 1}"
            else:
                target = targets[self.path]
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path.startswith(("/news/", "/private/")):
            self._send(200, "text/html", page.replace(b"Page", self.path.encode()))
        else:
            self._send(404, "text/html", b"not found")

    def _send(self, status: int, mime: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, status: int, head: bytes, line: bytes, times: int) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        try:
            self.wfile.write(head)
            for _ in range(times):
                self.wfile.write(line)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler stopped reading: what we want

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hostile_server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Hostile.requests = []
    _Hostile.robots = (200, b"User-agent: *\nDisallow: /private/\n")
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _reasons(ledger: Ledger, server: str) -> dict[str, tuple[str, str]]:
    return {
        row["source"].removeprefix(server): (row["reason"], row["message"])
        for row in ledger.ingest_log("skipped")
    }


def test_one_bad_line_never_stops_the_list(hostile_server: str, ledger: Ledger) -> None:
    urls = [
        "http://[::1",
        "http://exa mple.org/",
        "http://127.0.0.1:99999/x",
        hostile_server + "/news/one",
        "javascript:alert(1)",
        hostile_server + "/news/two",
    ]
    counts = fetch(ledger, urls, FetchOptions(per_host_delay=0, timeout=5))
    assert counts.new == 2
    reasons = _reasons(ledger, hostile_server)
    assert {reasons[u][0] for u in urls if not u.startswith(hostile_server)} == {"parse_error"}
    assert all(m.endswith(".") for _, m in reasons.values())


def test_a_trickling_server_is_cut_at_the_total_deadline(
    hostile_server: str, ledger: Ledger
) -> None:
    options = FetchOptions(per_host_delay=0, timeout=2, max_time=1.5)
    start = time.monotonic()
    fetch(ledger, [hostile_server + "/trickle"], options)
    assert time.monotonic() - start < 6  # the server would trickle for 30 s
    reason, message = _reasons(ledger, hostile_server)["/trickle"]
    assert reason == "fetch_error" and "longer than 1.5 seconds" in message


def test_every_redirect_hop_is_checked(hostile_server: str, ledger: Ledger) -> None:
    paths = [
        "/redirect/private",
        "/redirect/loop-a",
        "/redirect/file",
        "/redirect/chain/0",
        "/redirect/ok",
    ]
    fetch(ledger, [hostile_server + p for p in paths], FetchOptions(per_host_delay=0, timeout=5))
    reasons = _reasons(ledger, hostile_server)
    assert reasons["/redirect/private"][0] == "robots_disallowed"
    assert "/private/page" not in _Hostile.requests  # the forbidden hop is never requested
    assert "loop" in reasons["/redirect/loop-a"][1]
    assert "not http(s)" in reasons["/redirect/file"][1]
    assert "more than 10" in reasons["/redirect/chain/0"][1]
    (article,) = ledger.iter_articles()
    assert article.url == hostile_server + "/news/ok"  # the page where the redirect led
    assert article.origin.source == hostile_server + "/redirect/ok"


def test_robots_txt_is_read_with_a_size_cap(hostile_server: str, ledger: Ledger) -> None:
    _Hostile.robots = (200, b"HUGE")
    urls = [hostile_server + "/private/x", hostile_server + "/news/fine"]
    start = time.monotonic()
    counts = fetch(ledger, urls, FetchOptions(per_host_delay=0, timeout=5))
    assert time.monotonic() - start < 10
    assert counts.new == 1 and counts.skipped == {"robots_disallowed": 1}


def test_robots_txt_answering_a_server_error_forbids_the_site(
    hostile_server: str, ledger: Ledger
) -> None:
    _Hostile.robots = (503, b"down")
    counts = fetch(ledger, [hostile_server + "/news/one"], FetchOptions(per_host_delay=0))
    assert counts.skipped == {"robots_disallowed": 1}
    assert "/news/one" not in _Hostile.requests


def test_a_changed_page_is_a_revision_of_the_url(
    server: str, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = FetchOptions(per_host_delay=0, timeout=5)
    fetch(ledger, [server + "/news/one"], options)
    changed = (200, "text/html; charset=utf-8", article_html("One", BODY + " Updated.").encode())
    monkeypatch.setitem(PAGES, "/news/one", changed)
    counts = fetch(ledger, [server + "/news/one"], options)
    assert counts.revised == 1
    (article,) = ledger.iter_articles()
    assert "Updated." in article.text
    assert [r["source"] for r in ledger.revisions()] == [server + "/news/one"]


def test_options_are_checked(ledger: Ledger) -> None:
    for bad in ({"timeout": 0}, {"max_time": -1}, {"concurrency": 0}, {"per_host_delay": -1}):
        with pytest.raises(UsageError):
            FetchOptions(**bad)  # type: ignore[arg-type]
