"""FrameNet 1.5 reader: full-text documents and lexical-unit exemplar sentences -> records.

Full text: one record per document (``framenet/<file stem>``), its sentences detokenised and joined
one a line. Exemplars: one record per sentence (``framenet/exemplar-<sentence ID>``); a sentence
found in several LU files keeps the targets of all. Targets of the frames in
configs/data/framenet.yaml become DEPLOYMENT / MEETING / CONDEMNATION head-word spans when their
speaker, participants or mover pass the checks of ``fn_common.Judge``; a record lists a label only
when no candidate word of it is left undecided (exemplars annotate one target per sentence).

>>> s = _sentence(ET.fromstring(
...     '<sentence xmlns="http://framenet.icsi.berkeley.edu" ID="7"><text>Kyiv condemned it .</text>'
...     '<annotationSet status="MANUAL" frameName="Judgment_communication">'
...     '<layer name="Target"><label start="5" end="13" name="Target"/></layer>'
...     '<layer name="FE"><label start="0" end="3" name="Communicator"/></layer></annotationSet></sentence>'))
>>> s.targets[0].spans, s.targets[0].roles
([(5, 14)], {'Communicator': ['Kyiv']})
"""

from __future__ import annotations

import html
import logging
import re
import tarfile
import xml.etree.ElementTree as ET  # expat: no DTDs or external entities are fetched
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from newsevents.schema import Record, Span
from newsevents.data.sources.fn_common import Judge, Target, detokenize, norm_key
from newsevents.data.sources.common import drop_overlaps
from newsevents.text import join_sentences

log = logging.getLogger(__name__)
NS = "{http://framenet.icsi.berkeley.edu}"


@dataclass
class Sentence:
    id: str
    text: str                 # tokenised, as FrameNet stores it (offsets refer to it)
    targets: list[Target]


def read(raw_dir: Path, cfg: dict) -> Iterator[Record]:
    """Yield the full-text documents (by file name), then the exemplar sentences (by sentence ID)."""
    judge, skipped, seen = Judge(cfg["lexicon"], cfg["labels"]), Counter(), set()
    docs = fulltext_documents(Path(raw_dir) / cfg["files"]["fulltext"])
    groups = doc_groups([(name, [s.text for s in sents]) for name, _, sents in docs])
    for name, meta, sents in docs:
        kept = []
        for s in sents:
            if norm_key(s.text) in seen or seen.add(norm_key(s.text)):
                skipped["duplicate sentence"] += 1
                continue
            spans, unknown = judge.judge(s.text, s.targets)
            if unknown:  # a document record is labeled for all three: leave such sentences out
                skipped["full-text sentence with an undecided label"] += 1
                skipped.update(f"{label} span in a left-out sentence" for _, _, label in spans)
                continue
            kept.append((s, spans))
        if kept:
            meta = dict(meta, group=groups[name], sentences=[int(s.id) for s, _ in kept])
            yield make_record(f"{cfg['source']}/{name}", kept, set(), cfg, meta, skipped)
    for sent, lus in exemplar_sentences(Path(raw_dir) / cfg["files"]["exemplars"], cfg["exemplar_status"]):
        if norm_key(sent.text) in seen or seen.add(norm_key(sent.text)):
            skipped["duplicate sentence"] += 1
            continue
        spans, unknown = judge.judge(sent.text, sent.targets)
        if not set(cfg["labeled"]) - unknown:
            skipped["exemplar with no decided label"] += 1
            continue
        meta = {"kind": "exemplar", "sentence_id": int(sent.id), "lexical_units": lus}
        yield make_record(f"{cfg['source']}/exemplar-{sent.id}", [(sent, spans)], unknown, cfg, meta, skipped)
    if skipped:
        log.warning("framenet: %s", dict(sorted(skipped.items())))


def known_sentences(raw_dir: Path, cfg: dict) -> dict[str, str]:
    """norm_key -> split group of every sentence this reader can yield ("" for exemplars). Reads only
    the <text> elements (fast): the geneva reader uses it to skip what FrameNet already gives."""
    out: dict[str, str] = {}
    for kind in ("exemplars", "fulltext"):
        docs = []
        with tarfile.open(Path(raw_dir) / cfg["files"][kind]) as tar:
            for m in tar:
                if m.name.endswith(".xml") and ("/fulltext/" in m.name or "/lu" in m.name):
                    data = tar.extractfile(m).read().decode("utf-8")
                    texts = [html.unescape(t) for t in re.findall(r"<text>(.*?)</text>", data, re.S)]
                    docs.append((m.name.rsplit("/", 1)[-1][:-4], texts))
        groups = doc_groups(docs) if kind == "fulltext" else {}
        out.update({norm_key(t): groups.get(name, "") for name, texts in docs for t in texts})
    return out


