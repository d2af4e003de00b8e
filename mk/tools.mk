# SPDX-License-Identifier: Apache-2.0
# Host tools elf2tbf and mkappflash, the objects their host test links, the TBF fuzzer.
#
# Targets: tools (elf2tbf, mkappflash, mktab), fuzz (each fuzzer for FUZZ_SECONDS, default
# 20), fuzz-smoke (a few seconds each, for `make test`).

TOOLS_BUILD := $(BUILD)/tools
TOOLS_ELF2TBF := $(TOOLS_BUILD)/elf2tbf
TOOLS_MKAPPFLASH := $(TOOLS_BUILD)/mkappflash
TOOLS_MKTAB := $(TOOLS_BUILD)/mktab
# Credentials (tools/tbfcred.c) use OpenSSL's libcrypto (Debian: libssl-dev).
TOOLS_TBFSIGN := $(TOOLS_BUILD)/tbfsign
# The app store over a flash image file, for cairnctl --image (the kernel's own store code).
TOOLS_FLASHD := $(TOOLS_BUILD)/cairn-flashd
FLASHD_SRCS := tools/cairn-flashd.c capsules/appstore.c capsules/appstore_link.c \
	chips/ramflash/ramflash.c kernel/tbf.c kernel/kprint.c kernel/deferred.c kernel/errorcode.c

# The tools reuse the kernel's own parser, so what they emit is checked by the same code
# that will read it on the board.
TOOLS_COMMON_OBJS := $(TOOLS_BUILD)/obj/tools/tbfgen.o $(TOOLS_BUILD)/obj/kernel/tbf.o

.PHONY: tools fuzz-smoke fuzz-tbf fuzz-smoke-tbf
tools: $(TOOLS_ELF2TBF) $(TOOLS_MKAPPFLASH) $(TOOLS_MKTAB) $(TOOLS_FLASHD) $(TOOLS_TBFSIGN)

$(TOOLS_FLASHD): $(FLASHD_SRCS)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(TOOL_CFLAGS) -Icapsules -Ichips/ramflash -o $@ $(FLASHD_SRCS)

$(TOOLS_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(TOOL_CFLAGS) -MMD -MP -c $< -o $@

$(TOOLS_ELF2TBF): $(TOOLS_BUILD)/obj/tools/elf2tbf.o $(TOOLS_BUILD)/obj/tools/tbfcred.o \
		$(TOOLS_COMMON_OBJS)
	$(Q)$(HOSTCC) -o $@ $^ -lcrypto

$(TOOLS_TBFSIGN): $(TOOLS_BUILD)/obj/tools/tbfsign.o $(TOOLS_BUILD)/obj/tools/tbfcred.o \
		$(TOOLS_COMMON_OBJS)
	$(Q)$(HOSTCC) -o $@ $^ -lcrypto

$(TOOLS_MKAPPFLASH): $(TOOLS_BUILD)/obj/tools/mkappflash.o $(TOOLS_COMMON_OBJS)
	$(Q)$(HOSTCC) -o $@ $^

$(TOOLS_MKTAB): $(TOOLS_BUILD)/obj/tools/mktab.o $(TOOLS_COMMON_OBJS)
	$(Q)$(HOSTCC) -o $@ $^

# tests/host/test_elf2tbf.c drives the tool core directly; kernel/tbf.c comes from the host
# library, tbfgen.c is compiled with the sanitizers by mk/host.mk's pattern rule.
TEST_EXTRA_elf2tbf := $(HOST_BUILD)/obj/tools/tbfgen.o
$(HOST_BUILD)/test_elf2tbf: $(TEST_EXTRA_elf2tbf)

-include $(TOOLS_BUILD)/obj/tools/elf2tbf.d $(TOOLS_BUILD)/obj/tools/mkappflash.d \
	$(TOOLS_BUILD)/obj/tools/mktab.d $(TOOLS_BUILD)/obj/tools/tbfsign.d \
	$(TOOLS_BUILD)/obj/tools/tbfcred.d \
	$(TOOLS_COMMON_OBJS:.o=.d) $(TEST_EXTRA_elf2tbf:.o=.d)

# --- fuzzing (clang libFuzzer) ---
# The corpus is copied into build/ so that new inputs found by a run never dirty the tree;
# crash reproducers land in build/fuzz/ too. libFuzzer exits non-zero on any crash, leak
# or sanitizer report (UBSan does not recover), which fails the make target.
FUZZ_BUILD := $(BUILD)/fuzz
FUZZ_SECONDS ?= 20
FUZZ_TBF := $(FUZZ_BUILD)/fuzz_tbf
FUZZ_TBF_CORPUS := $(FUZZ_BUILD)/corpus/tbf
FUZZ_CFLAGS := $(CSTD) $(WARN) -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -Ikernel/include

$(FUZZ_TBF): tests/fuzz/fuzz_tbf.c kernel/tbf.c kernel/include/cairn/tbf.h
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) tests/fuzz/fuzz_tbf.c kernel/tbf.c -o $@

