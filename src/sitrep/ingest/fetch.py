"""`sitrep fetch`: download a list of URLs politely and read each page.

Polite means: robots.txt is obeyed, one request at a time per host with a pause between
requests to the same host, a few hosts in parallel, timeouts, and a size cap per page.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from sitrep.ingest.decode import DecodeError, decode_text
from sitrep.ingest.files import read_page_text
from sitrep.model import IngestOutcome, Origin, Skip, SkipReason
from sitrep.version import __version__

USER_AGENT = f"sitrep/{__version__} (evidence ledger for conflict reporting)"


@dataclass(frozen=True)
class FetchOptions:
    max_bytes: int = 10_000_000
    timeout: float = 20.0  # seconds per connect/read
    concurrency: int = 4  # hosts fetched in parallel
    per_host_delay: float = 1.0  # seconds between two requests to one host
    obey_robots: bool = True


def read_url_list(text: str) -> list[str]:
    """URLs of a list file: one per line, blank lines and # comments ignored."""
    urls = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            urls.append(line)
    return urls


class _Politeness:
    """Per-host serialisation, pacing and robots.txt, shared by the worker threads."""

    def __init__(self, client: httpx.Client, options: FetchOptions) -> None:
        self._client, self._options = client, options
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser | None] = {}
        self._guard = threading.Lock()

    def host_lock(self, host: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    def wait_turn(self, host: str) -> None:
        pause = self._last.get(host, 0.0) + self._options.per_host_delay - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self._last[host] = time.monotonic()

    def allowed(self, url: str) -> bool:
        if not self._options.obey_robots:
            return True
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        if base not in self._robots:
            self._robots[base] = self._load_robots(base)
        robots = self._robots[base]
        return robots is None or robots.can_fetch(USER_AGENT, url)

    def _load_robots(self, base: str) -> RobotFileParser | None:
        self.wait_turn(urlsplit(base).netloc)
        try:
            response = self._client.get(f"{base}/robots.txt")
        except httpx.HTTPError:
            return None  # no robots.txt reachable: nothing forbidden
        if response.status_code >= 400:
            return None
        parser = RobotFileParser()
        parser.parse(response.text.splitlines())
        return parser


def _fetch_one(
    url: str, client: httpx.Client, polite: _Politeness, options: FetchOptions
) -> list[IngestOutcome]:
    origin = Origin(url, "", "url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return [Skip(origin, SkipReason.PARSE_ERROR, "The line is not an http(s) URL.")]
    with polite.host_lock(parts.netloc):
        if not polite.allowed(url):
            return [
                Skip(origin, SkipReason.ROBOTS, "The site's robots.txt forbids fetching this URL.")
            ]
        polite.wait_turn(parts.netloc)
        try:
            data, mime, final_url = _download(client, url, options.max_bytes)
        except _TooLargeError:
            return [
                Skip(origin, SkipReason.TOO_LARGE, f"The page exceeds {options.max_bytes:,} bytes.")
            ]
        except httpx.HTTPStatusError as exc:
            return [
                Skip(
                    origin,
                    SkipReason.FETCH_ERROR,
                    f"The server answered HTTP {exc.response.status_code}.",
                )
            ]
        except httpx.HTTPError as exc:
            return [
                Skip(
                    origin,
                    SkipReason.FETCH_ERROR,
                    f"The page could not be fetched ({type(exc).__name__}).",
                )
            ]
    if mime and not mime.startswith(("text/html", "application/xhtml", "text/plain")):
        return [Skip(origin, SkipReason.BINARY, f"The URL serves {mime}, not a page.")]
    try:
        text, _ = decode_text(data)
    except DecodeError as exc:
        return [Skip(origin, exc.reason, str(exc))]
    fmt = "text" if mime.startswith("text/plain") else "html"
    return read_page_text(text, origin, final_url, fmt)


class _TooLargeError(Exception):
    pass


def _download(client: httpx.Client, url: str, max_bytes: int) -> tuple[bytes, str, str]:
    with client.stream("GET", url) as response:
        response.raise_for_status()
        declared = int(response.headers.get("content-length") or 0)
        if declared > max_bytes:
            raise _TooLargeError
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise _TooLargeError
            chunks.append(chunk)
        mime = response.headers.get("content-type", "").lower()
        return b"".join(chunks), mime, str(response.url)


def fetch_urls(urls: Iterable[str], options: FetchOptions | None = None) -> Iterator[IngestOutcome]:
    """Fetch and read each URL; outcomes come back in the order of ``urls``."""
    options = options or FetchOptions()
    timeout = httpx.Timeout(options.timeout)
    headers = {"User-Agent": USER_AGENT}
    with (
        httpx.Client(timeout=timeout, headers=headers, follow_redirects=True) as client,
        ThreadPoolExecutor(max_workers=max(1, options.concurrency)) as pool,
    ):
        polite = _Politeness(client, options)
        futures = [pool.submit(_fetch_one, url, client, polite, options) for url in urls]
        for future in futures:
            yield from future.result()
