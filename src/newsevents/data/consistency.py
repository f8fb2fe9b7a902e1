"""List surface strings that are labelled differently in different places: "talks" MEETING in one
document and O in another is either a guide decision to write down or an annotation error to fix.

>>> from newsevents.schema import Record, Span
>>> a = Record("a", "Seoul held talks.", [Span(11, 16, "MEETING")], {})
>>> b = Record("b", "The talks failed.", [], {})
>>> [(row["surface"], row["labels"]) for row in inconsistencies([a, b])]
[('talks', {'MEETING': 1, 'O': 1})]
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Sequence

from newsevents.schema import Record


def inconsistencies(records: Sequence[Record], labels: Sequence[str] = ("DEPLOYMENT", "MEETING", "CONDEMNATION"), min_count: int = 2) -> list[dict]:
    """For every lower-cased surface that is a span of one of ``labels`` somewhere, count how each of
    its whole-word occurrences is labelled ("O" when no span covers it exactly), in records covering the
    label. Rows with more than one outcome, most frequent surface first; each row names example ids."""
    surfaces = {r.text[s.start : s.end].lower() for r in records for s in r.spans if s.label in labels}
    counts: dict[str, Counter] = defaultdict(Counter)
    where: dict[tuple, list] = defaultdict(list)
    for r in records:
        exact = {(s.start, s.end): s.label for s in r.spans}
        for surface in surfaces:
            for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", r.text, re.IGNORECASE):
                label = exact.get(m.span(), "O")
                counts[surface][label] += 1
                where[surface, label].append(r.id)
    rows = [
        {"surface": s, "labels": dict(c), "examples": {lab: sorted(set(where[s, lab]))[:3] for lab in c}}
        for s, c in counts.items()
        if len(c) > 1 and sum(c.values()) >= min_count
    ]
    return sorted(rows, key=lambda row: (-sum(row["labels"].values()), row["surface"]))
