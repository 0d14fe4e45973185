"""Claim clustering across outlets: MiniLM embeddings loaded offline, blocking, linkage."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from sitrep.consolidate import claim_clusters
from sitrep.consolidate.claim_clusters import (
    EMBEDDING_DIM,
    ClaimText,
    cluster_claims,
    embed,
)
from sitrep.errors import DataError


def claim(
    article: str, text: str, speaker: str | None = "RUS", stance: str | None = None
) -> ClaimText:
    return ClaimText(
        key=f"{article}:{text[:24]}",
        article_id=article,
        speaker_code=speaker,
        text=text,
        stance=stance,
    )


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The model package cannot be imported (as when it is not installed)."""
    monkeypatch.setitem(sys.modules, claim_clusters.MODEL_PACKAGE, None)
    claim_clusters._model.cache_clear()
    yield
    claim_clusters._model.cache_clear()


def test_two_wordings_of_one_statement_by_two_outlets_cluster() -> None:
    claims = [
        claim("outlet-a", "air defences destroyed eleven drones over the capital overnight", "UKR"),
        claim("outlet-b", "the power grid of the capital will be repaired within a week", "UKR"),
        claim("outlet-b", "eleven drones were shot down above the capital during the night", "UKR"),
    ]
    assert cluster_claims(claims) == [[0, 2]]


def test_a_reworded_accusation_clusters_with_its_original() -> None:
    claims = [
        claim("a", "the neighbouring country is secretly supplying weapons to the militias"),
        claim("b", "the militias are being armed in secret by the neighbouring state"),
    ]
    assert cluster_claims(claims) == [[0, 1]]


def test_two_different_statements_by_one_speaker_do_not_cluster() -> None:
    claims = [
        claim("a", "the army will withdraw its troops from the city by Friday", "SYR"),
        claim("b", "the army lost three tanks in the fighting near the city", "SYR"),
        claim("c", "the army has never used chemical weapons in the city", "SYR"),
    ]
    assert cluster_claims(claims) == []


def test_similarity_separates_paraphrase_from_other_statement() -> None:
    original, paraphrase, other = embed(
        [
            "the convoy was carrying nothing but food and medicine",
            "only food and medical supplies were on board the convoy",
            "the convoy was attacked by gunmen on the coast road",
        ]
    )
    assert float(original @ paraphrase) >= claim_clusters.EMBEDDING_THRESHOLD
    assert float(original @ other) < claim_clusters.EMBEDDING_THRESHOLD


def test_embeddings_are_unit_rows_of_the_model_dimension() -> None:
    vectors = embed(["a first sentence", "a second, rather different sentence"])
    assert vectors.shape == (2, EMBEDDING_DIM)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_empty_input_gives_nothing() -> None:
    assert cluster_claims([]) == []
    assert cluster_claims([claim("a", "a lone claim")]) == []
    assert embed([]).shape == (0, EMBEDDING_DIM)


def test_the_model_loads_offline_by_path(tmp_path: Path) -> None:
    """A fresh process with the hub offline, an empty hub cache and no reachable proxy."""
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "HF_HOME": str(tmp_path / "hf-home"),
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
    }
    code = (
        "import os\n"
        "from sitrep.consolidate.claim_clusters import embed\n"
        "v = embed(['the ministry denied the report'])\n"
        "print(v.shape, round(float((v * v).sum()), 3), os.environ['TRANSFORMERS_OFFLINE'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "(1, 384) 1.0 1"
    assert not (tmp_path / "hf-home" / "hub").exists()  # nothing was fetched into a cache


def test_a_missing_model_is_a_data_error_not_a_silent_fallback(no_model: None) -> None:
    claims = [claim("a", "the strike was a mistake"), claim("b", "the strike was a mistake")]
    with pytest.raises(DataError, match=r"make install`\.$") as raised:
        cluster_claims(claims)
    assert str(raised.value).count(". ") == 0  # one sentence


def test_lexical_similarity_on_request_needs_no_model(no_model: None) -> None:
    claims = [
        claim("a", "the White House is defending the Islamic State, the ministry said"),
        claim("b", "the White House is defending the Islamic State"),
        claim("c", "Washington protects the jihadists"),  # a paraphrase: out of reach
    ]
    assert cluster_claims(claims, method="lexical") == [[0, 1]]


def test_speakers_must_be_compatible() -> None:
    text = "the strike was carried out in coordination with the other side"
    assert cluster_claims([claim("a", text, "USA"), claim("b", text, "RUS")]) == []
    assert cluster_claims([claim("a", text, "USA"), claim("b", text, None)]) == [[0, 1]]


def test_a_denial_and_an_assertion_are_different_statements() -> None:
    denied = claim("a", "the jets bombed the hospital", stance="deny")
    asserted = claim("b", "the jets bombed the hospital", stance="assert")
    unknown = claim("c", "the jets bombed the hospital")
    assert cluster_claims([denied, asserted]) == []
    assert cluster_claims([denied, unknown]) == [[0, 1]]


def test_claims_of_one_article_alone_are_no_cluster() -> None:
    text = "the ceasefire has been broken dozens of times"
    assert cluster_claims([claim("a", text), claim("a", text)]) == []


def test_complete_linkage_does_not_chain() -> None:
    # Token-set cosines: first~middle 0.71, middle~last 0.71, first~last 0.
    claims = [
        claim("a", "alpha bravo charlie delta"),
        claim("b", "alpha bravo charlie delta echo foxtrot golf hotel"),
        claim("c", "echo foxtrot golf hotel"),
    ]
    assert cluster_claims(claims, method="lexical") == [[0, 1]]


def test_blocks_of_rows_give_the_same_clusters(monkeypatch: pytest.MonkeyPatch) -> None:
    claims = [
        claim("a", "air defences destroyed eleven drones over the capital overnight", "UKR"),
        claim("b", "the army will withdraw its troops from the city by Friday", "SYR"),
        claim("c", "eleven drones were shot down above the capital during the night", "UKR"),
        claim("d", "the troops of the army are to leave the city by Friday", "SYR"),
        claim("e", "talks will resume in Geneva next month", None),
    ]
    whole = cluster_claims(claims)
    monkeypatch.setattr(claim_clusters, "_MAX_CELLS", 1)  # one row at a time
    assert cluster_claims(claims) == whole
    assert whole == [[0, 2], [1, 3]]


def test_an_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown similarity method"):
        cluster_claims([claim("a", "x"), claim("b", "x")], method="fuzzy")  # type: ignore[arg-type]
