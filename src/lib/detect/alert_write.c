/*
 * detect/alert_write.c - alert output: the format table, the shared pieces
 * (times, Sigma levels, matched fields) and the text and CSV writers.  The
 * JSON-lines and OCSF writers are in alert_json.c.
 */
#include <string.h>

#include "alert_int.h"
#include "core/internal.h"

int cs_alert_format_parse(const char *s)
{
	static const struct {
		const char *name;
		cs_alert_format f;
	} tab[] = {
		{ "text", CS_ALERT_TEXT }, { "jsonl", CS_ALERT_JSONL }, { "json", CS_ALERT_JSONL },
		{ "ocsf", CS_ALERT_OCSF }, { "csv", CS_ALERT_CSV },
	};
	for (size_t i = 0; s && i < CS_ARRAY_SIZE(tab); i++)
		if (strcmp(s, tab[i].name) == 0)
			return (int)tab[i].f;
	return -1;
}

/* The date part ("YYYY-MM-DD", or empty past year 9999 or before 0) of
 * the last day formatted, per thread: consecutive events mostly share
 * it, so an alert formats only the time of day. */
static _Thread_local int64_t last_day = INT64_MIN;
static _Thread_local char last_date[11];
/* likewise the minute last formatted, up to its seconds' colon (a busy
 * log has many events a minute) */
static _Thread_local int64_t last_min = INT64_MIN;
static _Thread_local char last_mins[18];
/* last_min's first millisecond, when last_mins is set */
static _Thread_local int64_t last_min_ms;

static void put2(char *d, unsigned v)
{
	d[0] = (char)('0' + v / 10);
	d[1] = (char)('0' + v % 10);
}


static void format_date(char out[11], int64_t days)
{
	/* civil_from_days (H. Hinnant's algorithm) */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (y < 0 || y > 9999) {
		out[0] = '\0';
		return;
	}
	put2(out, (unsigned)(y / 100));
	put2(out + 2, (unsigned)(y % 100));
	out[4] = '-';
	put2(out + 5, (unsigned)m);
	out[7] = '-';
	put2(out + 8, (unsigned)d);
	out[10] = '\0';
}

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" at out from the minute's text (17 bytes) and
 * the seconds and milliseconds into it. */
static void put_time(char out[32], const char *mins, unsigned sec, unsigned milli)
{
	memcpy(out, mins, 17);
	put2(out + 17, sec);
	out[19] = '.';
	out[20] = (char)('0' + milli / 100);
	put2(out + 21, milli % 100);
	out[23] = 'Z';
	out[24] = '\0';
}

#if defined(__GNUC__) || defined(__clang__)
#define AW_NOINLINE __attribute__((noinline))
#else
#define AW_NOINLINE
#endif

/* cs__alert_time for a time outside the minute last formatted (or the
 * first): out of line, so that the usual call saves no registers. */
AW_NOINLINE static void alert_time_new_minute(char out[32], int64_t ms)
{
	int64_t s = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
	int64_t min = s >= 0 ? s / 60 : (s - 59) / 60;
	unsigned milli = (unsigned)(ms - s * 1000);
	unsigned sec = (unsigned)(s - min * 60);
	if (min != last_min) { /* "YYYY-MM-DDTHH:MM:", empty out of range */
		int64_t days = min >= 0 ? min / 1440 : (min - 1439) / 1440;
		int64_t mod = min - days * 1440;
		if (days != last_day) {
			format_date(last_date, days);
			last_day = days;
		}
		last_min = min;
		last_mins[0] = '\0';
		if (last_date[0]) {
			memcpy(last_mins, last_date, 10);
			last_mins[10] = 'T';
			put2(last_mins + 11, (unsigned)(mod / 60));
			last_mins[13] = ':';
			put2(last_mins + 14, (unsigned)(mod % 60));
			last_mins[16] = ':';
			last_min_ms = min * 60000;
		}
	}
	if (!last_mins[0]) {
		out[0] = '\0';
		return;
	}
	put_time(out, last_mins, sec, milli);
}

