"""The FrameNet reader on hand-written fixtures (tests/fixtures/raw/framenet) and, when present, the real tarballs.

Fixture (invented text, FrameNet 1.5 XML; the test tars it like the release):
- fulltext/KBEval__Test: a court "accused" -> O (judicial); the ministry sentence -> CONDEMNATION.
- fulltext/NTI__Testland: the ministry sentence again (dropped: KBEval__Test holds it; both docs
  share a group); officials' "talks" -> MEETING; army "deployed" troops -> DEPLOYMENT; tourists
  "visited" a castle -> O; "praised" -> O; an unannotated "summit" leaves its sentence out.
- lu_selected: "denounced" by Parliament -> CONDEMNATION; by "She" -> undecided; an AUTO_APP set is
  ignored; sentence 103 sits in both LU files (denounced + meeting); sentence 104 repeats full text.
"""

from __future__ import annotations

import logging
import tarfile
from pathlib import Path

import pytest

from newsevents.schema import dumps
from newsevents.data.sources import load_source_config
from newsevents.data.sources.fn_common import detokenize
from newsevents.data.sources.framenet import read
from newsevents.schema import check_record

REPO = Path(__file__).parents[1]
FIXTURE = REPO / "tests/fixtures/raw/framenet"
from conftest import SHARED_RAW as REAL_RAW  # ../shared/data/raw beside the checkout


@pytest.fixture
def cfg() -> dict:
    return load_source_config("framenet", REPO / "configs/data")


def make_raw(tmp_path: Path) -> Path:
    """Tar the hand-written XML the way the release ships it: raw_dir/framenet15/*.tar.gz."""
    (tmp_path / "framenet15").mkdir(parents=True, exist_ok=True)
    for tarname, folder in (("fulltext", "fulltext"), ("lu-selected", "lu_selected")):
        with tarfile.open(tmp_path / f"framenet15/fndata-1.5-{tarname}.tar.gz", "w:gz") as tar:
            for path in sorted((FIXTURE / folder).iterdir()):
                tar.add(path, f"fndata-1.5/{folder}/{path.name}")
    return tmp_path


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    return make_raw(tmp_path)


def surfaces(record) -> list[tuple[str, str]]:
    return [(record.text[s.start : s.end], s.label) for s in record.spans]


def test_records_in_order_with_duplicates_dropped(raw_dir, cfg):
    ids = [r.id for r in read(raw_dir, cfg)]
    # 102 has only an AUTO_APP set; 104 repeats a full-text sentence
    assert ids == ["framenet/KBEval__Test", "framenet/NTI__Testland", "framenet/exemplar-100",
                   "framenet/exemplar-101", "framenet/exemplar-103"]


def test_fulltext_mapping_offsets_and_groups(raw_dir, cfg):
    recs = {r.id: r for r in read(raw_dir, cfg)}
    kb, nti = recs["framenet/KBEval__Test"], recs["framenet/NTI__Testland"]
    assert kb.text == "The court accused him of fraud.\nRuritania's foreign ministry condemned the missile test."
    assert surfaces(kb) == [("condemned", "CONDEMNATION")]  # the court's "accused" is judicial: O
    assert surfaces(nti) == [("talks", "MEETING"), ("deployed", "DEPLOYMENT")]
    # the shared sentence is gone from NTI, the "summit" sentence is left out, quotes are curly
    assert nti.text.splitlines() == ["Officials from both countries held talks in Vienna on Monday.",
                                     "The army deployed 300 troops to the border.",
                                     "Tourists visited the old castle.", "Critics praised the “bold” plan."]
    assert kb.meta["group"] == nti.meta["group"] == "framenet-doc:KBEval__Test"
    assert nti.meta["labeled"] == ["DEPLOYMENT", "MEETING", "CONDEMNATION"]
    assert nti.meta["sentences"] == [12, 13, 14, 16]


def test_exemplars_merge_lus_and_leave_undecided_labels_out(raw_dir, cfg):
    recs = {r.id: r for r in read(raw_dir, cfg)}
    parl, she, both = (recs[f"framenet/exemplar-{i}"] for i in (100, 101, 103))
    assert parl.text == "Parliament denounced the “illegal” blockade."
    assert surfaces(parl) == [("denounced", "CONDEMNATION")]
    assert surfaces(she) == [] and she.meta["labeled"] == ["DEPLOYMENT", "MEETING"]  # "She": who?
    assert surfaces(both) == [("denounced", "CONDEMNATION"), ("meeting", "MEETING")]
    assert both.meta["lexical_units"] == ["Discussion:meeting.n", "Judgment_communication:denounce.v"]
    assert all("group" not in r.meta for r in (parl, she, both))


def test_detokenize_maps_offsets():
    text, pos = detokenize("Iran 's envoy said `` no '' -- twice ( in 2004 ) ; six - party talks ca n't .")
    assert text == "Iran's envoy said “no” — twice (in 2004); six-party talks can't."
    start = text.index("talks")
    assert text[pos[63] : pos[67] + 1] == "talks" and pos[63] == start


def test_valid_and_deterministic(raw_dir, cfg, tmp_path):
    first = [dumps(r) for r in read(raw_dir, cfg)]
    again = [dumps(r) for r in read(make_raw(tmp_path / "again"), cfg)]
    assert first == again
    for r in read(raw_dir, cfg):
        assert check_record(r.to_dict()) == []


def test_skips_are_logged(raw_dir, cfg, caplog):
    with caplog.at_level(logging.WARNING):
        list(read(raw_dir, cfg))
    assert "duplicate sentence': 2" in caplog.text and "undecided label': 1" in caplog.text


def test_real_corpus(cfg):
    if not (REAL_RAW / "framenet15/fndata-1.5-fulltext.tar.gz").is_file():
        pytest.skip(f"{REAL_RAW}/framenet15 not present (raw corpora are never committed)")
    recs = list(read(REAL_RAW, cfg))
    full = [r for r in recs if r.meta["kind"] == "fulltext"]
    assert len(full) == 77 and len(recs) > 6000
    counts = {label: sum(s.label == label for r in recs for s in r.spans) for label in cfg["labeled"]}
    assert counts["CONDEMNATION"] > 120 and counts["MEETING"] > 90 and counts["DEPLOYMENT"] > 20
    assert all(r.meta["labeled"] == cfg["labeled"] for r in full)
    assert all(check_record(r.to_dict()) == [] for r in recs)
