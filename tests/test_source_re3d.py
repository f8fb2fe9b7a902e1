"""re3d reader: label mapping, exclusions, offsets, licence switch, determinism, validity.

The fixture under tests/fixtures/raw/re3d/ is invented text in re3d's mongoexport format.
"""

from collections import Counter
from pathlib import Path

import pytest

from newsevents.schema import dumps
from newsevents.data.sources import load_source_config
from newsevents.data.sources.re3d import read
from newsevents.schema import check_record

ROOT = Path(__file__).parents[1]
FIXTURE = ROOT / "tests/fixtures/raw"
from conftest import SHARED_RAW as REAL  # ../shared/data/raw beside the checkout


@pytest.fixture
def cfg():
    cfg = load_source_config("re3d", ROOT / "configs/data")
    return dict(cfg, files=["re3d/US State Department", "re3d/BBC Online"])  # the folders the fixture has


def surfaces(record):
    return [record.text[s.start : s.end] for s in record.spans]


def test_ids_meta_and_order(cfg):
    records = list(read(FIXTURE, cfg))
    assert [r.id for r in records] == ["re3d/0F1E2D3C4B5A69788796A5B4C3D2E1F0", "re3d/A1B2C3D4E5F60718293A4B5C6D7E8F90"]
    meta = records[1].meta
    assert meta["source"] == "re3d" and meta["labeled"] == ["ACTOR"]
    assert meta["folder"] == "US State Department" and meta["licence"].startswith("public-domain")
    assert meta["title"] == "Attack in Baghdad" and meta["url"] == "https://example.org/state/attack"


def test_mapping_and_exclusions(cfg):
    by_id = {r.id: r for r in read(FIXTURE, cfg)}
    attack = by_id["re3d/A1B2C3D4E5F60718293A4B5C6D7E8F90"]
    assert surfaces(attack) == [
        "United States",  # determiner trimmed; the nested zero-confidence Location is ignored
        "Daesh",
        "Foreign Minister Al-Rami",
        "Defense Secretary",
        "Jane Holt",  # comma apposition to a titled Person
        "partners",
        "Navy Capt. Tom Reed",  # the cut-off rank mention is pulled into the name
        "ISIL fighters",  # the nested "ISIL" is subsumed
        "Government of Kolia",  # capitalised name kept whole
    ]
    # O: "mourners" (not an actor), "U.S." before "airstrikes" and "ISIL" before "targets" (modifiers),
    # "The International Community" (vague group)
    assert all(s.label == "ACTOR" for s in attack.spans)
    talks = by_id["re3d/0F1E2D3C4B5A69788796A5B4C3D2E1F0"]
    # "We" is a pronoun, "Coalition efforts" a modifier, "Mr Reed" has no title in this document;
    # "the regime of Assad" -> "regime" | "Assad"; "its allies and partners" is split
    assert surfaces(talks) == ["Syrian Democratic Forces", "SDF", "regime", "Assad", "allies", "partners"]


def test_text_cleaning_keeps_offsets(cfg):
    talks = next(r for r in read(FIXTURE, cfg) if r.id.endswith("F0"))
    assert "\r" not in talks.text and "\xa0" not in talks.text
    assert talks.text.startswith("We thank the Syrian Democratic Forces (SDF)")
    start = talks.text.index("Syrian Democratic Forces")
    assert (talks.spans[0].start, talks.spans[0].end) == (start, start + len("Syrian Democratic Forces"))


def test_noncommercial_folder_is_off_by_default(cfg):
    assert not any(r.meta["folder"] == "BBC Online" for r in read(FIXTURE, cfg))
    cfg = dict(cfg, include_noncommercial=True)
    bbc = [r for r in read(FIXTURE, cfg) if r.meta["folder"] == "BBC Online"]
    assert len(bbc) == 1 and bbc[0].meta["licence"] == "CC-BY-NC-3.0"
    assert surfaces(bbc[0]) == ["Rebels"]  # "civilians" is O


def test_deterministic_and_valid(cfg):
    first = [dumps(r) for r in read(FIXTURE, dict(cfg, include_noncommercial=True))]
    second = [dumps(r) for r in read(FIXTURE, dict(cfg, include_noncommercial=True))]
    assert first == second
    for r in read(FIXTURE, dict(cfg, include_noncommercial=True)):
        assert check_record(r.to_dict()) == []


def test_entity_off_the_text_is_logged(cfg, tmp_path, caplog):
    folder = tmp_path / "re3d" / "US State Department"
    folder.mkdir(parents=True)
    src = FIXTURE / "re3d" / "US State Department"
    (folder / "documents.json").write_text((src / "documents.json").read_text(encoding="utf-8"), encoding="utf-8")
    bad = '{ "_id" : "x", "begin" : 5, "end" : 9999, "type" : "Organisation", "value" : "?", ' \
          '"documentId" : "A1B2C3D4E5F60718293A4B5C6D7E8F90", "confidence" : 1 }\n'
    (folder / "entities.json").write_text(bad, encoding="utf-8")
    cfg = dict(cfg, files=["re3d/US State Department"])
    records = list(read(tmp_path, cfg))
    assert len(records) == 2 and all(not r.spans for r in records)
    assert "entity off the text" in caplog.text


def test_real_corpus():
    if not (REAL / "re3d").is_dir():
        pytest.skip(f"real re3d corpus not found at {REAL / 're3d'}")
    cfg = load_source_config("re3d", ROOT / "configs/data")
    records = list(read(REAL, cfg))
    folders = Counter(r.meta["folder"] for r in records)
    assert folders == {"UK Government": 26, "CENTCOM": 23, "US State Department": 22, "Wikipedia": 13,
                       "Australian Department of Foreign Affairs": 4,
                       "Delegation of the European Union to Syria": 2}
    assert len({r.id for r in records}) == len(records) == 90
    assert 900 <= sum(len(r.spans) for r in records) <= 1100
    assert all(check_record(r.to_dict()) == [] for r in records)
