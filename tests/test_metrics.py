"""The one scorer: strict span F1 by hand-worked numbers, coverage masking, and agreement with seqeval."""

import pytest

from newsevents.data.markup import parse_markup
from newsevents.metrics import seqeval_scores, span_scores
from newsevents.schema import LABELS, Record, Span

ALL = list(LABELS)


def record(markup, labeled=ALL, rid="r"):
    text, spans = parse_markup(markup)
    return Record(rid, text, spans, {"labeled": list(labeled)})


GOLD = record("[Seoul](ACTOR) [summoned](MEETING) the [Russian ambassador](ACTOR) and [condemned](CONDEMNATION) it.")


def test_perfect_prediction():
    s = span_scores([GOLD], [GOLD.spans], ALL)
    assert s["micro"]["f1"] == 1.0 and s["macro"]["f1"] == 1.0


def test_empty_prediction():
    s = span_scores([GOLD], [[]], ALL)
    assert s["micro"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 4}


def test_partial_prediction_worked_by_hand():
    """Gold: 2 ACTOR, 1 MEETING, 1 CONDEMNATION. Predicted: Seoul (right), "ambassador" (wrong extent),
    summoned (right). ACTOR P=1/2 R=1/2 F1=.5; MEETING 1/1/1; CONDEMNATION P=0 R=0 F1=0.
    micro: tp=2 fp=1 fn=2 -> P=2/3 R=1/2 F1=4/7; macro F1 over 3 active labels = (.5+1+0)/3 = .5."""
    t = GOLD.text
    pred = [Span(0, 5, "ACTOR"), Span(t.index("ambassador"), t.index("ambassador") + 10, "ACTOR"), Span(6, 14, "MEETING")]
    s = span_scores([GOLD], [pred], ALL)
    assert s["per_label"]["ACTOR"]["f1"] == pytest.approx(0.5)
    assert s["per_label"]["MEETING"]["f1"] == 1.0
    assert s["per_label"]["CONDEMNATION"]["recall"] == 0.0
    assert s["micro"]["f1"] == pytest.approx(4 / 7)
    assert s["macro"]["f1"] == pytest.approx(0.5)


def test_labels_a_record_does_not_cover_are_not_scored():
    partial = record("[Seoul](ACTOR) [condemned](CONDEMNATION) it.", labeled=["CONDEMNATION"])
    pred = [Span(6, 15, "CONDEMNATION"), Span(19, 21, "ACTOR")]  # a spurious ACTOR: unknown here, not an error
    s = span_scores([partial], [pred], ALL)
    assert s["micro"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    assert s["per_label"]["ACTOR"]["support"] == 0


def test_span_scorer_agrees_with_strict_seqeval():
    """On word-aligned spans, char-offset scoring and seqeval strict IOB2 on word tags are the same numbers."""
    gold = [GOLD, record("[Kim](ACTOR) [met](MEETING) [Japan](ACTOR)’s [envoy](ACTOR) during [talks](MEETING).", rid="b")]
    t = gold[1].text
    preds = [
        [Span(0, 5, "ACTOR"), Span(6, 14, "MEETING"), Span(GOLD.text.index("Russian"), GOLD.text.index("Russian") + 7, "ACTOR")],
        [Span(0, 3, "ACTOR"), Span(4, 7, "CONDEMNATION"), Span(t.index("Japan"), t.index("envoy") + 5, "ACTOR"), Span(t.index("talks"), t.index("talks") + 5, "MEETING")],
    ]
    ours, theirs = span_scores(gold, preds, ALL), seqeval_scores(gold, preds, strict=True)
    for label in ALL:
        for k in ("precision", "recall", "f1", "support"):
            assert ours["per_label"][label][k] == pytest.approx(theirs["per_label"].get(label, {k: 0})[k]), (label, k)
    for avg in ("micro", "macro"):
        assert ours[avg]["f1"] == pytest.approx(theirs[avg]["f1"])


def test_lenient_mode_is_no_stricter():
    pred = [[Span(0, 5, "ACTOR"), Span(6, 14, "MEETING")]]
    assert seqeval_scores([GOLD], pred, strict=False)["micro"]["f1"] >= seqeval_scores([GOLD], pred)["micro"]["f1"]
