"""The thin CLI: `newsevents score` uses the one scorer; `python -m newsevents` is the same program."""

import json
import subprocess
import sys

from newsevents.cli import main

from conftest import REPO

SEED_GOLD = REPO / "seeds" / "000_ae5ddc711bbf85ad.jsonl"


def test_score_a_prediction_file_matched_by_text(tmp_path, capsys):
    [gold] = [json.loads(line) for line in SEED_GOLD.read_text().splitlines()]
    plain = {k: v for k, v in gold.items() if k not in ("roles", "modality")}  # predictions carry no gold roles
    pred = dict(plain, id="another-id", spans=gold["spans"][:10])  # a prediction under another id
    (tmp_path / "p.jsonl").write_text(json.dumps(pred) + "\n")
    assert main(["score", str(SEED_GOLD), str(tmp_path / "p.jsonl"), "--bootstrap", "0"]) == 0
    out = capsys.readouterr().out
    micro = next(line for line in out.splitlines() if line.startswith("micro")).split()
    assert float(micro[1]) == 1.0 and float(micro[2]) == round(10 / 48, 3)


def test_score_refuses_a_prediction_for_another_text(tmp_path, capsys):
    (tmp_path / "p.jsonl").write_text(json.dumps({"id": "x", "text": "Other.", "spans": []}) + "\n")
    assert main(["score", str(SEED_GOLD), str(tmp_path / "p.jsonl")]) == 1
    assert "no prediction" in capsys.readouterr().err


def test_python_dash_m_runs_the_same_cli():
    proc = subprocess.run([sys.executable, "-m", "newsevents", "data", "validate", str(SEED_GOLD)], capture_output=True, text=True)
    assert proc.returncode == 0 and "no problems" in proc.stderr
