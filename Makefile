# merit — build, test, install.  Plain make with pkg-config.
#
#   make            build ./merit
#   make demo       install the missing build packages, build, run the sample appraisal
#   make check      unit + end-to-end tests, the fault tests and the web load
#                   test, then again under ASan/UBSan
#   make fault      the fault tests: failing allocations, kill -9 at writes,
#                   full disks (tests/fault; FAULT_STRIDE=K: every Kth allocation)
#   make bench      benchmarks (not part of check)
#   make load       merit serve under wrk with writes beside it (LOAD_SECONDS=60)
#   make fuzz       libFuzzer targets (clang)
#   make install    PREFIX=/usr/local DESTDIR= (the binary, the man page, systemd units)
#   make deb        a Debian package, build/deb/merit_VERSION-1_ARCH.deb

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
UNITDIR ?= $(PREFIX)/lib/systemd/system
CC      ?= cc
PKGS     = sqlite3 libpq yaml-0.1 libsodium jansson zlib libcurl libcrypto xlsxwriter cairo pangocairo pangoft2 fontconfig \
           libmicrohttpd freexl libzip expat libutf8proc
# What to install (scripts/install-deps.sh, idempotent), once per top-level
# make: the build's packages for `make` and `make demo`; the test tools
# too for the goals that run tests.
TEST_GOALS = check check-plain check-san unit e2e fault bench load fuzz
DEPS_OK := $(shell pkg-config --exists $(PKGS) 2>/dev/null && test -f /usr/include/csv.h && \
              test -d /usr/share/fonts/opentype/noto && echo yes)
ifeq ($(filter deps clean,$(MAKECMDGOALS)),)
ifeq ($(MAKELEVEL),0)
ifneq ($(filter $(TEST_GOALS),$(MAKECMDGOALS)),)
DEPS_RUN := $(shell sh scripts/install-deps.sh check >&2 && echo ok)
else ifneq ($(DEPS_OK),yes)
$(info merit: some build dependencies are missing; running scripts/install-deps.sh)
DEPS_RUN := $(shell sh scripts/install-deps.sh >&2 && echo ok)
endif
endif
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm -pthread

WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c17 -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE $(WARN) \
             -Isrc -include src/util/banned.h $(PKG_CFLAGS) $(CFLAGS)

