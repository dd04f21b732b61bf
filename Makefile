# zwnet — the two commands of the README:
#   make run    install what is missing, build, seed the demo county, start the server
#   make test   build with AddressSanitizer + UndefinedBehaviorSanitizer and run every test
# and:
#   make deb    the Debian package (debian/), lintian clean, in build-deb/
#   make tsan   ThreadSanitizer over the unit tests and the address plan's API tests (not in
#               make test: a few minutes)
BUILD   ?= build
ASAN    ?= build-asan
TSAN    ?= build-tsan
DB      ?= var/zwnet.db
LISTEN  ?= 127.0.0.1:8080
PROFILE ?= tongbai

.PHONY: all run test deps build asan tsan fuzz web deb bench format format-check clean

all: build

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

$(ASAN)/build.ninja:
	meson setup $(ASAN) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false \
		-Dmutants=true

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

# The ZW_MUTANT hooks (tests/api/mutate.py) are on in this build; a build directory set up
# before the option existed is switched over.
asan: deps $(ASAN)/build.ninja
	@grep -q DZW_MUTANTS $(ASAN)/build.ninja || meson setup --reconfigure $(ASAN) -Dmutants=true
	ninja -C $(ASAN)

# The web console: npm packages pinned by web/package-lock.json, built into web/dist (hashed,
# pre-compressed files that zwnet serve sends).
WEB_SRC := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.js \
	web/scripts/compress.mjs

# npm install, not npm ci: npm ci refuses a lock file that lacks the optional per-platform
# packages (rollup's) a registry mirror may not carry; install keeps to the lock file otherwise.
web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm install --no-audit --no-fund
	@touch $@

web/dist/index.html: web/node_modules/.installed $(WEB_SRC)
	cd web && npm run build

web: deps web/dist/index.html

run: build web
	@mkdir -p $(dir $(DB))
	@if [ ! -f $(DB) ]; then $(BUILD)/zwnet demo --db $(DB) --profile $(PROFILE); fi
	@echo ""
	@echo "zwnet 已启动: http://$(LISTEN)/ （Web 控制台），接口 http://$(LISTEN)/api/v1/"
	@echo "演示登录: 用户名 admin, 密码 $${ZWNET_PASSWORD:-Demo2026zw}"
	@echo "  curl -s -X POST http://$(LISTEN)/api/v1/session -H 'Content-Type: application/json' \\"
	@echo "       -d '{\"username\":\"admin\",\"password\":\"$${ZWNET_PASSWORD:-Demo2026zw}\"}'"
	@echo ""
	exec $(BUILD)/zwnet serve --db $(DB) --listen $(LISTEN)

# The Debian package: dpkg-buildpackage in this tree (its outputs moved from .. to build-deb/),
# then lintian, which must find no error or warning (a failing package is removed). The meson
# build directory (build-deb/meson, release) is kept, so a rebuild compiles only what changed,
# and nothing is rebuilt while the package is newer than every file it is made from. dh_clean
# first: debhelper's stamps of the last build would otherwise make it skip the build steps
# (the binary rebuilt by meson install, but not the man page and conffile made from it).
DEB_VERSION := $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
DEB_ARCH    := $(shell dpkg --print-architecture 2>/dev/null)
DEB_BASE    := zwnet_$(DEB_VERSION)_$(DEB_ARCH)
DEB         := build-deb/$(DEB_BASE).deb
DEB_SRC     := $(shell git ls-files src debian dist contrib/freeradius profiles data api tools \
	meson.build meson_options.txt Makefile README.md docs/OPERATIONS.md 2>/dev/null)

$(DEB): $(DEB_SRC) web/dist/index.html
	dh_clean
	dpkg-buildpackage -us -uc -b --no-pre-clean -Jauto
	@mkdir -p build-deb
	mv ../$(DEB_BASE).deb ../zwnet-dbgsym_$(DEB_VERSION)_$(DEB_ARCH).deb ../$(DEB_BASE).buildinfo \
		../$(DEB_BASE).changes build-deb/
	@lintian --fail-on error,warning --display-info $@ >build-deb/lintian.log 2>&1 || \
		{ cat build-deb/lintian.log; rm -f $@; echo "lintian: $@ removed" >&2; exit 1; }
	@cat build-deb/lintian.log
	@echo "zwnet: $@ built, lintian clean"

deb: deps web $(DEB)

FUZZ    ?= build-fuzz

$(FUZZ)/build.ninja:
	CC=clang meson setup $(FUZZ) -Dfuzz=true -Dunit_tests=false -Db_sanitize=address,undefined \
		-Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link

fuzz: deps $(FUZZ)/build.ninja
	ninja -C $(FUZZ)

test: asan fuzz web
	@tests/run.sh $(ASAN) $(FUZZ)

# ThreadSanitizer, run by hand (docs/OPERATIONS.md, 开发者): the unit tests, then the API tests
# of the address plan (its free-space pools are shared by the server's request threads), with
# the API and the CLI allocating from one block at once (test_concurrency.py). A report fails
# the run (the harness looks for it in the server's log; a CLI command exits 66).
# tests/tsan.supp names system libraries that are not instrumented.
TSAN_TESTS ?= test_ipam.py test_cli_ipam.py test_concurrency.py test_applications.py \
	test_import.py
TSAN_SUPP = $(CURDIR)/tests/tsan.supp
TSAN_ENV = TSAN_OPTIONS="halt_on_error=0:exitcode=66:second_deadlock_stack=1:suppressions=$(TSAN_SUPP)"

$(TSAN)/build.ninja:
	meson setup $(TSAN) --buildtype=debug -Db_sanitize=thread -Db_lundef=false -Dmutants=true

tsan: deps $(TSAN)/build.ninja
	ninja -C $(TSAN)
	$(TSAN_ENV) meson test -C $(TSAN) --suite unit --print-errorlogs
	$(TSAN_ENV) python3 tests/api/run.py --bin $(TSAN)/zwnet --out tests/out/tsan $(TSAN_TESTS)

bench: build
	bench/api.sh $(BUILD)/zwnet

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN) $(TSAN) $(FUZZ) tests/out web/dist web/node_modules
