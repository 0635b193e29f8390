/* test_alert_output.c - the alert writers: text, JSON lines, OCSF
 * Detection Finding (attributes required by OCSF 1.8.0) and CSV (RFC 4180
 * quoting), for a detection alert and a correlation alert. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cshare/detect.h"
#include "cshare/json.h"
#include "detect/alert_int.h"

static const char *const tags[] = { "attack.initial-access", "attack.t1078.004", NULL };
static const char *const fields[] = { "eventName", "userIdentity.type" };
static const char *const values[] = { "ConsoleLogin", "Root" };
static const char *const contrib[] = { "a.json@10", "a.json@200" };
#define RAW "{\"eventVersion\":\"1.08\",\"eventName\":\"ConsoleLogin\"}"

static cs_event event(void)
{
	cs_event ev = { RAW, strlen(RAW), "logs/a.json", 10, 3, "aws", "cloudtrail", 1704164645123LL };
	return ev;
}

static cs_alert alert(const cs_event *ev)
{
	cs_alert a = { 0 };
	a.rule_id = "6d3a5d6c-0000-4000-8000-000000000001";
	a.title = "Root, \"console\" login";
	a.level = "high";
	a.author = "cshare";
	a.status = "stable";
	a.tags = tags;
	a.domain = "iam.privileged_access";
	a.rule_file = "rules/aws/root.yml";
	a.event = ev;
	a.fields = fields;
	a.values = values;
	a.nfields = 2;
	return a;
}

static char *render(cs_alert_format f, const cs_alert *a, cs_buf *b)
{
	cs_alert_opts o = { f, false, "0.1.0", 42 };
	cs_buf_init(b, 0);
	assert_int_equal(cs_alert_write_header(b, &o), CS_OK);
	assert_int_equal(cs_alert_write(b, &o, a), CS_OK);
	return b->data;
}

static void test_parse(void **state)
{
	(void)state;
	assert_int_equal(cs_alert_format_parse("text"), CS_ALERT_TEXT);
	assert_int_equal(cs_alert_format_parse("jsonl"), CS_ALERT_JSONL);
	assert_int_equal(cs_alert_format_parse("json"), CS_ALERT_JSONL);
	assert_int_equal(cs_alert_format_parse("ocsf"), CS_ALERT_OCSF);
	assert_int_equal(cs_alert_format_parse("csv"), CS_ALERT_CSV);
	assert_int_equal(cs_alert_format_parse("sarif"), -1);
}

static void test_text(void **state)
{
	(void)state;
	cs_event ev = event();
	cs_alert a = alert(&ev);
	cs_buf b;
	assert_string_equal(render(CS_ALERT_TEXT, &a, &b),
			    "[high] 6d3a5d6c-0000-4000-8000-000000000001 Root, \"console\" login\n"
			    "  author: cshare  domain: iam.privileged_access  tags: attack.initial-access, attack.t1078.004\n"
			    "  event: logs/a.json@10 line 3  aws/cloudtrail  2024-01-02T03:04:05.123Z\n"
			    "  matched: eventName=ConsoleLogin, userIdentity.type=Root\n\n");
	cs_buf_release(&b);
	a.correlation_type = "event_count";
	a.group_key = "userIdentity.arn=arn:aws:iam::1:root";
	a.contributing = contrib;
	a.ncontributing = 2;
	a.nfields = 0;
	ev.time_ms = INT64_MIN;
	ev.line = 0;
	assert_string_equal(render(CS_ALERT_TEXT, &a, &b),
			    "[high] 6d3a5d6c-0000-4000-8000-000000000001 Root, \"console\" login\n"
			    "  author: cshare  domain: iam.privileged_access  tags: attack.initial-access, attack.t1078.004\n"
			    "  event: logs/a.json@10  aws/cloudtrail  (no time)\n"
			    "  correlation: event_count  group: userIdentity.arn=arn:aws:iam::1:root  events: a.json@10 a.json@200\n\n");
	cs_buf_release(&b);
}

static void test_csv(void **state)
{
	(void)state;
	cs_event ev = event();
	cs_alert a = alert(&ev);
	cs_buf b;
	assert_string_equal(render(CS_ALERT_CSV, &a, &b),
			    "time,level,rule_id,title,author,domain,tags,file,offset,line,product,service,matched,"
			    "correlation_type,group_key,contributing\n"
			    "2024-01-02T03:04:05.123Z,high,6d3a5d6c-0000-4000-8000-000000000001,"
			    "\"Root, \"\"console\"\" login\",cshare,iam.privileged_access,"
			    "attack.initial-access attack.t1078.004,logs/a.json,10,3,aws,cloudtrail,"
			    "eventName=ConsoleLogin; userIdentity.type=Root,,,\n");
	cs_buf_release(&b);
}

static const cs_value *get(const cs_value *v, const char *path)
{
	char key[64];
	while (v && *path) {
		size_t k = strcspn(path, ".");
		snprintf(key, sizeof key, "%.*s", (int)k, path);
		v = cs_value_get(v, key);
		path += k + (path[k] == '.');
	}
	return v;
}

static void test_jsonl(void **state)
{
	(void)state;
	cs_event ev = event();
	cs_alert a = alert(&ev);
	a.correlation_type = "value_count";
	a.group_key = "sourceIPAddress=1.2.3.4";
	a.contributing = contrib;
	a.ncontributing = 2;
	cs_buf b;
	render(CS_ALERT_JSONL, &a, &b);
	assert_int_equal(b.data[b.len - 1], '\n');
	assert_null(memchr(b.data, '\n', b.len - 1));
	cs_arena *ar = cs_arena_new(0);
	cs_diag_sink sink = { 0 };
	const cs_value *v;
	assert_int_equal(cs_json_parse(ar, "alert", b.data, b.len, NULL, &sink, &v, NULL), CS_OK);
	assert_true(cs_str_eqc(cs_value_str(get(v, "title")), "Root, \"console\" login"));
	assert_true(cs_str_eqc(cs_value_str(get(v, "author")), "cshare"));
	assert_true(cs_str_eqc(cs_value_str(get(v, "time")), "2024-01-02T03:04:05.123Z"));
	assert_int_equal(cs_value_len(get(v, "tags")), 2);
	assert_true(cs_value_num(get(v, "offset")) == 10.0);
	assert_true(cs_value_num(get(v, "line")) == 3.0);
	assert_true(cs_str_eqc(cs_value_str(get(cs_value_at(get(v, "matched"), 1), "value")), "Root"));
	assert_true(cs_str_eqc(cs_value_str(get(v, "correlation.group_key")), "sourceIPAddress=1.2.3.4"));
	assert_int_equal(cs_value_len(get(v, "correlation.contributing")), 2);
	assert_true(cs_str_eqc(cs_value_str(get(v, "event.eventName")), "ConsoleLogin"));
	cs_arena_free(ar);
	cs_buf_release(&b);
}

/* The event goes into a JSON line as it is when it is on one line
 * (spaces kept), without its white space when it spans lines. */
