"""M2E2 reader: Voice of America sentences with ACE-style events -> one record per article.

Each corpus sentence stores the article text between ``sentence_start`` and ``sentence_end``, but
without its last character (the final "." or quote that ``words`` still has), and with each line
break of the article written as a "-" that no word covers. We put both back (the "-" becomes a
newline), join the sentences with ``join_sentences`` and place words by their ``index`` offsets.
Contact:Meet and Movement:Transport triggers become MEETING and DEPLOYMENT spans by the word lists of
``configs/data/m2e2.yaml``; a record lists a label in ``labeled`` only when no candidate word of that
label in it is left unmarked (M2E2 misses most meetings and deployments; see docs/sources/m2e2.md).

>>> line, words = _sentence_line({"sentence": "Talks-Seoul met Tokyo", "sentence_start": 10,
...     "words": ["Talks", "Seoul", "met", "Tokyo", "."],
...     "index": [["10", "14"], ["16", "20"], ["22", "24"], ["26", "30"], ["31", "31"]]})
>>> line, [line[s:e] for s, e in words][-2:]
('Talks\\nSeoul met Tokyo.', ['Tokyo', '.'])
"""

from __future__ import annotations

import json
import logging
import re
import zipfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterator

from newsevents.schema import Record, Span
from newsevents.data.sources.common import drop_overlaps
from newsevents.text import join_sentences

log = logging.getLogger(__name__)


def read(raw_dir: Path, cfg: dict) -> Iterator[Record]:
    """Yield one record per VOA article, in document-id order."""
    sentences = _load(Path(raw_dir) / cfg["files"]["zip"], cfg["files"]["members"])
    docs = defaultdict(list)
    for sid, sent in sentences.items():
        doc_id, num = sid.rsplit("_", 1)
        docs[doc_id].append((int(num), sent))
    skipped = Counter()
    for doc_id in sorted(docs):
        yield _record(doc_id, [s for _, s in sorted(docs[doc_id], key=lambda x: x[0])], cfg, skipped)
    if skipped:
        log.warning("m2e2: skipped: %s", dict(sorted(skipped.items())))


def _load(zip_path: Path, members: list[str]) -> dict[str, dict]:
    """Sentences by id; a sentence found in both files keeps one copy with the events of both."""
    out: dict[str, dict] = {}
    with zipfile.ZipFile(zip_path) as zf:
        for member in members:
            for sent in json.loads(zf.read(member)):
                sent = dict(sent, files=[member.rsplit("/", 1)[-1]])
                old = out.setdefault(sent["sentence_id"], sent)
                if old is not sent:  # same text and entities; add the events not yet there
                    events = old["golden-event-mentions"]
                    new = [e for e in sent["golden-event-mentions"] if e not in events]
                    old["golden-event-mentions"] = events + new
                    old["files"] = old["files"] + sent["files"]
    return out


def _sentence_line(sent: dict) -> tuple[str, list[tuple[int, int]]]:
    """The sentence as article text and each word's (start, end) in it (``index`` ends are inclusive)."""
    base = sent["sentence_start"]
    chars = list(sent["sentence"] + sent["words"][-1][-1])  # the stored string lacks its last char
    spans = [(int(s) - base, int(e) - base + 1) for s, e in sent["index"]]
    covered = {i for s, e in spans for i in range(s, e)}
    for i, c in enumerate(chars):
        if c == "-" and i not in covered:
            chars[i] = "\n"  # a line break of the article (headline, dateline, subhead)
        elif c == "\xa0":
            chars[i] = " "
    line = "".join(chars)
    lead = len(line) - len(line.lstrip())
    return line.strip(), [(s - lead, e - lead) for s, e in spans]


def _record(doc_id: str, sents: list[dict], cfg: dict, skipped: Counter) -> Record:
    lines = [_sentence_line(s) for s in sents]
    text, starts = join_sentences([line for line, _ in lines])
    spans: list[Span] = []
    unresolved: set[str] = set()
    for sent, (_, words), base in zip(sents, lines, starts):
        offsets = [(base + s, base + e) for s, e in words]
        if any(text[s:e] != w for (s, e), w in zip(offsets, sent["words"])):
            skipped["sentences with words off the text (no spans, no labels)"] += 1
            unresolved.update(cfg["labeled"])
            continue
        resolved = {label: set() for label in cfg["labeled"]}  # word indices decided per label
        for event in sent["golden-event-mentions"]:
            etype = event["event_type"]
            for label in resolved:  # e.g. attack triggers are never deployments: O
                if etype in cfg["resolves"].get(label, []):
                    resolved[label].add(event["trigger"]["start"])
            if not any(etype in cfg[label]["event_types"] for label in cfg["labeled"]):
                continue
            decision, i, family = decide(sent, event, cfg)
            if decision is None:
                unresolved.add(family)  # a trigger we cannot call either way
            elif decision == "O":
                resolved[family].add(i)
            else:
                spans.append(Span(*offsets[i], decision))
                for label in resolved:  # a word with one label is O for the others
                    resolved[label].add(i)
        unresolved |= _unmarked(sent, resolved, cfg)
    meta = {
        "source": cfg["source"], "licence": cfg["licence"],
        "labeled": [label for label in cfg["labeled"] if label not in unresolved],
        "doc_id": doc_id, "url": f"https://www.voanews.com/a/{doc_id.rsplit('.', 1)[-1]}.html",
        "sentences": [int(s["sentence_id"].rsplit("_", 1)[1]) for s in sents],
        "files": sorted({f for s in sents for f in s["files"]}),
    }
    return Record(f"{cfg['source']}/{doc_id}", text, drop_overlaps(sorted(set(spans)), skipped), meta)


