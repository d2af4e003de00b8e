# SPDX-License-Identifier: Apache-2.0
# make bench: syscall micro-benchmarks under QEMU icount (bench/run.sh), kernel sizes
# (bench/sizes.sh: production and core images, each optional feature's cost).
#
# Targets: bench (build, run, print the table), bench-apps (the images only).
# Needs mk/userland.mk (app rules, USERLAND_SHARED, APP_SUBMAKE_VARS) and mk/kernel.mk
# included before it. The apps are variants of bench/app (like the fault apps): the kind
# is a compile-time choice, and they are not part of `make apps`.

BENCH_KINDS := null subscribe wakeup wakeup_peer alarm alarm_peer alarm_idle ping pong spin
BENCH_APP_NAMES := $(addprefix bench_,$(BENCH_KINDS))
BENCH_TBFS := $(foreach a,$(BENCH_APP_NAMES),$(APP_DIR)/$(a)/$(a).tbf)
# Up to seven peers run next to one measuring app, so peers get small blocks (no C
# library output); the measuring apps need a little heap and stack for snprintf.
BENCH_SIZES_PEER := STACK_SIZE=512 APP_HEAP_SIZE=0 KERNEL_HEAP_SIZE=256
BENCH_SIZES_MAIN := STACK_SIZE=1024 APP_HEAP_SIZE=256 KERNEL_HEAP_SIZE=512

# $(1) = kind, $(2) = size variables.
define bench_app_rules
$(APP_DIR)/bench_$(1)/bench_$(1).tbf: $(USERLAND_SHARED) $(TOOLS_ELF2TBF) $(TOOLS_MKTAB) userland_force
	$$(Q)$$(MAKE) --no-print-directory -C bench/app APP=bench_$(1) $(APP_SUBMAKE_VARS) \
		CFLAGS_EXTRA=-DBENCH_KIND=BENCH_$(shell echo $(1) | tr a-z A-Z) $(2) all
endef
$(foreach k,$(BENCH_KINDS),$(eval $(call bench_app_rules,$(k),\
	$(if $(filter %_peer %_idle pong spin,$(k)),$(BENCH_SIZES_PEER),$(BENCH_SIZES_MAIN)))))

.PHONY: bench bench-apps
# blink and minimal: the memory rows (bench/run.sh boots them too).
bench-apps: $(BENCH_TBFS) $(BUILD)/apps/blink/blink.tbf $(BUILD)/apps/minimal/minimal.tbf

bench: deps
	$(Q)$(MAKE) --no-print-directory kernel kernel-test kernel-core tools bench-apps
	$(Q)BOARD=$(BOARD) bench/run.sh $(BUILD)
