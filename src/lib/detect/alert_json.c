/*
 * detect/alert_json.c - alerts as JSON lines (cshare's own shape) and as
 * OCSF 1.8.0 Detection Findings (class_uid 2004), one object per line.
 */
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define AJ_X86 1
#include <immintrin.h>
#else
#define AJ_X86 0
#endif

#if defined(__GNUC__) || defined(__clang__)
#define AJ_INLINE __attribute__((always_inline)) inline
#else
#define AJ_INLINE inline
#endif

#include "json/json_int.h" /* first: it may pull in <emmintrin.h> */
#include "alert_int.h"
#include "core/internal.h"

/* "key": then a string or null. */
static cs_err kv_str(cs_buf *b, const char *key, const char *val, bool comma)
{
	/* keys are our own short literals: no escaping needed, one append for
	 * ,"key": (this runs a dozen times per alert) */
	char tmp[64];
	size_t kl = strlen(key), n = 0;
	cs_err rc = CS_OK;
	if (kl + 4 > sizeof tmp) {
		rc = cs_buf_printf(b, "%s\"%s\":", comma ? "," : "", key);
	} else {
		if (comma)
			tmp[n++] = ',';
		tmp[n++] = '"';
		memcpy(tmp + n, key, kl);
		n += kl;
		tmp[n++] = '"';
		tmp[n++] = ':';
		rc = cs_buf_append(b, tmp, n);
	}
	if (!rc)
		rc = val ? cs_json_write_str(b, val, strlen(val)) : cs_buf_puts(b, "null");
	return rc;
}

static cs_err str_array(cs_buf *b, const char *const *v, size_t n)
{
	cs_err rc = cs_buf_putc(b, '[');
	for (size_t i = 0; !rc && i < n; i++) {
		if (i)
			rc = cs_buf_putc(b, ',');
		if (!rc)
			rc = cs_json_write_str(b, v[i], strlen(v[i]));
	}
	if (!rc)
		rc = cs_buf_putc(b, ']');
	return rc;
}

static size_t ntags(const cs_alert *a)
{
	size_t n = 0;
	while (a->tags && a->tags[n])
		n++;
	return n;
}

#define PUT_LIT(d, lit) (memcpy((d), (lit), sizeof(lit) - 1), (d) + sizeof(lit) - 1)

/* cs__buf_reserve with the case that needs nothing of it (the room is
 * there, under the maximum: no growth, no flush) inline. */
static inline char *reserve(cs_buf *b, size_t n, cs_err *rc)
{
	if (n <= b->max && b->len <= b->max - n && b->cap > b->len && b->cap - b->len > n) {
		*rc = CS_OK;
		return b->data + b->len;
	}
	return cs__buf_reserve(b, n, rc);
}

/* A string or null at d (CS__JSON_STR_ROOM(len) or 4 bytes). */
static char *put_str_or_null(char *d, const char *s, size_t len)
{
	if (!s) {
		memcpy(d, "null", 4);
		return d + 4;
	}
	return cs__json_put_str(d, s, len);
}

/* The memo's `{"field":NAME,"value":` for field name f (made on first
 * use), or NULL (no memo, memo full, out of memory). */
static const char *field_open(cs_alert_memo *mm, const char *f, size_t *len)
{
	if (!mm || !f)
		return NULL;
	for (size_t k = 0; k < mm->nf; k++)
		if (mm->fname[k] == f) {
			*len = mm->fopen_len[k];
			return mm->fopen[k];
		}
	if (mm->nf == CS__MEMO_FIELDS)
		return NULL;
	size_t fl = strlen(f);
	char *o = cs_malloc(sizeof "{\"field\":,\"value\":" + CS__JSON_STR_ROOM(fl)), *d = o;
	if (!o)
		return NULL;
	d = PUT_LIT(d, "{\"field\":");
	d = cs__json_put_str(d, f, fl);
	d = PUT_LIT(d, ",\"value\":");
	mm->fname[mm->nf] = f;
	mm->fopen[mm->nf] = o;
	mm->fopen_len[mm->nf++] = *len = (size_t)(d - o);
	return o;
}

void cs__alert_memo_release(cs_alert_memo *m)
{
	if (!m)
		return;
	cs_free(m->jsonl);
	cs_free(m->mlast);
	for (size_t k = 0; k < m->nf; k++)
		cs_free(m->fopen[k]);
	memset(m, 0, sizeof *m);
}