void cs__alert_time(char out[32], int64_t ms)
{
	if (ms != INT64_MIN && last_mins[0] && (uint64_t)ms - (uint64_t)last_min_ms < 60000u) {
		/* in the minute last formatted (a year from 0 to 9999: no
		 * overflow): the usual alert, without the 64-bit divisions */
		unsigned d = (unsigned)((uint64_t)ms - (uint64_t)last_min_ms);
		put_time(out, last_mins, d / 1000, d % 1000);
	} else if (ms == INT64_MIN) {
		out[0] = '\0';
	} else {
		alert_time_new_minute(out, ms);
	}
}

int cs__alert_severity_id(const char *level)
{
	static const char *const names[] = { "informational", "low", "medium", "high", "critical" };
	for (size_t i = 0; level && i < CS_ARRAY_SIZE(names); i++)
		if (strcmp(level, names[i]) == 0)
			return (int)i + 1;
	return 0;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* ---- text ------------------------------------------------------------- */

/* (text and CSV out of line: cs_alert_write, inlining them, saved their
 * registers and set up their frames for every JSON-lines alert too) */
AW_NOINLINE static cs_err write_text(cs_buf *b, const cs_alert_opts *o, const cs_alert *a)
{
	cs_err rc = CS_OK;
	const cs_event *ev = a->event;
	char t[32] = "";
	int sev = cs__alert_severity_id(a->level);
	static const char *const colour[] = { "", "\033[2m", "\033[36m", "\033[33m", "\033[31m",
					      "\033[1;31m" };
	const char *on = o->color ? colour[sev] : "", *off = o->color && sev ? "\033[0m" : "";
	if (ev)
		cs__alert_time(t, ev->time_ms);
	if ((rc = cs_buf_printf(b, "%s[%s]%s %s %s\n", on, a->level ? a->level : "unknown", off,
				nz(a->rule_id), nz(a->title))) != CS_OK)
		goto out;
	if ((rc = cs_buf_printf(b, "  author: %s", a->author ? a->author : "(none)")) != CS_OK)
		goto out;
	if (a->domain && (rc = cs_buf_printf(b, "  domain: %s", a->domain)) != CS_OK)
		goto out;
	if (a->tags && a->tags[0]) {
		rc = cs_buf_puts(b, "  tags:");
		for (size_t i = 0; !rc && a->tags[i]; i++)
			rc = cs_buf_printf(b, "%s%s", i ? ", " : " ", a->tags[i]);
		if (rc)
			goto out;
	}
	if ((rc = cs_buf_putc(b, '\n')) != CS_OK)
		goto out;
	if (ev && (rc = cs_buf_printf(b, "  event: %s@%llu%s%.0u  %s/%s  %s\n", nz(ev->file),
				      (unsigned long long)ev->offset, ev->line ? " line " : "",
				      ev->line, nz(ev->product), nz(ev->service),
				      t[0] ? t : "(no time)")) != CS_OK)
		goto out;
	if (a->nfields) {
		rc = cs_buf_puts(b, "  matched:");
		for (size_t i = 0; !rc && i < a->nfields; i++)
			rc = cs_buf_printf(b, "%s%s=%s", i ? ", " : " ", nz(a->fields[i]), nz(a->values[i]));
		if (rc || (rc = cs_buf_putc(b, '\n')) != CS_OK)
			goto out;
	}
	if (a->correlation_type) {
		rc = cs_buf_printf(b, "  correlation: %s  group: %s  events:", a->correlation_type,
				   a->group_key && a->group_key[0] ? a->group_key : "(all)");
		for (size_t i = 0; !rc && i < a->ncontributing; i++)
			rc = cs_buf_printf(b, " %s", a->contributing[i]);
		if (rc || (rc = cs_buf_putc(b, '\n')) != CS_OK)
			goto out;
	}
	rc = cs_buf_putc(b, '\n');
out:
	return rc;
}

/* ---- CSV (RFC 4180) ----------------------------------------------------- */

static cs_err csv_field(cs_buf *b, const char *s, size_t len, bool last)
{
	cs_err rc = CS_OK;
	bool quote = false;
	for (size_t i = 0; i < len && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (!quote) {
		rc = cs_buf_append(b, s, len);
	} else {
		rc = cs_buf_putc(b, '"');
		for (size_t i = 0; !rc && i < len; i++)
			rc = s[i] == '"' ? cs_buf_append(b, "\"\"", 2) : cs_buf_putc(b, s[i]);
		if (!rc)
			rc = cs_buf_putc(b, '"');
	}
	if (!rc)
		rc = cs_buf_putc(b, last ? '\n' : ',');
	return rc;
}

static cs_err csv_c(cs_buf *b, const char *s, bool last)
{
	return csv_field(b, nz(s), strlen(nz(s)), last);
}

static const char csv_header[] = "time,level,rule_id,title,author,domain,tags,file,offset,line,"
				 "product,service,matched,correlation_type,group_key,"
				 "contributing\n";

AW_NOINLINE static cs_err write_csv(cs_buf *b, const cs_alert *a)
{
	cs_err rc = CS_OK;
	const cs_event *ev = a->event;
	char t[32] = "", num[24];
	cs_buf tmp;
	cs_buf_init(&tmp, 0);
	if (ev)
		cs__alert_time(t, ev->time_ms);
	if ((rc = csv_c(b, t, false)) || (rc = csv_c(b, a->level, false)) ||
	    (rc = csv_c(b, a->rule_id, false)) || (rc = csv_c(b, a->title, false)) ||
	    (rc = csv_c(b, a->author, false)) || (rc = csv_c(b, a->domain, false)))
		goto out;
	for (size_t i = 0; !rc && a->tags && a->tags[i]; i++)
		rc = cs_buf_printf(&tmp, "%s%s", i ? " " : "", a->tags[i]);
	if (rc || (rc = csv_field(b, tmp.data ? tmp.data : "", tmp.len, false)))
		goto out;
	if ((rc = csv_c(b, ev ? ev->file : NULL, false)))
		goto out;
	snprintf(num, sizeof num, "%llu", ev ? (unsigned long long)ev->offset : 0ull);
	if ((rc = csv_c(b, ev ? num : "", false)))
		goto out;
	snprintf(num, sizeof num, "%u", ev ? (unsigned)ev->line : 0u);
	if ((rc = csv_c(b, ev && ev->line ? num : "", false)) ||
	    (rc = csv_c(b, ev ? ev->product : NULL, false)) ||
	    (rc = csv_c(b, ev ? ev->service : NULL, false)))
		goto out;
	tmp.len = 0;
	for (size_t i = 0; !rc && i < a->nfields; i++)
		rc = cs_buf_printf(&tmp, "%s%s=%s", i ? "; " : "", nz(a->fields[i]), nz(a->values[i]));
	if (rc || (rc = csv_field(b, tmp.data ? tmp.data : "", tmp.len, false)))
		goto out;
	if ((rc = csv_c(b, a->correlation_type, false)) || (rc = csv_c(b, a->group_key, false)))
		goto out;
	tmp.len = 0;
	for (size_t i = 0; !rc && i < a->ncontributing; i++)
		rc = cs_buf_printf(&tmp, "%s%s", i ? " " : "", a->contributing[i]);
	if (!rc)
		rc = csv_field(b, tmp.data ? tmp.data : "", tmp.len, true);
out:
	cs_buf_release(&tmp);
	return rc;
}

cs_err cs_alert_write_header(cs_buf *b, const cs_alert_opts *o)
{
	return o->format == CS_ALERT_CSV ? cs_buf_append(b, csv_header, sizeof csv_header - 1) : CS_OK;
}

cs_err cs_alert_write(cs_buf *b, const cs_alert_opts *o, const cs_alert *a)
{
	switch (o->format) {
	case CS_ALERT_TEXT:
		return write_text(b, o, a);
	case CS_ALERT_CSV:
		return write_csv(b, a);
	case CS_ALERT_JSONL:
		return cs__alert_write_jsonl(b, a);
	case CS_ALERT_OCSF:
		return cs__alert_write_ocsf(b, o, a);
	}
	return CS_EINVAL;
}
