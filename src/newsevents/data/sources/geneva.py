"""GENEVA reader: FrameNet sentences re-annotated as events (OneIE JSON lines) -> one record per doc_id.

The copies of a sentence (``wnd_id``) in the data files are merged (the benchmark-suite files keep
only some of its events). Sentences that the framenet reader already yields (matched by text) are
skipped; the rest are detokenised and joined one a line, ordered by their FrameNet sentence number.
Events of the types in configs/data/geneva.yaml become DEPLOYMENT / MEETING / CONDEMNATION head-word
spans by the same judge as FrameNet's (``fn_common.Judge``); a sentence that leaves a label
undecided is left out, so every record is labeled for all three.

>>> _char_spans("Seoul met it -- twice .", ["Seoul", "met", "it", "-", "-", "twice", "."])
[(0, 5), (6, 9), (10, 12), (13, 14), (14, 15), (16, 21), (22, 23)]
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from pathlib import Path
from typing import Iterator

from newsevents.schema import Record
from newsevents.data.sources import CONFIG_DIR, load_source_config
from newsevents.data.sources.fn_common import Judge, Target, norm_key
from newsevents.data.sources.framenet import Sentence, known_sentences, make_record

log = logging.getLogger(__name__)


def read(raw_dir: Path, cfg: dict) -> Iterator[Record]:
    """Yield one record per GENEVA document (doc_id order) with the sentences FrameNet lacks."""
    fn_cfg = _framenet_config(cfg)
    judge, skipped = Judge(fn_cfg["lexicon"], cfg["labels"]), Counter()
    fn_files = {"fulltext": cfg["files"]["framenet_fulltext"], "exemplars": cfg["files"]["framenet_exemplars"]}
    in_framenet = known_sentences(Path(raw_dir), {"files": fn_files})
    docs: dict[str, list[dict]] = {}
    for line in _merged(Path(raw_dir), cfg["files"]["data"]).values():
        docs.setdefault(line["doc_id"], []).append(line)
    seen: set[str] = set()
    for doc_id in sorted(docs):
        kept, groups, files = [], set(), set()
        for line in sorted(docs[doc_id], key=lambda x: int(x["wnd_id"].rsplit("_", 1)[1])):
            key = norm_key(line["sentence"])
            if key in in_framenet:
                skipped["sentence in FrameNet"] += 1
                groups.add(in_framenet[key])
                continue
            if key in seen or seen.add(key):
                skipped["duplicate sentence"] += 1
                continue
            sent = _sentence(line)
            spans, unknown = judge.judge(sent.text, sent.targets)
            if unknown:
                skipped["sentence with an undecided label"] += 1
                skipped.update(f"{label} span in a left-out sentence" for _, _, label in spans)
                continue
            kept.append((sent, spans))
            files.update(line["_files"])
        if kept:
            meta = {"doc_id": doc_id, "wnd_ids": [s.id for s, _ in kept], "files": sorted(files)}
            if groups - {""}:  # the rest of a document FrameNet holds goes where FrameNet's goes
                meta["group"] = sorted(groups - {""})[0]
            yield make_record(f"{cfg['source']}/{doc_id}", kept, set(), cfg, meta, skipped)
    if skipped:
        log.warning("geneva: %s", dict(sorted(skipped.items())))


def _framenet_config(cfg: dict) -> dict:
    """The config holding the shared lexicon: ``cfg`` itself if it has one, else the file named by
    ``lexicon_from`` in configs/data (relative to the working directory, as the CLI reads it, or
    to this checkout)."""
    if "lexicon" in cfg:
        return cfg
    for folder in (CONFIG_DIR, Path(__file__).resolve().parents[4] / "configs" / "data"):
        if (Path(folder) / f"{cfg['lexicon_from']}.yaml").is_file():
            return load_source_config(cfg["lexicon_from"], folder)
    raise FileNotFoundError(f"no configs/data/{cfg['lexicon_from']}.yaml for the geneva lexicon")


def _merged(raw_dir: Path, files: list[str]) -> dict[str, dict]:
    """Sentences by wnd_id, each with the events of all its copies (deduplicated by event id)."""
    out: dict[str, dict] = {}
    for name in files:
        with open(raw_dir / name, encoding="utf-8") as f:
            for raw in f:
                line = json.loads(raw)
                old = out.setdefault(line["wnd_id"], dict(line, _files=[]))
                ids = {e["id"] for e in old["event_mentions"]}
                new = [e for e in line["event_mentions"] if e["id"] not in ids]
                old["event_mentions"] = old["event_mentions"] + new
                old["_files"].append(name.split("/", 1)[-1])
    return out


def _sentence(line: dict) -> Sentence:
    """The tokenised sentence with one Target per event (trigger and argument texts by role)."""
    text, spans = line["sentence"], _char_spans(line["sentence"], line["tokens"])
    targets = []
    for event in line["event_mentions"]:
        trig = event["trigger"]
        roles: dict[str, list[str]] = {}
        for arg in event["arguments"]:
            roles.setdefault(arg["role"], []).append(arg["text"])
        start, end = spans[trig["start"]][0], spans[trig["end"] - 1][1]
        targets.append(Target(event["event_type"], [(start, end)], roles))
    return Sentence(line["wnd_id"], text, targets)


def _char_spans(sentence: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Each token's (start, end) in the sentence: tokens are its space-separated pieces, some split
    further ("--" -> "-", "-"; "''" -> "'", "'")."""
    out, pos = [], 0
    for tok in tokens:
        while sentence[pos].isspace():
            pos += 1
        if not sentence.startswith(tok, pos):
            raise ValueError(f"token {tok!r} not at {pos} in {sentence!r}")
        out.append((pos, pos + len(tok)))
        pos += len(tok)
    return out
