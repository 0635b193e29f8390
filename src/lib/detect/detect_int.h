/*
 * detect/detect_int.h - the Sigma engine's internal model: tests, boolean
 * programs, compiled rules, correlations, the rule set and its index.
 * Shared by rule.c (loading), modifiers.c (values to tests), condition.c
 * (condition to program), compile.c (rule set), match.c, correlate.c and
 * fieldmap.c.  Not installed.
 *
 * Model:
 *  - A *test* is one comparison of one event field (or, for keywords, of
 *    every string value of the event) with one compiled value.  Tests are
 *    owned by the rule set; each belongs to exactly one rule.
 *  - A rule's condition (with its selections and any meta filters folded
 *    in) is a *program*: reverse-Polish ops over test results.
 *  - Each rule has trigger tests (compile.c, triggers()): indexed tests at
 *    least one of which is true whenever the rule matches.  Exact-value
 *    triggers are in one hash from "field#, case flag, folded value" to the
 *    tests that want it; wildcard tests are grouped by field, case flag and
 *    pattern, with each group's longest literal in its field's Aho-Corasick
 *    automaton (acmatch.c).  A rule is evaluated only when a trigger is hit
 *    (or always, when it has none), so the cost per event does not grow
 *    with the number of rules; every other test is evaluated only when a
 *    program asks for it (memoized per event).
 *  - Events are read by the on-demand reader (evread.c) over the trie of
 *    the rule set's field paths.
 */
#ifndef CS_DETECT_INT_H
#define CS_DETECT_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "cshare/detect.h"
#include "core/internal.h"
#include "detect/evread.h"

#define CS__NOFIELD UINT32_MAX

/* Test kinds. */
enum {
	CS__T_EXACT = 1, /* indexed: equality with pat (folded unless cased) */
	CS__T_GLOB,      /* wildcard pattern (* ?), pat holds the compiled form */
	CS__T_RE,        /* PCRE2 */
	CS__T_CIDR,      /* IPv4/IPv6 network */
	CS__T_NUM,       /* numeric comparison (lt/lte/gt/gte, and eq for time parts) */
	CS__T_EXISTS,    /* field present (want = num != 0) */
	CS__T_NULL,      /* field absent or null */
	CS__T_FIELDREF,  /* equality with another field of the same event */
	CS__T_CONST,     /* constant result (num != 0): e.g. an empty value list */
};

/* Test flags. */
enum {
	CS__TF_CASED = 1u << 0, /* compare case-sensitively */
	CS__TF_NEG = 1u << 1,   /* neq: true when the field is present and the
				   comparison fails for every value */
	CS__TF_AC = 1u << 3,    /* glob test whose required literal is in its
				   field's Aho-Corasick automaton: evaluated by
				   the matcher's pass over the field's values */
	CS__TF_TRIG = 1u << 2,  /* indexed, and a hit queues the rule: the rule
				   cannot match unless one of its trigger tests
				   is true (compile.c, triggers()) */
};

/* Numeric comparison operators (also correlation conditions). */
enum { CS__CMP_LT = 1, CS__CMP_LTE, CS__CMP_GT, CS__CMP_GTE, CS__CMP_EQ, CS__CMP_NEQ };

/* Date parts for the time modifiers (0 = the field's own number). */
enum { CS__TP_NONE = 0, CS__TP_MINUTE, CS__TP_HOUR, CS__TP_DAY, CS__TP_WEEK, CS__TP_MONTH,
       CS__TP_YEAR };

/* Glob patterns ("glob form"): literal bytes, except that the escape byte
 * 0xFE introduces a pair: ESC '*' is the any-run wildcard, ESC '?' the
 * one-character wildcard, ESC ESC a literal 0xFE byte (encoded values such
 * as UTF-16 may hold it). */
#define CS__GLOB_ESC '\xfe'

