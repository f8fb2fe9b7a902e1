#!/usr/bin/env bash
# The exact commands behind every number in the README's results table.
# Run as: bash scripts/experiments.sh train      # ~1.5 h on 2 CPU cores: 3 seeds of the default and starter configs
#         bash scripts/experiments.sh evaluate   # scores every run and baseline on the test splits (spaCy trains here)
# Needs the built data: newsevents data fetch --mirror ../shared/data/raw && newsevents data build
set -euo pipefail
SEEDS="13 14 15"
TESTS="data/processed/gold_test.jsonl data/starter/test.jsonl"
case "${1:-}" in
  train)
    for s in $SEEDS; do
      [ -f models/base-s$s/metrics.json ] || newsevents -q train configs/base.yaml seed=$s name=base-s$s --overwrite
      [ -f models/starter-s$s/metrics.json ] || newsevents -q train configs/starter.yaml seed=$s name=starter-s$s --overwrite
    done ;;
  evaluate)
    for cfg in base starter; do
      for data in $TESTS; do
        newsevents -q evaluate models/$cfg-s13 models/$cfg-s14 models/$cfg-s15 "$data" --out models/results/$cfg/$(basename "$data" .jsonl)
      done
      newsevents -q baseline keyword configs/$cfg.yaml --data $TESTS --out models/results/keyword-$cfg
      for s in $SEEDS; do
        newsevents -q baseline spacy configs/$cfg.yaml seed=$s --data $TESTS --out models/results/spacy-$cfg-s$s
      done
    done ;;
  *) echo "usage: bash scripts/experiments.sh train|evaluate" >&2; exit 2 ;;
esac
