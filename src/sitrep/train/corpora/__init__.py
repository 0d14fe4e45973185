"""Readers of the open training corpora in ``../shared/data/train``: each turns one corpus
into a few typed record kinds (``records``) for the learned decision layer's features.

- ``uds.read_uds``: ``PredicateExample`` (factuality and genericity of predicates)
- ``ecbplus.read_ecbplus``: ``PredicateExample`` (action classes, coreference chains)
- ``ngec.read_ngec``, ``ngec.read_headlines``: ``TypedText`` (PLOVER type and mode);
  ``ngec.read_codebook``: the PLOVER codebook
- ``wikievents.read_wikievents``: ``RoleExample`` (KAIROS events with arguments)
- ``rams.read_rams``: ``RoleExample`` (AIDA events with arguments; not shippable)
- ``muc4.read_muc4``: ``RoleExample`` (incident templates, no trigger)

Readers stream (generators), in file order, and raise ``DataError`` on a missing or
malformed file. ``catalogue`` lists every corpus with its licence and whether a model
trained on it may ship; ``file_digest`` hashes a corpus's files for the model card.
Role and event-type maps onto PLOVER live in ``kairos_plover.yaml``.
"""

from .catalogue import catalogue, corpus_info, file_digest
from .ecbplus import read_ecbplus
from .muc4 import read_muc4
from .ngec import read_codebook, read_headlines, read_ngec
from .rams import read_rams
from .records import (
    LABELS,
    PLOVER_TYPES,
    ROLES,
    Argument,
    CodebookMode,
    CodebookType,
    CorpusInfo,
    PredicateExample,
    RoleExample,
    TypedText,
)
from .uds import read_uds
from .wikievents import read_wikievents

__all__ = [
    "LABELS",
    "PLOVER_TYPES",
    "ROLES",
    "Argument",
    "CodebookMode",
    "CodebookType",
    "CorpusInfo",
    "PredicateExample",
    "RoleExample",
    "TypedText",
    "catalogue",
    "corpus_info",
    "file_digest",
    "read_codebook",
    "read_ecbplus",
    "read_headlines",
    "read_muc4",
    "read_ngec",
    "read_rams",
    "read_uds",
    "read_wikievents",
]
