"""Get the raw public corpora into ``data/raw/``: download each pinned file, or copy it from a mirror,
and check its sha256 against the manifest ``configs/data/raw.yaml``.

>>> entry = {"path": "m2e2/x.zip", "sha256": "0" * 64, "url": None}
>>> fetch_file(entry, Path("/nonexistent"), mirror=None).status
'no-origin'
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

from newsevents.safeio import atomic_path

log = logging.getLogger(__name__)
MANIFEST = Path("configs/data/raw.yaml")


@dataclass
class Fetched:
    path: str
    status: str  # "present", "copied", "downloaded", "missing", "bad-hash", "no-origin", "error"
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status in ("present", "copied", "downloaded")


def load_manifest(path: str | Path = MANIFEST) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)["files"]


def fetch_all(dest: str | Path, mirror: str | Path | None = None, manifest: str | Path = MANIFEST) -> list[Fetched]:
    """Fetch every file of the manifest into ``dest``; returns one result per file, never raises on
    a single file's failure (the CLI reports them all and exits non-zero)."""
    return [fetch_file(e, Path(dest), Path(mirror) if mirror else None) for e in load_manifest(manifest)]


def fetch_file(entry: dict, dest: Path, mirror: Path | None) -> Fetched:
    """Make ``dest/entry['path']`` exist with the pinned sha256: keep it, copy it, or download it."""
    target = dest / entry["path"]
    if target.is_file() and sha256(target) == entry["sha256"]:
        return Fetched(entry["path"], "present")
    if mirror is not None:
        source = mirror / entry["path"]
        if not source.is_file():
            return Fetched(entry["path"], "missing", f"not in mirror {mirror}")
        return _install(entry, source, target, "copied")
    if not entry.get("url"):
        how = entry.get("derived", "no public origin")
        return Fetched(entry["path"], "no-origin", f"derived file ({how}); fetch it with --mirror DIR")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            part = Path(tmp) / "download"
            with urllib.request.urlopen(entry["url"], timeout=60) as r, part.open("wb") as f:
                shutil.copyfileobj(r, f)
            return _install(entry, part, target, "downloaded")
    except OSError as e:  # URLError is an OSError: no network, 404, timeout
        return Fetched(entry["path"], "error", f"{entry['url']}: {e}")


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _install(entry: dict, source: Path, target: Path, status: str) -> Fetched:
    got = sha256(source)
    if got != entry["sha256"]:
        return Fetched(entry["path"], "bad-hash", f"sha256 {got[:12]}... != pinned {entry['sha256'][:12]}...")
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(target) as tmp:  # a killed copy never leaves half a corpus file under its real name
        shutil.copyfile(source, tmp)
    return Fetched(entry["path"], status)