static void test_jsonl_event(void **state)
{
	(void)state;
	static const char one[] = "{\"eventName\": \"A b\", \"n\": [1, 2]}";
	static const char multi[] = "{\r\n  \"eventName\": \"A b\",\n\t\"n\": [1, 2]\n}";
	static const char compact[] = "{\"eventName\":\"A b\",\"n\":[1,2]}";
	cs_event ev = event();
	cs_alert a = alert(&ev);
	cs_buf b;
	ev.json = one;
	ev.len = strlen(one);
	render(CS_ALERT_JSONL, &a, &b);
	assert_non_null(strstr(b.data, ",\"event\":{\"eventName\": \"A b\", \"n\": [1, 2]}}\n"));
	cs_buf_release(&b);
	ev.json = multi;
	ev.len = strlen(multi);
	render(CS_ALERT_JSONL, &a, &b);
	assert_null(memchr(b.data, '\n', b.len - 1));
	assert_null(memchr(b.data, '\r', b.len));
	assert_non_null(strstr(b.data, compact));
	cs_buf_release(&b);
}

/* The check for line breaks made while the event is copied, at every
 * offset around the 32- and 128-byte steps: a record with a '\n' or '\r'
 * anywhere goes in compact, one without goes in as it is, also when it
 * holds bytes that differ from '\n' and '\r' in one bit or nibble. */
