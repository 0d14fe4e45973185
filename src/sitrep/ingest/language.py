"""Language identification with py3langid's bundled model (no download)."""

from __future__ import annotations

import re
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Candidate languages: those of news about the wars in Syria and Iraq and the world's major
# news languages. Restricting the set stops short English headlines being guessed as
# Icelandic or Afrikaans (seen with the full 97-language model).
_LANGUAGES = [
    "en",
    "fr",
    "de",
    "es",
    "it",
    "pt",
    "nl",
    "ru",
    "uk",
    "ar",
    "fa",
    "tr",
    "he",
    "ku",
    "zh",
    "ja",
    "ko",
    "pl",
    "sv",
    "el",
    "hi",
    "ur",
    "id",
]
# Below this probability the guess is not trusted (a headline-length text scores 0.2-0.5).
_MIN_CONFIDENCE = 0.5
_SAMPLE_CHARS = 4000
_LATIN = re.compile(r"[A-Za-z]")


@cache
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(_LANGUAGES)
    return identifier


def detect_language(text: str) -> tuple[str, float, str]:
    """(ISO 639-1 code, probability, how it was decided) for ``text``."""
    sample = text[:_SAMPLE_CHARS]
    code, probability = _identifier().classify(sample)
    if probability >= _MIN_CONFIDENCE:
        return str(code), float(probability), "detected"
    letters = [c for c in sample if c.isalpha()]
    latin = sum(1 for c in letters if _LATIN.match(c))
    if letters and latin / len(letters) > 0.9:
        return "en", float(probability), "assumed: too short to tell, Latin script"
    return str(code), float(probability), "detected (low confidence)"
