"""Records -> model inputs: whole-document tokenization, overlapping windows, label ids.

A document is tokenized once, without truncation; its tokens are cut into windows of
``max_length - 2`` tokens (room for the special tokens) that overlap by ``stride`` tokens, so every
token of a long article is read. Each window remembers where its tokens sit in the document, which
is how prediction stitches windows back together (``decode.stitch``).

Spans are made of whole words (``text.words``): a word's tag is learned on its first sub-word
and the other sub-words are masked, so no span can start or end inside a word.

Labels a record does not cover (its ``meta.labeled``) are unknown, not "O": such a record gets an
``unknown`` vector over label ids, and the loss lets an "O" token be any of those labels (see
``train.partial_label_loss``), so a FrameNet sentence marking only a condemnation does not teach
that its actors are "O".

>>> window_bounds(10, size=4, stride=1)
[(0, 4), (3, 7), (6, 10)]
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Sequence

from newsevents.bio import MisalignedSpanWarning, spans_to_bio, tag_names
from newsevents.config import SUBWORDS, WINDOWS
from newsevents.schema import Record

IGNORE = -100  # ignored by the loss: special tokens and padding


@dataclass
class Document:
    """A tokenized text: token ids and their char offsets (no special tokens), and its words
    (``text.words``; words that one token spans are merged): ``words`` are their char ranges,
    ``word_of`` the word of each token (-1 for a token over no word character), ``firsts`` the
    token index of each word's first sub-word. Spans are made of whole words."""

    ids: list[int]
    offsets: list[tuple[int, int]]
    words: list[tuple[int, int]]
    word_of: list[int]
    firsts: list[int]


def tokenize(tokenizer, text: str) -> Document:
    """Tokenize a whole text with a fast tokenizer (never truncates) and group its tokens into words."""
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, truncation=False, verbose=False)
    offsets = [tuple(o) for o in enc["offset_mapping"]]
    return Document(list(enc["input_ids"]), offsets, *word_units(text, offsets))


def word_units(text: str, offsets: Sequence[tuple[int, int]]) -> tuple[list, list, list]:
    """``(words, word_of, firsts)`` of ``Document`` for tokens at ``offsets``.

    >>> word_units("redeployed troops", [(0, 2), (2, 4), (4, 8), (8, 10), (11, 17)])   # re ##de ##ploy ##ed troops
    ([(0, 10), (11, 17)], [0, 0, 0, 0, 1], [0, 4])
    """
    from bisect import bisect_left, bisect_right

    from newsevents.text import words as text_words

    ranges = text_words(text)
    starts, ends = [s for s, _ in ranges], [e for _, e in ranges]
    units: list[list[int]] = []  # [first regex word, last regex word] of each word unit
    word_of, firsts = [], []
    for t, (s, e) in enumerate(offsets):
        i, j = bisect_right(ends, s), bisect_left(starts, e) - 1  # the regex words the token overlaps
        if e <= s or i > j:
            word_of.append(-1)  # an empty token or one over spaces only: never labelled, never decoded
            continue
        if units and i <= units[-1][1]:  # a later sub-word of the current word (or a token spanning two)
            units[-1][1] = max(units[-1][1], j)
        else:
            units.append([i, j])
            firsts.append(t)
        word_of.append(len(units) - 1)
    return [(starts[i], ends[j]) for i, j in units], word_of, firsts


