"""The registry of evaluation stages, the docs/quality.md writer and the baseline check."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable
from pathlib import Path

from sitrep.evaluate.claims_eval import evaluate_seed_claims
from sitrep.evaluate.consolidation_eval import evaluate_consolidation
from sitrep.evaluate.context import EvalContext
from sitrep.evaluate.entities_eval import evaluate_entities
from sitrep.evaluate.events_eval import evaluate_seed_events
from sitrep.evaluate.gate import (
    check_figures,
    explained,
    figures,
    lowerings_for,
    worse,
)
from sitrep.evaluate.incident_disagreements import evaluate_incident_disagreements
from sitrep.evaluate.incidents_eval import evaluate_incidents
from sitrep.evaluate.indomain_claims import evaluate_indomain_claims
from sitrep.evaluate.indomain_events import evaluate_indomain_events
from sitrep.evaluate.ingest_eval import evaluate_ingest
from sitrep.evaluate.metrics import Metric, StageResult
from sitrep.evaluate.nlp_eval import evaluate_fakes_places, evaluate_seeds_nlp
from sitrep.evaluate.plover_eval import evaluate_plover
from sitrep.evaluate.reuse_eval import evaluate_reuse

Stage = Callable[[EvalContext], StageResult]

# Stage name -> scorer. Later capabilities register theirs here.
STAGES: dict[str, Stage] = {
    "ingest": lambda ctx: evaluate_ingest(ctx.data_dir),
    "entities": evaluate_entities,
    "nlp": evaluate_seeds_nlp,
    "fakes-places": evaluate_fakes_places,
    "events": evaluate_seed_events,
    "plover": evaluate_plover,
    "claims": evaluate_seed_claims,
    "indomain-events": evaluate_indomain_events,
    "indomain-claims": evaluate_indomain_claims,
    "consolidation": evaluate_consolidation,
    "incidents": evaluate_incidents,
    "reuse": evaluate_reuse,
    "incident-disagreements": evaluate_incident_disagreements,
}

BEGIN, END = "<!-- sitrep eval: begin (generated, do not edit) -->", "<!-- sitrep eval: end -->"


def run_stages(
    data_dir: Path,
    names: Iterable[str] | None = None,
    cache_dir: Path | None = None,
    context: EvalContext | None = None,
) -> list[StageResult]:
    """Run the scorers named (all by default) over one shared context of product runs."""
    chosen = list(names) if names else list(STAGES)
    context = context or EvalContext(data_dir, cache_dir)
    results = []
    for name in chosen:
        result = STAGES[name](context)
        result.name = name
        results.append(result)
    return results


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3f}" if value % 1 else f"{value:g}"


def _fmt(metric: Metric) -> str:
    return _number(metric.value)


def _target(metric: Metric) -> str:
    if metric.target is None:
        return "—"
    op = "≤" if metric.lower_is_better else "≥"
    return f"{op} {metric.target:g}"


def _status(metric: Metric) -> str:
    return {True: "met", False: "**missed**", None: ""}[metric.met]


def _section_key(result: StageResult) -> str:
    """The registry name it ran under, else its stage (benches are not in the registry)."""
    return result.name or result.stage


def _section_marker(name: str) -> str:
    return f"<!-- eval stage: {name} -->"


def render_section(result: StageResult) -> str:
    """One stage's tables, opened by a marker so that a later partial run can replace it."""
    lines = [_section_marker(_section_key(result)), f"### {result.stage} — {result.dataset}", ""]
    with_baseline = any(m.baseline is not None for m in result.metrics)
    if with_baseline:
        lines += [
            "| figure | value | baseline | target | status | n |",
            "|---|---|---|---|---|---|",
        ]
    else:
        lines += ["| figure | value | target | status | n |", "|---|---|---|---|---|"]
    for m in result.metrics:
        base = f" {_number(m.baseline)} |" if with_baseline else ""
        lines.append(
            f"| {m.label} (`{m.key}`) | {_fmt(m)} |{base} {_target(m)} | {_status(m)} "
            f"| {m.support} |"
        )
    lines.append("")
    if result.detail:
        header, *rows = result.detail
        lines += ["<details><summary>per item</summary>", ""]
        lines += ["| " + " | ".join(map(str, header)) + " |", "|" + "---|" * len(header)]
        for row in rows:
            cells = (str(c).replace("|", "\\|").replace("\n", " ") for c in row)
            lines.append("| " + " | ".join(cells) + " |")
        lines += ["", "</details>", ""]
    lines += [f"- {note}" for note in result.notes]
    return "\n".join(lines).rstrip() + "\n"


