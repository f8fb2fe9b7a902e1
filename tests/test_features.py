"""Records -> windows: -100 on special tokens, every token covered, labels decode back to the spans."""

import re

import numpy as np
import pytest

from newsevents.bio import bio_to_spans, tag_names
from newsevents.config import ModelConfig
from newsevents.decode import stitch
from newsevents.features import IGNORE, encode_record, sentence_windows, tokenize, window_bounds
from newsevents.markup import parse_markup
from newsevents.model import build_tokenizer
from newsevents.schema import LABELS, Record

from conftest import FIXTURES

LABEL_LIST = list(LABELS)


@pytest.fixture(scope="module")
def tokenizer():
    return build_tokenizer(ModelConfig(name=None, tokenizer=str(FIXTURES / "tiny_tokenizer.json")))


def long_record(n=12):
    text, spans = parse_markup(" ".join(f"[South Korea](ACTOR) [summoned](MEETING) the [Russian ambassador](ACTOR) on day {i}." for i in range(n)))
    return Record("long", text, spans, {"labeled": LABEL_LIST})


@pytest.mark.parametrize("n, size, stride", [(0, 8, 2), (5, 8, 2), (8, 8, 2), (9, 8, 2), (100, 30, 10)])
def test_windows_cover_every_token(n, size, stride):
    bounds = window_bounds(n, size, stride)
    covered = {i for s, e in bounds for i in range(s, e)}
    assert covered == set(range(n)) and all(e - s <= size for s, e in bounds)


def test_special_tokens_get_ignore_and_lengths_match(tokenizer):
    windows = encode_record(long_record(), tokenizer, LABEL_LIST, max_length=32, stride=8)
    assert len(windows) > 1
    for w in windows:
        assert len(w["labels"]) == len(w["input_ids"]) == len(w["attention_mask"]) == w["n_tokens"] + 2
        assert w["labels"][0] == w["labels"][-1] == IGNORE
        assert IGNORE not in w["labels"][1:-1]
        assert w["input_ids"][0] == tokenizer.cls_token_id and w["input_ids"][-1] == tokenizer.sep_token_id


def test_windows_decode_back_to_the_original_spans(tokenizer):
    record = long_record()
    windows = encode_record(record, tokenizer, LABEL_LIST, max_length=32, stride=8)
    doc = tokenize(tokenizer, record.text)
    n_tags = len(tag_names(LABEL_LIST))
    onehots = [(w["token_start"], np.eye(n_tags)[w["labels"][1:-1]]) for w in windows]
    tags = [tag_names(LABEL_LIST)[i] for i in stitch(len(doc.ids), onehots).argmax(-1)]
    assert bio_to_spans(doc.offsets, tags) == record.spans


def test_uncovered_labels_are_marked_unknown(tokenizer):
    text, spans = parse_markup("[Seoul](ACTOR) [condemned](CONDEMNATION) the move.")
    partial = Record("p", text, [s for s in spans if s.label == "CONDEMNATION"], {"labeled": ["CONDEMNATION"]})
    [w] = encode_record(partial, tokenizer, LABEL_LIST, 64, 8)
    names = tag_names(LABEL_LIST)
    assert [n for n, u in zip(names, w["unknown"]) if u] == ["B-ACTOR", "I-ACTOR", "B-DEPLOYMENT", "I-DEPLOYMENT", "B-MEETING", "I-MEETING"]
    full = Record("f", text, spans, {"labeled": LABEL_LIST})
    assert not any(encode_record(full, tokenizer, LABEL_LIST, 64, 8)[0]["unknown"])


def test_empty_article_gives_one_empty_window(tokenizer):
    [w] = encode_record(Record("e", "", [], {}), tokenizer, LABEL_LIST, 16, 4)
    assert w["n_tokens"] == 0 and w["labels"] == [IGNORE, IGNORE]


def test_sentence_windows_read_every_token_once_and_cut_only_between_sentences(tokenizer):
    record = long_record()
    doc = tokenize(tokenizer, record.text)
    bounds = sentence_windows(record.text, doc.offsets, size=40, stride=8)
    assert len(bounds) > 1 and all(e - s <= 40 for s, e in bounds)
    assert [i for s, e in bounds for i in range(s, e)] == list(range(len(doc.ids)))  # no overlap, no gap
    sentence_starts = {m.start() for m in re.finditer("South Korea", record.text)}
    assert all(doc.offsets[s][0] in sentence_starts for s, _ in bounds)


def test_a_sentence_longer_than_a_window_falls_back_to_overlapping_windows(tokenizer):
    text = " ".join(["Seoul"] * 50) + ". Tokyo met Seoul."
    doc = tokenize(tokenizer, text)
    bounds = sentence_windows(text, doc.offsets, size=20, stride=5)
    assert bounds[0] == (0, 20) and bounds[1][0] == 15  # inside the long sentence: stride windows
    assert {i for s, e in bounds for i in range(s, e)} == set(range(len(doc.ids)))
    assert all(e - s <= 20 for s, e in bounds)


def test_sentence_windows_decode_back_to_the_original_spans(tokenizer):
    record = long_record()
    windows = encode_record(record, tokenizer, LABEL_LIST, max_length=42, stride=8, windows="sentences")
    doc = tokenize(tokenizer, record.text)
    n_tags = len(tag_names(LABEL_LIST))
    onehots = [(w["token_start"], np.eye(n_tags)[w["labels"][1:-1]]) for w in windows]
    tags = [tag_names(LABEL_LIST)[i] for i in stitch(len(doc.ids), onehots).argmax(-1)]
    assert bio_to_spans(doc.offsets, tags) == record.spans
