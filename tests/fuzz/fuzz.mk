# tests/fuzz/fuzz.mk — fuzzing, included by the main Makefile
# (uses its BUILD, SRCS, LIB_OBJS, CC, CFLAGS, LDFLAGS, PKG_CFLAGS, PKG_LIBS).
#
#   make fuzz                      build the libFuzzer harnesses with clang-14 into
#                                  build/fuzz/ and run each for FUZZ_TIME seconds
#   make fuzz FUZZ_TIME=600        longer runs (0 = until stopped)
#   make fuzz FUZZ_TARGETS=message one harness only
#   make fuzz FUZZ_FLAGS=-runs=1000000   any extra libFuzzer flags
#   make fuzz FUZZ_ASAN=0          UBSan only (faster), in build/fuzz-ubsan/
#   make fuzz-replay               replay tests/fuzz/corpus/<t> and regressions/<t>
#                                  through the harnesses built with $(CC) (no
#                                  libFuzzer; part of `make check`)
#
# Targets: message (rt_message_load), edition (rt_edition_load), markdown
# (rt_markdown_parse), form (the web form's decoding and escaping, through a
# libmicrohttpd daemon in the harness), build (the whole build of a tiny
# edition: load, parse, compose, render, finish, and the page count read
# back). Fuzzing works on a copy of the seed corpus in
# build/fuzz/corpus-<t> (new inputs accumulate there, the checked-in corpus
# stays as it is); crashes are written to build/fuzz/artifacts-<t>/. See
# tests/fuzz/README.md.

FUZZ_ALL     := message edition markdown form build
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_CC      ?= clang-14
FUZZ_TIME    ?= 60
FUZZ_FLAGS   ?=
FUZZ_ROOT_DEF = -DRT_FUZZ_ROOT=\"$(CURDIR)\"
# FUZZ_ASAN=0: UBSan only, in build/fuzz-ubsan/ (about three times as many
# executions a second for the build target; no ASan, no leak detection)
FUZZ_ASAN    ?= 1
ifeq ($(FUZZ_ASAN),0)
FUZZ_DIR     := build/fuzz-ubsan
FUZZ_SAN     := -fsanitize=undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
else
FUZZ_DIR     := build/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer
endif
FUZZ_CFLAGS  := -O1 -g -pthread -std=c11 -D_GNU_SOURCE -Wall -Wextra -MMD -MP \
                -DRT_DATADIR=\"$(PREFIX)/share/rotative\" $(FUZZ_SAN)
