/* test_logreader.c - the log reader: every input layout and log format,
 * exact record spans, offsets, lines and times, and every kind of bad
 * input (malformed records, truncated gzip, binary files, oversized and
 * deeply nested records), plus --follow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <cmocka.h>

#include "cshare/detect.h"

/* library-internal (detect/logreader_int.h; that header pulls in banned.h) */
int64_t cs__lr_parse_time(const char *s, size_t n);

typedef struct {
	unsigned n;
	cs_diag d[8];
	char msg[8][256];
} capture;

static void cap(void *ud, const cs_diag *d)
{
	capture *c = ud;
	if (getenv("LR_DEBUG"))
		fprintf(stderr, "diag: %s:%u: %s\n", d->file ? d->file : "-", (unsigned)d->line, d->msg);
	if (c->n < 8) {
		c->d[c->n] = *d;
		snprintf(c->msg[c->n], sizeof c->msg[0], "%s", d->msg);
	}
	c->n++;
}

typedef struct {
	char json[8][512];
	cs_event ev[8];
	char file[8][256];
	unsigned n;
} events;

static char dir_tmpl[64];

static const char *tmpdir(void)
{
	snprintf(dir_tmpl, sizeof dir_tmpl, "/tmp/cs_lr_XXXXXX");
	assert_non_null(mkdtemp(dir_tmpl));
	return dir_tmpl;
}

static void rmrf(const char *d)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
	assert_int_equal(system(cmd), 0);
}

static void put(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void put_gz(const char *path, const char *data, size_t len)
{
	gzFile g = gzopen(path, "wb");
	assert_non_null(g);
	assert_int_equal(gzwrite(g, data, (unsigned)len), (int)len);
	gzclose(g);
}

/* Reads every event under the paths; keeps the first 8. */
static void read_all(const char *const *paths, size_t n, size_t max, capture *c, events *e)
{
	cs_diag_sink sink = { cap, c, 0, 0 };
	cs_logreader *lr;
	cs_event ev;
	cs_err rc;
	memset(c, 0, sizeof *c);
	memset(e, 0, sizeof *e);
	assert_int_equal(cs_logreader_new(&sink, &lr), CS_OK);
	if (max)
		assert_int_equal(cs_logreader_set_max_record(lr, max), CS_OK);
	for (size_t i = 0; i < n; i++)
		cs_logreader_add_path(lr, paths[i]);
	while ((rc = cs_logreader_next(lr, &ev)) == CS_OK) {
		if (e->n < 8) {
			assert_true(ev.len < sizeof e->json[0]);
			memcpy(e->json[e->n], ev.json, ev.len);
			snprintf(e->file[e->n], sizeof e->file[0], "%s", ev.file);
			e->ev[e->n] = ev;
		}
		e->n++;
	}
	assert_int_equal(rc, CS_ENOENT);
	cs_logreader_free(lr);
}

static void read_one(const char *path, size_t max, capture *c, events *e)
{
	read_all(&path, 1, max, c, e);
}

#define CT1 "{\"eventVersion\":\"1.08\",\"eventTime\":\"2024-01-02T03:04:05Z\",\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\"}"
#define CT2 "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"Root\",\"arn\":\"x]}\\\"\"},\"eventTime\":\"2023-12-31T22:00:00Z\",\"eventName\":\"ConsoleLogin\"}"

static void test_records_file(void **state)
{
	(void)state;
	const char *d = tmpdir();
	char path[128];
	const char *text = "{\"Records\": [\n  " CT1 ",\n  " CT2 "\n]}\n";
	snprintf(path, sizeof path, "%s/ct.json", d);
	put(path, text, strlen(text));
	capture c;
	events e;
	read_one(path, 0, &c, &e);
	assert_int_equal(c.n, 0);
	assert_int_equal(e.n, 2);
	assert_string_equal(e.json[0], CT1);
	assert_string_equal(e.json[1], CT2);
	assert_int_equal(e.ev[0].offset, 16);
	assert_int_equal(e.ev[0].line, 2);
	assert_int_equal(e.ev[1].offset, 16 + strlen(CT1) + 4);
	assert_int_equal(e.ev[1].line, 3);
	/* each record follows two spaces on its line */
	assert_int_equal(e.ev[0].col, 3);
	assert_int_equal(e.ev[1].col, 3);
	assert_string_equal(e.ev[0].product, "aws");
	assert_string_equal(e.ev[0].service, "cloudtrail");
	assert_true(e.ev[0].time_ms == 1704164645000LL);
	assert_true(e.ev[1].time_ms == 1704060000000LL);
	assert_string_equal(e.file[0], path);
	rmrf(d);
}

static void test_gzip_and_s3_layout(void **state)
{
	(void)state;
	const char *d = tmpdir();
	char p[256];
	const char *a = "{\"Records\":[" CT1 "]}";
	const char *b = "{\"Records\":[" CT2 "," CT1 "]}";
	snprintf(p, sizeof p, "%s/AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/02", d);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "mkdir -p '%s' '%s/AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/03' "
		 "'%s/AWSLogs/111122223333/CloudTrail-Digest/us-east-1'", p, d, d);
	assert_int_equal(system(cmd), 0);
	char f[300];
	snprintf(f, sizeof f, "%s/111122223333_CloudTrail_us-east-1_20240102T0000Z_b.json.gz", p);
	put_gz(f, a, strlen(a));
	snprintf(f, sizeof f, "%s/AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/03/x.json.gz", d);
	put_gz(f, b, strlen(b));
	snprintf(f, sizeof f, "%s/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/digest.json.gz", d);
	put_gz(f, "{\"awsAccountId\":\"1\"}", 20);
	capture c;
	events e;
	read_one(d, 0, &c, &e);
	assert_int_equal(c.n, 0);
	assert_int_equal(e.n, 3);
	assert_string_equal(e.json[0], CT1);
	assert_string_equal(e.json[1], CT2);
	assert_string_equal(e.json[2], CT1);
	assert_int_equal(e.ev[0].offset, 12); /* in the decompressed bytes */
	assert_non_null(strstr(e.file[1], "/2024/01/03/x.json.gz"));
	rmrf(d);
}

