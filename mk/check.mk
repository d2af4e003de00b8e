# SPDX-License-Identifier: Apache-2.0
# make check: formatting, static analysis, the capsule include fence, generated files, SPDX.

CHECK_SRCS := $(shell git ls-files '*.c' '*.h' 2>/dev/null)

check: deps
	$(Q)echo "check: clang-format"; clang-format --dry-run --Werror $(CHECK_SRCS)
	$(Q)echo "check: cppcheck"; cppcheck -q --error-exitcode=1 --std=c11 \
		--enable=warning,portability --inline-suppr \
		--suppress=missingIncludeSystem -Ikernel/include -Ikernel \
		kernel capsules chips arch/cortex-m tools
	$(Q)echo "check: cppcheck (riscv)"; cppcheck -q --error-exitcode=1 --std=c11 \
		--enable=warning,portability --inline-suppr --suppress=missingIncludeSystem \
		-Ikernel/include -Ikernel -Iarch/riscv/include \
		-DRV_CLINT_BASE=0x02000000u -DRV_PLIC_BASE=0x0c000000u -DRV_MTIME_HZ=10000000u arch/riscv
	$(Q)echo "check: capsule include fence"; tools/check-fence.sh
	$(Q)echo "check: generated attack matrix"; python3 tests/qemu/attack_matrix.py --check
	$(Q)echo "check: SPDX lines"; bad=0; for f in $$(git ls-files '*.c' '*.h' '*.S' '*.ld' \
		'*.mk' '*.sh' '*.py' Makefile); do head -3 $$f | grep -q SPDX || { echo "  no SPDX: $$f"; bad=1; }; \
		done; [ $$bad -eq 0 ]
	@echo "check: all good"

format:
	clang-format -i $(CHECK_SRCS)
