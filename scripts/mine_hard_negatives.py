"""Mine hard negatives for training (issue 16, item 3): sentences of unlabelled official text that the
current model tags with confidence, to be checked by hand under the guide.

Run as: python scripts/mine_hard_negatives.py --run models/words-s13   (needs data/raw; writes data/contrast/mined.tsv)
        python scripts/mine_hard_negatives.py --report   (after the hand check: how many confident spans were right)

Candidates are sentences of 8-60 words of State Department and White House pages that are in no
split we score on or train on already: not in the gold set or our corpus (nor sharing a sentence's
text with them), not in the contrast set, not in a document of the contrast test split (so the test
split stays apart), and no journalists' questions. The run predicts them all; a sentence is mined
when it holds an event span (DEPLOYMENT, MEETING, CONDEMNATION) scoring at least --min-score whose
trigger the training data rarely has with that label: a confident tag on an unfamiliar word is where
the model's false alarms are (README, the DEPLOYMENT errors of issue 15). Rarest triggers first, at
most --per-trigger sentences a trigger and 2 a document, --n sentences in all.

``mined.tsv`` has the contrast selection's columns (id, category ``mined``, split ``train``, sha256)
and the model's confident spans (``predicted``), so that after the hand check anyone can count how
many of them the guide says are wrong. The annotators see the raw sentences only, never these spans.
Deterministic for a given run.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from pathlib import Path

from newsevents.data.build import read_reserved, read_selection, split_of
from newsevents.data.contrast import read_selection as read_contrast_selection, parse_sentence_id, sentence_id
from newsevents.data.gold import text_sha256
from newsevents.data.sources import read_source
from newsevents.predict import Predictor
from newsevents.schema import read_jsonl
from newsevents.text import normalize_space, split_sentences

SEED = 16  # the contrast set's: its test documents are split_of(doc, 16, 0, 1/3) == "test"
EVENTS = ("DEPLOYMENT", "MEETING", "CONDEMNATION")


def candidates(raw: Path, contrast_dir: Path) -> list[tuple[str, int, int, str]]:
    """(doc id, start, end, text) of every sentence that may be mined (see the module docstring)."""
    taken = read_reserved("data/gold/reserved.txt") | set(read_selection("data/corpus/selection.tsv"))
    contrast = read_contrast_selection(contrast_dir / "selection.tsv")
    contrast_docs = {parse_sentence_id(i)[0] for i in contrast}
    seen, out = set(), []
    for name in ("statedept", "whitehouse"):
        for r in read_source(name, raw):
            sentences = [(s, e, r.text[s:e]) for s, e in split_sentences(r.text)]
            if r.id in taken:
                seen.update(normalize_space(t).lower() for _, _, t in sentences)
                continue
            if r.meta["questions"] or split_of(r.id, SEED, 0.0, 1 / 3) == "test":
                continue
            out += [(r.id, s, e, t) for s, e, t in sentences
                    if 8 <= len(t.split()) <= 60 and sentence_id(r.id, s, e) not in contrast and r.id not in contrast_docs]
    return [c for c in out if normalize_space(c[3]).lower() not in seen]


def report(mined: Path, annotations: list[Path], raw: Path) -> str:
    """After the hand check: how many of the model's confident spans in ``mined`` the annotation
    (the first pass) has, per label; the rest are the hard negatives the mining found."""
    from newsevents.data.gold import load_gold, raw_documents

    rows = [line.split("\t") for line in mined.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    docs = raw_documents([r[0] for r in rows], raw)
    gold = {r.id: {(s.start, s.end, s.label) for s in r.spans} for f in annotations for r in load_gold(f, docs, split="?")}
    right, total, sentences_wrong = Counter(), Counter(), 0
    for sid, _, _, _, predicted, _ in (r[:6] for r in rows):
        if sid not in gold:
            continue
        wrong = 0
        for item in predicted.split(";"):
            label, offsets, _ = item.split(":")
            start, end = map(int, offsets.split("-"))
            total[label] += 1
            right[label] += (start, end, label) in gold[sid]
            wrong += (start, end, label) not in gold[sid]
        sentences_wrong += wrong > 0
    lines = [f"{label:<14} {right[label]:3d} of {total[label]:3d} confident spans right ({right[label] / total[label]:.2f})"
             for label in EVENTS if total[label]]
    n = sum(total.values())
    lines.append(f"{'all':<14} {sum(right.values()):3d} of {n:3d} right; {sentences_wrong} of {len(gold)} checked sentences hold a confident false alarm")
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--report", action="store_true", help="after the hand check: the share of the mined confident spans the annotation has")
    p.add_argument("--run", help="the current model's run directory (required unless --report)")
    p.add_argument("--raw", default="data/raw")
    p.add_argument("--train", default="data/processed/all_hard_train.jsonl", help="the training data whose trigger counts rank the candidates")
    p.add_argument("--min-score", type=float, default=0.8)
    p.add_argument("--n", type=int, default=150)
    p.add_argument("--per-trigger", type=int, default=3)
    p.add_argument("--out", default="data/contrast/mined.tsv")
    args = p.parse_args()
    out = Path(args.out)
    if args.report:
        print(report(out, sorted(out.parent.glob("annotations/mined-*.jsonl")), Path(args.raw)))
        return 0
    if not args.run:
        p.error("--run is required to mine")
    if out.exists():
        print(f"error: {out} exists: it may already be annotated; choose another --out", file=sys.stderr)
        return 1
    known = Counter((r.text[s.start:s.end].lower(), s.label) for r in read_jsonl(args.train) for s in r.spans)
    pool = candidates(Path(args.raw), out.parent)
    print(f"{len(pool)} candidate sentences", file=sys.stderr)
    preds = Predictor.from_run_dir(args.run).predict([t for *_, t in pool], progress=True)
    found = []
    for (doc, s, e, t), spans in zip(pool, preds):
        confident = [x for x in spans if x.label in EVENTS and x.score >= args.min_score]
        if confident:
            rarest = min(known[(t[x.start:x.end].lower(), x.label)] for x in confident)
            trigger = min(confident, key=lambda x: known[(t[x.start:x.end].lower(), x.label)])
            tie = hashlib.sha256(f"{SEED}:{doc}:{s}".encode()).hexdigest()
            found.append((rarest, tie, doc, s, e, t, (t[trigger.start:trigger.end].lower(), trigger.label), confident))
    found.sort()
    rows, per_doc, per_trigger = [], Counter(), Counter()
    for rarest, _, doc, s, e, t, trigger, confident in found:
        if len(rows) == args.n or per_doc[doc] >= 2 or per_trigger[trigger] >= args.per_trigger:
            continue
        per_doc[doc] += 1
        per_trigger[trigger] += 1
        predicted = ";".join(f"{x.label}:{x.start}-{x.end}:{x.score:.3f}" for x in confident)
        rows.append((sentence_id(doc, s, e), "mined", "train", text_sha256(t), predicted, rarest))
    with out.open("x", encoding="utf-8") as f:
        f.write("id\tcategory\tsplit\tsha256\tpredicted\ttrigger_train_count\n")
        f.writelines("\t".join(map(str, row)) + "\n" for row in rows)
    print(f"{len(found)} sentences with a confident event span; wrote {len(rows)} to {out} "
          f"({sum(r[5] == 0 for r in rows)} with a trigger never seen with its label in training)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
