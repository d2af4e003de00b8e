# SPDX-License-Identifier: Apache-2.0
# make test: host tests, fuzz smoke runs, the QEMU suite and scripted walkthroughs, one summary line.

QEMU_TESTS := $(sort $(wildcard tests/qemu/*.test))
WALKTHROUGHS := $(sort $(wildcard tests/walkthrough/*.py))
QEMU_ARM := $(BOARD_QEMU)
# `make test` runs the QEMU suite on every board; `make test BOARD=NAME` on that one.
TEST_BOARDS := $(if $(filter command line environment,$(origin BOARD)),$(BOARD),$(ALL_BOARDS))

# The build runs its steps side by side: on a fresh machine it is most of the suite's
# time (newlib's configure alone keeps one core busy for minutes), and every step writes
# only its own folder. -jN given on the command line wins; TEST_JOBS otherwise.
TEST_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
test_jobs = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(TEST_JOBS))
# One target per board, so that the boards' kernels build in the same pool as the rest.
# After tools and mbed TLS: every variant's sub-make would otherwise make them at once.
# Niced: on a fresh machine the PIC newlib, and the Cortex-M apps after it, are the
# longest chain (2.5 minutes alone on 2 cores, 4.6 sharing them evenly with the kernels),
# so the kernels take the CPU time it leaves.
TEST_KERNELS := $(addprefix kernels@,$(TEST_BOARDS))
$(TEST_KERNELS): | tools $(MBEDTLS_STAMP)
	$(Q)nice -n 10 $(MAKE) --no-print-directory BOARD=$(@:kernels@%=%) kernels
.PHONY: $(TEST_KERNELS)

test:
	$(Q)tools/deps.sh test
	$(Q)$(MAKE) --no-print-directory $(test_jobs) tools host-tests-build \
		$(if $(filter command line environment,$(origin BOARD)),apps,apps-all) $(TEST_KERNELS)
	$(Q)$(MAKE) --no-print-directory $(test_jobs) fuzz-smoke
	$(Q)tools/run-tests.sh $(BUILD) "$(TEST_BOARDS)" $(HOST_TESTS) -- $(QEMU_TESTS) \
		-- $(WALKTHROUGHS)
