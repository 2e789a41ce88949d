# prescore — every entry point a person or CI uses. `make help` lists them.
SHELL := /bin/bash
NODE_BIN := node_modules/.bin
DEMO_DB ?= out/demo.db

.PHONY: help install build typecheck lint test check demo smoke bench fixtures wasm clean

help:
	@echo "make demo     install, build, score the shipped fixtures into $(DEMO_DB) (SQLite)"
	@echo "make test     install, build, run the whole test suite"
	@echo "make check    types, lint and tests: run before every commit"
	@echo "make build    bundle src/ into dist/, what bin/prescore runs (scripts/bundle.ts)"
	@echo "make smoke    the CI smoke run: tiny table end to end through bin/prescore"
	@echo "make bench    throughput and memory against the pandas peer (BENCHMARKS.md)"
	@echo "make fixtures regenerate fixtures/ from scripts/fixtures"
	@echo "make wasm     rebuild the src/scoring/*-wasm.ts modules from their .wat sources"

# npm ci only when the lockfile changed since the last install (better-sqlite3 compiles for ~2 min).
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.installed

build: install
	$(NODE_BIN)/tsx scripts/bundle.ts

typecheck: install
	$(NODE_BIN)/tsc -p tsconfig.json --noEmit

lint: install
	$(NODE_BIN)/eslint .

test: build
	@mkdir -p out
	$(NODE_BIN)/vitest run --reporter=default --reporter=json --outputFile.json=out/test-results.json; \
	  status=$$?; node scripts/test-summary.mjs out/test-results.json || true; exit $$status

check: typecheck lint test

demo: build
	@mkdir -p $(dir $(DEMO_DB))
	bin/prescore score --model fixtures/models/logreg.onnx --input fixtures/customers.csv \
	  --id-column customer_id --output sqlite:$(DEMO_DB) --table customer_scores --max-nan-rate 0.01
	bin/prescore runs --output sqlite:$(DEMO_DB) --table customer_scores
	bin/prescore report --output sqlite:$(DEMO_DB) --table customer_scores --out $(dir $(DEMO_DB))demo-report.html

smoke: build
	@rm -rf out/smoke && mkdir -p out/smoke
	time bin/prescore score --model fixtures/models/trees.onnx --input fixtures/customers.csv.gz \
	  --id-column customer_id --output out/smoke/smoke.db --table smoke_scores --log-format json
	@test "$$(node -e "const D=require('better-sqlite3');console.log(new D('out/smoke/smoke.db').prepare('select count(*) n from smoke_scores').get().n)")" = 200 \
	  && echo "smoke: 200 scores published"

bench: build
	bash bench/run.sh

fixtures: install
	$(NODE_BIN)/tsx scripts/make-fixtures.ts

wasm: install
	$(NODE_BIN)/tsx scripts/build-wasm.ts

clean:
	rm -rf dist out coverage bench/out
