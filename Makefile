# iastm: meta-analysis of IASTM trials. One hand-written Makefile.
# Targets: all (default), test, site-test, reference, asan, valgrind, fuzz, bench, analyses,
# paper, paper-test, install, uninstall, install-test, clean, deps.

VERSION  := 0.1.0
BUILD    ?= build
PREFIX   ?= /usr/local
DESTDIR  ?=
DATADIR  ?= $(PREFIX)/share/iastm
CC       ?= cc
CFLAGS   ?= -O2 -g
WARN     := -std=c11 -Wall -Wextra -pedantic -Wstrict-prototypes -Wmissing-prototypes \
            -Wshadow -Wpointer-arith -Wcast-qual -Wformat=2 -Wno-format-nonliteral
CPPFLAGS += -Iinclude -Isrc -D_POSIX_C_SOURCE=200809L -DIASTM_VERSION='"$(VERSION)"'
LDLIBS   += -lgsl -lgslcblas -lcsv -lpthread -lm
REF      := tests/reference

# The library: every .c under src/<module>/ except the command line (src/cli).
LIB_SRC  := $(sort $(filter-out src/cli/%,$(wildcard src/*/*.c)))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIB      := $(BUILD)/libiastm.a
PROG     := $(BUILD)/iastm
DEPS_OK  := $(BUILD)/.deps-ok

.PHONY: all deps test unit clitest golden examples manpage schema plots reference asan valgrind \
        fuzz bench analyses site-test paper paper-test install uninstall install-test clean FORCE

all: $(PROG)

# Install missing Debian packages once per build directory (scripts/deps.sh).
deps: $(DEPS_OK)
$(DEPS_OK): scripts/deps.sh
	@mkdir -p $(BUILD)
	@scripts/deps.sh
	@touch $@

$(BUILD)/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

# The data directory is compiled into one object, rebuilt when DATADIR changes (make install
# PREFIX=... after a plain make relinks the program with the installed path).
$(BUILD)/datadir.txt: FORCE
	@mkdir -p $(BUILD)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' > $@
$(BUILD)/src/cli/datadir.o: CPPFLAGS += -DIASTM_DATADIR='"$(DATADIR)"'
$(BUILD)/src/cli/datadir.o: $(BUILD)/datadir.txt
FORCE:

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(PROG): $(CLI_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

# TEST_OBJ: objects of the command line a unit test needs besides the library.
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/tests/unit/testutil.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) -Itests/unit $(CFLAGS) -MMD -MP -o $@ $< \
	    $(BUILD)/tests/unit/testutil.o $(TEST_OBJ) $(LIB) -lcmocka $(LDLIBS)

# The signal handlers that remove temporary files belong to the command line.
$(BUILD)/tests/test_outfile: TEST_OBJ = $(BUILD)/src/cli/signals.o
$(BUILD)/tests/test_outfile: $(BUILD)/src/cli/signals.o

$(BUILD)/tests/unit/testutil.o: tests/unit/testutil.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CPPFLAGS) -Itests/unit $(CFLAGS) -MMD -MP -c $< -o $@

# make test: unit tests, command-line tests, metafor reference comparisons, every
# example shown in README.md, --help and the man page, the man page against every
# command's --help, every command's JSON against its schema, the plots rendered, make install
# into a temporary prefix, and the evidence page in a browser.
test: unit clitest golden examples manpage schema plots install-test site-test
	@echo "make test: all test groups passed"

unit: $(UNIT_BIN)
	@fail=0; for t in $(UNIT_BIN); do \
	    IASTM_REFERENCE=$(REF) $$t || fail=1; done; \
	    exit $$fail

clitest: $(PROG)
	@python3 tests/cli/casefile.py
	@IASTM=$(PROG) sh tests/cli/run.sh

golden: $(PROG)
	@python3 tests/golden.py --iastm $(PROG) --ref $(REF) --trials data/trials.csv

examples: $(PROG)
	@python3 tests/examples.py --iastm $(PROG)

# make install and uninstall into a temporary prefix (tests/install/run.sh).
install-test: $(PROG)
	@CC='$(CC)' CFLAGS='$(CFLAGS)' LDFLAGS='$(LDFLAGS)' sh tests/install/run.sh $(BUILD) $(REF)

# man/iastm.1 lists every command and every option of every command's --help.
manpage: $(PROG)
	@python3 tests/manpage.py --iastm $(PROG) --man man/iastm.1

# every command's --format json output against its schema in docs/schema
schema: $(PROG)
	@python3 tests/schema.py --iastm $(PROG)

# Every plot type drawn in PNG, SVG and PDF: SVG fonts, the PDF's text size from its
# raster (pdftoppm), a reference image; the renderings are kept in $(BUILD)/plots.
plots: $(PROG)
	@python3 tests/plots.py --iastm $(PROG) --out $(BUILD)/plots

# The evidence page from the committed results, checked in headless Chromium (installed by
# scripts/deps.sh --browser when missing); screenshots in $(BUILD)/site-*.png.
site-test: $(PROG)
	@sh tests/site/run.sh $(PROG) $(BUILD)

# make reference: regenerate every file of tests/reference from R (metafor, clubSandwich,
# base R quadrature) and compare with the committed files at the README's tolerances; the
# example data in data/examples must equal the reference inputs.
reference:
	@scripts/deps.sh --r
	@sh tests/reference/check.sh $(REF)

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	$(MAKE) BUILD=build-asan CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined' \
	    LDFLAGS='-fsanitize=address,undefined' test

valgrind: $(UNIT_BIN) $(PROG)
	@scripts/deps.sh --tools
	@sh tests/valgrind.sh $(BUILD) $(REF)

# Fuzz the input readers (trials table in SMD and MD, claims, published reviews) and the
# pool/bias numerical path on fuzzed yi/vi (libFuzzer, clang) for FUZZ_SECONDS per target,
# two targets at a time; fails on a crash, leak, sanitizer report or hang.
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined \
              -fno-omit-frame-pointer
FUZZ_TARGETS := fuzz_table fuzz_table_md fuzz_claims fuzz_reviews fuzz_pool
fuzz:
	@scripts/deps.sh --tools
	$(MAKE) BUILD=build-fuzz CC=clang CFLAGS='$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link' \
	    LDFLAGS='-fsanitize=fuzzer,address,undefined' $(FUZZ_TARGETS:%=build-fuzz/%)
	@sh tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(REF) $(FUZZ_TARGETS)

$(BUILD)/fuzz_table_md: tests/fuzz/fuzz_table.c $(LIB)
	$(CC) $(WARN) $(CPPFLAGS) -DFUZZ_MEASURE_MD $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(LIB)
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

bench: $(PROG)
	@sh bench/run.sh $(PROG)

analyses: $(PROG)
	@sh analyses/run.sh $(PROG)

paper: analyses
	@$(MAKE) -C paper IASTM=$(CURDIR)/$(PROG)

# The rendered paper in headless Chromium at 1280 and 390 px: nothing wider than the
# screen, no table row over 200 px; screenshots in $(BUILD)/paper-*.png.
paper-test: paper
	@scripts/deps.sh --browser
	@python3 tests/site/check.py --page paper/paper.html --widths 1280,390 --shots $(BUILD)/paper

# What make install puts and make uninstall removes: the program, the static library with
# its headers and pkg-config file, the man page, and the data files under $(DATADIR).
INC_FILES  := $(sort $(wildcard include/iastm/*.h))
DATA_FILES := $(wildcard data/claims.csv data/trials.csv data/published_reviews.csv \
                data/labels.csv data/README.md)
EX_FILES   := $(sort $(wildcard data/examples/*))
PC_FILE    := $(DESTDIR)$(PREFIX)/lib/pkgconfig/iastm.pc
INSTALLED  := $(DESTDIR)$(PREFIX)/bin/iastm $(DESTDIR)$(PREFIX)/lib/libiastm.a \
              $(DESTDIR)$(PREFIX)/include/iastm.h \
              $(INC_FILES:include/%=$(DESTDIR)$(PREFIX)/include/%) \
              $(DESTDIR)$(PREFIX)/share/man/man1/iastm.1 $(PC_FILE) \
              $(DATA_FILES:data/%=$(DESTDIR)$(DATADIR)/%) \
              $(EX_FILES:data/%=$(DESTDIR)$(DATADIR)/%)

install: $(PROG)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	    $(DESTDIR)$(PREFIX)/include/iastm $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(DATADIR)/examples
	install -m 755 $(PROG) $(DESTDIR)$(PREFIX)/bin/iastm
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/libiastm.a
	install -m 644 include/iastm.h $(DESTDIR)$(PREFIX)/include/iastm.h
	install -m 644 $(INC_FILES) $(DESTDIR)$(PREFIX)/include/iastm/
	install -m 644 man/iastm.1 $(DESTDIR)$(PREFIX)/share/man/man1/iastm.1
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@DATADIR@|$(DATADIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    iastm.pc.in > $(PC_FILE)
	chmod 644 $(PC_FILE)
	install -m 644 $(DATA_FILES) $(DESTDIR)$(DATADIR)/
	install -m 644 $(EX_FILES) $(DESTDIR)$(DATADIR)/examples/

# Removes the files install puts, then the folders only this project uses, when empty.
uninstall:
	rm -f $(INSTALLED)
	rmdir $(DESTDIR)$(PREFIX)/include/iastm $(DESTDIR)$(DATADIR)/examples \
	    $(DESTDIR)$(DATADIR) 2>/dev/null || true

clean:
	rm -rf build build-asan build-*

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_BIN:=.d)
