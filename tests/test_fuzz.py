"""A short run of the fuzzers (``python -m sitrep.evaluate.fuzz``, ``make fuzz``, runs a
million inputs outside the suite): the readers and parsers never raise, whatever the input."""

from __future__ import annotations

import base64

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


# Inputs on which the fuzzers found defects (each fixed): a range given high to low, a NUL
# before the body of a page (its offset moved when the NUL was removed), a CSV in UTF-16
# cut in the middle of a character, a page of several articles holding undecodable bytes
# (its page id could not be hashed), "6666666666666666666 days ago" (before the calendar).
FOUND = [
    "BWF0IGxlYXN0IDYyIGFuZCBwZXJoYXBzIGFzIHN0IDYyIGFuZCBwZXJoYXBzIGFzIG1hbnkgYXMgMTAwLCBzY29yZXMg"
    "b2YsIDEsMjAwIHRvIDEsNTBtYW55IGFzIDEwMCwgc2NvcmVzIG9mLCAxLDIwMCB0byAxLDUwMA==",
    "LgAiUm96dXBwZXJlbnMgZGllZCBvbiBNb25kYX0uLCJpVHRsZdYiLCAyMDE3Igo=",
    "AGwAZQBkACAAbwBuACAAUwBhAHQAdQByAGQAYQB5AC4AdyAyMDE3Igo=",
    (
        "JmJFeAoqKir/KioqKioqKioKAAFUIgpUCgoBKioqKioqKioqKioqKgoAAf////8qKioqKioqKgoAAVQiCrAKCgAKAA"
        "FUIgr//xwqKioqKioqKt3V1dUqKgAKAAFUIgpUCgoBKioqKioKAAFUIgpUCgpUCgoBKioqKioqKioqKioqKioqKioK"
        "AAFUIgpUCgoBKioqKioqKioqKgoAAVQiClQIZSBoaXRzIG1hcmtldAIKQnkgSmFuZSBSCkJ5IEphbmUgUm8KR2xvYm"
        "FsIFJlc2VhdHMgbWFya2V0AgpCeSBKYW5lIFIKQnkgSmFuZSBSbwpHbHJjR2xvYmFsIFJlc2VhcmNoLCBTZXB0ZW1i"
        "ZXIgIgpEb3plbnMgQXSgbGVhZWn///8qKioqKioqKyoqCgABVCIKVAoKAWL///////8cKioqKioqKioqKioqKioKAA"
        "FUIgqwCgoACgABVCIK//8cKioqKioqKird1dXVKioACgABVCIKVAoKASoqKioqCgABVCIKVAoKVAoKASoqKioqKioq"
        "KioqKioqKioqCgABVCIKVAoKASoqKioqKioqKioKAAFUIgpUCGUgaGl0cyBtYXJrZXQCCkJ5IEphbmUgUgpCeSBKYW"
        "5lIFJvCkdsb2JhbCBSZXNlYXRzIG1hcmtldAIKQnkgSmFuZSBSCkJ5IEphbmUgUm8KR2xyY0dsb2JhbCBSZXNlYXJj"
        "aCwgU2VwdGVtYmVyICIKRG96ZW5zIEF0oGxlYWVp////KioqKioqKisqKgoAAVQiClQKCgFi////////KioqKioKAA"
        "FUIgoqCgABVCIKVAoKAWJFeAoqKioqKioqKioqKioqKioqCgABVCIKsAoKAAoAAVQiClIKAAAAAAAAAXoKAUVieAoq"
        "KioqKioqKioqKioqKioqCgABVCIKsAoKAA=="
    ),
    (
        "AWxhc3QgU2F0ZHlTICB0aHJlZSBkNjY2NjY2NjY2NjY2NjY2NjY2NnMgYWdvLG8gIGRheXMgYWdvAgAAAAA2NjY2Nj"
        "Y2NjY2IGRheXMgYWdvLG8gIGRheXMgYWdvAgAAAAAAAAFheSwgaW4gTZhyIGluIE1hcmNo"
    ),
]


@pytest.mark.parametrize("found", FOUND)
def test_inputs_the_fuzzers_found_no_longer_fail(found: str) -> None:
    one_input(base64.b64decode(found))


@pytest.mark.parametrize("target", ["numbers", "dates"])
def test_numbers_too_long_for_int_are_no_counts_and_no_dates(target: str) -> None:
    text = "9" * 5000 + " days ago, " + "9" * 400 + ".5 people killed"
    TARGETS[target](text.encode())


@pytest.mark.skipif(not atheris_available(), reason="atheris does not install here")
def test_coverage_guided_smoke_run() -> None:
    runs, _, _ = run_atheris(3000)
    assert runs == 3000
