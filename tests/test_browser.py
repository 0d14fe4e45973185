"""The report and the served pages in a real browser: Debian's headless Chromium driven by
Playwright (never a downloaded browser), with every request off this machine blocked. A browser
that cannot start fails these tests. With SITREP_SCREENSHOTS=1 the screenshots go to
docs/screenshots/ (as committed); otherwise to the test's temporary folder."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

from sitrep.ledger.store import Ledger
from sitrep.report import write_report
from sitrep.web import create_app

from .conftest import HOSTILE, PROJECT

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOKEN = "browser-test-token"
EVIL = "http://evil.test"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@dataclass
class Watched:
    """A page whose console errors, dialogs and off-machine requests are recorded."""

    page: Page
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


def _local(url: str) -> bool:
    return url.startswith(("file:", "data:", "blob:", "http://127.0.0.1:"))


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    opened = browser.new_context(viewport={"width": 1400, "height": 900})
    yield opened
    opened.close()


def _watch(context: BrowserContext) -> Watched:
    page = context.new_page()
    watched = Watched(page)

    def route(route: Route) -> None:
        if _local(route.request.url):
            route.continue_()
        else:
            watched.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page.on("console", lambda m: watched.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watched.errors.append(str(e)))

    def dialog(d: Any) -> None:
        watched.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    return watched


def _shot(page: Page, name: str, tmp_path: Path) -> None:
    folder = PROJECT / "docs" / "screenshots" if os.environ.get("SITREP_SCREENSHOTS") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))


def _ready(page: Page) -> None:
    page.wait_for_selector("body[data-ready]", state="attached", timeout=30_000)
    assert page.get_attribute("body", "data-error") is None


@pytest.fixture(scope="module")
def report(analysed_seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    with Ledger.open(analysed_seeds, read_only=True) as ledger:
        write_report(ledger, out)
    return out


def _strike_card(page: Page) -> None:
    card = page.locator(".card", has_text="ASSAULT/aerial · 2016-09-17 · Deir ez-Zor").first
    card.click()
    page.wait_for_selector("#detail[data-view='incident']")


def test_browser_report_of_the_seeds(context: BrowserContext, report: Path, tmp_path: Path) -> None:
    watched = _watch(context)
    page = watched.page
    page.goto(report.as_uri())
    _ready(page)
    # The map: seed events as points in Syria, province-only places as areas.
    points = page.evaluate(
        """() => window.sitrep.incidents()
             .filter(r => r.place && r.area === null && r.place.lat > 32 && r.place.lat < 37.5
                          && r.place.lon > 35.5 && r.place.lon < 42.5).length"""
    )
    assert points > 5 and int(page.get_attribute("#map", "data-points") or 0) >= points
    assert int(page.get_attribute("#map", "data-areas") or 0) > 0
    assert page.locator(".leaflet-marker-icon").count() > 0
    assert page.locator("path.leaflet-interactive").count() > 0  # province or country areas
    assert int(page.get_attribute("#timeline-svg", "data-bars") or 0) > 3
    _shot(page, "report-overview", tmp_path)

    # The 17 September 2016 Deir ez-Zor strike: sources side by side, disagreements.
    _strike_card(page)
    detail = page.locator("#detail")
    assert int(detail.locator(".sources").get_attribute("data-count") or 0) == 3
    assert detail.locator(".source h4", has_text="RogueMoney").count() == 1
    fields = detail.locator(".disagreement").evaluate_all("ds => ds.map(d => d.dataset.field)")
    assert {"killed", "intent"} <= set(fields)
    assert detail.locator(".disagreement[data-field='intent'] .value").count() == 2
    _shot(page, "report-incident-card", tmp_path)
    detail.locator(".disagreement[data-field='intent']").scroll_into_view_if_needed()
    _shot(page, "report-disagreements", tmp_path)

    # Every attribute links to its words: the toll opens the article at "at least 62".
    detail.locator("dd a.span-link", has_text="62–100").click()
    page.wait_for_selector("#detail[data-view='article']")
    focus = page.locator(".hl-focus").first
    assert "62" in focus.inner_text()
    assert page.locator(".article-text .hl-event").count() > 0
    assert page.locator(".article-text .hl-claim").count() > 0
    assert page.locator(".article-text .hl-speaker").count() > 0
    # A span explains itself on hover.
    page.locator(".article-text .hl-speaker").first.hover()
    assert "speaker of claim" in page.locator("#hover").inner_text()
    _shot(page, "report-article", tmp_path)
    assert "article=" in page.url and "span=" in page.url

    assert watched.errors == [] and watched.blocked == [] and watched.dialogs == []


def test_browser_report_hides_non_events_until_asked_and_keeps_filters_in_the_url(
    context: BrowserContext, report: Path
) -> None:
    watched = _watch(context)
    page = watched.page
    page.goto(report.as_uri())
    _ready(page)
    _strike_card(page)
    page.locator(".evidence a.span-link").first.click()
    page.wait_for_selector(".article-text")
    assert page.locator(".article-text .hl-hidden").count() == 0
    page.check("#f-all")
    page.wait_for_selector(".article-text .hl-hidden")
    assert page.locator(".article-text .hl-hidden").count() > 0

    everything = page.locator("#count").inner_text()
    page.select_option("#f-type", "ASSAULT")
    page.wait_for_function("() => location.hash.includes('type=ASSAULT')")
    page.wait_for_function(
        "before => document.getElementById('count').textContent !== before", arg=everything
    )
    shown = page.locator("#count").inner_text()
    page.goto(report.as_uri() + "#type=ASSAULT&province=Deir%20ez-Zor")
    page.reload()
    _ready(page)
    assert page.locator("#f-type").input_value() == "ASSAULT"
    narrower = page.locator("#count").inner_text()
    assert int(narrower.split()[0]) < int(shown.split()[0])

    # The timeline's brush filters the map and the cards.
    box = page.locator("#timeline-svg").bounding_box()
    assert box is not None
    before = int(page.get_attribute("#map", "data-points") or 0)
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.93, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.99, y)
    page.mouse.up()
    page.wait_for_function("() => /from=.*to=/.test(location.hash)")
    assert int(page.get_attribute("#map", "data-points") or 0) <= before
    assert watched.errors == [] and watched.blocked == []


def test_browser_untrusted_text_stays_inert_in_the_report(
    context: BrowserContext, report: Path, analysed_seeds: Path
) -> None:
    with Ledger.open(analysed_seeds, read_only=True) as ledger:
        (article,) = [a for a in ledger.iter_articles() if a.external_id == HOSTILE["id"]]
    watched = _watch(context)
    page = watched.page
    page.goto(report.as_uri() + f"#article={article.id}")
    _ready(page)
    page.wait_for_selector(".article-text")
    assert page.locator("#detail h2").inner_text() == HOSTILE["title"]
    assert "<script>" in page.locator(".article-text").inner_text()
    assert page.locator("#detail a[href^='javascript']").count() == 0
    # Its incident's card shows the outlet's name as text.
    incident = page.evaluate(
        """id => window.sitrep.incidents()
             .find(r => r.accounts.some(a => a.article_id === id)).incident_id""",
        article.id,
    )
    page.goto(report.as_uri() + f"#incident={incident}")
    page.reload()
    _ready(page)
    page.wait_for_selector("#detail[data-view='incident']")
    assert HOSTILE["outlet"] in page.locator("#detail .source h4").first.inner_text()
    page.locator("#detail .evidence a.span-link").first.click()
    page.wait_for_selector(".article-text")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__pwned === undefined")
    assert watched.dialogs == [] and watched.blocked == []


@dataclass
class Served:
    url: str
    db: Path


@pytest.fixture
def served(seeds_copy: Path) -> Iterator[Served]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(seeds_copy, TOKEN), host="127.0.0.1", port=port, log_level="error"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield Served(f"http://127.0.0.1:{port}", seeds_copy)
    server.should_exit = True
    thread.join(10)


def test_browser_served_pages_click_through_and_correct(
    context: BrowserContext, served: Served, tmp_path: Path
) -> None:
    watched = _watch(context)
    page = watched.page
    page.goto(f"{served.url}/#token={TOKEN}")
    _ready(page)
    assert int(page.get_attribute("#map", "data-points") or 0) > 5
    _strike_card(page)
    assert int(page.locator(".sources").get_attribute("data-count") or 0) == 3
    # A correction from the page: the toll.
    form = page.locator(".corrections form")
    form.locator("select[name=field]").select_option("killed")
    form.locator("input[name=value]").fill("70")
    form.locator("input[name=who]").fill("ana")
    form.locator("input[name=why]").fill("UN figure")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".card .tag.corr")
    page.wait_for_selector("#detail dd a.span-link:text('70')")
    _shot(page, "served-incident-corrected", tmp_path)
    page.locator("#detail dd a.span-link", has_text="USA").first.click()
    page.wait_for_selector(".article-text .hl-focus")
    # The page at its own path opens the incident too.
    incident_id = page.evaluate("() => new URLSearchParams(location.hash.slice(1)).get('incident')")
    page.goto(f"{served.url}/incidents/{incident_id}")
    _ready(page)
    page.wait_for_selector("#detail[data-view='incident']")
    assert watched.errors == [] and watched.blocked == [] and watched.dialogs == []


def test_browser_api_docs_come_from_vendored_assets_and_show_text_as_text(
    context: BrowserContext, served: Served, tmp_path: Path
) -> None:
    watched = _watch(context)
    page = watched.page
    page.goto(f"{served.url}/docs")
    operation = page.locator("#operations-default-list_articles_api_articles_get")
    operation.wait_for(timeout=30_000)
    operation.locator(".opblock-summary").click()
    operation.locator(".try-out__btn").click()
    operation.locator("input[placeholder='q']").fill("Observatory")
    operation.locator(".execute").click()
    body = operation.locator(".live-responses-table .highlight-code").first
    body.wait_for(timeout=30_000)
    assert "<script>" in body.inner_text()
    _shot(page, "api-docs", tmp_path)
    assert page.evaluate("() => window.__pwned === undefined")
    assert watched.errors == [] and watched.blocked == [] and watched.dialogs == []


def test_browser_another_origin_cannot_change_the_ledger(
    context: BrowserContext, served: Served
) -> None:
    attack = f"""<!DOCTYPE html><html><body>
      <form id=f method=POST action="{served.url}/api/corrections" enctype="text/plain">
        <input name='{{"target_id":"x","action":"wrong","who":"a","why":"b","pad":"' value='"}}'>
      </form>
      <script>
        window.result = fetch("{served.url}/api/corrections", {{method: "POST",
          headers: {{"Content-Type": "application/json", "Authorization": "Bearer {TOKEN}"}},
          body: JSON.stringify({{target_id: "x", action: "wrong", who: "a", why: "b"}})}})
          .then(r => "status " + r.status, e => "blocked");
      </script></body></html>"""
    context.route(f"{EVIL}/**", lambda route: route.fulfill(body=attack, content_type="text/html"))
    page = context.new_page()
    page.goto(f"{EVIL}/attack.html")
    assert page.evaluate("() => window.result") == "blocked"  # the preflight is refused
    with page.expect_navigation():
        page.evaluate("() => document.getElementById('f').submit()")
    assert "Cross-origin" in page.content()
    assert httpx.get(f"{served.url}/api/corrections").json()["items"] == []
