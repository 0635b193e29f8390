/* test_awsconfig.c - the AWS Config adapter against AWS's documentation:
 *  - configuration snapshot and history files delivered to S3 (AWS Config
 *    Developer Guide, "Example Configuration Snapshot" and "Example Amazon
 *    EBS Configuration History": fileVersion + configurationItems; the
 *    guide's examples spell "arn" and "accountId", delivered files "ARN" and
 *    "awsAccountId");
 *  - get-resource-config-history (API Reference, ConfigurationItem:
 *    "configuration" is a JSON-encoded string, supplementaryConfiguration a
 *    map of JSON-encoded strings, configurationItemCaptureTime a timestamp,
 *    epoch seconds in the API's JSON);
 *  - batch-get-resource-config (BaseConfigurationItem: no tags and no
 *    relationships; "The API does not return any tags");
 *  - select-resource-config (Results: "the results for the query", each a
 *    JSON string of the selected properties; QueryInfo);
 *  - configurationItemStatus OK | ResourceDiscovered | ResourceNotRecorded |
 *    ResourceDeleted | ResourceDeletedNotRecorded.
 * Also the JSON reader's pin option, which the adapter relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cshare/json.h"
#include "ingest/raw.h"

#define DATA CS_SOURCE_DIR "/tests/data/awsconfig/"

typedef struct {
	unsigned n;
	cs_diag d[16];
	char msg[16][256];
} diags;

static void cap(void *ud, const cs_diag *d)
{
	diags *c = ud;
	if (c->n < 16) {
		c->d[c->n] = *d;
		snprintf(c->msg[c->n], sizeof c->msg[0], "%s", d->msg);
	}
	c->n++;
}

typedef struct {
	diags dg;
	cs_diag_sink sink;
	cs_ingest *in;
	char *text;
	const cs_value *root;
} fixture;

static void load(fixture *f, const char *name)
{
	char path[1024];
	size_t len;
	snprintf(path, sizeof path, "%s%s", DATA, name);
	memset(f, 0, sizeof *f);
	f->sink = (cs_diag_sink){ cap, &f->dg, 0, 0 };
	f->in = cs__ingest_new(0, &f->sink);
	assert_non_null(f->in);
	assert_int_equal(cs_file_read(path, 1u << 20, &f->text, &len), CS_OK);
	assert_int_equal(cs_json_parse(cs__ingest_arena(f->in), name, f->text, len, NULL, &f->sink,
				       &f->root, NULL),
			 CS_OK);
	assert_true(cs__awsconfig_detect(f->root));
}

static void done(fixture *f)
{
	cs__ingest_free(f->in);
	cs_free(f->text);
}

/* value at a dotted path with [i] for array elements */
static const cs_value *at_path(const cs_value *v, const char *path)
{
	const char *p = path;
	while (v && *p) {
		if (*p == '.') {
			p++;
			continue;
		}
		if (*p == '[') {
			size_t i = 0;
			for (p++; *p >= '0' && *p <= '9'; p++)
				i = i * 10 + (size_t)(*p - '0');
			p++;
			v = cs_value_at(v, i);
			continue;
		}
		size_t n = strcspn(p, ".[");
		v = cs_value_getn(v, p, n);
		p += n;
	}
	return v;
}

static void assert_strv(const cs_value *props, const char *path, const char *want)
{
	const cs_value *v = at_path(props, path);
	if (cs_value_type(v) != CS_VSTRING || !cs_str_eqc(cs_value_str(v), want))
		fail_msg("%s: %s '%.*s', expected '%s'", path,
			 v ? cs_vtype_name(cs_value_type(v)) : "absent", (int)cs_value_str(v).len,
			 cs_value_str(v).ptr, want);
}

