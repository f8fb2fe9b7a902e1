"""Role annotation by hand (issue 18): a worksheet of each document's events with their nearby actors,
filled in by an annotator, read back as standoff roles, and the agreement of two passes.

A worksheet shows, per document, the sentences around each event with every ACTOR span numbered
``[...](A3)`` and every event ``[...](E2 MEETING)``, then one line per event to fill in::

    E1 MEETING "summoned": SOURCE A1; TARGET A2
    E2 CONDEMNATION "condemned": SOURCE author; TARGET A4, A5 | hypothetical

>>> from newsevents.schema import Record, Span
>>> r = Record("d", "Seoul summoned the envoy.", [Span(0, 5, "ACTOR"), Span(6, 14, "MEETING"), Span(19, 24, "ACTOR")])
>>> sheet = worksheet([r])
>>> print(sheet.splitlines()[1])
[S1] [Seoul](A1) [summoned](E1 MEETING) the [envoy](A2).
>>> filled = sheet.replace('"summoned":', '"summoned": SOURCE A1; TARGET A2')
>>> read_worksheet(filled, {"d": r}, "x")[0]["roles"]
[{'event': [6, 14], 'role': 'SOURCE', 'actor': [0, 5]}, {'event': [6, 14], 'role': 'TARGET', 'actor': [19, 24]}]
"""

from __future__ import annotations

import re
from typing import Sequence

from newsevents.data.markup import HEADER
from newsevents.data.sources.common import text_sha256
from newsevents.metrics import role_scores
from newsevents.schema import AUTHOR, MODALITIES, ROLES, Record, Role, check_record
from newsevents.text import split_sentences

_EVENT_LINE = re.compile(r'^(E\d+) ([A-Z]+) "(.*)":(.*)$')


class RoleSheetError(ValueError):
    """A filled-in worksheet that cannot be read; the message names the document and the event."""


def numbered(record: Record) -> tuple[list, list]:
    """The record's ACTOR spans and event spans, each in text order: A1.. and E1.."""
    spans = sorted(record.spans)
    return [s for s in spans if s.label == "ACTOR"], [s for s in spans if s.label in ROLES]


def worksheet(records: Sequence[Record]) -> str:
    """The worksheet of these records: for each event the sentence before it, its own and the one after
    (the reach of decision 74), with actors and events numbered, then the lines to fill in."""
    parts = []
    for r in records:
        actors, events = numbered(r)
        sentences = split_sentences(r.text)
        shown = sorted({i + d for e in events for i, (s, t) in enumerate(sentences) if s <= e.start < t for d in (-1, 0, 1)}
                       & set(range(len(sentences))))
        marks = {(a.start, a.end): f"A{k}" for k, a in enumerate(actors, 1)}
        marks.update({(e.start, e.end): f"E{k} {e.label}" for k, e in enumerate(events, 1)})
        lines = [f"## {r.id}"]
        for i in shown:
            s, t = sentences[i]
            inside = sorted((a, b) for a, b in marks if s <= a < t)
            out, pos = [], s
            for a, b in inside:
                out += [r.text[pos:a], f"[{r.text[a:b]}]({marks[(a, b)]})"]
                pos = b
            lines.append(f"[S{i + 1}] " + ("".join(out) + r.text[pos:t]).replace("\n", " "))
        lines += [""] + [f'E{k} {e.label} "{r.text[e.start:e.end]}":' for k, e in enumerate(events, 1)]
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def read_worksheet(text: str, records: dict[str, Record], annotator: str, where: str = "worksheet") -> list[dict]:
    """Standoff role lines (id, sha256, roles, modality, annotator) from a filled-in worksheet; each is
    checked against its record's spans like any record (``schema.check_record``)."""
    out, doc, filled = [], None, {}

    def flush():
        if doc is None:
            return
        r = records[doc]
        actors, events = numbered(r)
        roles, modality = [], []
        for k, spec in sorted(filled.items()):
            e = events[k - 1]
            spec, _, mod = spec.partition("|")
            if mod.strip():
                if mod.strip() not in MODALITIES:
                    raise RoleSheetError(f"{where}: {doc} E{k}: modality {mod.strip()!r} is not one of {', '.join(MODALITIES)}")
                modality.append({"event": [e.start, e.end], "value": mod.strip()})
            for part in filter(None, (p.strip() for p in spec.split(";"))):
                role, _, fillers = part.partition(" ")
                for f in filter(None, (x.strip() for x in fillers.split(","))):
                    if f == AUTHOR:
                        actor = AUTHOR
                    elif re.fullmatch(r"A\d+", f) and 1 <= int(f[1:]) <= len(actors):
                        a = actors[int(f[1:]) - 1]
                        actor = [a.start, a.end]
                    else:
                        raise RoleSheetError(f"{where}: {doc} E{k}: {f!r} is neither an actor id (A1-A{len(actors)}) nor {AUTHOR!r}")
                    roles.append({"event": [e.start, e.end], "role": role, "actor": actor})
        obj = {**r.to_dict(), "roles": roles, "modality": modality}
        problems = check_record(obj, require_meta=False)
        if problems:
            raise RoleSheetError(f"{where}: {doc}: {problems[0]}")
        out.append({"id": doc, "sha256": text_sha256(r.text), "roles": roles, "modality": modality, "annotator": annotator})

    for line in text.splitlines():
        m = HEADER.match(line)
        if m:
            flush()
            doc, filled = m.group(1), {}
            if doc not in records:
                raise RoleSheetError(f"{where}: unknown document {doc!r}")
            continue
        m = _EVENT_LINE.match(line)
        if m and doc is not None:
            k = int(m.group(1)[1:])
            events = numbered(records[doc])[1]
            if not 1 <= k <= len(events) or records[doc].text[events[k - 1].start:events[k - 1].end] != m.group(3):
                raise RoleSheetError(f"{where}: {doc} {m.group(1)}: not the event the worksheet was made with")
            filled[k] = m.group(4).strip()
    flush()
    return out


def agreement(first: Sequence[dict], second: Sequence[dict], records: dict[str, Record]) -> dict:
    """``metrics.role_scores`` of the second role pass against the first over their shared documents
    (first pass as reference; F1 is symmetric), with the document count."""
    a, b = {x["id"]: x for x in first}, {x["id"]: x for x in second}
    shared = sorted(set(a) & set(b))
    missing = [d for d in shared if d not in records]
    if missing:
        raise RoleSheetError(f"{missing[0]}: roles of a document that is not in the records given")
    ref = [Record.from_dict({**records[d].to_dict(), "roles": a[d].get("roles", []), "modality": a[d].get("modality", [])}) for d in shared]
    other = [[Role.from_dict(r) for r in b[d].get("roles", [])] for d in shared]
    return {"documents": len(shared), **role_scores(ref, other)}