typedef struct cs__test {
	uint32_t field;   /* index in rs->fields, or CS__NOFIELD (keyword) */
	uint32_t rule;    /* owning rule index */
	uint8_t kind;
	uint8_t flags;
	uint8_t cmp;      /* CS__CMP_* for CS__T_NUM */
	uint8_t timepart; /* CS__TP_* for CS__T_NUM */
	cs_str pat;       /* exact/glob bytes (folded unless cased); for a regex,
			     a literal every match contains, or empty */
	double num;
	pcre2_code *re;
	uint8_t net[16];
	unsigned bits;
	bool v6;
	uint32_t ref_field; /* fieldref: the other field */
} cs__test;

/* Program ops: (op << 28) | argument. */
enum { CS__OP_TEST = 1, CS__OP_AND, CS__OP_OR, CS__OP_NOT, CS__OP_CONST };
#define CS__OP(op, arg) (((uint32_t)(op) << 28) | ((uint32_t)(arg) & 0x0fffffffu))
#define CS__OP_CODE(x) ((x) >> 28)
#define CS__OP_ARG(x) ((x) & 0x0fffffffu)
#define CS__PROG_MAX 65536  /* ops per rule */
#define CS__STACK_MAX 4096  /* evaluation depth per rule */

typedef struct cs__prog {
	uint32_t *ops;
	size_t n, cap;
} cs__prog;

/* Correlation types. */
enum { CS__C_EVENT_COUNT = 1, CS__C_VALUE_COUNT, CS__C_TEMPORAL, CS__C_TEMPORAL_ORDERED,
       CS__C_VALUE_SUM, CS__C_VALUE_AVG, CS__C_VALUE_PERCENTILE };

typedef struct cs__corr {
	uint8_t type;
	uint32_t *refs; /* referenced rule indices, in the rule's order */
	size_t nrefs;
	const char **group_by;
	size_t ngroup;
	/* aliases: for alias a (index in group_by) and ref r, the event field
	 * name, or NULL when the group-by name is not an alias */
	const char **alias_field; /* ngroup * nrefs */
	int64_t timespan_ms;
	uint8_t cmp[2];   /* up to two conditions (a range); 0 = unused */
	double cmpv[2];
	const char *field; /* value_count/sum/avg/percentile */
	bool generate;
} cs__corr;

enum { CS__R_DETECTION = 1, CS__R_CORRELATION };

typedef struct cs__rule {
	uint8_t kind;
	const char *id, *name, *title, *level, *author, *status, *domain, *file;
	const char **tags; /* NULL-terminated */
	const char *product, *service, *category;
	uint32_t line;
	cs__prog prog;
	uint32_t *span;   /* per op: ops in the subexpression ending there */
	bool always_eval; /* program may be true without an indexed hit */
	bool standalone;  /* alerts on its own (not only feeding a correlation) */
	uint32_t *fields; /* fields its tests use (for the alert's matched fields) */
	size_t nfields;
	cs__corr *corr;
	uint32_t *parents; /* correlations that reference this rule */
	size_t nparents;
} cs__rule;

/* A field mapping for one log source: Sigma field name -> raw event path. */
typedef struct cs__fieldmap {
	const char *product, *service;
	cs_strmap map; /* name -> const char *target */
	const char **keys; /* for release bookkeeping, none owned */
} cs__fieldmap;

struct cs_ruleset {
	cs_arena *arena;
	cs__rule *rules;
	size_t nrules, caprules;
	cs__test *tests;
	size_t ntests, captests;
	const char **fields; /* distinct field names (raw event paths) */
	size_t nfields, capfields;
	cs_strmap field_ix;  /* name -> index + 1 */
	/* the exact-value index: every exact test with a field, by (field,
	 * case flag, value folded unless cased); open addressing, an entry
	 * with n == 0 is free (see cs__xhash, cs__xfind) */
	struct cs__xent *xtab;
	size_t xmask;        /* table size - 1 (a power of two) */
	uint32_t *xtests;    /* tests of entry e: [e->first, e->first + e->n),
				its trigger tests first (e->ntrig of them) */
	uint32_t *test_xent; /* per test: its entry's slot in xtab, or
				CS__NOFIELD when it is not in the index */
	uint8_t *xfield;     /* per field: 1 it has uncased, 2 cased exact tests */
	uint64_t *xlens;     /* per field and case flag (2f + cased): the value
				lengths of its exact tests (cs__xlenbit), so a
				value of no such length is not looked up */
	cs_strmap by_ref;    /* rule id and name -> rule index + 1 */
	cs__fieldmap *maps;
	size_t nmaps;
	cs_strmap placeholders; /* %name% -> const cs_value * (list) */
	uint32_t *always; /* rules with always_eval */
	size_t nalways;
	cs__evpaths *paths; /* the fields as a key trie (evread.c) */
	struct cs__ac **ac; /* per field: literals of its glob tests, or NULL */
	/* glob tests in automata, grouped by (field, case flag, pattern): the
	 * automaton reports groups, a group is confirmed once per value */
	uint32_t *test_group;  /* per test: its group, or CS__NOFIELD */
	uint32_t *group_rep;   /* per group: a test with its pattern */
	uint32_t *group_trig;  /* per group: [group_trig[g], group_trig[g+1]) in trig_tests */
	uint32_t *trig_tests;  /* trigger tests of the groups */
	size_t ngroups;
};