# Everything outside src/cli is the engine library; src/cli is the tool.
LIB_SRC  = $(sort $(wildcard src/util/*.c src/core/*.c src/store/*.c src/ingest/*.c src/report/*.c \
                          src/ops/*.c src/web/*.c))
CLI_SRC  = $(sort $(wildcard src/cli/*.c))
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))

B ?= build
# The web UI's files (web/) are built into the binary as C arrays.
WEB_FILES = $(sort $(wildcard web/*.html web/*.js web/*.css web/*.svg web/*.png web/*.ico))
LIB_OBJ  = $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/assets.o
CLI_OBJ  = $(CLI_SRC:%.c=$(B)/%.o)
UNITS    = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: all deps demo check check-plain check-san unit e2e e2e-pg fault bench load fuzz install deb clean

all: merit

merit: $(B)/merit
	@if [ "$(B)" = build ]; then cp $(B)/merit merit; fi

$(B)/merit: $(CLI_OBJ) $(B)/libmerit.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(B)/libmerit.a $(PKG_LIBS) $(LDFLAGS)

$(B)/libmerit.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/gen/assets.c: $(WEB_FILES) scripts/embed-assets.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-assets.sh $@ $(WEB_FILES)

$(B)/gen/assets.o: $(B)/gen/assets.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/tests/%: tests/unit/%.c $(B)/libmerit.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< $(B)/libmerit.a \
	    $(shell pkg-config --libs cmocka) $(PKG_LIBS) $(LDFLAGS)

# main.c keeps standard output's write errors with glibc's fopencookie
$(B)/src/cli/main.o: ALL_CFLAGS += -D_GNU_SOURCE
$(B)/src/store/store_loading.o: ALL_CFLAGS += -D_GNU_SOURCE   # F_OFD_SETLK

# The fault library for tests/fault (LD_PRELOAD): never instrumented, so
# one build serves the plain and the ASan binaries.
$(B)/tests/faultshim.so: tests/fault/shim.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 $(WARN) -O2 -g -fPIC -shared $(shell pkg-config --cflags sqlite3) \
	    -o $@ $< -ldl

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

deps:
	sh scripts/install-deps.sh check

unit: $(UNITS)
	@sh tests/run-unit.sh $(UNITS)

e2e: $(B)/merit
	@sh tests/run-e2e.sh $(abspath $(B)/merit)

# the same end-to-end tests on PostgreSQL: a throwaway cluster, a database a test
e2e-pg: $(B)/merit
	@sh tests/run-e2e.sh $(abspath $(B)/merit) --pg

fault: $(B)/merit $(B)/tests/faultshim.so
	@sh tests/fault/run.sh $(abspath $(B)/merit) $(abspath $(B)/tests/faultshim.so)

check-plain: merit
	@python3 scripts/check-json-pack.py src/*/*.c tests/*/*.c
	@$(MAKE) --no-print-directory unit e2e B=build
	@# PostgreSQL's end-to-end run beside the fault sweeps (two cores; each
	@# one's output whole when it ends)
	@$(MAKE) --no-print-directory -j2 --output-sync=target e2e-pg fault B=build
	@$(MAKE) --no-print-directory load

SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# under ASan the allocation sweeps take every FAULT_STRIDE_SAN-th point
# (the plain build's sweep takes every one); the kill and disk-full sweeps
# every point
FAULT_STRIDE_SAN ?= 8
check-san:
	@$(MAKE) --no-print-directory unit B=build/san CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)"
	@# the fault sweeps beside the end-to-end run, as in check-plain (one
	@# after the other, a run of make check took 92 minutes on 2 cores)
	@FAULT_STRIDE=$(FAULT_STRIDE_SAN) $(MAKE) --no-print-directory -j2 --output-sync=target \
	    e2e fault B=build/san CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)"

check: check-plain check-san
	@echo "check: all tests passed (plain and ASan/UBSan)"

demo: merit
	./merit demo --dir demo

bench: merit
	@sh bench/run.sh

load: merit
	@MERIT=$(abspath merit) sh tests/load/web-load.sh

fuzz:
	@$(MAKE) --no-print-directory B=build/fuzz CC=clang \
	    CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined" build/fuzz/libmerit.a
	@for t in tests/fuzz/fuzz_*.c; do n=$$(basename $$t .c); \
	  echo "clang $$t -> build/fuzz/$$n"; \
	  clang $(ALL_CFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined -o build/fuzz/$$n $$t \
	      build/fuzz/libmerit.a $(PKG_LIBS) || exit 1; done
	@for t in tests/fuzz/fuzz_*.c; do n=$$(basename $$t .c); \
	  echo "run: build/fuzz/$$n -max_total_time=300 tests/fuzz/corpus/$${n#fuzz_}"; done

install: merit
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(UNITDIR)
	install -m 755 merit $(DESTDIR)$(BINDIR)/merit
	install -m 644 doc/merit.1 $(DESTDIR)$(MANDIR)/man1/merit.1
	sh scripts/units.sh $(BINDIR) $(DESTDIR)$(UNITDIR)
	@echo "merit: installed the units merit.service and merit-probe.service in $(UNITDIR);"
	@echo "merit: see the README, 'Install as a service', before systemctl enable --now merit"

# a Debian package (scripts/deb.sh): built with Debian's hardening flags
deb:
	@$(MAKE) --no-print-directory B=build/deb \
	    CFLAGS="$$(dpkg-buildflags --get CFLAGS) $$(dpkg-buildflags --get CPPFLAGS)" \
	    LDFLAGS="$$(dpkg-buildflags --get LDFLAGS) -Wl,-z,now" build/deb/merit
	@sh scripts/deb.sh build/deb/merit build/deb

clean:
	rm -rf build merit demo