static void test_event_breaks_everywhere(void **state)
{
	(void)state;
	/* the second set has no byte below 0x0E: the line break is then the
	 * only byte that makes the writer look for breaks */
	static const char odds[2][13] = { "\x0b\x0c\x1a\x1d\x2a\x2d\x8a\x8d\xfa\xfd\x09\x0e",
					  "\x1a\x1d\x2a\x2d\x8a\x8d\xfa\xfd\x0e\x0e\x7f\x20" };
	const size_t nodd = sizeof odds[0] - 1;
	char rec[400], want[480];
	cs_event ev = event();
	cs_alert a = alert(&ev);
	for (size_t set = 0; set < 2; set++) {
		const char *odd = odds[set];
		for (size_t len = 12; len < 330; len += len < 140 ? 1 : 7) {
			for (int brk = 0; brk < 3; brk++) {
				/* {"k":<spaces>"v..."}: the value holds the odd bytes */
				size_t vlen = len - 11 < nodd ? len - 11 : nodd;
				size_t sp = len - 9 - vlen, n = 0;
				memcpy(rec, "{\"k\":", 5);
				n = 5;
				memset(rec + n, ' ', sp);
				if (brk)
					rec[n + (len * 7) % sp] = brk == 1 ? '\n' : '\r';
				n += sp;
				rec[n++] = '"';
				memcpy(rec + n, odd, vlen);
				n += vlen;
				memcpy(rec + n, "\"}", 2);
				n += 2;
				assert_int_equal(n, len - 1);
				ev.json = rec;
				ev.len = n;
				size_t w = 0;
				memcpy(want, ",\"event\":", 9);
				w = 9;
				if (brk) {
					memcpy(want + w, "{\"k\":\"", 6);
					w += 6;
					memcpy(want + w, odd, vlen);
					w += vlen;
				} else {
					memcpy(want + w, rec, n - 2);
					w += n - 2;
				}
				memcpy(want + w, "\"}}\n", 4);
				w += 4;
				cs_buf b;
				render(CS_ALERT_JSONL, &a, &b);
				assert_true(b.len >= w);
				assert_memory_equal(b.data + b.len - w, want, w);
				cs_buf_release(&b);
			}
		}
	}
}

/* The rule's part of a JSON line is cached per thread: an alert whose rule
 * texts changed at the same addresses must not get the old ones. */
static void test_jsonl_rule_cache(void **state)
{
	(void)state;
	char title[32] = "First title", tag[16] = "attack.t1078";
	const char *one_tag[] = { tag, NULL };
	cs_event ev = event();
	cs_alert a = alert(&ev);
	a.title = title;
	a.tags = one_tag;
	cs_buf b;
	for (int i = 0; i < 2; i++) {
		render(CS_ALERT_JSONL, &a, &b);
		assert_non_null(strstr(b.data, "\"title\":\"First title\""));
		assert_non_null(strstr(b.data, "\"tags\":[\"attack.t1078\"]"));
		cs_buf_release(&b);
	}
	memcpy(title, "Other title", 12);
	render(CS_ALERT_JSONL, &a, &b);
	assert_non_null(strstr(b.data, "\"title\":\"Other title\""));
	cs_buf_release(&b);
	memcpy(tag, "attack.t1098", 13);
	render(CS_ALERT_JSONL, &a, &b);
	assert_non_null(strstr(b.data, "\"tags\":[\"attack.t1098\"]"));
	cs_buf_release(&b);
	a.domain = NULL;
	render(CS_ALERT_JSONL, &a, &b);
	assert_non_null(strstr(b.data, "\"domain\":null"));
	cs_buf_release(&b);
}

/* Matched values are escaped as cs_json_write_str escapes them (RFC 8259:
 * '"', '\\' and control characters; cshare also escapes "</" and U+2028,
 * U+2029), at any position relative to the writer's 8-byte steps. */