/* One key of the exact-value index. */
typedef struct cs__xent {
	uint64_t hash;
	const char *pat; /* the value (folded unless cased), zero-padded to a
			    multiple of 8 bytes */
	uint32_t len;
	uint32_t field;
	uint32_t first, n, ntrig;
	bool cased;
} cs__xent;

/* The index's hash of (field, case flag, value): the value's bytes are
 * read eight at a time and ASCII-folded on the way unless cased, so a
 * lookup needs no key buffer. */
static inline uint64_t cs__xfold(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	uint64_t low7 = x & ~highs;
	uint64_t ge_a = low7 + (0x80 - 'A') * ones, gt_z = low7 + (0x80 - 'Z' - 1) * ones;
	return x | (((ge_a ^ gt_z) & ~x & highs) >> 2); /* 'A'..'Z' get 0x20 */
}

/* The n bytes at s (n <= 8, fewer than 8 zero-filled) as one word, with
 * fixed-size loads (a variable-size memcpy costs a call); the same bytes
 * always give the same word. */
static inline uint64_t cs__xload(const char *s, size_t n)
{
	uint64_t x = 0;
	uint32_t w4;
	uint16_t w2;
	const unsigned char *u = (const unsigned char *)s;
	if (n >= 8) {
		memcpy(&x, s, 8);
		return x;
	}
	size_t at = 0;
	if (n & 4) {
		memcpy(&w4, u, 4);
		x = w4;
		at = 4;
	}
	if (n & 2) {
		memcpy(&w2, u + at, 2);
		x |= (uint64_t)w2 << (8 * at);
		at += 2;
	}
	if (n & 1)
		x |= (uint64_t)u[at] << (8 * at);
	return x;
}

/* Word i (bytes 8i.., i < n, zero-filled past n) of s[0..n), with
 * fixed-size loads: a short last word of a text of 8 bytes or more is
 * its last 8 bytes shifted down (on a little-endian machine), so only
 * a text shorter than 8 bytes takes cs__xload's steps.  The same bytes
 * and length always give the same word. */
static inline uint64_t cs__xat(const char *s, size_t n, size_t i)
{
	uint64_t x;
	if (n - i >= 8) {
		memcpy(&x, s + i, 8);
		return x;
	}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n >= 8) {
		memcpy(&x, s + n - 8, 8);
		return x >> (8 * (8 - (n - i)));
	}
#endif
	return cs__xload(s + i, n - i);
}

/* Word i of an entry's zero-padded value pat[0..n): equal to cs__xat of
 * the same bytes (on a little-endian machine, the padded word itself). */
static inline uint64_t cs__xpat(const char *pat, size_t n, size_t i)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t x;
	(void)n;
	memcpy(&x, pat + i, 8);
	return x;
#else
	return cs__xat(pat, n, i);
#endif
}

static inline uint64_t cs__xword(const char *s, size_t n, size_t i, bool cased)
{
	uint64_t x = cs__xat(s, n, i);
	return cased ? x : cs__xfold(x);
}

/* Hashes the words of a value (folded unless cased): the first three
 * (w[0..3), zero past the value) and, past 24 bytes, the last 8 bytes. */
