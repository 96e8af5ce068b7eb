#ifndef SIPTERM_CSRTP_SHIM_H
#define SIPTERM_CSRTP_SHIM_H

#include <srtp2/srtp.h>

/* The policy setters sipterm uses; some are macros in srtp.h, which Swift cannot call. */
static inline void csrtp_policy_aes_cm_128_hmac_sha1_80(srtp_crypto_policy_t *policy) {
    srtp_crypto_policy_set_rtp_default(policy);
}

static inline void csrtp_policy_aes_cm_128_hmac_sha1_32(srtp_crypto_policy_t *policy) {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(policy);
}

static inline void csrtp_policy_aes_gcm_128_16(srtp_crypto_policy_t *policy) {
    srtp_crypto_policy_set_aes_gcm_128_16_auth(policy);
}

/* The room an SRTP/SRTCP trailer may need beyond the packet (tag, MKI, SRTCP index). */
static inline int csrtp_max_trailer(void) { return SRTP_MAX_TRAILER_LEN + 4; }

#endif