_SECTION = re.compile(r"^<!-- eval stage: (\S+) -->$", re.MULTILINE)


def _sections(block: str) -> dict[str, str]:
    """The sections of a generated block, by the key of their marker (see ``_section_key``)."""
    marks = list(_SECTION.finditer(block))
    return {
        mark.group(1): block[mark.start() : marks[n + 1].start() if n + 1 < len(marks) else None]
        for n, mark in enumerate(marks)
    }


def write_quality_doc(
    results: list[StageResult], path: Path, known: Collection[str] | None = None
) -> None:
    """Replace, in the generated block of ``path``, the sections of the stages just run; the
    other stages' sections stay as their last run left them (creating the file if needed),
    unless ``known`` names the stages that exist and theirs is not among them."""
    text = (
        path.read_text(encoding="utf-8")
        if path.exists()
        else "# Quality\n\n" + BEGIN + "\n" + END + "\n"
    )
    if BEGIN not in text or END not in text:
        text = text.rstrip() + "\n\n" + BEGIN + "\n" + END + "\n"
    head, rest = text.split(BEGIN, 1)
    old_block, tail = rest.split(END, 1)
    # Rerun sections keep their place; new ones follow in the order they were run.
    sections = _sections(old_block)
    if known is not None:
        sections = {key: text for key, text in sections.items() if key in known}
    sections.update({_section_key(r): render_section(r) for r in results})
    # Sections are joined by one blank line whatever whitespace they were read with, so a
    # rerun rewrites the block identically (no blank line gained per run).
    block = "\n\n".join(section.strip() for section in sections.values()) + "\n"
    path.write_text(head + BEGIN + "\n\n" + block + END + tail, encoding="utf-8")


def check_baseline(
    results: list[StageResult], baseline_path: Path, lowered_path: Path, complete: bool
) -> list[str]:
    """Regressions against the floors, one sentence each (empty when none)."""
    if not baseline_path.exists():
        return [
            f"There is no baseline file at {baseline_path}: run `sitrep eval --update-baseline`."
        ]
    floors: dict[str, float] = json.loads(baseline_path.read_text(encoding="utf-8"))
    lower_better = {m.key for r in results for m in r.metrics if m.lower_is_better}
    lowerings = lowerings_for(baseline_path, lowered_path, lower_better)
    return check_figures(results, floors, lowerings, complete)


def update_baseline(
    results: list[StageResult], baseline_path: Path, lowered_path: Path
) -> list[str]:
    """Record ``results`` as the floors. A figure below its floor lowers it only when
    ``lowered_path`` gives that value with a reason; otherwise the floor stays and a sentence
    says so (the returned list)."""
    floors: dict[str, float] = {}
    if baseline_path.exists():
        floors = json.loads(baseline_path.read_text(encoding="utf-8"))
    lower_better = {m.key for r in results for m in r.metrics if m.lower_is_better}
    lowerings = lowerings_for(baseline_path, lowered_path, lower_better)
    refused = []
    for key, value in figures(results).items():
        old = floors.get(key)
        falls = old is not None and worse(key, value, old, lower_better)
        if falls and not explained(key, value, lowerings):
            refused.append(
                f"{key} keeps its floor {old:g} (measured {value:g}): give the lowering "
                f"and its reason in {lowered_path.name} first."
            )
            continue
        floors[key] = value
    baseline_path.write_text(
        json.dumps(dict(sorted(floors.items())), indent=2) + "\n", encoding="utf-8"
    )
    return refused
