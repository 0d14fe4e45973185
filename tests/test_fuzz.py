"""A short run of the fuzzers (``python -m sitrep.evaluate.fuzz``, ``make fuzz``, runs a
million inputs outside the suite): the readers and parsers never raise, whatever the input."""

from __future__ import annotations

import pytest

from sitrep.evaluate.fuzz import TARGETS, atheris_available, one_input, run_atheris, run_hypothesis


def test_property_based_smoke_run() -> None:
    runs, _ = run_hypothesis(400)
    assert runs >= 400


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_each_target_takes_edge_inputs(name: str) -> None:
    index = sorted(TARGETS).index(name)
    for data in (b"", b"\x00", b"\xff\xfe", "\u202e\ud800".encode("utf-8", "surrogatepass")):
        one_input(bytes([index]) + data)


@pytest.mark.skipif(not atheris_available(), reason="atheris does not install here")
def test_coverage_guided_smoke_run() -> None:
    runs, _, _ = run_atheris(3000)
    assert runs == 3000
