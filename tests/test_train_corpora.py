"""The training-corpus readers on the real corpora in ../shared/data/train: counts the
corpus README states, spans that read back the annotated words, label and role maps that
cover every raw label, and errors on missing or malformed files."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sitrep.errors import DataError
from sitrep.train.corpora import (
    LABELS,
    PLOVER_TYPES,
    ROLES,
    CorpusInfo,
    PredicateExample,
    RoleExample,
    TypedText,
    catalogue,
    corpus_info,
    file_digest,
    read_codebook,
    read_ecbplus,
    read_headlines,
    read_muc4,
    read_ngec,
    read_rams,
    read_uds,
    read_wikievents,
)
from sitrep.train.corpora._common import role_is_listed, type_is_listed
from sitrep.train.corpora.ecbplus import ecbplus_label, is_action_tag
from sitrep.train.corpora.muc4 import incident_plover_type, locate
from sitrep.train.corpora.rams import role_word
from sitrep.train.corpora.uds import uds_label
from sitrep.train.corpora.wikievents import place_groups, relocate, token_index

from .conftest import DATA

TRAIN = DATA / "train"


def _lines(relative: str) -> Iterator[Any]:
    with (TRAIN / relative).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _squeeze(text: str) -> str:
    """Text without white space: token-joined text and the original spelling meet."""
    return re.sub(r"\s+", "", text)


def _assert_spans_inside(records: Iterable[RoleExample]) -> None:
    for record in records:
        assert record.text.strip(), record.doc_id
        if record.trigger_start is not None:
            assert record.trigger_end is not None
            assert 0 <= record.trigger_start < record.trigger_end <= len(record.text)
        for argument in record.arguments:
            assert 0 <= argument.start < argument.end <= len(record.text), record.doc_id
            assert argument.role in ROLES
        if record.plover_type is not None:
            assert record.plover_type in PLOVER_TYPES


# ------------------------------------------------------------------------ the catalogue


def test_catalogue_names_every_corpus_with_its_licence() -> None:
    entries = catalogue()
    assert [e.name for e in entries] == ["ngec", "uds_ih2", "ecbplus", "wikievents", "rams", "muc4"]
    for entry in entries:
        assert (TRAIN / entry.path).exists(), entry.path
        assert entry.licence and entry.provenance and entry.note
    assert [e.name for e in entries if not e.shippable] == ["rams"]
    assert corpus_info("uds_ih2").licence.startswith("CC BY-SA 4.0")
    assert corpus_info("ecbplus").licence.startswith("CC BY 3.0")
    assert corpus_info("muc4").licence.startswith("MIT")
    with pytest.raises(DataError):
        corpus_info("ace2005")


def test_file_digest_is_stable_and_sees_every_change(tmp_path: Path) -> None:
    muc = corpus_info("muc4")
    digest = file_digest(TRAIN, muc)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert file_digest(TRAIN, muc) == digest
    assert file_digest(DATA, muc) == digest  # the data root is accepted too
    assert len({file_digest(TRAIN, info) for info in catalogue()}) == len(catalogue())

    folder = tmp_path / "toy"
    folder.mkdir()
    (folder / "a.txt").write_text("one")
    (folder / "b.txt").write_text("two")
    toy = CorpusInfo("toy", "toy", "MIT", True, "made up", "")
    first = file_digest(tmp_path, toy)
    (folder / "b.txt").write_text("two!")
    edited = file_digest(tmp_path, toy)
    (folder / "b.txt").rename(folder / "c.txt")
    renamed = file_digest(tmp_path, toy)
    assert len({first, edited, renamed}) == 3
    with pytest.raises(DataError):
        file_digest(tmp_path, CorpusInfo("gone", "gone", "MIT", True, "", ""))


# ------------------------------------------------------------------------------- UDS


@pytest.fixture(scope="module")
def uds() -> list[PredicateExample]:
    return list(read_uds(TRAIN))


def test_uds_counts_match_the_readme(uds: list[PredicateExample]) -> None:
    assert len(uds) == 27_289
    assert len({r.sentence_id for r in uds}) == 11_563
    assert sum(r.particular is not None for r in uds) == 25_419
    assert {r.split for r in uds} == {"train", "dev", "test"}
    assert all(r.corpus == "uds_ih2" and r.factuality is not None for r in uds)


def test_uds_spans_read_back_the_predicate(uds: list[PredicateExample]) -> None:
    raw = list(_lines("factuality/uds_ih2_factuality_genericity.jsonl"))
    assert len(raw) == len(uds)
    for record, line in zip(uds, raw, strict=True):
        assert record.text.strip()
        assert record.text[record.start : record.end] == line["trigger"]
        assert record.factuality == line["factuality"]


def test_uds_labels_follow_the_stated_rule(uds: list[PredicateExample]) -> None:
    counts = Counter(r.label for r in uds)
    assert set(counts) == {"happened", "negated", "generic", "hypothetical", "other"}
    for r in uds:
        assert r.factuality is not None
        if r.label == "happened":
            assert r.factuality >= 1 and (r.particular is None or r.particular >= 0.5)
        elif r.label == "negated":
            assert r.factuality <= -1
            assert r.hypothetical is None or r.hypothetical < 0.5
        elif r.label == "hypothetical":
            assert r.hypothetical is not None and r.hypothetical >= 0.5 and r.factuality < 1
        elif r.label == "generic":
            assert r.particular is not None and r.particular < 0.5
        else:
            assert -1 < r.factuality < 1


def test_uds_label_rule_at_its_edges() -> None:
    assert uds_label(1.0, 1.0, 0.0) == "happened"
    assert uds_label(0.99, 1.0, 0.0) == "other"
    assert uds_label(-1.0, None, None) == "negated"
    assert uds_label(-2.0, 1.0, 0.5) == "hypothetical"  # "will strike": not a denial
    assert uds_label(3.0, 1.0, 1.0) == "happened"  # confident factuality wins
    assert uds_label(3.0, 0.2, 0.0) == "generic"
    assert uds_label(-3.0, 0.0, 0.0) == "generic"
    assert uds_label(2.0, None, None) == "happened"  # no genericity annotation


# ------------------------------------------------------------------------------ ECB+


@pytest.fixture(scope="module")
def ecbplus() -> list[PredicateExample]:
    return list(read_ecbplus(TRAIN))


def test_ecbplus_reads_the_action_mentions_of_annotated_sentences(
    ecbplus: list[PredicateExample],
) -> None:
    raw = [
        line
        for line in _lines("ecbplus/ecbplus_mentions.jsonl")
        if line["annotated_sentence"] and is_action_tag(line["tag"])
    ]
    assert len(ecbplus) == len(raw) > 6_000
    all_docs = {line["doc"] for line in _lines("ecbplus/ecbplus_mentions.jsonl")}
    assert len(all_docs) == 982  # the README's count, before keeping annotated sentences
    gapped = 0
    for record, line in zip(ecbplus, raw, strict=True):
        assert record.text.strip() and record.doc_id == line["doc"]
        words = record.text[record.start : record.end].split(" ")
        tokens = [line["tokens"][i] for i in line["span"]]
        assert words[0] == tokens[0] and words[-1] == tokens[-1]
        if len(words) == len(tokens):
            assert words == tokens
        else:
            gapped += 1  # a mention that skips a word covers the gap
        assert record.label == ecbplus_label(line["tag"])
        assert record.chain == line["chain"]
    assert 0 < gapped < 100


def test_ecbplus_labels_cover_every_action_tag(ecbplus: list[PredicateExample]) -> None:
    tags = {line["tag"] for line in _lines("ecbplus/ecbplus_mentions.jsonl")}
    actions = {tag for tag in tags if is_action_tag(tag)}
    assert {"ACTION_OCCURRENCE", "NEG_ACTION_OCCURRENCE", "ACTION_REPORTING"} <= actions
    for tag in actions:
        label = ecbplus_label(tag)  # raises for a tag without a mapping
        assert label in LABELS
        assert (label == "negated") == tag.startswith("NEG_")
    assert ecbplus_label("ACTION_GENERIC") == "generic"
    assert ecbplus_label("ACTION_STATE") == "other"
    with pytest.raises(DataError):
        ecbplus_label("ACTION_UNHEARD_OF")
    assert set(Counter(r.label for r in ecbplus)) == {
        "happened",
        "negated",
        "generic",
        "reporting",
        "other",
    }


def test_ecbplus_keeps_within_document_chains(ecbplus: list[PredicateExample]) -> None:
    pairs = Counter((r.doc_id, r.chain) for r in ecbplus if r.chain is not None)
    assert sum(1 for n in pairs.values() if n > 1) > 500
    assert all(r.split is None and r.factuality is None for r in ecbplus)


# ------------------------------------------------------------------------------ NGEC


@pytest.fixture(scope="module")
def ngec() -> list[TypedText]:
    return list(read_ngec(TRAIN))


def _known_modes() -> dict[str, set[str]]:
    codebook = read_codebook(TRAIN)
    known = {name: {mode.name for mode in entry.modes} for name, entry in codebook.items()}
    known["COERCE"].add("martial-law")  # a PLOVER mode the copy's codebook lacks (see report)
    return known


def test_ngec_counts_types_and_modes(ngec: list[TypedText]) -> None:
    assert len(ngec) == 4_500
    assert sum(r.mode is not None for r in ngec) == 2_556
    assert {r.plover_type for r in ngec} == set(PLOVER_TYPES)
    assert all(r.synthetic and r.text.strip() and r.corpus == "ngec" for r in ngec)
    assert len({r.doc_id for r in ngec}) == 4_500
    known = _known_modes()
    for record in ngec:
        if record.mode is not None:
            assert re.fullmatch(r"[a-z]+(-[a-z]+)*", record.mode)
            assert record.mode in known[record.plover_type], (record.plover_type, record.mode)
    modes = {r.mode for r in ngec}
    assert {"heavy-weapons", "suicide-attack", "crowd-control", "primitive", "seize"} <= modes


def test_ngec_headlines_are_labelled_templates() -> None:
    headlines = list(read_headlines(TRAIN))
    assert len(headlines) == 375
    assert {r.plover_type for r in headlines} == set(PLOVER_TYPES)
    known = _known_modes()
    for record in headlines:
        assert record.text.strip() and record.synthetic
        assert record.mode is None or record.mode in known[record.plover_type]


def test_codebook_gives_every_type_its_definition_and_modes() -> None:
    codebook = read_codebook(TRAIN)
    assert list(codebook) == list(PLOVER_TYPES)
    for entry in codebook.values():
        assert entry.definition
        assert entry.modes or entry.examples
        for mode in entry.modes:
            assert mode.definitions and re.fullmatch(r"[a-z]+(-[a-z]+)*", mode.name)
    assert len(codebook["ASSAULT"].modes) == 18
    assert "arrest" in {m.name for m in codebook["COERCE"].modes}


# ------------------------------------------------------------------------ WikiEvents


@pytest.mark.parametrize(("split", "documents", "events"), [("dev", 20, 345), ("test", 20, 364)])
def test_wikievents_official_splits_read_back_their_spans(
    split: str, documents: int, events: int
) -> None:
    tally: Counter[str] = Counter()
    records = list(read_wikievents(TRAIN, split, tally))  # type: ignore[arg-type]
    raw = list(_lines(f"roles/wikievents/{split}.jsonl"))
    assert len(raw) == documents and len(records) == events == tally["events_kept"]
    _assert_spans_inside(records)
    expected = [(doc, event) for doc in raw for event in doc["event_mentions"]]
    for record, (doc, event) in zip(records, expected, strict=True):
        assert record.source_type == event["event_type"]
        assert record.trigger_start is not None and record.trigger_end is not None
        trigger = record.text[record.trigger_start : record.trigger_end]
        assert _squeeze(trigger) == _squeeze(event["trigger"]["text"])
        mentions = {m["id"]: m for m in doc["entity_mentions"]}
        assert len(record.arguments) == len(event["arguments"])
        for argument, source in zip(record.arguments, event["arguments"], strict=True):
            said = record.text[argument.start : argument.end]
            assert _squeeze(said) == _squeeze(mentions[source["entity_id"]]["text"])
            assert argument.source_role == source["role"]
    assert sum(r.plover_type == "ASSAULT" for r in records) > events // 5


@pytest.fixture(scope="module")
def wikievents_train() -> tuple[list[RoleExample], Counter[str]]:
    tally: Counter[str] = Counter()
    return list(read_wikievents(TRAIN, "train", tally)), tally


def _train_rows() -> Iterator[dict[str, Any]]:
    for line in _lines("roles/wikievents/train.jsonl"):
        assert isinstance(line, str)  # each line is a JSON string holding the record
        yield json.loads(line)


def test_wikievents_train_keeps_only_settled_events(
    wikievents_train: tuple[list[RoleExample], Counter[str]],
) -> None:
    records, tally = wikievents_train
    assert tally["events"] == 2_950  # the README's count
    dropped = ("events_ambiguous", "events_unplaceable", "events_unsure", "events_duplicate")
    assert tally["events_kept"] + sum(tally[k] for k in dropped) == tally["events"]
    assert len(records) == tally["events_kept"] > 1_500
    assert len({r.doc_id for r in records}) > 150
    _assert_spans_inside(records)
    assert sum(bool(r.arguments) for r in records) > 0.9 * len(records)


def test_wikievents_train_spans_read_back_the_annotated_words(
    wikievents_train: tuple[list[RoleExample], Counter[str]],
) -> None:
    records, _ = wikievents_train
    triggers: dict[str, set[tuple[str, str]]] = {}
    arguments: dict[str, set[tuple[str, str]]] = {}
    for row in _train_rows():
        tokens = [token for sentence in row["sentences"] for token in sentence]
        triggers[row["doc_key"]] = {
            (" ".join(tokens[t[0] : t[1] + 1]), t[2][0][0]) for t in row["evt_triggers"]
        }
        arguments[row["doc_key"]] = {
            (" ".join(tokens[a[0] : a[1] + 1]), a[2][0]) for g in row["ent_spans"] for a in g
        }
    for record in records:
        assert record.trigger_start is not None and record.trigger_end is not None
        said = record.text[record.trigger_start : record.trigger_end]
        assert (said, record.source_type) in triggers[record.doc_id]
        for argument in record.arguments:
            said = record.text[argument.start : argument.end]
            assert (said, argument.source_role) in arguments[record.doc_id]
    per_trigger = Counter((r.doc_id, r.trigger_start, r.source_type) for r in records)
    assert max(per_trigger.values()) == 1


def test_relocation_recovers_the_official_positions() -> None:
    # Simulate the train file's flaw on the official splits (every span moved to the first
    # occurrence of its words) and check the repair puts them back where the annotation was.
    counts: Counter[str] = Counter()
    for split in ("dev", "test"):
        for doc in _lines(f"roles/wikievents/{split}.jsonl"):
            tokens = doc["tokens"]
            index = token_index(tokens)
            mentions = {m["id"]: m for m in doc["entity_mentions"]}

            def first_at(start: int, end: int, tokens: list[str] = tokens) -> tuple[int, int]:
                size = end - start
                for i in range(len(tokens) - size + 1):
                    if tokens[i : i + size] == tokens[start:end]:
                        return i, i + size - 1
                raise AssertionError("a span that does not occur")

            for event in doc["event_mentions"]:
                if not event["arguments"]:
                    continue
                counts["events"] += 1
                trigger = event["trigger"]
                spans = [mentions[a["entity_id"]] for a in event["arguments"]]
                moved = relocate(
                    tokens,
                    first_at(trigger["start"], trigger["end"]),
                    [first_at(m["start"], m["end"]) for m in spans],
                    index,
                )
                if moved is None:
                    continue
                counts["kept"] += 1
                counts["trigger_right"] += moved[0] == trigger["start"]
                counts["arguments"] += len(spans)
                counts["arguments_right"] += sum(
                    at == m["start"] for at, m in zip(moved[1], spans, strict=True)
                )
    assert counts["kept"] >= 0.8 * counts["events"]
    assert counts["trigger_right"] >= 0.97 * counts["kept"]
    assert counts["arguments_right"] >= 0.96 * counts["arguments"]


def test_place_groups_settles_only_what_every_placement_agrees_on() -> None:
    attack, die = frozenset({"Attacker", "Target"}), frozenset({"Victim", "Killer"})
    # Counts match: each group on its trigger.
    assert place_groups([attack, die], [frozenset({"Target"}), frozenset({"Victim"})]) == {
        0: 0,
        1: 1,
    }
    # The Victim group can only go on the second trigger; the first has no arguments.
    assert place_groups([attack, die], [frozenset({"Victim"})]) == {0: None, 1: 0}
    # Two attacks, one group: either could own it, so neither is settled.
    assert place_groups([attack, attack], [frozenset({"Attacker"})]) == {}
    # Groups keep their order: a Victim group before an Attacker group cannot fit.
    assert place_groups([attack, die], [frozenset({"Victim"}), frozenset({"Target"})]) is None
    assert place_groups([attack], [frozenset({"Target"}), frozenset({"Target"})]) is None


def test_relocate_moves_to_the_nearest_occurrence_or_refuses_to_guess() -> None:
    tokens = ["a", "strike", "hit", "x", ".", "later", "a", "strike", "hit", "y", "."]
    index = token_index(tokens)
    # "y" occurs once, beside the second "strike": the trigger moves there.
    assert relocate(tokens, (1, 1), [(9, 9)], index) == (7, [9])
    # "a" occurs twice: each argument goes to its occurrence nearest the trigger.
    assert relocate(tokens, (1, 1), [(9, 9), (0, 0)], index) == (7, [9, 6])
    # No arguments and a trigger word that occurs twice: unsure.
    assert relocate(tokens, (1, 1), [], index) is None
    # "later" occurs once: sure without arguments.
    assert relocate(tokens, (5, 5), [], index) == (5, [])
    # Both strikes lie as near their arguments: unsure.
    tied = [*tokens, "strike"]
    assert relocate(tied, (1, 1), [(9, 9)], token_index(tied)) is None
    # An argument too far from every trigger occurrence: unsure.
    far = ["strike", *["."] * 40, "z"]
    assert relocate(far, (0, 0), [(41, 41)], token_index(far)) is None


# ------------------------------------------------------------------------------ RAMS


@pytest.mark.parametrize(("split", "documents"), [("dev", 924), ("test", 871)])
def test_rams_spans_read_back_the_argument_words(split: str, documents: int) -> None:
    tally: Counter[str] = Counter()
    records = list(read_rams(TRAIN, split, tally))  # type: ignore[arg-type]
    raw = list(_lines(f"roles/rams/{split}.jsonlines"))
    assert len(records) == len(raw) == documents == tally["events"]
    _assert_spans_inside(records)
    for record, row in zip(records, raw, strict=True):
        tokens = [token for sentence in row["sentences"] for token in sentence]
        first, last, types = row["evt_triggers"][0]
        assert record.source_type == types[0][0]
        assert record.trigger_start is not None and record.trigger_end is not None
        said = record.text[record.trigger_start : record.trigger_end]
        assert said == " ".join(tokens[first : last + 1])
        assert len(record.arguments) == len(row["gold_evt_links"])
        for argument, (_, (a, b), role) in zip(
            record.arguments, row["gold_evt_links"], strict=True
        ):
            assert record.text[argument.start : argument.end] == " ".join(tokens[a : b + 1])
            assert argument.source_role == role_word(role)
    assert tally["arguments"] == sum(len(r.arguments) for r in records)


def test_rams_role_names_lose_their_numbering() -> None:
    assert role_word("evt089arg01victim") == "victim"
    assert role_word("victim") == "victim"


# ----------------------------------------------------------------------------- MUC-4


@pytest.mark.parametrize(
    ("split", "documents", "templates"),
    [("train", 1_300, 1_114), ("dev", 200, 191), ("test", 200, 209)],
)
def test_muc4_locates_every_filler(split: str, documents: int, templates: int) -> None:
    tally: Counter[str] = Counter()
    records = list(read_muc4(TRAIN, split, tally))  # type: ignore[arg-type]
    assert tally["documents"] == documents and len(records) == tally["templates"] == templates
    _assert_spans_inside(records)
    raw = [(d, t) for d in _lines(f"roles/muc4/{split}.json") for t in d["templates"]]
    mentions = 0
    for record, (_, template) in zip(records, raw, strict=True):
        assert record.trigger_start is None and record.source_type == template["incident_type"]
        fillers = {
            (field, string.lower())
            for field in ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
            for entity in template[field]
            for string, _ in entity
        }
        mentions += sum(
            len(e)
            for f in ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
            for e in template[f]
        )
        for argument in record.arguments:
            said = record.text[argument.start : argument.end].lower()
            assert (argument.source_role, said) in fillers
    assert tally["located"] + tally["located_by_search"] == mentions
    assert tally["unlocated"] == 0
    with_empty = list(read_muc4(TRAIN, split, include_empty=True))  # type: ignore[arg-type]
    assert len(with_empty) == templates + tally["documents_without_template"]


def test_muc4_roles_and_incident_types() -> None:
    records = list(read_muc4(TRAIN, "dev"))
    roles = Counter((a.source_role, a.role) for r in records for a in r.arguments)
    assert {role for (_, role) in roles} == {"actor", "recipient", "instrument"}
    assert ("Victim", "recipient") in roles and ("PerpOrg", "actor") in roles
    assert incident_plover_type("attack / bombing") == "ASSAULT"
    assert incident_plover_type("bombing / robbery") is None
    assert incident_plover_type("kidnapping") == "ASSAULT"


def test_muc4_locate_falls_back_to_a_tolerant_search(tmp_path: Path) -> None:
    text = "Troops  entered the TOWN at dawn; the town\nhall burned."
    assert locate(text, "town", 20) == (20, 24)
    hall = text.index("town\nhall")
    assert locate(text, "town hall", 3) == (hall, hall + 9)  # wrong offset: found by search
    assert locate(text, "troops entered", None) == (0, 15)
    assert locate(text, "river", 0) is None
    # A made-up report: one filler at its offset, one with a stale offset, one absent.
    folder = tmp_path / "roles" / "muc4"
    folder.mkdir(parents=True)
    report = {
        "docid": "TOY-1",
        "doctext": text,
        "templates": [
            {
                "incident_type": "attack",
                "PerpInd": [[["troops", 0]]],
                "PerpOrg": [],
                "Target": [[["town hall", 3]], [["river", 0]]],
                "Victim": [],
                "Weapon": [],
            }
        ],
    }
    (folder / "dev.json").write_text(json.dumps(report) + "\n", encoding="utf-8")
    tally: Counter[str] = Counter()
    (record,) = read_muc4(tmp_path, "dev", tally)
    assert tally == Counter(documents=1, templates=1, located=1, located_by_search=1, unlocated=1)
    assert [(a.role, text[a.start : a.end]) for a in record.arguments] == [
        ("actor", "Troops"),
        ("recipient", "town\nhall"),
    ]


# --------------------------------------------- the maps cover every label the data uses


def test_every_role_the_corpora_use_is_mapped_explicitly() -> None:
    records = [
        *read_wikievents(TRAIN, "dev"),
        *read_wikievents(TRAIN, "test"),
        *read_rams(TRAIN, "dev"),
        *read_rams(TRAIN, "test"),
        *read_muc4(TRAIN, "train"),
    ]
    used = {a.source_role for r in records for a in r.arguments}
    used |= {a[2][0] for row in _train_rows() for g in row["ent_spans"] for a in g}
    ontology = json.loads((TRAIN / "roles/wikievents/event_role_KAIROS.json").read_text())
    used |= {role for entry in ontology.values() for role in entry["roles"]}
    meta = json.loads((TRAIN / "roles/rams/meta.json").read_text())
    used |= {role_word(role) for _, roles in meta for role in roles}
    assert len(used) > 80
    assert sorted(r for r in used if not role_is_listed(r)) == []
    roles = Counter(a.role for r in records for a in r.arguments)
    assert set(roles) == set(ROLES)


def test_every_event_type_the_corpora_use_has_a_plover_decision() -> None:
    kairos = {t[2][0][0] for row in _train_rows() for t in row["evt_triggers"]}
    for split in ("dev", "test"):
        kairos |= {
            e["event_type"]
            for d in _lines(f"roles/wikievents/{split}.jsonl")
            for e in d["event_mentions"]
        }
    kairos |= set(json.loads((TRAIN / "roles/wikievents/event_role_KAIROS.json").read_text()))
    assert sorted(t for t in kairos if not type_is_listed(t, "kairos_types")) == []
    rams = {t for t, _ in json.loads((TRAIN / "roles/rams/meta.json").read_text())}
    assert sorted(t for t in rams if not type_is_listed(t, "rams_types")) == []
    incidents = {
        part.strip()
        for split in ("train", "dev", "test")
        for d in _lines(f"roles/muc4/{split}.json")
        for t in d["templates"]
        for part in t["incident_type"].split("/")
    }
    assert sorted(t for t in incidents if not type_is_listed(t, "muc4_incidents")) == []


# ------------------------------------------------------------------ errors and order


def test_missing_and_malformed_files_raise_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        next(read_uds(tmp_path))
    bad = tmp_path / "factuality"
    bad.mkdir()
    (bad / "uds_ih2_factuality_genericity.jsonl").write_text('{"split": "train"\n')
    with pytest.raises(DataError, match="Line 1"):
        next(read_uds(tmp_path))
    (bad / "uds_ih2_factuality_genericity.jsonl").write_text(
        json.dumps({"sent_id": "s1", "text": "a b", "span": [1, 3], "factuality": 1.0}) + "\n"
    )
    with pytest.raises(DataError, match="outside"):
        next(read_uds(tmp_path))
    with pytest.raises(DataError, match="no split"):
        next(read_rams(TRAIN, "train"))  # type: ignore[arg-type]
    with pytest.raises(DataError, match="no split"):
        next(read_wikievents(TRAIN, "validation"))  # type: ignore[arg-type]


def test_readers_stream_the_same_records_every_run() -> None:
    assert list(read_rams(TRAIN, "dev")) == list(read_rams(TRAIN, "dev"))
    first = read_ngec(TRAIN)
    assert next(first) == next(read_ngec(TRAIN))
