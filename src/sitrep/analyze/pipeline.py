"""Running the registered stages over articles."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from sitrep.analyze import stages as _builtin  # noqa: F401  (registers the built-in stages)
from sitrep.analyze.document import Document
from sitrep.analyze.registry import Stage, plan
from sitrep.analyze.resources import Resources
from sitrep.analyze.stages import DEFAULT_STAGES
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


def pipeline_id(stages: Sequence[str]) -> str:
    """Identifies what produced an analysis: sitrep's version, the stages, every data file."""
    import hashlib

    from sitrep.analyze.nlp import MODEL_VERSION
    from sitrep.resources import resource_path
    from sitrep.version import __version__

    digest = hashlib.sha256(f"{__version__}|{MODEL_VERSION}|{','.join(stages)}".encode())
    root = resource_path("")
    for path in sorted(str(p) for p in _walk(root)):
        digest.update(path.encode())
        digest.update(resource_path(path).read_bytes())
    return digest.hexdigest()[:16]


def _walk(folder, prefix: str = "") -> Iterator[str]:  # type: ignore[no-untyped-def]
    for child in folder.iterdir():
        name = f"{prefix}{child.name}"
        if child.is_dir():
            if child.name != "demo" and not child.name.startswith("__"):
                yield from _walk(child, name + "/")
        elif child.name.endswith(".yaml"):
            yield name
