"""Near-duplicate articles and reused passages: seeds gold, planted copies, hostile inputs."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from sitrep.api import ingest
from sitrep.consolidate.dedup import (
    DedupItem,
    NearDuplicateIndex,
    band_candidates,
    find_near_duplicates,
    lsh_params,
)
from sitrep.consolidate.reuse import MIN_WORDS, align, find_reuse
from sitrep.consolidate.shingles import batch_word_hashes, word_hashes, word_spans, words
from sitrep.consolidate.textreuse import dedup_and_reuse, run_dedup_and_reuse
from sitrep.evaluate.context import EvalContext
from sitrep.evaluate.reuse_eval import evaluate_reuse, gold_passages_found
from sitrep.evaluate.synthetic import generate_corpus
from sitrep.evaluate.textreuse_bench import score_textreuse
from sitrep.gold.data import seeds_gold
from sitrep.ledger.reuse import read_duplicates, read_reuse
from sitrep.ledger.store import Ledger
from sitrep.model import Article, Origin

from .conftest import DATA, SEEDS

# --------------------------------------------------------------------------- the seeds


@pytest.fixture(scope="module")
def seeds_ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    with Ledger.open(tmp_path_factory.mktemp("reuse") / "seeds.duckdb") as ledger:
        ingest(ledger, [SEEDS])
        run_dedup_and_reuse(ledger)
        yield ledger


def _by_file(ledger: Ledger) -> dict[str, list[Article]]:
    by_file: dict[str, list[Article]] = {}
    for article in ledger.iter_articles():
        by_file.setdefault(Path(article.origin.source).name, []).append(article)
    return by_file


def test_every_gold_passage_of_the_seeds_is_found(seeds_ledger: Ledger) -> None:
    gold = seeds_gold(DATA)["reuse"]
    assert gold
    matched = gold_passages_found(_by_file(seeds_ledger), read_reuse(seeds_ledger), gold)
    missing = [entry["passage"] for entry, found in matched if not found]
    assert not missing


def test_gold_matching_is_not_trivial(seeds_ledger: Ledger) -> None:
    matched = gold_passages_found(_by_file(seeds_ledger), [], seeds_gold(DATA)["reuse"])
    assert not any(found for _, found in matched)


def test_no_near_duplicates_among_the_seeds(seeds_ledger: Ledger) -> None:
    assert read_duplicates(seeds_ledger) == []


def test_stored_spans_are_offsets_into_the_article_text(seeds_ledger: Ledger) -> None:
    texts = {a.id: a.text for a in seeds_ledger.iter_articles()}
    passages = read_reuse(seeds_ledger)
    assert passages
    for p in passages:
        a, b = (
            texts[p.a_article_id][p.a_start : p.a_end],
            texts[p.b_article_id][p.b_start : p.b_end],
        )
        assert len(words(a)) >= MIN_WORDS and len(words(b)) >= MIN_WORDS
        assert p.words == min(len(words(a)), len(words(b)))
        if p.intra:
            assert p.a_end <= p.b_start  # the first occurrence, then the second
    quote = next(
        p for p in passages if "terrible conclusion" in texts[p.a_article_id][p.a_start : p.a_end]
    )
    assert quote.similarity == 1.0 and not quote.intra


def test_running_again_replaces_the_results(seeds_ledger: Ledger) -> None:
    before = (read_duplicates(seeds_ledger), read_reuse(seeds_ledger))
    run_dedup_and_reuse(seeds_ledger)
    assert (read_duplicates(seeds_ledger), read_reuse(seeds_ledger)) == before


def test_evaluation_helper_on_the_seeds() -> None:
    result = evaluate_reuse(EvalContext(DATA))
    figures = {m.key: m for m in result.metrics}
    assert figures["seeds.reuse.found"].value == 1.0 and figures["seeds.reuse.found"].met
    assert figures["seeds.dedup.false_pairs"].value == 0 and figures["seeds.dedup.false_pairs"].met


# --------------------------------------------------------------------------- small synthetic

_LEXICON = [
    "".join(
        random.Random(n).choice("bdfgklmnprstvz") + random.Random(n + 7).choice("aeiou")
        for _ in range(3)
    )
    for n in range(400)
]


def _prose(rng: random.Random, sentences: int) -> str:
    out = []
    for _ in range(sentences):
        said = " ".join(rng.choice(_LEXICON) for _ in range(rng.randint(8, 16)))
        out.append(said.capitalize() + ".")
    return " ".join(out)


def _article(article_id: str, title: str, paragraphs: list[str]) -> Article:
    text = title + "\n\n" + "\n\n".join(paragraphs)
    return Article(
        article_id, text, Origin("test", article_id), title=title, body_start=len(title) + 2
    )


@pytest.fixture(scope="module")
def planted() -> dict[str, object]:
    rng = random.Random(7)
    base = [_prose(rng, 5) for _ in range(4)]
    original = _article("orig", "An original report", base)
    copy = _article("copy", "An original report", base)
    edited = [p.split(" ") for p in base]
    for paragraph, position in ((0, 3), (1, 10), (3, 5)):
        edited[paragraph][position] = "changed"
    footer = "Subscribe to our newsletter and share this page with your friends and family."
    near = _article("near", "A rewritten headline", [" ".join(p) for p in edited] + [footer])
    pasted = base[2]
    host_paragraphs = [_prose(rng, 4), pasted, _prose(rng, 4)]
    host = _article("host", "Another story", host_paragraphs)
    quote = "“" + _prose(rng, 2) + "”"
    repeat = _article(
        "repeat", "A quoted story", [_prose(rng, 4) + " " + quote, _prose(rng, 4), quote]
    )
    others = [
        _article(f"other{i}", f"Story {i}", [_prose(rng, 5) for _ in range(3)]) for i in range(20)
    ]
    articles = [original, *others[:10], copy, near, host, *others[10:], repeat]
    texts = {a.id: a.text for a in articles}
    result = dedup_and_reuse(articles, lambda ids: ((i, texts[i]) for i in ids))
    return {"result": result, "texts": texts, "pasted": pasted, "quote": quote}


def test_exact_and_near_copies_are_one_group(planted: dict[str, object]) -> None:
    result = planted["result"]
    (group,) = result.groups  # type: ignore[attr-defined]
    assert group.representative_id == "orig"
    assert set(group.article_ids) == {"orig", "copy", "near"}
    similarity = {m.article_id: m for m in group.members}
    assert (
        similarity["copy"].body_similarity == 1.0 and similarity["copy"].headline_similarity == 1.0
    )
    assert 0.5 <= similarity["near"].body_similarity < 1.0
    assert similarity["near"].headline_similarity < 0.5  # reported, never decisive


def test_pasted_paragraph_found_with_both_spans(planted: dict[str, object]) -> None:
    texts, pasted = planted["texts"], planted["pasted"]
    passages = planted["result"].passages  # type: ignore[attr-defined]
    (found,) = [p for p in passages if (p.a_article_id, p.b_article_id) == ("orig", "host")]
    start_a, start_b = texts["orig"].index(pasted), texts["host"].index(pasted)  # type: ignore[index]
    end = len(pasted) - 1  # the final full stop is not a word
    assert (found.a_start, found.a_end) == (start_a, start_a + end)
    assert (found.b_start, found.b_end) == (start_b, start_b + end)
    assert found.similarity == 1.0 and found.words == len(words(pasted))


def test_near_duplicate_pairs_do_not_report_reuse(planted: dict[str, object]) -> None:
    passages = planted["result"].passages  # type: ignore[attr-defined]
    family = {"orig", "copy", "near"}
    assert not [p for p in passages if {p.a_article_id, p.b_article_id} <= family]
    # The pasted paragraph is in every member of the family, so the host shares it with each.
    assert {p.a_article_id for p in passages if p.b_article_id == "host"} == family


def test_repeated_quotation_inside_one_article(planted: dict[str, object]) -> None:
    texts, quote = planted["texts"], planted["quote"]
    passages = planted["result"].passages  # type: ignore[attr-defined]
    (found,) = [p for p in passages if p.a_article_id == p.b_article_id == "repeat"]
    text = texts["repeat"]  # type: ignore[index]
    first, second = text.index(quote), text.rindex(quote)
    assert (found.a_start, found.a_end) == (first + 1, first + len(quote) - 2)  # “…”
    assert (found.b_start, found.b_end) == (second + 1, second + len(quote) - 2)


def test_a_changed_word_does_not_split_a_passage() -> None:
    rng = random.Random(3)
    left, right = _prose(rng, 1), _prose(rng, 1)
    a = f"{_prose(rng, 3)} {left} an IS advance on a hill {right} {_prose(rng, 3)}"
    b = f"{_prose(rng, 3)} {left} an [ISIS] advance on the hill {right} {_prose(rng, 3)}"
    (found,) = align(a, b)
    assert a[found[0] : found[1]].startswith(left.split()[0])
    assert b[found[2] : found[3]].endswith(right.rstrip(".").split()[-1])
    assert found[5] < 1.0


def test_generated_corpus_truth_is_found() -> None:
    corpus = generate_corpus(3000, seed=5)
    assert corpus.families and corpus.passages
    texts = corpus.texts()
    result = dedup_and_reuse(corpus.articles, lambda ids: ((i, texts[i]) for i in ids))
    assert {pair for g in result.groups for pair in g.pairs()} == corpus.duplicate_pairs()
    score = score_textreuse(corpus, result)
    assert score.dedup_precision == score.dedup_recall == 1.0
    assert score.passages_found == score.passages_planted
    assert score.passages_unplanted <= len(corpus) // 100  # chance repeats of stock phrasing


def test_generator_is_deterministic_and_knows_its_spans() -> None:
    one, two = generate_corpus(500, seed=3), generate_corpus(500, seed=3)
    assert [a.text for a in one] == [a.text for a in two]
    assert [a.text for a in generate_corpus(500, seed=4)] != [a.text for a in one]
    texts = one.texts()
    for p in one.passages:
        assert (
            texts[p.source_id][p.source_start : p.source_end]
            == texts[p.target_id][p.target_start : p.target_end]
        )


# --------------------------------------------------------------------------- the sketches


def test_minhash_is_datasketch_and_bands_are_minhashlsh() -> None:
    from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

    corpus = generate_corpus(600, seed=11)
    index = NearDuplicateIndex()
    for order, a in enumerate(corpus.articles):
        index.add(DedupItem(a.id, order, a.text[a.body_start :], a.title or ""))
    index.flush()
    signatures = np.concatenate(index._signatures)
    # The signature of a body is datasketch's affine32 MinHash of its 32-bit shingle hashes.
    reference = MinHash(num_perm=signatures.shape[1], seed=1, scheme="affine32", hashfunc=int)
    reference.update_batch(index._bodies[0].tolist())
    assert (reference.hashvalues == signatures[0]).all()
    # The banded candidates are MinHashLSH's, with the same (bands, rows).
    bands, rows = lsh_params()
    lsh = MinHashLSH(num_perm=signatures.shape[1], params=(bands, rows))
    expected = set()
    for i, signature in enumerate(signatures):
        sketch = index._perms.lean(signature)
        expected |= {(min(i, j), max(i, j)) for j in lsh.query(sketch)}
        lsh.insert(i, sketch)
    assert {tuple(p) for p in band_candidates(signatures, bands, rows).tolist()} == expected
    assert expected  # the corpus has copies


def test_word_spans_match_the_word_hashes() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts.append("Full-width ＡＢＣ, a ﬁne ligature, “quotes”, x², İstanbul and under_score")
    for text, batched in zip(texts, batch_word_hashes(texts), strict=True):
        hashes, spans = word_spans(text)
        assert (hashes == word_hashes(text)).all() and (batched == hashes).all()
        assert len(hashes) == len(words(text))
        assert all(text[s:e].strip() and text[s:e].isalnum() for s, e in spans.tolist()[:200])
    assert (word_hashes("[ISIS] U.S.") == word_hashes("isis u s")).all()


# --------------------------------------------------------------------------- hostile inputs


def test_hostile_inputs_do_not_crash_or_explode() -> None:
    huge = "word " * 200_000
    articles = [
        _article("empty", "", [""]),
        _article("short", "Short", ["Too short to be grouped."]),
        _article("short2", "Short", ["Too short to be grouped."]),
        _article("huge", "Huge", [huge]),
        _article("huge2", "Huge again", [huge + "end"]),
        _article("punct", "", ["… — !!! ??? ..." * 1000]),
        _article("alternating", "", ["a b " * 50_000]),
    ]
    texts = {a.id: a.text for a in articles}
    start = time.perf_counter()
    result = dedup_and_reuse(articles, lambda ids: ((i, texts[i]) for i in ids))
    assert time.perf_counter() - start < 30
    grouped = {m.article_id for g in result.groups for m in g.members}
    assert not grouped & {"empty", "short", "short2", "punct"}  # too short to compare
    # A word repeated 200,000 times is one shingle over and over: no passage pairs every
    # occurrence with every other.
    assert len(result.passages) <= 4


def test_tiny_and_empty_corpora() -> None:
    assert find_near_duplicates([]) == []
    assert find_reuse([], lambda ids: []) == []
    one = [("a", "A single article with a handful of words in it, repeated? No.")]
    assert find_reuse(one, lambda ids: one) == []
    assert align("", "") == [] and align("") == []
