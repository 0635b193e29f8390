/*
 * iam/credreport.c - reads the IAM credential report (IAM User Guide,
 * "Getting credential reports for your AWS account"): CSV with a header
 * line naming the columns (user, arn, user_creation_time,
 * password_enabled, password_last_used, password_last_changed,
 * password_next_rotation, mfa_active, access_key_1_active,
 * access_key_1_last_rotated, access_key_1_last_used_date, ...,
 * cert_2_last_rotated).  Columns are found by name, so older reports with
 * fewer columns are read too.  Values: true/false, ISO 8601 date-times,
 * "N/A" (the credential does not exist), "no_information" (never used, or
 * used before AWS recorded it), "not_supported" (the root user's password
 * columns); the root user's row is named <root_account>.
 */
#include <string.h>

#include "account_int.h"

#define CR_MAXCOLS 64

enum {
	C_USER,
	C_ARN,
	C_CREATED,
	C_PW_ENABLED,
	C_PW_USED,
	C_PW_CHANGED,
	C_MFA,
	C_K1_ACTIVE,
	C_K1_ROTATED,
	C_K1_USED,
	C_K2_ACTIVE,
	C_K2_ROTATED,
	C_K2_USED,
	C_C1_ACTIVE,
	C_C2_ACTIVE,
	C_N
};

static const char *const colnames[C_N] = {
	"user",
	"arn",
	"user_creation_time",
	"password_enabled",
	"password_last_used",
	"password_last_changed",
	"mfa_active",
	"access_key_1_active",
	"access_key_1_last_rotated",
	"access_key_1_last_used_date",
	"access_key_2_active",
	"access_key_2_last_rotated",
	"access_key_2_last_used_date",
	"cert_1_active",
	"cert_2_active",
};

typedef struct field {
	cs_str s;
	uint32_t col;
} field;

typedef struct reader {
	const char *data;
	size_t len, pos;
	uint32_t line;
} reader;

/* Splits the next CSV record (RFC 4180: quoted fields, "" inside quotes)
 * into at most CR_MAXCOLS fields; quoted fields are unquoted into `a`.
 * Returns the number of fields (0 at the end); *more is set when the
 * record had more fields than kept.  A record starting a line is reported
 * at that line. */
static size_t next_record(reader *r, cs_arena *a, field *f, bool *more, bool *badq,
			  uint32_t *line)
{
	size_t n = 0;
	*more = false;
	*badq = false;
	/* skip blank lines */
	while (r->pos < r->len && (r->data[r->pos] == '\n' || r->data[r->pos] == '\r')) {
		if (r->data[r->pos] == '\n')
			r->line++;
		r->pos++;
	}
	if (r->pos >= r->len)
		return 0;
	*line = r->line;
	size_t linestart = r->pos;
	for (;;) {
		field cur = { { r->data + r->pos, 0 }, (uint32_t)(r->pos - linestart + 1) };
		if (r->pos < r->len && r->data[r->pos] == '"') {
			size_t start = ++r->pos;
			char *out = cs_arena_alloc(a, r->len - start + 1);
			size_t k = 0;
			bool closed = false;
			while (r->pos < r->len) {
				char c = r->data[r->pos++];
				if (c == '"') {
					if (r->pos < r->len && r->data[r->pos] == '"') {
						r->pos++;
					} else {
						closed = true;
						break;
					}
				}
				if (c == '\n')
					r->line++;
				if (out)
					out[k++] = c;
			}
			if (!closed)
				*badq = true;
			cur.s = (cs_str){ out ? out : "", out ? k : 0 };
			/* anything between the closing quote and the separator */
			while (r->pos < r->len && r->data[r->pos] != ',' && r->data[r->pos] != '\n') {
				if (r->data[r->pos] != '\r')
					*badq = true;
				r->pos++;
			}
		} else {
			while (r->pos < r->len && r->data[r->pos] != ',' && r->data[r->pos] != '\n')
				r->pos++;
			cur.s.len = (size_t)(r->data + r->pos - cur.s.ptr);
			if (cur.s.len && cur.s.ptr[cur.s.len - 1] == '\r')
				cur.s.len--;
		}
		if (n < CR_MAXCOLS)
			f[n++] = cur;
		else
			*more = true;
		if (r->pos < r->len && r->data[r->pos] == ',') {
			r->pos++;
			continue;
		}
		if (r->pos < r->len) {
			r->pos++; /* the newline */
			r->line++;
		}
		break;
	}
	return n;
}