static void test_json_lines_malformed(void **state)
{
	(void)state;
	const char *d = tmpdir();
	char path[128];
	/* line 2 is cut short; line 3 is blank; CRLF endings on line 4 */
	const char *text = CT1 "\n{\"eventVersion\":\"1.08\",\"eventName\":\n\n" CT2 "\r\n";
	snprintf(path, sizeof path, "%s/ct.jsonl", d);
	put(path, text, strlen(text));
	capture c;
	events e;
	read_one(path, 0, &c, &e);
	assert_int_equal(e.n, 2);
	assert_string_equal(e.json[1], CT2);
	assert_int_equal(e.ev[1].line, 4);
	assert_int_equal(e.ev[1].offset, strstr(text, "\n\n") + 2 - text);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.d[0].sev, CS_SEV_ERROR);
	assert_int_equal(c.d[0].line, 2);
	/* the cut line is 35 bytes long and does not end with '}': the problem
	 * is its last byte */
	assert_int_equal(c.d[0].col, 35);
	assert_int_equal(e.ev[0].col, 1);
	assert_int_equal(e.ev[1].col, 1);
	char want[160];
	snprintf(want, sizeof want,
		 "byte offset %zu: malformed record skipped: incomplete record (it does not end with "
		 "'}') (at byte offset %zu)",
		 strlen(CT1) + 1, strlen(CT1) + 1 + 34);
	assert_non_null(strstr(c.msg[0], want));
	rmrf(d);
}