/* memcmp(a, b, n) == 0, without a call for the short texts compared here
 * (file names, products, services, matched values): the first and last
 * eight or four bytes at once. */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
	uint64_t x, y, z, w;
	uint32_t x4, y4, z4, w4;
	if (n > 16)
		return memcmp(a, b, n) == 0;
	if (n >= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		memcpy(&z, a + n - 8, 8);
		memcpy(&w, b + n - 8, 8);
		return ((x ^ y) | (z ^ w)) == 0;
	}
	if (n >= 4) {
		memcpy(&x4, a, 4);
		memcpy(&y4, b, 4);
		memcpy(&z4, a + n - 4, 4);
		memcpy(&w4, b + n - 4, 4);
		return ((x4 ^ y4) | (z4 ^ w4)) == 0;
	}
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* Whether the memo's last matched-fields array was made from the alert's
 * fields and values (vlen: their lengths). */
static bool mlast_same(const cs_alert_memo *mm, const cs_alert *a, const size_t *vlen)
{
	if (!mm->mlast || mm->mnf != a->nfields)
		return false;
	const char *k = mm->mlast;
	for (size_t i = 0; i < a->nfields; i++) {
		const char *f;
		size_t l;
		memcpy(&f, k, sizeof f);
		memcpy(&l, k + sizeof f, sizeof l);
		k += sizeof f + sizeof l;
		if (f != a->fields[i] || l != (a->values[i] ? vlen[i] : SIZE_MAX))
			return false;
		if (a->values[i]) {
			if (!same_bytes(k, a->values[i], l))
				return false;
			k += l;
		}
	}
	return true;
}

/* Keeps text[0..n) as the memo's last matched-fields array (see
 * mlast_same); small ones only, and none when out of memory. */
#define MLAST_BYTES 4096
static void mlast_keep(cs_alert_memo *mm, const cs_alert *a, const size_t *vlen,
		       const char *text, size_t n)
{
	size_t key = 0;
	for (size_t i = 0; i < a->nfields; i++)
		key += sizeof(char *) + sizeof(size_t) + (a->values[i] ? vlen[i] : 0);
	cs_free(mm->mlast);
	mm->mlast = NULL;
	mm->mnf = 0;
	if (key + n > MLAST_BYTES || !(mm->mlast = cs_malloc(key + n + 1)))
		return;
	char *k = mm->mlast;
	for (size_t i = 0; i < a->nfields; i++) {
		const char *f = a->fields[i];
		size_t l = a->values[i] ? vlen[i] : SIZE_MAX;
		memcpy(k, &f, sizeof f);
		memcpy(k + sizeof f, &l, sizeof l);
		k += sizeof f + sizeof l;
		if (a->values[i]) {
			memcpy(k, a->values[i], l);
			k += l;
		}
	}
	memcpy(k, text, n);
	mm->mnf = a->nfields;
	mm->mkey_len = key;
	mm->mtext_len = n;
}

/* How the matched fields are written, worked out before anything is
 * (so that a line can reserve its room once): the array kept from the
 * last alert of the rule (text), or per field its memo'd opening, or,
 * without a memo, everything escaped in full.  need: an upper bound. */
typedef struct mplan {
	const char *text; /* the whole array, when the memo's last one fits */
	size_t text_len, need;
	bool memo;
	const size_t *vlen; /* (a NULL value's length is never read) */
	const char *open[CS__MEMO_FIELDS];
	size_t olen[CS__MEMO_FIELDS], counted[CS__MEMO_FIELDS];
} mplan;

static void matched_plan(const cs_alert *a, mplan *mp)
{
	mp->text = NULL;
	mp->need = 2;
	mp->memo = a->memo && a->nfields <= CS__MEMO_FIELDS;
	mp->vlen = a->value_lens ? a->value_lens : mp->counted;
	for (size_t i = 0; mp->memo && !a->value_lens && i < a->nfields; i++)
		mp->counted[i] = a->values[i] ? strlen(a->values[i]) : 0;
	/* (a last array kept was made with every field's opening memo'd) */
	if (mp->memo && mlast_same(a->memo, a, mp->vlen)) {
		mp->text = a->memo->mlast + a->memo->mkey_len;
		mp->need = mp->text_len = a->memo->mtext_len;
		return;
	}
	for (size_t i = 0; mp->memo && i < a->nfields; i++) {
		mp->open[i] = field_open(a->memo, a->fields[i], &mp->olen[i]);
		mp->memo = mp->open[i] != NULL;
		mp->need += mp->olen[i] + CS__JSON_STR_ROOM(mp->vlen[i]) + 6;
	}
	if (!mp->memo) {
		mp->need = 2;
		for (size_t i = 0; i < a->nfields; i++)
			mp->need += sizeof ",{\"field\":,\"value\":}" +
				    CS__JSON_STR_ROOM(a->fields[i] ? strlen(a->fields[i]) : 2) +
				    CS__JSON_STR_ROOM(a->values[i] ? strlen(a->values[i]) : 2);
	}
}