static void test_jsonl_escapes(void **state)
{
	(void)state;
	static const char *const vals[] = {
		"plain value without specials, longer than eight bytes",
		"a\"b\\c\nd\re\tf\bg\fh\x01i\x1fj",
		"12345678</script>12345678/path/x",
		"1234567</b>",
		"1234567\xe2\x80\xa8" "after\xe2\x80\xa9" "end\xe2\x82\xac" "euro",
		"\xe2\x80",
		"",
		"1234567\"",
		"12345678\x7f\xc3\xa9",
	};
	static const char *const names[] = { "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", NULL };
	cs_event ev = event();
	cs_alert a = alert(&ev);
	a.fields = names;
	a.values = vals;
	a.nfields = 9;
	cs_buf b, want;
	cs_buf_init(&want, 0);
	assert_int_equal(cs_buf_puts(&want, ",\"matched\":["), CS_OK);
	for (size_t i = 0; i < 9; i++) {
		assert_int_equal(cs_buf_puts(&want, i ? ",{\"field\":" : "{\"field\":"), CS_OK);
		if (names[i])
			assert_int_equal(cs_json_write_str(&want, names[i], strlen(names[i])), CS_OK);
		else
			assert_int_equal(cs_buf_puts(&want, "null"), CS_OK);
		assert_int_equal(cs_buf_puts(&want, ",\"value\":"), CS_OK);
		assert_int_equal(cs_json_write_str(&want, vals[i], strlen(vals[i])), CS_OK);
		assert_int_equal(cs_buf_putc(&want, '}'), CS_OK);
	}
	assert_int_equal(cs_buf_puts(&want, "],\"event\":"), CS_OK);
	render(CS_ALERT_JSONL, &a, &b);
	assert_non_null(strstr(b.data, want.data));
	/* and by hand, from RFC 8259's escapes */
	assert_non_null(strstr(b.data, "\"value\":\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u001fj\""));
	assert_non_null(strstr(b.data, "\"value\":\"12345678<\\/script>12345678/path/x\""));
	assert_non_null(strstr(b.data, "\"value\":\"1234567<\\/b>\""));
	assert_non_null(strstr(b.data, "\"value\":\"1234567\\u2028after\\u2029end\xe2\x82\xac" "euro\""));
	cs_buf_release(&b);
	cs_buf_release(&want);
}

/* Times: UTC, milliseconds, the first and last representable years, and
 * the date (and the time to the second) reused across alerts only while
 * the day (the second) is the same. */