define fuzz_tbf_run
	@mkdir -p $(FUZZ_TBF_CORPUS)
	$(Q)cp tests/fuzz/corpus/tbf/* $(FUZZ_TBF_CORPUS)/
	$(Q)$(FUZZ_TBF) -max_total_time=$(1) -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_BUILD)/ $(FUZZ_TBF_CORPUS)
endef

# The syscall fuzzer: the real kernel core and capsules over fake hardware (see
# tests/fuzz/fuzz_syscall.c and doc/testing.md), clang with ASan and UBSan. Kernel and
# capsule objects carry coverage instrumentation, so libFuzzer is guided by their branches.
# appstore.c is linked for the CRC-32 the key-value store shares with it.
FUZZ_SYSCALL := $(FUZZ_BUILD)/fuzz_syscall
FUZZ_SYSCALL_CORPUS := $(FUZZ_BUILD)/corpus/syscall
FUZZ_SYSCALL_SRCS := tests/fuzz/fuzz_syscall.c $(wildcard kernel/*.c) arch/host/arch_host.c \
	arch/cortex-m/pmsav7.c $(addprefix capsules/,alarm.c alarm_mux.c console.c uart_mux.c \
	lowlevel_debug.c test_driver.c kv.c kvstore.c appstore.c)
FUZZ_SYSCALL_SMOKE_SECONDS ?= 8
# The harness itself gets no coverage instrumentation: libFuzzer should not be guided by
# the oracles' own loops.
FUZZ_SYSCALL_CFLAGS := $(CSTD) $(WARN) -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all -Ikernel/include -Ikernel -Iarch/host/include -Icapsules

FUZZ_SYSCALL_OBJS := $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(FUZZ_SYSCALL_SRCS))

# Kernel and capsules: coverage-instrumented. The harness: sanitizers only.
$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(FUZZ_SYSCALL_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(FUZZ_BUILD)/obj/tests/fuzz/fuzz_syscall.o: tests/fuzz/fuzz_syscall.c
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(FUZZ_SYSCALL_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_SYSCALL): $(FUZZ_SYSCALL_OBJS)
	$(Q)$(CLANG) -fsanitize=fuzzer,address,undefined $^ -o $@

-include $(FUZZ_SYSCALL_OBJS:.o=.d)

# -use_value_profile helps it through the kernel's range checks; no -jobs: the machine is shared.
define fuzz_syscall_run
	@mkdir -p $(FUZZ_SYSCALL_CORPUS)
	$(Q)cp tests/fuzz/corpus/syscall/* $(FUZZ_SYSCALL_CORPUS)/
	$(Q)$(FUZZ_SYSCALL) -max_total_time=$(1) -timeout=10 -rss_limit_mb=2048 -max_len=512 \
		-use_value_profile=1 -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/syscall- \
		$(FUZZ_SYSCALL_CORPUS)
endef

.PHONY: fuzz-syscall fuzz-smoke-syscall
fuzz-syscall: $(FUZZ_SYSCALL)
	$(call fuzz_syscall_run,$(FUZZ_SECONDS))

fuzz-smoke-syscall: $(FUZZ_SYSCALL)
	$(call fuzz_syscall_run,$(FUZZ_SYSCALL_SMOKE_SECONDS))

# Other fragments may add their fuzzers as further prerequisites of fuzz / fuzz-smoke.
fuzz: fuzz-tbf fuzz-syscall
fuzz-smoke: fuzz-smoke-tbf fuzz-smoke-syscall

fuzz-tbf: $(FUZZ_TBF)
	$(call fuzz_tbf_run,$(FUZZ_SECONDS))

fuzz-smoke-tbf: $(FUZZ_TBF)
	$(call fuzz_tbf_run,5)

# make keys [KEY=FILE]: a new P-256 signing key (never overwrites one). Sign apps with
# elf2tbf --ecdsa-p256-key FILE; build a kernel that trusts it with TRUSTED_KEY=FILE
# (REQUIRE_SIGNED=1 to run nothing else). Kept out of build/, which `make clean` removes.
KEY ?= cairn-signing.pem
keys: $(TOOLS_TBFSIGN)
	$(Q)$(TOOLS_TBFSIGN) keygen $(KEY)
	@echo "keys: private key in $(KEY) (keep it secret); the kernel gets its public half with TRUSTED_KEY=$(KEY)"
.PHONY: keys