/* Writes the matched fields as planned at p (mp->need bytes of room);
 * the end. */
static char *matched_put(char *p, const cs_alert *a, const mplan *mp)
{
	char *d = p;
	if (mp->text) {
		cs__copy_short(d, mp->text, mp->text_len);
		return d + mp->text_len;
	}
	*d++ = '[';
	for (size_t i = 0; i < a->nfields; i++) {
		const char *f = a->fields[i], *v = a->values[i];
		if (i)
			*d++ = ',';
		if (mp->memo) {
			memcpy(d, mp->open[i], mp->olen[i]);
			d += mp->olen[i];
			d = put_str_or_null(d, v, mp->vlen[i]);
		} else {
			d = PUT_LIT(d, "{\"field\":");
			d = put_str_or_null(d, f, f ? strlen(f) : 0);
			d = PUT_LIT(d, ",\"value\":");
			d = put_str_or_null(d, v, v ? strlen(v) : 0);
		}
		*d++ = '}';
	}
	*d++ = ']';
	if (mp->memo)
		mlast_keep(a->memo, a, mp->vlen, p, (size_t)(d - p));
	return d;
}

/* The matched fields as a JSON array, in one reserved stretch. */
static cs_err matched(cs_buf *b, const cs_alert *a)
{
	cs_err rc = CS_OK;
	mplan mp;
	matched_plan(a, &mp);
	if (mp.text)
		return cs__buf_add(b, mp.text, mp.text_len);
	char *p = reserve(b, mp.need, &rc);
	if (!p)
		return rc;
	cs__buf_commit(b, (size_t)(matched_put(p, a, &mp) - p));
	return rc;
}

static cs_err correlation(cs_buf *b, const cs_alert *a)
{
	cs_err rc = cs_buf_puts(b, "{");
	if (!rc)
		rc = kv_str(b, "type", a->correlation_type, false);
	if (!rc)
		rc = kv_str(b, "group_key", a->group_key, true);
	if (!rc)
		rc = cs_buf_puts(b, ",\"contributing\":");
	if (!rc)
		rc = str_array(b, a->contributing, a->ncontributing);
	if (!rc)
		rc = cs_buf_putc(b, '}');
	return rc;
}

/* Copies s[0..n) to d; whether none of those bytes is a line break
 * ('\n' or '\r').  When one is, d holds an unspecified part of the copy. */
static bool copy_flat_bytes(char *d, const char *s, size_t n)
{
	bool flat = true;
	for (size_t i = 0; i < n; i++) {
		d[i] = s[i];
		flat &= s[i] != '\n' && s[i] != '\r';
	}
	return flat;
}

#if AJ_X86
/* Line-break bytes of v as all-ones bytes: a byte whose low nibble picks
 * itself from the table is '\n' or '\r' (the other entries, 0x80, equal no
 * byte that picks them: PSHUFB gives 0 for bytes from 0x80 up). */
#define AJ_BREAKS(v, tbl) _mm256_cmpeq_epi8(_mm256_shuffle_epi8(tbl, v), v)

/* Copies s[0..128) to d; the bytewise minimum of lo and those bytes. */
__attribute__((target("avx2"))) static inline __m256i copy128_min(char *d, const char *s,
								  __m256i lo)
{
	__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)s);
	__m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(s + 32));
	__m256i c = _mm256_loadu_si256((const __m256i *)(const void *)(s + 64));
	__m256i e = _mm256_loadu_si256((const __m256i *)(const void *)(s + 96));
	_mm256_storeu_si256((__m256i *)(void *)d, a);
	_mm256_storeu_si256((__m256i *)(void *)(d + 32), b);
	_mm256_storeu_si256((__m256i *)(void *)(d + 64), c);
	_mm256_storeu_si256((__m256i *)(void *)(d + 96), e);
	return _mm256_min_epu8(lo, _mm256_min_epu8(_mm256_min_epu8(a, b), _mm256_min_epu8(c, e)));
}

/* copy_flat_bytes: under 128 bytes, 32 bytes a step (the last step
 * overlapping the one before it).  Longer ones 128 bytes a step, keeping
 * only the smallest byte (no branch but the loop's): only when some byte
 * is below 0x0E (a line break, or a tab: rare in a record) are the line
 * breaks looked for. */
