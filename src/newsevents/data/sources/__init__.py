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
    module = importlib.import_module(f"newsevents.data.sources.{name}")
    return module.read(Path(raw_dir), cfg if cfg is not None else load_source_config(name))


def raw_dirs(cfg: dict) -> list[str]:
    """The folders directly under ``raw_dir`` that a source's mapping file reads (its ``files``).

    >>> raw_dirs({"files": {"zip": "m2e2/a.zip", "members": ["m2e2_annotations/x.json"]}})
    ['m2e2']
    >>> raw_dirs({"files": ["state-dept-press/releases.jsonl"]})
    ['state-dept-press']
    """
    files = cfg.get("files", [])
    paths = [files] if isinstance(files, str) else list(files.values()) if isinstance(files, dict) else list(files)
    flat = [p for x in paths for p in ([x] if isinstance(x, str) else x)]
    # a zip's members (m2e2's) are paths inside the zip, not under raw_dir: only a top-level key counts
    if isinstance(files, dict) and "zip" in files:
        flat = [files["zip"]]
    return list(dict.fromkeys(Path(p).parts[0] for p in flat))


def find_document(doc_id: str, raw_dir: str | Path) -> Record:
    """The raw document ``source/...`` with this id, read by its source's reader."""
    name = doc_id.split("/", 1)[0]
    for r in read_source(name, raw_dir):
        if r.id == doc_id:
            return r
    raise ValueError(f"no document {doc_id!r} in source {name!r} under {raw_dir}")
