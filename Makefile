# Bianzhi: one Makefile for every module. Targets loop over the modules listed in go.work; nothing is
# copied per service. `make help` lists the targets.

SHELL      := /bin/bash
GO         ?= go
SERVICES   := $(notdir $(wildcard services/*))
MODULES    := pkg $(addprefix services/,$(SERVICES)) deploy/local tests/e2e
VERSION    ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT     ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
LDFLAGS    := -s -w -X github.com/bianzhi/bianzhi/pkg/buildinfo.Version=$(VERSION) -X github.com/bianzhi/bianzhi/pkg/buildinfo.Commit=$(COMMIT)
BIN        := bin
GOBIN_DIR  := $(shell $(GO) env GOPATH)/bin
HELM       := $(GOBIN_DIR)/helm
STATICCHECK := $(GOBIN_DIR)/staticcheck
TEST_FLAGS ?= -timeout 15m

.DEFAULT_GOAL := help
FUZZTIME   ?= 30s
# Minimizing each new corpus input for up to a minute stalls short runs; ten tries keep them exploring.
FUZZFLAGS  ?= -fuzzminimizetime 10x

.PHONY: help build run test test-go test-charts test-chaos chaos fuzz lint fmt vet bench load modules-alone images images-check charts-test helm clean sim

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## Build every service binary and the local stack into bin/
	@mkdir -p $(BIN)
	@for s in $(SERVICES); do \
		echo "build $$s"; CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/$$s ./services/$$s/cmd/$$s || exit 1; \
	done
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/bianzhi-local ./deploy/local/cmd/bianzhi-local

run: ## Run the whole platform locally on its embedded defaults (gateway on :8080, data in ./.data)
	$(GO) run -ldflags '$(LDFLAGS)' ./deploy/local/cmd/bianzhi-local

test: test-go test-charts test-chaos ## Run every test: all Go modules (unit, store, component, e2e), the chart validation and a short chaos run

test-go: ## Run the Go tests of every module (uses Redis at 127.0.0.1:6379 when it answers, else in-process)
	@source scripts/redis-env.sh && $(GO) test $(TEST_FLAGS) $(foreach m,$(MODULES),./$(m)/...)

test-charts: charts-test ## Validate the Helm charts offline (alias)

CHAOS_FLAGS ?=

test-chaos: ## Short crash chaos on real processes: 10 SIGKILLs of quota/units while clients work (about 2-3 minutes)
	$(GO) run ./tests/e2e/chaos -kills 10 $(CHAOS_FLAGS)

chaos: ## Crash chaos on real processes: 100 SIGKILLs of quota/units while clients work, then recovery and checks (docs/quota.md)
	$(GO) run ./tests/e2e/chaos -kills 100 $(CHAOS_FLAGS)

lint: vet $(STATICCHECK) ## gofmt, go vet, staticcheck and the domain dependency rule on every module
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(STATICCHECK) $(foreach m,$(MODULES),./$(m)/...)
	@scripts/depcheck.sh

$(STATICCHECK):
	$(GO) install honnef.co/go/tools/cmd/staticcheck@v0.8.2

vet: ## go vet every module
	$(GO) vet $(foreach m,$(MODULES),./$(m)/...)

fmt: ## Format all Go code
	gofmt -w $$(git ls-files '*.go')

modules-alone: ## Build each module on its own (GOWORK=off), as CI does
	@for m in $(MODULES); do echo "GOWORK=off build $$m"; (cd $$m && GOWORK=off $(GO) build ./... && GOWORK=off $(GO) vet ./...) || exit 1; done

fuzz: ## Run every fuzz target (func FuzzX in a *_test.go) for FUZZTIME (30s) each, one after another; `make test` runs their seed corpora
	@source scripts/redis-env.sh && for f in $$(git grep -l '^func Fuzz' -- '*_test.go'); do \
		for name in $$(grep -o '^func Fuzz[A-Za-z0-9_]*' $$f | cut -d' ' -f2); do \
			echo "fuzz $$name in ./$$(dirname $$f) for $(FUZZTIME)"; \
			$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $(FUZZFLAGS) ./$$(dirname $$f) || exit 1; \
		done; \
	done

SIM_SEEDS ?= 100000
SIM_SEED_START ?= 1
sim: ## Run the quota ledger's deterministic simulator on SIM_SEEDS seeds from SIM_SEED_START (100,000; `make test` runs 1,000)
	SIM_SEEDS=$(SIM_SEEDS) SIM_SEED_START=$(SIM_SEED_START) SIM_FERRET_SEEDS=$${SIM_FERRET_SEEDS:-20} $(GO) test -count=1 -timeout 0 -run 'TestSimulator' -v ./services/quota/internal/sim/ | grep -v '^=== RUN'

bench: ## Run the Go benchmarks and the HTTP load runs; numbers go to docs/performance.md by hand
	@source scripts/redis-env.sh && $(GO) test -run '^$$' -bench . -benchtime 2s $(foreach m,pkg $(addprefix services/,$(SERVICES)),./$(m)/...)
	@source scripts/redis-env.sh && $(GO) run ./tests/e2e/loadgen -duration 5s

helm: $(HELM) ## Install helm (go install, about 10 minutes once on a fresh machine)
$(HELM):
	$(GO) install helm.sh/helm/v3/cmd/helm@v3.22.0

charts-test: $(HELM) ## Lint, render and strictly validate the Helm charts (offline)
	@if [ -x scripts/charts-test.sh ]; then HELM=$(HELM) scripts/charts-test.sh; else echo "charts not yet present"; fi

images: build ## Build one OCI image per service with buildah into build/images (skips without buildah)
	@BIN_DIR=$(BIN) VERSION=$(VERSION) COMMIT=$(COMMIT) scripts/images.sh

images-check: ## Build the quota image and run its `version` inside it (needs buildah)
	@SOURCE=head scripts/images.sh check quota

clean: ## Remove build outputs (keeps ./.data)
	rm -rf $(BIN) build
