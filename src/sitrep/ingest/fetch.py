"""`sitrep fetch`: download a list of URLs politely and read each page.

Polite means: robots.txt is obeyed (for the URL and for every redirect it leads through),
one request at a time per host with a pause between requests to the same host, a few hosts
in parallel, and a size cap per page. Bounded means: every request has a timeout per read
and a total deadline (a server trickling one byte at a time cannot hold it longer), and
robots.txt has its own size cap (500 KiB, as RFC 9309 allows) and deadline. One bad line
(a malformed URL, a failure of sitrep's own) becomes a logged skip; the list goes on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from sitrep.errors import UsageError
from sitrep.ingest.build import failed_skip
from sitrep.ingest.deadline import DeadlineTransport, deadline, past_deadline
from sitrep.ingest.decode import DecodeError, decode_text
from sitrep.ingest.files import read_page_text
from sitrep.ingest.walk import NotRegularFileError, display_path, open_regular
from sitrep.model import IngestOutcome, Origin, Skip, SkipReason
from sitrep.version import __version__

log = logging.getLogger(__name__)
USER_AGENT = f"sitrep/{__version__} (evidence ledger for conflict reporting)"
# RFC 9309 §2.5: a crawler may stop reading robots.txt after 500 KiB (Google does).
ROBOTS_MAX_BYTES = 500 * 1024
ROBOTS_MAX_SECONDS = 30.0
MAX_REDIRECTS = 10  # RFC 9309 asks for at least five for robots.txt; browsers allow ~20
MAX_URL_LIST_BYTES = 100_000_000
_PAGE_TYPES = ("text/html", "application/xhtml", "text/plain")


@dataclass(frozen=True)
class FetchOptions:
    max_bytes: int = 10_000_000
    timeout: float = 20.0  # seconds per connect/read
    concurrency: int = 4  # hosts fetched in parallel
    per_host_delay: float = 1.0  # seconds between two requests to one host
    obey_robots: bool = True
    max_time: float = 120.0  # seconds for one page in all (redirects included)

    def __post_init__(self) -> None:
        checks = (
            (self.max_bytes > 0, f"The size limit must be positive, not {self.max_bytes}."),
            (self.timeout > 0, f"The timeout must be positive, not {self.timeout}."),
            (self.max_time > 0, f"The time limit must be positive, not {self.max_time}."),
            (self.concurrency >= 1, f"Concurrency must be at least 1, not {self.concurrency}."),
            (self.per_host_delay >= 0, f"The delay cannot be negative ({self.per_host_delay})."),
        )
        for ok, message in checks:
            if not ok:
                raise UsageError(message)


def read_url_list(text: str) -> list[str]:
    """URLs of a list file: one per line, blank lines and # comments ignored."""
    urls = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            urls.append(line)
    return urls


def read_url_file(path: Path) -> list[str]:
    """The URLs listed in the file at ``path`` (a regular file, at most 100 MB)."""
    try:
        with open_regular(path) as stream:
            data = stream.read(MAX_URL_LIST_BYTES + 1)
    except NotRegularFileError as exc:
        raise UsageError(f"The URL list {exc}.") from exc
    except OSError as exc:
        raise UsageError(
            f"The URL list {display_path(path)} cannot be read ({exc.strerror})."
        ) from exc
    if len(data) > MAX_URL_LIST_BYTES:
        raise UsageError(f"The URL list is larger than {MAX_URL_LIST_BYTES:,} bytes: split it.")
    return read_url_list(data.decode("utf-8", errors="replace"))


class _RefusedError(Exception):
    """A page that is not fetched, with the skip that says why."""

    def __init__(self, reason: SkipReason, message: str) -> None:
        super().__init__(message)
        self.reason, self.message = reason, message


@dataclass(frozen=True)
class _Page:
    data: bytes
    mime: str
    url: str


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
        with self._guard:
            due = self._last.get(host, 0.0) + self._options.per_host_delay
            self._last[host] = max(due, time.monotonic())
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)

    def check(self, url: str, hop: str = "") -> None:
        """Raise _RefusedError if robots.txt forbids ``url``."""
        if self._options.obey_robots and not self._allowed(url):
            where = f"redirects to {hop}, which" if hop else "is a page"
            raise _RefusedError(
                SkipReason.ROBOTS, f"The URL {where} the site's robots.txt forbids fetching."
            )

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        if base not in self._robots:
            self._robots[base] = self._load_robots(base)
        robots = self._robots[base]
        return robots is None or robots.can_fetch(USER_AGENT, url)

    def _load_robots(self, base: str) -> RobotFileParser | None:
        """The site's rules; None (everything allowed) when it has none or cannot be reached,
        a parser that forbids everything when it answers with a server error (RFC 9309)."""
        self.wait_turn(urlsplit(base).netloc)
        limit = min(self._options.max_time, ROBOTS_MAX_SECONDS)
        try:
            with deadline(limit):
                page = _get(
                    self._client, f"{base}/robots.txt", ROBOTS_MAX_BYTES, None, truncate=True
                )
        except _RefusedError:  # a redirect loop or to another scheme: no usable rules
            return None
        except httpx.HTTPStatusError as exc:
            if exc.response.status_code >= 500:
                parser = RobotFileParser()
                parser.parse(["User-agent: *", "Disallow: /"])
                return parser
            return None
        except httpx.HTTPError:
            return None  # no robots.txt reachable: nothing forbidden
        parser = RobotFileParser()
        parser.parse(page.data.decode("utf-8", errors="replace").splitlines())
        return parser


