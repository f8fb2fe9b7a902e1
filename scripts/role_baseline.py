"""The positional rule of today's event records, scored as role links on gold spans (issue 18's baseline).

Run as: python scripts/role_baseline.py [RECORDS ...]   (default: data/processed/gold_dev.jsonl and gold_test.jsonl)

Prints per event type and macro F1 (strict on event, role, actor; ``metrics.role_scores``) of
``linking.positional_roles`` over the records annotated for roles. ``newsevents evaluate`` reports the
same rule end to end, on a run's predicted spans.
"""

import sys

from newsevents.linking import positional_roles
from newsevents.metrics import role_scores
from newsevents.schema import read_jsonl

for path in sys.argv[1:] or ["data/processed/gold_dev.jsonl", "data/processed/gold_test.jsonl"]:
    records = read_jsonl(path)
    s = role_scores(records, [positional_roles(r) for r in records])
    per = ", ".join(f"{k} {v['f1']:.3f}" for k, v in s["per_event"].items())
    print(f"{path}: {sum(len(r.roles or []) for r in records)} gold links; positional rule F1 {per}; macro {s['macro']['f1']:.3f}")