static void test_jsonl_times(void **state)
{
	(void)state;
	static const struct {
		int64_t ms;
		const char *want;
	} tab[] = {
		{ 0, "\"time\":\"1970-01-01T00:00:00.000Z\"" },
		{ 86399999, "\"time\":\"1970-01-01T23:59:59.999Z\"" },
		{ 86400000, "\"time\":\"1970-01-02T00:00:00.000Z\"" },
		{ -1, "\"time\":\"1969-12-31T23:59:59.999Z\"" },
		{ 951782400000, "\"time\":\"2000-02-29T00:00:00.000Z\"" },
		{ 1704164645123, "\"time\":\"2024-01-02T03:04:05.123Z\"" },
		{ 1704164645007, "\"time\":\"2024-01-02T03:04:05.007Z\"" },
		{ 1704164646000, "\"time\":\"2024-01-02T03:04:06.000Z\"" },
		{ 1704164645999, "\"time\":\"2024-01-02T03:04:05.999Z\"" },
		/* the same minute with other seconds, then the next minute */
		{ 1704164699999, "\"time\":\"2024-01-02T03:04:59.999Z\"" },
		{ 1704164640000, "\"time\":\"2024-01-02T03:04:00.000Z\"" },
		/* just before the minute kept, then just after the one before */
		{ 1704164639999, "\"time\":\"2024-01-02T03:03:59.999Z\"" },
		{ 1704164640001, "\"time\":\"2024-01-02T03:04:00.001Z\"" },
		{ 1704164580000, "\"time\":\"2024-01-02T03:03:00.000Z\"" },
		{ 1704164700000, "\"time\":\"2024-01-02T03:05:00.000Z\"" },
		{ -61000, "\"time\":\"1969-12-31T23:58:59.000Z\"" },
		{ -60001, "\"time\":\"1969-12-31T23:58:59.999Z\"" },
		{ -60000, "\"time\":\"1969-12-31T23:59:00.000Z\"" },
		{ -1000, "\"time\":\"1969-12-31T23:59:59.000Z\"" },
		{ 1704251045123, "\"time\":\"2024-01-03T03:04:05.123Z\"" },
		{ 253402300799999, "\"time\":\"9999-12-31T23:59:59.999Z\"" },
		{ 253402300800000, "\"time\":null" },
		{ 253402300800999, "\"time\":null" },
		{ 253402300799000, "\"time\":\"9999-12-31T23:59:59.000Z\"" },
		{ -62167219200000, "\"time\":\"0000-01-01T00:00:00.000Z\"" },
		{ -62167219200001, "\"time\":null" },
		{ INT64_MIN, "\"time\":null" },
		{ 0, "\"time\":\"1970-01-01T00:00:00.000Z\"" },
	};
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		cs_event ev = event();
		ev.time_ms = tab[i].ms;
		cs_alert a = alert(&ev);
		cs_buf b;
		render(CS_ALERT_JSONL, &a, &b);
		if (!strstr(b.data, tab[i].want))
			fail_msg("%lld: want %s in %s", (long long)tab[i].ms, tab[i].want, b.data);
		cs_buf_release(&b);
	}
}

/* Offsets and lines in decimal, for every count of digits. */
static void test_jsonl_numbers(void **state)
{
	(void)state;
	static const struct {
		uint64_t off;
		uint32_t line;
		const char *want;
	} tab[] = {
		{ 0, 1, "\"offset\":0,\"line\":1," },
		{ 9, 10, "\"offset\":9,\"line\":10," },
		{ 99, 100, "\"offset\":99,\"line\":100," },
		{ 1000, 4294967295u, "\"offset\":1000,\"line\":4294967295," },
		{ 12345, 0, "\"offset\":12345,\"line\":null," },
		{ 18446744073709551615u, 7, "\"offset\":18446744073709551615,\"line\":7," },
	};
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		cs_event ev = event();
		ev.offset = tab[i].off;
		ev.line = tab[i].line;
		cs_alert a = alert(&ev);
		cs_buf b;
		render(CS_ALERT_JSONL, &a, &b);
		if (!strstr(b.data, tab[i].want))
			fail_msg("want %s in %s", tab[i].want, b.data);
		cs_buf_release(&b);
	}
	/* each side of every power of ten: 10^k - 1 is k nines, 10^k a one
	 * and k zeros */
	uint64_t p = 1;
	for (unsigned k = 1; k <= 19; k++) {
		p *= 10;
		for (int side = 0; side < 2; side++) {
			char want[64];
			size_t n = 0;
			memcpy(want, "\"offset\":", 9);
			n = 9;
			if (side == 0) {
				memset(want + n, '9', k);
			} else {
				want[n++] = '1';
				memset(want + n, '0', k);
			}
			n += k;
			memcpy(want + n, ",\"line\":7,", 11);
			want[n + 11] = '\0';
			cs_event ev = event();
			ev.offset = side == 0 ? p - 1 : p;
			ev.line = 7;
			cs_alert a = alert(&ev);
			cs_buf b;
			render(CS_ALERT_JSONL, &a, &b);
			if (!strstr(b.data, want))
				fail_msg("want %s in %s", want, b.data);
			cs_buf_release(&b);
		}
	}
}

/* The matcher's per-rule memo (cs_alert.memo): the same bytes as without
 * it, on first use and after; more fields than it keeps, and a NULL name,
 * go the direct way. */
