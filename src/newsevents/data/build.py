"""Deterministic document-level train/dev/test splits of the starter corpus and the converted sources.

A document's split depends only on its group key (``meta.group``, else its id) and the seed, through a
hash: adding or removing other documents never moves it, and a document never lands in two splits.
Records whose texts are identical share a group, so a duplicate cannot leak across splits.

>>> split_of("m2e2/VOA_1", seed=13, dev=0.1, test=0.1) in ("train", "dev", "test")
True
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import yaml

from newsevents.data.markup import read_markup_file
from newsevents.data.sources import load_source_config, raw_dirs, read_source
from newsevents.schema import LABELS, Record, read_jsonl, write_jsonl
from newsevents.text import normalize_space

log = logging.getLogger(__name__)
SPLITS = ("train", "dev", "test")
STARTER_META = {"source": "starter", "licence": "CC0-1.0", "labeled": list(LABELS)}


@dataclass
class BuildConfig:
    """What ``newsevents data build`` reads: see configs/data/build.yaml for each key's meaning."""

    raw_dir: str = "data/raw"
    out_dir: str = "data/processed"
    starter_dir: str = "data/starter"
    source_config_dir: str = "configs/data"
    sources: list[str] = field(default_factory=lambda: ["m2e2", "re3d", "geneva", "framenet"])
    seed: int = 13
    dev_fraction: float = 0.1
    test_fraction: float = 0.1
    reserved: str = "data/gold/reserved.txt"
    gold_dir: str = "data/gold"
    corpus_dir: str = "data/corpus"
    contrast_dir: str = "data/contrast"

    @classmethod
    def load(cls, path: str | Path) -> "BuildConfig":
        with open(path, encoding="utf-8") as f:
            d = yaml.safe_load(f) or {}
        unknown = set(d) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"{path}: unknown key(s) {sorted(unknown)}")
        return cls(**d)


def build_all(cfg: BuildConfig) -> dict[str, Path]:
    """``newsevents data build``: the splits of the starter and the sources and, when there are
    sources, the gold, corpus and contrast splits, written to ``cfg.out_dir``; returns the paths.
    A missing raw corpus fails first, naming its folder."""
    require_raw(cfg)
    splits = build(cfg)
    if cfg.sources:  # the gold set and our corpus need the raw corpora; a starter-only build has none
        splits.update(build_gold(cfg))
        splits.update(build_corpus(cfg, splits))
        splits.update(build_contrast(cfg, splits))
    return write_splits(splits, cfg.out_dir)


def require_raw(cfg: BuildConfig) -> None:
    """Fail early, naming the missing corpus folder (from the source's mapping file), rather than
    deep inside a reader."""
    for name in cfg.sources:
        for folder in raw_dirs(load_source_config(name, cfg.source_config_dir)):
            if not (Path(cfg.raw_dir) / folder).exists():
                raise FileNotFoundError(
                    f"{Path(cfg.raw_dir) / folder}: raw corpus for source {name!r} is missing; "
                    f"run `newsevents data fetch --mirror ../shared/data/raw` or build with --sources starter"
                )


def split_of(key: str, seed: int, dev: float, test: float) -> str:
    """The split of a group key: a seeded hash mapped to [0, 1)."""
    h = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    x = int.from_bytes(h[:8], "big") / 2**64
    return "test" if x < test else "dev" if x < test + dev else "train"


def build(cfg: BuildConfig) -> dict[str, list[Record]]:
    """Read the starter splits and every configured source; return records per split, sorted by id.

    Starter records keep the split they ship with; documents listed in ``cfg.reserved`` (kept for
    the gold set) are left out of every split.
    """
    reserved = read_reserved(cfg.reserved)
    splits: dict[str, list[Record]] = {s: [] for s in SPLITS}
    starter_roles = read_roles(Path(cfg.starter_dir) / "roles")  # our role annotation of the starter corpus
    for split in SPLITS:
        path = Path(cfg.starter_dir) / f"{split}.jsonl"
        if path.is_file():
            splits[split] += [r for r in read_jsonl(path) if r.id not in reserved]
    for r in (r for split in SPLITS for r in splits[split] if r.id in starter_roles):
        add_roles(r, *starter_roles.pop(r.id))
    _no_record_for(starter_roles)
    records = []
    for name in cfg.sources:
        src_cfg = load_source_config(name, cfg.source_config_dir)
        records += [r for r in read_source(name, cfg.raw_dir, src_cfg) if r.id not in reserved]
    groups = group_keys(records)
    for r in records:
        splits[split_of(groups[r.id], cfg.seed, cfg.dev_fraction, cfg.test_fraction)].append(r)
    return {s: sorted(rs, key=lambda r: r.id) for s, rs in splits.items()}


