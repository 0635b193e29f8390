/*
 * detect/logreader_fmt.c - framing and recognizing log records: the
 * structural scanner that finds where a record ends in a byte stream, and
 * the classifier that tells CloudTrail, EventBridge-wrapped CloudTrail,
 * Azure Monitor, GCP Cloud Audit Logs, Okta System Log and GitHub audit log
 * records apart by the members they carry, and reads each one's time.
 */
#include <string.h>

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
static size_t skip_plain(const unsigned char *u, size_t i, size_t n)
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

cs_lr_res cs__lr_scan(cs_lr_scan *s, const char *p, size_t n, size_t *pos, const char **why)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = *pos;
	cs_lr_res res = CS_LR_MORE;
	while (i < n) {
		if (s->in_str) {
			if (s->esc) {
				s->esc = 0;
				i++;
				continue;
			}
			i = skip_plain(u, i, n);
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
			break;
		}
		default:
			if (c != '\n' && c != '\r' && c != '\t') {
				*why = "control character outside a string";
				res = CS_LR_ERR;
				goto out;
			}
			break;
		}
		i++;
	}
out:
	*pos = i;
	return res;
}

/* ---- members of one complete object ----------------------------------- */

typedef struct iter {
	const char *p;
	size_t n, i;
	bool first;
} iter;

static void skip_ws(iter *it)
{
	while (it->i < it->n && (it->p[it->i] == ' ' || it->p[it->i] == '\t' ||
				 it->p[it->i] == '\n' || it->p[it->i] == '\r'))
		it->i++;
}

/* Reads a string starting at it->i (on the quote); span without quotes. */
static bool read_string(iter *it, cs_str *out)
{
	size_t i = it->i + 1;
	bool esc = false;
	for (; i < it->n; i++) {
		unsigned char c = (unsigned char)it->p[i];
		if (esc)
			esc = false;
		else if (c == '\\')
			esc = true;
		else if (c == '"')
			break;
		else if (c < 0x20)
			return false;
	}
	if (i >= it->n)
		return false;
	out->ptr = it->p + it->i + 1;
	out->len = i - it->i - 1;
	it->i = i + 1;
	return true;
}

/* Next member: 1 with key/value spans (strings without their quotes,
 * other values as written), 0 at the closing brace, -1 malformed. */
static int next_member(iter *it, cs_str *key, cs_str *val, bool *is_str, const char **why)
{
	skip_ws(it);
	if (it->i < it->n && it->p[it->i] == '}') {
		it->i++;
		return 0;
	}
	if (!it->first) {
		if (it->i >= it->n || it->p[it->i] != ',') {
			*why = "',' or '}' expected after an object member";
			return -1;
		}
		it->i++;
		skip_ws(it);
	}
	it->first = false;
	if (it->i >= it->n || it->p[it->i] != '"' || !read_string(it, key)) {
		*why = "string key expected in object";
		return -1;
	}
	skip_ws(it);
	if (it->i >= it->n || it->p[it->i] != ':') {
		*why = "':' expected after an object key";
		return -1;
	}
	it->i++;
	skip_ws(it);
	if (it->i >= it->n) {
		*why = "value expected";
		return -1;
	}
	char c = it->p[it->i];
	*is_str = false;
	if (c == '"') {
		if (!read_string(it, val)) {
			*why = "unterminated string";
			return -1;
		}
		*is_str = true;
	} else if (c == '{' || c == '[') {
		cs_lr_scan s;
		size_t start = it->i;
		memset(&s, 0, sizeof s);
		if (cs__lr_scan(&s, it->p, it->n, &it->i, why) != CS_LR_DONE) {
			if (!s.depth || it->i >= it->n)
				*why = "unterminated object or array";
			return -1;
		}
		val->ptr = it->p + start;
		val->len = it->i - start;
	} else {
		size_t start = it->i;
		while (it->i < it->n && strchr(",}] \t\r\n", it->p[it->i]) == NULL)
			it->i++;
		val->ptr = it->p + start;
		val->len = it->i - start;
		if (!(cs_str_eqc(*val, "true") || cs_str_eqc(*val, "false") || cs_str_eqc(*val, "null") ||
		      c == '-' || (c >= '0' && c <= '9'))) {
			*why = "invalid value";
			return -1;
		}
	}
	return 1;
}