__attribute__((target("avx2"))) static bool copy_flat_avx2(char *d, const char *s, size_t n)
{
	if (n < 32)
		return copy_flat_bytes(d, s, n);
	if (n < 128) {
		const __m256i tbl = _mm256_broadcastsi128_si256(
			_mm_setr_epi8(-128, -128, -128, -128, -128, -128, -128, -128, -128, -128,
				      '\n', -128, -128, '\r', -128, -128));
		__m256i m = _mm256_setzero_si256();
		for (size_t i = 0;; i += 32) {
			if (i + 32 > n)
				i = n - 32;
			__m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
			_mm256_storeu_si256((__m256i *)(void *)(d + i), a);
			m = _mm256_or_si256(m, AJ_BREAKS(a, tbl));
			if (i + 32 == n)
				break;
		}
		return _mm256_testz_si256(m, m) != 0;
	}
	__m256i lo = _mm256_set1_epi8(-1);
	size_t i = 0;
	for (; i + 128 <= n; i += 128)
		lo = copy128_min(d + i, s + i, lo);
	if (i < n) /* the last step overlaps the one before */
		lo = copy128_min(d + n - 128, s + n - 128, lo);
	__m256i low = _mm256_subs_epu8(_mm256_set1_epi8(0x0e), lo);
	if (_mm256_testz_si256(low, low))
		return true;
	return !memchr(s, '\n', n) && !memchr(s, '\r', n);
}
#endif

/* copy_flat_bytes with the best way the machine has: without AVX2, the
 * C library's memchr twice and a copy. */
static bool copy_flat(char *d, const char *s, size_t n)
{
#if AJ_X86
	static int avx2; /* 0 not known yet, 1 no, 2 yes */
	int k = __atomic_load_n(&avx2, __ATOMIC_RELAXED);
	if (k == 0) {
		k = __builtin_cpu_supports("avx2") ? 2 : 1;
		__atomic_store_n(&avx2, k, __ATOMIC_RELAXED);
	}
	if (k == 2)
		return copy_flat_avx2(d, s, n);
#endif
	if (memchr(s, '\n', n) || memchr(s, '\r', n))
		return false;
	memcpy(d, s, n);
	return true;
}

/* The record as the alert's "event": as it is when it is already on one
 * line (checked while it is copied), without its white space otherwise,
 * so that an alert stays one line. */
static cs_err put_event(cs_buf *b, const cs_event *ev)
{
	cs_err rc = CS_OK;
	char *d = reserve(b, ev->len, &rc);
	if (!d)
		return rc;
	if (copy_flat(d, ev->json, ev->len)) {
		cs__buf_commit(b, ev->len);
		return CS_OK;
	}
	b->data[b->len] = 0; /* (nothing of the copy is kept) */
	return cs_json_write_compact(b, ev->json, ev->len);
}

/* The rule's part of a JSON line (rule_id to rule_file): the same for every
 * alert of a rule. */
static cs_err rule_part(cs_buf *b, const cs_alert *a)
{
	cs_err rc = CS_OK;
	if ((rc = cs_buf_putc(b, '{')) || (rc = kv_str(b, "rule_id", a->rule_id, false)) ||
	    (rc = kv_str(b, "title", a->title, true)) || (rc = kv_str(b, "level", a->level, true)) ||
	    (rc = kv_str(b, "status", a->status, true)) ||
	    (rc = kv_str(b, "author", a->author, true)) || (rc = cs_buf_puts(b, ",\"tags\":")) ||
	    (rc = str_array(b, a->tags, ntags(a))) || (rc = kv_str(b, "domain", a->domain, true)))
		return rc;
	return kv_str(b, "rule_file", a->rule_file, true);
}

/* A per-thread cache of rendered rule parts (most alerts come from a few
 * rules; escaping the same title, author and tags for every alert was a
 * fifth of the alert output's cost).  An entry keeps a copy of the texts
 * it was made from and is used only when the alert's texts are equal to
 * them, so a rule set freed and another loaded at the same addresses
 * cannot be served a stale entry.  Fixed storage, no heap: nothing to free
 * when a thread ends; parts too large for a slot are written directly. */
#define RP_SLOTS 16
#define RP_BYTES 4096

typedef struct rp_slot {
	size_t src_len, text_len; /* mem: the sources, then the text */
	char mem[RP_BYTES];
} rp_slot;

static _Thread_local rp_slot rp_cache[RP_SLOTS];

/* Appends one text ('1' and the text with its NUL, or '0' for none) to
 * dst[*n..cap); false when it does not fit. */
static bool rp_put(char *dst, size_t cap, size_t *n, const char *s)
{
	size_t k = s ? strlen(s) + 1 : 0;
	if (*n + 1 + k > cap)
		return false;
	dst[(*n)++] = s ? '1' : '0';
	if (s)
		memcpy(dst + *n, s, k);
	*n += k;
	return true;
}

