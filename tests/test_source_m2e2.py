"""The M2E2 reader on a hand-written fixture (tests/fixtures/raw/m2e2) and, when present, the real zip.

Fixture articles (invented text, M2E2's file format):
- ...1000001: Contact:Meet "met", "talks", "attended [the summit]" -> MEETING; "rally" and
  "news conference" -> O; every meeting word resolved, so MEETING is labeled.
- ...1000002: Movement:Transport "sent" troops -> DEPLOYMENT; "withdrew", refugees "crossed",
  soldiers "carry" a coffin -> O; an unmarked "deployed" leaves DEPLOYMENT out of `labeled`.
  Sentence 1 sits in both files (its Conflict:Attack event only in the multimedia one).
- ...1000003: sentences 2 and 5 only; a PER's "visit" to a GPE -> MEETING.
"""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import pytest

from newsevents.schema import dumps
from newsevents.data.sources import load_source_config
from newsevents.data.sources.m2e2 import read
from newsevents.schema import check_record

REPO = Path(__file__).parents[1]
FIXTURE = REPO / "tests/fixtures/raw/m2e2/m2e2_annotations"
from conftest import SHARED_RAW as REAL_RAW  # ../shared/data/raw beside the checkout
A, B, C = (f"m2e2/VOA_EN_NW_2099.01.0{i}.100000{i - 1}" for i in (2, 3, 4))


@pytest.fixture
def cfg() -> dict:
    return load_source_config("m2e2", REPO / "configs/data")


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    """Zip the hand-written files the way the corpus ships them: raw_dir/m2e2/m2e2_annotations.zip."""
    (tmp_path / "m2e2").mkdir()
    with zipfile.ZipFile(tmp_path / "m2e2/m2e2_annotations.zip", "w") as zf:
        for path in sorted(FIXTURE.iterdir()):
            zf.write(path, f"m2e2_annotations/{path.name}")
    return tmp_path


def records(raw_dir: Path, cfg: dict) -> dict:
    return {r.id: r for r in read(raw_dir, cfg)}


def surfaces(record) -> list[tuple[str, str]]:
    return [(record.text[s.start : s.end], s.label) for s in record.spans]


def test_one_record_per_article_in_id_order(raw_dir, cfg):
    assert [r.id for r in read(raw_dir, cfg)] == [A, B, C]


def test_text_is_rebuilt_with_last_char_line_breaks_and_spaces(raw_dir, cfg):
    text = records(raw_dir, cfg)[A].text
    # "-" standing for a line break becomes "\n", the no-break space a space, and each sentence
    # gets back the final char the corpus cut off ("." here, the closing quote at the end)
    assert text.startswith("Ministers Gather in Vienna\nVIENNA — Foreign ministers")
    assert text.split("\n")[1].endswith("on the border crisis.")
    assert text.endswith("told a news conference: “We are hopeful.”")
    assert text.count("\n") == 4  # one headline break + one between each of the 4 sentences


def test_meeting_mapping_and_exclusions(raw_dir, cfg):
    record = records(raw_dir, cfg)[A]
    # "attended the summit" tags the meeting noun (rule 18); rally and news conference are O
    assert surfaces(record) == [("met", "MEETING"), ("talks", "MEETING"), ("summit", "MEETING")]
    assert record.meta["labeled"] == ["MEETING", "DEPLOYMENT"]


def test_deployment_mapping_and_exclusions(raw_dir, cfg):
    record = records(raw_dir, cfg)[B]
    # only troops being sent; withdrawal, refugees crossing and soldiers carrying a coffin are O
    assert surfaces(record) == [("sent", "DEPLOYMENT")]
    # "warships would be deployed" is a deployment M2E2 left unmarked: not exhaustive here
    assert record.meta["labeled"] == ["MEETING"]


def test_sentence_in_both_files_is_merged(raw_dir, cfg):
    record = records(raw_dir, cfg)[B]
    assert record.meta["sentences"] == [0, 1, 2, 3, 4]
    assert record.meta["files"] == ["text_multimedia_event.json", "text_only_event.json"]
    assert record.text.count("Rebel fighters withdrew") == 1


def test_visit_of_official_to_country_and_gaps(raw_dir, cfg):
    record = records(raw_dir, cfg)[C]
    assert surfaces(record) == [("visit", "MEETING"), ("meet", "MEETING")]
    assert record.meta["sentences"] == [2, 5]
    assert record.meta["url"] == "https://www.voanews.com/a/1000003.html"


def test_override_turns_an_event_to_o_and_keeps_it_resolved(raw_dir, cfg):
    cfg["overrides"] = {"VOA_EN_NW_2099.01.04.1000003_5:2": "O"}
    record = records(raw_dir, cfg)[C]
    assert surfaces(record) == [("visit", "MEETING")]
    assert "MEETING" in record.meta["labeled"]


def test_records_are_valid_and_deterministic(raw_dir, cfg):
    first = [dumps(r) for r in read(raw_dir, cfg)]
    assert first == [dumps(r) for r in read(raw_dir, cfg)]
    for record in read(raw_dir, cfg):
        assert check_record(record.to_dict()) == []
        assert record.meta["source"] == "m2e2" and record.meta["licence"]


def test_misplaced_words_are_logged_not_silent(raw_dir, cfg, caplog, monkeypatch):
    import newsevents.data.sources.m2e2 as m2e2

    real = m2e2._sentence_line
    monkeypatch.setattr(m2e2, "_sentence_line", lambda s: (real(s)[0], [(0, 1)] * len(s["words"])))
    with caplog.at_level(logging.WARNING):
        out = list(read(raw_dir, cfg))
    assert all(r.spans == [] and r.meta["labeled"] == [] for r in out)
    assert "words off the text" in caplog.text


def test_real_corpus(cfg):
    if not (REAL_RAW / cfg["files"]["zip"]).is_file():
        pytest.skip(f"real M2E2 zip not found under {REAL_RAW}")
    out = list(read(REAL_RAW, cfg))
    assert len(out) == 229
    assert sum(len(r.meta["sentences"]) for r in out) == 6167
    assert all(check_record(r.to_dict()) == [] for r in out)
    labels = [s.label for r in out for s in r.spans]
    assert {"ACTOR", "CONDEMNATION"}.isdisjoint(labels)
    assert 60 <= labels.count("MEETING") <= 100 and 10 <= labels.count("DEPLOYMENT") <= 30
    assert all(r.text[s.start : s.end].isalpha() for r in out for s in r.spans)  # one head word
