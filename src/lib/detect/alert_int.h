/*
 * detect/alert_int.h - pieces shared by the alert writers (alert_*.c).
 */
#ifndef CS_DETECT_ALERT_INT_H
#define CS_DETECT_ALERT_INT_H

#include <stdio.h>
#include <string.h>

#include "cshare/detect.h"
#include "cshare/json.h"
#include "core/internal.h"

/* memcpy(d, s, n) without a call for the short texts copied per alert
 * (matched values, escaped file names, products, services, matched-field
 * arrays): the first and last 4, 8, 16 or 32 bytes at once, overlapping;
 * longer ones through memcpy.  Always inlined where the compiler allows:
 * a call would save and restore registers around a copy of a few bytes. */
#define CS__COPY_FIRST_LAST(d, s, n, k)                                                        \
	do {                                                                                    \
		char x_[k], y_[k];                                                              \
		memcpy(x_, (s), k);                                                             \
		memcpy(y_, (s) + (n) - (k), k);                                                 \
		memcpy((d), x_, k);                                                             \
		memcpy((d) + (n) - (k), y_, k);                                                 \
	} while (0)

#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void cs__copy_short(char *d, const char *s, size_t n)
{
	if (n > 64) {
		memcpy(d, s, n);
	} else if (n > 32) {
		CS__COPY_FIRST_LAST(d, s, n, 32);
	} else if (n > 16) {
		CS__COPY_FIRST_LAST(d, s, n, 16);
	} else if (n >= 8) {
		CS__COPY_FIRST_LAST(d, s, n, 8);
	} else if (n >= 4) {
		CS__COPY_FIRST_LAST(d, s, n, 4);
	} else {
		for (size_t i = 0; i < n; i++)
			d[i] = s[i];
	}
}

/* Writes ms since the epoch as "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC); empty
 * for INT64_MIN. */
void cs__alert_time(char out[32], int64_t ms);
/* Sigma level → OCSF severity_id: informational 1, low 2, medium 3, high 4,
 * critical 5; anything else 0 (Unknown). */
int cs__alert_severity_id(const char *level);
cs_err cs__alert_write_jsonl(cs_buf *b, const cs_alert *a);

/* What the writers keep per matcher and rule (cs_alert.memo): the JSON
 * lines rule part (rule_id to rule_file), and per matched field name
 * (compared by pointer: names come from the matcher's immutable rule set)
 * its `{"field":NAME,"value":` opening.  Zero-initialized by the matcher,
 * filled by the writers, released with cs__alert_memo_release. */
#define CS__MEMO_FIELDS 8
typedef struct cs_alert_memo {
	char *jsonl;
	size_t jsonl_len;
	const char *fname[CS__MEMO_FIELDS];
	char *fopen[CS__MEMO_FIELDS];
	size_t fopen_len[CS__MEMO_FIELDS];
	size_t nf;
	/* the last matched-fields array written (jsonl and OCSF render it
	 * alike) after the key it was made from: per field the name pointer,
	 * the value length (SIZE_MAX: no value) and the value bytes.  Most
	 * alerts of a rule repeat the values of the one before. */
	char *mlast;
	size_t mnf, mkey_len, mtext_len;
} cs_alert_memo;
void cs__alert_memo_release(cs_alert_memo *m);
cs_err cs__alert_write_ocsf(cs_buf *b, const cs_alert_opts *o, const cs_alert *a);

#endif