/* The texts the rule part is made of, in one byte string. */
static bool rp_sources(const cs_alert *a, char *dst, size_t cap, size_t *n)
{
	const char *f[7] = { a->rule_id, a->title, a->level, a->status, a->author, a->domain,
			     a->rule_file };
	*n = 0;
	for (size_t i = 0; i < 7; i++)
		if (!rp_put(dst, cap, n, f[i]))
			return false;
	for (size_t i = 0; a->tags && a->tags[i]; i++)
		if (!rp_put(dst, cap, n, a->tags[i]))
			return false;
	return rp_put(dst, cap, n, NULL);
}

/* Whether one text equals the one stored at *at (as rp_put stored it);
 * moves *at past it. */
static bool rp_same(const char **at, const char *end, const char *s)
{
	const char *p = *at;
	if (p >= end || (*p == '1') != (s != NULL))
		return false;
	p++;
	if (s) {
		if (strcmp(p, s) != 0)
			return false;
		p += strlen(p) + 1;
	}
	*at = p;
	return true;
}

/* Whether the slot holds the part of exactly these texts (compared with
 * the stored copies, without building the alert's source string). */
static bool rp_hit(const rp_slot *sl, const cs_alert *a)
{
	const char *f[7] = { a->rule_id, a->title, a->level, a->status, a->author, a->domain,
			     a->rule_file };
	const char *p = sl->mem, *end = sl->mem + sl->src_len;
	if (!sl->text_len)
		return false;
	for (size_t i = 0; i < 7; i++)
		if (!rp_same(&p, end, f[i]))
			return false;
	for (size_t i = 0; a->tags && a->tags[i]; i++)
		if (!rp_same(&p, end, a->tags[i]))
			return false;
	return rp_same(&p, end, NULL) && p == end;
}

static cs_err rule_part_cached(cs_buf *b, const cs_alert *a)
{
	char src[RP_BYTES];
	size_t n;
	uintptr_t h = (uintptr_t)a->rule_id ^ ((uintptr_t)a->title >> 3);
	rp_slot *sl = &rp_cache[(h >> 4) % RP_SLOTS];
	/* (a flushing buffer may hand its contents on while the part is
	 * written: no copy to take then) */
	if (b->flush)
		return rule_part(b, a);
	if (rp_hit(sl, a))
		return cs_buf_append(b, sl->mem + sl->src_len, sl->text_len);
	if (!rp_sources(a, src, sizeof src, &n))
		return rule_part(b, a);
	size_t at = b->len;
	cs_err rc = rule_part(b, a);
	size_t tl = b->len - at;
	if (!rc && n + tl <= RP_BYTES) {
		memcpy(sl->mem, src, n);
		memcpy(sl->mem + n, b->data + at, tl);
		sl->src_len = n;
		sl->text_len = tl;
	}
	return rc;
}

/* The event's file, product and service repeat from alert to alert: the
 * last of each, and its escaped form, per thread (compared by content). */
#define EC_BYTES 256
typedef struct esc_slot {
	size_t len, elen;
	char src[EC_BYTES];
	char esc[CS__JSON_STR_ROOM(EC_BYTES)];
} esc_slot;

static _Thread_local esc_slot esc_cache[3];

/* (inlined: three calls per alert, mostly served from the cache) */
static AJ_INLINE char *put_str_or_null_cached(char *d, const char *s, size_t n, int which)
{
	esc_slot *c = &esc_cache[which];
	if (!s || n > EC_BYTES)
		return put_str_or_null(d, s, n);
	if (c->elen && c->len == n && same_bytes(c->src, s, n)) {
		cs__copy_short(d, c->esc, c->elen);
		return d + c->elen;
	}
	char *e = cs__json_put_str(d, s, n);
	c->len = n;
	memcpy(c->src, s, n);
	c->elen = (size_t)(e - d);
	memcpy(c->esc, d, c->elen);
	return e;
}

/* The rule part through the matcher's memo: rendered once per rule. */
static cs_err rule_part_memo(cs_buf *b, const cs_alert *a)
{
	cs_alert_memo *mm = a->memo;
	if (!mm->jsonl) {
		cs_buf t;
		cs_buf_init(&t, 0);
		cs_err rc = rule_part(&t, a);
		if (rc) {
			cs_buf_release(&t);
			return rc == CS_ENOMEM ? rule_part(b, a) : rc;
		}
		mm->jsonl = t.data; /* owned by the memo now */
		mm->jsonl_len = t.len;
	}
	return cs__buf_add(b, mm->jsonl, mm->jsonl_len);
}

