/*
 * detect/logreader_fmt.c - framing and recognizing log records: the
 * structural scanner that finds where a record ends in a byte stream, and
 * the classifier that tells CloudTrail, EventBridge-wrapped CloudTrail,
 * Azure Monitor, GCP Cloud Audit Logs, Okta System Log and GitHub audit log
 * records apart by the members they carry, and reads each one's time.
 */
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define LR_X86 1
#include <immintrin.h>
#else
#define LR_X86 0
#endif

#include "core/internal.h"
#include "logreader_int.h"

/* Byte classes: in a string, 1 marks the bytes that need a look (quote,
 * backslash, control characters); outside, 1 marks brackets, quotes and
 * control characters. */
static const uint8_t in_str_special[256] = {
	[0] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1,
};
static const uint8_t out_special[256] = {
	[0] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1,
};

/* Skips string bytes that need no look, eight at a time: a word is passed
 * over when none of its bytes is a quote, a backslash or below 0x20 (the
 * classic "has zero byte" test applied to w ^ '"', w ^ '\\' and w - 0x20,
 * which is exact for "any byte matches"). */
static size_t skip_plain_swar(const unsigned char *u, size_t i, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	while (i + 8 <= n) {
		uint64_t w, q, b;
		memcpy(&w, u + i, 8);
		q = w ^ (ones * '"');
		b = w ^ (ones * '\\');
		if ((((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w)) & highs)
			break;
		i += 8;
	}
	while (i < n && !in_str_special[u[i]])
		i++;
	return i;
}

/* The same, sixteen bytes at a time (SSE2 is part of x86-64). */
static size_t skip_plain(const unsigned char *u, size_t i, size_t n)
{
#if LR_X86
	const __m128i q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\'), c = _mm_set1_epi8(0x1f);
	while (i + 16 <= n) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, b)),
					 _mm_cmpeq_epi8(_mm_min_epu8(v, c), v));
		unsigned bits = (unsigned)_mm_movemask_epi8(m);
		if (bits)
			return i + (unsigned)__builtin_ctz(bits);
		i += 16;
	}
#endif
	return skip_plain_swar(u, i, n);
}

/* The reference scanner, a byte (or a plain run of string bytes) at a
 * time; the block scanners below give up on any block this one must look
 * at closely, so every diagnostic and position comes from here or agrees
 * with it. */
static cs_lr_res scan_bytes(cs_lr_scan *s, const char *p, size_t n, size_t *pos, const char **why)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = *pos;
	cs_lr_res res = CS_LR_MORE;
	while (i < n) {
		if (s->in_str) {
			if (s->esc) {
				s->esc = 0;
				s->newlines += u[i] == '\n';
				i++;
				continue;
			}
			i = skip_plain_swar(u, i, n);
			if (i >= n)
				break;
			if (u[i] == '"') {
				s->in_str = 0;
			} else if (u[i] == '\\') {
				s->esc = 1;
			} else {
				*why = "control character in a string";
				res = CS_LR_ERR;
				goto out;
			}
			i++;
			continue;
		}
		if (s->depth) {
			while (i < n && !out_special[u[i]])
				i++;
			if (i >= n)
				break;
		}
		char c = p[i];
		if (s->depth == 0 && c != '{' && c != '[') {
			*why = "a JSON object or array expected";
			res = CS_LR_ERR;
			goto out;
		}
		switch (c) {
		case '"':
			s->in_str = 1;
			break;
		case '{':
		case '[':
			if (s->depth >= CS_LR_MAX_DEPTH) {
				*why = "nesting too deep";
				res = CS_LR_ERR;
				goto out;
			}
			if (c == '{')
				s->stack[s->depth / 8] = (uint8_t)(s->stack[s->depth / 8] | (1u << (s->depth % 8)));
			else
				s->stack[s->depth / 8] = (uint8_t)(s->stack[s->depth / 8] & ~(1u << (s->depth % 8)));
			if (s->depth == 1 && s->nends < CS_LR_ENDS)
				s->starts[s->nends] = i;
			s->depth++;
			break;
		case '}':
		case ']': {
			bool obj = (s->stack[(s->depth - 1) / 8] >> ((s->depth - 1) % 8)) & 1u;
			if (obj != (c == '}')) {
				*why = c == '}' ? "unexpected '}'" : "unexpected ']'";
				res = CS_LR_ERR;
				goto out;
			}
			if (--s->depth == 0) {
				i++;
				res = CS_LR_DONE;
				goto out;
			}
			if (s->depth == 1 && s->nends < CS_LR_ENDS)
				s->ends[s->nends++] = i + 1;
			break;
		}
		default:
			if (c != '\n' && c != '\r' && c != '\t') {
				*why = "control character outside a string";
				res = CS_LR_ERR;
				goto out;
			}
			s->newlines += c == '\n';
			break;
		}
		i++;
	}
out:
	*pos = i;
	return res;
}

/* ---- the block scanner ------------------------------------------------ */

/* Bit k of each mask stands for byte k of a 64-byte block. */
typedef struct lr_masks {
	uint64_t q;    /* '"' */
	uint64_t qx;   /* prefix_xor(q) */
	uint64_t rare; /* '\\' or below 0x20 */
	uint64_t brk;  /* any of {}[] */
} lr_masks;

/* The scanner state kept in registers over blocks. */
typedef struct lr_run {
	uint64_t in_str; /* all ones inside a string */
	uint64_t newlines;
	uint64_t win; /* stack levels 0..63, bit d for level d */
	uint32_t esc, depth;
} lr_run;

enum { BLK_NEXT, BLK_DONE, BLK_ERR, BLK_SLOW };

/* Inclusive prefix XOR: bit k is the parity of bits 0..k. */
static inline uint64_t prefix_xor(uint64_t x)
{
	x ^= x << 1;
	x ^= x << 2;
	x ^= x << 4;
	x ^= x << 8;
	x ^= x << 16;
	x ^= x << 32;
	return x;
}

/* Scans the block u[i..i+64) from its masks, at depth > 0.  BLK_NEXT: the
 * state is past the block.  BLK_DONE / BLK_ERR: as cs__lr_scan, *pos set.
 * BLK_SLOW: the block holds something scan_bytes must judge (a control
 * character in a string or a bad one outside, a backslash outside a
 * string); nothing was changed.
 * Strings are found as simdjson does: escaped bytes first (a backslash
 * escapes the next byte unless it is escaped itself), then the string
 * interiors as the prefix XOR of the unescaped quotes (the opening quote
 * counts as inside, the closing one as outside).  Those rules are
 * scan_bytes's only inside strings: a backslash outside sends the block
 * to scan_bytes. */