static void assert_unknown(const cs_value *props, const char *path, const char *reason)
{
	const cs_value *v = at_path(props, path);
	if (cs_value_type(v) != CS_VUNKNOWN || !cs_str_eqc(cs_value_str(v), reason))
		fail_msg("%s: %s '%.*s', expected unknown '%s'", path,
			 v ? cs_vtype_name(cs_value_type(v)) : "absent", (int)cs_value_str(v).len,
			 cs_value_str(v).ptr, reason);
}

static void test_pin_option(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	diags dg = { 0 };
	cs_diag_sink sink = { cap, &dg, 0, 0 };
	const char *text = "{\n  \"a\": [1, {\"b\": \"x\"}],\n  \"c\": null\n}";
	cs_json_opts o = { .pin_line = 7, .pin_col = 9 };
	const cs_value *v;
	assert_int_equal(cs_json_parse(a, "f", text, strlen(text), &o, &sink, &v, NULL), CS_OK);
	const cs_value *vals[] = { v, at_path(v, "a"), at_path(v, "a[0]"), at_path(v, "a[1]"),
				   at_path(v, "a[1].b"), at_path(v, "c") };
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		assert_non_null(vals[i]);
		assert_int_equal(cs_value_line(vals[i]), 7);
		assert_int_equal(cs_value_col(vals[i]), 9);
	}
	assert_strv(v, "a[1].b", "x");
	/* without the pin, the real positions */
	assert_int_equal(cs_json_parse(a, "f", text, strlen(text), NULL, &sink, &v, NULL), CS_OK);
	assert_int_equal(cs_value_line(at_path(v, "c")), 3);
	assert_int_equal(cs_value_col(at_path(v, "c")), 8);
	/* a syntax error is reported at the pin too */
	const char *bad = "{\n\n  \"a\": }";
	assert_int_equal(cs_json_parse(a, "f", bad, strlen(bad), &o, &sink, &v, NULL), CS_ESYNTAX);
	assert_int_equal(dg.n, 1);
	assert_int_equal(dg.d[0].line, 7);
	assert_int_equal(dg.d[0].col, 9);
	assert_non_null(strstr(dg.msg[0], "byte offset 10"));
	cs_arena_free(a);
}

static void test_detect(void **state)
{
	(void)state;
	static const struct {
		const char *json;
		bool yes;
	} cases[] = {
		{ "{\"fileVersion\":\"1.0\",\"configurationItems\":[]}", true },
		{ "{\"baseConfigurationItems\":[],\"unprocessedResourceKeys\":[]}", true },
		{ "{\"Results\":[],\"QueryInfo\":{}}", true },
		{ "{\"Results\":[]}", false },
		{ "{\"resourceType\":\"AWS::S3::Bucket\",\"configuration\":{}}", true },
		{ "{\"resourceType\":\"AWS::S3::Bucket\",\"configurationItemCaptureTime\":\"x\"}", true },
		{ "{\"resourceType\":\"AWS::S3::Bucket\"}", false },
		{ "{\"format_version\":\"1.0\",\"planned_values\":{}}", false },
		{ "{\"AWSTemplateFormatVersion\":\"2010-09-09\",\"Resources\":{}}", false },
		{ "[]", false },
	};
	cs_arena *a = cs_arena_new(0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const cs_value *v;
		assert_int_equal(cs_json_parse(a, "t", cases[i].json, strlen(cases[i].json), NULL,
					       NULL, &v, NULL),
				 CS_OK);
		if (cs__awsconfig_detect(v) != cases[i].yes)
			fail_msg("detect(%s) should be %d", cases[i].json, cases[i].yes);
	}
	cs_arena_free(a);
}

