"""Records -> windows: -100 on special tokens and on every sub-word but a word's first, every token
covered, labels decode back to the spans through the one decoder."""

import re

import numpy as np
import pytest

from newsevents.bio import tag_names
from newsevents.config import ModelConfig
from newsevents.decode import decode
from newsevents.features import IGNORE, encode_record, sentence_windows, tokenize, window_bounds
from newsevents.data.markup import parse_markup
from newsevents.model import build_tokenizer
from newsevents.schema import LABELS, Record, Span

from conftest import FIXTURES

LABEL_LIST = list(LABELS)


@pytest.fixture(scope="module")
def tokenizer():
    return build_tokenizer(ModelConfig(name=None, tokenizer=str(FIXTURES / "tiny_tokenizer.json")))


def decoded_labels(doc, windows):
    """The spans the decoder reads off the windows' training labels (a masked row votes for nothing)."""
    n_tags = len(tag_names(LABEL_LIST))
    rows = lambda w: np.log(np.array([np.eye(n_tags)[i] * 0.98 + 0.01 if i != IGNORE else np.full(n_tags, 1 / n_tags)
                                      for i in w["labels"]]))
    return decode(doc, [(w["token_start"], w["token_start"] + w["n_tokens"], rows(w)) for w in windows], LABEL_LIST)


def long_record(n=12):
    text, spans = parse_markup(" ".join(f"[South Korea](ACTOR) [summoned](MEETING) the [Russian ambassador](ACTOR) on day {i}." for i in range(n)))
    return Record("long", text, spans, {"labeled": LABEL_LIST})


@pytest.mark.parametrize("n, size, stride", [(0, 8, 2), (5, 8, 2), (8, 8, 2), (9, 8, 2), (100, 30, 10)])
def test_windows_cover_every_token(n, size, stride):
    bounds = window_bounds(n, size, stride)
    covered = {i for s, e in bounds for i in range(s, e)}
    assert covered == set(range(n)) and all(e - s <= size for s, e in bounds)


def test_special_tokens_and_later_sub_words_get_ignore_and_lengths_match(tokenizer):
    windows = encode_record(long_record(), tokenizer, LABEL_LIST, max_length=32, stride=8)
    assert len(windows) > 1
    for w in windows:
        assert len(w["labels"]) == len(w["input_ids"]) == len(w["attention_mask"]) == w["n_tokens"] + 2
        assert w["labels"][0] == w["labels"][-1] == IGNORE
        assert w["input_ids"][0] == tokenizer.cls_token_id and w["input_ids"][-1] == tokenizer.sep_token_id
    doc = tokenize(tokenizer, long_record().text)
    per_token = {w["token_start"] + k: x for w in windows for k, x in enumerate(w["labels"][1:-1])}
    assert {t for t, x in per_token.items() if x != IGNORE} == set(doc.firsts)  # a word's first sub-word, and only it


def test_windows_decode_back_to_the_original_spans(tokenizer):
    record = long_record()
    windows = encode_record(record, tokenizer, LABEL_LIST, max_length=32, stride=8)
    assert decoded_labels(tokenize(tokenizer, record.text), windows) == record.spans


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
    assert decoded_labels(tokenize(tokenizer, record.text), windows) == record.spans


def test_a_word_is_tagged_on_its_first_sub_word_and_the_rest_are_masked(tokenizer):
    text, spans = parse_markup("[Kim Hong-kyun](ACTOR) [redeployed](DEPLOYMENT) troops.")
    record = Record("w", text, spans, {"labeled": LABEL_LIST})
    doc = tokenize(tokenizer, text)
    assert [text[s:e] for s, e in doc.words] == ["Kim", "Hong-kyun", "redeployed", "troops", "."]
    assert len(doc.ids) > len(doc.words)  # the tiny tokenizer splits these words into sub-words
    [w] = encode_record(record, tokenizer, LABEL_LIST, 64, 8)
    names = tag_names(LABEL_LIST)
    tags = [names[x] if x != IGNORE else None for x in w["labels"][1:-1]]
    assert [tags[t] for t in doc.firsts] == ["B-ACTOR", "I-ACTOR", "B-DEPLOYMENT", "O", "O"]
    assert all(tags[t] is None for t in range(len(doc.ids)) if t not in doc.firsts)
    assert decoded_labels(doc, [w]) == spans


def test_label_subwords_all_puts_the_words_i_tag_on_later_sub_words(tokenizer):
    text, spans = parse_markup("[redeployed](DEPLOYMENT) troops")
    doc = tokenize(tokenizer, text)
    [w] = encode_record(Record("a", text, spans, {"labeled": LABEL_LIST}), tokenizer, LABEL_LIST, 64, 8, subwords="all")
    names = tag_names(LABEL_LIST)
    tags = [names[x] for x in w["labels"][1:-1]]
    n_first_word = doc.word_of.count(0)
    assert tags[:n_first_word] == ["B-DEPLOYMENT"] + ["I-DEPLOYMENT"] * (n_first_word - 1)
    assert decoded_labels(doc, [w]) == spans
    with pytest.raises(ValueError, match="label_subwords"):
        encode_record(Record("a", text, spans, {}), tokenizer, LABEL_LIST, 64, 8, subwords="last")


def test_a_span_that_splits_a_word_is_widened_to_the_word_with_a_warning(tokenizer):
    from newsevents.bio import MisalignedSpanWarning

    text = "the bipartisan United States-Ecuador Partnership Act"  # the one such span in our training data
    start = text.index("United")
    record = Record("x", text, [Span(start, start + len("United States"), "ACTOR")], {"labeled": LABEL_LIST})
    with pytest.warns(MisalignedSpanWarning, match=r"record x: span .* splits a word; snapped to words"):
        [w] = encode_record(record, tokenizer, LABEL_LIST, 64, 8)
    assert decoded_labels(tokenize(tokenizer, text), [w]) == [Span(start, text.index(" Partnership"), "ACTOR")]