/* Digits of v at d; the end. */
static AJ_INLINE char *put_u64_at(char *d, uint64_t v)
{
	/* two digits per division, written from the last one back */
	static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				    "8081828384858687888990919293949596979899";
	static const uint64_t p10[] = { 1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
					10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
					100000000000ull, 1000000000000ull, 10000000000000ull,
					100000000000000ull, 1000000000000000ull, 10000000000000000ull,
					100000000000000000ull, 1000000000000000000ull,
					10000000000000000000ull };
	/* digits: about log10 from the bit length (1233 / 4096 ~ log10(2)),
	 * then one comparison; 0 has one digit too */
	unsigned bits = 64u - (unsigned)__builtin_clzll(v | 1);
	size_t t = (bits * 1233u) >> 12, n = t + (v >= p10[t]);
	n += n == 0;
	char *e = d + n, *q = e;
	/* four digits per 64-bit division, their pairs with 32-bit ones */
	while (v >= 10000) {
		uint32_t r = (uint32_t)(v % 10000);
		v /= 10000;
		q -= 4;
		memcpy(q, pairs + (r / 100) * 2, 2);
		memcpy(q + 2, pairs + (r % 100) * 2, 2);
	}
	uint32_t w = (uint32_t)v;
	if (w >= 100) {
		q -= 2;
		memcpy(q, pairs + (w % 100) * 2, 2);
		w /= 100;
	}
	if (w >= 10)
		memcpy(q - 2, pairs + w * 2, 2);
	else
		q[-1] = (char)('0' + w);
	return e;
}

/* Room put_head needs at most. */
#define HEAD_ROOM(fl, pl, sl)                                                                   \
	(sizeof ",\"time\":\"" + 32 + sizeof ",\"file\":,\"offset\":,\"line\":,\"product\":,\"service\":" + \
	 CS__JSON_STR_ROOM(fl) + CS__JSON_STR_ROOM(pl) + CS__JSON_STR_ROOM(sl) + 3 * 4 + 2 * 24 +     \
	 sizeof ",\"matched\":")

/* ,"time": to ,"matched": at d (HEAD_ROOM bytes, the time formatted in
 * place: 32 bytes of room); the end.  fl, pl, sl: the lengths of the
 * event's file, product and service (when there is an event). */
static AJ_INLINE char *put_head(char *d, const cs_event *ev, size_t fl, size_t pl, size_t sl)
{
	d = PUT_LIT(d, ",\"time\":\"");
	if (ev)
		cs__alert_time(d, ev->time_ms);
	if (ev && d[0]) { /* "YYYY-MM-DDTHH:MM:SS.mmmZ": nothing to escape */
		d += 24;
		*d++ = '"';
	} else {
		d = PUT_LIT(d - 1, "null");
	}
	if (ev) {
		d = PUT_LIT(d, ",\"file\":");
		d = put_str_or_null_cached(d, ev->file, fl, 0);
		d = PUT_LIT(d, ",\"offset\":");
		d = put_u64_at(d, ev->offset);
		d = PUT_LIT(d, ",\"line\":");
		d = ev->line ? put_u64_at(d, ev->line) : PUT_LIT(d, "null");
		d = PUT_LIT(d, ",\"product\":");
		d = put_str_or_null_cached(d, ev->product, pl, 1);
		d = PUT_LIT(d, ",\"service\":");
		d = put_str_or_null_cached(d, ev->service, sl, 2);
	}
	return PUT_LIT(d, ",\"matched\":");
}


/* Room for event_tail's part of a line. */
#define EVENT_TAIL_ROOM(ev) ((ev)->len + sizeof ",\"event\":}\n")

/* The end of a JSON line from d, in room reserved at p (d - p bytes
 * written, EVENT_TAIL_ROOM(ev) more free): the record as "event", one
 * alert per line (as it is when it is already on one line, checked while
 * it is copied, without its white space otherwise), and the closing
 * brace; everything committed. */
static cs_err event_tail(cs_buf *b, char *p, char *d, const cs_event *ev)
{
	cs_err rc;
	d = PUT_LIT(d, ",\"event\":");
	if (copy_flat(d, ev->json, ev->len)) {
		d = PUT_LIT(d + ev->len, "}\n");
		cs__buf_commit(b, (size_t)(d - p));
		return CS_OK;
	}
	cs__buf_commit(b, (size_t)(d - p));
	if (!(rc = cs_json_write_compact(b, ev->json, ev->len)))
		rc = cs_buf_puts(b, "}\n");
	return rc;
}
/* The usual alert (the matcher's, of a detection rule, with an event) in
 * one stretch reserved for the whole line: *done is false when it was
 * not written (nothing of it is in b then: the caller writes it piece by
 * piece, as an alert of any other kind). */
