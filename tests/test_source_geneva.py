"""The GENEVA reader on hand-written fixtures (tests/fixtures/raw/geneva, plus the FrameNet fixture it
checks overlap against) and, when present, the real files.

Fixture (invented text, GENEVA's OneIE JSON lines):
- doc 900_1: envoys "met" (Come_together) -> MEETING; rebels "denounced" (Judgment_communication,
  tokens split "--" into "-", "-") -> CONDEMNATION; the officials' "talks" sentence is also in the
  FrameNet fixture -> skipped, and the record joins that FrameNet document's split group.
  Sentence 5001 sits in test.json and in a zs/ file with the same event: merged, not doubled.
- doc 900_2: volunteers "sent" food (Sending) -> O; a zs/-only sentence whose "summit" no event
  covers leaves its sentence out.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from test_source_framenet import make_raw

from newsevents.schema import dumps
from newsevents.data.sources import load_source_config
from newsevents.data.sources.geneva import read
from newsevents.schema import check_record

REPO = Path(__file__).parents[1]
FIXTURE = REPO / "tests/fixtures/raw/geneva"
from conftest import SHARED_RAW as REAL_RAW  # ../shared/data/raw beside the checkout
FILES = ["geneva/data/test.json", "geneva/data/zs/zs5-s311/train.json"]


@pytest.fixture
def cfg() -> dict:
    cfg = load_source_config("geneva", REPO / "configs/data")
    lexicon = load_source_config("framenet", REPO / "configs/data")["lexicon"]
    return dict(cfg, lexicon=lexicon)


@pytest.fixture
def fixture_cfg(cfg) -> dict:
    return dict(cfg, files=dict(cfg["files"], data=FILES))


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "geneva")
    return make_raw(tmp_path)  # the FrameNet tarballs GENEVA checks for overlap


def surfaces(record) -> list[tuple[str, str]]:
    return [(record.text[s.start : s.end], s.label) for s in record.spans]


def test_one_record_per_doc_with_mapping_and_offsets(raw_dir, fixture_cfg):
    recs = list(read(raw_dir, fixture_cfg))
    assert [r.id for r in recs] == ["geneva/900_1", "geneva/900_2"]
    a, b = recs
    assert a.text == "The envoys met in Geneva on Tuesday.\nRebels denounced the ceasefire — again."
    assert surfaces(a) == [("met", "MEETING"), ("denounced", "CONDEMNATION")]
    assert b.text == "Volunteers sent food to the village." and b.spans == []  # food: not a deployment
    assert a.meta["labeled"] == b.meta["labeled"] == ["DEPLOYMENT", "MEETING", "CONDEMNATION"]
    assert a.meta["wnd_ids"] == ["900_1_5001", "900_1_5002"] and b.meta["wnd_ids"] == ["900_2_6001"]


def test_framenet_overlap_is_skipped_and_grouped(raw_dir, fixture_cfg):
    a, b = read(raw_dir, fixture_cfg)
    assert "Vienna" not in a.text
    # NTI__Testland shares a sentence with KBEval__Test, so both sit in the group of the first
    assert a.meta["group"] == "framenet-doc:KBEval__Test" and "group" not in b.meta


def test_merged_copies_and_logged_skips(raw_dir, fixture_cfg, caplog):
    with caplog.at_level(logging.WARNING):
        a, _ = read(raw_dir, fixture_cfg)
    assert a.meta["files"] == ["data/test.json", "data/zs/zs5-s311/train.json"]
    assert "sentence in FrameNet': 1" in caplog.text and "undecided label': 1" in caplog.text


def test_valid_and_deterministic(raw_dir, fixture_cfg):
    first = [dumps(r) for r in read(raw_dir, fixture_cfg)]
    assert first == [dumps(r) for r in read(raw_dir, fixture_cfg)]
    assert all(check_record(r.to_dict()) == [] for r in read(raw_dir, fixture_cfg))


def test_real_corpus(cfg):
    if not (REAL_RAW / "geneva/data/test.json").is_file():
        pytest.skip(f"{REAL_RAW}/geneva not present (raw corpora are never committed)")
    recs = list(read(REAL_RAW, cfg))
    assert 15 <= len(recs) <= 25  # 3,590 sentences, of which about 88% FrameNet already yields
    assert 350 < sum(len(r.meta["wnd_ids"]) for r in recs) < 500
    assert all(check_record(r.to_dict()) == [] for r in recs)