static void test_formats(void **state)
{
	(void)state;
	const char *d = tmpdir();
	char path[128];
	const char *text =
		"{\"version\":\"0\",\"detail-type\":\"AWS API Call via CloudTrail\",\"time\":\"2024-01-02T00:00:00Z\","
		"\"detail\":{\"eventVersion\":\"1.08\",\"eventTime\":\"2024-01-02T03:04:05Z\",\"eventName\":\"StopLogging\"}}\n"
		"{\"time\":\"2024-01-02T03:04:05.1234567Z\",\"category\":\"SignInLogs\",\"operationName\":\"Sign-in activity\"}\n"
		"{\"time\":\"2024-01-02T03:04:05Z\",\"category\":\"NonInteractiveUserSignInLogs\",\"operationName\":\"x\"}\n"
		"{\"time\":\"2024-01-02T03:04:05Z\",\"category\":\"AuditLogs\",\"operationName\":\"Add member to role\"}\n"
		"{\"time\":\"2024-01-02T05:04:05+02:00\",\"category\":\"Administrative\",\"resourceId\":\"/SUBSCRIPTIONS/X\"}\n"
		"{\"protoPayload\":{\"methodName\":\"SetIamPolicy\"},\"logName\":\"projects/p/logs/cloudaudit.googleapis.com%2Factivity\",\"timestamp\":\"2024-01-02T03:04:05.123456789Z\"}\n"
		"{\"uuid\":\"u\",\"published\":\"2024-01-02T03:04:05.000Z\",\"eventType\":\"user.session.start\",\"actor\":{}}\n"
		"{\"@timestamp\":1704164645000,\"action\":\"repo.destroy\",\"actor\":\"octocat\",\"org\":\"o\"}\n";
	snprintf(path, sizeof path, "%s/mixed.jsonl", d);
	put(path, text, strlen(text));
	capture c;
	events e;
	read_one(path, 0, &c, &e);
	assert_int_equal(c.n, 0);
	assert_int_equal(e.n, 8);
	assert_string_equal(e.json[0], "{\"eventVersion\":\"1.08\",\"eventTime\":\"2024-01-02T03:04:05Z\",\"eventName\":\"StopLogging\"}");
	assert_int_equal(e.ev[0].offset, strstr(text, "{\"eventVersion") - text);
	assert_int_equal(e.ev[0].line, 1);
	static const char *const want[8][2] = {
		{ "aws", "cloudtrail" }, { "azure", "signinlogs" }, { "azure", "signinlogs" },
		{ "azure", "auditlogs" }, { "azure", "activitylogs" }, { "gcp", "gcp.audit" },
		{ "okta", "okta" }, { "github", "audit" },
	};
	static const int64_t ms[8] = { 1704164645000LL, 1704164645123LL, 1704164645000LL, 1704164645000LL,
				       1704164645000LL, 1704164645123LL, 1704164645000LL, 1704164645000LL };
	for (unsigned i = 0; i < 8; i++) {
		assert_string_equal(e.ev[i].product, want[i][0]);
		assert_string_equal(e.ev[i].service, want[i][1]);
		assert_true(e.ev[i].time_ms == ms[i]);
		assert_int_equal(e.ev[i].line, i + 1);
	}
	rmrf(d);
}

static void test_azure_records_and_arrays(void **state)
{
	(void)state;
	const char *d = tmpdir();
	char p1[128], p2[128], p3[128];
	const char *az = "{\"records\":[{\"time\":\"2024-01-02T03:04:05Z\",\"category\":\"AuditLogs\",\"operationName\":\"a\"},"
			 "{\"time\":\"2024-01-02T03:04:05Z\",\"category\":{\"value\":\"SignInLogs\"},\"operationName\":\"b\"}]}";
	const char *okta = "[\n{\"published\":\"2024-01-02T03:04:05Z\",\"eventType\":\"x\"}\n]\n"
			   "{\"TenantId\":\"t\",\"TimeGenerated\":\"2024-01-02T03:04:05Z\",\"Type\":\"SigninLogs\",\"ResultType\":\"50126\"}\n"
			   "{\"TimeGenerated\":\"2024-01-02T03:04:06Z\",\"Type\":\"AuditLogs\",\"OperationName\":\"x\"}\n"
			   "{\"TimeGenerated\":\"2024-01-02T03:04:07Z\",\"Type\":\"AzureActivity\",\"OperationNameValue\":\"x\"}\n"
			   "{\"TimeGenerated\":\"2024-01-02T03:04:07Z\",\"Type\":\"Heartbeat\"}\n";
	const char *pretty = "{\n  \"eventVersion\": \"1.08\",\n  \"eventTime\": \"2024-01-02T03:04:05Z\"\n}\n{\n \"eventVersion\": \"1.09\"\n}\n";
	snprintf(p1, sizeof p1, "%s/az.json", d);
	snprintf(p2, sizeof p2, "%s/okta.json", d);
	snprintf(p3, sizeof p3, "%s/pretty.json", d);
	put(p1, az, strlen(az));
	put(p2, okta, strlen(okta));
	put(p3, pretty, strlen(pretty));
	const char *paths[] = { p1, p2, p3 };
	capture c;
	events e;
	read_all(paths, 3, 0, &c, &e);
	assert_int_equal(c.n, 1); /* the Heartbeat row is of no known log */
	assert_non_null(strstr(c.msg[0], "1 record(s) of no known log format skipped"));
	assert_int_equal(e.n, 8);
	assert_string_equal(e.ev[0].service, "auditlogs");
	assert_string_equal(e.ev[1].service, "signinlogs");
	assert_string_equal(e.ev[2].product, "okta");
	assert_int_equal(e.ev[2].line, 2);
	assert_int_equal(e.ev[2].offset, 2);
	/* Log Analytics rows, told apart by their table (Type) */
	assert_string_equal(e.ev[3].product, "azure");
	assert_string_equal(e.ev[3].service, "signinlogs");
	assert_true(e.ev[3].time_ms == 1704164645000LL);
	assert_int_equal(e.ev[3].line, 4);
	assert_string_equal(e.ev[4].service, "auditlogs");
	assert_string_equal(e.ev[5].service, "activitylogs");
	assert_true(e.ev[5].time_ms == 1704164647000LL);
	assert_int_equal(e.ev[6].line, 1);
	assert_int_equal(e.ev[7].line, 5);
	assert_int_equal(e.ev[7].offset, strstr(pretty, "}\n{") + 2 - pretty);
	assert_true(e.ev[7].time_ms == INT64_MIN);
	rmrf(d);
}