static inline int scan_block(lr_run *r, cs_lr_scan *s, const unsigned char *u, size_t i,
			     lr_masks m, size_t *pos, const char **why)
{
	uint64_t instr = m.qx, esc_out = 0, nl = 0;
	if (m.rare | r->esc) {
		uint64_t bs = 0, ctl = 0, escaped = r->esc, escapers = 0;
		for (uint64_t b = m.rare; b; b &= b - 1) {
			unsigned k = (unsigned)__builtin_ctzll(b);
			if (u[i + k] == '\\') {
				bs |= 1ull << k;
			} else {
				ctl |= 1ull << k;
				if (u[i + k] == '\n')
					nl |= 1ull << k;
			}
		}
		if (bs | escaped) {
			for (uint64_t b = bs & ~escaped; b;) {
				uint64_t low = b & (0 - b);
				escapers |= low;
				escaped |= low << 1;
				b &= ~(low | (low << 1));
			}
			instr = prefix_xor(m.q & ~escaped);
		}
		instr ^= r->in_str;
		if (bs & ~instr)
			return BLK_SLOW;
		for (uint64_t c = ctl & ~escaped; c; c &= c - 1) {
			unsigned k = (unsigned)__builtin_ctzll(c);
			unsigned char ch = u[i + k];
			if (((instr >> k) & 1u) || (ch != '\n' && ch != '\r' && ch != '\t'))
				return BLK_SLOW;
		}
		esc_out = escapers >> 63;
	} else {
		instr ^= r->in_str;
	}
	uint64_t brk = m.brk & ~instr;
	if (brk) {
		/* the first 64 levels of the stack in a register; a block that
		 * might go deeper is left to scan_bytes */
		uint32_t d = r->depth;
		if (d + (unsigned)__builtin_popcountll(brk) >= 64)
			return BLK_SLOW;
		uint64_t win = r->win;
		for (; brk; brk &= brk - 1) {
			unsigned k = (unsigned)__builtin_ctzll(brk);
			unsigned c = u[i + k];
			uint64_t obj = (c >> 5) & 1u; /* '{' '}' 0x7b 0x7d, '[' ']' 0x5b 0x5d */
			if (c & 2u) {                  /* an opening bracket */
				win = (win & ~(1ull << d)) | (obj << d);
				if (d == 1 && s->nends < CS_LR_ENDS)
					s->starts[s->nends] = i + k;
				d++;
				continue;
			}
			d--;
			if (((win >> d) & 1u) != obj) {
				*why = obj ? "unexpected '}'" : "unexpected ']'";
				*pos = i + k;
				return BLK_ERR;
			}
			if (d == 0) {
				r->win = win;
				r->depth = 0;
				r->in_str = 0;
				r->esc = 0;
				if (nl) /* the newlines up to the bracket */
					r->newlines += (unsigned)__builtin_popcountll(nl & ((2ull << k) - 1));
				*pos = i + k + 1;
				return BLK_DONE;
			}
			if (d == 1 && s->nends < CS_LR_ENDS)
				s->ends[s->nends++] = i + k + 1;
		}
		r->win = win;
		r->depth = d;
	}
	r->in_str = (uint64_t)((int64_t)instr >> 63);
	r->esc = (uint32_t)esc_out;
	if (nl)
		r->newlines += (unsigned)__builtin_popcountll(nl);
	return BLK_NEXT;
}

/* The body of a block scanner, one copy per instruction set: MASKS(u + i)
 * gives the masks of 64 bytes, with
 * the constants CONSTS declares (declared once: compilers do not always
 * hoist them out of the loop by themselves).  Bytes at depth 0 and the last bytes (under
 * 64) go to scan_bytes. */
/* The first 64 stack levels as a word, bit d for level d, and back. */
static inline uint64_t win_load(const uint8_t *stack)
{
	uint64_t w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&w, stack, 8);
#else
	for (unsigned j = 0; j < 8; j++)
		w |= (uint64_t)stack[j] << (8 * j);
#endif
	return w;
}

static inline void win_store(uint8_t *stack, uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(stack, &w, 8);
#else
	for (unsigned j = 0; j < 8; j++)
		stack[j] = (uint8_t)(w >> (8 * j));
#endif
}

#define LR_SYNC_OUT()                                                                   \
	do {                                                                            \
		s->in_str = (uint8_t)(r.in_str & 1u);                                   \
		s->esc = (uint8_t)r.esc;                                                \
		s->depth = r.depth;                                                     \
		s->newlines = r.newlines;                                               \
		win_store(s->stack, r.win);                                             \
	} while (0)
#define LR_SYNC_IN()                                                                    \
	do {                                                                            \
		r.in_str = s->in_str ? ~0ull : 0;                                       \
		r.esc = s->esc;                                                         \
		r.depth = s->depth;                                                     \
		r.newlines = s->newlines;                                               \
		r.win = win_load(s->stack);                                             \
	} while (0)
#define LR_SCAN_BODY(CONSTS, MASKS)                                                     \
	CONSTS;                                                                         \
	const unsigned char *u = (const unsigned char *)p;                              \
	size_t i = *pos;                                                                \
	cs_lr_res res = CS_LR_MORE;                                                     \
	while (i < n) {                                                                 \
		if (s->depth == 0 && u[i] == '{') { /* the usual start */               \
			s->stack[0] |= 1u;                                              \
			s->depth = 1;                                                   \
			i++;                                                            \
			continue;                                                       \
		}                                                                       \
		if (s->depth == 0 || n - i < 64) {                                      \
			res = scan_bytes(s, p, s->depth == 0 ? i + 1 : n, &i, why);     \
			if (res != CS_LR_MORE)                                          \
				break;                                                  \
			continue;                                                       \
		}                                                                       \
		lr_run r;                                                               \
		int b_ = BLK_NEXT;                                                      \
		LR_SYNC_IN();                                                           \
		do {                                                                    \
			b_ = scan_block(&r, s, u, i, MASKS(u + i), pos, why);           \
			if (b_ != BLK_NEXT)                                             \
				break;                                                  \
			i += 64;                                                        \
		} while (n - i >= 64);                                                  \
		LR_SYNC_OUT();                                                          \
		if (b_ == BLK_SLOW) {                                                   \
			res = scan_bytes(s, p, i + 64, &i, why);                        \
			if (res != CS_LR_MORE)                                          \
				break;                                                  \
		} else if (b_ != BLK_NEXT) {                                            \
			i = *pos;                                                       \
			res = b_ == BLK_DONE ? CS_LR_DONE : CS_LR_ERR;                  \
			break;                                                          \
		}                                                                       \
	}                                                                               \
	*pos = i;                                                                       \
	return res

#if LR_X86
#define SSE2_CONSTS                                                                     \
	const __m128i k_q = _mm_set1_epi8('"'), k_b = _mm_set1_epi8('\\');                \
	const __m128i k_c = _mm_set1_epi8(0x1f), k_20 = _mm_set1_epi8(0x20);            \
	const __m128i k_ob = _mm_set1_epi8('{'), k_cb = _mm_set1_epi8('}')
#define SSE2_MASKS(u) masks_sse2(u, k_q, k_b, k_c, k_20, k_ob, k_cb)

