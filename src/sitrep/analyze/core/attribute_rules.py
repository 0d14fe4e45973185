"""The model's attribute rules (coarse part of speech, morphology, lemma exceptions), applied
token by token from lookup tables instead of through spaCy's ``Matcher``.

The English model's ``attribute_ruler`` holds about 180 token patterns, nearly all of one
token keyed on its fine tag or its lowercase form ("TAG = VBZ and LOWER = is -> AUX").
spaCy runs them through the general ``Matcher``, which tries every pattern at every token:
8.3 ms of an article's analysis (about 130 ms on one core), against 2.5 ms here (the 398
FA-KES dev articles, 2026-12-05). ``FastAttributeRules`` takes the same patterns
from the loaded model (nothing is copied here), indexes them by the tag or form their first
token requires, and applies them with the ruler's own precedence: every match is found on
the tokens as the parser left them, then matches are applied in pattern order, so a later
pattern overrides an earlier one (``AttributeRuler.match`` sorts by pattern id).
The test ``test_attribute_rules`` checks that both give identical tokens on real articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs

# The attributes a pattern may test, read once per token into a tuple in this order, which
# is also the order in which a rule is indexed: by its first token's form when the pattern
# names one (the most selective), else by its tag, its dependency, its being a space.
_ATTRIBUTES = ("LOWER", "TAG", "DEP", "IS_SPACE")
Values = tuple[str, str, str, bool]  # in the order of _ATTRIBUTES
Test = Callable[[Values], bool]


def _values(token: Token) -> Values:
    return (token.lower_, token.tag_, token.dep_, token.is_space)


def _test(attribute: str, wanted: Any) -> Test:
    at = _ATTRIBUTES.index(attribute)
    if not isinstance(wanted, dict):
        return lambda v: bool(v[at] == wanted)
    ((operator, argument),) = wanted.items()
    if operator == "IN":
        allowed = frozenset(argument)
        return lambda v: v[at] in allowed
    if operator == "NOT_IN":
        barred = frozenset(argument)
        return lambda v: v[at] not in barred
    if operator == "REGEX":
        pattern = re.compile(argument)
        return lambda v: bool(pattern.search(str(v[at])))
    raise ValueError(f"attribute rule operator {operator!r} is not supported")


@dataclass(frozen=True)
class _Rule:
    order: int  # the pattern's id in the ruler: later ids take precedence
    tokens: tuple[tuple[Test, ...], ...]  # the tests of each token of the pattern
    target: int  # which matched token takes the attributes
    attrs: Any

    def matches_at(self, values: Sequence[Values], start: int) -> bool:
        if len(self.tokens) == 1:  # nearly every rule: no loop over the pattern's tokens
            token = values[start]
            return all(test(token) for test in self.tokens[0])
        if start + len(self.tokens) > len(values):
            return False
        return all(
            all(test(values[start + k]) for test in tests) for k, tests in enumerate(self.tokens)
        )


class FastAttributeRules:
    """A drop-in for the model's ``attribute_ruler`` with identical output."""

    def __init__(self, ruler: AttributeRuler) -> None:
        # Rules by the value their first token must have, for each attribute in turn.
        self.tables: tuple[dict[Any, list[_Rule]], ...] = tuple({} for _ in _ATTRIBUTES)
        self.anywhere: list[_Rule] = []
        for order, (attrs, index) in enumerate(zip(ruler.attrs, ruler.indices, strict=True)):
            _, patterns = ruler.matcher.get(str(order))
            for pattern in patterns:
                self._index(_Rule(order, _compile(pattern), index % len(pattern), attrs), pattern)

    def _index(self, rule: _Rule, pattern: Sequence[dict[str, Any]]) -> None:
        first = pattern[0]
        for key, table in zip(_ATTRIBUTES, self.tables, strict=True):
            wanted = first.get(key)
            if wanted is not None and not isinstance(wanted, dict):
                table.setdefault(wanted, []).append(rule)
                return
            if isinstance(wanted, dict) and set(wanted) == {"IN"}:
                for value in wanted["IN"]:
                    table.setdefault(value, []).append(rule)
                return
        self.anywhere.append(rule)

    def __call__(self, doc: Doc) -> Doc:
        found: list[tuple[int, int, _Rule]] = []
        values = [_values(token) for token in doc]
        tables = self.tables
        for start, token in enumerate(values):
            for rules in (
                *(t.get(v, ()) for t, v in zip(tables, token, strict=True)),
                self.anywhere,
            ):
                for rule in rules:
                    if rule.matches_at(values, start):
                        found.append((rule.order, start, rule))
        found.sort(key=lambda match: (match[0], match[1]))
        for _, start, rule in found:
            set_token_attrs(doc[start + rule.target], rule.attrs)
        return doc


def _compile(pattern: Sequence[dict[str, Any]]) -> tuple[tuple[Test, ...], ...]:
    return tuple(tuple(_test(key, wanted) for key, wanted in token.items()) for token in pattern)


@Language.factory("fast_attribute_rules")
def _make(nlp: Language, name: str) -> FastAttributeRules:
    ruler = nlp.get_pipe("attribute_ruler")
    if not isinstance(ruler, AttributeRuler):
        raise TypeError("the model's attribute_ruler is not spaCy's AttributeRuler")
    return FastAttributeRules(ruler)


def use_fast_attribute_rules(nlp: Language) -> None:
    """Put ``FastAttributeRules``, built from the model's ``attribute_ruler``, in its place."""
    if "attribute_ruler" in nlp.pipe_names:
        nlp.add_pipe("fast_attribute_rules", before="attribute_ruler")
        nlp.remove_pipe("attribute_ruler")