/* 1 + the newlines in t[0..off): the line of byte `off`. */
static uint32_t line_at(const char *t, size_t off)
{
	uint32_t line = 1;
	for (size_t i = 0; i < off; i++)
		line += t[i] == '\n';
	return line;
}

/* A pretty-printed Records file: records span lines (counted while they
 * are framed), one has more object and array members than the framing
 * notes before its time, one is EventBridge-wrapped, and the last breaks
 * the structure. */
static void test_records_pretty(void **state)
{
	(void)state;
	const char *d = tmpdir();
	char path[128];
	const char *text =
		"{\n  \"Records\": [\n"
		"    {\n      \"eventVersion\": \"1.08\",\n      \"userIdentity\": {\n        \"type\": \"Root\",\n"
		"        \"arn\": \"x]}\\\"\\n\"\n      },\n      \"eventTime\": \"2024-01-02T03:04:05Z\"\n    },\n"
		"    {\"eventVersion\": \"1.08\", \"a\": [1], \"b\": {\"c\": [2]}, \"c\": [], \"d\": {}, \"e\": [[]],\n"
		"     \"f\": [\"]\"], \"g\": {\"}\": 1}, \"h\": [3], \"i\": [4], \"j\": {\"k\": {}},\n"
		"     \"eventTime\": \"2024-01-02T03:04:06Z\"},\n"
		"    {\"version\": \"0\", \"detail-type\": \"AWS API Call via CloudTrail\", \"time\": \"2024-01-02T00:00:00Z\",\n"
		"     \"detail\": {\"eventVersion\": \"1.08\", \"tls\": {\"v\": [1]},\n \"eventTime\": \"2024-01-02T03:04:07Z\"}},\n"
		"    {\"eventVersion\": \"1.08\",\n     \"x\": [}\n  ]\n}\n";
	snprintf(path, sizeof path, "%s/pretty.json", d);
	put(path, text, strlen(text));
	capture c;
	events e;
	read_one(path, 0, &c, &e);
	assert_int_equal(e.n, 3);
	size_t o0 = (size_t)(strstr(text, "{\n      \"eventVersion\"") - text);
	size_t o1 = (size_t)(strstr(text, "{\"eventVersion\": \"1.08\", \"a\"") - text);
	size_t o2 = (size_t)(strstr(text, "{\"eventVersion\": \"1.08\", \"tls\"") - text);
	assert_int_equal(e.ev[0].offset, o0);
	assert_int_equal(e.ev[0].line, line_at(text, o0));
	assert_int_equal(e.ev[0].line, 3);
	assert_int_equal(e.ev[0].col, 5); /* "    {" */
	assert_int_equal(e.ev[1].col, 5);
	assert_true(e.ev[0].time_ms == 1704164645000LL);
	assert_int_equal(e.ev[1].offset, o1);
	assert_int_equal(e.ev[1].line, line_at(text, o1));
	assert_true(e.ev[1].time_ms == 1704164646000LL);
	/* EventBridge: the event is the detail, its line that of the record */
	assert_int_equal(e.ev[2].offset, o2);
	assert_int_equal(e.ev[2].line, line_at(text, (size_t)(strstr(text, "{\"version\"") - text)));
	assert_true(e.ev[2].time_ms == 1704164647000LL);
	/* its detail starts on a later line than the record (whose line the
	 * event keeps): no column */
	assert_int_equal(e.ev[2].col, 0);
	assert_int_equal(e.ev[2].len, strlen("{\"eventVersion\": \"1.08\", \"tls\": {\"v\": [1]},\n \"eventTime\": \"2024-01-02T03:04:07Z\"}"));
	/* the broken record ends the file, reported where it breaks */
	assert_int_equal(c.n, 1);
	char want[96];
	snprintf(want, sizeof want, "byte offset %zu: malformed record: unexpected '}'; rest of file skipped",
		 (size_t)(strstr(text, "[}") - text) + 1);
	assert_non_null(strstr(c.msg[0], want));
	rmrf(d);
}