def build_gold(cfg: BuildConfig) -> dict[str, list[Record]]:
    """Gold dev and test: our standoff annotations (``gold_dir/annotations/*.jsonl``) joined with their
    raw text; the split of each document is in ``gold_dir/selection.tsv``."""
    gold_dir = Path(cfg.gold_dir)
    annotated = _annotated(gold_dir, cfg.raw_dir, split="?")
    if not annotated:
        return {}
    split_of_doc = read_selection(gold_dir / "selection.tsv")
    roles = read_roles(gold_dir / "roles")
    out: dict[str, list[Record]] = {"gold_dev": [], "gold_test": []}
    for f, r in annotated:
        split = split_of_doc.get(r.id)
        if split is None:
            raise ValueError(f"{f}: {r.id} is not in {gold_dir / 'selection.tsv'}")
        r.meta["gold"] = split
        if r.id in roles:
            add_roles(r, *roles.pop(r.id))
        out[f"gold_{split}"].append(r)
    _no_record_for(roles)
    return {s: sorted(rs, key=lambda r: r.id) for s, rs in out.items()}


def read_roles(folder: Path) -> dict[str, tuple[str, dict]]:
    """Standoff role lines (``data/roles.py``) of ``folder/*.jsonl`` by document id, each with its
    ``FILE:LINE``; a document in two lines is an error."""
    from newsevents.schema import iter_jsonl

    out: dict[str, tuple[str, dict]] = {}
    for f in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
        for lineno, obj, error in iter_jsonl(f):
            where = f"{f}:{lineno}"
            if error:
                raise ValueError(f"{where}: {error}")
            if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
                raise ValueError(f"{where}: a role line needs an 'id'")
            if obj["id"] in out:
                raise ValueError(f"{where}: roles of {obj['id']} already in {out[obj['id']][0]}")
            out[obj["id"]] = (where, obj)
    return out


def _no_record_for(roles: dict[str, tuple[str, dict]]) -> None:
    """Role lines left over once every record took its own: each names a document that is not there."""
    if roles:
        where, line = next(iter(roles.values()))
        raise ValueError(f"{where}: roles of {line['id']}, a document with no annotated spans here")


def add_roles(record: Record, where: str, line: dict) -> None:
    """Put a standoff role line on its record, after checking the text hash and every link."""
    from newsevents.data.sources.common import text_sha256
    from newsevents.schema import check_record

    if line.get("sha256") != text_sha256(record.text):
        raise ValueError(f"{where}: sha256 of {record.id} does not match its text: the roles were made on another text")
    if not isinstance(line.get("roles"), list):
        raise ValueError(f"{where}: {record.id}: a role line needs a 'roles' list")
    obj = {**record.to_dict(), "roles": line["roles"], "modality": line.get("modality", [])}
    problems = check_record(obj, require_meta=False)  # checked before it is read, so a bad line is one line, never a crash
    if problems:
        raise ValueError(f"{where}: {record.id}: {problems[0]}")
    merged = Record.from_dict(obj)
    record.roles, record.modality = merged.roles, merged.modality


def build_corpus(cfg: BuildConfig, splits: dict[str, list[Record]]) -> dict[str, list[Record]]:
    """Our training corpus (``corpus_dir/annotations/*.jsonl``, all four labels) in two views:
    ``ours_{split}`` (starter + corpus) and ``all_{split}`` (the built split with each corpus document
    replacing the source's mapped record of it). A corpus document takes the split the build gives its
    id, so it is in the same split in every view."""
    corpus = [r for _, r in _annotated(Path(cfg.corpus_dir), cfg.raw_dir, split="corpus")]
    if not corpus:
        return {}
    reserved = read_reserved(cfg.reserved)
    leaked = sorted(r.id for r in corpus if r.id in reserved)
    if leaked:
        raise ValueError(f"gold documents in the training corpus: {', '.join(leaked[:5])}")
    by_split: dict[str, list[Record]] = {s: [] for s in SPLITS}
    roles = read_roles(Path(cfg.corpus_dir) / "roles")
    for r in corpus:
        r.meta.pop("gold", None)
        if r.id in roles:
            add_roles(r, *roles.pop(r.id))
        by_split[split_of(r.meta.get("group", r.id), cfg.seed, cfg.dev_fraction, cfg.test_fraction)].append(r)
    _no_record_for(roles)
    ids = {r.id for r in corpus}
    out = {}
    for split in SPLITS:
        ours = [r for r in splits[split] if r.meta.get("source") == "starter"] + by_split[split]
        out[f"ours_{split}"] = sorted(ours, key=lambda r: r.id)
        out[f"all_{split}"] = sorted([r for r in splits[split] if r.id not in ids] + by_split[split], key=lambda r: r.id)
    return out


