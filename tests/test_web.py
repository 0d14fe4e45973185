"""`sitrep serve`'s JSON API: reads, caps, injection probes, and writes that need the token and
the server's own origin (in-process, through FastAPI's test client)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sitrep.web import create_app

from .conftest import HOSTILE

TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


@pytest.fixture
def client(seeds_copy: Path) -> Iterator[TestClient]:
    with TestClient(create_app(seeds_copy, TOKEN), raise_server_exceptions=False) as opened:
        yield opened


def _strike(client: TestClient) -> dict:  # type: ignore[type-arg]
    found = client.get(
        "/api/incidents", params={"type": "assault", "from": "2016-09-17", "to": "2016-09-17"}
    ).json()["items"]
    return next(r for r in found if r["place"] and r["place"]["name"] == "Deir ez-Zor")


def test_web_lists_filter_page_and_search(client: TestClient) -> None:
    first = client.get("/api/incidents", params={"limit": 5}).json()
    second = client.get("/api/incidents", params={"limit": 5, "offset": 5}).json()
    assert first["total"] == second["total"] > 10 and len(first["items"]) == 5
    assert not {r["event_id"] for r in first["items"]} & {r["event_id"] for r in second["items"]}
    strike = _strike(client)
    assert strike["n_articles"] == 3 and strike["disagreements"]
    hits = client.get("/api/search", params={"q": "Zakharova"}).json()["items"]
    assert hits and all("zakharova" in h["snippet"]["text"].lower() for h in hits)
    searched = client.get("/api/incidents", params={"q": "Zakharova", "limit": 500}).json()
    hit_ids = {h["article_id"] for h in hits}
    assert searched["items"] and all(
        any(a["article_id"] in hit_ids for a in r["accounts"]) for r in searched["items"]
    )
    view = client.get(f"/api/articles/{strike['accounts'][0]['article_id']}/view").json()
    assert view["spans"] and view["article"]["text"]
    for kind in ("mentions", "claims", "signals", "articles", "reuse"):
        listing = client.get(f"/api/{kind}", params={"limit": 3})
        assert listing.status_code == 200 and listing.json()["total"] >= len(
            listing.json()["items"]
        )


def test_web_unknown_filter_values_are_refused_with_the_valid_ones(client: TestClient) -> None:
    response = client.get("/api/incidents", params={"type": "EXPLODE"})
    assert response.status_code == 400 and "ASSAULT" in response.json()["detail"]


PARAMS = (
    "from", "to", "type", "actor", "sector", "province", "country", "outlet", "modality",
    "stance", "speaker", "kind", "precision", "min_toll", "min_articles", "article", "q",
    "limit", "offset",
)  # fmt: skip
PROBES = ("' OR 1=1 --", "1; DROP TABLE articles", '") OR ("a"="a', "%25", "\\")


@pytest.mark.parametrize("probe", PROBES)
def test_web_injection_probes_in_every_parameter_give_an_error_or_nothing(
    client: TestClient, probe: str
) -> None:
    before = client.get("/api/articles", params={"limit": 1}).json()["total"]
    for endpoint in ("incidents", "mentions", "claims", "signals", "articles", "reuse"):
        for param in PARAMS:
            if param == "q":
                continue  # search takes words: checked below
            response = client.get(f"/api/{endpoint}", params={param: probe})
            assert response.status_code in (200, 400, 422), (endpoint, param)
            if response.status_code == 200 and param not in ("limit", "offset"):
                body = response.json()
                unfiltered = client.get(f"/api/{endpoint}").json()["total"]
                # Either the filter does not apply to this list, or nothing matches.
                assert body["total"] in (0, unfiltered), (endpoint, param)
                assert body["total"] == 0 or param not in _READS[endpoint], (endpoint, param)
    search = client.get("/api/search", params={"q": probe})
    assert search.status_code in (200, 422)
    assert client.get("/api/articles", params={"limit": 1}).json()["total"] == before


_READS = {
    "incidents": {"from", "to", "type", "actor", "province", "country", "outlet", "modality",
                  "precision", "min_toll", "min_articles", "article"},
    "mentions": {"from", "to", "type", "actor", "province", "outlet", "modality", "precision",
                 "min_toll", "article"},
    "claims": {"stance", "speaker", "outlet", "article"},
    "signals": {"kind", "outlet", "article"},
    "articles": {"from", "to", "outlet", "article"},
    "reuse": {"article"},
}  # fmt: skip


def test_web_pages_and_exports_are_capped(client: TestClient) -> None:
    assert client.get("/api/incidents", params={"limit": 501}).status_code == 422
    assert client.get("/api/incidents", params={"offset": 10_000_001}).status_code == 422
    assert client.get("/api/bundle", params={"limit": 5001}).status_code == 422
    assert client.get("/api/search", params={"q": "x" * 201}).status_code == 422
    big = json.dumps({"target_id": "x", "action": "wrong", "who": "a", "why": "b" * 70_000})
    assert client.post("/api/corrections", content=big, headers=AUTH).status_code == 413


def test_web_csv_export_neutralises_spreadsheet_formulas(client: TestClient) -> None:
    article = client.get("/api/articles", params={"limit": 500}).json()["items"]
    (hostile,) = [a for a in article if a["title"] == HOSTILE["title"]]
    response = client.get(
        "/api/export/mentions", params={"format": "csv", "article": hostile["article_id"]}
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows and all(r["outlet"] == "'" + HOSTILE["outlet"] for r in rows)
    assert all(r["title"] == "'" + HOSTILE["title"] for r in rows)
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values() if v)


def _correction(client: TestClient) -> str:
    strike = _strike(client)
    return json.dumps(
        {
            "target_id": strike["event_id"],
            "action": "set",
            "field": "killed",
            "value": "70",
            "who": "ana",
            "why": "UN figure",
        }
    )


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Content-Type": "application/json"}, 401),
        ({"Authorization": "Bearer wrong", "Content-Type": "application/json"}, 401),
        ({**AUTH, "Origin": "http://evil.test"}, 403),
        ({**AUTH, "Sec-Fetch-Site": "cross-site"}, 403),
        ({"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"}, 415),
    ],
)
def test_web_writes_need_the_token_and_the_same_origin(
    client: TestClient, headers: dict[str, str], status: int
) -> None:
    response = client.post("/api/corrections", content=_correction(client), headers=headers)
    assert response.status_code == status
    assert client.get("/api/corrections").json()["items"] == []


def test_web_a_correction_with_the_token_applies_to_every_view(client: TestClient) -> None:
    headers = {**AUTH, "Origin": "http://testserver"}
    response = client.post("/api/corrections", content=_correction(client), headers=headers)
    assert response.status_code == 201, response.text
    assert _strike(client)["killed"] == {"low": 70, "high": 70}
    bundle = client.get("/api/bundle").json()
    fixed = [r for r in bundle["incidents"] if r.get("corrections")]
    assert len(fixed) == 1 and fixed[0]["killed"] == {"low": 70, "high": 70}
    exported = client.get("/api/export/incidents", params={"format": "jsonl"}).text
    assert any(json.loads(line).get("corrections") for line in exported.splitlines())


def test_web_responses_carry_a_strict_content_security_policy(client: TestClient) -> None:
    page = client.get("/")
    assert (
        page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    )
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "cdn" not in page.text.lower() and "http" not in page.text.replace("http-equiv", "")
    docs = client.get("/docs")
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/api/incidents", headers={"Host": "evil.test"}).status_code == 400


NODE = shutil.which("node") or shutil.which("nodejs")
APP_JS = Path(__file__).resolve().parents[1] / "src/sitrep/resources/web/app/app.js"


def _card_html(record: dict) -> str:  # type: ignore[type-arg]
    """The web app's incident card for ``record``, rendered by app.js outside a browser."""
    assert NODE, "node is needed to render the card without a browser"
    done = subprocess.run(
        [NODE, str(Path(__file__).parent / "js" / "render_card.js"), str(APP_JS)],
        input=json.dumps(record),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(NODE is None, reason="node renders the card without a browser")
def test_web_card_shows_how_reposts_repeat_their_source_as_text(client: TestClient) -> None:
    # The strike as the app reads it (/api/bundle), with a repost and a repeating outlet
    # whose names are the hostile article's outlet (untrusted text from the input).
    incidents = client.get("/api/bundle", headers=AUTH).json()["incidents"]
    strike = next(r for r in incidents if r["incident_id"] == _strike(client)["incident_id"])
    source = strike["sources"][0]
    repost = {"article_id": "hostile-1", "outlet": HOSTILE["outlet"], "how": "near_duplicate"}
    source["reposts"] = [repost, {**repost, "how": "passage"}]
    original = {"article_id": source["article_id"], "outlet": source["outlet"]}
    strike["repeating_outlets"] = [{"outlet": HOSTILE["outlet"], "repeats": [original]}]
    html = _card_html(strike)
    assert "near-duplicate copy" in html and "repeats a passage" in html
    assert "only repeats the account of" in html
    assert "&lt;script&gt;window.__pwned='outlet'&lt;/script&gt;" in html
    assert "<script" not in html and "onerror=" not in html.replace("onerror=&quot;", "")
    # every disagreement of the strike is on the card, its kind beside a perpetrator's
    for field in strike["disagreements"]:
        assert f'data-field="{field["field"]}"' in html
