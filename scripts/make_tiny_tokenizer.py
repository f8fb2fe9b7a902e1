"""Train the few-kB WordPiece tokenizer that tests and configs/tiny.yaml use (no download needed).

Run as: python scripts/make_tiny_tokenizer.py   (writes tests/fixtures/tiny_tokenizer.json)

It is trained on text this project ships (the seed article and the starter corpus), lower-cased like
the default MiniLM encoder, so tests exercise the same offset mapping a real BERT tokenizer gives.
"""

from pathlib import Path

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

from newsevents.data.markup import parse_markup

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "fixtures" / "tiny_tokenizer.json"
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def texts():
    for path in sorted((REPO / "seeds").glob("*.txt")):
        yield path.read_text(encoding="utf-8")
    for path in sorted((REPO / "data" / "starter" / "source").glob("*.md")):
        for block in path.read_text(encoding="utf-8").split("\n## ")[1:]:
            yield parse_markup(block.split("\n", 1)[1])[0]


def main():
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    tok.train_from_iterator(texts(), trainers.WordPieceTrainer(vocab_size=1000, special_tokens=SPECIALS))
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]", special_tokens=[("[CLS]", cls), ("[SEP]", sep)]
    )
    tok.save(str(OUT))
    print(f"wrote {OUT} ({tok.get_vocab_size()} pieces)")


if __name__ == "__main__":
    main()
