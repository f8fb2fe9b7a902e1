#!/usr/bin/env bash
# The exact commands behind every number in the README's results and ablation tables.
# Run as: bash scripts/experiments.sh words      # issue #15: the default with whole-word decoding (3 seeds), then gold dev and gold test
#         bash scripts/experiments.sh hard       # issue #16: + the contrast set's train split (3 seeds); gold dev, gold test, contrast test
#         bash scripts/experiments.sh mined      # issue #16: hard + the sentences mined from unlabelled official text (3 seeds)
#         bash scripts/experiments.sh calibrate  # issue #16: thresholds of the default's seeds chosen on gold dev, scored on gold test
#         bash scripts/experiments.sh speed      # the default (3 seeds) and the fp32 default (seed 13), timed one at a time
#         bash scripts/experiments.sh train      # 3 seeds each of the starter config and ablations (a), (b), (c):
#                                                #   ~20 min (a), ~23 min (b), ~40 min (c) a run on 2 CPU cores;
#                                                #   then the students distilled from (c)'s seed 13 (student-3 took 25 min beside another run)
#         bash scripts/experiments.sh evaluate   # scores every run and baseline on gold dev and gold test (spaCy trains here)
#         python scripts/results_table.py        # prints the README tables from models/results/
# ABLATIONS, STUDENTS and SPACY (the configs the spaCy baseline trains on) narrow train/evaluate; issue #15 reran
#   ABLATIONS="ablation-sources ablation-ours" STUDENTS= SPACY= bash scripts/experiments.sh train (then evaluate)
# Needs the built data: newsevents data fetch --mirror ../shared/data/raw && newsevents data build
# A killed training run continues with: newsevents train CONFIG seed=N name=NAME --resume
set -euo pipefail
SEEDS="${SEEDS:-13 14 15}"
ABLATIONS="${ABLATIONS-ablation-sources ablation-ours ablation-both}"   # (a) public sources' mapped labels, (b) our corpus, (c) both (the default)
STUDENTS="${STUDENTS-student-3 student-2}"   # faster models distilled from models/ablation-both-s13 (README, Performance)
GOLD="data/processed/gold_dev.jsonl data/processed/gold_test.jsonl"
config() { case "$1" in starter) echo configs/starter.yaml ;; *) echo "configs/exp/$1.yaml" ;; esac; }
case "${1:-}" in
  words)   # issue #15: words are the unit (first sub-word labelling, word decoding); the same config as default-s*
    for s in $SEEDS; do
      [ -f "models/words-s$s/metrics.json" ] || newsevents -q train configs/base.yaml seed=$s name=words-s$s --overwrite
    done
    runs=$(for s in $SEEDS; do [ -f "models/words-s$s/metrics.json" ] && echo "models/words-s$s"; done || true)
    for data in $GOLD; do
      newsevents -q evaluate $runs "$data" --out "models/results/words/$(basename "$data" .jsonl)"
    done ;;
  hard)    # issue #16: the default plus the contrast set's train split; gold dev, gold test and the contrast test split
    for s in $SEEDS; do
      [ -f "models/hard-negatives-s$s/metrics.json" ] || newsevents -q train configs/exp/hard-negatives.yaml seed=$s name=hard-negatives-s$s --overwrite
    done
    for cfg in words hard-negatives; do
      runs=$(for s in $SEEDS; do [ -f "models/$cfg-s$s/metrics.json" ] && echo "models/$cfg-s$s"; done || true)
      [ -n "$runs" ] || continue
      for data in $GOLD data/processed/contrast_test.jsonl; do
        out="models/results/$cfg/$(basename "$data" .jsonl)"
        [ -f "$out/summary.json" ] || [ -f "$out/metrics.json" ] || newsevents -q evaluate $runs "$data" --out "$out"
      done
    done ;;
  mined)   # issue #16, item 3: hard-negatives + the sentences mined from unlabelled text (data/contrast/mined.tsv)
    for s in $SEEDS; do
      [ -f "models/hard-negatives-mined-s$s/metrics.json" ] || newsevents -q train configs/exp/hard-negatives-mined.yaml seed=$s name=hard-negatives-mined-s$s --overwrite
    done
    runs=$(for s in $SEEDS; do [ -f "models/hard-negatives-mined-s$s/metrics.json" ] && echo "models/hard-negatives-mined-s$s"; done || true)
    for data in $GOLD data/processed/contrast_test.jsonl; do
      newsevents -q evaluate $runs "$data" --out "models/results/hard-negatives-mined/$(basename "$data" .jsonl)"
    done ;;
  calibrate)  # issue #16: per-label thresholds of each default seed chosen on gold dev (precision >= 0.9), applied on gold test
    for s in $SEEDS; do
      [ -f "models/words-s$s/metrics.json" ] || continue
      newsevents -q calibrate "models/words-s$s" data/processed/gold_dev.jsonl --target-precision 0.9
      newsevents -q evaluate "models/words-s$s" data/processed/gold_test.jsonl --thresholds --out "models/results/words-thresholds/words-s$s"
    done ;;
  speed)   # issue #14: the default and the fp32 default it replaced, one run at a time on the idle machine,
           # wall clock and peak RSS by /usr/bin/time -v (models/results/time/), then gold dev and gold test
    mkdir -p models/results/time
    for s in $SEEDS; do
      [ -f "models/default-s$s/metrics.json" ] || /usr/bin/time -v -o "models/results/time/default-s$s.txt" \
        newsevents -q train configs/base.yaml seed=$s name=default-s$s --overwrite
    done
    for s in ${FP32_SEEDS:-13}; do
      [ -f "models/fp32-default-s$s/metrics.json" ] || /usr/bin/time -v -o "models/results/time/fp32-default-s$s.txt" \
        newsevents -q train configs/exp/fp32-default.yaml seed=$s name=fp32-default-s$s --overwrite
    done
    for cfg in default fp32-default; do
      runs=$(for s in $SEEDS; do [ -f "models/$cfg-s$s/metrics.json" ] && echo "models/$cfg-s$s"; done || true)
      [ -n "$runs" ] || continue
      for data in $GOLD; do
        newsevents -q evaluate $runs "$data" --out "models/results/$cfg/$(basename "$data" .jsonl)"
      done
    done ;;
  train)
    for cfg in starter $ABLATIONS; do
      for s in $SEEDS; do
        [ -f "models/$cfg-s$s/metrics.json" ] || newsevents -q train "$(config $cfg)" seed=$s name=$cfg-s$s --overwrite
      done
    done
    for cfg in $STUDENTS; do
      [ -f "models/$cfg-s13/metrics.json" ] || newsevents -q train "$(config $cfg)" seed=13 name=$cfg-s13 --overwrite
    done ;;
  evaluate)
    for cfg in $STUDENTS; do
      [ -f "models/$cfg-s13/metrics.json" ] || continue
      for data in $GOLD; do
        newsevents -q evaluate "models/$cfg-s13" "$data" --out "models/results/$cfg/$(basename "$data" .jsonl)"
      done
    done
    for cfg in starter $ABLATIONS; do
      runs=$(for s in $SEEDS; do [ -f "models/$cfg-s$s/metrics.json" ] && echo "models/$cfg-s$s"; done || true)
      [ -n "$runs" ] || continue
      for data in $GOLD $([ $cfg = starter ] && echo data/starter/test.jsonl); do
        newsevents -q evaluate $runs "$data" --out "models/results/$cfg/$(basename "$data" .jsonl)"
      done
    done
    for cfg in starter $ABLATIONS; do
      newsevents -q baseline keyword "$(config $cfg)" --data data/processed/gold_test.jsonl --out "models/results/keyword-$cfg"
    done
    for cfg in ${SPACY-starter ablation-sources}; do
      for s in $SEEDS; do
        newsevents -q baseline spacy "$(config $cfg)" seed=$s --data data/processed/gold_test.jsonl --out "models/results/spacy-$cfg-s$s"
      done
    done ;;
  *) echo "usage: bash scripts/experiments.sh words|hard|mined|calibrate|speed|train|evaluate" >&2; exit 2 ;;
esac
