"""The training corpora: where each lies, its licence as the copy states it, and whether a
model trained on it may ship; and the digest of a corpus's files for a model card."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sitrep.errors import DataError

from ._common import corpus_path
from .records import CorpusInfo

_CATALOGUE: tuple[CorpusInfo, ...] = (
    CorpusInfo(
        name="ngec",
        path="plover_types",
        licence="MIT (the NGEC-2025 package metadata)",
        shippable=True,
        provenance="ahalterman/NGEC-2025, setup/train_classifiers/",
        note="Synthetic (machine-written) stories and headline templates labelled with PLOVER "
        "types and modes, and the PLOVER codebook.",
    ),
    CorpusInfo(
        name="uds_ih2",
        path="factuality",
        licence="CC BY-SA 4.0 (LICENSE)",
        shippable=True,
        provenance="UDS-IH2 (njjiang/factuality_bert) joined with UDS 2.0 genericity "
        "(decompositional-semantics-initiative/decomp)",
        note="Factuality and genericity scores of predicates in English web sentences; "
        "ShareAlike: name it and its licence in the model card.",
    ),
    CorpusInfo(
        name="ecbplus",
        path="ecbplus",
        licence="CC BY 3.0 (LICENSE.md)",
        shippable=True,
        provenance="tommasoc80/EventStoryLine, ECB+_LREC2014",
        note="Action mentions of news documents with their class (occurrence, negated, "
        "generic, reporting, ...) and coreference chains.",
    ),
    CorpusInfo(
        name="wikievents",
        path="roles/wikievents",
        licence="MIT (the gen-arg repository, LICENSE)",
        shippable=True,
        provenance="raspberryice/gen-arg via LWL-cpu/SCPRG-master and mc2259/gen-arg",
        note="KAIROS events with triggers and arguments; the train split is a third-party "
        "re-encoding from which only events with settled arguments are read.",
    ),
    CorpusInfo(
        name="rams",
        path="roles/rams",
        licence="none in the copy",
        shippable=False,
        provenance="LWL-cpu/SCPRG-master, data/rams/",
        note="No licence came with the copy: use it for training experiments and evaluation; "
        "do not ship a model trained on it unless its licence is confirmed.",
    ),
    CorpusInfo(
        name="muc4",
        path="roles/muc4",
        licence="MIT (the GTT repository, LICENSE); texts are the 1992 public MUC release",
        shippable=True,
        provenance="xinyadu/gtt, data/muc/processed/",
        note="Latin-American political-violence reports with incident templates "
        "(perpetrators, targets, victims, weapons).",
    ),
)


def catalogue() -> list[CorpusInfo]:
    """Every training corpus, in a fixed order."""
    return list(_CATALOGUE)


def corpus_info(name: str) -> CorpusInfo:
    """The catalogue entry named ``name``."""
    for info in _CATALOGUE:
        if info.name == name:
            return info
    raise DataError(f"There is no training corpus named {name!r}.")


def file_digest(data_dir: Path | str, info: CorpusInfo) -> str:
    """The SHA-256 (hex) of the corpus's files: each file's path relative to the corpus and
    its bytes, in path order, so that renaming, editing, adding or removing a file changes
    it."""
    root = corpus_path(data_dir, info.path)
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    if not files:
        raise DataError(f"The training corpus folder {root} holds no files.")
    digest = hashlib.sha256()
    for path in files:
        name = path.name if path == root else path.relative_to(root).as_posix()
        digest.update(name.encode("utf-8") + b"\0")
        try:
            with path.open("rb") as handle:
                size = 0
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
                    size += len(chunk)
        except OSError as exc:
            raise DataError(f"The training corpus file {path} cannot be read: {exc}.") from exc
        digest.update(b"\0" + str(size).encode("ascii") + b"\0")
    return digest.hexdigest()