static inline lr_masks masks_sse2(const unsigned char *u, __m128i q, __m128i b, __m128i c,
				  __m128i x20, __m128i ob, __m128i cb)
{
	lr_masks m = { 0, 0, 0, 0 };
	for (unsigned k = 0; k < 4; k++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + 16 * k));
		__m128i l = _mm_or_si128(v, x20); /* '[' -> '{', ']' -> '}' */
		__m128i rare = _mm_or_si128(_mm_cmpeq_epi8(v, b), _mm_cmpeq_epi8(_mm_min_epu8(v, c), v));
		m.q |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, q)) << (16 * k);
		m.rare |= (uint64_t)(uint32_t)_mm_movemask_epi8(rare) << (16 * k);
		m.brk |= (uint64_t)(uint32_t)_mm_movemask_epi8(
				 _mm_or_si128(_mm_cmpeq_epi8(l, ob), _mm_cmpeq_epi8(l, cb)))
			 << (16 * k);
	}
	m.qx = prefix_xor(m.q);
	return m;
}

static cs_lr_res scan_sse2(cs_lr_scan *s, const char *p, size_t n, size_t *pos, const char **why)
{
	LR_SCAN_BODY(SSE2_CONSTS, SSE2_MASKS);
}

#define LR_AVX2 __attribute__((target("avx2,pclmul")))

#define AVX2_CONSTS                                                                     \
	/* the empty asm keeps the constants in registers: GCC would rebuild \
	 * them in every block */                                                       \
	__m256i k_q = _mm256_set1_epi8('"'), k_b = _mm256_set1_epi8('\\');                \
	__m256i k_c = _mm256_set1_epi8(0x1f), k_20 = _mm256_set1_epi8(0x20);            \
	__m256i k_ob = _mm256_set1_epi8('{'), k_cb = _mm256_set1_epi8('}');             \
	__m128i k_ones = _mm_set1_epi8((char)0xff);                                      \
	__asm__("" : "+x"(k_q), "+x"(k_b), "+x"(k_c), "+x"(k_20), "+x"(k_ob), "+x"(k_cb))
#define AVX2_MASKS(u) masks_avx2(u, k_q, k_b, k_c, k_20, k_ob, k_cb, k_ones)

LR_AVX2 static inline lr_masks masks_avx2(const unsigned char *u, __m256i q, __m256i b, __m256i c,
					  __m256i x20, __m256i ob, __m256i cb, __m128i ones)
{
	__m256i v0 = _mm256_loadu_si256((const __m256i *)(const void *)u);
	__m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(u + 32));
	__m256i l0 = _mm256_or_si256(v0, x20), l1 = _mm256_or_si256(v1, x20);
	__m256i r0 = _mm256_or_si256(_mm256_cmpeq_epi8(v0, b),
				     _mm256_cmpeq_epi8(_mm256_min_epu8(v0, c), v0));
	__m256i r1 = _mm256_or_si256(_mm256_cmpeq_epi8(v1, b),
				     _mm256_cmpeq_epi8(_mm256_min_epu8(v1, c), v1));
	lr_masks m;
	m.q = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v0, q)) |
	      (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v1, q)) << 32;
	m.rare = (uint64_t)(uint32_t)_mm256_movemask_epi8(r0) |
		 (uint64_t)(uint32_t)_mm256_movemask_epi8(r1) << 32;
	m.brk = (uint64_t)(uint32_t)_mm256_movemask_epi8(
			_mm256_or_si256(_mm256_cmpeq_epi8(l0, ob), _mm256_cmpeq_epi8(l0, cb))) |
		(uint64_t)(uint32_t)_mm256_movemask_epi8(
			_mm256_or_si256(_mm256_cmpeq_epi8(l1, ob), _mm256_cmpeq_epi8(l1, cb)))
			<< 32;
	/* prefix XOR as a carry-less product with all ones */
	m.qx = (uint64_t)_mm_cvtsi128_si64(
		_mm_clmulepi64_si128(_mm_cvtsi64_si128((long long)m.q), ones, 0));
	return m;
}

LR_AVX2 static cs_lr_res scan_avx2(cs_lr_scan *s, const char *p, size_t n, size_t *pos,
				   const char **why)
{
	LR_SCAN_BODY(AVX2_CONSTS, AVX2_MASKS);
}

static bool have_avx2(void)
{
	return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul");
}
#endif

/* A portable block scanner: the masks made eight bytes at a time. */
static inline uint64_t swar_zero(uint64_t x)
{
	/* the high bit of each byte of x that is zero (exact: no carries) */
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
	return ~(((x & low7) + low7) | x | low7);
}

static inline uint64_t swar_bits(uint64_t h)
{
	/* the high bits of the eight bytes, gathered into 8 bits */
	return ((h >> 7) * 0x0102040810204080ull) >> 56;
}

static inline lr_masks masks_swar(const unsigned char *u)
{
	const uint64_t ones = 0x0101010101010101ull;
	lr_masks m = { 0, 0, 0, 0 };
	for (unsigned k = 0; k < 8; k++) {
		uint64_t w;
		memcpy(&w, u + 8 * k, 8);
		uint64_t l = w | (ones * 0x20); /* '[' -> '{', ']' -> '}' */
		m.q |= swar_bits(swar_zero(w ^ (ones * '"'))) << (8 * k);
		m.rare |= swar_bits(swar_zero(w ^ (ones * '\\')) | swar_zero(w & (ones * 0xe0)))
			  << (8 * k); /* a backslash or below 0x20 */
		m.brk |= swar_bits(swar_zero(l ^ (ones * '{')) | swar_zero(l ^ (ones * '}'))) << (8 * k);
	}
	m.qx = prefix_xor(m.q);
	return m;
}

static cs_lr_res scan_swar(cs_lr_scan *s, const char *p, size_t n, size_t *pos, const char **why)
{
	LR_SCAN_BODY((void)0, masks_swar);
}

int cs__lr_scan_best(void)
{
#if LR_X86
	return have_avx2() ? CS_LR_AVX2 : CS_LR_SSE2;
#else
	return CS_LR_SWAR;
#endif
}

cs_lr_res cs__lr_scan_with(int impl, cs_lr_scan *s, const char *p, size_t n, size_t *pos,
			   const char **why)
{
	switch (impl) {
#if LR_X86
	case CS_LR_AVX2:
		if (have_avx2())
			return scan_avx2(s, p, n, pos, why);
		return scan_sse2(s, p, n, pos, why);
	case CS_LR_SSE2:
		return scan_sse2(s, p, n, pos, why);
#endif
	case CS_LR_SWAR:
		return scan_swar(s, p, n, pos, why);
	default:
		return scan_bytes(s, p, n, pos, why);
	}
}

cs_lr_res cs__lr_scan(cs_lr_scan *s, const char *p, size_t n, size_t *pos, const char **why)
{
#if LR_X86
	if (have_avx2())
		return scan_avx2(s, p, n, pos, why);
	return scan_sse2(s, p, n, pos, why);
#else
	return scan_swar(s, p, n, pos, why);
#endif
}

/* ---- stepping over a member value ------------------------------------- */