def window_bounds(n_tokens: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Token ranges ``[start, end)`` of overlapping windows covering ``n_tokens`` tokens."""
    if size <= stride:
        raise ValueError(f"window size {size} must exceed stride {stride}")
    bounds, start = [], 0
    while True:
        end = min(start + size, n_tokens)
        bounds.append((start, end))
        if end >= n_tokens:
            return bounds
        start = end - stride


def sentence_windows(text: str, offsets: list[tuple[int, int]], size: int, stride: int) -> list[tuple[int, int]]:
    """Token ranges ``[start, end)`` of windows that pack whole sentences (``text.split_sentences``)
    up to ``size`` tokens and do not overlap, so each token is read once (the stride windows of
    ``window_bounds`` read a quarter of a typical article twice). A sentence longer than ``size``
    falls back to overlapping windows of ``size`` tokens, ``stride`` shared.

    >>> text = "Seoul met Tokyo. Talks followed. Kim left."
    >>> offsets = [(0, 5), (6, 9), (10, 15), (15, 16), (17, 22), (23, 31), (31, 32), (33, 36), (37, 41), (41, 42)]
    >>> sentence_windows(text, offsets, size=7, stride=1)
    [(0, 7), (7, 10)]
    """
    from bisect import bisect_left

    from newsevents.text import split_sentences

    n, starts = len(offsets), [o[0] for o in offsets]
    cuts = sorted({bisect_left(starts, s) for s, _ in split_sentences(text)} - {0, n})  # sentence-initial tokens
    bounds, start = [], 0
    while n - start > size:
        k = bisect_left(cuts, start + size + 1) - 1  # the last sentence start that keeps the window within size
        if k >= 0 and cuts[k] > start:
            bounds.append((start, cuts[k]))
            start = cuts[k]
        else:  # one sentence longer than a window
            bounds.append((start, start + size))
            start += size - stride
    bounds.append((start, n))
    return bounds


def bounds(text: str, doc: Document, max_length: int, stride: int, windows: str = "stride") -> list[tuple[int, int]]:
    """The windows of a tokenized text, as ``model.windows`` asks: ``window_bounds`` ("stride") or
    ``sentence_windows`` ("sentences"); ``max_length`` counts the two special tokens.

    >>> offsets = [(0, 5), (6, 9), (10, 15), (15, 16)]
    >>> bounds("Seoul met Tokyo.", Document([1, 2, 3, 4], offsets, *word_units("Seoul met Tokyo.", offsets)), 6, 1)
    [(0, 4)]
    """
    if windows == "stride":
        return window_bounds(len(doc.ids), max_length - 2, stride)
    if windows == "sentences":
        return sentence_windows(text, doc.offsets, max_length - 2, stride)
    raise ValueError(f"model.windows must be one of {WINDOWS}, not {windows!r}")


def encode_record(record: Record, tokenizer, labels: Sequence[str], max_length: int, stride: int, index: int = 0,
                  windows: str = "stride", subwords: str = "first", doc: Document | None = None) -> list[dict]:
    """The training/evaluation windows of one record, as dicts of model inputs plus bookkeeping.

    A word's tag goes on its first sub-word; the others get -100 (``subwords="first"``), or the
    word's I- tag (``subwords="all"``). Keys: input_ids, attention_mask, labels (-100 also on special
    tokens), unknown (1 for label ids the record does not cover), record_index, token_start
    (document index of the window's first text token) and n_tokens (text tokens in the window).
    ``doc`` is the record's ``tokenize`` result, when the caller already has it.
    """
    if subwords not in SUBWORDS:
        raise ValueError(f"model.label_subwords must be one of {SUBWORDS}, not {subwords!r}")
    doc = doc or tokenize(tokenizer, record.text)
    tag2id = {t: i for i, t in enumerate(tag_names(labels))}
    with warnings.catch_warnings(record=True) as caught:  # bio speaks of units; say which record and that they are words
        warnings.simplefilter("always", MisalignedSpanWarning)
        word_tags = spans_to_bio(doc.words, [s for s in record.spans if s.label in labels])
    for w in caught:
        warnings.warn(f"record {record.id}: {str(w.message).replace('token', 'word')}", w.category)
    first = set(doc.firsts)
    tag_ids = []
    for t, w in enumerate(doc.word_of):
        if w < 0 or (t not in first and subwords == "first"):
            tag_ids.append(IGNORE)
        else:
            tag = word_tags[w] if t in first else word_tags[w].replace("B-", "I-", 1)
            tag_ids.append(tag2id[tag])
    covered = set(record.labeled)
    unknown = [int(t != "O" and t.split("-", 1)[1] not in covered) for t in tag_names(labels)]
    out = []
    for start, end in bounds(record.text, doc, max_length, stride, windows):
        input_ids = with_specials(tokenizer, doc.ids[start:end])
        out.append(
            {
                "input_ids": input_ids,
                "attention_mask": [1] * len(input_ids),
                "labels": [IGNORE] + tag_ids[start:end] + [IGNORE],
                "unknown": unknown,
                "record_index": index,
                "token_start": start,
                "n_tokens": end - start,
            }
        )
    return out


def encode(records: Sequence[Record], tokenizer, labels: Sequence[str], max_length: int, stride: int, windows: str = "stride",
           subwords: str = "first", docs: Sequence[Document] | None = None):
    """All windows of all records as a ``datasets.Dataset`` (in record order); ``docs``: the
    records' ``tokenize`` results, when the caller already has them."""
    from datasets import Dataset

    docs = docs or [None] * len(records)
    rows = [w for i, (r, d) in enumerate(zip(records, docs))
            for w in encode_record(r, tokenizer, labels, max_length, stride, i, windows, subwords, d)]
    return Dataset.from_list(rows)


def with_specials(tokenizer, ids: list[int]) -> list[int]:
    """``[CLS] ids [SEP]`` (``<s> ids </s>`` for RoBERTa): the single-sequence layout of every
    encoder this project trains; text token k of a window sits at position k + 1."""
    if tokenizer.cls_token_id is None or tokenizer.sep_token_id is None:
        raise ValueError("the tokenizer has no CLS/SEP tokens; newsevents needs an encoder tokenizer")
    return [tokenizer.cls_token_id] + list(ids) + [tokenizer.sep_token_id]


def length_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Indices of windows in batches, longest first, so that a batch holds windows of similar length
    and dynamic padding pads little (prediction and the distillation teacher batch this way).

    >>> length_batches([3, 9, 5, 9], 2)
    [[1, 3], [2, 0]]
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
