"""re3d reader: Dstl's entity-annotated Syria/Iraq documents, Organisation/Person entities mapped to ACTOR.

Each folder of ``re3d/`` holds ``documents.json``, ``entities.json`` and ``relations.json`` (mongoexport,
one object a line). A record is one document (id ``re3d/<_id>``); its text is the document text with
only ``\\r``, zero-width marks and no-break spaces cleaned. Entities of ``cfg["actor_types"]`` above
``min_confidence`` are trimmed to the guide's extent and kept when their head is an actor:

>>> cfg = dict.fromkeys(["non_actor_words", "non_actor_names", "known_actors", "non_actor_persons"], [])
>>> cfg.update(pronouns=["we"], actor_heads=["forces"], modified_nouns=["efforts"],
...            person_titles=["minister"], title_prefixes=[])
>>> text = "We thank the Iraqi security forces, Coalition efforts and Minister Ellwood."
>>> ents = [(0, 2, "Organisation"), (9, 34, "Organisation"), (36, 45, "Organisation"), (58, 74, "Person")]
>>> [(text[s:e], why) for s, e, why in actor_spans(text, ents, cfg)]
[('We', 'pronoun'), ('Iraqi security forces', 'actor'), ('Coalition', 'modifier'), ('Minister Ellwood', 'actor')]
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from pathlib import Path
from typing import Iterator

from newsevents.schema import Record, Span
from newsevents.data.sources.common import drop_overlaps, trim_actor, trim_space

log = logging.getLogger(__name__)

# "group of Syrians" -> "Syrians", "one of our brave service members" -> "our brave service members"
_QUANT_OF = re.compile(r"^(?:(?:an?|the)\s+)?(?:\w+\s+)?(?:one|some|many|most|all|each|none|any|several|both|"
                       r"group|team|contingent|number|hundreds|thousands|dozens|scores|\d[\d,]*)\s+of\s+", re.I)
# A post-head phrase (guide rule 10) starts at one of these words.
_TAIL = re.compile(r"\s(?:of|in|from|for|on|at|to|with|who|which|that|associated|known|centered|centred|loyal|"
                   r"like|across|inside|outside|under|during|including)\s")
_POSS = re.compile(r"^(.+?)['’]s\s")  # a possessor at the start of a mention


def _nameish(word: str) -> bool:
    """A word of a proper name or capitalised title ("al-Qaeda", "U.S.", "Ministers")."""
    return any(c.isupper() for c in word)


def _has(words: list[str], s: str) -> bool:
    """True when one of ``words`` occurs in ``s`` as whole words (case-insensitive)."""
    return any(re.search(rf"(?<![\w.]){re.escape(w)}(?!\w)", s, re.I) for w in words)


def _cut(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip quantifier-of and determiners (rule 8) and the post-head phrase (rule 10) of a mention."""
    start, end = trim_space(text, start, end)
    m = _QUANT_OF.match(text[start:end])
    if m and m.end() < end - start:
        start += m.end()
    start, end = trim_actor(text, start, end)
    for m in _TAIL.finditer(text[start:end]):
        before = text[start : start + m.start()].split()[-1]
        # capitalised names and titles are whole ("Secretary of State", "al-Qaeda in Iraq"), unless the
        # phrase lists several actors ("Foreign Ministers of Iran, Saudi Arabia, ...")
        if not _nameish(before) or "," in text[start + m.end() : end]:
            return trim_actor(text, start, start + m.start())
    return start, end


def _split(text: str, start: int, end: int, heads: set) -> list[tuple[int, int]]:
    """Split a coordination or apposition of actors (rules 11, 13): at " and " only after an actor
    noun ("allies and partners", not "Islamic State of Iraq and the Levant" or "Kurdish and Yezidi
    fighters"); at ", " also after a name of two words or more ("Tobias Ellwood, Foreign Office Minister",
    not "local, legitimate ground forces")."""
    for m in re.finditer(r"(,)\s+(?:and\s+)?|\s+(?:and|&)\s+", text[start:end]):
        left, right = text[start : start + m.start()].split(), text[start + m.end() : end]
        name = m.group(1) and len(left) > 1 and _nameish(left[-1]) and re.match(r"[A-Z0-9]|the |an? ", right)
        if left and (left[-1].lower() in heads or name):
            return [trim_actor(text, start, start + m.start())] + _split(text, *trim_actor(text, start + m.end(), end), heads)
    return [(start, end)]


