"""Shared fixtures: paths to the repo, its hand-written fixtures and (when present) ../shared/data/raw."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SHARED_RAW = REPO.parent / "shared" / "data" / "raw"


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def shared_raw() -> Path:
    """The public corpora beside the checkout; tests that need them skip when they are absent."""
    if not SHARED_RAW.is_dir():
        pytest.skip(f"{SHARED_RAW} not present (raw corpora are never committed)")
    return SHARED_RAW


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    """A tiny model trained for one epoch on the starter corpus: (run_dir, in-memory model)."""
    from newsevents.config import load_config
    from newsevents.train import train

    out = tmp_path_factory.mktemp("tiny") / "run"
    cfg = load_config(REPO / "configs" / "tiny.yaml", [f"output_dir={out}", "train.num_train_epochs=1"])
    return train(cfg)