def build_contrast(cfg: BuildConfig, splits: dict[str, list[Record]] | None = None) -> dict[str, list[Record]]:
    """The contrast set (``contrast_dir``: near-miss sentences, issue 16) as ``contrast_train`` and
    ``contrast_test``, each record one sentence with ``meta.category``; category and split come from
    ``contrast_dir/selection.tsv``. Sentences of gold or corpus documents are refused. With the
    built ``splits``, also ``all_hard_train``: ``all_train`` plus ``contrast_train`` (hard negatives).
    Sentences mined with a model (``contrast_dir/mined.tsv``, category ``mined``) make ``mined_train``
    and, with the splits, ``all_mined_train``: ``all_hard_train`` plus them."""
    from newsevents.data.contrast import parse_sentence_id, read_selection as read_contrast_selection

    folder = Path(cfg.contrast_dir)
    annotated = _annotated(folder, cfg.raw_dir, split="contrast") if (folder / "annotations").is_dir() else []
    if not annotated:
        return {}
    selection = read_contrast_selection(folder / "selection.tsv")
    if (folder / "mined.tsv").is_file():  # hard negatives mined with a model (scripts/mine_hard_negatives.py): train only
        selection.update(read_contrast_selection(folder / "mined.tsv"))
    corpus_selection = Path(cfg.corpus_dir) / "selection.tsv"
    taken = read_reserved(cfg.reserved) | (set(read_selection(corpus_selection)) if corpus_selection.is_file() else set())
    out: dict[str, list[Record]] = {"contrast_train": [], "contrast_test": []}
    for f, r in annotated:
        if r.id not in selection:
            raise ValueError(f"{f}: {r.id} is not in {folder / 'selection.tsv'}")
        if parse_sentence_id(r.id)[0] in taken:
            raise ValueError(f"{f}: {r.id} is a sentence of a gold or corpus document")
        category, split = selection[r.id]
        r.meta.pop("gold", None)
        r.meta["category"] = category
        # mined sentences are a training set of their own, so that the experiments before them still rebuild
        out.setdefault("mined_train" if category == "mined" else f"contrast_{split}", []).append(r)
    if splits and "all_train" in splits:
        out["all_hard_train"] = splits["all_train"] + out["contrast_train"]
        if "mined_train" in out:
            out["all_mined_train"] = out["all_hard_train"] + out["mined_train"]
    return {s: sorted(rs, key=lambda r: r.id) for s, rs in out.items()}


def _annotated(folder: Path, raw_dir: str, split: str) -> list[tuple[Path, Record]]:
    """Our standoff annotations ``folder/annotations/*.jsonl`` joined with their raw text, each with its file."""
    from newsevents.data.gold import gold_ids, load_gold, raw_documents

    files = sorted((folder / "annotations").glob("*.jsonl"))
    docs = raw_documents({i for f in files for i in gold_ids(f)}, raw_dir) if files else {}
    return [(f, r) for f in files for r in load_gold(f, docs, split=split)]


def read_selection(path: str | Path) -> dict[str, str]:
    """Gold document id -> "dev" or "test", from the selection table."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()[1:]
    return {line.split("\t")[0]: line.split("\t")[2] for line in lines if line.strip()}


def write_splits(splits: dict[str, list[Record]], out_dir: str | Path) -> dict[str, Path]:
    """Write ``<out_dir>/<split>.jsonl`` for each split; returns the paths."""
    paths = {}
    for split, records in splits.items():
        paths[split] = Path(out_dir) / f"{split}.jsonl"
        write_jsonl(records, paths[split])
    return paths


def group_keys(records: Iterable[Record]) -> dict[str, str]:
    """Map record id -> group key; records with the same normalised text take the first one's key."""
    by_text: dict[str, str] = {}
    out = {}
    for r in records:
        key = r.meta.get("group", r.id)
        out[r.id] = by_text.setdefault(normalize_space(r.text).lower(), key)
    return out


def read_reserved(path: str | Path) -> set[str]:
    """Document ids reserved for the gold set: one a line, ``#`` starts a comment."""
    path = Path(path)
    if not path.is_file():
        return set()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {line for line in lines if line}


# --- the starter corpus ---------------------------------------------------------------------------


def build_starter(source_dir: str | Path, seed: int = 13, dev: float = 0.15, test: float = 0.15) -> dict[str, list[Record]]:
    """Parse the hand-written markup files ``source_dir/*.md`` and split them by item id."""
    splits: dict[str, list[Record]] = {s: [] for s in SPLITS}
    seen: dict[str, Path] = {}
    for path in sorted(Path(source_dir).glob("*.md")):
        for r in read_markup_file(path, STARTER_META):
            if r.id in seen:
                raise ValueError(f"{path}: id {r.id!r} already used in {seen[r.id]}")
            seen[r.id] = path
            splits[split_of(r.id, seed, dev, test)].append(r)
    return {s: sorted(rs, key=lambda r: r.id) for s, rs in splits.items()}


def write_starter(source_dir: str | Path, out_dir: str | Path) -> dict[str, tuple[Path, int]]:
    """``build_starter`` written to ``out_dir/<split>.jsonl``; returns (path, record count) per split."""
    out = {}
    for split, records in build_starter(source_dir).items():
        out[split] = (Path(out_dir) / f"{split}.jsonl", len(records))
        write_jsonl(records, out[split][0])
    return out
