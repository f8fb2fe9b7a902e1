"""Choose the gold-set documents: most for the events they mention, at least one in five at random.

Run as: python scripts/select_gold.py   (needs data/raw; writes data/gold/selection.tsv and reserved.txt)

Deterministic (seeded). Per source: documents are scored by how many trigger words of the guide's
families they contain; the top-scoring ones are taken "for events", then others at random from what is
left, so that precision is also measured on ordinary text. Official texts are statements, readouts
and letters only (no briefings, remarks or anything with journalists' questions). Each document goes
to gold dev (one third) or gold test (two thirds) by a seeded hash of its id.
"""

import random
import re
from pathlib import Path

from newsevents.data.build import split_of
from newsevents.data.sources import read_source
from newsevents.text import split_sentences

RAW = Path("data/raw")
OUT = Path("data/gold")
SEED = 2026
TRIGGERS = re.compile(
    r"\b(meet|met|meeting|talks|summit|visit\w*|summon\w*|negotiat\w*|deploy\w*|troops|dispatch\w*|station\w*|"
    r"reinforce\w*|mobili[sz]\w*|condemn\w*|denounc\w*|critici[sz]\w*|deplor\w*|decr\w*|accus\w*|rebuk\w*|blam\w*)\b",
    re.IGNORECASE,
)
CONDEMN = re.compile(r"\b(condemn\w*|denounc\w*|critici[sz]\w*|deplor\w*|decr\w*|accus\w*|rebuk\w*|blam\w*|censur\w*)\b", re.I)
# (source, filter, documents for events, documents at random, max sentences)
PLAN = [
    ("m2e2", lambda r: True, 36, 9, 45),
    ("re3d", lambda r: r.meta["folder"] in ("US State Department", "CENTCOM", "UK Government"), 9, 3, 40),
    ("statedept", lambda r: r.meta["kind"] in ("statement", "readout") and not r.meta["questions"], 10, 3, 30),
    ("whitehouse", lambda r: r.meta["kind"] == "statement" and not r.meta["questions"], 7, 2, 30),
    # War Powers letters report deployments of US forces, country by country: the richest text in deployments
    ("whitehouse", lambda r: r.meta["kind"] == "letter" and not r.meta["questions"], 3, 0, 80),
    # added after the first pass counted too few condemnations (issue: gold set needs 100):
    # short State Department statements scored by condemnation words alone
    ("statedept", lambda r: r.meta["kind"] in ("statement", "press release") and not r.meta["questions"], 12, 0, 25, CONDEMN),
    # ... and three more at random, so that at least one document in five is still chosen at random
    ("statedept", lambda r: r.meta["kind"] in ("statement", "readout") and not r.meta["questions"], 0, 3, 15),
]


def choose(name, keep, n_events, n_random, max_sentences, rng, taken, words=TRIGGERS):
    docs = [r for r in read_source(name, RAW) if r.id not in taken and keep(r) and 3 <= len(split_sentences(r.text)) <= max_sentences]
    docs.sort(key=lambda r: (-len(words.findall(r.text)), r.id))
    events, rest = docs[:n_events], sorted(docs[n_events:], key=lambda r: r.id)
    return [(r, "events") for r in events] + [(r, "random") for r in rng.sample(rest, n_random)]


def main():
    rng = random.Random(SEED)
    rows = []
    for name, keep, n_events, n_random, max_sentences, *words in PLAN:
        taken = {row[0] for row in rows}
        for r, reason in choose(name, keep, n_events, n_random, max_sentences, rng, taken, *words):
            split = "dev" if split_of(r.id, SEED, dev=0.0, test=1 / 3) == "test" else "test"
            rows.append((r.id, name, split, reason, len(split_sentences(r.text)), r.meta.get("sha256", "")))
    rows.sort()
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "selection.tsv").open("w", encoding="utf-8") as f:
        f.write("id\tsource\tsplit\treason\tsentences\n")
        f.writelines(f"{i}\t{s}\t{sp}\t{why}\t{n}\n" for i, s, sp, why, n, _ in rows)
    with (OUT / "reserved.txt").open("w", encoding="utf-8") as f:
        f.write("# Gold-set documents (made by scripts/select_gold.py from selection.tsv): never in any built split.\n")
        f.writelines(f"{i}\n" for i, *_ in rows)
    print(f"{len(rows)} documents, {sum(r[4] for r in rows)} sentences; dev {sum(r[2] == 'dev' for r in rows)}")


if __name__ == "__main__":
    main()