static void test_jsonl_memo(void **state)
{
	(void)state;
	static const char *const many[] = { "a", "b", "c", "d", "e", "f", "g", "h", "i" };
	static const char *const mvals[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9" };
	static const char *const odd[] = { "x/y", NULL };
	static const char *const oddv[] = { "v</w", "\"q\"" };
	cs_alert_memo memo;
	memset(&memo, 0, sizeof memo);
	for (int round = 0; round < 3; round++) {
		cs_event ev = event();
		cs_alert a = alert(&ev);
		if (round == 1) {
			a.fields = many;
			a.values = mvals;
			a.nfields = 9;
		} else if (round == 2) {
			a.fields = odd;
			a.values = oddv;
			a.nfields = 2;
		}
		for (int k = 0; k < 2; k++) {
			cs_buf plain, with;
			render(CS_ALERT_JSONL, &a, &plain);
			a.memo = &memo;
			render(CS_ALERT_JSONL, &a, &with);
			a.memo = NULL;
			assert_string_equal(with.data, plain.data);
			cs_buf_release(&plain);
			render(CS_ALERT_OCSF, &a, &plain);
			a.memo = &memo;
			cs_buf_release(&with);
			render(CS_ALERT_OCSF, &a, &with);
			a.memo = NULL;
			assert_string_equal(with.data, plain.data);
			cs_buf_release(&plain);
			cs_buf_release(&with);
		}
	}
	assert_non_null(memo.jsonl);
	assert_int_equal(memo.nf, 3); /* eventName, userIdentity.type, x/y */
	/* with the values' lengths given (as the matcher does): the same */
	static const size_t lens[] = { 12, 4 };
	for (int k = 0; k < 3; k++) {
		cs_event ev = event();
		cs_alert a = alert(&ev);
		cs_buf plain, with;
		render(k == 2 ? CS_ALERT_OCSF : CS_ALERT_JSONL, &a, &plain);
		a.memo = k ? &memo : NULL;
		a.value_lens = lens;
		render(k == 2 ? CS_ALERT_OCSF : CS_ALERT_JSONL, &a, &with);
		assert_string_equal(with.data, plain.data);
		cs_buf_release(&plain);
		cs_buf_release(&with);
	}
	cs__alert_memo_release(&memo);
}

/* The memo keeps the last matched-fields array: an alert whose values
 * changed (also in place, at the same addresses and lengths), that has
 * fewer fields, or a value NULL where the last had text, gets its own
 * array; one with the same values gets the same bytes. */
static void test_jsonl_memo_matched(void **state)
{
	(void)state;
	char v0[] = "ConsoleLogin", v1[] = "Root";
	const char *vals[] = { v0, v1 };
	const char *nullv[] = { v0, NULL };
	cs_alert_memo memo;
	memset(&memo, 0, sizeof memo);
	static const struct {
		int edit; /* 0 none, 1 in place, 2 one field, 3 NULL value, 4 back */
		const char *want;
	} steps[] = {
		{ 0, "\"matched\":[{\"field\":\"eventName\",\"value\":\"ConsoleLogin\"},"
		     "{\"field\":\"userIdentity.type\",\"value\":\"Root\"}]," },
		{ 0, "\"matched\":[{\"field\":\"eventName\",\"value\":\"ConsoleLogin\"},"
		     "{\"field\":\"userIdentity.type\",\"value\":\"Root\"}]," },
		{ 1, "\"matched\":[{\"field\":\"eventName\",\"value\":\"ConsoleLogin\"},"
		     "{\"field\":\"userIdentity.type\",\"value\":\"User\"}]," },
		{ 2, "\"matched\":[{\"field\":\"eventName\",\"value\":\"ConsoleLogin\"}]," },
		{ 3, "\"matched\":[{\"field\":\"eventName\",\"value\":\"ConsoleLogin\"},"
		     "{\"field\":\"userIdentity.type\",\"value\":null}]," },
		{ 4, "\"matched\":[{\"field\":\"eventName\",\"value\":\"ConsoleLogin\"},"
		     "{\"field\":\"userIdentity.type\",\"value\":\"User\"}]," },
	};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		cs_event ev = event();
		cs_alert a = alert(&ev);
		a.values = vals;
		a.memo = &memo;
		if (steps[i].edit == 1)
			memcpy(v1, "User", 4);
		else if (steps[i].edit == 2)
			a.nfields = 1;
		else if (steps[i].edit == 3)
			a.values = nullv;
		cs_buf b;
		render(CS_ALERT_JSONL, &a, &b);
		if (!strstr(b.data, steps[i].want))
			fail_msg("step %zu: want %s in %s", i, steps[i].want, b.data);
		cs_buf_release(&b);
	}
	assert_non_null(memo.mlast);
	cs__alert_memo_release(&memo);
	assert_null(memo.mlast);
}

