/*
 * hcl/funcs_datetime.c - Terraform's date and time functions: formatdate,
 * timeadd, timecmp, and timestamp / plantimestamp (unknown before apply).
 *
 * Timestamps are RFC 3339 ("2018-01-02T23:12:01Z", "...-08:00", optional
 * fraction), as Go's time.RFC3339 parses them.  Instants are kept as
 * seconds since 1970 plus nanoseconds and the zone offset written.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "funcs.h"

typedef struct ts {
	int64_t y;
	int mon, day, h, min, s;
	int64_t nano;
	int off; /* minutes east of UTC */
	bool utc; /* written with Z */
} ts;

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static bool leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int num(const char *s, size_t n, size_t *i, int digits)
{
	int v = 0;
	for (int k = 0; k < digits; k++, (*i)++) {
		if (*i >= n || s[*i] < '0' || s[*i] > '9')
			return -1;
		v = v * 10 + (s[*i] - '0');
	}
	return v;
}

static bool parse_ts(cs_str str, ts *t)
{
	const char *s = str.ptr;
	size_t n = str.len, i = 0;
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y = num(s, n, &i, 4);
	if (y < 0 || i >= n || s[i++] != '-')
		return false;
	t->y = y;
	t->mon = num(s, n, &i, 2);
	if (t->mon < 1 || t->mon > 12 || i >= n || s[i++] != '-')
		return false;
	t->day = num(s, n, &i, 2);
	if (t->day < 1 || t->day > mdays[t->mon - 1] + (t->mon == 2 && leap(t->y)))
		return false;
	if (i >= n || s[i++] != 'T')
		return false;
	t->h = num(s, n, &i, 2);
	if (t->h < 0 || t->h > 23 || i >= n || s[i++] != ':')
		return false;
	t->min = num(s, n, &i, 2);
	if (t->min < 0 || t->min > 59 || i >= n || s[i++] != ':')
		return false;
	t->s = num(s, n, &i, 2);
	if (t->s < 0 || t->s > 59)
		return false;
	t->nano = 0;
	if (i < n && s[i] == '.') {
		int64_t scale = 100000000;
		size_t st = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			t->nano += (s[i] - '0') * scale;
			scale /= 10;
			i++;
		}
		if (i == st)
			return false;
	}
	if (i < n && s[i] == 'Z') {
		t->utc = true;
		t->off = 0;
		i++;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		int sign = s[i++] == '-' ? -1 : 1;
		int oh = num(s, n, &i, 2);
		if (oh < 0 || oh > 23 || i >= n || s[i++] != ':')
			return false;
		int om = num(s, n, &i, 2);
		if (om < 0 || om > 59)
			return false;
		t->utc = false;
		t->off = sign * (oh * 60 + om);
	} else {
		return false;
	}
	return i == n;
}

/* Seconds since the epoch (UTC) of t. */
static int64_t ts_epoch(const ts *t)
{
	return days_from_civil(t->y, t->mon, t->day) * 86400 + t->h * 3600 + t->min * 60 + t->s -
	       (int64_t)t->off * 60;
}

/* t's wall clock fields from epoch seconds, keeping t's offset. */
static void ts_from_epoch(ts *t, int64_t e)
{
	int64_t local = e + (int64_t)t->off * 60;
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int64_t sec = local - days * 86400;
	civil_from_days(days, &t->y, &t->mon, &t->day);
	t->h = (int)(sec / 3600);
	t->min = (int)(sec / 60 % 60);
	t->s = (int)(sec % 60);
}

static cs_err want_ts(cs__hcl_call *c, size_t i, ts *t)
{
	cs_str s;
	cs_err rc = cs__hcl_want_str(c, i, &s);
	if (rc)
		return rc;
	if (!parse_ts(s, t))
		return cs__hcl_arg_err(c, i, "not a valid RFC3339 timestamp: \"%.*s\"",
				       (int)(s.len > 100 ? 100 : s.len), s.ptr);
	return CS_OK;
}

static cs_err put_off(cs_buf *b, int off, bool colon)
{
	int a = off < 0 ? -off : off;
	return cs_buf_printf(b, colon ? "%c%02d:%02d" : "%c%02d%02d", off < 0 ? '-' : '+', a / 60, a % 60);
}