/* A number that swallows an opening bracket (a malformed record the
 * scanner frames all the same): classified as malformed, as on a line,
 * not stepped over with the framing's notes, which are about other
 * brackets. */
static void test_records_malformed_value(void **state)
{
	(void)state;
	const char *d = tmpdir();
	char p1[128], p2[128];
	const char *rec = "{\"eventVersion\":\"1.08\",\"a\":-[,\"b\":[1]],\"eventTime\":\"2024-01-02T03:04:05Z\"}";
	char text[256];
	snprintf(text, sizeof text, "{\"Records\":[%s," CT1 "]}", rec);
	snprintf(p1, sizeof p1, "%s/r.json", d);
	put(p1, text, strlen(text));
	snprintf(p2, sizeof p2, "%s/r.jsonl", d);
	char lines[256];
	snprintf(lines, sizeof lines, "%s\n" CT1 "\n", rec);
	put(p2, lines, strlen(lines));
	capture c;
	events e;
	read_one(p1, 0, &c, &e);
	assert_int_equal(e.n, 1);
	assert_string_equal(e.json[0], CT1);
	assert_int_equal(c.n, 1);
	/* "-[" reads as a (bad) number up to the comma, [1] is the value of
	 * "b", and the ']' after it, 37 bytes into the record, is the problem */
	assert_non_null(strstr(c.msg[0], "byte offset 12: malformed record skipped: ',' or '}' expected after an object member (at byte offset 49)"));
	assert_int_equal(c.d[0].line, 1);
	assert_int_equal(c.d[0].col, 50);
	read_one(p2, 0, &c, &e);
	assert_int_equal(e.n, 1);
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.msg[0], "byte offset 0: malformed record skipped: ',' or '}' expected after an object member (at byte offset 37)"));
	assert_int_equal(c.d[0].line, 1);
	assert_int_equal(c.d[0].col, 38);
	rmrf(d);
}

static void test_truncated_gzip(void **state)
{
	(void)state;
	const char *d = tmpdir();
	char path[128];
	char text[4096] = "";
	for (int i = 0; i < 20; i++)
		strcat(text, CT1 "\n"); /* NOLINT: fixed sizes */
	snprintf(path, sizeof path, "%s/t.json.gz", d);
	put_gz(path, text, strlen(text));
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(truncate(path, st.st_size - 12), 0); /* drop the trailer and some data */
	capture c;
	events e;
	read_one(path, 0, &c, &e);
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.msg[0], "truncated gzip file"));
	assert_true(e.n < 20);
	assert_true(e.n >= 1);
	rmrf(d);
}

static void test_binary_and_unknown(void **state)
{
	(void)state;
	const char *d = tmpdir();
	char p1[128], p2[128], p3[128];
	snprintf(p1, sizeof p1, "%s/blob", d);
	snprintf(p2, sizeof p2, "%s/unknown.jsonl", d);
	snprintf(p3, sizeof p3, "%s/missing", d);
	put(p1, "\x7f" "ELF\0\1\2", 7);
	put(p2, "{\"hello\":1}\n{\"hello\":2}\n" CT1 "\n", 24 + strlen(CT1) + 1);
	const char *paths[] = { p1, p2, p3 };
	capture c;
	events e;
	cs_diag_sink sink = { cap, &c, 0, 0 };
	read_all(paths, 2, 0, &c, &e);
	assert_int_equal(e.n, 1);
	assert_int_equal(c.n, 2);
	assert_non_null(strstr(c.msg[0], "byte offset 0: not a JSON log: binary file"));
	assert_int_equal(c.d[1].sev, CS_SEV_WARNING);
	assert_non_null(strstr(c.msg[1], "2 record(s) of no known log format skipped (first at byte offset 0)"));
	/* a missing path is diagnosed when added */
	cs_logreader *lr;
	memset(&c, 0, sizeof c);
	assert_int_equal(cs_logreader_new(&sink, &lr), CS_OK);
	assert_int_equal(cs_logreader_add_path(lr, p3), CS_ENOENT);
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.msg[0], "cannot open: No such file or directory"));
	cs_logreader_free(lr);
	rmrf(d);
}

