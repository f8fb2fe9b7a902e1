"""Gold annotations are standoff (offsets + sha256 of the raw text); a changed text is a loud error."""

import json

import pytest

from newsevents.data.gold import GoldError, export_markup, import_markup, load_gold, text_sha256
from newsevents.schema import Record, Span

DOCS = {
    "m2e2/A": Record("m2e2/A", "Seoul summoned the envoy [sic] on Monday.\nTalks followed.", [], {"source": "m2e2", "licence": "PD"}),
    "re3d/B": Record("re3d/B", "The UN condemned the attack.", [], {"source": "re3d", "licence": "PD"}),
}


def annotated(tmp_path):
    """Export (pre-annotated), correct one document by editing markup only, import."""
    markup = export_markup(list(DOCS.values()), [[Span(0, 5, "ACTOR")], []])
    markup = markup.replace("The UN condemned", "The [UN](ACTOR) [condemned](CONDEMNATION)")
    path = tmp_path / "batch.md"
    path.write_text(markup, encoding="utf-8")
    return path


def test_export_import_round_trip_keeps_offsets_and_brackets(tmp_path):
    lines = import_markup(annotated(tmp_path), DOCS, annotator="a1")
    by_id = {x["id"]: x for x in lines}
    assert by_id["m2e2/A"]["spans"] == [{"start": 0, "end": 5, "label": "ACTOR"}]
    assert [DOCS["re3d/B"].text[s["start"]:s["end"]] for s in by_id["re3d/B"]["spans"]] == ["UN", "condemned"]
    assert by_id["re3d/B"]["sha256"] == text_sha256(DOCS["re3d/B"].text)
    assert all("text" not in x for x in lines)  # standoff: never the raw text


def test_markup_whose_text_was_edited_is_refused(tmp_path):
    path = annotated(tmp_path)
    path.write_text(path.read_text().replace("on Monday", "on Tuesday"), encoding="utf-8")
    with pytest.raises(GoldError, match="text differs from the raw document at char"):
        import_markup(path, DOCS, annotator="a1")


def test_hash_guard_on_join(tmp_path):
    standoff = tmp_path / "gold.jsonl"
    standoff.write_text("".join(json.dumps(x) + "\n" for x in import_markup(annotated(tmp_path), DOCS, "a1")))
    [a, b] = load_gold(standoff, DOCS, split="test")
    assert (b.text[b.spans[0].start : b.spans[0].end], b.meta["gold"]) == ("UN", "test")
    changed = dict(DOCS, **{"re3d/B": Record("re3d/B", "The UN condemned the attacks.", [], {})})
    with pytest.raises(GoldError, match=rf"{standoff}:2: sha256 of re3d/B does not match"):
        load_gold(standoff, changed, split="test")


def test_unknown_document_is_an_error(tmp_path):
    standoff = tmp_path / "gold.jsonl"
    standoff.write_text(json.dumps({"id": "m2e2/Z", "sha256": "0", "spans": [], "labeled": []}) + "\n")
    with pytest.raises(GoldError, match="m2e2/Z"):
        load_gold(standoff, DOCS, split="dev")