def _verdict(part: str, etype: str, titled: bool, names: set, cfg: dict) -> str:
    """Why a trimmed mention is or is not an ACTOR: "actor" or the reason it is O."""
    words = part.split()
    head = words[-1] if words else ""
    if not words or part.lower() in cfg["pronouns"] or head.lower() in cfg["pronouns"]:
        return "pronoun"
    if etype == "Person":
        if _has(cfg["non_actor_persons"], part):
            return "private person"
        if titled or head in names or head.lower() in cfg["actor_heads"]:
            return "actor"
        return "person without title"
    if part in cfg["non_actor_names"] or _has(cfg["non_actor_words"], part):
        return "non-actor name or word"
    if re.search(r"-(?:led|backed|held|based|controlled|run|owned)$", head):
        return "modifier"
    if re.fullmatch(r"[\dIVX]+", head) and len(words) > 1:
        head = words[-2]  # a unit number ends the name: "CTF 50", "Committee 1267"
    if _nameish(head) or head.lower() in cfg["actor_heads"] or " ".join(words[-2:]).lower() in cfg["actor_heads"]:
        return "actor"
    return "non-actor head"


def _persons(text: str, ents: list[tuple[int, int, str]], cfg: dict) -> tuple[list, set, set]:
    """Repair re3d's Person extents and find the officials: returns the entities, the titled Person
    ranges and the name tokens of officials.

    re3d often leaves a rank outside ("Staff Sgt. [Albert Connelly]") or cuts a mention after it
    ("[Navy Capt.] Jeff Davis"): the rank is pulled into the name and the cut-off mention dropped.
    A Person is titled when it has a title word, stands in comma apposition to a titled Person
    ("Foreign Secretary, Boris Johnson"), or carries the name of a titled or known one ("Mr Ellwood").
    """
    titles, prefixes = cfg["person_titles"], set(cfg["title_prefixes"]) | set(cfg["person_titles"])
    out = []
    for b, e, t in ents:
        b, e = trim_space(text, b, e)
        if e <= b:
            continue
        if t == "Person":
            words = text[b:e].split()
            if words and words[-1].endswith(".") and words[-1].lower() in prefixes:
                continue  # "Navy Capt." without its name: the name's own mention gets the rank
            while m := re.search(r"(?:^|(?<=\s))([A-Z][\w]*\.?)[ \t]+$", text[max(0, b - 20) : b]):
                if m.group(1).lower() not in prefixes:
                    break
                b -= len(m.group(0))
        out.append((b, e, t))
    titled = {(b, e) for b, e, t in out if t == "Person" and _has(titles, text[b:e])}
    persons = [(b, e) for b, e, t in out if t == "Person"]
    for b, e in persons:  # apposition with a titled Person, in either order
        if any(re.fullmatch(r"\s*,\s*", text[min(e, e2) : max(b, b2)]) for b2, e2 in titled):
            titled.add((b, e))
    names = {v for k in cfg["known_actors"] for w in k.split() for v in (w, w.removeprefix("al-"))}
    names -= {"Abu", "Sheikh"}
    for b, e in titled:
        names |= {w.strip(".,’'\"“”") for w in text[b:e].split() if _nameish(w)}
    titled |= {(b, e) for b, e in persons if text[b:e].split()[-1] in names}
    return out, titled, names