/* One 64-byte block of a skip (see cs__lr_skip_with), u[0..64) with its
 * masks, at depth *d inside the value (*win: bit j is set when level
 * *d - 1 - j is an object), the string
 * state of the byte before in *carry): 65 to go on with the next block,
 * k + 1 (1..64) when u[k] closes the value, 0 to give up.  A backslash or a byte
 * below 0x20 before the value's end makes it give up (so the string
 * interiors are the plain prefix XOR of the quotes), as do brackets that
 * do not match and nesting past 63 levels. */
static inline unsigned skip_block(lr_masks m, const unsigned char *u, uint64_t *carry,
				  uint32_t *d, uint64_t *win)
{
	uint64_t instr = m.qx ^ *carry;
	uint64_t brk = m.brk & ~instr, w = *win;
	uint32_t dd = *d;
	for (; brk; brk &= brk - 1) {
		unsigned k = (unsigned)__builtin_ctzll(brk);
		unsigned c = u[k];
		/* each kind for itself, braces first (the usual brackets:
		 * fewer steps than working the kind out of the byte's bits) */
		if (c == '}') {
			/* (the value's opening bracket came first: dd > 0 here) */
			if (!(w & 1u))
				return 0;
		} else if (c == '{') {
			if (dd >= 63)
				return 0;
			w = (w << 1) | 1u; /* the innermost level in bit 0 */
			dd++;
			continue;
		} else if (c == '[') {
			if (dd >= 63)
				return 0;
			w <<= 1;
			dd++;
			continue;
		} else if (w & 1u) { /* ']' closing an object */
			return 0;
		}
		w >>= 1;
		if (--dd == 0)
			return (m.rare & ((2ull << k) - 1)) ? 0 : k + 1;
	}
	if (m.rare)
		return 0;
	*carry = (uint64_t)((int64_t)instr >> 63);
	*d = dd;
	*win = w;
	return 65;
}

/* The body of a skip, one copy per instruction set as LR_SCAN_BODY: whole
 * blocks from p[i]; the last bytes (under 64) go to TAIL (out of line: its
 * padded copy would cost every skip a larger frame and a stack check). */
#define LR_SKIP_BODY(CONSTS, MASKS, TAIL)                                               \
	CONSTS;                                                                         \
	const unsigned char *u = (const unsigned char *)p;                              \
	uint64_t carry = 0, win = 0;                                                    \
	uint32_t d = 0;                                                                 \
	size_t end = 0;                                                                 \
	if (i >= n || (u[i] != '{' && u[i] != '['))                                     \
		return 0;                                                               \
	for (;;) {                                                                      \
		if (n - i < 64) {                                                       \
			end = TAIL(u, n, i, carry, d, win);                             \
			break;                                                          \
		}                                                                       \
		unsigned k = skip_block(MASKS(u + i), u + i, &carry, &d, &win);         \
		if (k < 65) {                                                           \
			end = k ? i + k : 0;                                            \
			break;                                                          \
		}                                                                       \
		i += 64;                                                                \
	}                                                                               \
	return end

/* The last bytes of a skip, u[i..n) (under 64), copied into a block padded
 * with spaces, in the state the blocks before left. */
#define LR_SKIP_TAIL(CONSTS, MASKS)                                                     \
	CONSTS;                                                                         \
	unsigned char t[64];                                                            \
	memset(t, ' ', sizeof t);                                                       \
	memcpy(t, u + i, n - i);                                                        \
	unsigned k = skip_block(MASKS(t), t, &carry, &d, &win);                         \
	return k == 65 || k == 0 ? 0 : i + k /* 65: the bytes end inside the value */

LR_NOINLINE static size_t skip_tail_swar(const unsigned char *u, size_t n, size_t i,
					 uint64_t carry, uint32_t d, uint64_t win)
{
	LR_SKIP_TAIL((void)0, masks_swar);
}

static size_t skip_swar(const char *p, size_t n, size_t i)
{
	LR_SKIP_BODY((void)0, masks_swar, skip_tail_swar);
}

#if LR_X86
/* (out of line: only machines without AVX2 use it, and inlined into the
 * classification it would cost the usual path a larger frame) */
LR_NOINLINE static size_t skip_tail_sse2(const unsigned char *u, size_t n, size_t i,
					 uint64_t carry, uint32_t d, uint64_t win)
{
	LR_SKIP_TAIL(SSE2_CONSTS, SSE2_MASKS);
}

LR_NOINLINE static size_t skip_sse2(const char *p, size_t n, size_t i)
{
	LR_SKIP_BODY(SSE2_CONSTS, SSE2_MASKS, skip_tail_sse2);
}

/* The masks a skip needs from the block u[0..64), with AVX2: every class
 * from one pair of table lookups (by the low and by the high nibble of
 * each byte; an AND of the two leaves bit 7 for '"', bit 6 for a bracket,
 * bit 0 for '\\' and bit 1 for a byte below 0x20; a byte from 0x80 up
 * looks up 0 in the high table).  The rare mask is made only when the
 * block has such a byte (a skip gives up on them). */
/* (the tables as whole registers in memory: one load each, where building
 * them from immediates takes two or three instructions per skip) */
static const uint8_t skip_avx2_tables[4][32] = {
#define LR_LO 0x02, 0x02, 0x82, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x02, 0x42, 0x03, 0x42, 0x02, 0x02
#define LR_HI 0x02, 0x02, 0x80, 0, 0, 0x41, 0, 0x40, 0, 0, 0, 0, 0, 0, 0, 0
#define LR_X16(b) b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b
	{ LR_LO, LR_LO },
	{ LR_HI, LR_HI },
	{ LR_X16(0x0f), LR_X16(0x0f) },
	{ LR_X16(0x03), LR_X16(0x03) },
#undef LR_LO
#undef LR_HI
#undef LR_X16
};
#define SKIP_AVX2_CONSTS                                                                \
	/* (the empty asms: GCC would build known constants from immediates) */ \
	const uint8_t(*tab_)[32] = skip_avx2_tables;                                    \
	__asm__("" : "+r"(tab_));                                                       \
	__m256i k_lo = _mm256_loadu_si256((const __m256i *)(const void *)tab_[0]);      \
	__m256i k_hi = _mm256_loadu_si256((const __m256i *)(const void *)tab_[1]);      \
	__m256i k_0f = _mm256_loadu_si256((const __m256i *)(const void *)tab_[2]);      \
	__m256i k_03 = _mm256_loadu_si256((const __m256i *)(const void *)tab_[3]);      \
	__m128i k_ones = _mm_set1_epi8((char)0xff);                                      \
	__asm__("" : "+x"(k_lo), "+x"(k_hi), "+x"(k_0f), "+x"(k_03))

LR_AVX2 static inline __m256i classes_avx2(__m256i v, __m256i lo, __m256i hi, __m256i k0f)
{
	__m256i h = _mm256_and_si256(_mm256_srli_epi16(v, 4), k0f);
	return _mm256_and_si256(_mm256_shuffle_epi8(lo, v), _mm256_shuffle_epi8(hi, h));
}