static cs_err jsonl_line(cs_buf *b, const cs_alert *a, size_t fl, size_t pl, size_t sl,
			 bool *done)
{
	cs_err rc = CS_OK;
	const cs_event *ev = a->event;
	cs_alert_memo *mm = a->memo;
	mplan mp;
	*done = false;
	if (!mm->jsonl) { /* the rule part, rendered once per rule */
		cs_buf t;
		cs_buf_init(&t, 0);
		if (rule_part(&t, a)) {
			cs_buf_release(&t);
			return CS_OK;
		}
		mm->jsonl = t.data; /* owned by the memo now */
		mm->jsonl_len = t.len;
	}
	matched_plan(a, &mp);
	size_t need = mm->jsonl_len + HEAD_ROOM(fl, pl, sl) + mp.need + EVENT_TAIL_ROOM(ev);
	char *p = reserve(b, need, &rc), *d = p;
	if (!p) /* (the bound may be over a limit the line is not over) */
		return rc == CS_ELIMIT || rc == CS_ENOMEM ? CS_OK : rc;
	*done = true;
	memcpy(d, mm->jsonl, mm->jsonl_len);
	d = put_head(d + mm->jsonl_len, ev, fl, pl, sl);
	if (mp.text) { /* (most alerts: without a call) */
		cs__copy_short(d, mp.text, mp.text_len);
		d += mp.text_len;
	} else {
		d = matched_put(d, a, &mp);
	}
	return event_tail(b, p, d, ev);
}

cs_err cs__alert_write_jsonl(cs_buf *b, const cs_alert *a)
{
	cs_err rc = CS_OK;
	const cs_event *ev = a->event;
	size_t fl = 0, pl = 0, sl = 0;
	bool done = false;
	if (ev) {
		fl = ev->file ? strlen(ev->file) : 0;
		pl = ev->product ? strlen(ev->product) : 0;
		sl = ev->service ? strlen(ev->service) : 0;
	}
	if (ev && a->memo && !a->correlation_type &&
	    ((rc = jsonl_line(b, a, fl, pl, sl, &done)) || done))
		goto out;
	if ((rc = a->memo ? rule_part_memo(b, a) : rule_part_cached(b, a)))
		goto out;
	/* time to ,"matched": in one reserved stretch */
	char *p = reserve(b, HEAD_ROOM(fl, pl, sl), &rc), *d = p;
	if (!p)
		goto out;
	d = put_head(d, ev, fl, pl, sl);
	cs__buf_commit(b, (size_t)(d - p));
	if ((rc = matched(b, a)))
		goto out;
	if (a->correlation_type &&
	    ((rc = cs_buf_puts(b, ",\"correlation\":")) || (rc = correlation(b, a))))
		goto out;
	if (ev) {
		if ((p = reserve(b, EVENT_TAIL_ROOM(ev), &rc)))
			rc = event_tail(b, p, p, ev);
		goto out;
	}
	rc = cs_buf_puts(b, "}\n");
out:
	return rc;
}

/* ---- OCSF Detection Finding -------------------------------------------- */

static const char *cloud_provider(const char *product)
{
	if (!product)
		return NULL;
	if (strcmp(product, "aws") == 0)
		return "AWS";
	if (strcmp(product, "azure") == 0)
		return "Azure";
	if (strcmp(product, "gcp") == 0)
		return "GCP";
	return NULL;
}

