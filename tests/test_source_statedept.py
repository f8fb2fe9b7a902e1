"""statedept reader (and the shared official.py): ids, stable text, kinds, groups, no labels.

The fixture tests/fixtures/raw/state-dept-press/... is invented text in the source's JSONL format.
"""

import hashlib
from collections import Counter
from pathlib import Path

import pytest

from newsevents.schema import dumps
from newsevents.data.sources import load_source_config
from newsevents.data.sources.statedept import read
from newsevents.schema import check_record

ROOT = Path(__file__).parents[1]
FIXTURE = ROOT / "tests/fixtures/raw"
from conftest import SHARED_RAW as REAL  # ../shared/data/raw beside the checkout


@pytest.fixture
def records():
    return {r.id: r for r in read(FIXTURE, load_source_config("statedept", ROOT / "configs/data"))}


def test_ids_meta_and_no_labels(records):
    assert list(records) == [f"statedept/sd-90000{i}" for i in range(1, 6)]
    r = records["statedept/sd-900001"]
    assert r.spans == [] and r.meta["labeled"] == []
    assert r.meta["source"] == "statedept" and r.meta["licence"].startswith("public-domain")
    assert r.meta["title"] == "Secretary Blinken’s Call with Kolian Foreign Minister Arno"
    assert r.meta["date"] == "2022-03-01" and r.meta["url"].startswith("https://www.state.gov/")
    assert r.meta["sha256"] == hashlib.sha256(r.text.encode("utf-8")).hexdigest()


def test_text_title_first_lines_kept_space_normalised(records):
    assert records["statedept/sd-900003"].text == (
        "Attack in Eastport\n"
        "Antony J. Blinken, Secretary of State\n"
        "The United States condemns the rocket attack on Eastport. We stand with the people of Kolia.\n"
        "Our embassy remains open."  # a single line break is kept; the "# # #" end mark is dropped
    )
    # list lines are not joined
    assert records["statedept/sd-900005"].text.endswith("include:\nKolia\nWestland\nEastport Maritime Authority")


def test_kinds_and_questions(records):
    kinds = {i: (r.meta["kind"], r.meta["questions"]) for i, r in records.items()}
    assert kinds == {
        "statedept/sd-900001": ("readout", False),  # "...’s Call with ..."
        "statedept/sd-900002": ("press briefing", True),  # "QUESTION:" lines
        "statedept/sd-900003": ("statement", False),  # signed by the Secretary
        "statedept/sd-900004": ("statement", False),
        "statedept/sd-900005": ("press release", False),  # media note by the Office of the Spokesperson
    }


def test_duplicate_body_shares_a_group(records):
    assert records["statedept/sd-900004"].meta["group"] == "statedept/sd-900003"
    assert "group" not in records["statedept/sd-900003"].meta
    assert records["statedept/sd-900004"].meta["title"] == "Attack in Eastport"  # zero-width space dropped


def test_deterministic_and_valid():
    cfg = load_source_config("statedept", ROOT / "configs/data")
    assert [dumps(r) for r in read(FIXTURE, cfg)] == [dumps(r) for r in read(FIXTURE, cfg)]
    assert all(check_record(r.to_dict()) == [] for r in read(FIXTURE, cfg))


def test_real_corpus():
    if not (REAL / "state-dept-press").is_dir():
        pytest.skip(f"real State Department corpus not found at {REAL / 'state-dept-press'}")
    records = list(read(REAL, load_source_config("statedept", ROOT / "configs/data")))
    assert len(records) == len({r.id for r in records}) == 1742
    assert all(check_record(r.to_dict()) == [] and not r.spans for r in records)
    kinds = Counter(r.meta["kind"] for r in records)
    assert kinds["readout"] > 400 and kinds["press briefing"] > 80 and kinds["statement"] > 300
    assert all(r.meta["questions"] for r in records if r.meta["title"].startswith("Department Press Briefing"))
