"""Readers that turn each raw public corpus into records of our format, one small module each.

Every module exposes ``read(raw_dir: Path, cfg: dict) -> Iterator[Record]``, where ``cfg`` is the
source's mapping file ``configs/data/<name>.yaml`` loaded as a dict (it names the files under
``raw_dir``, the licence, the labels the source covers, and how its labels map to ours).
Record ids are ``<name>/<id in the source>``, so any document can be found again by id.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Iterator

import yaml

from newsevents.schema import Record

SOURCES = ("m2e2", "re3d", "geneva", "framenet", "statedept", "whitehouse")
CONFIG_DIR = Path("configs/data")


def load_source_config(name: str, config_dir: str | Path = CONFIG_DIR) -> dict:
    """The mapping file of one source as a dict."""
    path = Path(config_dir) / f"{name}.yaml"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no mapping file for source {name!r}")
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def read_source(name: str, raw_dir: str | Path, cfg: dict | None = None) -> Iterator[Record]:
    """Records of source ``name`` read from ``raw_dir`` (``data/raw`` by default in the CLI)."""
    if name not in SOURCES:
        raise ValueError(f"unknown source {name!r}; known: {', '.join(SOURCES)}")
    module = importlib.import_module(f"newsevents.sources.{name}")
    return module.read(Path(raw_dir), cfg if cfg is not None else load_source_config(name))
