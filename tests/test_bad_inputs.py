"""What bad input gets: one line naming the file (and line) and the problem, a non-zero exit, no
traceback, the other inputs still processed, and nothing outside the run directory changed.

Each row of CASES is one command a careful user might run (the numbers are those of the issue
that found them; "next" rows are the ones a careful user tries after). A row builds its inputs in a
fresh folder, runs the CLI in-process, and checks the exit code, a fragment of the message, and
that every file that existed before is byte for byte the same afterwards (``changes`` lists the
paths a row is allowed to write).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from newsevents.cli import main

from conftest import REPO

SEED = REPO / "seeds" / "000_ae5ddc711bbf85ad.txt"
TINY = REPO / "configs" / "tiny.yaml"
GOOD_LINE = json.dumps({"id": "g1", "text": "South Korea summoned the Russian ambassador.", "spans": [],
                        "meta": {"source": "t", "licence": "CC0-1.0", "labeled": ["ACTOR"]}})


@dataclass
class Case:
    id: str
    setup: Callable[[Path, Path], list[str]]  # (workspace, a copy of the tiny run) -> argv
    code: int
    message: str
    stdin: bytes | None = None
    changes: set = field(default_factory=set)  # workspace paths the command may create or change
    check: Callable[[Path], None] | None = None  # anything else to assert afterwards


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def _train(ws: Path, *extra: str) -> list[str]:
    return ["train", str(TINY), *extra]


def _decoy(ws: Path) -> Path:
    _write(ws / "decoy" / "thesis.docx", b"years of work")
    _write(ws / "decoy" / "config.yaml", "name: not-a-run\n")
    return ws / "decoy"


def _records(n_lines: list[str]) -> str:
    return "".join(line + "\n" for line in n_lines)


def _one_record_predicted(ws: Path) -> None:
    lines = (ws / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1


CASES = [
    # --- 1, 2, 7: training never removes what it did not make, and fails before it writes -----------
    Case("1 --overwrite a folder of someone's files", lambda ws, run: _train(ws, f"output_dir={_decoy(ws)}", "--overwrite"),
         1, "holds files newsevents did not write (thesis.docx)"),
    Case("1 --overwrite the checkout itself", lambda ws, run: _train(ws, f"output_dir={REPO}", "--overwrite"),
         1, "holds files newsevents did not write"),
    Case("2 failed --overwrite keeps the good run", lambda ws, run: _train(ws, f"output_dir={run}", "data.train=missing.jsonl", "--overwrite"),
         1, "missing.jsonl: no such file (config key data.train)"),
    Case("7 a failed start leaves nothing behind", lambda ws, run: _train(ws, f"output_dir={ws / 'new'}", f"data.dev={ws}"),
         1, "is a directory; config key data.dev must name a JSONL file", check=lambda ws: _nothing_at(ws, "new")),
    # --- 5: training data that cannot be trained on ------------------------------------------------
    Case("5 zero training records", lambda ws, run: _train(ws, f"output_dir={ws / 'r'}", f"data.train={_write(ws / 'e.jsonl', '')}"),
         1, "e.jsonl: no records (config key data.train)", check=lambda ws: _nothing_at(ws, "r")),
    Case("5 only span-less unlabelled records", lambda ws, run: _train(ws, f"output_dir={ws / 'r'}", f"data.train={_write(ws / 'u.jsonl', _records([json.dumps({'id': 'a', 'text': 'Seoul met.', 'spans': [], 'meta': {'labeled': []}})]))}"),
         1, "no record to train on (config key data.train): of 1 record(s), none has a span"),
    Case("5 an empty dev file", lambda ws, run: _train(ws, f"output_dir={ws / 'r'}", f"data.dev={_write(ws / 'dev.jsonl', chr(10) * 3)}"),
         1, "dev.jsonl: no records (config key data.dev)"),
    Case("5 a missing data file names its config key", lambda ws, run: _train(ws, f"output_dir={ws / 'r'}", f"data.dev={ws / 'nope.jsonl'}"),
         1, "nope.jsonl: no such file (config key data.dev)"),
    Case("5 a directory as the data file", lambda ws, run: _train(ws, f"output_dir={ws / 'r'}", f"data.train={ws}"),
         1, "is a directory; config key data.train must name a JSONL file"),
    # --- 3, 4: prediction output never replaces an input, and one bad input costs only itself ---------
    Case("3 latin-1 on stdin beside a good file", lambda ws, run: ["predict", str(run), "-", str(_write(ws / "good.txt", "Seoul met Tokyo.")), "-o", str(ws / "out.jsonl")],
         1, "-: not UTF-8 text (byte 9)", stdin="Seoul caf\xe9 talks.".encode("latin-1"), changes={"out.jsonl"}, check=_one_record_predicted),
    Case("4 -o over its own input", lambda ws, run: ["predict", str(run), str(_write(ws / "gold.jsonl", GOOD_LINE + "\n")), "-o", str(ws / "gold.jsonl"), "--overwrite"],
         1, "gold.jsonl: is also an input"),
    Case("4 -o over a file in an input folder", lambda ws, run: ["predict", str(run), str(_write(ws / "in" / "a.txt", "Seoul met.").parent), "-o", str(ws / "in" / "a.txt"), "--overwrite"],
         1, "a.txt: is also an input"),
    Case("4 -o over an existing file without --overwrite", lambda ws, run: ["predict", str(run), str(SEED), "-o", str(_write(ws / "old.jsonl", "mine\n"))],
         1, "old.jsonl: exists; pass --overwrite to replace it"),
    # --- 6: evaluation, damaged runs, output paths, deep JSON --------------------------------------
    Case("6 evaluate on an empty file", lambda ws, run: ["evaluate", str(run), str(_write(ws / "empty.jsonl", "")), "--out", str(ws / "ev")],
         1, "empty.jsonl: no records to evaluate", check=lambda ws: _nothing_at(ws, "ev")),
    Case("6 a damaged model.safetensors", lambda ws, run: ["predict", str(_damage(run, "model.safetensors", b"\xff" * 64)), str(SEED)],
         1, "model.safetensors: damaged weights file"),
    Case("6 -o a directory", lambda ws, run: ["predict", str(run), str(SEED), "-o", str(ws)],
         1, ": is a directory; give a file name to write to"),
    Case("6 validate deeply nested JSON", lambda ws, run: ["data", "validate", str(_write(ws / "deep.jsonl", "[" * 100_000 + "]" * 100_000 + "\n"))],
         1, "deep.jsonl:1: bad JSON: nested too deeply to read"),
    # --- 8: prediction input in JSONL needs only text; a bad line costs only that line ---------------
    Case("8 JSONL without gold spans, one bad line among good ones", lambda ws, run: ["predict", str(run), str(_write(ws / "in.jsonl", _records([json.dumps({"text": "Seoul met Tokyo."}), "{broken", json.dumps({"id": "b", "text": "Tokyo condemned it.", "spans": [{"start": 99}]})]))), "-o", str(ws / "out.jsonl")],
         1, "in.jsonl:2: bad JSON", changes={"out.jsonl"},
         check=lambda ws: _ids(ws / "out.jsonl", ["in:1", "b"])),
    # --- 9: empty files and stdin, inputs given twice, the same name in two folders ----------------
    Case("9 validate a 0-byte file", lambda ws, run: ["data", "validate", str(_write(ws / "zero.jsonl", ""))], 1, "zero.jsonl: empty file, no records"),
    Case("9 validate a blank-only file", lambda ws, run: ["data", "validate", str(_write(ws / "blank.jsonl", "\n  \n"))], 1, "blank.jsonl: empty file, no records"),
    Case("9 validate a directory", lambda ws, run: ["data", "validate", str(ws)], 1, ": is a directory, not a JSONL file"),
    Case("9 empty stdin", lambda ws, run: ["predict", str(run), "-", str(SEED), "-o", str(ws / "out.jsonl")],
         1, "-: empty input (skipped)", stdin=b"", changes={"out.jsonl"}, check=_one_record_predicted),
    Case("9 stdin given twice", lambda ws, run: ["predict", str(run), "-", "-", "-o", str(ws / "out.jsonl")],
         1, "-: given more than once; read once", stdin=b"Seoul met Tokyo.", changes={"out.jsonl"}, check=_one_record_predicted),
    Case("9 the same file name in two folders", lambda ws, run: ["predict", str(run), str(_write(ws / "d1" / "a.txt", "Seoul met.").parent), str(_write(ws / "d2" / "a.txt", "Tokyo met.").parent), "-o", str(ws / "out.jsonl")],
         0, "", changes={"out.jsonl"}, check=lambda ws: _ids(ws / "out.jsonl", [f"{ws}/d1/a", f"{ws}/d2/a"])),
    Case("9 the same id in two JSONL files", lambda ws, run: ["predict", str(run), str(_write(ws / "x.jsonl", GOOD_LINE + "\n")), str(_write(ws / "y.jsonl", GOOD_LINE + "\n")), "-o", str(ws / "out.jsonl")],
         1, "y.jsonl:1: id 'g1' is already taken in this output; written as 'g1#2'", changes={"out.jsonl"},
         check=lambda ws: _ids(ws / "out.jsonl", ["g1", "g1#2"])),
    # --- next: what a careful user tries after the list above --------------------------------------
    Case("next --overwrite with --resume", lambda ws, run: _train(ws, f"output_dir={run}", "--overwrite", "--resume"),
         1, "--overwrite and --resume exclude each other"),
    Case("next --overwrite a file", lambda ws, run: _train(ws, f"output_dir={_write(ws / 'notes.txt', 'mine')}", "--overwrite"),
         1, "notes.txt: exists and is not a directory"),
    Case("next a window no longer than its stride", lambda ws, run: _train(ws, f"output_dir={ws / 'r'}", "model.max_length=18"),
         1, "config keys 'model.max_length' (18) and 'model.stride' (16)"),
    Case("next a lone surrogate in a JSONL text", lambda ws, run: ["predict", str(run), str(_write(ws / "s.jsonl", '{"id": "s", "text": "Seoul \\ud800 met."}\n' + GOOD_LINE + "\n")), "-o", str(ws / "out.jsonl")],
         1, "s.jsonl:1: text is not valid Unicode: a lone surrogate at character 6 (skipped)", changes={"out.jsonl"}, check=_one_record_predicted),
    Case("next validate a lone surrogate", lambda ws, run: ["data", "validate", str(_write(ws / "s.jsonl", GOOD_LINE.replace("Russian", "\\udc80") + "\n"))],
         1, "s.jsonl:1: text is not valid Unicode"),
    Case("next -o into a folder that does not exist", lambda ws, run: ["predict", str(run), str(SEED), "-o", str(ws / "no" / "out.jsonl")],
         1, "no such directory for the output out.jsonl"),
    Case("next a folder without .txt files", lambda ws, run: ["predict", str(run), str(_write(ws / "pdfs" / "a.pdf", b"%PDF").parent), str(SEED), "-o", str(ws / "out.jsonl")],
         1, "pdfs: no .txt file in this directory (skipped)", changes={"out.jsonl"}, check=_one_record_predicted),
    Case("next evaluate --out over someone's report", lambda ws, run: ["evaluate", str(run), str(REPO / "data" / "starter" / "dev.jsonl"), "--out", str(_write(ws / "mine" / "report.md", "my notes").parent)],
         1, "holds report.md that no evaluation wrote"),
    Case("next score against a missing prediction file", lambda ws, run: ["score", str(REPO / "seeds" / "000_ae5ddc711bbf85ad.jsonl"), str(ws / "p.jsonl")],
         1, "p.jsonl: no such file"),
    Case("next a damaged tokenizer.json", lambda ws, run: ["predict", str(_damage(run, "tokenizer.json", b"{not json")), str(SEED)],
         1, "tokenizer.json: cannot load the run's tokenizer"),
    Case("next export over the run's own weights", lambda ws, run: ["export", str(run), "--out", str(run / "model.safetensors"), "--overwrite"],
         1, "model.safetensors: is also an input"),
]


def _damage(run: Path, name: str, content: bytes) -> Path:
    (run / name).write_bytes(content)
    return run


def _nothing_at(ws: Path, name: str) -> None:
    assert not (ws / name).exists() and not (ws / f"{name}.partial").exists()


def _ids(path: Path, expected: list[str]) -> None:
    assert [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()] == expected


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gets_one_clear_line_and_loses_nothing(case: Case, tiny_run, tmp_path, capsys, monkeypatch):
    ws = tmp_path / "ws"
    ws.mkdir()
    run = ws / "run"
    shutil.copytree(tiny_run[0], run)
    argv = case.setup(ws, run)
    if case.stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(case.stdin), encoding="utf-8"))
    before, repo_before = snapshot(ws), _repo_state()
    capsys.readouterr()
    code = main(["-q", *argv])
    captured = capsys.readouterr()
    err = captured.out + captured.err  # data validate prints its problem lines on stdout
    assert code == case.code, err
    assert case.message in err, err
    assert "Traceback" not in err
    after = snapshot(ws)
    assert {k: v for k, v in after.items() if k in before} == before, "a file that existed before was changed or removed"
    assert set(after) - set(before) <= case.changes, f"unexpected new files: {set(after) - set(before) - case.changes}"
    assert _repo_state() == repo_before, "the command changed the checkout"
    if case.check:
        case.check(ws)


def _repo_state() -> str:
    """The checkout's tracked and untracked files as git sees them (ignored build outputs aside)."""
    return subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True).stdout


