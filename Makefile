# The two commands of the README.
.PHONY: run test setup bench

setup:
	@bash scripts/setup.sh

# Set up, index the bundled corpus (incremental), then ask questions in the terminal.
run: setup
	@.venv/bin/assistant index
	@.venv/bin/assistant search

# Set up, then run the whole test suite (slow end-to-end tests included).
test: setup
	@.venv/bin/python -m pytest -q

bench: setup
	@.venv/bin/python bench/retrieval_bench.py
