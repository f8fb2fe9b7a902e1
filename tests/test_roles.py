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
    odd = [{"event": {"start": 6}, "role": ["SOURCE"], "actor": [[0], [5]]}]  # any JSON at all: a line, never a crash
    assert check_record({**base, "roles": odd})[:2] == ["role 0: event {'start': 6} is not a span of an event label (DEPLOYMENT, MEETING, CONDEMNATION)",
                                                        "role 0: actor [[0], [5]] is not an ACTOR span"]
    bad_modality = {**base, "modality": [{"event": [6, 9], "value": "maybe"}]}
    assert check_record(bad_modality) == ["modality 0: value 'maybe' is not one of negated, hypothetical"]


def test_the_author_of_a_statement_fills_a_role_without_a_span():
    spans = [{"start": 3, "end": 10, "label": "CONDEMNATION"}, {"start": 15, "end": 20, "label": "ACTOR"}]
    record = {"id": "a", "text": "We condemn the Hamas attack.", "spans": spans,
              "roles": [{"event": [3, 10], "role": "SOURCE", "actor": AUTHOR}, {"event": [3, 10], "role": "TARGET", "actor": [15, 20]}],
              "meta": {"source": "statedept", "licence": "x", "labeled": []}}
    assert check_record(record) == []
    assert Record.from_dict(record).roles[0] == Role((3, 10), "SOURCE", "author")


def fill(sheet: str, record: Record) -> str:
    """The worksheet filled in with the record's own roles, as an annotator would write them."""
    from newsevents.data.roles import numbered

    actors, events = numbered(record)
    ids = {(a.start, a.end): f"A{k}" for k, a in enumerate(actors, 1)}
    lines = []
    for line in sheet.splitlines():
        for k, e in enumerate(events, 1):
            if line.startswith(f"E{k} {e.label} "):
                by_role = {}
                for r in record.roles:
                    if r.event == (e.start, e.end):
                        by_role.setdefault(r.role, []).append(r.actor if isinstance(r.actor, str) else ids[r.actor])
                spec = "; ".join(f"{role} {', '.join(fillers)}" for role, fillers in by_role.items())
                mod = record.modality.get((e.start, e.end))
                line += " " + spec + (f" | {mod}" if mod else "")
        lines.append(line)
    return "\n".join(lines) + "\n"


def test_a_filled_worksheet_reads_back_as_the_roles_it_was_filled_with(tmp_path):
    from newsevents.cli import main

    [seed] = read_jsonl(SEED)
    sheet = tmp_path / "seed-roles.md"
    assert main(["-q", "data", "roles-export", "--records", str(SEED), "--out", str(sheet)]) == 0
    sheet.write_text(fill(sheet.read_text(encoding="utf-8"), seed), encoding="utf-8")
    out = tmp_path / "roles.jsonl"
    assert main(["-q", "data", "roles-import", str(sheet), "--annotator", "t", "--records", str(SEED), "--out", str(out)]) == 0
    [line] = [json.loads(x) for x in out.read_text().splitlines()]
    assert sorted(map(str, line["roles"])) == sorted(str(r.to_dict()) for r in seed.roles)
    assert {tuple(m["event"]): m["value"] for m in line["modality"]} == seed.modality
    assert main(["-q", "data", "roles-agreement", str(out), str(out), "--records", str(SEED)]) == 0


def test_a_worksheet_naming_an_actor_that_does_not_exist_fails_with_the_event(tmp_path, capsys):
    from newsevents.cli import main

    sheet = tmp_path / "s.md"
    main(["-q", "data", "roles-export", "--records", str(SEED), "--out", str(sheet)])
    sheet.write_text(sheet.read_text(encoding="utf-8").replace('"summoned":', '"summoned": SOURCE A99'), encoding="utf-8")
    assert main(["-q", "data", "roles-import", str(sheet), "--annotator", "t", "--records", str(SEED), "--out", str(tmp_path / "o.jsonl")]) == 1
    assert "seed/000_ae5ddc711bbf85ad E1: 'A99' is neither an actor id" in capsys.readouterr().err
    assert not (tmp_path / "o.jsonl").exists()


def test_roles_join_their_record_only_when_the_text_hash_matches():
    import pytest

    from newsevents.data.build import add_roles
    from newsevents.data.gold import text_sha256

    [seed] = read_jsonl(SEED)
    plain = Record(seed.id, seed.text, seed.spans, seed.meta)
    line = {"id": seed.id, "sha256": text_sha256(seed.text), "roles": [r.to_dict() for r in seed.roles], "modality": []}
    add_roles(plain, "roles.jsonl:1", line)
    assert plain.roles == seed.roles
    with pytest.raises(ValueError, match="roles.jsonl:1: sha256 of seed/000_ae5ddc711bbf85ad does not match"):
        add_roles(Record(seed.id, seed.text + " ", seed.spans, seed.meta), "roles.jsonl:1", line)
    with pytest.raises(ValueError, match="roles.jsonl:2: seed/000_ae5ddc711bbf85ad: role 0 must have"):
        add_roles(Record(seed.id, seed.text, seed.spans, seed.meta), "roles.jsonl:2", dict(line, roles=[{"event": [16, 24]}]))


def test_the_positional_baseline_is_the_event_records_before_and_after_rule():
    from newsevents.linking import positional_roles
    from newsevents.output import events

    [seed] = read_jsonl(SEED)
    spans = [dict(s.to_dict(), text=seed.text[s.start:s.end], score=1.0) for s in seed.spans]
    from_events = {((e["start"], e["end"]), role, (a["start"], a["end"]))
                   for e in events(seed.text, spans) for role, side in (("SOURCE", "actors_before"), ("TARGET", "actors_after")) for a in e[side]}
    assert {(r.event, r.role, r.actor) for r in positional_roles(seed)} == from_events


def test_evaluate_scores_the_positional_baseline_where_the_data_has_roles(tiny_run, tmp_path):
    from newsevents.evaluate import evaluate

    m = evaluate(tiny_run[0], SEED, tmp_path / "eval", n_bootstrap=0)
    given = m["roles"]["positional_given_gold_spans"]
    assert m["roles"]["documents"] == 1 and set(given["per_event"]) == {"MEETING", "DEPLOYMENT", "CONDEMNATION"}
    assert 0.5 < given["macro"]["f1"] < 0.6  # the seed: 0.557, far from its gold roles (guide, "Roles")
    assert "roles, positional rule (the baseline), 1 documents" in (tmp_path / "eval" / "report.md").read_text()
