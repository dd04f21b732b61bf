/*
 * secret: secrets at rest (SNMP communities and keys) sealed with a key kept in a file
 * outside the database (XSalsa20-Poly1305, libsodium secretbox, a fresh nonce each time).
 * A copy of the database alone reveals none of them. The key file is created on first use
 * with mode 0600; losing it loses the secrets, not the rest of the data.
 */
#ifndef ZW_CORE_SECRET_H
#define ZW_CORE_SECRET_H

#include <stdbool.h>

#include "core/err.h"

#define SECRET_PREFIX "sealed:v1:"

int secret_init(const char *key_path, struct zw_err *err);
bool secret_ready(void);
/* *out: SECRET_PREFIX followed by base64 of nonce and ciphertext; caller frees. */
int secret_seal(const char *plain, char **out, struct zw_err *err);
/* *plain: caller frees (and should wipe). */
int secret_open(const char *sealed, char **plain, struct zw_err *err);

#endif