FUZZ_LIB_OBJS := $(SRCS:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_BINS    := $(FUZZ_ALL:%=$(FUZZ_DIR)/fuzz_%)
FUZZ_REPLAY_BINS := $(FUZZ_ALL:%=$(BUILD)/tests/replay_%)

# Dictionaries: YAML keys and syntax for the loaders, Markdown for the parser.
FUZZ_DICT_message  := tests/fuzz/yaml.dict
FUZZ_DICT_edition  := tests/fuzz/yaml.dict
FUZZ_DICT_markdown := tests/fuzz/markdown.dict
FUZZ_DICT_form     := tests/fuzz/form.dict
FUZZ_DICT_build    := tests/fuzz/markdown.dict
# The whole-build harness writes PDFs: on tmpfs when there is one.
FUZZ_TMP_build := $(if $(wildcard /dev/shm),/dev/shm/rotative-fuzz-build,)

.PHONY: fuzz fuzz-build fuzz-replay fuzz-clean fuzz-toolchain

fuzz-toolchain:
	@command -v $(FUZZ_CC) >/dev/null || { \
	  echo "fuzz: $(FUZZ_CC) not found (Debian: apt-get install clang-14)"; exit 2; }

fuzz-build: $(FUZZ_BINS)

# Library objects: instrumented for coverage (fuzzer-no-link) and sanitizers.
$(FUZZ_DIR)/obj/%.o: %.c | fuzz-toolchain
	@mkdir -p $(dir $@)
	@echo "  FUZZCC $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -c -o $@ $<

$(FUZZ_DIR)/obj/tests/fuzz/%.o: tests/fuzz/%.c | fuzz-toolchain
	@mkdir -p $(dir $@)
	@echo "  FUZZCC $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_ROOT_DEF) $(PKG_CFLAGS) \
	  -c -o $@ $<

$(FUZZ_BINS): $(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.o $(FUZZ_LIB_OBJS)
	@echo "  FUZZLD $@"
	@$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ $(PKG_LIBS)

# Runs each harness for FUZZ_TIME seconds on its own copy of the seed corpus;
# stops at the first crash, leak or failed check (the input is in
# build/fuzz/artifacts-<t>/: copy it to tests/fuzz/regressions/<t>/). The
# harnesses' temporary folders go to build/fuzz/tmp-<t>/, so that those a
# crash leaves behind are removed by the next run, not left in /tmp.
# tests/lsan.supp (as for make check): fontconfig's and libhyphen's one-time
# allocations, else every run ends in a leak report at exit.
fuzz: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  case $$t in markdown|build) dict=$(FUZZ_DICT_markdown);; form) dict=$(FUZZ_DICT_form);; *) dict=$(FUZZ_DICT_message);; esac; \
	  tmp=$(CURDIR)/$(FUZZ_DIR)/tmp-$$t; \
	  if [ $$t = build ] && [ -n "$(FUZZ_TMP_build)" ]; then tmp=$(FUZZ_TMP_build); fi; \
	  rm -rf $$tmp; \
	  mkdir -p $(FUZZ_DIR)/corpus-$$t $(FUZZ_DIR)/artifacts-$$t $$tmp; \
	  cp tests/fuzz/corpus/$$t/* $(FUZZ_DIR)/corpus-$$t/; \
	  echo "== fuzz_$$t: $(FUZZ_TIME) s, corpus $(FUZZ_DIR)/corpus-$$t"; \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  TMPDIR=$$tmp $(FUZZ_DIR)/fuzz_$$t -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
	    -dict=$$dict -artifact_prefix=$(FUZZ_DIR)/artifacts-$$t/ $(FUZZ_FLAGS) \
	    $(FUZZ_DIR)/corpus-$$t || { \
	    echo "fuzz_$$t: FAILED (input in $(FUZZ_DIR)/artifacts-$$t/)"; exit 1; }; \
	done

# Replay with the ordinary compiler: $(BUILD)/tests/replay_<t>.
$(BUILD)/tests/fuzz/%.o: tests/fuzz/%.c
	@mkdir -p $(dir $@)
	@echo "  CC   $<"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) $(FUZZ_ROOT_DEF) -c -o $@ $<

$(FUZZ_REPLAY_BINS): $(BUILD)/tests/replay_%: $(BUILD)/tests/fuzz/replay.o \
                     $(BUILD)/tests/fuzz/fuzz_%.o $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LD   $@"
	@$(CC) -o $@ $^ $(LDFLAGS) $(PKG_LIBS)

# Every target is replayed even if one fails; the exit status says if any did.
fuzz-replay: $(FUZZ_REPLAY_BINS)
	@failed=; for t in $(FUZZ_ALL); do \
	  echo "== fuzz-replay: $$t"; \
	  $(BUILD)/tests/replay_$$t tests/fuzz/corpus/$$t tests/fuzz/regressions/$$t \
	    || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz-replay: FAILED:$$failed"; exit 1; fi

fuzz-clean:
	rm -rf build/fuzz build/fuzz-ubsan

-include $(FUZZ_LIB_OBJS:.o=.d) $(FUZZ_ALL:%=$(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.d) \
         $(FUZZ_ALL:%=$(BUILD)/tests/fuzz/fuzz_%.d) $(BUILD)/tests/fuzz/replay.d