static cs_err f_formatdate(cs__hcl_call *c, const cs_value **out)
{
	static const char *const months[] = { "January", "February", "March",	  "April",
					      "May",	 "June",     "July",	  "August",
					      "September", "October", "November", "December" };
	static const char *const days[] = { "Sunday",	"Monday", "Tuesday", "Wednesday",
					    "Thursday", "Friday", "Saturday" };
	cs_str f;
	ts t;
	cs_buf b;
	cs_err rc = cs__hcl_want_str(c, 0, &f);
	if (!rc)
		rc = want_ts(c, 1, &t);
	if (rc)
		return rc;
	int64_t dn = days_from_civil(t.y, t.mon, t.day);
	int wd = (int)(((dn % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
	int h12 = t.h % 12 == 0 ? 12 : t.h % 12;
	cs_buf_init(&b, 1u << 20);
	for (size_t i = 0; i < f.len && !rc;) {
		char ch = f.ptr[i];
		if (ch == '\'') { /* literal text; '' is a quote */
			if (i + 1 < f.len && f.ptr[i + 1] == '\'') {
				rc = cs_buf_putc(&b, '\'');
				i += 2;
				continue;
			}
			size_t j = i + 1;
			for (;;) {
				if (j >= f.len) {
					cs_buf_release(&b);
					return cs__hcl_call_err(c, "unterminated literal '");
				}
				if (f.ptr[j] == '\'') {
					if (j + 1 < f.len && f.ptr[j + 1] == '\'') {
						rc = cs_buf_putc(&b, '\'');
						j += 2;
						continue;
					}
					break;
				}
				rc = cs_buf_putc(&b, f.ptr[j++]);
			}
			i = j + 1;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))) {
			rc = cs_buf_putc(&b, ch);
			i++;
			continue;
		}
		size_t n = 1;
		while (i + n < f.len && f.ptr[i + n] == ch)
			n++;
		bool ok = true;
		switch (ch) {
		case 'Y':
			if (n == 4)
				rc = cs_buf_printf(&b, "%04lld", (long long)t.y);
			else if (n == 2)
				rc = cs_buf_printf(&b, "%02lld", (long long)(t.y % 100));
			else
				ok = false;
			break;
		case 'M':
			if (n == 4)
				rc = cs_buf_puts(&b, months[t.mon - 1]);
			else if (n == 3)
				rc = cs_buf_printf(&b, "%.3s", months[t.mon - 1]);
			else if (n <= 2)
				rc = cs_buf_printf(&b, n == 2 ? "%02d" : "%d", t.mon);
			else
				ok = false;
			break;
		case 'D':
			if (n <= 2)
				rc = cs_buf_printf(&b, n == 2 ? "%02d" : "%d", t.day);
			else
				ok = false;
			break;
		case 'E':
			if (n == 4)
				rc = cs_buf_puts(&b, days[wd]);
			else if (n == 3)
				rc = cs_buf_printf(&b, "%.3s", days[wd]);
			else
				ok = false;
			break;
		case 'h':
			if (n <= 2)
				rc = cs_buf_printf(&b, n == 2 ? "%02d" : "%d", t.h);
			else
				ok = false;
			break;
		case 'H':
			if (n <= 2)
				rc = cs_buf_printf(&b, n == 2 ? "%02d" : "%d", h12);
			else
				ok = false;
			break;
		case 'A':
		case 'a':
			if (n == 2)
				rc = cs_buf_puts(&b, t.h < 12 ? (ch == 'A' ? "AM" : "am") : (ch == 'A' ? "PM" : "pm"));
			else
				ok = false;
			break;
		case 'm':
			if (n <= 2)
				rc = cs_buf_printf(&b, n == 2 ? "%02d" : "%d", t.min);
			else
				ok = false;
			break;
		case 's':
			if (n <= 2)
				rc = cs_buf_printf(&b, n == 2 ? "%02d" : "%d", t.s);
			else
				ok = false;
			break;
		case 'Z':
			if (n == 5)
				rc = put_off(&b, t.off, true);
			else if (n == 4)
				rc = put_off(&b, t.off, false);
			else if (n == 3)
				rc = t.off == 0 ? cs_buf_puts(&b, "UTC") : put_off(&b, t.off, false);
			else if (n == 1)
				rc = t.off == 0 ? cs_buf_puts(&b, "Z") : put_off(&b, t.off, true);
			else
				ok = false;
			break;
		default:
			ok = false;
		}
		if (!ok) {
			cs_buf_release(&b);
			return cs__hcl_call_err(c, "invalid date format verb %.*s", (int)(n > 20 ? 20 : n), f.ptr + i);
		}
		i += n;
	}
	if (rc) {
		cs_buf_release(&b);
		return cs__hcl_oom(c);
	}
	*out = cs__hcl_str(c, b.data ? b.data : "", b.len);
	cs_buf_release(&b);
	return CS_OK;
}

/* Go's time.ParseDuration into nanoseconds. */
static bool parse_duration(cs_str s, double *ns)
{
	size_t i = 0;
	double total = 0;
	int sign = 1;
	if (i < s.len && (s.ptr[i] == '-' || s.ptr[i] == '+'))
		sign = s.ptr[i++] == '-' ? -1 : 1;
	if (s.len - i == 1 && s.ptr[i] == '0') {
		*ns = 0;
		return true;
	}
	if (i >= s.len)
		return false;
	while (i < s.len) {
		double v = 0, scale = 1;
		size_t st = i;
		bool digits = false;
		while (i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9')
			v = v * 10 + (s.ptr[i++] - '0'), digits = true;
		if (i < s.len && s.ptr[i] == '.') {
			i++;
			while (i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9') {
				scale /= 10;
				v += (s.ptr[i++] - '0') * scale;
				digits = true;
			}
		}
		if (!digits || i == st)
			return false;
		static const struct {
			const char *u;
			double ns;
		} units[] = { { "ns", 1 },	   { "us", 1e3 },	{ "\xC2\xB5s", 1e3 }, { "\xCE\xBCs", 1e3 },
			      { "ms", 1e6 },	   { "s", 1e9 },	{ "m", 60e9 },	       { "h", 3600e9 } };
		size_t best = 0, bl = 0;
		for (size_t k = 0; k < CS_ARRAY_SIZE(units); k++) {
			size_t l = strlen(units[k].u);
			if (l > bl && i + l <= s.len && memcmp(s.ptr + i, units[k].u, l) == 0 &&
			    (i + l == s.len || (s.ptr[i + l] >= '0' && s.ptr[i + l] <= '9') || s.ptr[i + l] == '.')) {
				best = k;
				bl = l;
			}
		}
		if (!bl)
			return false;
		total += v * units[best].ns;
		i += bl;
	}
	if (total > 9.2e18)
		return false;
	*ns = sign * total;
	return true;
}

static cs_err f_timeadd(cs__hcl_call *c, const cs_value **out)
{
	ts t;
	cs_str d;
	double ns;
	char buf[64];
	cs_err rc = want_ts(c, 0, &t);
	if (!rc)
		rc = cs__hcl_want_str(c, 1, &d);
	if (rc)
		return rc;
	if (!parse_duration(d, &ns))
		return cs__hcl_arg_err(c, 1, "time: invalid duration \"%.*s\"", (int)(d.len > 100 ? 100 : d.len),
				       d.ptr);
	double total = (double)t.nano + ns;
	double secs = floor(total / 1e9);
	int64_t e = ts_epoch(&t) + (int64_t)secs;
	ts_from_epoch(&t, e);
	if (t.y < 0 || t.y > 9999)
		return cs__hcl_call_err(c, "the result is outside the years 0 to 9999");
	int n = snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02d", (long long)t.y, t.mon, t.day,
			 t.h, t.min, t.s);
	if (t.off == 0)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "Z");
	else
		n += snprintf(buf + n, sizeof buf - (size_t)n, "%c%02d:%02d", t.off < 0 ? '-' : '+',
			      (t.off < 0 ? -t.off : t.off) / 60, (t.off < 0 ? -t.off : t.off) % 60);
	*out = cs__hcl_str(c, buf, (size_t)n);
	return CS_OK;
}