LR_AVX2 static inline lr_masks skip_masks_avx2(const unsigned char *u, __m256i lo, __m256i hi,
					       __m256i k0f, __m256i k03, __m128i ones)
{
	__m256i c0 = classes_avx2(_mm256_loadu_si256((const __m256i *)(const void *)u), lo, hi, k0f);
	__m256i c1 = classes_avx2(_mm256_loadu_si256((const __m256i *)(const void *)(u + 32)), lo,
				  hi, k0f);
	lr_masks m;
	m.q = (uint64_t)(uint32_t)_mm256_movemask_epi8(c0) |
	      (uint64_t)(uint32_t)_mm256_movemask_epi8(c1) << 32;
	m.brk = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_add_epi8(c0, c0)) |
		(uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_add_epi8(c1, c1)) << 32;
	m.rare = 0;
	if (!_mm256_testz_si256(_mm256_or_si256(c0, c1), k03)) {
		__m256i z = _mm256_setzero_si256();
		m.rare = ~((uint64_t)(uint32_t)_mm256_movemask_epi8(
				   _mm256_cmpeq_epi8(_mm256_and_si256(c0, k03), z)) |
			   (uint64_t)(uint32_t)_mm256_movemask_epi8(
				   _mm256_cmpeq_epi8(_mm256_and_si256(c1, k03), z))
				   << 32);
	}
	m.qx = (uint64_t)_mm_cvtsi128_si64(
		_mm_clmulepi64_si128(_mm_cvtsi64_si128((long long)m.q), ones, 0));
	return m;
}
#define SKIP_AVX2_MASKS(u) skip_masks_avx2(u, k_lo, k_hi, k_0f, k_03, k_ones)

LR_AVX2 LR_NOINLINE static size_t skip_tail_avx2(const unsigned char *u, size_t n, size_t i,
						 uint64_t carry, uint32_t d, uint64_t win)
{
	LR_SKIP_TAIL(SKIP_AVX2_CONSTS, SKIP_AVX2_MASKS);
}

LR_AVX2 static size_t skip_avx2(const char *p, size_t n, size_t i)
{
	LR_SKIP_BODY(SKIP_AVX2_CONSTS, SKIP_AVX2_MASKS, skip_tail_avx2);
}
#endif

size_t cs__lr_skip_with(int impl, const char *p, size_t n, size_t i)
{
	switch (impl) {
#if LR_X86
	case CS_LR_AVX2:
		if (have_avx2())
			return skip_avx2(p, n, i);
		return skip_sse2(p, n, i);
	case CS_LR_SSE2:
		return skip_sse2(p, n, i);
#endif
	default:
		return skip_swar(p, n, i);
	}
}

/* 1 + the skip this machine uses, once known (0: not yet). */
static int skip_impl;

static inline size_t skip_best(const char *p, size_t n, size_t i)
{
#if LR_X86
	int k = __atomic_load_n(&skip_impl, __ATOMIC_RELAXED);
	if (k == 0) {
		k = 1 + (have_avx2() ? CS_LR_AVX2 : CS_LR_SSE2);
		__atomic_store_n(&skip_impl, k, __ATOMIC_RELAXED);
	}
	return k == 1 + CS_LR_AVX2 ? skip_avx2(p, n, i) : skip_sse2(p, n, i);
#else
	(void)skip_impl;
	return skip_swar(p, n, i);
#endif
}

/* ---- members of one complete object ----------------------------------- */

typedef struct iter {
	const char *p;
	size_t n, i;
	bool first;
	const cs_lr_scan *framed; /* the scan that framed p, or NULL */
	uint32_t conts;           /* objects or arrays met as member values */
} iter;

static inline bool is_space(char c)
{
	return (unsigned char)c <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r');
}

static inline void skip_ws(iter *it)
{
	while (it->i < it->n && is_space(it->p[it->i]))
		it->i++;
}

/* Reads the string whose opening quote is p[*i]: the span without quotes,
 * *i past the closing quote.  As the scanner: a backslash escapes the next
 * byte, whatever it is. */
static inline bool read_str(const char *p, size_t n, size_t *i, cs_str *out)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t j = *i + 1;
	for (;;) {
		j = skip_plain(u, j, n);
		if (j >= n || u[j] < 0x20)
			return false;
		if (u[j] == '"')
			break;
		j += 2; /* a backslash and the byte it escapes */
	}
	out->ptr = p + *i + 1;
	out->len = j - *i - 1;
	*i = j + 1;
	return true;
}

/* Next member: 1 with key/value spans (strings without their quotes,
 * other values as written), 0 at the closing brace, -1 malformed. */
LR_INLINE static int next_member(iter *it, cs_str *key, cs_str *val, bool *is_str,
				  const char **why)
{
	const char *p = it->p;
	size_t n = it->n, i = it->i;
	int r = -1;
	while (i < n && is_space(p[i]))
		i++;
	if (i < n && p[i] == '}') {
		i++;
		r = 0;
		goto out;
	}
	if (!it->first) {
		if (i >= n || p[i] != ',') {
			*why = "',' or '}' expected after an object member";
			goto out;
		}
		i++;
		while (i < n && is_space(p[i]))
			i++;
	}
	it->first = false;
	if (i >= n || p[i] != '"' || !read_str(p, n, &i, key)) {
		*why = "string key expected in object";
		goto out;
	}
	while (i < n && is_space(p[i]))
		i++;
	if (i >= n || p[i] != ':') {
		*why = "':' expected after an object key";
		goto out;
	}
	i++;
	while (i < n && is_space(p[i]))
		i++;
	if (i >= n) {
		*why = "value expected";
		goto out;
	}
	char c = p[i];
	*is_str = false;
	if (c == '"') {
		if (!read_str(p, n, &i, val)) {
			*why = "unterminated string";
			goto out;
		}
		*is_str = true;
	} else if (c == '{' || c == '[') {
		const cs_lr_scan *f = it->framed;
		size_t start = i;
		uint32_t k = it->conts++;
		size_t e;
		if (f && k < f->nends && f->starts[k] == i && f->ends[k] <= n) {
			/* the framing scan passed this very value already (a
			 * value met elsewhere, as after a malformed one, is
			 * scanned) */
			i = f->ends[k];
		} else if ((e = skip_best(p, n, i)) != 0) {
			i = e; /* nothing in it the scanner would stop at */
		} else {
			cs_lr_scan s;
			s.depth = 0;
			s.in_str = s.esc = 0;
			s.nends = 0;
			s.newlines = 0;
			if (cs__lr_scan(&s, p, n, &i, why) != CS_LR_DONE) {
				if (!s.depth || i >= n)
					*why = "unterminated object or array";
				goto out;
			}
		}
		val->ptr = p + start;
		val->len = i - start;
	} else {
		size_t start = i;
		while (i < n && strchr(",}] \t\r\n", p[i]) == NULL)
			i++;
		val->ptr = p + start;
		val->len = i - start;
		if (!(cs_str_eqc(*val, "true") || cs_str_eqc(*val, "false") || cs_str_eqc(*val, "null") ||
		      c == '-' || (c >= '0' && c <= '9'))) {
			*why = "invalid value";
			i = start; /* where the value begins */
			goto out;
		}
	}
	r = 1;
out:
	it->i = i;
	return r;
}

