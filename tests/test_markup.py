"""Inline markup `[surface](LABEL)` is how we write the starter corpus by hand."""

import pytest

from newsevents.data.markup import MarkupError, parse_markup, read_markup_file, to_markup


def test_parse_and_back():
    marked = "[Kim Hong-kyun](ACTOR) [condemned](CONDEMNATION) “it” in [Seoul](ACTOR)."
    text, spans = parse_markup(marked)
    assert text == "Kim Hong-kyun condemned “it” in Seoul."
    assert [text[s.start : s.end] for s in spans] == ["Kim Hong-kyun", "condemned", "Seoul"]
    assert to_markup(text, spans) == marked


@pytest.mark.parametrize(
    "bad, message",
    [
        ("[Seoul](VISIT) met.", "unknown label"),
        ("[Seoul ](ACTOR) met.", "whitespace"),
        ("[Seoul met.", "unbalanced"),
    ],
)
def test_bad_markup_is_an_error(bad, message):
    with pytest.raises(MarkupError, match=message):
        parse_markup(bad)


def test_file_errors_name_file_and_line(tmp_path):
    f = tmp_path / "batch.md"
    f.write_text("# comment\n\n## a-1\n[Seoul](ACTOR) met.\n\n## a-2\n[Tokyo](PLACE) met.\n")
    with pytest.raises(MarkupError, match=rf"{f}:6: unknown label"):
        read_markup_file(f, {})
    f.write_text("## a-1\n[Seoul](ACTOR) met.\n")
    [record] = read_markup_file(f, {"source": "t"})
    assert (record.id, record.text, record.meta) == ("a-1", "Seoul met.", {"source": "t"})


def test_literal_brackets_round_trip():
    """News quotes carry editorial brackets ("[Assad] said"); markup escapes them as \\[ and \\]."""
    from newsevents.schema import Span

    text = 'He said "[Assad] has [no] doubt" to envoys.'
    spans = [Span(10, 15, "ACTOR"), Span(36, 42, "ACTOR")]
    marked = to_markup(text, spans)
    assert marked == 'He said "\\[[Assad](ACTOR)\\] has \\[no\\] doubt" to [envoys](ACTOR).'
    assert parse_markup(marked) == (text, spans)
