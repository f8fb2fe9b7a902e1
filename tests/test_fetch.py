"""`newsevents data fetch` copies or downloads each pinned file and refuses bytes with the wrong sha256."""

import hashlib

import yaml

from newsevents.cli import main
from newsevents.data.fetch import fetch_all, load_manifest

from conftest import REPO


def _manifest(tmp_path, content: bytes, url=None):
    entry = {"path": "corpus/a.json", "sha256": hashlib.sha256(content).hexdigest(), "url": url}
    path = tmp_path / "raw.yaml"
    path.write_text(yaml.safe_dump({"files": [entry]}))
    return path


def test_copy_from_mirror_checks_hash_and_is_idempotent(tmp_path):
    mirror = tmp_path / "mirror"
    (mirror / "corpus").mkdir(parents=True)
    (mirror / "corpus" / "a.json").write_bytes(b"{}\n")
    manifest = _manifest(tmp_path, b"{}\n")
    dest = tmp_path / "raw"
    assert [r.status for r in fetch_all(dest, mirror, manifest)] == ["copied"]
    assert (dest / "corpus" / "a.json").read_bytes() == b"{}\n"
    assert [r.status for r in fetch_all(dest, mirror, manifest)] == ["present"]


def test_wrong_bytes_are_refused_and_not_installed(tmp_path, capsys):
    mirror = tmp_path / "mirror"
    (mirror / "corpus").mkdir(parents=True)
    (mirror / "corpus" / "a.json").write_bytes(b"tampered\n")
    manifest = _manifest(tmp_path, b"{}\n")
    assert main(["data", "fetch", "--mirror", str(mirror), "--dest", str(tmp_path / "raw"), "--manifest", str(manifest)]) == 1
    assert "bad-hash" in capsys.readouterr().out
    assert not (tmp_path / "raw" / "corpus" / "a.json").exists()


def test_derived_file_without_mirror_says_so(tmp_path):
    [result] = fetch_all(tmp_path / "raw", None, _manifest(tmp_path, b"x", url=None))
    assert result.status == "no-origin" and "--mirror" in result.detail


def test_manifest_pins_every_file_the_readers_need():
    entries = load_manifest(REPO / "configs" / "data" / "raw.yaml")
    paths = {e["path"] for e in entries}
    for needed in ["m2e2/m2e2_annotations.zip", "framenet15/fndata-1.5-fulltext.tar.gz", "geneva/data/test.json",
                   "re3d/CENTCOM/entities.json", "state-dept-press/state_dept_press_releases_2021-2022.jsonl"]:
        assert needed in paths
    assert all(len(e["sha256"]) == 64 for e in entries)


def test_mirror_of_shared_corpora_matches_manifest(shared_raw, tmp_path):
    results = fetch_all(tmp_path / "raw", shared_raw, REPO / "configs" / "data" / "raw.yaml")
    assert [r for r in results if not r.ok] == []
