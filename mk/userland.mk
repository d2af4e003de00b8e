# SPDX-License-Identifier: Apache-2.0
# Apps: the PIC newlib, libcairn, and every app in userland/apps/ as ELF + TBF + TAB.
#
# Targets:
#   apps                         every app and every variant (APP_TBFS)
#   build/apps/NAME/NAME.tbf     one app (also .elf); NAME = a folder of userland/apps/,
#                                fault_<kind> for a fault variant, writer_<letter>,
#                                reader_<kind>
#   libcairn, newlib             the libraries alone
#   apps-clean                   remove apps and libcairn, keep the cached newlib
#   apps-all                     `apps` for every architecture a board names (APP_ARCHES)
#
# APP_ARCH (default: the board's BOARD_APP_ARCH, else cortex-m3) picks the architecture;
# its apps land in APP_DIR: build/apps/ for cortex-m3, build/apps-<arch>/ for others
# (build/apps-rv32imac/NAME/NAME.tab then holds one TBF per fixed-address slot).
#
# Each app is built by running userland/rules.mk in its folder (the same rules as
# `make -C userland/apps/NAME`), after the shared pieces below are up to date, so
# parallel app builds never race on them.

CAIRN_ROOT := .
include userland/common.mk

# fault, writer and reader are built only as their variants: the kind (the letter) is a
# compile-time choice.
# Apps an architecture cannot build: the trap matrix of attack and the syscall traps of the
# on-target fuzzer are Cortex-M assembly (their RISC-V versions are not written yet);
# frame_read attacks the hardware-stacked exception frame, which RISC-V does not have.
APP_NAMES_UNPORTED_rv32imac := frame_read
APP_NAMES := $(filter-out fault writer reader beat kv_probe $(APP_NAMES_UNPORTED_$(APP_ARCH)),\
	$(notdir $(patsubst %/Makefile,%,$(wildcard userland/apps/*/Makefile))))
FAULT_KINDS := null kernel_ram own_flash other_ram stack_overflow undef exec_ram brk_grant \
	svc_bad_sp bad_sp_undef bad_sp_div0 bad_sp_scs bad_sp_bkpt bad_sp_preempt semihost \
	yield_flag_xpsr brk_below_frame brk_straddle_preempt brk_straddle_svc
FAULT_APP_NAMES := $(addprefix fault_,$(FAULT_KINDS))
WRITER_LETTERS := a b
WRITER_APP_NAMES := $(addprefix writer_,$(WRITER_LETTERS))
READER_KINDS := exit fault hold take
READER_APP_NAMES := $(addprefix reader_,$(READER_KINDS))
# counter_sleep: the counter sleeping between numbers (a neighbour that leaves the CPU).
# counter_slow: one number every 100 s, so a few numbers outlast every 32-bit counter the
# boards keep time with (tests/qemu/clock_wrap.test).
# ipc_rot13_stale / ipc_client_stale: an IPC pair where the service reaches for a buffer
# after the client unshared it (tests/qemu/ipc_unshare.test).
# oled_demo_key: the OLED demo drawing only once the select button is pressed.
VARIANT_APP_NAMES := counter_sleep counter_slow ipc_rot13_stale ipc_client_stale oled_demo_key
# beat_a..beat_d: heartbeats for the app store tests; beat_a2: beat_a's version 2 (same
# package name), the update; beat_huge: more than any free flash.
BEAT_LETTERS := a b c d
VARIANT_APP_NAMES += $(addprefix beat_,$(BEAT_LETTERS)) beat_a2 beat_huge
# kv_spy, kv_reader, kv_noperm: the key-value driver's permission and argument checks
# (userland/apps/kv_probe), each with the Storage Permissions its name says.
VARIANT_APP_NAMES += kv_spy kv_reader kv_noperm
# Credentials: beat_s and beat_t signed with the test key (and a SHA-256 footer), beat_e
# signed only, beat_h with a SHA-256 footer only; beat_i and beat_j: two names with one
# ShortId (0x42).
VARIANT_APP_NAMES += beat_s beat_t beat_h beat_i beat_j beat_e
# slicehand_m: slicehand's measuring role (tests/qemu/slice_after_block.test).
VARIANT_APP_NAMES += slicehand_m
# perms_free: perms_probe without its Permissions TLV (tests/qemu/permissions.test).
VARIANT_APP_NAMES += perms_free
# rrwake_spin: rrwake's spinner, silent (tests/qemu/irq_round_robin.test).
VARIANT_APP_NAMES += rrwake_spin
# counter_packed (RISC-V only): the counter linked for slots packed into 64 kB of RAM.
VARIANT_APP_NAMES += $(if $(filter rv32imac,$(APP_ARCH)),counter_packed)
# Every name `make run APPS=...` accepts.
RUN_APP_NAMES := $(APP_NAMES) $(FAULT_APP_NAMES) $(WRITER_APP_NAMES) $(READER_APP_NAMES) \
	$(VARIANT_APP_NAMES)
APP_DIR := $(BUILD)/apps$(if $(filter-out cortex-m3,$(APP_ARCH)),-$(APP_ARCH))
APP_TBFS := $(foreach a,$(RUN_APP_NAMES),$(APP_DIR)/$(a)/$(a).tbf)
APP_ELFS := $(APP_TBFS:.tbf=.elf)

USERLAND_SHARED := $(NEWLIB_STAMP) $(LIBCAIRN) $(CRT0_OBJS)
# Passed down so that each sub-make neither recomputes nor disagrees about them.
APP_SUBMAKE_VARS := BUILD=$(abspath $(BUILD)) NEWLIB_PREFIX=$(NEWLIB_PREFIX) V=$(V) \
	ELF2TBF=$(abspath $(TOOLS_ELF2TBF)) MKTAB=$(abspath $(TOOLS_MKTAB)) APP_ARCH=$(APP_ARCH) \
	APP_GCC_INC=$(APP_GCC_INC) \
	APP_GCC_INC_FIXED=$(APP_GCC_INC_FIXED) APP_LIBGCC=$(APP_LIBGCC)

.PHONY: apps apps-all apps-elf apps-clean libcairn newlib userland_force
apps: $(APP_TBFS)
# Every architecture some board's BOARD_APP_ARCH names, and cortex-m3.
APP_ARCHES := $(sort cortex-m3 $(foreach b,$(wildcard boards/*/board.mk),\
	$(shell sed -n 's/^BOARD_APP_ARCH *:\?= *//p' $(b))))
# One target per architecture, so that with -j the RISC-V apps (on Debian's picolibc)
# build while the Cortex-M ones wait for the PIC newlib. The tools every app needs are
# made first, here: each sub-make would otherwise build them at the same time.
APPS_ALL := $(addprefix apps@,$(APP_ARCHES))
apps-all: $(APPS_ALL)
$(APPS_ALL): | $(TOOLS_ELF2TBF) $(TOOLS_MKTAB)
	$(Q)$(MAKE) --no-print-directory APP_ARCH=$(@:apps@%=%) apps
.PHONY: $(APPS_ALL)
apps-elf: $(APP_ELFS)
libcairn: $(LIBCAIRN) $(CRT0_OBJS)
newlib: $(NEWLIB_STAMP)

# $(1) = output name, $(2) = source folder, $(3) = extra make variables.
# The sub-make decides what is stale, so these always run it (userland_force).
define userland_app_rules
$(APP_DIR)/$(1)/$(1).tbf: $(USERLAND_SHARED) $(TOOLS_ELF2TBF) $(TOOLS_MKTAB) userland_force
	$$(Q)$$(MAKE) --no-print-directory -C userland/apps/$(2) APP=$(1) $(APP_SUBMAKE_VARS) $(3) all
$(APP_DIR)/$(1)/$(1).elf: $(USERLAND_SHARED) userland_force
	$$(Q)$$(MAKE) --no-print-directory -C userland/apps/$(2) APP=$(1) $(APP_SUBMAKE_VARS) $(3) elf
endef

$(foreach a,$(APP_NAMES),$(eval $(call userland_app_rules,$(a),$(a),)))
$(foreach k,$(FAULT_KINDS),$(eval $(call userland_app_rules,fault_$(k),fault,\
	CFLAGS_EXTRA=-DFAULT_KIND=FAULT_$(shell echo $(k) | tr a-z A-Z))))
$(eval $(call userland_app_rules,counter_sleep,counter,CFLAGS_EXTRA="-DCOUNTER_SLEEP_MS=20 -DCOUNTER_SPIN=100"))
$(eval $(call userland_app_rules,counter_slow,counter,CFLAGS_EXTRA="-DCOUNTER_SLEEP_MS=100000"))
$(eval $(call userland_app_rules,counter_packed,counter,RV32_PACKED=1))
$(eval $(call userland_app_rules,ipc_rot13_stale,ipc_rot13,CFLAGS_EXTRA=-DIPC_STALE))
$(eval $(call userland_app_rules,ipc_client_stale,ipc_client,CFLAGS_EXTRA=-DIPC_STALE))
$(eval $(call userland_app_rules,oled_demo_key,oled_demo,CFLAGS_EXTRA=-DOLED_DEMO_WAIT_KEY))
$(eval $(call userland_app_rules,slicehand_m,slicehand,CFLAGS_EXTRA=-DSLICEHAND_MEASURE))
$(eval $(call userland_app_rules,perms_free,perms_probe,CFLAGS_EXTRA=-DPERMS_FREE TBF_EXTRA=))
$(eval $(call userland_app_rules,rrwake_spin,rrwake,CFLAGS_EXTRA=-DRRWAKE_SPIN))
$(foreach l,$(BEAT_LETTERS),$(eval $(call userland_app_rules,beat_$(l),beat,\
	CFLAGS_EXTRA='-DBEAT_TAG=\"beat_$(l)\"' TBF_EXTRA='--app-version 1')))
$(foreach l,s t,$(eval $(call userland_app_rules,beat_$(l),beat,\
	CFLAGS_EXTRA='-DBEAT_TAG=\"beat_$(l)\"' \
	TBF_EXTRA='--app-version 1 --sha256 --ecdsa-p256-key $(abspath tests/keys/test-signing.pem)')))
# beat_e: an ECDSA P-256 footer alone (no SHA-256 one to pass on first).
$(eval $(call userland_app_rules,beat_e,beat,CFLAGS_EXTRA='-DBEAT_TAG=\"beat_e\"' \
	TBF_EXTRA='--app-version 1 --ecdsa-p256-key $(abspath tests/keys/test-signing.pem)'))
$(eval $(call userland_app_rules,beat_h,beat,CFLAGS_EXTRA='-DBEAT_TAG=\"beat_h\"' \
	TBF_EXTRA='--app-version 1 --sha256'))
$(foreach l,i j,$(eval $(call userland_app_rules,beat_$(l),beat,\
	CFLAGS_EXTRA='-DBEAT_TAG=\"beat_$(l)\"' TBF_EXTRA='--app-version 1 --short-id 0x42')))
# beat_x: beat_t with one binary byte inverted after signing (a tampered image to install).
$(APP_DIR)/beat_x/beat_x.tbf: $(APP_DIR)/beat_t/beat_t.tbf $(TOOLS_TBFSIGN)
	@mkdir -p $(dir $@)
	$(Q)$(TOOLS_TBFSIGN) flip 0x300 $< $@
apps: $(if $(filter cortex-m3,$(APP_ARCH)),$(APP_DIR)/beat_x/beat_x.tbf)
$(eval $(call userland_app_rules,beat_a2,beat,\
	CFLAGS_EXTRA='-DBEAT_TAG=\"beat_a\" -DBEAT_VERSION=2' TBF_NAME=beat_a TBF_EXTRA='--app-version 2'))
# For the app store's refusals: beat_huge (512 kB, more than any free flash) and beat_rv,
# a TAB whose only member says rv32imac (an architecture mismatch on a Cortex-M board).
$(eval $(call userland_app_rules,beat_huge,beat,TBF_EXTRA='--min-size 524288'))
$(APP_DIR)/beat_rv/beat_rv.tab: $(APP_DIR)/beat_d/beat_d.tbf $(TOOLS_MKTAB)
	@mkdir -p $(dir $@)
	$(Q)$(TOOLS_MKTAB) -o $@ -n beat_rv rv32imac=$<
apps: $(if $(filter cortex-m3,$(APP_ARCH)),$(APP_DIR)/beat_rv/beat_rv.tab)
$(eval $(call userland_app_rules,kv_spy,kv_probe,CFLAGS_EXTRA=-DKV_PROBE=1 \
	TBF_EXTRA='--write-id 0x5359 --read-ids 0x5359 --modify-ids 0x5359'))
$(eval $(call userland_app_rules,kv_reader,kv_probe,CFLAGS_EXTRA=-DKV_PROBE=2 \
	TBF_EXTRA='--write-id 0 --read-ids 0x4B43'))
$(eval $(call userland_app_rules,kv_noperm,kv_probe,CFLAGS_EXTRA=-DKV_PROBE=3))
$(foreach l,$(WRITER_LETTERS),$(eval $(call userland_app_rules,writer_$(l),writer,\
	CFLAGS_EXTRA=-DWRITER_ID=$(l))))
$(foreach k,$(READER_KINDS),$(eval $(call userland_app_rules,reader_$(k),reader,\
	CFLAGS_EXTRA=-DREADER_KIND=READER_$(shell echo $(k) | tr a-z A-Z))))

apps-clean:
	rm -rf $(BUILD)/apps $(BUILD)/apps-* $(BUILD)/userland $(BUILD)/userland-*
