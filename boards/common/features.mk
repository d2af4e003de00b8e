# SPDX-License-Identifier: Apache-2.0
# Optional kernel features, one knob each, as a Tock board chooses its capsules.
#
# FEATURE_X := 1 builds feature X in, 0 leaves it out: its code is not linked, nothing
# about it is printed at boot, and its driver number answers NODEVICE, as any driver a
# board does not have. Software features default to on; a board's board.mk turns on the
# drivers of the hardware it has (and APPSTORE where its apps region is writable). A
# knob given on the make command line wins over both (make FEATURE_KV=0 kernel).
# The `core` kernel variant (make kernel-core) turns every one off: the scheduler,
# syscalls, grants, loader, MPU, fault reporting, and the console and alarm drivers.
FEATURES := APPSTORE PCONSOLE CREDS PERMISSIONS KV RNG IPC LLDEBUG TEMPERATURE LEDS BUTTONS GPIO
FEATURES += ADC SCREEN
# app store on the apps region (capsules/appstore*.c, doc/appstore.md); board.mk sets it
FEATURE_APPSTORE ?= 0
# process console on the console UART (capsules/pconsole.c): without it, typed bytes go
# straight to the console driver's reads
FEATURE_PCONSOLE ?= 1
# app credentials checker (crypto/cred.c): SHA-256 footers checked, a mismatch refuses the
# app; without it every app runs unchecked (Tock's null checker). A trusted key
# (TRUSTED_KEY, REQUIRE_SIGNED) needs it.
FEATURE_CREDS ?= 1
# the TBF Permissions filter (kernel/syscall.c): an app whose header has a Permissions TLV
# reaches only the drivers and commands it lists; without the knob the TLV is ignored
FEATURE_PERMISSIONS ?= 1
# key-value store, driver 0x50003 (capsules/kv*.c)
FEATURE_KV ?= 1
# random numbers, driver 0x40001 (capsules/rng.c, HMAC-DRBG)
FEATURE_RNG ?= 1
# inter-process communication, driver 0x10000 (kernel/ipc.c)
FEATURE_IPC ?= 1
# low-level debug, driver 0x8 (capsules/lowlevel_debug.c)
FEATURE_LLDEBUG ?= 1
# temperature, driver 0x60000 (capsules/temperature.c; NODEVICE without a sensor)
FEATURE_TEMPERATURE ?= 1
# peripheral drivers the board's hardware has: LEDs 0x2, buttons 0x3, GPIO 0x4, ADC 0x5,
# screen 0x90001
FEATURE_LEDS ?= 0
FEATURE_BUTTONS ?= 0
FEATURE_GPIO ?= 0
FEATURE_ADC ?= 0
FEATURE_SCREEN ?= 0

ifeq ($(KVARIANT),core)
$(foreach f,$(FEATURES),$(eval override FEATURE_$(f) := 0))
endif

# KVARIANT=no-x (x: a feature in lower case, e.g. no-kv): the production image without
# feature x, in its own folder; bench/sizes.sh builds one per feature the board has and
# lists what each costs. `make kernel-features` prints every knob and its value.
NO_FEATURE := $(patsubst no-%,%,$(filter no-%,$(KVARIANT)))
ifneq ($(NO_FEATURE),)
$(foreach f,$(FEATURES),$(if $(filter $(NO_FEATURE),$(shell echo $(f) | tr A-Z a-z)),\
	$(eval override FEATURE_$(f) := 0)))
endif
FEATURE_CFLAGS := $(foreach f,$(FEATURES),-DCAIRN_FEATURE_$(f)=$(FEATURE_$(f)))

kernel-features:
	@$(foreach f,$(FEATURES),echo $(f) $(FEATURE_$(f));)
.PHONY: kernel-features