/* A memo'd alert is written in one stretch reserved for the whole line
 * (an upper bound, a few hundred bytes over the line's length here); when
 * a buffer maximum refuses that, it is written piece by piece as before.
 * Under maxima from just below the line's length to past that bound it is
 * written whole (the same bytes as without a maximum) or fails with
 * CS_ELIMIT holding at most a part of the line, and once it has fitted it
 * always does; likewise without the memo.  Also for a record with line
 * breaks (written without them). */
static void test_jsonl_line_room(void **state)
{
	(void)state;
	static const char broken[] = "{\"eventVersion\":\"1.08\",\n\"eventName\":\r\n\"X\"}";
	cs_alert_memo memo;
	memset(&memo, 0, sizeof memo);
	for (int k = 0; k < 2; k++) {
		cs_event ev = event();
		if (k) {
			ev.json = broken;
			ev.len = sizeof broken - 1;
		}
		cs_alert a = alert(&ev);
		cs_buf full;
		render(CS_ALERT_JSONL, &a, &full);
		if (k)
			assert_non_null(strstr(full.data, "\"event\":{\"eventVersion\":\"1.08\","
							  "\"eventName\":\"X\"}}\n"));
		size_t n = full.len, fits[2] = { 0, 0 }, short_of[2] = { 0, 0 };
		for (size_t max = n - 4; max < n + 1000; max++) {
			for (int memod = 0; memod < 2; memod++) {
				cs_buf m;
				cs_alert_opts o = { CS_ALERT_JSONL, false, "0.1.0", 42 };
				cs_buf_init(&m, max);
				a.memo = memod ? &memo : NULL;
				cs_err rc = cs_alert_write(&m, &o, &a);
				if (rc == CS_OK) {
					assert_string_equal(m.data, full.data);
					fits[memod]++;
				} else {
					assert_int_equal(rc, CS_ELIMIT);
					assert_true(m.len < n);
					if (m.len)
						assert_memory_equal(m.data, full.data, m.len);
					assert_int_equal(fits[memod], 0);
					short_of[memod]++;
				}
				cs_buf_release(&m);
			}
		}
		assert_true(fits[0] > 0 && fits[1] > 0 && short_of[0] >= 4 && short_of[1] >= 4);
		cs_buf_release(&full);
	}
	cs__alert_memo_release(&memo);
}

/* The event's file, product and service are kept escaped per thread: a
 * text changed at the same address must not get the old one; a file name
 * longer than what is kept is written directly. */
static void test_jsonl_event_texts(void **state)
{
	(void)state;
	char file[400] = "logs/a\"1.json", product[8] = "aws";
	cs_event ev = event();
	ev.file = file;
	ev.product = product;
	cs_alert a = alert(&ev);
	cs_buf b;
	for (int i = 0; i < 2; i++) {
		render(CS_ALERT_JSONL, &a, &b);
		assert_non_null(strstr(b.data, "\"file\":\"logs/a\\\"1.json\""));
		assert_non_null(strstr(b.data, "\"product\":\"aws\""));
		cs_buf_release(&b);
	}
	memcpy(file, "logs/b</c.json", 15);
	memcpy(product, "gcp", 4);
	render(CS_ALERT_JSONL, &a, &b);
	assert_non_null(strstr(b.data, "\"file\":\"logs/b<\\/c.json\""));
	assert_non_null(strstr(b.data, "\"product\":\"gcp\""));
	cs_buf_release(&b);
	memset(file, 'x', 399);
	file[0] = '"';
	file[399] = '\0';
	render(CS_ALERT_JSONL, &a, &b);
	assert_non_null(strstr(b.data, "\"file\":\"\\\"xxxxxxxx"));
	assert_non_null(strstr(b.data, "xxxx\",\"offset\":10,"));
	cs_buf_release(&b);
}

