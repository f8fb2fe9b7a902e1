"""Choose the sentences of the contrast set (issue 16): near misses of our four labels, by category.

Run as: python scripts/select_contrast.py   (needs data/raw; writes data/contrast/selection.tsv)

Sentences come from State Department and White House pages that are in neither the gold set nor our
training corpus (no journalists' questions), and a sentence whose text also occurs in a gold or corpus
document is left out, so the contrast test split shares no text with anything we train or score on.
A category takes, in a seeded-hash order, up to PER_CATEGORY sentences of 8-60 words that match its
pattern and were not taken by an earlier category, at most 2 from one document
(4 where a category is short of sentences). A third of the
documents (by a seeded hash of the document id) give the test split; the rest are for training.
Deterministic.
"""

import hashlib
import re
from pathlib import Path

from newsevents.data.build import read_reserved, split_of
from newsevents.contrast import CATEGORIES
from newsevents.data.contrast import sentence_id
from newsevents.data.gold import text_sha256
from newsevents.data.sources import read_source
from newsevents.text import normalize_space, split_sentences

RAW = Path("data/raw")
OUT = Path("data/contrast/selection.tsv")
PER_CATEGORY = 45
SEED = 16
_CAP = r"[A-Z][\w.’'-]*(?: (?:of |the |and )?[A-Z][\w.’'-]*)*"
PATTERNS = {
    "threat": r"\bthreat(?:s|en|ens|ened|ening)?\b",
    "warning": r"\bwarn(?:s|ed|ing|ings)?\b",
    "demand": r"\b(?:demand(?:s|ed|ing)?|call(?:s|ed|ing)? (?:on|upon|for)|urg(?:e|es|ed|ing))\b",
    "rejection": r"\b(?:reject(?:s|ed|ing|ion)?|den(?:y|ies|ied|ying)|denials?)\b",
    "protest": r"\b(?:protesters?|protestors?|demonstrat(?:ors?|ions?)|rall(?:y|ies)|hunger strikes?|general strikes?|marche[sd]|sit-ins?|protests?|protested)\b",
    "judicial": r"\b(?:charged|indict(?:ed|ment|ments)?|sentenc(?:ed|es|ing)|convict(?:ed|ion|ions)|prosecut\w+|arrest(?:ed|s)?|detain(?:ed|s)?|condemned to|accused of|trials?)\b",
    "apology": r"\b(?:apolog\w+|regret(?:s|ted|table)?|remorse)\b",
    "withdrawal": r"\b(?:withdr(?:aw|aws|awn|awal|awals|ew|awing)|retreat\w*|pull(?:ed|ing|s)? (?:out|back)|drawdown of|draw down)\b",
    "exercise": r"\b(?:exercises|drills?|maneuvers|manoeuvres|(?:military|joint|naval|combined|multinational) exercise)\b",
    "training": r"\b(?:train(?:s|ed|ing|ers?|ees?)?)\b",
    "arms": r"\b(?:arms|weapons|munitions|missiles|ammunition|military (?:equipment|aid|assistance)|security assistance|drawdown package)\b",
    "call_letter": r"\b(?:phone calls?|telephone (?:calls?|conversations?)|call(?:ed)? with|spoke (?:by phone )?(?:with|to)|letters?|wrote to)\b",
    "press": r"\b(?:press conferences?|news conferences?|press briefings?|briefed (?:the )?(?:press|reporters)|told reporters|press availability|media availability|remarks to the press|joint press|press releases?|interviews?)\b",
    "planned_meeting": r"\b(?:will (?:meet|visit|host)|plan(?:s|ned)? to (?:meet|visit|host)|look(?:s|ing)? forward to (?:meeting|welcoming|hosting|visiting)|postpon\w+|cancel\w+|upcoming (?:visit|meeting|summit|talks)|next (?:meeting|summit|round))\b",
    "actor_recipient": r"\b(?:assistance|aid|support|funding|loans?|grants?|sanctions|donations?|contributions?)\b[^.;]{0,40}\b(?:to|for|on|against) (?:the )?[A-Z][a-z]+",
    "actor_list": rf"(?:{_CAP}, ){{2,}}(?:and )?{_CAP}",
    "actor_place": r"\b(?:in|across|throughout|inside|from) (?:the )?[A-Z][a-z]{3,}",
    "actor_ngo": r"\b(?:NGOs?|non-?governmental|civil society|Human Rights Watch|Amnesty International|Red Cross|Red Crescent|compan(?:y|ies)|corporations?|firms?|universit(?:y|ies)|think tanks?|foundations?|charit(?:y|ies)|businesses)\b",
    "actor_person": r"\b(?:journalists?|activists?|lawyers?|students?|dissidents?|citizens?|businessm[ae]n|priests?|pastors?|doctors?|defenders?|Mr\.|Ms\.|Mrs\.|Dr\.)",
}
assert list(PATTERNS) == list(CATEGORIES)


def key(*parts) -> str:
    return hashlib.sha256(":".join(map(str, (SEED, *parts))).encode()).hexdigest()


def main():
    reserved = read_reserved("data/gold/reserved.txt")
    corpus = {line.split("\t")[0] for line in Path("data/corpus/selection.tsv").read_text().splitlines()[1:]}
    seen, candidates = set(), []
    for name in ("statedept", "whitehouse"):
        for r in read_source(name, RAW):
            sentences = [(s, e, r.text[s:e]) for s, e in split_sentences(r.text)]
            if r.id in reserved or r.id in corpus:
                seen.update(normalize_space(t).lower() for _, _, t in sentences)  # trained or scored on
                continue
            if not r.meta["questions"]:
                candidates += [(r.id, s, e, t) for s, e, t in sentences if 8 <= len(t.split()) <= 60]
    rows, taken, per_doc = [], set(seen), {}
    for cat, pattern in PATTERNS.items():
        rx = re.compile(pattern)
        pool = sorted((c for c in candidates if rx.search(c[3])), key=lambda c: key(cat, c[0], c[1]))
        n = 0
        for per_doc_max in (2, 4):  # a rare category (press conferences) takes up to 4 a document
            for doc, s, e, t in pool:
                norm = normalize_space(t).lower()
                if n == PER_CATEGORY or norm in taken or per_doc.get((cat, doc), 0) >= per_doc_max:
                    continue
                taken.add(norm)
                per_doc[(cat, doc)] = per_doc.get((cat, doc), 0) + 1
                split = "test" if split_of(doc, SEED, 0.0, 1 / 3) == "test" else "train"
                rows.append((sentence_id(doc, s, e), cat, split, text_sha256(t)))
                n += 1
        print(f"{cat:16s} {n:3d} of {len(pool)} matching sentences")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        f.write("id\tcategory\tsplit\tsha256\n")
        f.writelines(f"{i}\t{c}\t{s}\t{h}\n" for i, c, s, h in rows)
    print(f"{len(rows)} sentences, test {sum(r[2] == 'test' for r in rows)}")


if __name__ == "__main__":
    main()
