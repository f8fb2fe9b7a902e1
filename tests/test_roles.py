"""Roles (issue 18, guide decisions 73-77): who did what to whom, as standoff links between spans."""

import json

from conftest import REPO

from newsevents.schema import AUTHOR, Record, Role, Span, check_record, read_jsonl
from newsevents.validate import validate_files

SEED = REPO / "seeds" / "000_ae5ddc711bbf85ad.jsonl"


def links(record: Record) -> dict:
    """trigger surface (with its index among equal surfaces) -> sorted (role, actor surface)."""
    t, out, seen = record.text, {}, {}
    for start, end in sorted({r.event for r in record.roles}):
        word = t[start:end]
        seen[word] = seen.get(word, 0) + 1
        key = word if seen[word] == 1 else f"{word} #{seen[word]}"
        out[key] = sorted((r.role, t[r.actor[0]:r.actor[1]]) for r in record.roles if r.event == (start, end))
    return out


def test_the_seed_has_the_guides_roles_for_its_condemnations_summons_and_meeting():
    [seed] = read_jsonl(SEED)
    got = links(seed)
    assert got["summoned"] == [("SOURCE", "South Korea"), ("TARGET", "Russian ambassador")]
    assert got["meeting"] == [("PARTICIPANT", "South Korea’s Vice Foreign Minister Kim Hong-kyun"), ("PARTICIPANT", "ambassador Georgiy Zinoviev")]
    assert got["condemned"] == [("SOURCE", "South Korea’s Vice Foreign Minister Kim Hong-kyun"), ("TARGET", "Moscow"), ("TARGET", "Pyongyang")]
    assert got["condemned #2"] == [("SOURCE", "Japan"), ("SOURCE", "United States"), ("TARGET", "North Korea"), ("TARGET", "Russia")]
    assert {seed.text[a:b] for (a, b), v in seed.modality.items() if v == "hypothetical"} == {"deployed", "deployments", "assigned", "redeployed"}


def test_roles_round_trip_and_a_record_without_them_is_written_as_before():
    [seed] = read_jsonl(SEED)
    assert Record.from_dict(json.loads(json.dumps(seed.to_dict()))) == seed
    plain = Record("a", "Seoul met Tokyo.", [Span(0, 5, "ACTOR")], {"labeled": ["ACTOR"]})
    assert list(plain.to_dict()) == ["id", "text", "spans", "meta"]
    none_yet = Record("a", "Seoul met Tokyo.", [], {}, roles=[])
    assert none_yet.to_dict()["roles"] == []  # annotated for roles, and there are none


def test_a_role_must_point_at_spans_of_the_right_labels(tmp_path):
    spans = [{"start": 0, "end": 5, "label": "ACTOR"}, {"start": 6, "end": 9, "label": "MEETING"},
             {"start": 10, "end": 15, "label": "ACTOR"}]
    base = {"id": "a", "text": "Seoul met Tokyo.", "spans": spans, "meta": {"source": "t", "licence": "x", "labeled": []}}
    good = [{"event": [6, 9], "role": "PARTICIPANT", "actor": [0, 5]}, {"event": [6, 9], "role": "PARTICIPANT", "actor": [10, 15]}]
    assert check_record({**base, "roles": good}) == []
    cases = {
        "role 0: event [0, 5] is not a span of an event label": [{"event": [0, 5], "role": "SOURCE", "actor": [10, 15]}],
        "role 0: actor [6, 9] is not an ACTOR span": [{"event": [6, 9], "role": "PARTICIPANT", "actor": [6, 9]}],
        "role 0: MEETING has no role AGENT": [{"event": [6, 9], "role": "AGENT", "actor": [0, 5]}],
        "role 1: a meeting has participants or a direction": [good[0], {"event": [6, 9], "role": "TARGET", "actor": [10, 15]}],
        "role 1 repeats an earlier role": [good[0], good[0]],
    }
    path = tmp_path / "roles.jsonl"
    path.write_text("".join(json.dumps({**base, "roles": roles}) + "\n" for roles in cases.values()))
    problems = validate_files([path])
    for lineno, expected in enumerate(cases, 1):
        assert any(p.startswith(f"{path}:{lineno}: {expected}") for p in problems), (expected, problems)
    bad_modality = {**base, "modality": [{"event": [6, 9], "value": "maybe"}]}
    assert check_record(bad_modality) == ["modality 0: value 'maybe' is not one of negated, hypothetical"]


def test_the_author_of_a_statement_fills_a_role_without_a_span():
    spans = [{"start": 3, "end": 10, "label": "CONDEMNATION"}, {"start": 15, "end": 20, "label": "ACTOR"}]
    record = {"id": "a", "text": "We condemn the Hamas attack.", "spans": spans,
              "roles": [{"event": [3, 10], "role": "SOURCE", "actor": AUTHOR}, {"event": [3, 10], "role": "TARGET", "actor": [15, 20]}],
              "meta": {"source": "statedept", "licence": "x", "labeled": []}}
    assert check_record(record) == []
    assert Record.from_dict(record).roles[0] == Role((3, 10), "SOURCE", "author")
