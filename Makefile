# rotative — GNU make + pkg-config. `make demo` typesets the sample edition,
# `make check` runs every test. See README.md.

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKG_CONFIG ?= pkg-config

PKGS := pangocairo pangoft2 cairo harfbuzz harfbuzz-subset fontconfig yaml-0.1 libcmark-gfm libqpdf lcms2 libjpeg libpng zlib \
        libmicrohttpd nettle

ifeq ($(SANITIZE),1)
BUILD   := build/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else ifeq ($(SANITIZE),thread)
BUILD   := build/tsan
SANFLAGS := -fsanitize=thread -fno-omit-frame-pointer
else
BUILD   := build/rel
SANFLAGS :=
endif

CFLAGS  ?= -O2 -g
CFLAGS  += -DRT_DATADIR=\"$(PREFIX)/share/rotative\"
CFLAGS  += -pthread -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -MMD -MP $(SANFLAGS)
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lhyphen -lm -pthread
LDFLAGS += $(SANFLAGS)

SRCS     := $(sort $(shell find src -mindepth 2 -name '*.c'))
LIB_OBJS := $(SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/src/main.o
BIN      := $(BUILD)/rotative
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRCS := $(sort $(wildcard tests/tools/*.c))
TOOL_BINS := $(TOOL_SRCS:tests/tools/%.c=$(BUILD)/tests/%)

DEMO_EDITION := issues/2026-05/issue.yaml

# plain `make` builds the program (the included fuzz rules come first otherwise)
.DEFAULT_GOAL := all

# make fuzz (libFuzzer, clang-14) and the replay binaries make check uses
include tests/fuzz/fuzz.mk

.PHONY: all deps demo check unit e2e install uninstall clean format bench fuzz typo-bench
all: $(BIN) build/rotative

deps:
	@bash .ci/deps

# Convenience link so build/rotative always names the last plain build.
build/rotative: $(BIN)
	@ln -sf $(patsubst build/%,%,$(BIN)) build/rotative

$(BIN): $(LIB_OBJS) $(MAIN_OBJ)
	@echo "  LD   $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC   $<"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/tools/%.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@echo "  CC   $<"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) -Isrc -o $@ $< $(LIB_OBJS) $(LDFLAGS) $(PKG_LIBS)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@echo "  CC   $<"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) -Isrc -o $@ $< $(LIB_OBJS) $(LDFLAGS) $(PKG_LIBS) -lcmocka

demo: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p out
	$(BIN) build $(DEMO_EDITION) -o out/demo.pdf
	@echo "demo: wrote out/demo.pdf"

# the plain check also builds the program under ThreadSanitizer
# (build/tsan): tests/e2e/threads.sh builds editions with it
ifeq ($(SANITIZE),)
TSAN_BIN := build/tsan/rotative
endif

check: deps
	@$(MAKE) --no-print-directory all $(UNIT_BINS) $(TOOL_BINS) $(FUZZ_REPLAY_BINS)
ifeq ($(SANITIZE),)
	@$(MAKE) --no-print-directory SANITIZE=thread build/tsan/rotative
endif
	@ROTATIVE_SANITIZE=$(SANITIZE) ROTATIVE_TSAN_BIN=$(TSAN_BIN) bash tests/run.sh $(BIN) $(UNIT_BINS)

# Typography: rotative's --stats next to Pango's greedy justification of the
# same paragraphs (50 mm column, 9/11 pt French prose; then the sample).
typo-bench: deps
	@$(MAKE) --no-print-directory all $(BUILD)/tests/pango_greedy
	@for ed in tests/typo/issue.yaml $(DEMO_EDITION); do \
	  echo "== $$ed"; \
	  $(BIN) build $$ed -o $(BUILD)/typo-bench.pdf --stats --quiet 2>/dev/null \
	    | sed -n '1p;s/^ALL   /rotative/p;/emergency/p'; \
	  $(BUILD)/tests/pango_greedy $$ed | tail -1; \
	done

# Speed and memory on generated editions, next to Pango's greedy layout of
# the same text (the floor) and pdflatex (when installed). See README.md.
bench: deps
	@bash .ci/deps bench || echo "bench: without TeX Live's packages, no pdflatex reference"
	@$(MAKE) --no-print-directory all $(BUILD)/tests/runstat $(BUILD)/tests/pango_greedy
	@bash tests/bench/bench.sh $(BIN) $(BUILD)/tests

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/rotative
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/rotative
	cp -R layouts fonts $(DESTDIR)$(PREFIX)/share/rotative/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/rotative
	rm -rf $(DESTDIR)$(PREFIX)/share/rotative

format:
	clang-format -i $(SRCS) src/main.c $(shell find src -name '*.h') $(UNIT_SRCS)

clean:
	rm -rf build out

-include $(LIB_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(UNIT_BINS:=.d) $(TOOL_BINS:=.d)
