/*
 * detect/logreader_int.h - internals of the log reader shared by its files:
 * the resumable structural JSON scanner that frames records in a stream,
 * and the record classifier that recognizes the log format by content.
 */
#ifndef CS_DETECT_LOGREADER_INT_H
#define CS_DETECT_LOGREADER_INT_H

#include "core/internal.h"

#define CS_LR_MAX_DEPTH 512u

/* Inlining control for the reader's files: LR_INLINE always, LR_NOINLINE
 * never (slow paths kept out of the usual record's frame), LR_FLATTEN
 * everything a function calls. */
#if defined(__GNUC__) || defined(__clang__)
#define LR_INLINE __attribute__((always_inline)) inline
#define LR_NOINLINE __attribute__((noinline))
#define LR_FLATTEN __attribute__((flatten))
#else
#define LR_INLINE inline
#define LR_NOINLINE
#define LR_FLATTEN
#endif

/* Scanner state: finds where one JSON object or array ends, checking that
 * brackets match, strings are closed and hold no raw control characters,
 * and nesting stays under CS_LR_MAX_DEPTH.  Tokens between brackets are not
 * checked (the matcher parses the record fully).  Zero-initialize. */
#define CS_LR_ENDS 8u

typedef struct cs_lr_scan {
	uint32_t depth;
	uint8_t in_str, esc;
	uint8_t stack[CS_LR_MAX_DEPTH / 8]; /* bit set: the level is an object */
	/* What the scan saw, for the framing that runs it over a whole record
	 * from its first byte: the '\n' bytes passed (to count lines without
	 * a second pass), and where the first CS_LR_ENDS objects or arrays one
	 * level inside the outermost one start (their opening bracket) and
	 * end (just past their closing bracket), as offsets in p, so that
	 * classification can step over them instead of scanning them again. */
	uint64_t newlines;
	uint32_t nends;
	size_t starts[CS_LR_ENDS], ends[CS_LR_ENDS];
} cs_lr_scan;

typedef enum { CS_LR_MORE, CS_LR_DONE, CS_LR_ERR } cs_lr_res;

/* Scans p[*pos..n).  The first byte scanned at depth 0 must be '{' or '['.
 * CS_LR_DONE: *pos is just past the closing bracket.  CS_LR_MORE: all of
 * p[..n) consumed, *pos == n, state kept for the next call.  CS_LR_ERR:
 * *why says what is wrong, *pos is at the offending byte. */
cs_lr_res cs__lr_scan(cs_lr_scan *s, const char *p, size_t n, size_t *pos, const char **why);

/* The scanner's implementations, all giving the same results: a byte at a
 * time (the reference), and 64-byte blocks with masks made by portable
 * 64-bit words, SSE2 or AVX2.  cs__lr_scan uses the best one the machine
 * has (cs__lr_scan_best); tests compare them all. */
enum { CS_LR_BYTES, CS_LR_SWAR, CS_LR_SSE2, CS_LR_AVX2 };

/* cs__lr_scan with the implementation `impl` (one above the machine's
 * falls back to the best it has). */
cs_lr_res cs__lr_scan_with(int impl, cs_lr_scan *s, const char *p, size_t n, size_t *pos,
			   const char **why);

/* The implementation cs__lr_scan uses on this machine. */
int cs__lr_scan_best(void);

/* Steps over the object or array that starts at p[i], inside p[0..n),
 * with the implementation `impl` (as cs__lr_scan_with; CS_LR_BYTES uses
 * the portable blocks): the offset just past its closing bracket when the
 * value holds no backslash and no byte below 0x20, its brackets match and
 * it nests at most 63 levels deep; cs__lr_scan from a fresh state at i
 * ends there too (CS_LR_DONE).  0 otherwise: p[i] is no '{' or '[', the
 * value is longer than p[..n), or it holds something cs__lr_scan must
 * judge (the caller scans it). */
size_t cs__lr_skip_with(int impl, const char *p, size_t n, size_t i);

/* What a record is. */
typedef struct cs_lr_class {
	const char *product, *service; /* static strings */
	const char *json;              /* the record to match (EventBridge: its detail) */
	size_t len;
	int64_t time_ms; /* INT64_MIN when unknown */
	size_t err_at;   /* CS_ESYNTAX: offset of the problem in the record */
} cs_lr_class;

/* The last date and hour a reader parsed (records come in time order, so
 * most share it).  Zero-initialize. */
typedef struct cs_lr_tcache {
	uint64_t k0, k1; /* bytes 0..7 and 5..12 of "YYYY-MM-DDTHH" */
	int64_t hour_ms;
	bool valid;
	/* likewise the last minute of a "YYYY-MM-DDTHH:MM:SSZ" */
	bool mvalid;
	uint64_t m0, m1; /* bytes 0..7 and 8..15 */
	int64_t min_ms;
} cs_lr_tcache;

/* Classifies one complete record p[0..n) (an object, no surrounding
 * whitespace).  `framed`, when not NULL, is the state of the scan that
 * framed the record from p[0] to its end (CS_LR_DONE): a member value
 * that starts where one the scan noted starts is stepped over to its
 * noted end instead of being scanned again.  `tc` (may be NULL)
 * is the reader's time cache.  CS_OK; CS_ESYNTAX (malformed, *why says
 * why); CS_EFORMAT (a JSON object of no known log format). */
cs_err cs__lr_classify(const char *p, size_t n, const cs_lr_scan *framed, cs_lr_tcache *tc,
		       cs_lr_class *out, const char **why);

/* The first step of cs__lr_classify: true when p[0..n) starts as
 * CloudTrail's compact records do ({"eventVersion":"..","userIdentity":
 * {..},"eventTime":"..", strings without backslashes), which decides it:
 * CloudTrail, the record itself, its time in *time_ms.  `framed`, `tc`
 * as for cs__lr_classify. */
bool cs__lr_cloudtrail_head(const char *p, size_t n, const cs_lr_scan *framed, cs_lr_tcache *tc,
			    int64_t *time_ms);

/* The member-by-member classification: what cs__lr_classify does when
 * cs__lr_cloudtrail_head is false (any record; the fuzz harness checks it
 * against the shortcut on the records the shortcut takes). */
cs_err cs__lr_classify_rest(const char *p, size_t n, const cs_lr_scan *framed, cs_lr_tcache *tc,
			    cs_lr_class *out, const char **why);

/* Parses an RFC 3339 / ISO 8601 date-time ("2024-05-01T12:00:00.123Z",
 * offsets "+02:00", a space for the T) to ms since the epoch, or INT64_MIN. */
int64_t cs__lr_parse_time(const char *s, size_t n);

#endif
