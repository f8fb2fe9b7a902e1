"""Records -> model inputs: whole-document tokenization, overlapping windows, label ids.

A document is tokenized once, without truncation; its tokens are cut into windows of
``max_length - 2`` tokens (room for the special tokens) that overlap by ``stride`` tokens, so every
token of a long article is read. Each window remembers where its tokens sit in the document, which
is how prediction stitches windows back together (``decode.stitch``).

Labels a record does not cover (its ``meta.labeled``) are unknown, not "O": such a record gets an
``unknown`` vector over label ids, and the loss lets an "O" token be any of those labels (see
``train.partial_label_loss``), so a FrameNet sentence marking only a condemnation does not teach
that its actors are "O".

>>> window_bounds(10, size=4, stride=1)
[(0, 4), (3, 7), (6, 10)]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from newsevents.bio import spans_to_bio, tag_names
from newsevents.config import WINDOWS
from newsevents.schema import Record

IGNORE = -100  # ignored by the loss: special tokens and padding


@dataclass
class Document:
    """A tokenized text: token ids and their char offsets, no special tokens."""

    ids: list[int]
    offsets: list[tuple[int, int]]


def tokenize(tokenizer, text: str) -> Document:
    """Tokenize a whole text with a fast tokenizer; never truncates."""
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, truncation=False, verbose=False)
    return Document(list(enc["input_ids"]), [tuple(o) for o in enc["offset_mapping"]])


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

    >>> bounds("Seoul met Tokyo.", Document([1, 2, 3, 4], [(0, 5), (6, 9), (10, 15), (15, 16)]), 6, 1)
    [(0, 4)]
    """
    if windows == "stride":
        return window_bounds(len(doc.ids), max_length - 2, stride)
    if windows == "sentences":
        return sentence_windows(text, doc.offsets, max_length - 2, stride)
    raise ValueError(f"model.windows must be one of {WINDOWS}, not {windows!r}")


def encode_record(record: Record, tokenizer, labels: Sequence[str], max_length: int, stride: int, index: int = 0,
                  windows: str = "stride") -> list[dict]:
    """The training/evaluation windows of one record, as dicts of model inputs plus bookkeeping.

    Keys: input_ids, attention_mask, labels (label ids, -100 on special tokens), unknown (1 for
    label ids the record does not cover), record_index, token_start (document index of the
    window's first text token) and n_tokens (text tokens in the window).
    """
    doc = tokenize(tokenizer, record.text)
    tag2id = {t: i for i, t in enumerate(tag_names(labels))}
    tags = spans_to_bio(doc.offsets, [s for s in record.spans if s.label in labels])
    tag_ids = [tag2id[t] for t in tags]
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


def encode(records: Sequence[Record], tokenizer, labels: Sequence[str], max_length: int, stride: int, windows: str = "stride"):
    """All windows of all records as a ``datasets.Dataset`` (in record order)."""
    from datasets import Dataset

    rows = [w for i, r in enumerate(records) for w in encode_record(r, tokenizer, labels, max_length, stride, i, windows)]
    return Dataset.from_list(rows)


def with_specials(tokenizer, ids: list[int]) -> list[int]:
    """``[CLS] ids [SEP]`` (``<s> ids </s>`` for RoBERTa): the single-sequence layout of every
    encoder this project trains; text token k of a window sits at position k + 1."""
    if tokenizer.cls_token_id is None or tokenizer.sep_token_id is None:
        raise ValueError("the tokenizer has no CLS/SEP tokens; newsevents needs an encoder tokenizer")
    return [tokenizer.cls_token_id] + list(ids) + [tokenizer.sep_token_id]
