# Each target is one line; the README gives the same commands.
VENV ?= .venv
BIN = $(VENV)/bin

install:            ## virtual environment with the package and its test tools
	python3 -m venv $(VENV) && $(BIN)/pip install -e ".[dev]"
test:               ## the default test suite (slow tests excluded)
	$(BIN)/pytest
data:               ## raw corpora from the shared mirror -> data/processed splits -> table
	$(BIN)/newsevents data fetch --mirror ../shared/data/raw && $(BIN)/newsevents data build && $(BIN)/newsevents data stats
starter:            ## rebuild data/starter/*.jsonl from its markup source, then validate it
	$(BIN)/newsevents data starter && $(BIN)/newsevents data validate data/starter/*.jsonl
validate:           ## validate every record file the project builds or ships
	$(BIN)/newsevents data validate data/processed/*.jsonl data/starter/*.jsonl seeds/*.jsonl

.PHONY: install test data starter validate