static bool digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

static int num(const char *p, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* ISO 8601 date-time as AWS writes it (2014-10-20T16:53:01+00:00, or with
 * Z, or fractional seconds) -> seconds since 1970; false if malformed. */
bool cs__iam_parse_time(cs_str s, int64_t *out)
{
	const char *p = s.ptr;
	if (s.len < 19 || !digits(p, 4) || p[4] != '-' || !digits(p + 5, 2) || p[7] != '-' ||
	    !digits(p + 8, 2) || (p[10] != 'T' && p[10] != ' ') || !digits(p + 11, 2) ||
	    p[13] != ':' || !digits(p + 14, 2) || p[16] != ':' || !digits(p + 17, 2))
		return false;
	int y = num(p, 4), mo = num(p + 5, 2), d = num(p + 8, 2);
	int h = num(p + 11, 2), mi = num(p + 14, 2), se = num(p + 17, 2);
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return false;
	size_t i = 19;
	if (i < s.len && p[i] == '.') {
		i++;
		size_t st = i;
		while (i < s.len && p[i] >= '0' && p[i] <= '9')
			i++;
		if (i == st)
			return false;
	}
	int64_t off = 0;
	if (i < s.len && (p[i] == 'Z' || p[i] == 'z')) {
		i++;
	} else if (i + 6 <= s.len && (p[i] == '+' || p[i] == '-') && digits(p + i + 1, 2) &&
		   p[i + 3] == ':' && digits(p + i + 4, 2)) {
		off = (int64_t)num(p + i + 1, 2) * 3600 + num(p + i + 4, 2) * 60;
		if (p[i] == '-')
			off = -off;
		i += 6;
	}
	if (i != s.len)
		return false;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
	return true;
}

typedef struct row_ctx {
	cs_iam_account *a;
	const char *file;
	uint32_t line;
	const field *f;
	size_t nf;
	const int *idx; /* column index of each C_*, or -1 */
	bool bad;
} row_ctx;

static bool get(const row_ctx *r, int c, field *out)
{
	int i = r->idx[c];
	if (i < 0 || (size_t)i >= r->nf)
		return false;
	*out = r->f[i];
	return true;
}

static void field_diag(row_ctx *r, const field *f, const char *col, const char *want)
{
	r->a->input_errors++;
	r->bad = true;
	cs_diag_emit(r->a->diag, CS_SEV_ERROR, CS_ESYNTAX, r->file, r->line, f->col, NULL,
		     "credential report: %s must be %s, not '%.*s'", col, want, (int)f->s.len,
		     f->s.ptr);
}

static cs__iam_tri get_bool(row_ctx *r, int c)
{
	field f;
	if (!get(r, c, &f))
		return CS__TRI_UNKNOWN;
	if (cs_str_eqc(f.s, "true") || cs_str_eqc(f.s, "TRUE"))
		return CS__TRI_TRUE;
	if (cs_str_eqc(f.s, "false") || cs_str_eqc(f.s, "FALSE"))
		return CS__TRI_FALSE;
	if (cs_str_eqc(f.s, "not_supported") || cs_str_eqc(f.s, "no_information") ||
	    cs_str_eqc(f.s, "N/A"))
		return CS__TRI_UNKNOWN;
	field_diag(r, &f, colnames[c], "true or false");
	return CS__TRI_UNKNOWN;
}

static int64_t get_time(row_ctx *r, int c)
{
	field f;
	int64_t t;
	if (!get(r, c, &f))
		return CS__TIME_UNKNOWN;
	if (cs_str_eqc(f.s, "N/A"))
		return CS__TIME_NA;
	if (cs_str_eqc(f.s, "no_information"))
		return CS__TIME_NOINFO;
	if (cs_str_eqc(f.s, "not_supported"))
		return CS__TIME_UNKNOWN;
	if (cs__iam_parse_time(f.s, &t) && t >= 0)
		return t;
	field_diag(r, &f, colnames[c], "an ISO 8601 date-time, N/A or no_information");
	return CS__TIME_UNKNOWN;
}

static const char *get_str(row_ctx *r, int c)
{
	field f;
	if (!get(r, c, &f))
		return NULL;
	return cs_arena_strndup(r->a->arena, f.s.ptr, f.s.len);
}

cs_err cs__iam_read_credreport(cs_iam_account *a, const char *file, const char *data,
			       size_t len)
{
	cs_err rc = CS_OK;
	bool bad = false, more, badq;
	field f[CR_MAXCOLS];
	int idx[C_N];
	reader r = { data, len, 0, 1 };
	uint32_t line = 1;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		r.pos = 3;
	size_t bad_utf8 = cs__utf8_check(data, len);
	if (bad_utf8 < len) {
		/* diagnose and read only what comes before */
		uint32_t l = 1;
		for (size_t i = 0; i < bad_utf8; i++)
			l += data[i] == '\n';
		a->input_errors++;
		cs_diag_emit(a->diag, CS_SEV_ERROR, CS_EUTF8, file, l, 0, NULL,
			     "credential report: invalid UTF-8 (the rest of the file is skipped)");
		r.len = bad_utf8;
		bad = true;
	}
	size_t nh = next_record(&r, a->arena, f, &more, &badq, &line);
	for (int c = 0; c < C_N; c++) {
		idx[c] = -1;
		for (size_t i = 0; i < nh; i++)
			if (cs_str_eqc(f[i].s, colnames[c]))
				idx[c] = (int)i;
	}
	if (idx[C_USER] != 0 || idx[C_ARN] != 1) {
		a->input_errors++;
		cs_diag_emit(a->diag, CS_SEV_ERROR, CS_EFORMAT, file, line, 1, NULL,
			     "credential report: the header must start with the columns user,arn");
		return CS_EFORMAT;
	}
	for (;;) {
		size_t n = next_record(&r, a->arena, f, &more, &badq, &line);
		if (n == 0)
			break;
		row_ctx rc_ = { a, file, line, f, n, idx, false };
		if (badq) {
			a->input_errors++;
			bad = true;
			cs_diag_emit(a->diag, CS_SEV_ERROR, CS_ESYNTAX, file, line, 1, NULL,
				     "credential report: badly quoted field (RFC 4180)");
			continue;
		}
		if (n != nh || more) {
			a->input_errors++;
			bad = true;
			cs_diag_emit(a->diag, CS_SEV_ERROR, CS_ESYNTAX, file, line,
				     n > nh ? f[nh < CR_MAXCOLS ? nh : CR_MAXCOLS - 1].col : 1, NULL,
				     "credential report: record has %zu%s fields; the header has %zu",
				     n, more ? "+" : "", nh);
			continue;
		}
		cs__iam_creds *c = cs_arena_alloc(a->arena, sizeof(*c));
		if (!c) {
			rc = cs_arena_error(a->arena);
			break;
		}
		memset(c, 0, sizeof(*c));
		c->file = file;
		c->line = line;
		c->user = get_str(&rc_, C_USER);
		c->arn = get_str(&rc_, C_ARN);
		if (!c->user || !c->arn) {
			rc = cs_arena_error(a->arena);
			break;
		}
		c->root = strcmp(c->user, "<root_account>") == 0;
		c->created = get_time(&rc_, C_CREATED);
		c->password_enabled = get_bool(&rc_, C_PW_ENABLED);
		c->password_last_used = get_time(&rc_, C_PW_USED);
		c->password_last_changed = get_time(&rc_, C_PW_CHANGED);
		c->mfa_active = get_bool(&rc_, C_MFA);
		c->key[0].active = get_bool(&rc_, C_K1_ACTIVE);
		c->key[0].last_rotated = get_time(&rc_, C_K1_ROTATED);
		c->key[0].last_used = get_time(&rc_, C_K1_USED);
		c->key[1].active = get_bool(&rc_, C_K2_ACTIVE);
		c->key[1].last_rotated = get_time(&rc_, C_K2_ROTATED);
		c->key[1].last_used = get_time(&rc_, C_K2_USED);
		c->cert_active[0] = get_bool(&rc_, C_C1_ACTIVE);
		c->cert_active[1] = get_bool(&rc_, C_C2_ACTIVE);
		if (rc_.bad)
			bad = true;
		if (strncmp(c->arn, "arn:", 4) != 0) {
			field af = f[idx[C_ARN]];
			a->input_errors++;
			bad = true;
			cs_diag_emit(a->diag, CS_SEV_ERROR, CS_ESYNTAX, file, line, af.col, NULL,
				     "credential report: Invalid ARN '%s' (row skipped)", c->arn);
			continue;
		}
		rc = cs__ptrvec_push(&a->creds, c);
		if (rc)
			break;
	}
	if (!rc && bad)
		rc = CS_ESYNTAX;
	return rc;
}
