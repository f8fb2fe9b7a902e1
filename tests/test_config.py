"""Configs: every shipped file loads, experiment files extend base, overrides win, mistakes are errors."""

from pathlib import Path

import pytest

from newsevents.config import ConfigError, load_config

from conftest import REPO

CONFIGS = sorted((REPO / "configs").glob("*.yaml")) + sorted((REPO / "configs" / "exp").glob("*.yaml"))


@pytest.mark.parametrize("path", CONFIGS, ids=[p.name for p in CONFIGS])
def test_every_run_config_loads(path):
    cfg = load_config(path)
    assert cfg.labels and cfg.model.max_length > cfg.model.stride


def test_experiment_file_holds_only_differences(tmp_path):
    exp = tmp_path / "exp.yaml"
    exp.write_text(f"extends: {REPO / 'configs' / 'base.yaml'}\nseed: 99\ntrain:\n  num_train_epochs: 1\n")
    cfg = load_config(exp)
    base = load_config(REPO / "configs" / "base.yaml")
    assert cfg.seed == 99 and cfg.train["num_train_epochs"] == 1
    assert cfg.train["learning_rate"] == base.train["learning_rate"] and cfg.model == base.model


def test_dotted_override_wins_and_parses_types():
    cfg = load_config(REPO / "configs" / "base.yaml", ["model.stride=32", "train.learning_rate=1e-4", "model.name=null"])
    assert cfg.model.stride == 32 and cfg.train["learning_rate"] == 1e-4 and cfg.model.name is None


@pytest.mark.parametrize(
    "override, message",
    [
        ("sed=1", "unknown config key 'sed'"),
        ("model.strid=3", "unknown config key 'model.strid'"),
        ("seed=abc", "'seed' must be int"),
        ("model.max_length=1.5", "'model.max_length' must be int"),
        ("train.learnig_rate=0.1", "unknown TrainingArguments key"),
        ("train.num_train_epochs=many", "'train.num_train_epochs' must be int"),
        ("seed", "not key=value"),
        ("model.windows=sentence", "'model.windows' must be 'stride' or 'sentences'"),
        ("distill.temprature=1", "unknown config key 'distill.temprature'"),
        ("precision=fp16", "'precision' must be one of"),
        ("train.bf16=true", "set the training arithmetic with 'precision'"),
        ("labels=[]", "'labels' must be a non-empty list"),
    ],
)
def test_mistakes_are_errors_naming_the_key(override, message):
    with pytest.raises(ConfigError, match=message):
        load_config(REPO / "configs" / "base.yaml", [override])


def test_unknown_key_in_a_file_is_an_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {REPO / 'configs' / 'base.yaml'}\nmodle:\n  name: x\n")
    with pytest.raises(ConfigError, match="modle"):
        load_config(bad)
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "missing.yaml")