static void test_bom(void **state)
{
	(void)state;
	const char *d = tmpdir();
	char p1[128], p2[128];
	snprintf(p1, sizeof p1, "%s/bom.jsonl", d);
	snprintf(p2, sizeof p2, "%s/short", d);
	put(p1, "\xEF\xBB\xBF" CT1 "\n", 3 + strlen(CT1) + 1);
	put(p2, "\xEF\xBC", 2); /* not a byte order mark, and too short for one */
	const char *paths[] = { p1, p2 };
	capture c;
	events e;
	read_all(paths, 2, 0, &c, &e);
	assert_int_equal(e.n, 1);
	assert_int_equal(e.ev[0].offset, 3);
	assert_int_equal(e.ev[0].col, 1); /* columns count after the mark */
	assert_string_equal(e.json[0], CT1);
	assert_int_equal(c.n, 1);
	assert_non_null(strstr(c.msg[0], "byte offset 0: not a JSON log: a JSON object or array expected"));
	rmrf(d);
}

static void test_oversized(void **state)
{
	(void)state;
	const char *d = tmpdir();
	char p1[128], p2[128];
	size_t big = 3u << 20;
	char *text = malloc(big + 1024);
	assert_non_null(text);
	/* JSON lines: a 3 MiB line between two good ones, limit 4 KiB */
	size_t n = 0;
	n += (size_t)sprintf(text + n, "%s\n{\"eventVersion\":\"", CT1);
	memset(text + n, 'a', big);
	n += big;
	n += (size_t)sprintf(text + n, "\"}\n%s\n", CT2);
	snprintf(p1, sizeof p1, "%s/big.jsonl", d);
	put(p1, text, n);
	/* Records array: the same oversized element between good ones */
	n = 0;
	n += (size_t)sprintf(text + n, "{\"Records\":[%s,{\"eventVersion\":\"", CT1);
	memset(text + n, 'b', big);
	n += big;
	n += (size_t)sprintf(text + n, "\"},%s]}", CT2);
	snprintf(p2, sizeof p2, "%s/big.json", d);
	put(p2, text, n);
	free(text);
	const char *paths[] = { p1, p2 };
	capture c;
	events e;
	read_all(paths, 2, 4096, &c, &e);
	assert_int_equal(e.n, 4);
	assert_string_equal(e.json[0], CT1);
	assert_string_equal(e.json[1], CT2);
	assert_int_equal(e.ev[1].line, 3);
	assert_string_equal(e.json[2], CT1);
	assert_string_equal(e.json[3], CT2);
	assert_int_equal(c.n, 2);
	char want[96];
	snprintf(want, sizeof want, "byte offset %zu: record longer than the limit of 4096 bytes", strlen(CT1) + 1);
	assert_non_null(strstr(c.msg[0], want));
	snprintf(want, sizeof want, "byte offset %zu: record longer than the limit of 4096 bytes", 12 + strlen(CT1) + 1);
	assert_non_null(strstr(c.msg[1], want));
	rmrf(d);
}

static void test_deep_nesting(void **state)
{
	(void)state;
	const char *d = tmpdir();
	char p1[128], p2[128];
	size_t depth = 100000;
	char *text = malloc(2 * depth + 256);
	assert_non_null(text);
	size_t n = (size_t)sprintf(text, "{\"a\":");
	memset(text + n, '[', depth);
	n += depth;
	memset(text + n, ']', depth);
	n += depth;
	n += (size_t)sprintf(text + n, "}\n%s\n", CT1);
	snprintf(p1, sizeof p1, "%s/deep.jsonl", d);
	put(p1, text, n);
	n = (size_t)sprintf(text, "{\"Records\":[" CT1 ",");
	memset(text + n, '{', depth);
	n += depth;
	snprintf(p2, sizeof p2, "%s/deep.json", d);
	put(p2, text, n);
	free(text);
	const char *paths[] = { p1, p2 };
	capture c;
	events e;
	read_all(paths, 2, 0, &c, &e);
	assert_int_equal(e.n, 2); /* the good line after the deep one, and the first element */
	assert_int_equal(c.n, 2);
	assert_non_null(strstr(c.msg[0], "byte offset 0: malformed record skipped: nesting too deep"));
	assert_non_null(strstr(c.msg[1], "nesting too deep; rest of file skipped"));
	rmrf(d);
}

