/*
 * hcl/funcs_hash.c - Terraform's hash and UUID functions: md5, sha1,
 * sha256, sha512, base64sha256, base64sha512, uuidv5, and uuid and bcrypt
 * (random: unknown before apply).  MD5 (RFC 1321), SHA-1 and SHA-2 (FIPS
 * 180-4) are written here from their specifications: the project links no
 * crypto library.  They hash configuration text, nothing secret.
 */
#include <string.h>

#include "funcs.h"

/* ---- MD5 (RFC 1321) ------------------------------------------------------------ */

static uint32_t rol32(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static uint32_t ror32(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void md5_block(uint32_t h[4], const unsigned char *p)
{
	static const uint32_t K[64] = {
		0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
		0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
		0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
		0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
		0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
		0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
		0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
		0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
		0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
		0xeb86d391,
	};
	static const unsigned S[64] = {
		7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9,  14, 20, 5, 9,
		14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
		4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
	};
	uint32_t m[16];
	for (int i = 0; i < 16; i++)
		m[i] = (uint32_t)p[4 * i] | ((uint32_t)p[4 * i + 1] << 8) | ((uint32_t)p[4 * i + 2] << 16) |
		       ((uint32_t)p[4 * i + 3] << 24);
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
	for (unsigned i = 0; i < 64; i++) {
		uint32_t f;
		unsigned g;
		if (i < 16) {
			f = (b & c) | (~b & d);
			g = i;
		} else if (i < 32) {
			f = (d & b) | (~d & c);
			g = (5 * i + 1) % 16;
		} else if (i < 48) {
			f = b ^ c ^ d;
			g = (3 * i + 5) % 16;
		} else {
			f = c ^ (b | ~d);
			g = (7 * i) % 16;
		}
		uint32_t t = d;
		d = c;
		c = b;
		b = b + rol32(a + f + K[i] + m[g], S[i]);
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
}

/* Runs the Merkle-Damgard padding for 64-byte blocks: the length goes in
 * the last 8 bytes, little- or big-endian. */
static void md_pad64(const unsigned char *p, size_t n, bool le, void *st,
		     void (*block)(void *st, const unsigned char *blk))
{
	unsigned char last[128];
	size_t full = n / 64 * 64;
	for (size_t i = 0; i < full; i += 64)
		block(st, p + i);
	size_t rem = n - full, tot = rem < 56 ? 64 : 128;
	memset(last, 0, sizeof last);
	memcpy(last, p + full, rem);
	last[rem] = 0x80;
	uint64_t bits = (uint64_t)n * 8;
	for (int i = 0; i < 8; i++)
		last[tot - 8 + (size_t)(le ? i : 7 - i)] = (unsigned char)(bits >> (8 * i));
	block(st, last);
	if (tot == 128)
		block(st, last + 64);
}

static void md5_blk(void *st, const unsigned char *b)
{
	md5_block(st, b);
}

void cs__hcl_md5(const void *p, size_t n, unsigned char out[16])
{
	uint32_t h[4] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476 };
	md_pad64(p, n, true, h, md5_blk);
	for (int i = 0; i < 16; i++)
		out[i] = (unsigned char)(h[i / 4] >> (8 * (i % 4)));
}

/* ---- SHA-1 ------------------------------------------------------------------------ */

static void sha1_blk(void *st, const unsigned char *p)
{
	uint32_t *h = st, w[80];
	for (int i = 0; i < 16; i++)
		w[i] = ((uint32_t)p[4 * i] << 24) | ((uint32_t)p[4 * i + 1] << 16) |
		       ((uint32_t)p[4 * i + 2] << 8) | p[4 * i + 3];
	for (int i = 16; i < 80; i++)
		w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	for (int i = 0; i < 80; i++) {
		uint32_t f, k;
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5A827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ED9EBA1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8F1BBCDC;
		} else {
			f = b ^ c ^ d;
			k = 0xCA62C1D6;
		}
		uint32_t t = rol32(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol32(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void cs__hcl_sha1(const void *p, size_t n, unsigned char out[20])
{
	uint32_t h[5] = { 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0 };
	md_pad64(p, n, false, h, sha1_blk);
	for (int i = 0; i < 20; i++)
		out[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

/* ---- SHA-256 ---------------------------------------------------------------------- */

static const uint32_t K256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static void sha256_blk(void *st, const unsigned char *p)
{
	uint32_t *h = st, w[64], v[8];
	for (int i = 0; i < 16; i++)
		w[i] = ((uint32_t)p[4 * i] << 24) | ((uint32_t)p[4 * i + 1] << 16) |
		       ((uint32_t)p[4 * i + 2] << 8) | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(v, h, sizeof v);
	for (int i = 0; i < 64; i++) {
		uint32_t S1 = ror32(v[4], 6) ^ ror32(v[4], 11) ^ ror32(v[4], 25);
		uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
		uint32_t t1 = v[7] + S1 + ch + K256[i] + w[i];
		uint32_t S0 = ror32(v[0], 2) ^ ror32(v[0], 13) ^ ror32(v[0], 22);
		uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
		uint32_t t2 = S0 + maj;
		memmove(v + 1, v, 7 * sizeof *v);
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (int i = 0; i < 8; i++)
		h[i] += v[i];
}

void cs__hcl_sha256(const void *p, size_t n, unsigned char out[32])
{
	uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	md_pad64(p, n, false, h, sha256_blk);
	for (int i = 0; i < 32; i++)
		out[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

/* ---- SHA-512 ---------------------------------------------------------------------- */

static const uint64_t K512[80] = {
	0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL, 0xe9b5dba58189dbbcULL,
	0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL, 0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL,
	0xd807aa98a3030242ULL, 0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
	0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL, 0xc19bf174cf692694ULL,
	0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL, 0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL,
	0x2de92c6f592b0275ULL, 0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
	0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL, 0xbf597fc7beef0ee4ULL,
	0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL, 0x06ca6351e003826fULL, 0x142929670a0e6e70ULL,
	0x27b70a8546d22ffcULL, 0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
	0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL, 0x92722c851482353bULL,
	0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL, 0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL,
	0xd192e819d6ef5218ULL, 0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
	0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL, 0x34b0bcb5e19b48a8ULL,
	0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL, 0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL,
	0x748f82ee5defb2fcULL, 0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
	0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL, 0xc67178f2e372532bULL,
	0xca273eceea26619cULL, 0xd186b8c721c0c207ULL, 0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL,
	0x06f067aa72176fbaULL, 0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
	0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL, 0x431d67c49c100d4cULL,
	0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL, 0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL,
};

static uint64_t ror64(uint64_t x, unsigned n)
{
	return (x >> n) | (x << (64 - n));
}

static void sha512_blk(uint64_t h[8], const unsigned char *p)
{
	uint64_t w[80], v[8];
	for (int i = 0; i < 16; i++) {
		w[i] = 0;
		for (int k = 0; k < 8; k++)
			w[i] = (w[i] << 8) | p[8 * i + k];
	}
	for (int i = 16; i < 80; i++) {
		uint64_t s0 = ror64(w[i - 15], 1) ^ ror64(w[i - 15], 8) ^ (w[i - 15] >> 7);
		uint64_t s1 = ror64(w[i - 2], 19) ^ ror64(w[i - 2], 61) ^ (w[i - 2] >> 6);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(v, h, sizeof v);
	for (int i = 0; i < 80; i++) {
		uint64_t S1 = ror64(v[4], 14) ^ ror64(v[4], 18) ^ ror64(v[4], 41);
		uint64_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
		uint64_t t1 = v[7] + S1 + ch + K512[i] + w[i];
		uint64_t S0 = ror64(v[0], 28) ^ ror64(v[0], 34) ^ ror64(v[0], 39);
		uint64_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
		memmove(v + 1, v, 7 * sizeof *v);
		v[4] += t1;
		v[0] = t1 + S0 + maj;
	}
	for (int i = 0; i < 8; i++)
		h[i] += v[i];
}

void cs__hcl_sha512(const void *data, size_t n, unsigned char out[64])
{
	uint64_t h[8] = { 0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL,
			  0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
			  0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL };
	const unsigned char *p = data;
	unsigned char last[256];
	size_t full = n / 128 * 128;
	for (size_t i = 0; i < full; i += 128)
		sha512_blk(h, p + i);
	size_t rem = n - full, tot = rem < 112 ? 128 : 256;
	memset(last, 0, sizeof last);
	memcpy(last, p + full, rem);
	last[rem] = 0x80;
	uint64_t bits = (uint64_t)n * 8; /* the high 64 bits of the length stay 0 */
	for (int i = 0; i < 8; i++)
		last[tot - 1 - (size_t)i] = (unsigned char)(bits >> (8 * i));
	sha512_blk(h, last);
	if (tot == 256)
		sha512_blk(h, last + 128);
	for (int i = 0; i < 64; i++)
		out[i] = (unsigned char)(h[i / 8] >> (56 - 8 * (i % 8)));
}

/* ---- the functions -------------------------------------------------------------- */

typedef enum { H_MD5, H_SHA1, H_SHA256, H_SHA512 } hash_kind;

static size_t do_hash(hash_kind k, const char *p, size_t n, unsigned char out[64])
{
	switch (k) {
	case H_MD5:
		cs__hcl_md5(p, n, out);
		return 16;
	case H_SHA1:
		cs__hcl_sha1(p, n, out);
		return 20;
	case H_SHA256:
		cs__hcl_sha256(p, n, out);
		return 32;
	case H_SHA512:
		cs__hcl_sha512(p, n, out);
		return 64;
	}
	return 0;
}

static cs_err hex_hash(cs__hcl_call *c, const cs_value **out, hash_kind k)
{
	cs_str s;
	unsigned char h[64];
	char hex[129];
	cs_err rc = cs__hcl_want_str(c, 0, &s);
	if (rc)
		return rc;
	size_t n = do_hash(k, s.ptr, s.len, h);
	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = "0123456789abcdef"[h[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[h[i] & 15];
	}
	*out = cs__hcl_str(c, hex, 2 * n);
	return CS_OK;
}

static cs_err b64_hash(cs__hcl_call *c, const cs_value **out, hash_kind k)
{
	cs_str s;
	unsigned char h[64];
	size_t len;
	cs_err rc = cs__hcl_want_str(c, 0, &s);
	if (rc)
		return rc;
	size_t n = do_hash(k, s.ptr, s.len, h);
	char *o = cs__hcl_base64(c->arena, h, n, &len);
	*out = o ? cs__v_str(c->arena, (cs_str){ o, len }, c->line, c->col) : NULL;
	return CS_OK;
}

static cs_err f_md5(cs__hcl_call *c, const cs_value **out)
{
	return hex_hash(c, out, H_MD5);
}

static cs_err f_sha1(cs__hcl_call *c, const cs_value **out)
{
	return hex_hash(c, out, H_SHA1);
}

static cs_err f_sha256(cs__hcl_call *c, const cs_value **out)
{
	return hex_hash(c, out, H_SHA256);
}

static cs_err f_sha512(cs__hcl_call *c, const cs_value **out)
{
	return hex_hash(c, out, H_SHA512);
}

static cs_err f_base64sha256(cs__hcl_call *c, const cs_value **out)
{
	return b64_hash(c, out, H_SHA256);
}

static cs_err f_base64sha512(cs__hcl_call *c, const cs_value **out)
{
	return b64_hash(c, out, H_SHA512);
}

/* Parses a UUID's 32 hex digits (with or without dashes, in the 8-4-4-4-12
 * form when dashed). */
static bool parse_uuid(cs_str s, unsigned char u[16])
{
	size_t k = 0;
	if (s.len != 36 && s.len != 32)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		char ch = s.ptr[i];
		if (s.len == 36 && (i == 8 || i == 13 || i == 18 || i == 23)) {
			if (ch != '-')
				return false;
			continue;
		}
		int v = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
						 : ch >= 'A' && ch <= 'F'   ? ch - 'A' + 10
									    : -1;
		if (v < 0)
			return false;
		if (k % 2 == 0)
			u[k / 2] = (unsigned char)(v << 4);
		else
			u[k / 2] |= (unsigned char)v;
		k++;
	}
	return k == 32;
}

static cs_err f_uuidv5(cs__hcl_call *c, const cs_value **out)
{
	static const struct {
		const char *name, *uuid;
	} ns[] = {
		{ "dns", "6ba7b810-9dad-11d1-80b4-00c04fd430c8" },
		{ "url", "6ba7b811-9dad-11d1-80b4-00c04fd430c8" },
		{ "oid", "6ba7b812-9dad-11d1-80b4-00c04fd430c8" },
		{ "x500", "6ba7b814-9dad-11d1-80b4-00c04fd430c8" },
	};
	cs_str nsv, name;
	unsigned char u[16], h[20];
	cs_err rc = cs__hcl_want_str(c, 0, &nsv);
	if (!rc)
		rc = cs__hcl_want_str(c, 1, &name);
	if (rc)
		return rc;
	bool ok = false;
	for (size_t i = 0; i < CS_ARRAY_SIZE(ns) && !ok; i++)
		if (cs_str_eqc(nsv, ns[i].name))
			ok = parse_uuid(cs_str_c(ns[i].uuid), u);
	if (!ok && !parse_uuid(nsv, u))
		return cs__hcl_arg_err(c, 0, "uuidv5() doesn't support namespace %.*s",
				       (int)(nsv.len > 100 ? 100 : nsv.len), nsv.ptr);
	char *buf = cs_arena_alloc(c->arena, 16 + name.len + 1);
	if (!buf)
		return cs__hcl_oom(c);
	memcpy(buf, u, 16);
	memcpy(buf + 16, name.ptr, name.len);
	cs__hcl_sha1(buf, 16 + name.len, h);
	h[6] = (unsigned char)((h[6] & 0x0F) | 0x50);
	h[8] = (unsigned char)((h[8] & 0x3F) | 0x80);
	char o[37];
	size_t k = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			o[k++] = '-';
		o[k++] = "0123456789abcdef"[h[i] >> 4];
		o[k++] = "0123456789abcdef"[h[i] & 15];
	}
	*out = cs__hcl_str(c, o, k);
	return CS_OK;
}

static cs_err f_impure(cs__hcl_call *c, const cs_value **out)
{
	/* never reached: cs__hcl_func_call returns unknown for CS__HCL_F_IMPURE */
	*out = cs__v_unknown(c->arena, "known after apply", c->line, c->col);
	return CS_OK;
}

#define I CS__HCL_F_IMPURE
const cs__hcl_func cs__hcl_funcs_hash[] = {
	{ "base64sha256", 1, 1, 0, "str", f_base64sha256 },
	{ "base64sha512", 1, 1, 0, "str", f_base64sha512 },
	{ "bcrypt", 1, 2, I, "str,cost", f_impure },
	{ "md5", 1, 1, 0, "str", f_md5 },
	{ "sha1", 1, 1, 0, "str", f_sha1 },
	{ "sha256", 1, 1, 0, "str", f_sha256 },
	{ "sha512", 1, 1, 0, "str", f_sha512 },
	{ "uuid", 0, 0, I, "", f_impure },
	{ "uuidv5", 2, 2, 0, "namespace,name", f_uuidv5 },
};
const size_t cs__hcl_funcs_hash_n = CS_ARRAY_SIZE(cs__hcl_funcs_hash);
