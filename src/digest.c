/*
 * digest.c: SHA-256 and SHA-1 through PostgreSQL's cryptohash API (OpenSSL
 * when the server is built with it).
 */
#include "hookreg.h"

#include "common/cryptohash.h"
#include "common/sha1.h"
#include "common/sha2.h"

static void
hr_hash(pg_cryptohash_type type, const char *data, size_t len,
		uint8 *out, size_t outlen)
{
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(type);

	if (ctx == NULL ||
		pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) data, len) < 0 ||
		pg_cryptohash_final(ctx, out, outlen) < 0)
	{
		pg_cryptohash_free(ctx);
		elog(ERROR, "could not compute hash");
	}
	pg_cryptohash_free(ctx);
}

void
hr_sha256_hex(const char *data, size_t len, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	uint8		raw[PG_SHA256_DIGEST_LENGTH];

	hr_hash(PG_SHA256, data, len, raw, sizeof(raw));
	for (int i = 0; i < PG_SHA256_DIGEST_LENGTH; i++)
	{
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 0xf];
	}
	out[64] = '\0';
}

void
hr_sha1(const char *data, size_t len, unsigned char out[20])
{
	hr_hash(PG_SHA1, data, len, out, SHA1_DIGEST_LENGTH);
}