/* ---- time ------------------------------------------------------------- */

static inline uint64_t load8(const char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

static inline uint32_t load4(const char *p)
{
	uint32_t w;
	memcpy(&w, p, 4);
	return w;
}

static int digits(const char *s, size_t n, size_t at, size_t k)
{
	int v = 0;
	if (at + k > n)
		return -1;
	for (size_t i = at; i < at + k; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* cs__lr_parse_time, remembering in *tc (when not NULL) the last date and
 * hour read: a record of the same hour skips the calendar.  Out of line:
 * the usual time is parse_time20's minute, and inlined into the callers'
 * common path this would cost them a larger frame. */
LR_NOINLINE static int64_t parse_time(const char *s, size_t n, cs_lr_tcache *tc)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	/* "YYYY-MM-" and "HH:MM:SS" eight bytes at a time: XOR with the
	 * pattern leaves digits as 0..9 and the separators as 0 */
	static const char pat_date[8] = { '0', '0', '0', '0', '-', '0', '0', '-' };
	static const char pat_time[8] = { '0', '0', ':', '0', '0', ':', '0', '0' };
	static const char sep_date[8] = { 0, 0, 0, 0, -1, 0, 0, -1 };
	static const char sep_time[8] = { 0, 0, -1, 0, 0, -1, 0, 0 };
	const uint64_t x76 = 0x7676767676767676ull, hi = 0x8080808080808080ull;
	if (n < 19)
		return INT64_MIN;
	uint64_t xt = load8(s + 11) ^ load8(pat_time);
	/* every byte <= 9 (a byte above 0x7f is caught by its own high bit
	 * before its carry could matter), separators exactly 0 */
	if ((((xt + x76) | xt) & hi) || (xt & load8(sep_time)))
		return INT64_MIN;
	unsigned char bt[8];
	memcpy(bt, &xt, 8);
	int mi = bt[3] * 10 + bt[4], se = bt[6] * 10 + bt[7];
	if (mi > 59 || se > 60)
		return INT64_MIN;
	int64_t hour_ms; /* ms since the epoch at YYYY-MM-DDTHH:00:00 */
	uint64_t k0 = load8(s), k1 = load8(s + 5); /* bytes 0..12 */
	if (tc && tc->valid && tc->k0 == k0 && tc->k1 == k1) {
		hour_ms = tc->hour_ms;
	} else {
		uint64_t xd = k0 ^ load8(pat_date);
		unsigned d8 = (unsigned)(unsigned char)s[8] - '0', d9 = (unsigned)(unsigned char)s[9] - '0';
		if ((((xd + x76) | xd) & hi) || (xd & load8(sep_date)) || d8 > 9 || d9 > 9 ||
		    (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
			return INT64_MIN;
		unsigned char bd[8];
		memcpy(bd, &xd, 8);
		int y = bd[0] * 1000 + bd[1] * 100 + bd[2] * 10 + bd[3];
		int mo = bd[5] * 10 + bd[6], d = (int)(d8 * 10 + d9);
		int h = bt[0] * 10 + bt[1];
		if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23)
			return INT64_MIN;
		hour_ms = (days_from_civil(y, mo, d) * 24 + h) * 3600000LL;
		if (tc) {
			tc->k0 = k0;
			tc->k1 = k1;
			tc->hour_ms = hour_ms;
			tc->valid = true;
		}
	}
	size_t i = 19;
	int64_t ms = 0;
	if (i < n && s[i] == '.') {
		int64_t scale = 100;
		i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return INT64_MIN;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			ms += (s[i] - '0') * scale;
			scale /= 10;
		}
	}
	int64_t off = 0;
	if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		int oh = digits(s, n, i + 1, 2), om = digits(s, n, i + 4, 2);
		if (oh < 0 || om < 0 || oh > 23 || om > 59 || s[i + 3] != ':')
			return INT64_MIN;
		off = (oh * 60 + om) * 60000LL * (s[i] == '+' ? 1 : -1);
		i += 6;
	}
	if (i != n)
		return INT64_MIN;
	return hour_ms + mi * 60000LL + se * 1000LL + ms - off;
}

int64_t cs__lr_parse_time(const char *s, size_t n)
{
	return parse_time(s, n, NULL);
}

/* parse_time of the 20 bytes "YYYY-MM-DDTHH:MM:SSZ" (n == 20) with a
 * reader's cache: a time of the minute last read this way costs a compare
 * of its first 16 bytes and its seconds. */
static inline int64_t parse_time20(const char *s, cs_lr_tcache *tc)
{
	unsigned s1 = (unsigned)(unsigned char)s[17] - '0', s2 = (unsigned)(unsigned char)s[18] - '0';
	bool tail = s[16] == ':' && s1 <= 9 && s2 <= 9 && s[19] == 'Z' && s1 * 10 + s2 <= 60;
	int64_t sec_ms = (int64_t)(s1 * 10 + s2) * 1000;
	if (tail && tc->mvalid && load8(s) == tc->m0 && load8(s + 8) == tc->m1)
		return tc->min_ms + sec_ms;
	int64_t t = parse_time(s, 20, tc);
	if (tail && t != INT64_MIN) {
		tc->m0 = load8(s);
		tc->m1 = load8(s + 8);
		tc->min_ms = t - sec_ms;
		tc->mvalid = true;
	}
	return t;
}

/* Epoch milliseconds written as a JSON integer (GitHub). */
static int64_t parse_epoch_ms(cs_str v)
{
	int64_t t = 0;
	if (v.len == 0 || v.len > 15)
		return INT64_MIN;
	for (size_t i = 0; i < v.len; i++) {
		if (v.ptr[i] < '0' || v.ptr[i] > '9')
			return INT64_MIN;
		t = t * 10 + (v.ptr[i] - '0');
	}
	return t;
}

/* ---- classification --------------------------------------------------- */

enum {
	K_EVENTVERSION, K_EVENTSOURCE, K_EVENTNAME, K_EVENTTIME, K_DETAILTYPE, K_DETAIL, K_TIME,
	K_PROTOPAYLOAD, K_LOGNAME, K_TIMESTAMP, K_CATEGORY, K_OPERATIONNAME, K_RESOURCEID,
	K_EVENTTYPE, K_PUBLISHED, K_ACTION, K_ATTIMESTAMP, K_CREATEDAT, K_ACTOR, K_ORG, K_TYPE,
	K_TIMEGENERATED, K_NKEYS
};
static const char key_names[K_NKEYS][16] = { /* padded for 8-byte loads */
	"eventVersion", "eventSource", "eventName", "eventTime", "detail-type", "detail", "time",
	"protoPayload", "logName", "timestamp", "category", "operationName", "resourceId",
	"eventType", "published", "action", "@timestamp", "created_at", "actor", "org", "Type",
	"TimeGenerated",
};

/* The one key of key_names that k may be, told by its length and a
 * byte or two, or -1. */
static int key_candidate(cs_str k)
{
	if (k.len < 3 || k.len > 13)
		return -1;
	char c0 = k.ptr[0];
	switch (k.len) {
	case 3:
		return K_ORG;
	case 4:
		return c0 == 't' ? K_TIME : K_TYPE;
	case 5:
		return K_ACTOR;
	case 6:
		return c0 == 'd' ? K_DETAIL : K_ACTION;
	case 7:
		return K_LOGNAME;
	case 8:
		return K_CATEGORY;
	case 9:
		if (c0 == 'e')
			return k.ptr[6] == 'a' ? K_EVENTNAME : k.ptr[6] == 'i' ? K_EVENTTIME : K_EVENTTYPE;
		return c0 == 't' ? K_TIMESTAMP : K_PUBLISHED;
	case 10:
		return c0 == 'r' ? K_RESOURCEID : c0 == '@' ? K_ATTIMESTAMP : K_CREATEDAT;
	case 11:
		return c0 == 'e' ? K_EVENTSOURCE : K_DETAILTYPE;
	case 12:
		return c0 == 'e' ? K_EVENTVERSION : K_PROTOPAYLOAD;
	case 13:
		return c0 == 'o' ? K_OPERATIONNAME : K_TIMEGENERATED;
	default:
		return -1;
	}
}

/* The index of the key k in key_names, or -1: its candidate's first and
 * last eight (four) bytes compared at once, which covers 3 to 16 bytes. */
static int key_index(cs_str k)
{
	int c = key_candidate(k);
	if (c < 0)
		return -1;
	const char *name = key_names[c];
	bool eq = k.len >= 8 ? load8(name) == load8(k.ptr) &&
				       load8(name + k.len - 8) == load8(k.ptr + k.len - 8)
		  : k.len >= 4 ? load4(name) == load4(k.ptr) &&
				       load4(name + k.len - 4) == load4(k.ptr + k.len - 4)
			       : memcmp(name, k.ptr, 3) == 0;
	return eq ? c : -1;
}

typedef struct seen {
	uint32_t has, str; /* bit k: key k was seen; its value is a string */
	cs_str v[K_NKEYS];
} seen;

#define HAS(s, k) (((s)->has >> (k)) & 1u)
#define STR(s, k) (((s)->str >> (k)) & 1u)
#define BIT(k) (1u << (k))
#define ALL(h, m) (((h) & (m)) == (m))

/* Whether the members seen so far already decide the format and time, so
 * the rest of the record need not be read here (the matcher parses it). */
static bool decided(const seen *s)
{
	uint32_t h = s->has;
	return ALL(h, BIT(K_EVENTVERSION) | BIT(K_EVENTTIME)) ||
	       ALL(h, BIT(K_DETAILTYPE) | BIT(K_DETAIL)) ||
	       (ALL(h, BIT(K_CATEGORY) | BIT(K_TIME)) &&
		(h & (BIT(K_OPERATIONNAME) | BIT(K_RESOURCEID)))) ||
	       ((h & (BIT(K_PROTOPAYLOAD) | BIT(K_LOGNAME))) && HAS(s, K_TIMESTAMP)) ||
	       ALL(h, BIT(K_EVENTTYPE) | BIT(K_PUBLISHED)) ||
	       ALL(h, BIT(K_TYPE) | BIT(K_TIMEGENERATED)) ||
	       (HAS(s, K_ACTION) && (h & (BIT(K_ATTIMESTAMP) | BIT(K_CREATEDAT))) &&
		(h & (BIT(K_ACTOR) | BIT(K_ORG))));
}

/* Reads the top-level members of the object p[0..n) (which ends in '}'),
 * keeping the ones named in key_names; stops early once decided() when
 * `early`.  `framed`: as for cs__lr_classify. */
static cs_err collect(const char *p, size_t n, const cs_lr_scan *framed, seen *s, bool early,
		      const char **why, size_t *at)
{
	iter it = { p, n, 0, true, framed, 0 };
	cs_str k, v;
	bool is_str = false;
	int r;
	s->has = s->str = 0;
	skip_ws(&it);
	if (it.i >= n || p[it.i] != '{') {
		*why = "a record must be a JSON object";
		*at = it.i < n ? it.i : 0;
		return CS_ESYNTAX;
	}
	if (p[n - 1] != '}') {
		*why = "incomplete record (it does not end with '}')";
		*at = n - 1;
		return CS_ESYNTAX;
	}
	it.i++;
	while ((r = next_member(&it, &k, &v, &is_str, why)) == 1) {
		int j = key_index(k);
		if (j < 0 || HAS(s, j))
			continue;
		s->has |= BIT(j);
		s->str |= (uint32_t)is_str << j;
		s->v[j] = v;
		if (early && decided(s))
			return CS_OK;
	}
	if (r < 0) {
		*at = it.i < n ? it.i : n - 1;
		return CS_ESYNTAX;
	}
	skip_ws(&it);
	if (it.i != n) {
		*why = "unexpected text after the record";
		*at = it.i;
		return CS_ESYNTAX;
	}
	return CS_OK;
}

static int64_t str_time(const seen *s, int k, cs_lr_tcache *tc)
{
	return HAS(s, k) && STR(s, k) ? parse_time(s->v[k].ptr, s->v[k].len, tc) : INT64_MIN;
}

/* Azure's category names the log: sign-in logs of any kind, audit logs,
 * and everything else (Administrative, Security, Policy, ...) the activity
 * log.  A category written as {"value": ...} (the REST API) is unwrapped. */
static const char *azure_service(cs_str cat, bool is_str)
{
	if (!is_str && cat.len && cat.ptr[0] == '{') {
		iter it = { cat.ptr, cat.len, 1, true, NULL, 0 };
		cs_str k, v;
		bool st = false;
		const char *why;
		while (next_member(&it, &k, &v, &st, &why) == 1) {
			if (st && cs_str_eqc(k, "value")) {
				cat = v;
				break;
			}
		}
	}
	if (cat.len >= 10 && cs_str_ieqc((cs_str){ cat.ptr + cat.len - 10, 10 }, "signinlogs"))
		return "signinlogs";
	if (cs_str_ieqc(cat, "auditlogs"))
		return "auditlogs";
	return "activitylogs";
}

static bool contains(cs_str s, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; i + k <= s.len; i++)
		if (memcmp(s.ptr + i, needle, k) == 0)
			return true;
	return false;
}

