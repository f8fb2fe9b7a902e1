"""`newsevents data validate` reports each problem as FILE:LINE: problem and exits 1, never a traceback."""

import json

from newsevents.cli import main
from newsevents.schema import RecordError, read_jsonl
from newsevents.validate import validate_files

import pytest

from conftest import FIXTURES

BAD = FIXTURES / "bad.jsonl"


def test_every_bad_case_gets_one_line_naming_file_and_line():
    problems = validate_files([BAD])
    expected = {
        2: "bad JSON",
        3: "missing field 'id'",
        4: "out of range",
        5: "end <= start",
        6: "overlaps span 0",
        7: "label 'VISIT' not in the schema",
        8: "starts or ends with whitespace",
        9: "empty text",
        10: "duplicate id 'ok-1'",
        11: "missing field 'meta.source'",
    }
    assert len(problems) == len(expected)
    for line, fragment in expected.items():
        [hit] = [p for p in problems if p.startswith(f"{BAD}:{line}: ")]
        assert fragment in hit


def test_cli_exit_status_and_output(capsys):
    assert main(["data", "validate", str(BAD)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 10 and all(line.startswith(f"{BAD}:") for line in out)


def test_valid_file_passes(tmp_path, capsys):
    good = tmp_path / "good.jsonl"
    good.write_text(BAD.read_text().splitlines()[0] + "\n")
    assert main(["data", "validate", str(good)]) == 0


def test_binary_and_missing_files_are_problems_not_tracebacks(tmp_path):
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage\n")
    problems = validate_files([binary, tmp_path / "nope.jsonl"])
    assert problems[0].startswith(f"{binary}:1: not UTF-8")
    assert problems[1] == f"{tmp_path / 'nope.jsonl'}: no such file"


def test_non_object_lines_and_wrong_types(tmp_path):
    f = tmp_path / "types.jsonl"
    meta = {"source": "t", "licence": "x", "labeled": []}
    lines = [
        [1, 2],
        {"id": "a", "text": 5, "spans": [], "meta": meta},
        {"id": "b", "text": "Seoul", "spans": [{"start": "0", "end": 5, "label": "ACTOR"}], "meta": meta},
        {"id": "c", "text": "Seoul", "spans": [], "meta": {**meta, "labeled": ["VISIT"]}},
    ]
    f.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    problems = validate_files([f])
    assert [p.split(": ", 1)[0] for p in problems] == [f"{f}:{i}" for i in (1, 2, 3, 4)]


def test_read_jsonl_raises_with_file_and_line():
    with pytest.raises(RecordError, match=rf"{BAD}:2: bad JSON"):
        read_jsonl(BAD)
