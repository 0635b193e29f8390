/*
 * detect/alert_int.h - pieces shared by the alert writers (alert_*.c).
 */
#ifndef CS_DETECT_ALERT_INT_H
#define CS_DETECT_ALERT_INT_H

#include <stdio.h>

#include "cshare/detect.h"
#include "cshare/json.h"
#include "core/internal.h"

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
