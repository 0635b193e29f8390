/* test_sigma_shipped.c - the shipped rules (rules/) through the engine on
 * their test events (tests/cases/detect/<stem>/{positive,negative}*.json,
 * see its README): positive = exactly one alert of the rule under test (the
 * last document of its file), negative = none; filters (mf_*): positive =
 * none of the named rules alerts, negative = one of them does.
 * The log files are split into records here with a minimal reader (the
 * real one is cs_logreader): {"Records":[...]} is CloudTrail,
 * {"records":[...]} Azure, otherwise JSON lines (GCP, Okta, GitHub, Azure). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "cshare/detect.h"
#include "cshare/json.h"

typedef struct seen {
	char ids[64][64];
	size_t n;
} seen;

static void on_alert(void *ud, const cs_alert *a)
{
	seen *s = ud;
	if (s->n < 64)
		snprintf(s->ids[s->n++], sizeof s->ids[0], "%s", a->rule_id ? a->rule_id : "");
}

static int64_t parse_time(const cs_value *v)
{
	if (!v || cs_value_type(v) != CS_VSTRING)
		return INT64_MIN;
	cs_str s = cs_value_str(v);
	int y, mo, d, h = 0, mi = 0;
	double sec = 0;
	char buf[64];
	if (s.len >= sizeof buf)
		return INT64_MIN;
	memcpy(buf, s.ptr, s.len);
	buf[s.len] = '\0';
	if (sscanf(buf, "%d-%d-%dT%d:%d:%lf", &y, &mo, &d, &h, &mi, &sec) < 3)
		return INT64_MIN;
	/* days from civil (proleptic Gregorian) */
	int yy = y - (mo <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
	return ((int64_t)days * 86400 + h * 3600 + mi * 60) * 1000 + (int64_t)(sec * 1000);
}

/* Log source and time of one record. */
static void classify(const cs_value *r, bool cloudtrail, const char **p, const char **s,
		     int64_t *t)
{
	const cs_value *cat = cs_value_get(r, "category");
	if (cloudtrail || cs_value_get(r, "eventSource")) {
		*p = "aws", *s = "cloudtrail", *t = parse_time(cs_value_get(r, "eventTime"));
	} else if (cs_value_get(r, "protoPayload")) {
		*p = "gcp", *s = "gcp.audit", *t = parse_time(cs_value_get(r, "timestamp"));
	} else if (cs_value_get(r, "published")) {
		*p = "okta", *s = "okta", *t = parse_time(cs_value_get(r, "published"));
	} else if (cs_value_get(r, "@timestamp")) {
		*p = "github", *s = "audit", *t = INT64_MIN;
	} else {
		*p = "azure";
		*s = "activitylogs";
		if (cat && cs_value_type(cat) == CS_VSTRING) {
			cs_str c = cs_value_str(cat);
			if (c.len >= 10 && memcmp(c.ptr + c.len - 10, "SignInLogs", 10) == 0)
				*s = "signinlogs";
			else if (cs_str_eqc(c, "AuditLogs"))
				*s = "auditlogs";
		}
		*t = parse_time(cs_value_get(r, "time"));
	}
}

static void feed_record(cs_matcher *m, const cs_value *r, bool ct, const char *file, size_t i)
{
	cs_buf b;
	cs_buf_init(&b, 1u << 24);
	assert_int_equal(cs_json_write_value(&b, r), CS_OK);
	const char *p, *s;
	int64_t t;
	classify(r, ct, &p, &s, &t);
	cs_event e = { b.data, b.len, file, i, 0, p, s, t };
	cs_diag_sink sink = { 0 };
	assert_int_equal(cs_matcher_feed(m, &e, &sink), CS_OK);
	cs_buf_release(&b);
}

static void run_file(const cs_ruleset *rs, const char *path, seen *out)
{
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(cs_file_read(path, 64u << 20, &data, &len), CS_OK);
	cs_matcher *m = NULL;
	assert_int_equal(cs_matcher_new(rs, on_alert, out, &m), CS_OK);
	cs_arena *a = cs_arena_new(0);
	const cs_value *root = NULL;
	cs_diag_sink sink = { 0 };
	size_t used = 0, rec = 0;
	cs_json_opts o = { 0, true, 0, 0, 0 };
	size_t off = 0;
	while (off < len) {
		while (off < len && (data[off] == '\n' || data[off] == '\r' || data[off] == ' '))
			off++;
		if (off >= len)
			break;
		assert_int_equal(cs_json_parse(a, path, data + off, len - off, &o, &sink, &root, &used),
				 CS_OK);
		off += used;
		const cs_value *list = cs_value_get(root, "Records");
		bool ct = list != NULL;
		if (!list)
			list = cs_value_get(root, "records");
		if (list) {
			for (size_t i = 0; i < cs_value_len(list); i++)
				feed_record(m, cs_value_at(list, i), ct, path, rec++);
		} else {
			feed_record(m, root, false, path, rec++);
		}
	}
	assert_int_equal(cs_matcher_finish(m), CS_OK);
	cs_matcher_free(m);
	cs_arena_free(a);
	cs_free(data);
}