static void test_snapshot(void **state)
{
	(void)state;
	fixture f;
	load(&f, "snapshot.json");
	assert_int_equal(cs__awsconfig_extract(f.in, "snapshot.json", f.root), CS_OK);
	assert_int_equal(f.sink.errors, 0);
	assert_int_equal(f.sink.warnings, 0);
	assert_int_equal(cs__ingest_count(f.in), 2);
	/* the deleted queue: a note, no resource */
	assert_int_equal(f.dg.n, 1);
	assert_int_equal(f.dg.d[0].sev, CS_SEV_NOTE);
	assert_int_equal(f.dg.d[0].line, 42);
	assert_non_null(strstr(f.dg.msg[0], "ResourceDeleted"));

	/* the guide's example item: "arn" and "accountId" */
	const cs_raw *vol = cs__ingest_at(f.in, 0);
	assert_string_equal(vol->format, "aws-config");
	assert_string_equal(vol->provider, "aws");
	assert_string_equal(vol->type, "AWS::EC2::Volume");
	assert_string_equal(vol->name, "vol-ce676ccc");
	assert_string_equal(vol->arn, "arn:aws:us-west-2b:123456789012:volume/vol-ce676ccc");
	assert_string_equal(vol->account, "12345678910");
	assert_null(vol->region);
	assert_string_equal(vol->file, "snapshot.json");
	assert_int_equal(vol->line, 5);
	assert_int_equal(vol->col, 5);
	assert_int_equal(vol->end_line, 0); /* JSON: no inline suppressions, not computed */
	assert_strv(vol->props, "ARN", "arn:aws:us-west-2b:123456789012:volume/vol-ce676ccc");
	assert_strv(vol->props, "awsAccountId", "12345678910");
	assert_strv(vol->props, "resourceId", "vol-ce676ccc");
	assert_strv(vol->props, "configuration.volumeType", "standard");
	assert_strv(vol->props, "relationships[0].resourceId", "i-344c463d");
	assert_int_equal(cs_value_type(at_path(vol->props, "tags")), CS_VOBJECT);
	/* what the item does not carry is unknown, not absent */
	assert_unknown(vol->props, "awsRegion", "not in this AWS Config export");
	assert_unknown(vol->props, "supplementaryConfiguration", "not in this AWS Config export");
	assert_unknown(vol->props, "resourceName", "not in this AWS Config export");

	/* a delivered item: "ARN", "awsAccountId", "awsRegion"; supplementary
	 * configuration values as objects and as JSON strings */
	const cs_raw *b = cs__ingest_at(f.in, 1);
	assert_string_equal(b->type, "AWS::S3::Bucket");
	assert_string_equal(b->name, "example-logs");
	assert_string_equal(b->arn, "arn:aws:s3:::example-logs");
	assert_string_equal(b->region, "eu-west-1");
	assert_string_equal(b->account, "123456789012");
	assert_strv(b->props, "tags.env", "prod");
	assert_strv(b->props, "supplementaryConfiguration.BucketVersioningConfiguration.status",
		    "Enabled");
	const char *sse = "supplementaryConfiguration.ServerSideEncryptionConfiguration."
			  "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm";
	assert_strv(b->props, sse, "aws:kms");
	/* values from the string are located at the string */
	assert_int_equal(cs_value_line(at_path(b->props, sse)), 38);
	assert_int_equal(cs_value_col(at_path(b->props, sse)), 46);
	const cs_value *rp = at_path(b->props, "supplementaryConfiguration.IsRequesterPaysEnabled");
	assert_int_equal(cs_value_type(rp), CS_VBOOL);
	assert_false(cs_value_bool(rp));
	done(&f);
}

static void test_history_newest_wins(void **state)
{
	(void)state;
	fixture f;
	load(&f, "history.json");
	assert_int_equal(cs__awsconfig_extract(f.in, "history.json", f.root), CS_OK);
	assert_int_equal(f.sink.errors, 0);
	/* vol-ce676ccc: three items; 23:51:27Z is the newest (01:00+02:00 is
	 * 23:00Z); vol-cia007c: one; vol-gone: deleted last, so skipped */
	assert_int_equal(cs__ingest_count(f.in), 2);
	const cs_raw *r = cs__ingest_at(f.in, 0);
	assert_string_equal(r->name, "vol-ce676ccc");
	assert_int_equal(r->line, 4);
	assert_true(cs_value_num(at_path(r->props, "configuration.size")) == 2.0);
	r = cs__ingest_at(f.in, 1);
	assert_string_equal(r->name, "vol-cia007c");
	assert_true(cs_value_num(at_path(r->props, "configuration.size")) == 8.0);
	assert_int_equal(f.dg.n, 1);
	assert_int_equal(f.dg.d[0].sev, CS_SEV_NOTE);
	assert_int_equal(f.dg.d[0].line, 9);
	assert_non_null(strstr(f.dg.msg[0], "vol-gone"));
	done(&f);
}

