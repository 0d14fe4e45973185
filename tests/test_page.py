"""Reading raw text pages: headline, byline, outlet, date, boilerplate, several articles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from sitrep.ingest.page import read_page

from .conftest import SEEDS


def _gold_articles() -> dict[str, dict]:  # type: ignore[type-arg]
    gold = yaml.safe_load((SEEDS / "gold.yaml").read_text(encoding="utf-8"))
    return {entry["file"]: entry for entry in gold["articles"]}


def test_seed_pages_metadata_match_gold() -> None:
    for name, entry in _gold_articles().items():
        parts = read_page((SEEDS / name).read_text(encoding="utf-8"))
        first = parts[0]
        assert " ".join((first.title or "").split()) == " ".join(entry["title"].split()), name
        assert list(first.authors) == entry["authors"], name
        assert first.outlet == entry["outlet"], name
        expected = date.fromisoformat(entry["published"]) if entry["published"] else None
        assert first.published == expected, name
        assert len(parts) == (2 if entry["contains_multiple_articles"] else 1), name


def test_seed_bodies_stop_before_the_page_furniture() -> None:
    for name, entry in _gold_articles().items():
        cue = entry["body_ends_before"]
        if not cue:
            continue
        last = read_page((SEEDS / name).read_text(encoding="utf-8"))[-1]
        assert " ".join(cue.split()) not in " ".join(last.text.split()), name


def test_header_lines_leave_the_body_but_the_headline_opens_the_text() -> None:
    part = read_page((SEEDS / "000_5bef9b898cfd1f03.txt").read_text(encoding="utf-8"))[0]
    body = part.text[part.body_start :]
    assert part.text.startswith(part.title or "?")
    for furniture in ("Region:", "Theme:", "Featured image:", "Global Research, September 26"):
        assert furniture not in body
    assert body.startswith("By now many of you")


def test_hard_wrapped_text_keeps_its_line_breaks() -> None:
    page = (SEEDS / "003_7b04b41e7a64ddfd.txt").read_text(encoding="utf-8")
    part = read_page(page)[0]
    assert "President of\nthe United States" in part.text
    assert part.provenance.get("reposted_from") == "SCF"


def test_repost_page_splits_into_two_linked_articles_with_the_editors_note_kept() -> None:
    parts = read_page((SEEDS / "001_0b488fa91fc41ad6.txt").read_text(encoding="utf-8"))
    assert [p.title for p in parts][1].startswith("United States signals intention")
    assert "[Editor’s note" in parts[1].text
    assert parts[1].outlet == "The Duran"
    assert "Leave a Reply" not in parts[1].text and "Sourced from" not in parts[0].text


def test_page_with_no_header_keeps_all_its_text() -> None:
    prose = (
        "Shelling hit the outskirts of the town on Monday, residents said, and the road "
        "to the north was closed for most of the day while crews cleared the debris."
    )
    parts = read_page(prose + "\n\nA second paragraph follows here.\n")
    assert parts[0].title is None
    assert parts[0].text.startswith("Shelling hit")


def test_footer_words_early_in_a_page_do_not_cut_it() -> None:
    body = "\n\n".join(
        f"Paragraph {i} of the report, with enough words to be a paragraph." for i in range(30)
    )
    page = f"Headline\n\nLeave a comment on the ceasefire, the minister told reporters.\n\n{body}\n"
    part = read_page(page)[0]
    assert "Paragraph 29" in part.text


def test_trailing_timestamp_gives_the_date_and_leaves_the_body() -> None:
    page = (
        "Headline here\n\nSomething happened in the city today, officials said.\n\n\n"
        "10:05 am on March 4, 2019\n"
    )
    part = read_page(page)[0]
    assert part.published == date(2019, 3, 4)
    assert "10:05" not in part.text


def test_empty_and_whitespace_pages_give_no_articles(tmp_path: Path) -> None:
    assert read_page("") == []
    assert read_page(" \n\n \t\n") == []