def decide(sent: dict, event: dict, cfg: dict) -> tuple[str | None, int, str]:
    """Map one Contact:Meet or Movement:Transport event to ``(decision, trigger word index, label
    family)``; the decision is a label, "O" (no event of ours under the guide) or None (cannot tell)."""
    i, word = event["trigger"]["start"], event["trigger"]["text"].lower()
    m, d = cfg["MEETING"], cfg["DEPLOYMENT"]
    family = "DEPLOYMENT" if event["event_type"] in d["event_types"] else "MEETING"
    override = cfg["overrides"].get(f"{sent['sentence_id']}:{i}")
    if override:
        return override, i, family
    if family == "DEPLOYMENT":
        military = _military_mover(sent, event, d["military_words"])
        if word in d["not_triggers"]:
            return "O", i, family  # withdrawals, flights, carrying, deliveries...
        if military or military is None:
            return ("DEPLOYMENT" if military and word in d["triggers"] else None), i, family
        if word not in m["visit_triggers"]:
            return "O", i, family  # civilians, officials or goods moving: not a deployment
    if word in m["visit_triggers"]:  # an official's visit to a named country or city
        args = [(a["role"], _entity_type(sent, a), a["text"]) for a in event["arguments"]]
        to_gpe = any(r in ("Destination", "Place") and t == "GPE" and x[:1].isupper() for r, t, x in args)
        by_per = any(r in ("Artifact", "Entity", "Agent") and t == "PER" for r, t, _ in args)
        return ("MEETING" if to_gpe and by_per else None), i, "MEETING"
    if word in m["triggers"] and (word not in m["noun_only"] or _is_noun(sent, i)):
        return "MEETING", i, family
    if word in m["shift_verbs"]:  # "attend a meeting" -> "meeting" (rule 18)
        for j in range(i + 1, min(i + 1 + m["shift_window"], len(sent["words"]))):
            if sent["words"][j].lower() in m["triggers"]:
                return "MEETING", j, family
    return ("O" if word in m["not_triggers"] else None), i, family


def _military_mover(sent: dict, event: dict, military_words: list[str]) -> bool | None:
    """Is what moves military? The Artifact/Vehicle arguments (else the Agent) decide, with an
    adjective or noun just before them ("naval ships"); with no such argument, a military word
    near the trigger gives None (cannot tell)."""
    args = [a for a in event["arguments"] if a["role"] in ("Artifact", "Vehicle")]
    args = args or [a for a in event["arguments"] if a["role"] == "Agent"]
    words, tags = [w.lower() for w in sent["words"]], sent["pos-tags"]
    if not args:
        t = event["trigger"]["start"]
        return None if set(words[max(0, t - 5) : t + 6]) & set(military_words) else False
    for a in args:
        before = [j for j in range(max(0, a["start"] - 2), a["start"]) if tags[j][:2] in ("JJ", "NN")]
        mover = {words[j] for j in before + list(range(a["start"], a["end"]))}
        if _entity_type(sent, a) == "WEA" or mover & set(military_words):
            return True
    return False


def _is_noun(sent: dict, i: int) -> bool:
    """A noun by its POS tag, unless after a name ("Kerry talks with": a verb the tagger missed)."""
    tags = sent["pos-tags"]
    return tags[i].startswith("NN") and not (i > 0 and tags[i - 1] in ("NNP", "NNPS", "PRP"))


def _entity_type(sent: dict, arg: dict) -> str | None:
    for e in sent["golden-entity-mentions"]:
        if (e["start"], e["end"]) == (arg["start"], arg["end"]):
            return e["entity-type"]
    return None


def _unmarked(sent: dict, resolved: dict[str, set[int]], cfg: dict) -> set[str]:
    """Labels with a candidate word in this sentence that no event decided."""
    words = [w.lower() for w in sent["words"]]
    military = bool(set(words) & set(cfg["DEPLOYMENT"]["military_words"]))
    out = set()
    for label in resolved:
        patterns = cfg["candidates"][label]
        if military:  # movement words count in a military context only
            patterns = patterns + cfg["candidates"].get(f"{label}_weak", [])
        candidate = re.compile("|".join(patterns))
        for i, w in enumerate(words):
            if i not in resolved[label] and candidate.fullmatch(w):
                out.add(label)
    return out