def _get(
    client: httpx.Client,
    url: str,
    max_bytes: int,
    polite: _Politeness | None,
    *,
    truncate: bool = False,
) -> _Page:
    """The body at ``url`` after its redirects, each hop checked against robots.txt when
    ``polite`` is given; over ``max_bytes`` it is refused (or cut, with ``truncate``)."""
    seen = {url}
    for _ in range(MAX_REDIRECTS + 1):
        with client.stream("GET", url) as response:
            if response.is_redirect and "location" in response.headers:
                url = _next_hop(str(response.url), response.headers["location"], seen)
                if polite is not None:
                    polite.check(url, hop=url)
                    polite.wait_turn(urlsplit(url).netloc)
                continue
            response.raise_for_status()
            declared = int(response.headers.get("content-length") or 0)
            if declared > max_bytes and not truncate:
                raise _RefusedError(SkipReason.TOO_LARGE, f"The page exceeds {max_bytes:,} bytes.")
            data = _read_capped(response, max_bytes, truncate)
            return _Page(data, response.headers.get("content-type", "").lower(), str(response.url))
    raise _RefusedError(
        SkipReason.FETCH_ERROR, f"The URL redirects more than {MAX_REDIRECTS} times."
    )


def _next_hop(current: str, location: str, seen: set[str]) -> str:
    target = urljoin(current, location)
    if urlsplit(target).scheme not in ("http", "https"):
        raise _RefusedError(
            SkipReason.FETCH_ERROR, "The URL redirects to a URL that is not http(s)."
        )
    if target in seen:
        raise _RefusedError(SkipReason.FETCH_ERROR, "The URL redirects in a loop.")
    seen.add(target)
    return target


def _read_capped(response: httpx.Response, max_bytes: int, truncate: bool) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            if truncate:
                chunks.append(chunk[: len(chunk) - (size - max_bytes)])
                break
            raise _RefusedError(SkipReason.TOO_LARGE, f"The page exceeds {max_bytes:,} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def _fetch_one(
    url: str, client: httpx.Client, polite: _Politeness, options: FetchOptions
) -> list[IngestOutcome]:
    origin = Origin(url, "", "url")
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises for a port out of range
        if any(c.isspace() for c in parts.netloc):
            raise ValueError("a space in the host")
        httpx.URL(url)  # raises on what httpx cannot request
    except (ValueError, httpx.InvalidURL) as exc:
        return [Skip(origin, SkipReason.PARSE_ERROR, f"The line is not a valid URL ({exc}).")]
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return [Skip(origin, SkipReason.PARSE_ERROR, "The line is not an http(s) URL.")]
    try:
        with polite.host_lock(parts.netloc):
            polite.check(url)
            polite.wait_turn(parts.netloc)
            with deadline(options.max_time):
                page = _get(client, url, options.max_bytes, polite)
    except _RefusedError as exc:
        return [Skip(origin, exc.reason, exc.message)]
    except httpx.HTTPStatusError as exc:
        code = exc.response.status_code
        return [Skip(origin, SkipReason.FETCH_ERROR, f"The server answered HTTP {code}.")]
    except httpx.HTTPError as exc:
        return [Skip(origin, SkipReason.FETCH_ERROR, _network_message(exc, options))]
    return _read_page(page, origin)


def _network_message(exc: httpx.HTTPError, options: FetchOptions) -> str:
    if past_deadline():
        return f"The page took longer than {options.max_time:g} seconds in all, so it was dropped."
    return f"The page could not be fetched ({type(exc).__name__})."


def _read_page(page: _Page, origin: Origin) -> list[IngestOutcome]:
    if page.mime and not page.mime.startswith(_PAGE_TYPES):
        return [Skip(origin, SkipReason.BINARY, f"The URL serves {page.mime}, not a page.")]
    try:
        text, _ = decode_text(page.data)
    except DecodeError as exc:
        return [Skip(origin, exc.reason, str(exc))]
    fmt = "text" if page.mime.startswith("text/plain") else "html"
    return read_page_text(text, origin, page.url, fmt)


def _guarded_fetch(
    url: str, client: httpx.Client, polite: _Politeness, options: FetchOptions
) -> list[IngestOutcome]:
    try:
        return _fetch_one(url, client, polite, options)
    except Exception as exc:  # one URL's failure must not stop the list
        return [failed_skip(Origin(url, "", "url"), exc)]


def fetch_urls(urls: Iterable[str], options: FetchOptions | None = None) -> Iterator[IngestOutcome]:
    """Fetch and read each URL; outcomes come back in the order of ``urls``. Stopping early
    (an exception in the caller, Ctrl-C) cancels the URLs not started."""
    options = options or FetchOptions()
    timeout = httpx.Timeout(options.timeout)
    headers = {"User-Agent": USER_AGENT}
    client = httpx.Client(
        timeout=timeout, headers=headers, follow_redirects=False, transport=DeadlineTransport()
    )
    pool = ThreadPoolExecutor(max_workers=options.concurrency, thread_name_prefix="sitrep-fetch")
    try:
        polite = _Politeness(client, options)
        futures: list[Future[list[IngestOutcome]]] = [
            pool.submit(_guarded_fetch, url, client, polite, options) for url in urls
        ]
        for future in futures:
            yield from future.result()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        client.close()
