"""Char spans <-> IOB2 tags: round trips over nasty cases, loud snapping, overlaps rejected."""

import re
import warnings

import pytest

from newsevents.bio import MisalignedSpanWarning, bio_to_spans, spans_to_bio, tag_names
from newsevents.data.markup import parse_markup
from newsevents.schema import Span


def words(text):
    """Whitespace-and-punctuation tokens with offsets, like a pre-tokenizer would give."""
    return [(m.start(), m.end()) for m in re.finditer(r"\w+(?:[-’']\w+)*|[^\w\s]", text)]


CASES = {
    "span at 0": "[Seoul](ACTOR) summoned the envoy.",
    "span at end of text": "The envoy was [summoned](MEETING)",
    "adjacent spans": "[Seoul](ACTOR) [summoned](MEETING) [envoys](ACTOR)",
    "curly quotes": "[Kim](ACTOR) said “[Seoul](ACTOR) will [condemn](CONDEMNATION) it.”",
    "non-ASCII names": "[Vice Foreign Minister Kim Hong-kyun](ACTOR) met [Zinovjev Ørsted](ACTOR) in Zürich.",
    "possessive with curly apostrophe": "[South Korea’s intelligence agency](ACTOR) said so.",
    "one multi-token span": "[North Korean special forces units](ACTOR) [arrived](DEPLOYMENT).",
    "no spans": "Nothing happened today.",
}


@pytest.mark.parametrize("markup", CASES.values(), ids=CASES.keys())
def test_round_trip(markup):
    text, spans = parse_markup(markup)
    offsets = words(text)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # token-aligned spans must not warn
        assert bio_to_spans(offsets, spans_to_bio(offsets, spans)) == spans


def test_empty_article():
    assert spans_to_bio([], []) == []
    assert bio_to_spans([], []) == []


def test_adjacent_spans_give_two_b_tags():
    offsets = [(0, 5), (5, 13)]
    assert spans_to_bio(offsets, [Span(0, 5, "ACTOR"), Span(5, 13, "MEETING")]) == ["B-ACTOR", "B-MEETING"]


def test_span_splitting_a_word_is_snapped_with_a_warning():
    text = "Hong-kyun met"
    offsets = [(0, 9), (10, 13)]  # "Hong-kyun" is one token
    with pytest.warns(MisalignedSpanWarning, match="splits a token"):
        tags = spans_to_bio(offsets, [Span(5, 9, "ACTOR")])  # "kyun" only
    assert tags == ["B-ACTOR", "O"]
    assert bio_to_spans(offsets, tags) == [Span(0, 9, "ACTOR")]


def test_span_over_no_token_warns_and_is_not_dropped_silently():
    with pytest.warns(MisalignedSpanWarning, match="covers no token"):
        assert spans_to_bio([(0, 3)], [Span(5, 8, "ACTOR")]) == ["O"]


def test_overlapping_spans_are_rejected():
    with pytest.raises(ValueError, match="overlapping"):
        spans_to_bio([(0, 5), (6, 9)], [Span(0, 9, "ACTOR"), Span(6, 9, "MEETING")])


def test_special_tokens_without_offsets_are_o_and_end_spans():
    offsets = [None, (0, 5), (0, 0), (6, 9), None]
    tags = spans_to_bio(offsets, [Span(0, 5, "ACTOR")])
    assert tags == ["O", "B-ACTOR", "O", "O", "O"]
    assert bio_to_spans(offsets, ["O", "B-ACTOR", "I-ACTOR", "I-ACTOR", "O"]) == [Span(0, 5, "ACTOR"), Span(6, 9, "ACTOR")]


def test_decoder_reads_stray_i_as_a_new_span_and_b_i_mismatch_as_two():
    offsets = [(0, 5), (6, 9), (10, 15)]
    assert bio_to_spans(offsets, ["O", "I-MEETING", "I-MEETING"]) == [Span(6, 15, "MEETING")]
    assert bio_to_spans(offsets, ["B-ACTOR", "I-MEETING", "O"]) == [Span(0, 5, "ACTOR"), Span(6, 9, "MEETING")]


def test_tag_names_follow_label_order():
    assert tag_names(["MEETING", "ACTOR"]) == ["O", "B-MEETING", "I-MEETING", "B-ACTOR", "I-ACTOR"]
