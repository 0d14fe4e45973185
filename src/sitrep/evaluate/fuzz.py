"""Fuzzing the readers and parsers: nothing an input holds may make them raise.

Targets (each takes bytes and checks its own invariants, raising only on a defect):

- ``page``: the raw page reader (header, byline, dateline, footer cues, page splitting):
  every part's text is non-empty, its ``body_start`` inside it;
- ``decode``: bytes -> text (byte order marks, UTF-16/32 patterns, NULs, binary checks);
- ``jsonl``, ``csv``, ``json``, ``warc``: the record readers, through their streams: every
  outcome is an Article or a Skip with a message, stored strings hold no NUL or surrogate;
- ``numbers``: the number grammar (spans inside the text, low <= high, none negative);
- ``dates``: calendar dates, publication dates of records, and temporal expressions
  resolved against a document date (spans inside the text).

Two engines run them: Hypothesis (property-based, always installed; the test suite runs
a short pass) and atheris (coverage-guided libFuzzer, where it installs: Linux, CPython
3.11 wheels). ``python -m sitrep.evaluate.fuzz --runs 1000000`` runs atheris (or
Hypothesis when atheris is missing) and records the figure in docs/performance.md; it is
the command behind ``make fuzz``, outside ``make test``.
"""

from __future__ import annotations

import argparse
import inspect
import io
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sitrep.model import Article, IngestOutcome, Skip

Target = Callable[[bytes], None]
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _check_outcomes(outcomes: Sequence[IngestOutcome]) -> None:
    for outcome in outcomes:
        if isinstance(outcome, Skip):
            assert outcome.message.strip(), "a skip without a reason"
            continue
        assert isinstance(outcome, Article), f"not an outcome: {outcome!r}"
        assert outcome.text.strip(), "an article without text"
        assert 0 <= outcome.body_start <= len(outcome.text)
        for value in (outcome.text, outcome.title or "", outcome.outlet or "", *outcome.authors):
            assert not _UNSTORABLE.search(value), "a NUL or surrogate would be stored"


def _text(data: bytes) -> str:
    """Any string, surrogates included, from the fuzzer's bytes."""
    return data.decode("utf-8", errors="surrogateescape")


def fuzz_page(data: bytes) -> None:
    from sitrep.ingest.page import read_page
    from sitrep.ingest.textfile import articles_from_page
    from sitrep.model import Origin

    text = _text(data)
    for part in read_page(text):
        assert part.text.strip() and 0 <= part.body_start <= len(part.text)
    _check_outcomes(articles_from_page(text, Origin("fuzz")))


def fuzz_decode(data: bytes) -> None:
    from sitrep.ingest.decode import DecodeError, decode_text

    try:
        text, encoding = decode_text(data)
    except DecodeError as exc:
        assert str(exc).endswith(".")
        return
    assert "\x00" not in text and encoding


def fuzz_jsonl(data: bytes) -> None:
    from sitrep.ingest.records import read_jsonl

    _check_outcomes(list(read_jsonl(io.BufferedReader(io.BytesIO(data)), "f", {}, 4096)))


def fuzz_csv(data: bytes) -> None:
    from sitrep.ingest.records import read_csv

    stream = io.BufferedReader(io.BytesIO(b"text,title,published\n" + data))
    _check_outcomes(list(read_csv(stream, "f", {}, 4096)))


def fuzz_json(data: bytes) -> None:
    from sitrep.ingest.records import read_json_array

    _check_outcomes(list(read_json_array(data, "f", {}, 4096)))


def fuzz_warc(data: bytes) -> None:
    from sitrep.ingest.files import read_page_text
    from sitrep.ingest.warc import read_warc

    stream = io.BufferedReader(io.BytesIO(b"WARC/1.0\r\n" + data))
    _check_outcomes(list(read_warc(stream, Path("fuzz.warc"), "f", 4096, read_page_text)))


@cache
def _grammar():  # type: ignore[no-untyped-def]
    from sitrep.analyze.mentions.numbers import NumberGrammar
    from sitrep.resources import load_lexicon

    return NumberGrammar.build(load_lexicon("mentions", "numbers.yaml"))


def fuzz_numbers(data: bytes) -> None:
    from sitrep.analyze.mentions.numbers import find_numbers

    text = _text(data)
    for quantity in find_numbers(text, _grammar()):
        assert 0 <= quantity.start < quantity.end <= len(text)
        assert quantity.low is None or quantity.low >= 0
        assert quantity.high is None or quantity.low is None or quantity.low <= quantity.high


def fuzz_dates(data: bytes) -> None:
    from sitrep.analyze.mentions.dates import find_times
    from sitrep.datelines import latest_date_in_text, parse_date
    from sitrep.ingest.build import parse_published
    from sitrep.model import DocumentDate, Granularity

    text = _text(data)
    parse_date(text)
    latest_date_in_text(text)
    parse_published(text)
    anchor = DocumentDate(date(2017, 9, 26), Granularity.DAY, "publication")
    for found in (*find_times(text, anchor), *find_times(text, DocumentDate(None, None, "x"))):
        assert 0 <= found.start < found.end <= len(text)


TARGETS: dict[str, Target] = {
    "page": fuzz_page,
    "decode": fuzz_decode,
    "jsonl": fuzz_jsonl,
    "csv": fuzz_csv,
    "json": fuzz_json,
    "warc": fuzz_warc,
    "numbers": fuzz_numbers,
    "dates": fuzz_dates,
}
_NAMES = sorted(TARGETS)


