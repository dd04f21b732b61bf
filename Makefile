# zwnet — the two commands of the README:
#   make run    install what is missing, build, seed the demo county, start the server
#   make test   build with AddressSanitizer + UndefinedBehaviorSanitizer and run every test
BUILD   ?= build
ASAN    ?= build-asan
DB      ?= var/zwnet.db
LISTEN  ?= 127.0.0.1:8080
PROFILE ?= tongbai

.PHONY: all run test deps build asan fuzz bench format format-check clean

all: build

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

$(ASAN)/build.ninja:
	meson setup $(ASAN) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

asan: deps $(ASAN)/build.ninja
	ninja -C $(ASAN)

run: build
	@mkdir -p $(dir $(DB))
	@if [ ! -f $(DB) ]; then $(BUILD)/zwnet demo --db $(DB) --profile $(PROFILE); fi
	@echo ""
	@echo "zwnet 已启动: http://$(LISTEN)/api/v1/health"
	@echo "演示登录: 用户名 admin, 密码 $${ZWNET_PASSWORD:-Demo2026zw}"
	@echo "  curl -s -X POST http://$(LISTEN)/api/v1/session -H 'Content-Type: application/json' \\"
	@echo "       -d '{\"username\":\"admin\",\"password\":\"$${ZWNET_PASSWORD:-Demo2026zw}\"}'"
	@echo ""
	exec $(BUILD)/zwnet serve --db $(DB) --listen $(LISTEN)

FUZZ    ?= build-fuzz

$(FUZZ)/build.ninja:
	CC=clang meson setup $(FUZZ) -Dfuzz=true -Dunit_tests=false -Db_sanitize=address,undefined \
		-Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link

fuzz: deps $(FUZZ)/build.ninja
	ninja -C $(FUZZ)

test: asan fuzz
	@tests/run.sh $(ASAN) $(FUZZ)

bench: build
	bench/api.sh $(BUILD)/zwnet

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h')

clean:	rm -rf $(BUILD) $(ASAN) $(FUZZ) tests/out