static cs_err f_timecmp(cs__hcl_call *c, const cs_value **out)
{
	ts a, b;
	cs_err rc = want_ts(c, 0, &a);
	if (!rc)
		rc = want_ts(c, 1, &b);
	if (rc)
		return rc;
	int64_t ea = ts_epoch(&a), eb = ts_epoch(&b);
	int r = ea < eb ? -1 : ea > eb ? 1 : a.nano < b.nano ? -1 : a.nano > b.nano;
	*out = cs__hcl_num(c, r);
	return CS_OK;
}

static cs_err f_impure(cs__hcl_call *c, const cs_value **out)
{
	/* never reached: cs__hcl_func_call returns unknown for CS__HCL_F_IMPURE */
	*out = cs__v_unknown(c->arena, "known after apply", c->line, c->col);
	return CS_OK;
}

const cs__hcl_func cs__hcl_funcs_datetime[] = {
	{ "formatdate", 2, 2, 0, "format,time", f_formatdate },
	{ "plantimestamp", 0, 0, CS__HCL_F_IMPURE, "", f_impure },
	{ "timeadd", 2, 2, 0, "timestamp,duration", f_timeadd },
	{ "timecmp", 2, 2, 0, "timestamp_a,timestamp_b", f_timecmp },
	{ "timestamp", 0, 0, CS__HCL_F_IMPURE, "", f_impure },
};
const size_t cs__hcl_funcs_datetime_n = CS_ARRAY_SIZE(cs__hcl_funcs_datetime);
