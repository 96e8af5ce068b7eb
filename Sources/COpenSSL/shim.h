/* OpenSSL 3.0 for Swift. A .systemLibrary target has no C sources, so every
 * wrapper for a function-like macro (which Swift cannot import) is static inline. */
#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/time.h>

/* DTLS retransmission timer: remaining time until the next retransmission. */
static inline int shim_DTLSv1_get_timeout(SSL *ssl, struct timeval *tv) {
    return (int)DTLSv1_get_timeout(ssl, tv);
}
/* Retransmits the last flight if the timer has expired. 1 = done, 0 = not due, <0 = error. */
static inline int shim_DTLSv1_handle_timeout(SSL *ssl) {
    return (int)DTLSv1_handle_timeout(ssl);
}
/* Memory BIOs have no path MTU to query: the endpoint sets it. */
static inline long shim_SSL_set_mtu(SSL *ssl, long mtu) { return SSL_set_mtu(ssl, mtu); }
static inline int shim_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}
static inline int shim_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}
/* An empty memory BIO must report "retry", not EOF, or OpenSSL treats it as a closed transport. */
static inline void shim_BIO_set_mem_eof_return(BIO *b, int v) { (void)BIO_set_mem_eof_return(b, v); }
static inline int shim_BIO_reset(BIO *b) { return BIO_reset(b); }
static inline long shim_BIO_get_mem_data(BIO *b, char **pp) { return BIO_get_mem_data(b, pp); }
/* EVP_EC_gen is a macro over a variadic function; Swift can call neither. */
static inline EVP_PKEY *shim_EVP_EC_gen_P256(void) { return EVP_EC_gen("P-256"); }
/* SSL_get_app_data / SSL_set_app_data are macros over ex-data slot 0. */
static inline int shim_SSL_set_app_data(SSL *ssl, void *arg) { return SSL_set_ex_data(ssl, 0, arg); }
static inline void *shim_SSL_get_app_data(const SSL *ssl) { return SSL_get_ex_data(ssl, 0); }
static inline uint64_t shim_SSL_OP_NO_QUERY_MTU(void) { return SSL_OP_NO_QUERY_MTU; }
/* SSL_OP_* are built with the SSL_OP_BIT macro, which Swift does not evaluate. */
static inline uint64_t shim_SSL_OP_NO_TICKET(void) { return SSL_OP_NO_TICKET; }
static inline uint64_t shim_SSL_OP_NO_RENEGOTIATION(void) { return SSL_OP_NO_RENEGOTIATION; }
static inline int shim_SSL_CB_READ_ALERT(void) { return SSL_CB_READ_ALERT; }

#endif