static void test_time(void **state)
{
	(void)state;
#define T(s) cs__lr_parse_time(s, strlen(s))
	assert_true(T("2024-01-02T03:04:05Z") == 1704164645000LL);
	assert_true(T("2000-02-29T23:59:59Z") == 951868799000LL);
	assert_true(T("1969-12-31T23:59:59Z") == -1000);
	assert_true(T("2024-01-02 03:04:05.5Z") == 1704164645500LL);
	assert_true(T("2024-01-02T04:04:05+01:00") == 1704164645000LL);
	assert_true(T("2024-01-02T02:34:05-00:30") == 1704164645000LL);
	assert_true(T("2024-01-02T03:04:05") == 1704164645000LL); /* no zone: UTC */
	assert_true(T("2024-02-30T00:00:00Z") == INT64_MIN);
	assert_true(T("2024-01-02T03:04:05Zx") == INT64_MIN);
	assert_true(T("2024-01-02") == INT64_MIN);
	assert_true(T("2024-01-02T03:04:05.Z") == INT64_MIN);
#undef T
}

/* --follow: the stop callback appends to the file and adds a new file,
 * then stops on its third call. */
typedef struct {
	int calls;
	char file[128], dir[128];
} follow_ctx;

static bool follow_stop(void *ud)
{
	follow_ctx *f = ud;
	f->calls++;
	if (f->calls == 1) {
		FILE *fp = fopen(f->file, "ab");
		assert_non_null(fp);
		fputs(CT2 "\n{\"eventVersion\":\"1.08\"}", fp); /* and a line without its end */
		fclose(fp);
		char p[256];
		snprintf(p, sizeof p, "%s/new.json", f->dir);
		put(p, "{\"Records\":[" CT1 "]}", 12 + strlen(CT1) + 2);
	}
	return f->calls >= 4;
}

static void test_follow(void **state)
{
	(void)state;
	const char *d = tmpdir();
	follow_ctx f = { 0 };
	snprintf(f.dir, sizeof f.dir, "%s", d);
	snprintf(f.file, sizeof f.file, "%s/a.jsonl", d);
	put(f.file, CT1 "\n", strlen(CT1) + 1);
	capture c = { 0 };
	cs_diag_sink sink = { cap, &c, 0, 0 };
	cs_logreader *lr;
	cs_event ev;
	assert_int_equal(cs_logreader_new(&sink, &lr), CS_OK);
	assert_int_equal(cs_logreader_follow(lr, 10, follow_stop, &f), CS_OK);
	assert_int_equal(cs_logreader_add_path(lr, d), CS_OK);
	unsigned n = 0;
	uint64_t offs[4] = { 0 };
	cs_err rc;
	while ((rc = cs_logreader_next(lr, &ev)) == CS_OK) {
		if (n < 4)
			offs[n] = ev.offset;
		n++;
	}
	assert_int_equal(rc, CS_ENOENT);
	assert_int_equal(c.n, 0);
	assert_int_equal(n, 4); /* CT1, CT2 appended, new.json, the unterminated line at stop */
	assert_int_equal(offs[1], strlen(CT1) + 1);
	assert_int_equal(offs[2], 12);
	assert_int_equal(offs[3], strlen(CT1) + 1 + strlen(CT2) + 1);
	assert_true(f.calls >= 4);
	cs_logreader_free(lr);
	rmrf(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records_file),
		cmocka_unit_test(test_gzip_and_s3_layout),
		cmocka_unit_test(test_json_lines_malformed),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_azure_records_and_arrays),
		cmocka_unit_test(test_records_pretty),
		cmocka_unit_test(test_records_malformed_value),
		cmocka_unit_test(test_truncated_gzip),
		cmocka_unit_test(test_binary_and_unknown),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_follow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
