"""Each input format lands as articles with the fields it carries."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sitrep import IngestOptions, Ledger, ingest
from sitrep.model import content_id

from .helpers import article_html, write_warc

BODY = (
    "Artillery fire struck the northern districts of the city on Tuesday, killing four people "
    "and wounding eleven, according to local medics who spoke to reporters at the hospital."
)


def _articles(ledger: Ledger) -> list:  # type: ignore[type-arg]
    return list(ledger.iter_articles())


def test_plain_text_file(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(
        f"City shelled overnight\n\nBy Jane Roe\n\nJune 2, 2021\n\n{BODY}\n", encoding="utf-8"
    )
    counts = ingest(ledger, [path])
    (article,) = _articles(ledger)
    assert counts.new == 1
    assert (article.title, article.authors, article.published) == (
        "City shelled overnight",
        ("Jane Roe",),
        date(2021, 6, 2),
    )
    assert article.text.endswith(BODY)
    assert article.language == "en" and article.analysable


def test_html_page_keeps_main_text_and_metadata(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(article_html("Clashes in the south", BODY), encoding="utf-8")
    ingest(ledger, [path])
    (article,) = _articles(ledger)
    assert article.title == "Clashes in the south"
    assert article.authors == ("Test Writer",)
    assert article.outlet == "Test Outlet"
    assert article.published == date(2020, 2, 3)
    assert BODY[:60] in article.text
    assert "Subscribe" not in article.text and "Share this" not in article.text


def test_jsonl_records_keep_text_verbatim_and_ids(ledger: Ledger, tmp_path: Path) -> None:
    text = "  Line one.\r\n\tLine two keeps its odd whitespace.  "
    path = tmp_path / "records.jsonl"
    rows = [
        {
            "id": "r1",
            "text": text,
            "title": "T",
            "outlet": "O",
            "authors": ["A", "B"],
            "published": "2019-07",
            "url": "https://example.org/a",
        },
        {"id": "r2", "text": BODY, "authors": "C; D"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    ingest(ledger, [path])
    first, second = _articles(ledger)
    assert first.text == text and first.id == content_id(text)
    assert first.external_id == "r1" and first.authors == ("A", "B")
    assert first.published == date(2019, 7, 1) and first.published_precision == "month"
    assert first.origin.part == "line 1" and second.origin.part == "line 2"
    assert second.authors == ("C", "D")


def test_a_title_run_into_the_records_text_is_its_headline(ledger: Ledger, tmp_path: Path) -> None:
    # Spreadsheets of scraped news print the title again at the top of the text, after a
    # dateline: the body starts after it, and the text stays verbatim.
    title = "Artillery fire kills four in the north"
    rows = [
        {"id": "r1", "title": title, "text": f"Tue Sep 24 2013 {title} . {BODY}"},
        {"id": "r2", "title": "A title the text never prints", "text": BODY + " Two."},
        {"id": "r3", "title": "Artillery fire", "text": BODY + " Three."},  # too short
    ]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    ingest(ledger, [path])
    first, second, third = _articles(ledger)
    assert first.text.startswith("Tue Sep 24 2013")
    assert first.text[first.body_start :] == BODY
    assert second.body_start == 0 and third.body_start == 0


def test_a_headline_before_the_texts_own_dateline_is_no_body(
    ledger: Ledger, tmp_path: Path
) -> None:
    # Wire copy scraped without its title prints headline, agency and date, then the lead:
    # the body starts after the dateline. A dateline after a sentence of the body leaves
    # the body where it was.
    head = "Shelling kills four in northern town Monitor AFP Tuesday 24 Sep 2013 "
    rows = [
        {"id": "r1", "text": head + BODY},
        {"id": "r2", "text": f"{BODY} Reuters Tuesday 24 Sep 2013 more."},
    ]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    ingest(ledger, [path])
    first, second = _articles(ledger)
    assert first.text[first.body_start :] == BODY
    assert second.body_start == 0


def test_csv_with_field_mapping(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "fakes-like.csv"
    path.write_text(
        'unit_id,article_title,article_content,date\n7,"A title","' + BODY + '",2/13/17\n',
        encoding="utf-8",
    )
    fields = {
        "text": "article_content",
        "title": "article_title",
        "id": "unit_id",
        "published": "date",
    }
    ingest(ledger, [path], IngestOptions(fields=fields))
    (article,) = _articles(ledger)
    assert (article.title, article.external_id, article.text) == ("A title", "7", BODY)
    assert article.published == date(2017, 2, 13)  # 13 can only be the day


def _numeric_dates_csv(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    path = tmp_path / "dated.csv"
    lines = ["id,text,published"]
    lines += [f'{n},"{text} ({n})",{when}' for n, (text, when) in enumerate(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _published_by_id(ledger: Ledger) -> dict[str, tuple[date | None, str]]:
    return {a.external_id: (a.published, a.provenance["published"]) for a in _articles(ledger)}


def test_numeric_record_dates_follow_the_order_the_file_shows(
    ledger: Ledger, tmp_path: Path
) -> None:
    """A spreadsheet writes its dates in one order; a day above 12 shows which. A date the
    file has not yet decided is left unread and logged as ambiguous, never guessed."""
    path = _numeric_dates_csv(
        tmp_path, [(BODY, "2/3/17"), (BODY, "2/23/17"), (BODY, "4/5/17"), (BODY, "7/7/17")]
    )
    ingest(ledger, [path])
    got = _published_by_id(ledger)
    assert got["0"][0] is None and got["0"][1].startswith("ambiguous")
    assert got["1"][0] == date(2017, 2, 23)
    assert got["2"] == (date(2017, 4, 5), "record (month first, as the file's dates show)")
    assert got["3"][0] == date(2017, 7, 7)


def test_numeric_record_dates_day_first_and_by_the_texts_dateline(
    ledger: Ledger, tmp_path: Path
) -> None:
    path = _numeric_dates_csv(
        tmp_path,
        [
            ("Sun 05 Mar 2017 " + BODY, "05.03.2017"),  # undecided: the text's dateline reads it
            (BODY, "30-04-2017"),
            (BODY, "06-04-2017"),
            (BODY, "31/31/2017"),
        ],
    )
    ingest(ledger, [path])
    got = _published_by_id(ledger)
    assert got["0"] == (date(2017, 3, 5), "record (day first, as the text's dateline shows)")
    assert got["1"][0] == date(2017, 4, 30)
    assert got["2"][0] == date(2017, 4, 6)
    assert got["3"][0] is None and got["3"][1].startswith("not a calendar date")


def test_json_array_file(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "records.json"
    path.write_text(json.dumps([{"text": BODY}, {"text": BODY + " Again."}]), encoding="utf-8")
    assert ingest(ledger, [path]).new == 2


def test_warc_gz_pages(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(
        path,
        [
            (
                "https://www.theduran.com/story",
                "text/html; charset=utf-8",
                article_html("Story one", BODY).encode(),
            ),
            ("https://example.org/logo.png", "image/png", b"\x89PNG\r\n\x1a\n0000"),
            (
                "https://example.org/two",
                "text/html",
                article_html("Story two", BODY + " More.").encode(),
            ),
        ],
    )
    counts = ingest(ledger, [path])
    articles = _articles(ledger)
    assert [a.title for a in articles] == ["Story one", "Story two"]
    assert articles[0].url == "https://www.theduran.com/story"
    assert articles[0].outlet == "The Duran"  # from the domain
    assert counts.skipped == {"binary": 1}


def test_uncompressed_warc(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    write_warc(
        path,
        [("https://example.org/a", "text/html", article_html("Plain", BODY).encode())],
        gzip=False,
    )
    assert ingest(ledger, [path]).new == 1


def test_folders_are_read_recursively_in_name_order(ledger: Ledger, tmp_path: Path) -> None:
    for rel in ("b/2.txt", "a/deep/1.txt", "c.txt"):
        path = tmp_path / "corpus" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Report {rel}\n\n{BODY} ({rel})\n", encoding="utf-8")
    ingest(ledger, [tmp_path / "corpus"])
    assert [Path(a.origin.source).name for a in _articles(ledger)] == ["1.txt", "2.txt", "c.txt"]


def test_non_english_article_is_stored_and_flagged(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "fr.txt"
    path.write_text(
        "Les forces gouvernementales ont repris le contrôle de la ville après deux jours de "
        "combats, selon des sources locales citées par plusieurs médias.\n",
        encoding="utf-8",
    )
    ingest(ledger, [path])
    (article,) = _articles(ledger)
    assert article.language == "fr" and not article.analysable


def test_data_files_beside_a_corpus_are_logged_not_ingested(ledger: Ledger, tmp_path: Path) -> None:
    (tmp_path / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    counts = ingest(ledger, [tmp_path / "notes.yaml"])
    assert counts.new == 0 and counts.skipped == {"unsupported_format": 1}