# --- rows that need a real training run -------------------------------------------------------------


def test_a_failed_start_leaves_nothing_and_the_corrected_command_just_works(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["-q", "train", str(TINY), f"output_dir={out}", "data.train=missing.jsonl", "train.num_train_epochs=1"]) == 1
    assert not out.exists() and not (tmp_path / "run.partial").exists()
    assert main(["-q", "train", str(TINY), f"output_dir={out}", "train.num_train_epochs=1"]) == 0  # no --overwrite needed
    assert (out / "model.safetensors").is_file() and not (tmp_path / "run.partial").exists()


def test_a_successful_overwrite_replaces_the_run_whole(tiny_run, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(tiny_run[0], run)
    (run / "eval").mkdir()
    (run / "eval" / "metrics.json").write_text("{}")  # an old evaluation: the project's own, replaced with its run
    before = (run / "model.safetensors").read_bytes()
    assert main(["-q", "train", str(TINY), f"output_dir={run}", "train.num_train_epochs=1", "seed=99", "--overwrite"]) == 0
    assert (run / "model.safetensors").read_bytes() != before and not (run / "eval").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no staging or previous sibling left


def test_kill_9_during_overwrite_leaves_the_old_run_loadable(tiny_run, tmp_path):
    from newsevents.predict import Predictor

    run = tmp_path / "run"
    shutil.copytree(tiny_run[0], run)
    before = snapshot(run)
    proc = subprocess.Popen([sys.executable, "-m", "newsevents", "-q", "train", str(TINY), f"output_dir={run}", "--overwrite",
                             "train.num_train_epochs=200", "early_stopping_patience=1000"],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        while not list((tmp_path / "run.partial" / "checkpoints").glob("checkpoint-*")) and time.time() < deadline:
            assert proc.poll() is None, "training ended before it could be killed"
            time.sleep(0.2)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert list((tmp_path / "run.partial" / "checkpoints").glob("checkpoint-*")), "no checkpoint within 120 s"
    assert snapshot(run) == before
    Predictor.from_run_dir(run).predict(["Seoul met Tokyo."])


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch, capsys):
    from newsevents import predict

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(predict.Predictor, "from_run_dir", interrupted)
    assert main(["predict", "models/any", str(SEED)]) == 130
    assert capsys.readouterr().err.strip() == "interrupted"


# --- 10, 11: what predict reports about what it read ------------------------------------------------


def test_tokens_read_counts_the_tokens_a_window_reached(tiny_run, monkeypatch):
    from newsevents.predict import Predictor

    p = Predictor.from_run_dir(tiny_run[0])
    text = " ".join([SEED.read_text(encoding="utf-8")] * 2)
    _, [(total, read)] = p.predict([text], return_tokens=True)
    assert total == read > 0
    full = p._bounds
    monkeypatch.setattr(p, "_bounds", lambda t, doc: full(t, doc)[:-1])  # a reading that skips the last window
    with pytest.raises(ValueError, match="do not cover every token"):
        p.predict([text], return_tokens=True)  # refused: never reported as read whole


def test_a_200000_character_token_never_becomes_a_span(tiny_run):
    from newsevents.decode import MAX_TOKEN_CHARS, decode
    from newsevents.features import tokenize
    from newsevents.predict import Predictor

    p = Predictor.from_run_dir(tiny_run[0])
    text = "Seoul " + "x" * 200_000 + " met Tokyo."
    doc = tokenize(p.tokenizer, text)
    assert max(e - s for s, e in doc.offsets) == 200_000  # the tokenizer maps it to one [UNK]
    n = len(doc.ids)
    sure_actor = np.tile(np.eye(len(p.labels) * 2 + 1)[1] * 9.0, (n + 2, 1))  # logits: every token B-ACTOR
    spans = decode(doc, [(0, n, sure_actor)], p.labels)
    assert spans and all(s.end - s.start <= MAX_TOKEN_CHARS for s in spans)
    assert all(s.end - s.start <= MAX_TOKEN_CHARS for s in p.predict([text])[0])


def test_atomic_writes_keep_the_mode_a_plain_write_would_give(tmp_path):
    from newsevents.safeio import write_text

    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    new = write_text(tmp_path / "new.txt", "x")
    assert new.stat().st_mode == plain.stat().st_mode  # not mkstemp's private 0600
    os.chmod(plain, 0o640)
    write_text(plain, "y")
    assert plain.stat().st_mode & 0o777 == 0o640 and plain.read_text() == "y"
