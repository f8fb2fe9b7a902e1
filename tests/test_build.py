"""`newsevents data build`: seeded document-level splits, reserved gold documents kept out, byte-identical reruns."""

import hashlib

import pytest

from newsevents.data.build import BuildConfig, build, build_starter, group_keys, read_reserved, split_of, write_splits
from newsevents.cli import main
from newsevents.schema import Record

from conftest import REPO

MARKUP = "\n".join(f"## s-{i:03d}\n[Seoul](ACTOR) [met](MEETING) envoy number {i}.\n" for i in range(60))


def test_split_depends_only_on_seed_and_key():
    assert split_of("doc-1", 13, 0.1, 0.1) == split_of("doc-1", 13, 0.1, 0.1)
    shares = [split_of(f"doc-{i}", 13, 0.1, 0.1) for i in range(2000)]
    assert 0.07 < shares.count("test") / 2000 < 0.13 and 0.07 < shares.count("dev") / 2000 < 0.13
    assert [split_of(f"doc-{i}", 14, 0.1, 0.1) for i in range(50)] != shares[:50]


def test_same_text_in_two_sources_shares_a_group():
    a = Record("m2e2/1", "Seoul  met Tokyo.", [], {})
    b = Record("geneva/9", "seoul met tokyo.", [], {"group": "framenet-doc:x"})
    c = Record("re3d/2", "Other text.", [], {"group": "g"})
    assert group_keys([a, b, c]) == {"m2e2/1": "m2e2/1", "geneva/9": "m2e2/1", "re3d/2": "g"}


def test_reserved_file_comments_and_blank_lines(tmp_path):
    f = tmp_path / "reserved.txt"
    f.write_text("# gold\nm2e2/A  # first\n\nre3d/B\n")
    assert read_reserved(f) == {"m2e2/A", "re3d/B"}
    assert read_reserved(tmp_path / "absent.txt") == set()


def test_starter_build_is_deterministic_and_disjoint(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "batch.md").write_text(MARKUP)
    first, second = build_starter(tmp_path / "src"), build_starter(tmp_path / "src")
    assert first == second
    ids = [r.id for rs in first.values() for r in rs]
    assert len(ids) == len(set(ids)) == 60 and all(first.values())


def test_duplicate_starter_id_across_files_is_an_error(tmp_path):
    (tmp_path / "a.md").write_text("## x-1\nSeoul met.\n")
    (tmp_path / "b.md").write_text("## x-1\nTokyo met.\n")
    with pytest.raises(ValueError, match="x-1"):
        build_starter(tmp_path)


def test_committed_starter_splits_are_up_to_date():
    """data/starter/*.jsonl must be exactly what `newsevents data starter` makes from the markup."""
    rebuilt = build_starter(REPO / "data" / "starter" / "source")
    for split, records in rebuilt.items():
        committed = (REPO / "data" / "starter" / f"{split}.jsonl").read_text(encoding="utf-8")
        assert committed == "".join(_line(r) for r in records), f"run `newsevents data starter` ({split})"


def test_build_without_raw_corpora_names_the_missing_one(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    cfg = tmp_path / "build.yaml"
    cfg.write_text(f"raw_dir: {tmp_path / 'raw'}\nout_dir: {tmp_path / 'out'}\nsources: [m2e2]\n")
    assert main(["data", "build", "--config", str(cfg)]) == 1
    assert "m2e2" in capsys.readouterr().err


def test_unknown_build_key_is_an_error(tmp_path):
    cfg = tmp_path / "build.yaml"
    cfg.write_text("sources: []\nsplits: 3\n")
    with pytest.raises(ValueError, match="splits"):
        BuildConfig.load(cfg)


def test_full_build_twice_is_byte_identical_and_reserved_documents_stay_out(shared_raw, tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    reserved = tmp_path / "reserved.txt"
    cfg = BuildConfig(raw_dir=str(shared_raw), reserved=str(reserved))
    first = build(cfg)
    some_train_id = next(r.id for r in first["train"] if r.meta["source"] != "starter")
    reserved.write_text(some_train_id + "\n")
    digests = []
    for run in ("a", "b"):
        paths = write_splits(build(cfg), tmp_path / run)
        digests.append({s: hashlib.sha256(p.read_bytes()).hexdigest() for s, p in paths.items()})
    assert digests[0] == digests[1]
    second = build(cfg)
    all_ids = [r.id for rs in second.values() for r in rs]
    assert some_train_id not in all_ids and len(all_ids) == len(set(all_ids))
    groups = group_keys([r for rs in second.values() for r in rs])
    split_of_group = {}
    for split, records in second.items():
        for r in records:
            assert split_of_group.setdefault(groups[r.id], split) == split, f"{r.id} crosses splits"


def _line(record):
    from newsevents.schema import dumps

    return dumps(record) + "\n"


def test_training_corpus_views_and_gold_guard(shared_raw, tmp_path, monkeypatch):
    """Our corpus documents take the build's split of their id, replace the mapped record in the
    `all_*` view, and a gold document in the corpus is an error."""
    import json

    from newsevents.data.build import build_corpus
    from newsevents.data.gold import text_sha256
    from newsevents.data.sources import read_source

    monkeypatch.chdir(REPO)
    doc = next(r for r in read_source("re3d", shared_raw) if r.meta["folder"] == "CENTCOM")
    corpus = tmp_path / "corpus"
    (corpus / "annotations").mkdir(parents=True)
    line = {"id": doc.id, "sha256": text_sha256(doc.text), "spans": [], "labeled": ["ACTOR"], "annotator": "t"}
    (corpus / "annotations" / "a.jsonl").write_text(json.dumps(line) + "\n")
    cfg = BuildConfig(raw_dir=str(shared_raw), sources=["re3d"], corpus_dir=str(corpus), reserved=str(tmp_path / "none.txt"))
    splits = build(cfg)
    views = build_corpus(cfg, splits)
    split = next(s for s in ("train", "dev", "test") if any(r.id == doc.id for r in splits[s]))
    [mine] = [r for r in views[f"all_{split}"] if r.id == doc.id]
    assert mine.spans == [] and mine.meta["annotator"] == "t"  # ours, not the mapped record
    assert doc.id in {r.id for r in views[f"ours_{split}"]}
    (tmp_path / "reserved.txt").write_text(doc.id + "\n")
    cfg.reserved = str(tmp_path / "reserved.txt")
    with pytest.raises(ValueError, match="gold documents in the training corpus"):
        build_corpus(cfg, build(cfg))
