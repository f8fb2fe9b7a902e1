"""whitehouse reader (and the shared official.py): Markdown removed, wrapped lines joined, kinds.

The fixture tests/fixtures/raw/whitehouse-briefings/... is invented text in the source's JSONL format.
"""

from collections import Counter
from pathlib import Path

import pytest

from newsevents.schema import dumps
from newsevents.data.sources import load_source_config
from newsevents.data.sources.whitehouse import read
from newsevents.schema import check_record

ROOT = Path(__file__).parents[1]
FIXTURE = ROOT / "tests/fixtures/raw"
from conftest import SHARED_RAW as REAL  # ../shared/data/raw beside the checkout
PREFIX = "whitehouse/wh-statements-releases-2022-03-0"


@pytest.fixture
def records():
    return list(read(FIXTURE, load_source_config("whitehouse", ROOT / "configs/data")))


def test_ids_meta_and_no_labels(records):
    assert records[0].id == "whitehouse/wh-statements-releases-2022-03-01-statement-by-president-biden-on-kolia"
    assert len({r.id for r in records}) == 5
    for r in records:
        assert r.spans == [] and r.meta["labeled"] == [] and r.meta["source"] == "whitehouse"
        assert {"title", "date", "url", "kind", "questions", "sha256"} <= r.meta.keys()


def test_unwrapped_and_markup_removed(records):
    assert records[0].text == (
        "Statement by President Biden on Kolia\n"
        "The President spoke from the Roosevelt Room.\n"  # italics gone, wrapped line joined
        "Today I condemn the unprovoked attack on Kolia. The Kolian government asked for help, and we "
        "will send [assistance] now.\n"  # link text kept, struck-out word dropped, escapes resolved
        "We stand with our allies.\n"  # a hard break ("  " at the end of a line) is kept
        "And with our partners."  # "\\###" end mark dropped
    )


def test_lists_headings_rules(records):
    letter = records[2].text.split("\n")
    assert letter[3:7] == ["Deploy two squadrons to Westland;", "Send a team to Eastport.",
                           "1. First, we will consult our allies.", "2. Second, we will report."]
    assert letter[7:] == ["Sincerely,", "JOSEPH R. BIDEN JR."]  # the horizontal rule is dropped
    assert records[3].text == ("FACT SHEET: The Kolia Partnership\nApproach\n"
                               "The partnership has three parts, see https://example.org/plan.\n"
                               "Funding\nThe plan costs $5 million*.")


def test_kinds_and_questions(records):
    assert [(r.meta["kind"], r.meta["questions"]) for r in records] == [
        ("statement", False), ("press briefing", True), ("letter", False), ("fact sheet", False),
        ("article", False),  # no title pattern: the url section /articles/ decides
    ]


def test_deterministic_and_valid():
    cfg = load_source_config("whitehouse", ROOT / "configs/data")
    assert [dumps(r) for r in read(FIXTURE, cfg)] == [dumps(r) for r in read(FIXTURE, cfg)]
    assert all(check_record(r.to_dict()) == [] for r in read(FIXTURE, cfg))


def test_real_corpus():
    if not (REAL / "whitehouse-briefings").is_dir():
        pytest.skip(f"real White House corpus not found at {REAL / 'whitehouse-briefings'}")
    records = list(read(REAL, load_source_config("whitehouse", ROOT / "configs/data")))
    assert len(records) == len({r.id for r in records}) == 2000
    assert all(check_record(r.to_dict()) == [] and not r.spans for r in records)
    assert not any("](http" in r.text or "<s>" in r.text or "\n***\n" in r.text for r in records)
    kinds = Counter(r.meta["kind"] for r in records)
    assert kinds["press briefing"] > 400 and kinds["readout"] > 300 and kinds["letter"] >= 10
