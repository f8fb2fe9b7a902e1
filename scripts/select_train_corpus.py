"""Choose the documents of our own training corpus (issue: training corpus), never gold documents.

Run as: python scripts/select_train_corpus.py   (needs data/raw; writes data/corpus/selection.tsv)

Every M2E2 (Voice of America) document and every re3d document of the public-domain, OGL and CC BY
folders that is not in the gold set, plus the official statements, readouts and letters (no briefings,
no journalists' questions) with the most event words, up to 160 of them. Deterministic.
"""

import re
from pathlib import Path

from newsevents.data.build import read_reserved
from newsevents.data.sources import read_source
from newsevents.text import split_sentences

RAW = Path("data/raw")
OUT = Path("data/corpus/selection.tsv")
RE3D_FOLDERS = ("US State Department", "CENTCOM", "UK Government", "Australian Department of Foreign Affairs")
EVENTS = re.compile(
    r"\b(meet|met|meeting|talks|summit|visit\w*|summon\w*|negotiat\w*|deploy\w*|troops|dispatch\w*|station\w*|"
    r"condemn\w*|denounc\w*|critici[sz]\w*|deplor\w*|accus\w*|rebuk\w*|blam\w*)\b",
    re.IGNORECASE,
)
N_OFFICIAL = 160
# After the first 407 documents counted 149 condemnations and 125 deployments (the issue asks for 300
# and 150): statements densest in condemnation words until they hold 230 of them, and the War Powers
# letters (deployments of US forces, country by country) not in the gold set.
CONDEMN = re.compile(r"\b(condemn\w*|denounc\w*|critici[sz]\w*|deplor\w*|decr(?:y|ies|ied)\b|accus\w*|rebuk\w*|blam\w*|censur\w*)", re.I)
CONDEMN_WORDS = 230


def main():
    gold = read_reserved("data/gold/reserved.txt")
    rows = []
    for r in read_source("m2e2", RAW):
        if r.id not in gold:
            rows.append((r.id, "m2e2", "all", len(split_sentences(r.text))))
    for r in read_source("re3d", RAW):
        if r.id not in gold and r.meta["folder"] in RE3D_FOLDERS:
            rows.append((r.id, "re3d", "all", len(split_sentences(r.text))))
    official = []
    for name, kinds in (("statedept", ("statement", "readout")), ("whitehouse", ("statement", "letter", "readout"))):
        for r in read_source(name, RAW):
            n = len(split_sentences(r.text))
            if r.id not in gold and r.meta["kind"] in kinds and not r.meta["questions"] and 3 <= n <= 40:
                official.append((-len(EVENTS.findall(r.text)), r.id, name, n))
    official.sort()
    rows += [(rid, name, "events", n) for _, rid, name, n in official[:N_OFFICIAL]]
    taken = gold | {r[0] for r in rows}
    dense, letters = [], []
    for name in ("statedept", "whitehouse"):
        for r in read_source(name, RAW):
            if r.id in taken or r.meta["questions"]:
                continue
            n, c = len(split_sentences(r.text)), len(CONDEMN.findall(r.text))
            if c and n <= 40:
                dense.append((-c / n, r.id, name, n, c))
            if r.meta["kind"] == "letter" and "war-powers" in r.id:
                letters.append((r.id, name, "deployments", n))
    dense.sort()
    total = 0
    for _, rid, name, n, c in dense:
        if total >= CONDEMN_WORDS:
            break
        rows.append((rid, name, "condemnations", n))
        total += c
    rows += letters
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        f.write("id\tsource\treason\tsentences\n")
        f.writelines(f"{i}\t{s}\t{why}\t{n}\n" for i, s, why, n in sorted(rows))
    print(f"{len(rows)} documents, {sum(r[3] for r in rows)} sentences")


if __name__ == "__main__":
    main()