static void test_api_history_strings(void **state)
{
	(void)state;
	fixture f;
	load(&f, "api_history.json");
	assert_int_equal(cs__awsconfig_extract(f.in, "api_history.json", f.root), CS_OK);
	assert_int_equal(f.sink.errors, 0);
	assert_int_equal(cs__ingest_count(f.in), 1);
	const cs_raw *r = cs__ingest_at(f.in, 0);
	/* epoch 1683025200.5 is newer than 1683021600 */
	assert_int_equal(r->line, 3);
	assert_string_equal(r->arn, "arn:aws:s3:::example-logs");
	assert_string_equal(r->account, "123456789012");
	assert_strv(r->props, "ARN", "arn:aws:s3:::example-logs");
	assert_strv(r->props, "configuration.owner.id", "abc");
	assert_null(at_path(r->props, "configuration.old"));
	assert_int_equal(cs_value_line(at_path(r->props, "configuration.name")), 18);
	assert_int_equal(cs_value_col(at_path(r->props, "configuration.name")), 30);
	assert_int_equal(cs_value_type(at_path(r->props,
					       "supplementaryConfiguration.BucketPolicy.policyText")),
			 CS_VNULL);
	assert_true(cs_value_bool(at_path(
		r->props, "supplementaryConfiguration.PublicAccessBlockConfiguration.blockPublicAcls")));
	/* a truncated JSON string: a warning at the string, that part unknown */
	assert_unknown(r->props, "supplementaryConfiguration.BucketLoggingConfiguration",
		       "not valid JSON in the AWS Config export");
	assert_int_equal(f.sink.warnings, 1);
	assert_int_equal(f.dg.d[0].line, 22);
	assert_int_equal(f.dg.d[0].col, 47);
	assert_string_equal(f.dg.d[0].file, "api_history.json");
	assert_non_null(strstr(f.dg.msg[0], "BucketLoggingConfiguration"));
	done(&f);
}

static void test_batch_and_select(void **state)
{
	(void)state;
	fixture f;
	load(&f, "batch.json");
	assert_int_equal(cs__awsconfig_extract(f.in, "batch.json", f.root), CS_OK);
	assert_int_equal(f.sink.errors + f.sink.warnings, 0);
	assert_int_equal(cs__ingest_count(f.in), 1);
	const cs_raw *r = cs__ingest_at(f.in, 0);
	assert_string_equal(r->type, "AWS::EC2::SecurityGroup");
	assert_string_equal(r->name, "sg-0123456789abcdef0");
	assert_string_equal(r->region, "eu-west-1");
	assert_true(cs_value_num(at_path(r->props, "configuration.ipPermissions[0].fromPort")) ==
		    443.0);
	assert_strv(r->props, "configuration.ipPermissions[0].ipRanges[0]", "0.0.0.0/0");
	/* BaseConfigurationItem has neither tags nor relationships */
	assert_unknown(r->props, "tags", "not in this AWS Config export");
	assert_unknown(r->props, "relationships", "not in this AWS Config export");
	done(&f);

	load(&f, "select.json");
	assert_int_equal(cs__awsconfig_extract(f.in, "select.json", f.root), CS_OK);
	assert_int_equal(cs__ingest_count(f.in), 2);
	r = cs__ingest_at(f.in, 0);
	assert_string_equal(r->name, "example-logs");
	assert_string_equal(r->region, "eu-west-1");
	assert_string_equal(r->account, "123456789012");
	assert_int_equal(r->line, 3);
	assert_int_equal(r->col, 9);
	assert_strv(r->props, "configuration.name", "example-logs");
	assert_strv(r->props, "tags[0].tag", "env=prod");
	r = cs__ingest_at(f.in, 1);
	assert_string_equal(r->type, "AWS::EC2::Instance");
	assert_null(r->region);
	assert_strv(r->props, "configuration.instanceType", "t3.micro");
	assert_int_equal(r->line, 4);
	/* the third result is not JSON */
	assert_int_equal(f.sink.warnings, 1);
	assert_int_equal(f.dg.d[0].line, 5);
	assert_int_equal(f.dg.d[0].col, 9);
	done(&f);

	load(&f, "single.json");
	assert_int_equal(cs__awsconfig_extract(f.in, "single.json", f.root), CS_OK);
	assert_int_equal(cs__ingest_count(f.in), 1);
	r = cs__ingest_at(f.in, 0);
	assert_string_equal(r->name, "i-007d374c8912e3e90");
	assert_string_equal(r->region, "us-west-2");
	assert_string_equal(r->account, "123456789012");
	assert_int_equal(r->line, 1);
	assert_int_equal(r->end_line, 0); /* JSON: not computed */
	done(&f);
}