/* The id of the last document of a rule file and, for a filter, its
 * rules list (ids, comma-separated) - read with the YAML-free shortcut of
 * scanning "id:" lines at column 1. */
static void rule_ids(const char *path, char *last_id, size_t n, bool *is_filter, char *named,
		     size_t nn)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	bool in_rules = false;
	assert_non_null(f);
	last_id[0] = '\0';
	named[0] = '\0';
	*is_filter = false;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "id:", 3) == 0) {
			char *v = line + 3;
			while (*v == ' ')
				v++;
			v[strcspn(v, " \r\n#")] = '\0';
			snprintf(last_id, n, "%s", v);
		}
		if (strncmp(line, "filter:", 7) == 0)
			*is_filter = true;
		if (*is_filter && strstr(line, "rules:"))
			in_rules = true;
		else if (in_rules && strstr(line, "- ")) {
			char *v = strstr(line, "- ") + 2;
			v[strcspn(v, " \r\n#")] = '\0';
			size_t k = strlen(named);
			snprintf(named + k, nn - k, "%s,", v);
		} else if (in_rules) {
			in_rules = false;
		}
	}
	fclose(f);
}

static size_t count(const seen *s, const char *id)
{
	size_t c = 0;
	for (size_t i = 0; i < s->n; i++)
		c += strcmp(s->ids[i], id) == 0;
	return c;
}

static size_t count_named(const seen *s, const char *named)
{
	size_t c = 0;
	for (size_t i = 0; i < s->n; i++) {
		char key[80];
		snprintf(key, sizeof key, "%s,", s->ids[i]);
		c += strstr(named, key) != NULL;
	}
	return c;
}

static int find_rule(const char *dir, const char *stem, char *out, size_t n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;
	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		char p[1024];
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			found = find_rule(p, stem, out, n);
		} else if (strncmp(e->d_name, stem, strlen(stem)) == 0 &&
			   strcmp(e->d_name + strlen(stem), ".yml") == 0) {
			snprintf(out, n, "%s", p);
			found = 1;
		}
	}
	closedir(d);
	return found;
}

static void test_shipped_rules(void **state)
{
	(void)state;
	const char *rules = CS_SOURCE_DIR "/rules";
	const char *cases = CS_SOURCE_DIR "/tests/cases/detect";
	struct stat st;
	if (stat(rules, &st) != 0 || stat(cases, &st) != 0) {
		skip();
		return;
	}
	const char *paths[] = { rules };
	cs_diag_sink sink = { 0 };
	cs_ruleset_opts o = { true, CS_SOURCE_DIR "/data/sigma-mappings" };
	cs_ruleset *rs = NULL;
	assert_int_equal(cs_ruleset_compile(paths, 1, &o, &sink, &rs), CS_OK);
	assert_int_equal(sink.errors + sink.warnings, 0);
	DIR *d = opendir(cases);
	assert_non_null(d);
	struct dirent *e;
	int fails = 0, files = 0;
	while ((e = readdir(d))) {
		char rule[1024], dir[1024], id[128], named[4096];
		bool filter;
		if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0)
			continue;
		if (!find_rule(rules, e->d_name, rule, sizeof rule)) {
			printf("no rule file for case %s\n", e->d_name);
			fails++;
			continue;
		}
		rule_ids(rule, id, sizeof id, &filter, named, sizeof named);
		snprintf(dir, sizeof dir, "%s/%s", cases, e->d_name);
		DIR *cd = opendir(dir);
		struct dirent *f;
		while (cd && (f = readdir(cd))) {
			bool pos = strncmp(f->d_name, "positive", 8) == 0;
			bool neg = strncmp(f->d_name, "negative", 8) == 0;
			if (!pos && !neg)
				continue;
			char p[2048];
			snprintf(p, sizeof p, "%s/%s", dir, f->d_name);
			seen s = { .n = 0 };
			run_file(rs, p, &s);
			files++;
			bool ok = filter ? (pos ? count_named(&s, named) == 0 : count_named(&s, named) > 0)
					 : (pos ? count(&s, id) == 1 : count(&s, id) == 0);
			if (!ok) {
				printf("%s/%s: rule %s: %zu alerts of it (%zu alerts in all)\n",
				       e->d_name, f->d_name, id, filter ? count_named(&s, named)
									: count(&s, id), s.n);
				fails++;
			}
		}
		if (cd)
			closedir(cd);
	}
	closedir(d);
	printf("%d case files, %d failing\n", files, fails);
	assert_true(files > 0);
	assert_int_equal(fails, 0);
	cs_ruleset_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