def one_input(data: bytes) -> None:
    """The fuzzers' entry point: the first byte picks the target, the rest is its input."""
    if data:
        TARGETS[_NAMES[data[0] % len(_NAMES)]](data[1:])


def seeds(folder: Path) -> None:
    """A small seed corpus for the coverage-guided run: one real input per target."""
    page = (
        "Strike hits market\n\nBy Jane Roe\n\nGlobal Research, September 26, 2017\n\n"
        "At least 62 and perhaps as many as 100 people were killed on Saturday.\n\n"
        "***\n\nSecond story\n\nTwo Colonels died yesterday, the ministry said.\n"
    )
    samples = {
        "page": page.encode(),
        "decode": b"\xff\xfe" + page.encode("utf-16-le"),
        "jsonl": b'{"text": "Scores were killed.", "published": "2017-09", "authors": ["A"]}\n',
        "csv": b'"Dozens died on Monday.",Title,"September 26, 2017"\n',
        "json": b'[{"text": "Three wounded.", "title": "t"}, 3]',
        "warc": b"WARC-Type: response\r\nContent-Length: 10\r\n\r\nHTTP/1.1 2",
        "numbers": b"at least 62 and perhaps as many as 100, scores of, 1,200 to 1,500",
        "dates": b"last Saturday, September 8-12, 2016, three days ago, in March",
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, sample in samples.items():
        (folder / name).write_bytes(bytes([_NAMES.index(name)]) + sample)


# ------------------------------------------------------------------------ engines


def atheris_available() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


# The modules whose code the coverage-guided fuzzer measures (the package's __init__ has
# imported them before the fuzzer starts, so they are instrumented in place).
_INSTRUMENTED = (
    "sitrep.analyze.mentions.dates",
    "sitrep.analyze.mentions.numbers",
    "sitrep.datelines",
    "sitrep.ingest.",
    "sitrep.model",
)


def _instrument(atheris: Any) -> int:
    """Instrument every function and method of the measured modules; how many."""
    count = 0
    for name, module in list(sys.modules.items()):
        if not name.startswith(_INSTRUMENTED):
            continue
        for value in list(vars(module).values()):
            members = vars(value).values() if inspect.isclass(value) else (value,)
            for member in members:
                function = getattr(member, "__func__", member)
                if inspect.isfunction(function) and function.__module__ == name:
                    atheris.instrument_func(function)
                    count += 1
    return count


def _atheris_main(argv: list[str]) -> None:  # runs in its own process: libFuzzer exits it
    import atheris

    for target in TARGETS.values():  # import what the targets use, then instrument it
        target(b"")
    _instrument(atheris)
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


def run_atheris(runs: int, seed: int = 14, max_len: int = 4096) -> tuple[int, float, str]:
    """(inputs run, seconds, libFuzzer's last lines) of a coverage-guided run; a crash
    leaves its input in a ``crash-*`` file in the current folder."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        seeds(corpus)
        argv = [
            sys.executable,
            "-m",
            "sitrep.evaluate.fuzz",
            "--atheris-worker",
            f"-runs={runs}",
            f"-seed={seed}",
            f"-max_len={max_len}",
            "-rss_limit_mb=4096",
            "-timeout=60",
            "-print_final_stats=1",
            str(corpus),
        ]
        start = time.monotonic()
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        seconds = time.monotonic() - start
    tail = "\n".join(done.stderr.splitlines()[-25:])
    match = re.search(r"Done (\d+) runs", done.stderr)
    if done.returncode != 0 or not match:
        raise AssertionError(f"the fuzzer stopped on a failure:\n{tail}")
    return int(match.group(1)), seconds, tail


def run_hypothesis(examples: int, seed: int = 14) -> tuple[int, float]:
    """(inputs run, seconds) of a property-based run over every target."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis import strategies as st

    count = [0]

    @hypothesis_seed(seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.sampled_from(_NAMES), st.binary(max_size=2048) | st.text(max_size=512).map(_utf8))
    def check(name: str, data: bytes) -> None:
        count[0] += 1
        TARGETS[name](data)

    start = time.monotonic()
    check()
    return count[0], time.monotonic() - start


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogatepass")


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["--atheris-worker"]:
        _atheris_main([sys.argv[0], *args_list[1:]])
        return 0
    parser = argparse.ArgumentParser(description="Fuzz sitrep's readers and parsers.")
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--engine", choices=("atheris", "hypothesis"), default=None)
    parser.add_argument("--doc", type=Path, default=None, help="record the figure in this file")
    args = parser.parse_args(args_list)
    engine = args.engine or ("atheris" if atheris_available() else "hypothesis")
    if engine == "atheris":
        runs, seconds, tail = run_atheris(args.runs)
        print(tail)
    else:
        runs, seconds = run_hypothesis(args.runs)
    print(f"{engine}: {runs:,} inputs in {seconds:,.0f} s, no crash")
    if args.doc is not None:
        from sitrep.evaluate.metrics import Metric, StageResult
        from sitrep.evaluate.runner import write_quality_doc

        result = StageResult("robustness.fuzz", f"{engine}, {len(TARGETS)} targets")
        result.metrics += [
            Metric("robustness.fuzz.inputs", "inputs run", runs, 1_000_000, runs),
            Metric("robustness.fuzz.crashes", "crashes", 0, 0, runs, lower_is_better=True),
            Metric("robustness.fuzz.seconds", "seconds", seconds, None, runs),
        ]
        write_quality_doc([result], args.doc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