static void test_bad_shapes(void **state)
{
	(void)state;
	fixture f;
	load(&f, "bad.json");
	assert_int_equal(cs__awsconfig_extract(f.in, "bad.json", f.root), CS_OK);
	assert_int_equal(f.sink.errors, 2);
	assert_int_equal(f.sink.warnings, 1);
	assert_int_equal(cs__ingest_count(f.in), 1);
	assert_int_equal(f.dg.d[0].line, 3);
	assert_int_equal(f.dg.d[0].col, 5);
	assert_non_null(strstr(f.dg.msg[0], "not an object"));
	assert_int_equal(f.dg.d[1].line, 4);
	assert_int_equal(f.dg.d[1].col, 5);
	assert_non_null(strstr(f.dg.msg[1], "resourceId"));
	assert_int_equal(f.dg.d[2].sev, CS_SEV_WARNING);
	assert_int_equal(f.dg.d[2].line, 5);
	assert_int_equal(f.dg.d[2].col, 83);
	const cs_raw *r = cs__ingest_at(f.in, 0);
	assert_string_equal(r->name, "vol-ok");
	assert_unknown(r->props, "configuration", "not valid JSON in the AWS Config export");
	done(&f);

	load(&f, "bad_list.json");
	assert_int_equal(cs__awsconfig_extract(f.in, "bad_list.json", f.root), CS_ETYPE);
	assert_int_equal(f.sink.errors, 1);
	assert_int_equal(f.dg.d[0].line, 1);
	assert_int_equal(f.dg.d[0].col, 24);
	assert_int_equal(cs__ingest_count(f.in), 0);
	done(&f);
}

static void test_out_of_memory(void **state)
{
	(void)state;
	static const char *const files[] = { "snapshot.json", "api_history.json", "select.json",
					     "history.json" };
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		bool ok = false;
		for (unsigned long n = 1; n < 2000 && !ok; n++) {
			fixture f;
			load(&f, files[i]);
			cs_alloc_fail_after(n);
			cs_err rc = cs__awsconfig_extract(f.in, files[i], f.root);
			cs_alloc_fail_after(0);
			assert_true(rc == CS_OK || rc == CS_ENOMEM);
			ok = rc == CS_OK;
			done(&f);
		}
		assert_true(ok);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pin_option),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_snapshot),
		cmocka_unit_test(test_history_newest_wins),
		cmocka_unit_test(test_api_history_strings),
		cmocka_unit_test(test_batch_and_select),
		cmocka_unit_test(test_bad_shapes),
		cmocka_unit_test(test_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