def actor_spans(text: str, ents: list[tuple[int, int, str]], cfg: dict) -> list[tuple[int, int, str]]:
    """``(start, end, verdict)`` for the mentions of ``ents`` (``(begin, end, type)``, high-confidence);
    verdict "actor" marks the ACTOR spans, anything else says why the mention is O."""
    heads = set(cfg["actor_heads"])
    ents, titled_ranges, names = _persons(text, ents, cfg)
    out: list[tuple[int, int, str]] = []
    regions: list[tuple[int, int, str]] = []  # trimmed mentions already decided, for nested entities
    for b, e, etype in sorted(ents, key=lambda x: (x[0], -x[1])):
        outer = next((r for r in regions if r[0] <= b and e <= r[1]), None)
        if outer is not None:  # nested: subsumed by an actor, or a modifier inside a non-actor NP
            if outer[2] == "actor" or not re.match(r"['’]s\b", text[e : e + 2]):
                continue
        titled = (b, e) in titled_ranges
        for lb, le in _lines(text, b, e):
            s, t = _cut(text, lb, le)
            whole = _verdict(text[s:t], etype, titled, names, cfg)
            parts = _split(text, s, t, heads) if whole == "actor" else [(s, t)]
            if whole != "actor" and etype == "Organisation" and (m := _POSS.match(text[s:t])):
                if _nameish(m.group(1)) and m.group(1).lower() not in cfg["pronouns"]:
                    parts = [(s, s + len(m.group(1)))]  # "Saudi Arabia’s leadership" -> "Saudi Arabia"
            for ps, pe in parts:
                why = whole if (ps, pe) == (s, t) else _verdict(text[ps:pe], etype, titled, names, cfg)
                nxt = re.match(r"-([A-Z]+\b)?|\s([A-Za-z][\w-]*)", text[pe:])
                if why == "actor" and nxt and nxt.group(1):
                    pe += nxt.end()  # "CJTF-OIR": re3d cut the name at the hyphen
                elif why == "actor" and nxt and (nxt.group(0) == "-" or nxt.group(2).lower() in cfg["modified_nouns"]):
                    why = "modifier"  # "U.S. airstrikes", "UK-France", "ISIL-held" (rules 7, 12)
                elif why == "actor" and nxt and nxt.group(2) in heads and pe == t:
                    pe += nxt.end()  # re3d marked "ISIL" in "ISIL terrorists": the head is the noun
                out.append((ps, pe, why))
            regions.append((lb, t, whole))
    return out


def _lines(text: str, b: int, e: int) -> list[tuple[int, int]]:
    """A mention crossing a line break is two mentions glued by re3d ("Johnson\\nA spokesman")."""
    pieces, pos = [], b
    for part in text[b:e].split("\n"):
        pieces.append(trim_space(text, pos, pos + len(part)))
        pos += len(part) + 1
    return [p for p in pieces if p[1] > p[0]]


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig") as f:  # mongoexport: one object a line
        return [json.loads(line) for line in f if line.strip()]


def _clean(text: str) -> tuple[str, list[int]]:
    """Drop \\r and invisible marks, no-break space -> space; returns the text and old->new offsets."""
    out, pos = [], []
    for ch in text:
        pos.append(len(out))
        if ch not in "\r\u200e\u200f\ufeff":
            out.append(" " if ch == "\xa0" else ch)
    pos.append(len(out))
    return "".join(out), pos


def read(raw_dir: Path, cfg: dict) -> Iterator[Record]:
    """Records of the configured folders, in config order, documents sorted by ``_id``."""
    for folder in cfg["files"]:
        name = Path(folder).name
        if name in cfg.get("noncommercial", []) and not cfg.get("include_noncommercial", False):
            log.info("re3d: skipping %s (non-commercial licence; set include_noncommercial)", name)
            continue
        ents_by_doc: dict[str, list[dict]] = {}
        for ent in _jsonl(Path(raw_dir) / folder / "entities.json"):
            if ent["type"] in cfg["actor_types"] and ent.get("confidence", 1) >= cfg["min_confidence"]:
                ents_by_doc.setdefault(ent["documentId"], []).append(ent)
        skipped, verdicts = Counter(), Counter()
        for doc in sorted(_jsonl(Path(raw_dir) / folder / "documents.json"), key=lambda d: d["_id"]):
            text, pos = _clean(doc["text"])
            ents = []
            for ent in ents_by_doc.get(doc["_id"], []):
                if 0 <= ent["begin"] < ent["end"] <= len(doc["text"]):
                    ents.append((pos[ent["begin"]], pos[ent["end"]], ent["type"]))
                else:
                    skipped["entity off the text"] += 1
            found: list[Span] = []
            for s, e, why in sorted(set(actor_spans(text, ents, cfg))):
                verdicts[why] += 1
                if why != "actor":
                    continue
                s, e = trim_space(text, s, e)
                if e <= s:
                    skipped["empty"] += 1
                    continue
                found.append(Span(s, e, "ACTOR"))
            spans = drop_overlaps(found, skipped, "overlapping")
            meta = {"source": cfg["source"], "licence": cfg["licences"][name], "labeled": list(cfg["labeled"]),
                    "folder": name, "re3d_id": doc["_id"], "title": doc.get("title", ""),
                    "url": doc.get("sourceUrl", "")}
            yield Record(id=f"{cfg['source']}/{doc['_id']}", text=text, spans=spans, meta=meta)
        log.info("re3d %s: mentions by verdict %s", name, dict(verdicts))
        if skipped:
            log.warning("re3d %s: skipped %s", name, dict(skipped))
