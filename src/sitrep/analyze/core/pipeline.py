"""Running the registered stages over articles."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from sitrep.analyze.builtin import DEFAULT_STAGES
from sitrep.analyze.core.document import Document
from sitrep.analyze.core.models import ModelStore
from sitrep.analyze.core.registry import Stage, plan
from sitrep.analyze.core.resources import Resources
from sitrep.model import Article


class Analyzer:
    """A configured pipeline: which stages run, over which resources."""

    def __init__(
        self,
        resources: Resources,
        stages: Sequence[str] = DEFAULT_STAGES,
        disabled: Iterable[str] = (),
    ) -> None:
        self.resources = resources
        self.stages: list[Stage] = plan(stages, disabled)

    @property
    def stage_names(self) -> list[str]:
        return [s.name for s in self.stages]

    def analyze(self, article: Article) -> Document:
        return self.analyze_many([article])[0]

    def analyze_many(self, articles: Sequence[Article]) -> list[Document]:
        documents = [Document(article) for article in articles]
        for spec in self.stages:
            if spec.batch is not None:
                spec.batch(documents, self.resources)
            else:
                for document in documents:
                    spec.func(document, self.resources)
            for document in documents:
                document.done.append(spec.name)
        return documents

    def stream(self, articles: Iterable[Article], batch_size: int = 64) -> Iterator[Document]:
        iterator = iter(articles)
        while batch := list(islice(iterator, batch_size)):
            yield from self.analyze_many(batch)


# The files whose content decides what analysis produces: knowledge files and trained models.
DATA_SUFFIXES = (".yaml", ".npz", ".json")


def pipeline_id(stages: Sequence[str], models: ModelStore | None = None) -> str:
    """Identifies what produced an analysis: sitrep's version, the stages, every knowledge
    file and trained model of the package, and the models of a given folder (so a changed
    lexicon or model re-analyses)."""
    import hashlib
    from importlib import resources

    from sitrep.analyze.core.nlp import MODEL_VERSION
    from sitrep.resources import bundled_files
    from sitrep.version import __version__

    decided_by = models.fingerprint() if models else ""
    digest = hashlib.sha256(
        f"{__version__}|{MODEL_VERSION}|{','.join(stages)}|{decided_by}".encode()
    )
    root = resources.files("sitrep")
    for path in bundled_files(DATA_SUFFIXES):
        digest.update(path.encode())
        digest.update(root.joinpath(path).read_bytes())
    return digest.hexdigest()[:16]
