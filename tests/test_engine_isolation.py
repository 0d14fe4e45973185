"""No article stops the others in analysis, and workers never outlive their parent.

The pool tests replace the analyser in the workers by a stand-in (they are forked, so they
inherit the replacement) that fails, dies or dawdles on command: no model is loaded.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from sitrep import Document, Ledger, api, ingest
from sitrep.analyze.core.bounded import MAX_ANALYSIS_CHARS, parse_bounded, pieces
from sitrep.engines import local
from sitrep.engines.local import LocalEngine, analyse_chunk
from sitrep.evaluate.robustness import alive
from sitrep.model import Analysis, AnalysisFailure, Article, Origin, content_id


class StandIn:
    """Analyses instantly; raises on "BOOM", exits its process on "DIE", sleeps on "SLOW"."""

    def __init__(self, *_: object) -> None:
        pass

    def analyze_many(self, articles: Sequence[Article]) -> list[Document]:
        for article in articles:
            if "BOOM" in article.text:
                raise RuntimeError("a stage broke")
            if "DIE" in article.text:
                os._exit(3)
            if "SLOW" in article.text:
                time.sleep(30)
        return [Document(article) for article in articles]

    def analyze(self, article: Article) -> Document:
        return self.analyze_many([article])[0]


def _article(text: str) -> Article:
    return Article(content_id(text), text, Origin("t"), language="en")


def _kinds(results: Sequence[Analysis | AnalysisFailure]) -> list[str]:
    return [r.reason if isinstance(r, AnalysisFailure) else "ok" for r in results]


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local, "_analyzer", lambda *_: StandIn())


def test_a_failing_article_fails_alone() -> None:
    articles = [_article(t) for t in ("one", "BOOM two", "three", "x" * (MAX_ANALYSIS_CHARS + 1))]
    results = analyse_chunk(StandIn(), articles, "p")  # type: ignore[arg-type]
    assert _kinds(results) == ["ok", "failed", "ok", "too_long"]
    assert [r.article_id for r in results] == [a.id for a in articles]
    assert "RuntimeError: a stage broke" in results[1].message  # type: ignore[union-attr]


def test_a_dying_worker_costs_only_its_article(stand_in: None) -> None:
    texts = ["a", "b", "c DIE", "d", "e", "f"]
    with LocalEngine(None, workers=2, chunk_size=2) as engine:
        results = [r for chunk in engine.run(map(_article, texts), "p") for r in chunk]
        again = [r for chunk in engine.run(map(_article, ["g", "h"]), "p") for r in chunk]
    assert _kinds(results) == ["ok", "ok", "worker_died", "ok", "ok", "ok"]
    assert [r.article_id for r in results] == [content_id(t) for t in texts]
    assert _kinds(again) == ["ok", "ok"]  # the pool was replaced


def test_leaving_the_engine_on_an_interrupt_stops_its_workers(stand_in: None) -> None:
    engine = LocalEngine(None, workers=2, chunk_size=1)
    with pytest.raises(KeyboardInterrupt), engine:
        results = engine.run(map(_article, ["a", "b SLOW", "c SLOW", "d SLOW"]), "p")
        next(results)
        workers = [p.pid for p in engine._pool._processes.values()]  # type: ignore[union-attr]
        raise KeyboardInterrupt
    deadline = time.monotonic() + 2
    while any(alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers and not any(alive(p) for p in workers)


def test_workers_die_with_a_parent_killed_by_sigkill(tmp_path: Path) -> None:
    script = tmp_path / "parent.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import sys, time
            sys.path.insert(0, {str(Path(__file__).parent.parent)!r})
            from tests.test_engine_isolation import StandIn, _article
            from sitrep.engines import local
            local._analyzer = lambda *_: StandIn()
            engine = local.LocalEngine(None, workers=2, chunk_size=1)
            results = engine.run(map(_article, ["a", "b SLOW", "c SLOW"]), "p")
            next(results)
            print(*[p.pid for p in engine._pool._processes.values()], flush=True)
            time.sleep(60)
            """
        ),
        encoding="utf-8",
    )
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    assert len(workers) == 2 and all(alive(p) for p in workers)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while any(alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(p) for p in workers)


def test_failed_articles_are_marked_and_not_retried(
    ledger: Ledger, tmp_path: Path, stand_in: None
) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "Fine text here."}\n{"text": "A BOOM text here."}\n', "utf-8")
    ingest(ledger, [path])
    engine = LocalEngine(None, workers=1)
    first = api.analyze(ledger, engine=engine)
    assert (first.analysed, first.failed) == (1, {"failed": 1})
    (failure,) = api.analysis_failures(ledger)
    assert failure["part"] == "line 2" and failure["message"].endswith("so it is not analysed.")
    again = api.analyze(ledger, engine=engine)
    assert (again.analysed, again.failed, again.already) == (0, {}, 2)


def test_long_texts_are_parsed_in_pieces_with_exact_offsets(resources) -> None:  # type: ignore[no-untyped-def]
    paragraph = "US jets struck near Deir ez-Zor on Saturday. The army said 62 soldiers died.\n\n"
    text = paragraph * 60 + "Russia said " + "the strike was deliberate " * 80 + "."
    cut = pieces(text, 1500)
    assert "".join(cut) == text and max(map(len, cut)) <= 1500 and len(cut) > 3
    assert all(p.endswith("\n\n") for p in cut[:-2])  # cut at paragraph breaks where it can
    doc = parse_bounded(resources.nlp, text, size=1500)
    assert doc.text == text
    places = [e for e in doc.ents if e.text == "Deir ez-Zor"]
    assert len(places) == 60
    assert all(text[e.start_char : e.end_char] == "Deir ez-Zor" for e in places)
