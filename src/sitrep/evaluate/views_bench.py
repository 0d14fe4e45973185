"""`sitrep bench` figures for the analyst's views: the report of 10,000 synthetic articles (its
size, and how long headless Chromium takes to make it interactive with the network blocked),
and the API's latency over a ledger of 100,000 synthetic articles (filtered incident queries
and full-text searches, a load test on 127.0.0.1 bounded in count and time).

The synthetic ledgers hold the generated news-like articles of ``evaluate.synthetic`` with the
synthetic event mentions of ``evaluate.synthetic_events`` attached (three per article) and
consolidated; nothing here is real text, and no NLP runs (only the faces are measured).
"""

from __future__ import annotations

import random
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from sitrep.consolidate.run import consolidate_refs
from sitrep.evaluate.metrics import Metric, StageResult
from sitrep.evaluate.synthetic import generate_corpus
from sitrep.evaluate.synthetic_events import synthetic_mentions
from sitrep.ledger.bulk import bulk_write
from sitrep.ledger.consolidated import write_events
from sitrep.ledger.mentions import MENTION_COLUMNS, mention_row
from sitrep.ledger.store import Ledger

REPORT_ARTICLES = 10_000
API_ARTICLES = 100_000
REPORT_MAX_MB = 25.0
REPORT_INTERACTIVE_S = 3.0
API_P95_MS = 200.0
# The load test: at most this many requests of each kind, and at most this long in all.
REQUESTS_PER_KIND = 200
LOAD_TEST_SECONDS = 240.0
OUTLETS = 40
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def synthetic_ledger(path: Path, articles: int, seed: int = 0) -> Ledger:
    """A ledger of ``articles`` synthetic articles with three event mentions each, consolidated."""
    corpus = generate_corpus(articles, seed)
    start = date(2016, 1, 1)
    dated = [
        replace(
            a,
            outlet=f"Outlet {i % OUTLETS}",
            published=start + timedelta(days=i * 2000 // articles),
        )
        for i, a in enumerate(corpus.articles)
    ]
    ledger = Ledger.open(path)
    for begin in range(0, len(dated), 5_000):
        ledger.record_ingest(dated[begin : begin + 5_000])
    refs, evidence = synthetic_mentions(articles, seed + 7)
    ids = [a.id for a in dated]
    remapped = [replace(r, article_id=ids[int(r.article_id[1:])]) for r in refs]
    evidence = {(ids[int(a[1:])], i): text for (a, i), text in evidence.items()}
    rows = [mention_row(r.article_id, r.index, r.mention) for r in remapped]
    with ledger.transaction():
        for begin in range(0, len(rows), 50_000):
            bulk_write(ledger.conn, "mentions", MENTION_COLUMNS, rows[begin : begin + 50_000])
    events = consolidate_refs(remapped, [], evidence, [])
    with ledger.transaction():
        write_events(ledger.conn, events)
    return ledger


def _report_figures(folder: Path) -> tuple[float, float, int]:
    """(size in MB, seconds to interactive, incidents) of the 10,000-article report."""
    from playwright.sync_api import Route, sync_playwright

    from sitrep.report import write_report

    with synthetic_ledger(folder / "report.duckdb", REPORT_ARTICLES) as ledger:
        stats = write_report(ledger, folder / "report.html")
    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(3):
            context = browser.new_context(viewport={"width": 1400, "height": 900})

            def block(route: Route) -> None:
                if route.request.url.startswith(("file:", "data:", "blob:")):
                    route.continue_()
                else:
                    route.abort()

            context.route("**/*", block)
            page = context.new_page()
            page.goto(stats.path.as_uri())
            page.wait_for_selector("body[data-ready]", state="attached", timeout=60_000)
            # data-ready holds performance.now() when the map, timeline and cards were drawn
            # and the filters bound: milliseconds since navigation started.
            timings.append(float(page.get_attribute("body", "data-ready") or 0) / 1000)
            context.close()
        browser.close()
    return stats.bytes / 1e6, statistics.median(timings), stats.incidents


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _load_test(db: Path) -> dict[str, list[float]]:
    """Latencies (ms) of filtered incident queries and full-text searches against a live
    server on 127.0.0.1; bounded by REQUESTS_PER_KIND and LOAD_TEST_SECONDS."""
    import httpx
    import uvicorn

    from sitrep.web import create_app

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(db, "bench"), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    rng = random.Random(3)
    words = ("offensive", "convoy", "checkpoint", "hospital", "ceasefire", "artillery", "militia")
    kinds: dict[str, Callable[[], dict[str, str]]] = {
        "incidents_filtered": lambda: {
            "type": rng.choice(("ASSAULT", "COERCE", "ACCUSE", "AID")),
            "actor": rng.choice(("usa", "RUS", "syr", "ISIS", "tur")),
            "province": f"province {rng.randrange(14)}",
            "from": f"{2016 + rng.randrange(5)}-0{1 + rng.randrange(9)}",
            "limit": "50",
        },
        "incidents_by_outlet": lambda: {
            "outlet": f"outlet {rng.randrange(OUTLETS)}",
            "min_articles": "2",
            "limit": "50",
        },
        "search": lambda: {"q": f"{rng.choice(words)} {rng.choice(words)}", "limit": "50"},
        "incidents_search": lambda: {"q": rng.choice(words), "type": "ASSAULT", "limit": "50"},
    }
    paths = {
        "incidents_filtered": "/api/incidents",
        "incidents_by_outlet": "/api/incidents",
        "search": "/api/search",
        "incidents_search": "/api/incidents",
    }
    latencies: dict[str, list[float]] = {k: [] for k in kinds}
    deadline = time.monotonic() + LOAD_TEST_SECONDS
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            for kind, params in kinds.items():
                client.get(paths[kind], params=params())  # warm caches once per kind
                for _ in range(REQUESTS_PER_KIND):
                    if time.monotonic() > deadline:
                        break
                    start = time.perf_counter()
                    response = client.get(paths[kind], params=params())
                    latencies[kind].append((time.perf_counter() - start) * 1000)
                    response.raise_for_status()
    finally:
        server.should_exit = True
        thread.join(10)
    return latencies


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else float("nan")


def bench_views(data_dir: Path) -> StageResult:
    result = StageResult(
        "views",
        f"report of {REPORT_ARTICLES:,} and API over {API_ARTICLES:,} synthetic articles",
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        size_mb, interactive_s, incidents = _report_figures(folder)
        start = time.perf_counter()
        with synthetic_ledger(folder / "api.duckdb", API_ARTICLES) as ledger:
            from sitrep.views import ensure_search_index

            built = time.perf_counter() - start
            start = time.perf_counter()
            ensure_search_index(ledger)
            indexed = time.perf_counter() - start
        latencies = _load_test(folder / "api.duckdb")
    result.metrics += [
        Metric(
            "bench.views.report_mb",
            f"report of {REPORT_ARTICLES:,} articles ({incidents:,} incidents): MB",
            size_mb,
            REPORT_MAX_MB,
            REPORT_ARTICLES,
            lower_is_better=True,
        ),
        Metric(
            "bench.views.report_interactive_s",
            "report: seconds until interactive in headless Chromium (median of 3)",
            interactive_s,
            REPORT_INTERACTIVE_S,
            REPORT_ARTICLES,
            lower_is_better=True,
        ),
        Metric(
            "bench.views.api_ledger_build_s",
            f"synthetic ledger of {API_ARTICLES:,} articles built and consolidated: s",
            built,
            None,
            API_ARTICLES,
            lower_is_better=True,
        ),
        Metric(
            "bench.views.fts_index_s",
            "full-text index built: s",
            indexed,
            None,
            API_ARTICLES,
            lower_is_better=True,
        ),
    ]
    for kind, values in latencies.items():
        result.metrics += [
            Metric(
                f"bench.views.api_{kind}_p95_ms",
                f"API {kind.replace('_', ' ')}: p95 ms ({len(values)} requests)",
                _p95(values),
                API_P95_MS,
                len(values),
                lower_is_better=True,
            ),
            Metric(
                f"bench.views.api_{kind}_p50_ms",
                f"API {kind.replace('_', ' ')}: median ms",
                statistics.median(values) if values else float("nan"),
                None,
                len(values),
                lower_is_better=True,
            ),
        ]
    return result
