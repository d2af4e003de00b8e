// SPDX-License-Identifier: Apache-2.0
// Credential outcomes in words, for the loader's and the app store's refusal messages.
#include <cairn/cred.h>

const char *cred_outcome_str(enum cred_outcome o)
{
    switch (o) {
    case CRED_SIGNED:
        return "signature verified";
    case CRED_HASHED:
        return "SHA-256 verified";
    case CRED_UNCHECKED:
        return "no credentials checked";
    case CRED_R_SHA_MISMATCH:
        return "SHA-256 credential does not match the image (tampered or damaged)";
    case CRED_R_UNSIGNED:
        return "unsigned: this board requires an ECDSA P-256 signature";
    case CRED_R_BAD_SIG:
        return "ECDSA P-256 signature does not verify with the trusted key";
    case CRED_R_MALFORMED:
        return "malformed credentials footer, no signature before it";
    case CRED_R_NO_RAM:
        return "not enough free RAM to check the signature";
    case CRED_OUTCOME_COUNT:
        break;
    }
    return "unknown credentials outcome";
}