/* (cs__lr_cloudtrail_head, declared in logreader_int.h.)  The start
 * CloudTrail gives its records, compact:
 * {"eventVersion":"..","userIdentity":{..},"eventTime":"..", read at
 * once.  true when p[0..n) starts so (strings without backslashes, the
 * object crossed by a skip or the framing scan): CloudTrail, and its time
 * in *time_ms, as collect and cs__lr_classify would decide on its first
 * three members.  false otherwise: collect reads the record. */
bool cs__lr_cloudtrail_head(const char *p, size_t n, const cs_lr_scan *framed, cs_lr_tcache *tc,
			    int64_t *time_ms)
{
	static const char k_ver[] = "{\"eventVersion\":\"", k_uid[] = ",\"userIdentity\":{",
			  k_time[] = ",\"eventTime\":\"";
	const unsigned char *u = (const unsigned char *)p;
	size_t i = sizeof k_ver - 1, e, t;
	if (n < i || p[n - 1] != '}' || memcmp(p, k_ver, i) != 0)
		return false;
	i = skip_plain(u, i, n);
	if (i >= n || u[i] != '"')
		return false;
	i++;
	if (n - i < sizeof k_uid - 1 || memcmp(p + i, k_uid, sizeof k_uid - 1) != 0)
		return false;
	i += sizeof k_uid - 2; /* at the '{' */
	if (framed && framed->nends && framed->starts[0] == i && framed->ends[0] <= n)
		e = framed->ends[0]; /* as next_member: the first container noted */
	else if ((e = skip_best(p, n, i)) == 0)
		return false;
	i = e;
	if (n - i < sizeof k_time - 1 || memcmp(p + i, k_time, sizeof k_time - 1) != 0)
		return false;
	t = i += sizeof k_time - 1;
	/* the usual "YYYY-MM-DDTHH:MM:SSZ": a time parsed from those 20 bytes
	 * means none of them is a quote, a backslash or a control byte, so
	 * the string ends at the quote after them */
	if (n - t > 20 && u[t + 20] == '"' &&
	    (*time_ms = tc ? parse_time20(p + t, tc) : parse_time(p + t, 20, NULL)) != INT64_MIN)
		return true;
	i = skip_plain(u, i, n);
	if (i >= n || u[i] != '"')
		return false;
	*time_ms = parse_time(p + t, i - t, tc);
	return true;
}

