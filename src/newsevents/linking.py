"""Role linking, who did what to whom (issue 18): today the positional rule of the event records, the
baseline a learned linker has to beat.

The positional rule reads an event's sentence only: the ACTOR spans before the trigger are its
SOURCE, those after it its TARGET, whatever the event type (``output.events`` lists them the same
way as candidate source and target).

>>> from newsevents.schema import Record, Span
>>> r = Record("a", "Seoul condemned Tokyo.", [Span(0, 5, "ACTOR"), Span(6, 15, "CONDEMNATION"), Span(16, 21, "ACTOR")])
>>> [(x.role, r.text[x.actor[0]:x.actor[1]]) for x in positional_roles(r)]
[('SOURCE', 'Seoul'), ('TARGET', 'Tokyo')]
"""

from __future__ import annotations

from newsevents.schema import ROLES, Record, Role
from newsevents.text import sentence_of, split_sentences


def positional_roles(record: Record) -> list[Role]:
    """The positional rule's role links over the record's spans (gold or predicted)."""
    sentences = split_sentences(record.text)
    actors = [a for a in sorted(record.spans) if a.label == "ACTOR"]
    out = []
    for e in sorted(record.spans):
        if e.label not in ROLES:
            continue
        s0, s1 = sentence_of(sentences, e.start, len(record.text))
        for a in actors:
            if s0 <= a.start < s1 and (a.end <= e.start or a.start >= e.end):
                out.append(Role((e.start, e.end), "SOURCE" if a.end <= e.start else "TARGET", (a.start, a.end)))
    return out
