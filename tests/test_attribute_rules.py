"""The fast attribute rules give every token exactly what spaCy's AttributeRuler gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from sitrep.analyze.core.attribute_rules import FastAttributeRules
from sitrep.analyze.core.nlp import load_model
from sitrep.evaluate.stored import fakes_dev_rows


@pytest.fixture(scope="module")
def model() -> Language:
    return load_model()  # the model as its package ships it, with spaCy's ruler


def _before_the_ruler(nlp: Language, texts: list[str]) -> list[Doc]:
    later = nlp.pipe_names[nlp.pipe_names.index("attribute_ruler") :]
    return list(nlp.pipe(texts, disable=later))


def _tokens(doc: Doc) -> list[tuple[str, str, str, str, str, str]]:
    return [(t.text, t.tag_, t.dep_, t.pos_, str(t.morph), t.lemma_) for t in doc]


def test_identical_on_real_articles(model: Language, data_dir: Path) -> None:
    # The seeds and 60 FA-KES articles: news prose with negations, auxiliaries, "there is",
    # contractions in quotations and run-together headlines.
    texts = [p.read_text(encoding="utf-8") for p in sorted((data_dir / "seeds").glob("*.txt"))]
    texts += [r["article_content"] for r in fakes_dev_rows(data_dir)[:60]]
    ruler = model.get_pipe("attribute_ruler")
    fast = FastAttributeRules(ruler)  # type: ignore[arg-type]
    docs = _before_the_ruler(model, texts)
    expected = [_tokens(ruler(d.copy())) for d in docs]
    assert [_tokens(fast(d.copy())) for d in docs] == expected


def test_later_rules_take_precedence(model: Language) -> None:
    # "is" is a VBZ: the tag rule makes it a VERB, the later form rule an AUX with its lemma.
    (doc,) = _before_the_ruler(model, ["The town is under siege."])
    fast = FastAttributeRules(model.get_pipe("attribute_ruler"))  # type: ignore[arg-type]
    token = fast(doc)[2]
    assert (token.pos_, token.lemma_) == ("AUX", "be")


def test_the_pipeline_uses_the_fast_rules(resources) -> None:  # type: ignore[no-untyped-def]
    names = resources.nlp.pipe_names
    assert "attribute_ruler" not in names
    assert names.index("fast_attribute_rules") == names.index("parser") + 1