/* ---- time ------------------------------------------------------------- */

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

int64_t cs__lr_parse_time(const char *s, size_t n)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y = digits(s, n, 0, 4), mo = digits(s, n, 5, 2), d = digits(s, n, 8, 2);
	int h = digits(s, n, 11, 2), mi = digits(s, n, 14, 2), se = digits(s, n, 17, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || se < 0 || se > 60 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
		return INT64_MIN;
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
	int64_t days = days_from_civil(y, mo, d);
	return ((days * 24 + h) * 60 + mi) * 60000LL + se * 1000LL + ms - off;
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
static const char *const key_names[K_NKEYS] = {
	"eventVersion", "eventSource", "eventName", "eventTime", "detail-type", "detail", "time",
	"protoPayload", "logName", "timestamp", "category", "operationName", "resourceId",
	"eventType", "published", "action", "@timestamp", "created_at", "actor", "org", "Type",
	"TimeGenerated",
};
static const uint8_t key_lens[K_NKEYS] = { 12, 11, 9, 9, 11, 6, 4, 12, 7, 9, 8, 13, 10,
					   9, 9, 6, 10, 10, 5, 3, 4, 13 };

typedef struct seen {
	cs_str v[K_NKEYS];
	bool has[K_NKEYS], str[K_NKEYS];
} seen;

/* Whether the members seen so far already decide the format and time, so
 * the rest of the record need not be read here (the matcher parses it). */
static bool decided(const seen *s)
{
	return (s->has[K_EVENTVERSION] && s->has[K_EVENTTIME]) ||
	       (s->has[K_DETAILTYPE] && s->has[K_DETAIL]) ||
	       (s->has[K_CATEGORY] && s->has[K_TIME] &&
		(s->has[K_OPERATIONNAME] || s->has[K_RESOURCEID])) ||
	       ((s->has[K_PROTOPAYLOAD] || s->has[K_LOGNAME]) && s->has[K_TIMESTAMP]) ||
	       (s->has[K_EVENTTYPE] && s->has[K_PUBLISHED]) ||
	       (s->has[K_TYPE] && s->has[K_TIMEGENERATED]) ||
	       (s->has[K_ACTION] && (s->has[K_ATTIMESTAMP] || s->has[K_CREATEDAT]) &&
		(s->has[K_ACTOR] || s->has[K_ORG]));
}

/* Reads the top-level members of the object p[0..n) (which ends in '}'),
 * keeping the ones named in key_names; stops early once decided() when
 * `early`. */
static cs_err collect(const char *p, size_t n, seen *s, bool early, const char **why)
{
	iter it = { p, n, 0, true };
	cs_str k, v;
	bool is_str = false;
	int r;
	memset(s, 0, sizeof *s);
	skip_ws(&it);
	if (it.i >= n || p[it.i] != '{') {
		*why = "a record must be a JSON object";
		return CS_ESYNTAX;
	}
	if (p[n - 1] != '}') {
		*why = "incomplete record (it does not end with '}')";
		return CS_ESYNTAX;
	}
	it.i++;
	while ((r = next_member(&it, &k, &v, &is_str, why)) == 1) {
		for (size_t j = 0; j < K_NKEYS; j++) {
			if (k.len == key_lens[j] && !s->has[j] && memcmp(k.ptr, key_names[j], k.len) == 0) {
				s->has[j] = true;
				s->v[j] = v;
				s->str[j] = is_str;
				break;
			}
		}
		if (early && decided(s))
			return CS_OK;
	}
	if (r < 0)
		return CS_ESYNTAX;
	skip_ws(&it);
	if (it.i != n) {
		*why = "unexpected text after the record";
		return CS_ESYNTAX;
	}
	return CS_OK;
}

static int64_t str_time(const seen *s, int k)
{
	return s->has[k] && s->str[k] ? cs__lr_parse_time(s->v[k].ptr, s->v[k].len) : INT64_MIN;
}

/* Azure's category names the log: sign-in logs of any kind, audit logs,
 * and everything else (Administrative, Security, Policy, ...) the activity
 * log.  A category written as {"value": ...} (the REST API) is unwrapped. */
static const char *azure_service(cs_str cat, bool is_str)
{
	if (!is_str && cat.len && cat.ptr[0] == '{') {
		iter it = { cat.ptr, cat.len, 1, true };
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

cs_err cs__lr_classify(const char *p, size_t n, cs_lr_class *out, const char **why)
{
	seen s;
	cs_err rc = collect(p, n, &s, true, why);
	out->json = p;
	out->len = n;
	out->time_ms = INT64_MIN;
	out->product = out->service = NULL;
	if (rc)
		goto out;
	if (s.has[K_DETAILTYPE] && s.has[K_DETAIL] && s.str[K_DETAILTYPE] &&
	    contains(s.v[K_DETAILTYPE], "via CloudTrail") && s.v[K_DETAIL].ptr[0] == '{') {
		/* EventBridge: the CloudTrail record is the detail. */
		seen d;
		rc = collect(s.v[K_DETAIL].ptr, s.v[K_DETAIL].len, &d, true, why);
		if (rc)
			goto out;
		out->json = s.v[K_DETAIL].ptr;
		out->len = s.v[K_DETAIL].len;
		out->product = "aws";
		out->service = "cloudtrail";
		out->time_ms = str_time(&d, K_EVENTTIME);
		if (out->time_ms == INT64_MIN)
			out->time_ms = str_time(&s, K_TIME);
	} else if (s.has[K_EVENTVERSION] || (s.has[K_EVENTSOURCE] && s.has[K_EVENTNAME])) {
		out->product = "aws";
		out->service = "cloudtrail";
		out->time_ms = str_time(&s, K_EVENTTIME);
	} else if (s.has[K_PROTOPAYLOAD] ||
		   (s.has[K_LOGNAME] && contains(s.v[K_LOGNAME], "cloudaudit.googleapis.com"))) {
		out->product = "gcp";
		out->service = "gcp.audit";
		out->time_ms = str_time(&s, K_TIMESTAMP);
	} else if (s.has[K_CATEGORY] &&
		   (s.has[K_OPERATIONNAME] || s.has[K_RESOURCEID] || s.has[K_TIME])) {
		out->product = "azure";
		out->service = azure_service(s.v[K_CATEGORY], s.str[K_CATEGORY]);
		out->time_ms = str_time(&s, K_TIME);
	} else if (s.has[K_TYPE] && s.has[K_TIMEGENERATED] && s.str[K_TYPE] &&
		   (cs_str_ieqc(s.v[K_TYPE], "AzureActivity") || cs_str_ieqc(s.v[K_TYPE], "AuditLogs") ||
		    (s.v[K_TYPE].len >= 10 &&
		     cs_str_ieqc((cs_str){ s.v[K_TYPE].ptr + s.v[K_TYPE].len - 10, 10 }, "signinlogs")))) {
		/* a Log Analytics row (Type names the table: AzureActivity,
		 * AuditLogs, SigninLogs, AADNonInteractiveUserSignInLogs, ...) */
		out->product = "azure";
		out->service = cs_str_ieqc(s.v[K_TYPE], "AzureActivity") ? "activitylogs"
			       : cs_str_ieqc(s.v[K_TYPE], "AuditLogs")   ? "auditlogs"
									  : "signinlogs";
		out->time_ms = str_time(&s, K_TIMEGENERATED);
	} else if (s.has[K_EVENTTYPE] && s.has[K_PUBLISHED]) {
		out->product = "okta";
		out->service = "okta";
		out->time_ms = str_time(&s, K_PUBLISHED);
	} else if (s.has[K_ACTION] && (s.has[K_ATTIMESTAMP] || s.has[K_CREATEDAT]) &&
		   (s.has[K_ACTOR] || s.has[K_ORG])) {
		int k = s.has[K_ATTIMESTAMP] ? K_ATTIMESTAMP : K_CREATEDAT;
		out->product = "github";
		out->service = "audit";
		out->time_ms = s.str[k] ? str_time(&s, k) : parse_epoch_ms(s.v[k]);
	} else {
		*why = "a JSON object of no known log format";
		rc = CS_EFORMAT;
	}
out:
	return rc;
}