static inline uint64_t cs__xmix(uint32_t f, bool cased, size_t n, const uint64_t *w,
				uint64_t tail)
{
	uint64_t h = ((uint64_t)f << 1 | cased) * 0x9e3779b97f4a7c15u ^ (uint64_t)n;
	for (size_t i = 0; i < 3 && 8 * i < n; i++) {
		h ^= w[i];
		h *= 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	if (n > 24) {
		h ^= tail;
		h *= 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	return h;
}

/* The first three words of s[0..n) (folded unless cased) into w, and the
 * tail word for cs__xmix. */
static inline uint64_t cs__xwords(const char *s, size_t n, bool cased, uint64_t *w)
{
	uint64_t tail = 0;
	w[0] = w[1] = w[2] = 0;
	for (size_t i = 0; i < 3 && 8 * i < n; i++)
		w[i] = cs__xword(s, n, 8 * i, cased);
	if (n > 24) {
		uint64_t x;
		memcpy(&x, s + n - 8, 8);
		tail = cased ? x : cs__xfold(x);
	}
	return tail;
}

static inline uint64_t cs__xhash(uint32_t f, bool cased, const char *s, size_t n)
{
	/* the first 24 bytes and the last 8 (and the length): long values
	 * such as user agents cost four words, the comparison decides */
	uint64_t w[3];
	uint64_t tail = cs__xwords(s, n, cased, w);
	return cs__xmix(f, cased, n, w, tail);
}

/* Bit of a value length in a field's length set (cs_ruleset.xlens). */
static inline uint64_t cs__xlenbit(size_t n)
{
	return (uint64_t)1 << (n < 63 ? n : 63);
}

/* Inlined even where the compiler would call: a lookup is a few dozen
 * instructions, a call saves and restores six registers. */
#if defined(__GNUC__)
#define CS__XINLINE __attribute__((always_inline)) inline
#else
#define CS__XINLINE inline
#endif

/* The index's entry for field f, case flag, value s[0..n) (folded here
 * unless cased), or NULL. */
static CS__XINLINE const cs__xent *cs__xfind(const struct cs_ruleset *rs, uint32_t f, bool cased,
					const char *s, size_t n);

/* Loading context while compiling. */
typedef struct cs__loader {
	cs_ruleset *rs;
	cs_diag_sink *diag;
	bool strict;
	unsigned failed;      /* rules skipped (errors) */
	unsigned unsupported; /* rules skipped (unsupported feature) */
} cs__loader;

static CS__XINLINE const cs__xent *cs__xfind(const struct cs_ruleset *rs, uint32_t f,
					     bool cased, const char *s, size_t n)
{
	if (!rs->xtab || !(rs->xlens[2 * (size_t)f + cased] & cs__xlenbit(n)))
		return NULL;
	/* the value's words are read (and folded) once, for the hash and for
	 * the comparison with the entry's zero-padded value */
	uint64_t w[3];
	uint64_t tail = cs__xwords(s, n, cased, w);
	uint64_t h = cs__xmix(f, cased, n, w, tail);
	for (size_t i = (size_t)h & rs->xmask;; i = (i + 1) & rs->xmask) {
		const cs__xent *e = &rs->xtab[i];
		if (!e->n)
			return NULL;
		if (e->hash != h || e->field != f || e->cased != cased || e->len != n)
			continue;
		bool same = true;
		for (size_t k = 0; k < 3 && 8 * k < n && same; k++)
			same = cs__xpat(e->pat, n, 8 * k) == w[k];
		for (size_t k = 24; k < n && same; k += 8)
			same = cs__xpat(e->pat, n, k) == cs__xword(s, n, k, cased);
		if (same)
			return e;
	}
}

/* ---- compile.c ------------------------------------------------------------ */
/* Index of a field name in rs->fields, adding it if new. */
cs_err cs__field_intern(cs_ruleset *rs, const char *name, uint32_t *out);
/* Appends a zeroed test for rule `rule`; returns its index in *out. */
cs_err cs__test_new(cs_ruleset *rs, uint32_t rule, cs__test **t, uint32_t *out);
/* Appends an op to a program (CS_ELIMIT past CS__PROG_MAX). */
cs_err cs__prog_push(cs__prog *p, uint32_t op);
/* Builds the exact-index key for field f, case flag, folded value into b. */
cs_err cs__exact_key(cs_buf *b, uint32_t f, bool cased, const char *v, size_t n);
/* ASCII lower-case copy of n bytes into dst. */
void cs__fold(char *dst, const char *src, size_t n);

/* ---- rule.c --------------------------------------------------------------- */
/* Loads every rule document of one YAML file into the rule set (detection
 * rules compiled, correlations and filters collected for later). */
typedef struct cs__pending cs__pending;
cs_err cs__rules_load_file(cs__loader *L, const char *path, cs__pending *pend);
cs__pending *cs__pending_new(void);
void cs__pending_free(cs__pending *p);
/* Second phase: compiles the detection rules (with the filters that apply)
 * and then the correlations, resolving references. */
cs_err cs__rules_finish(cs__loader *L, cs__pending *pend);

/* ---- modifiers.c ---------------------------------------------------------- */
/* Compiles one detection item (field with modifiers, and its value or value
 * list) of rule `rule` into tests, emitting the item's program into p.
 * `field` is NULL for keywords.  Problems are diagnosed at the value's
 * location; returns CS_ECHECK (bad rule) or CS_EUNSUPPORTED. */
cs_err cs__item_compile(cs__loader *L, uint32_t rule, const char *file, const char *field_mods,
			uint32_t fline, uint32_t fcol, const cs_value *val, cs__prog *p);
/* A literal every match of regex p[0..n) (not caseless) contains, into
 * out (n bytes): its length, 0 when none is certain (conservative). */
size_t cs__re_literal(const char *p, size_t n, char *out);
/* Parses "10.0.0.0/8" or an IPv6 network into net/bits/v6. */
bool cs__cidr_parse(const char *s, size_t n, uint8_t net[16], unsigned *bits, bool *v6);
/* Parses a textual IP address (v4 or v6) into 16 bytes. */
bool cs__ip_parse(const char *s, size_t n, uint8_t ip[16], bool *v6);
/* Glob match of text against a pattern in glob form (its literal letters
 * folded when !cased). */
bool cs__glob_match(cs_str pat, const char *s, size_t n, bool cased);
/* PCRE2 contexts whose memory goes through cs_malloc/cs_free, and match
 * limits for hostile patterns (static, created once; NULL on failure, then
 * PCRE2's own defaults apply). */
pcre2_general_context *cs__pcre2_gctx(void);
pcre2_match_context *cs__pcre2_mctx(void);
/* The canonical text of a number ("%.0f" for integers below 1e15, "%.15g"
 * otherwise) into buf (32 bytes); its length. */
size_t cs__num_canon(double d, char buf[32]);
/* Extracts a date part from an ISO 8601 text; false when it is not a date. */
bool cs__date_part(const char *s, size_t n, int part, double *out);

/* ---- condition.c ---------------------------------------------------------- */
/* Selection lookup used by the condition compiler. */
typedef struct cs__sel {
	const char *name;
	cs__prog prog;
} cs__sel;
/* Compiles a condition text into p, referencing selections.  Errors are
 * diagnosed at line/col (the condition's location) with the offset in the
 * message.  CS_ECHECK on syntax errors or unknown selections. */
cs_err cs__cond_compile(cs_diag_sink *diag, const char *file, uint32_t line, uint32_t col,
			const char *rule_id, const char *text, size_t len, const cs__sel *sels,
			size_t nsels, cs__prog *p);

/* ---- fieldmap.c ----------------------------------------------------------- */
/* Loads every *.yml mapping file of dir into the rule set. */
cs_err cs__fieldmaps_load(cs_ruleset *rs, const char *dir, cs_diag_sink *diag);
/* The raw event path for a Sigma field name under a log source (the name
 * itself when no mapping applies). */
const char *cs__fieldmap_apply(const cs_ruleset *rs, const char *product, const char *service,
			       const char *name);
void cs__fieldmaps_release(cs_ruleset *rs);

/* ---- match.c -------------------------------------------------------------- */
/* Calls fn for every scalar value at a dotted path in the event (literal
 * dotted keys first, then nesting; arrays are walked). */
typedef bool (*cs__value_fn)(void *ud, const cs_value *v);
void cs__event_values(const cs_value *root, const char *path, cs__value_fn fn, void *ud);
/* Test hook: with `on`, the matcher uses none of its indexes: every record
 * is parsed whole and walked as a tree, every rule of the log source is
 * evaluated and every test computed directly.  The alerts must be the same
 * as with the indexes (tests/unit/test_detect_index.c, fuzz_detect_diff). */
void cs__matcher_set_reference(cs_matcher *m, bool on);
/* Text of a scalar value (strings, number text, "true"/"false"); empty for
 * anything else (core's cs__scalar_text with an empty default). */
cs_str cs__det_text(const cs_value *v);

/* ---- correlate.c ---------------------------------------------------------- */
typedef struct cs__corrstate cs__corrstate;
/* One hit handed to a correlation: the rule that matched, the event time,
 * and a field lookup (the event, or the group fields of a chained
 * correlation). */
typedef struct cs__hit {
	uint32_t rule;
	int64_t time_ms;
	const cs_value *event;      /* for detection hits, or NULL */
	const char *const *gfields; /* for correlation hits: group fields */
	const char *const *gvalues;
	size_t ngroup;
	const char *ref; /* "file@offset" of the event (or last event) */
	const cs_event *ev;
	/* captured hits (cs__corr_capture, replayed): per group field, whether
	 * it is a JSON number and its value; NULL otherwise */
	const bool *gisnum;
	const double *gnum;
	/* detection hits read from the on-demand reader instead of a tree
	 * (event NULL): the current record's values, and the rule set (its
	 * fields include every name cs__corr_fields interned) */
	const cs__evread *er;
	const struct cs_ruleset *rs;
} cs__hit;
cs__corrstate *cs__corr_new(const cs_ruleset *rs);
void cs__corr_free(cs__corrstate *cs);
/* Feeds a hit of rule h->rule into every correlation that references it;
 * alerts (and chained hits) go through the matcher's callback. */
typedef void (*cs__corr_alert_fn)(void *ud, uint32_t rule, const cs__hit *last,
				  const char *group_key, const char *const *contributing,
				  size_t ncontrib, const char *const *gf, const char *const *gv,
				  size_t ng);
cs_err cs__corr_feed(cs__corrstate *cs, const cs__hit *h, cs__corr_alert_fn fn, void *ud);
/* Appends to `out`, for a hit of detection rule `rule` on the event of
 * `src` (a hit whose fields are read from a tree or the reader),
 * every field the correlations referencing the rule read (for each: the
 * name's pointer into the rule set, a kind byte 1 text / 2 number, the
 * number as a double, the text's length as a uint64 and its bytes; absent,
 * null, object and array values are left out, as they read as absent);
 * *n is how many.  Replayed as a hit whose gfields/gvalues are these. */
cs_err cs__corr_capture(const cs_ruleset *rs, uint32_t rule, const cs__hit *src, cs_buf *out,
			uint32_t *n);
/* Interns (cs__field_intern) every field name the correlations read from
 * the hits of the rules they reference (group-by fields through aliases
 * and mappings, `field`), so that the on-demand reader collects them and
 * a hit needs no parse of the whole event.  Called once the correlations
 * are resolved and before the reader's paths are built.  CS_OK or
 * CS_ENOMEM. */
cs_err cs__corr_fields(cs_ruleset *rs);
/* Hits not kept so far because a correlation reached its group limit. */
uint64_t cs__corr_dropped(const cs__corrstate *cs);
/* Moves the watermark (latest event time seen) to time_ms if later, and
 * judges and frees the groups no hit can reach any more (see the header
 * of correlate.c); their alerts go through fn. */
cs_err cs__corr_advance(cs__corrstate *cs, int64_t time_ms, cs__corr_alert_fn fn, void *ud);
/* Out-of-order tolerance for expiry, in ms (default one hour). */
void cs__corr_set_lateness(cs__corrstate *cs, int64_t ms);
/* Closes every open window (end of stream). */
cs_err cs__corr_finish(cs__corrstate *cs, cs__corr_alert_fn fn, void *ud);

#endif
