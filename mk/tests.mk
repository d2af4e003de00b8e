# SPDX-License-Identifier: Apache-2.0
# make test: host tests, fuzz smoke runs, the QEMU suite and scripted walkthroughs, one summary line.

QEMU_TESTS := $(sort $(wildcard tests/qemu/*.test))
WALKTHROUGHS := $(sort $(wildcard tests/walkthrough/*.py))
QEMU_ARM := $(BOARD_QEMU)
# `make test` runs the QEMU suite on every board; `make test BOARD=NAME` on that one.
ALL_BOARDS := $(patsubst boards/%/board.mk,%,$(wildcard boards/*/board.mk))
TEST_BOARDS := $(if $(filter command line environment,$(origin BOARD)),$(BOARD),$(ALL_BOARDS))

test:
	$(Q)tools/deps.sh test
	$(Q)$(MAKE) --no-print-directory tools host-tests-build \
		$(if $(filter command line environment,$(origin BOARD)),apps,apps-all)
	$(Q)for b in $(TEST_BOARDS); do $(MAKE) --no-print-directory BOARD=$$b kernels || exit 1; done
	$(Q)$(MAKE) --no-print-directory fuzz-smoke
	$(Q)tools/run-tests.sh $(BUILD) "$(TEST_BOARDS)" $(HOST_TESTS) -- $(QEMU_TESTS) \
		-- $(WALKTHROUGHS)
