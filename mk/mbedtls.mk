# SPDX-License-Identifier: Apache-2.0
# mbed TLS (Debian's source package, fetched by tools/mbedtls.sh): the modules the ECDSA
# P-256 verifier needs, for the kernel images (mk/kernel.mk) and the host test test_cred.

MBEDTLS_DIR := $(BUILD)/mbedtls
MBEDTLS_STAMP := $(MBEDTLS_DIR)/.unpacked
MBEDTLS_MODULES := bignum ecp ecp_curves ecdsa asn1parse asn1write platform platform_util \
	memory_buffer_alloc constant_time
# Its own flags: third-party code, so our warnings are not turned into errors.
MBEDTLS_INC := -Icrypto -I$(MBEDTLS_DIR)/include -DMBEDTLS_CONFIG_FILE='"mbedtls_config.h"'

$(MBEDTLS_STAMP): tools/mbedtls.sh
	$(Q)tools/mbedtls.sh $(MBEDTLS_DIR)
mbedtls: $(MBEDTLS_STAMP)
.PHONY: mbedtls

# Host: the checker and mbed TLS with the sanitizers, for tests/host/test_cred.c.
MBEDTLS_HOST_OBJS := $(patsubst %,$(HOST_BUILD)/mbedtls/%.o,$(MBEDTLS_MODULES))
$(HOST_BUILD)/mbedtls/%.o: $(MBEDTLS_STAMP)
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -std=gnu11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
		$(MBEDTLS_INC) -Ikernel/include -c $(MBEDTLS_DIR)/library/$*.c -o $@
$(HOST_BUILD)/obj/crypto/%.o: HOST_CFLAGS += $(MBEDTLS_INC) -Icapsules
CRED_HOST_OBJS := $(HOST_BUILD)/obj/crypto/cred.o $(HOST_BUILD)/obj/crypto/p256.o
$(CRED_HOST_OBJS): | $(MBEDTLS_STAMP)
TEST_EXTRA_cred := $(CRED_HOST_OBJS) $(MBEDTLS_HOST_OBJS) $(HOST_BUILD)/obj/tools/tbfcred.o -lcrypto
$(HOST_BUILD)/test_cred: $(filter-out -l%,$(TEST_EXTRA_cred))
-include $(CRED_HOST_OBJS:.o=.d)
