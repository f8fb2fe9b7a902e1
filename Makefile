# Each target is one line; the README gives the same commands.
VENV ?= .venv
BIN = $(VENV)/bin
CONFIG ?= configs/starter.yaml
RUN ?= models/starter

install:            ## virtual environment with the package and its test tools
	python3 -m venv $(VENV) && $(BIN)/pip install -e ".[dev]"
test:               ## the default test suite (slow tests excluded)
	$(BIN)/pytest
data:               ## raw corpora from the shared mirror -> data/processed splits (incl. gold) -> table
	$(BIN)/newsevents data fetch --mirror ../shared/data/raw && $(BIN)/newsevents data build && $(BIN)/newsevents data stats
starter:            ## rebuild data/starter/*.jsonl from its markup source, then validate it
	$(BIN)/newsevents data starter && $(BIN)/newsevents data validate data/starter/*.jsonl
validate:           ## validate every record file the project builds or ships
	$(BIN)/newsevents data validate data/processed/*.jsonl data/starter/*.jsonl seeds/*.jsonl
train:              ## make train CONFIG=configs/base.yaml
	$(BIN)/newsevents train $(CONFIG)
evaluate:           ## make evaluate RUN=models/base DATA=data/processed/gold_test.jsonl
	$(BIN)/newsevents evaluate $(RUN) $(or $(DATA),data/starter/test.jsonl)
smoke:              ## tiny model: train -> evaluate -> predict on seeds/, in seconds
	$(BIN)/newsevents train configs/tiny.yaml --overwrite && $(BIN)/newsevents evaluate models/tiny data/starter/test.jsonl && $(BIN)/newsevents predict models/tiny seeds/ --format table

.PHONY: install test data starter validate train evaluate smoke