def fulltext_documents(path: Path) -> list[tuple[str, dict, list[Sentence]]]:
    """(file stem, meta, sentences in document order) for each full-text document, by file name."""
    out = []
    with tarfile.open(path) as tar:
        for member in tar:  # in archive order: a gzip stream cannot seek back cheaply
            if "/fulltext/" not in member.name or not member.name.endswith(".xml"):
                continue
            root = ET.fromstring(tar.extractfile(member).read())
            corpus = root.find(f"{NS}header/{NS}corpus")
            doc = corpus.find(f"{NS}document")
            meta = {"kind": "fulltext", "corpus": corpus.get("name"), "document": doc.get("description"),
                    "corpus_id": int(corpus.get("ID")), "document_id": int(doc.get("ID"))}
            sents = [_sentence(s) for s in root.iter(f"{NS}sentence")]
            out.append((member.name.rsplit("/", 1)[-1][:-4], meta, sents))
    return sorted(out, key=lambda d: d[0])


def exemplar_sentences(path: Path, status: list[str]) -> list[tuple[Sentence, list[str]]]:
    """Exemplar sentences by ID, each with the targets and names ("Frame:lu.pos") of all its LUs."""
    by_id: dict[str, tuple[Sentence, list[str]]] = {}
    with tarfile.open(path) as tar:  # read in archive order (no seeking back), then go by name
        files = {m.name.rsplit("/", 1)[-1]: tar.extractfile(m).read() for m in tar if m.isfile()}
    for name, data in sorted(files.items()):
        if name.startswith("lu") and name.endswith(".xml"):
            root = ET.fromstring(data)
            lu = f"{root.get('frame')}:{root.get('name')}"
            for el in root.iter(f"{NS}sentence"):
                sent = _sentence(el, root.get("frame"), status)
                if not sent.targets:
                    continue
                old, lus = by_id.setdefault(sent.id, (sent, []))
                if old is not sent:
                    old.targets += sent.targets
                lus.append(lu)
    return [by_id[k] for k in sorted(by_id, key=int)]


def _sentence(el: ET.Element, frame: str | None = None, status: Iterable[str] = ("MANUAL",)) -> Sentence:
    """A <sentence>: its text and one Target per annotation set with a target (ends are inclusive)."""
    text = el.find(f"{NS}text").text or ""
    targets = []
    for aset in el.iter(f"{NS}annotationSet"):
        layers = {l.get("name"): [x for x in l if x.get("start") is not None] for l in aset.iter(f"{NS}layer")}
        if not layers.get("Target") or (frame and aset.get("status") not in status):
            continue
        spans = [(int(x.get("start")), int(x.get("end")) + 1) for x in layers["Target"]]
        roles: dict[str, list[str]] = {}
        for x in layers.get("FE", []):
            roles.setdefault(x.get("name"), []).append(text[int(x.get("start")) : int(x.get("end")) + 1])
        targets.append(Target(aset.get("frameName") or frame, sorted(spans), roles))
    return Sentence(el.get("ID"), text, targets)


def make_record(rid: str, sents: list, unknown: set, cfg: dict, meta: dict, skipped: Counter) -> Record:
    """Detokenise and join ``(Sentence, spans)`` pairs into a record; ``unknown`` labels are left
    out of ``labeled``. Also used by the geneva reader."""
    lines, spans = [], []
    for sent, found in sents:
        line, pos = detokenize(sent.text)
        lines.append((line, [(pos[s], pos[e - 1] + 1, label) for s, e, label in found]))
    text, starts = join_sentences([line for line, _ in lines])
    for (line, found), base in zip(lines, starts):
        # detokenize never leaves leading space, so no shift is needed
        spans += [Span(base + s, base + e, label) for s, e, label in found]
    spans = drop_overlaps(spans, skipped, "overlapping span")
    meta = {"source": cfg["source"], "licence": cfg["licence"],
            "labeled": [x for x in cfg["labeled"] if x not in unknown], **meta}
    return Record(rid, text, spans, meta)


def doc_groups(docs: list[tuple[str, list[str]]]) -> dict[str, str]:
    """Documents that share a sentence (KBEval and QA quote NTI) form one split group, named after
    the first of them: ``framenet-doc:<file stem>``. GENEVA sentences get the same keys."""
    parent = {name: name for name, _ in docs}

    def root(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    owner: dict[str, str] = {}
    for name, texts in sorted(docs):
        for text in texts:
            key = norm_key(text)
            if len(key) >= 30:  # short lines ("Thank God .", "QN :") repeat by chance
                a, b = sorted((root(owner.setdefault(key, name)), root(name)))
                parent[b] = a
    return {name: f"framenet-doc:{root(name)}" for name, _ in docs}