cs_err cs__lr_classify(const char *p, size_t n, const cs_lr_scan *framed, cs_lr_tcache *tc,
		       cs_lr_class *out, const char **why)
{
	cs_err rc = CS_OK;
	int64_t t;
	if (cs__lr_cloudtrail_head(p, n, framed, tc, &t)) {
		out->json = p;
		out->len = n;
		out->time_ms = t;
		out->product = "aws";
		out->service = "cloudtrail";
		out->err_at = 0;
	} else {
		rc = cs__lr_classify_rest(p, n, framed, tc, out, why);
	}
	return rc;
}

cs_err cs__lr_classify_rest(const char *p, size_t n, const cs_lr_scan *framed, cs_lr_tcache *tc,
			    cs_lr_class *out, const char **why)
{
	seen s;
	cs_err rc = CS_OK;
	out->json = p;
	out->len = n;
	out->time_ms = INT64_MIN;
	out->product = out->service = NULL;
	out->err_at = 0;
	if ((rc = collect(p, n, framed, &s, true, why, &out->err_at)) != CS_OK)
		goto out;
	if (HAS(&s, K_DETAILTYPE) && HAS(&s, K_DETAIL) && STR(&s, K_DETAILTYPE) &&
	    contains(s.v[K_DETAILTYPE], "via CloudTrail") && s.v[K_DETAIL].ptr[0] == '{') {
		/* EventBridge: the CloudTrail record is the detail. */
		seen d;
		rc = collect(s.v[K_DETAIL].ptr, s.v[K_DETAIL].len, NULL, &d, true, why, &out->err_at);
		if (rc) {
			out->err_at += (size_t)(s.v[K_DETAIL].ptr - p);
			goto out;
		}
		out->json = s.v[K_DETAIL].ptr;
		out->len = s.v[K_DETAIL].len;
		out->product = "aws";
		out->service = "cloudtrail";
		out->time_ms = str_time(&d, K_EVENTTIME, tc);
		if (out->time_ms == INT64_MIN)
			out->time_ms = str_time(&s, K_TIME, tc);
	} else if (HAS(&s, K_EVENTVERSION) || (HAS(&s, K_EVENTSOURCE) && HAS(&s, K_EVENTNAME))) {
		out->product = "aws";
		out->service = "cloudtrail";
		out->time_ms = str_time(&s, K_EVENTTIME, tc);
	} else if (HAS(&s, K_PROTOPAYLOAD) ||
		   (HAS(&s, K_LOGNAME) && contains(s.v[K_LOGNAME], "cloudaudit.googleapis.com"))) {
		out->product = "gcp";
		out->service = "gcp.audit";
		out->time_ms = str_time(&s, K_TIMESTAMP, tc);
	} else if (HAS(&s, K_CATEGORY) &&
		   (HAS(&s, K_OPERATIONNAME) || HAS(&s, K_RESOURCEID) || HAS(&s, K_TIME))) {
		out->product = "azure";
		out->service = azure_service(s.v[K_CATEGORY], STR(&s, K_CATEGORY));
		out->time_ms = str_time(&s, K_TIME, tc);
	} else if (HAS(&s, K_TYPE) && HAS(&s, K_TIMEGENERATED) && STR(&s, K_TYPE) &&
		   (cs_str_ieqc(s.v[K_TYPE], "AzureActivity") || cs_str_ieqc(s.v[K_TYPE], "AuditLogs") ||
		    (s.v[K_TYPE].len >= 10 &&
		     cs_str_ieqc((cs_str){ s.v[K_TYPE].ptr + s.v[K_TYPE].len - 10, 10 }, "signinlogs")))) {
		/* a Log Analytics row (Type names the table: AzureActivity,
		 * AuditLogs, SigninLogs, AADNonInteractiveUserSignInLogs, ...) */
		out->product = "azure";
		out->service = cs_str_ieqc(s.v[K_TYPE], "AzureActivity") ? "activitylogs"
			       : cs_str_ieqc(s.v[K_TYPE], "AuditLogs")   ? "auditlogs"
									  : "signinlogs";
		out->time_ms = str_time(&s, K_TIMEGENERATED, tc);
	} else if (HAS(&s, K_EVENTTYPE) && HAS(&s, K_PUBLISHED)) {
		out->product = "okta";
		out->service = "okta";
		out->time_ms = str_time(&s, K_PUBLISHED, tc);
	} else if (HAS(&s, K_ACTION) && (HAS(&s, K_ATTIMESTAMP) || HAS(&s, K_CREATEDAT)) &&
		   (HAS(&s, K_ACTOR) || HAS(&s, K_ORG))) {
		int k = HAS(&s, K_ATTIMESTAMP) ? K_ATTIMESTAMP : K_CREATEDAT;
		out->product = "github";
		out->service = "audit";
		out->time_ms = STR(&s, k) ? str_time(&s, k, tc) : parse_epoch_ms(s.v[k]);
	} else {
		*why = "a JSON object of no known log format";
		rc = CS_EFORMAT;
	}
out:
	return rc;
}