static void test_ocsf(void **state)
{
	(void)state;
	cs_event ev = event();
	cs_alert a = alert(&ev);
	cs_buf b;
	render(CS_ALERT_OCSF, &a, &b);
	cs_arena *ar = cs_arena_new(0);
	cs_diag_sink sink = { 0 };
	const cs_value *v;
	assert_int_equal(cs_json_parse(ar, "ocsf", b.data, b.len, NULL, &sink, &v, NULL), CS_OK);
	/* required by OCSF 1.8.0 for class 2004 (base_event, finding) */
	assert_true(cs_value_num(get(v, "class_uid")) == 2004.0);
	assert_true(cs_value_num(get(v, "category_uid")) == 2.0);
	assert_true(cs_value_num(get(v, "activity_id")) == 1.0);
	assert_true(cs_value_num(get(v, "type_uid")) == 200401.0);
	assert_true(cs_value_num(get(v, "severity_id")) == 4.0); /* high */
	assert_true(cs_value_num(get(v, "time")) == 1704164645123.0);
	assert_true(cs_str_eqc(cs_value_str(get(v, "metadata.version")), "1.8.0"));
	assert_true(cs_str_eqc(cs_value_str(get(v, "metadata.product.name")), "cshare"));
	assert_true(cs_str_eqc(cs_value_str(get(v, "finding_info.uid")),
			       "6d3a5d6c-0000-4000-8000-000000000001:logs/a.json@10"));
	assert_true(cs_str_eqc(cs_value_str(get(v, "finding_info.analytic.uid")),
			       "6d3a5d6c-0000-4000-8000-000000000001"));
	assert_true(cs_str_eqc(cs_value_str(get(cs_value_at(get(v, "finding_info.attacks"), 0), "technique.uid")),
			       "T1078.004"));
	assert_int_equal(cs_value_len(get(v, "finding_info.attacks")), 1);
	assert_true(cs_str_eqc(cs_value_str(get(v, "cloud.provider")), "AWS"));
	assert_true(cs_str_eqc(cs_value_str(get(cs_value_at(get(v, "evidences"), 0), "data.event.eventName")),
			       "ConsoleLogin"));
	assert_true(cs_str_eqc(cs_value_str(get(v, "raw_data")), RAW));
	assert_true(cs_str_eqc(cs_value_str(get(v, "unmapped.author")), "cshare"));
	assert_true(cs_str_eqc(cs_value_str(get(v, "unmapped.domain")), "iam.privileged_access"));
	cs_arena_free(ar);
	cs_buf_release(&b);
	/* no event time: the run's time; unknown level: severity 0 */
	ev.time_ms = INT64_MIN;
	a.level = "whatever";
	render(CS_ALERT_OCSF, &a, &b);
	assert_non_null(strstr(b.data, "\"severity_id\":0,\"severity\":\"Unknown\""));
	assert_non_null(strstr(b.data, "\"time\":42,"));
	cs_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse), cmocka_unit_test(test_text), cmocka_unit_test(test_csv),
		cmocka_unit_test(test_jsonl), cmocka_unit_test(test_jsonl_event),
		cmocka_unit_test(test_event_breaks_everywhere),
		cmocka_unit_test(test_jsonl_rule_cache), cmocka_unit_test(test_jsonl_escapes),
		cmocka_unit_test(test_jsonl_times), cmocka_unit_test(test_jsonl_numbers), cmocka_unit_test(test_jsonl_memo),
		cmocka_unit_test(test_jsonl_memo_matched),
		cmocka_unit_test(test_jsonl_event_texts), cmocka_unit_test(test_jsonl_line_room),
		cmocka_unit_test(test_ocsf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
