"""The corpus side of newsevents: reading the raw corpora, our standoff annotations and the build of
``data/processed`` (``newsevents data ...``). A user who trains, evaluates or predicts never needs it.

- ``sources/``: one reader per public corpus, each turning raw files into records;
- ``fetch``: download the raw corpora named in ``configs/data/fetch.yaml``, checked by sha256;
- ``markup``: the inline ``[text](LABEL)`` annotation format and its parser;
- ``gold``: our standoff annotations (offsets + text sha256) joined with the raw text;
- ``contrast``: the near-miss sentence ids and their selection table (issue 16);
- ``build``: every split under ``data/processed`` from the above, byte for byte reproducible;
- ``stats``, ``consistency``: the data card's counts and the annotation-consistency check;
- ``cli``: the ``newsevents data ...`` commands.
"""
