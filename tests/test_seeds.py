"""The seed article ships unchanged, with a gold annotation whose text is the article byte for byte."""

from newsevents.schema import read_jsonl
from newsevents.validate import validate_files

from conftest import REPO

SEED = REPO / "seeds" / "000_ae5ddc711bbf85ad"


def test_seed_gold_matches_the_article_and_validates():
    [gold] = read_jsonl(SEED.with_suffix(".jsonl"))
    assert gold.text == SEED.with_suffix(".txt").read_text(encoding="utf-8")
    assert validate_files([SEED.with_suffix(".jsonl")]) == []


def test_seed_gold_follows_the_guides_worked_example():
    [gold] = read_jsonl(SEED.with_suffix(".jsonl"))
    found = {(gold.text[s.start : s.end], s.label) for s in gold.spans}
    for expected in [
        ("South Korea", "ACTOR"), ("summoned", "MEETING"), ("Russian ambassador", "ACTOR"),
        ("North Korean soldiers", "ACTOR"), ("arrived", "DEPLOYMENT"), ("South Korea’s intelligence agency", "ACTOR"),
        ("meeting", "MEETING"), ("condemned", "CONDEMNATION"), ("South Korea’s Vice Foreign Minister Kim Hong-kyun", "ACTOR"),
        ("assigned", "DEPLOYMENT"), ("redeployed", "DEPLOYMENT"), ("Russian units", "ACTOR"),
    ]:
        assert expected in found
    surfaces = {gold.text[s.start : s.end] for s in gold.spans}
    for never in ["withdrawal", "trained", "Ukraine", "Experts", "Moon Seong-mok", "warned"]:
        assert never not in surfaces