/* ATT&CK technique tags ("attack.t1078.004") as finding_info.attacks. */
static cs_err attacks(cs_buf *b, const cs_alert *a)
{
	cs_err rc = CS_OK;
	bool any = false;
	for (size_t i = 0; !rc && a->tags && a->tags[i]; i++) {
		const char *tg = a->tags[i];
		if (strncmp(tg, "attack.t", 8) != 0 || tg[8] < '0' || tg[8] > '9')
			continue;
		char uid[32];
		size_t k = 0;
		for (const char *p = tg + 7; *p && k + 1 < sizeof uid; p++)
			uid[k++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p;
		uid[k] = '\0';
		rc = cs_buf_puts(b, any ? "," : ",\"attacks\":[");
		if (!rc)
			rc = cs_buf_puts(b, "{\"technique\":{");
		if (!rc)
			rc = kv_str(b, "uid", uid, false);
		if (!rc)
			rc = cs_buf_puts(b, "}}");
		any = true;
	}
	if (!rc && any)
		rc = cs_buf_putc(b, ']');
	return rc;
}

cs_err cs__alert_write_ocsf(cs_buf *b, const cs_alert_opts *o, const cs_alert *a)
{
	cs_err rc = CS_OK;
	static const char *const sev_names[] = { "Unknown", "Informational", "Low", "Medium",
						 "High", "Critical" };
	const cs_event *ev = a->event;
	int sev = cs__alert_severity_id(a->level);
	int64_t t = ev && ev->time_ms != INT64_MIN ? ev->time_ms : o->now_ms;
	const char *prov = ev ? cloud_provider(ev->product) : NULL;
	cs_buf uid;
	cs_buf_init(&uid, 0);
	if (ev)
		rc = cs_buf_printf(&uid, "%s:%s@%llu", a->rule_id ? a->rule_id : "", ev->file,
				   (unsigned long long)ev->offset);
	else
		rc = cs_buf_printf(&uid, "%s", a->rule_id ? a->rule_id : "");
	if (rc)
		goto out;
	rc = cs_buf_printf(b,
			   "{\"activity_id\":1,\"activity_name\":\"Create\",\"category_uid\":2,"
			   "\"category_name\":\"Findings\",\"class_uid\":2004,"
			   "\"class_name\":\"Detection Finding\",\"type_uid\":200401,"
			   "\"type_name\":\"Detection Finding: Create\",\"severity_id\":%d,"
			   "\"severity\":\"%s\",\"status_id\":1,\"status\":\"New\",\"is_alert\":true,"
			   "\"time\":%lld,\"metadata\":{\"version\":\"1.8.0\",\"product\":{"
			   "\"name\":\"cshare\",\"vendor_name\":\"cshare\"",
			   sev, sev_names[sev], (long long)t);
	if (rc || (rc = kv_str(b, "version", o->version ? o->version : "", true)) ||
	    (rc = cs_buf_puts(b, "}}")))
		goto out;
	if ((rc = cs_buf_puts(b, ",\"finding_info\":{")) ||
	    (rc = kv_str(b, "uid", uid.data, false)) || (rc = kv_str(b, "title", a->title, true)) ||
	    (rc = cs_buf_puts(b, ",\"analytic\":{\"type_id\":1,\"type\":\"Rule\"")) ||
	    (rc = kv_str(b, "uid", a->rule_id, true)) || (rc = kv_str(b, "name", a->title, true)) ||
	    (rc = cs_buf_putc(b, '}')) || (rc = attacks(b, a)))
		goto out;
	if (ev && ev->product) {
		char src[96];
		snprintf(src, sizeof src, "%s/%s", ev->product, ev->service ? ev->service : "");
		const char *srcs[1] = { src };
		if ((rc = cs_buf_puts(b, ",\"data_sources\":")) || (rc = str_array(b, srcs, 1)))
			goto out;
	}
	if ((rc = cs_buf_putc(b, '}')))
		goto out;
	if (prov && ((rc = cs_buf_puts(b, ",\"cloud\":{")) ||
		     (rc = kv_str(b, "provider", prov, false)) || (rc = cs_buf_putc(b, '}'))))
		goto out;
	/* the matched fields and the event, as evidence */
	if ((rc = cs_buf_puts(b, ",\"evidences\":[{\"data\":{\"matched\":")) ||
	    (rc = matched(b, a)))
		goto out;
	/* one alert per line: the event goes in without its line breaks */
	if (ev && ((rc = cs_buf_puts(b, ",\"event\":")) ||
		   (rc = put_event(b, ev))))
		goto out;
	if ((rc = cs_buf_puts(b, "}}]")))
		goto out;
	if (ev && ((rc = cs_buf_puts(b, ",\"raw_data\":")) ||
		   (rc = cs_json_write_str(b, ev->json, ev->len))))
		goto out;
	/* what OCSF has no attribute for */
	if ((rc = cs_buf_puts(b, ",\"unmapped\":{")) || (rc = kv_str(b, "level", a->level, false)) ||
	    (rc = kv_str(b, "author", a->author, true)) ||
	    (rc = kv_str(b, "status", a->status, true)) || (rc = cs_buf_puts(b, ",\"tags\":")) ||
	    (rc = str_array(b, a->tags, ntags(a))) || (rc = kv_str(b, "domain", a->domain, true)) ||
	    (rc = kv_str(b, "rule_file", a->rule_file, true)))
		goto out;
	if (ev && ((rc = kv_str(b, "file", ev->file, true)) ||
		   (rc = cs_buf_printf(b, ",\"offset\":%llu", (unsigned long long)ev->offset))))
		goto out;
	if (a->correlation_type &&
	    ((rc = cs_buf_puts(b, ",\"correlation\":")) || (rc = correlation(b, a))))
		goto out;
	rc = cs_buf_puts(b, "}}\n");
out:
	cs_buf_release(&uid);
	return rc;
}
