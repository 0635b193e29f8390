/* test_tfplan.c - the Terraform plan adapter against HashiCorp's "JSON Output
 * Format" (developer.hashicorp.com/terraform/internals/json-format):
 *  - resource_changes[].change.after with change.after_unknown overlaid
 *    ("after_unknown: an object value with similar structure to after, but
 *    with all unknown leaf values replaced with true");
 *  - actions ["delete"] (and ["forget"], Terraform 1.7) leave nothing;
 *  - mode "data" is a data source, not a resource;
 *  - configuration.root_module / module_calls.<name>.module resources with
 *    expressions.<attr>.references, relative to their module;
 *  - planned_values.root_module / child_modules when there are no changes;
 *  - format_version: "reject any input which reports an unsupported major
 *    version".
 * Inputs are under tests/data/tfplan/; the plans of hashicorp/terraform-json
 * (../shared/data/corpora/terraform-plan) are extracted when present. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "cshare/json.h"
#include "ingest/raw.h"

#define DATA CS_SOURCE_DIR "/tests/data/tfplan/"

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

/* Reads and parses `path` into a fresh collector; the text stays alive
 * until done(). */
static cs_err load(fixture *f, const char *path)
{
	size_t len;
	memset(f, 0, sizeof *f);
	f->sink = (cs_diag_sink){ cap, &f->dg, 0, 0 };
	f->in = cs__ingest_new(0, &f->sink);
	assert_non_null(f->in);
	cs_err rc = cs_file_read(path, 1u << 24, &f->text, &len);
	if (rc)
		return rc;
	return cs_json_parse(cs__ingest_arena(f->in), path, f->text, len, NULL, &f->sink, &f->root,
			     NULL);
}

static void done(fixture *f)
{
	cs__ingest_free(f->in);
	cs_free(f->text);
}

static const cs_raw *by_name(const cs_ingest *in, const char *name)
{
	for (size_t i = 0; i < cs__ingest_count(in); i++)
		if (!strcmp(cs__ingest_at(in, i)->name, name))
			return cs__ingest_at(in, i);
	return NULL;
}

/* props at a dotted path with [i] for array elements ("a.b[1].e"). */
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
			p++; /* ']' */
			v = cs_value_at(v, i);
			continue;
		}
		size_t n = strcspn(p, ".[");
		v = cs_value_getn(v, p, n);
		p += n;
	}
	return v;
}

static void assert_unknown(const cs_value *props, const char *path, const char *reason)
{
	const cs_value *v = at_path(props, path);
	if (!v)
		fail_msg("%s is absent", path);
	if (cs_value_type(v) != CS_VUNKNOWN)
		fail_msg("%s is a %s, not unknown", path, cs_vtype_name(cs_value_type(v)));
	if (!cs_str_eqc(cs_value_str(v), reason))
		fail_msg("%s: reason '%.*s', expected '%s'", path, (int)cs_value_str(v).len,
			 cs_value_str(v).ptr, reason);
}

static void assert_strv(const cs_value *props, const char *path, const char *want)
{
	const cs_value *v = at_path(props, path);
	assert_int_equal(cs_value_type(v), CS_VSTRING);
	if (!cs_str_eqc(cs_value_str(v), want))
		fail_msg("%s: '%.*s', expected '%s'", path, (int)cs_value_str(v).len,
			 cs_value_str(v).ptr, want);
}

static void test_detect(void **state)
{
	(void)state;
	static const struct {
		const char *json;
		bool yes;
	} cases[] = {
		{ "{\"format_version\":\"1.2\",\"planned_values\":{}}", true },
		{ "{\"format_version\":\"0.1\",\"terraform_version\":\"0.12.11\"}", true },
		{ "{\"format_version\":\"1.0\",\"resource_changes\":[]}", true },
		{ "{\"format_version\":\"1.0\",\"prior_state\":{}}", true },
		{ "{\"format_version\":\"1.0\",\"configuration\":{}}", true },
		{ "{\"format_version\":\"1.0\"}", false },
		{ "{\"planned_values\":{}}", false },
		{ "{\"configurationItems\":[]}", false },
		{ "[{\"format_version\":\"1.0\",\"planned_values\":{}}]", false },
	};
	cs_arena *a = cs_arena_new(0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const cs_value *v;
		assert_int_equal(cs_json_parse(a, "t", cases[i].json, strlen(cases[i].json), NULL,
					       NULL, &v, NULL),
				 CS_OK);
		if (cs__tfplan_detect(v) != cases[i].yes)
			fail_msg("detect(%s) should be %d", cases[i].json, cases[i].yes);
	}
	cs_arena_free(a);
}

static void test_changes(void **state)
{
	(void)state;
	fixture f;
	assert_int_equal(load(&f, DATA "modules.json"), CS_OK);
	assert_true(cs__tfplan_detect(f.root));
	assert_int_equal(cs__tfplan_extract(f.in, "modules.json", f.root), CS_OK);
	assert_int_equal(f.sink.errors, 0);
	assert_int_equal(f.sink.warnings, 0);
	/* 15 changes: the delete-only, the forget-only and the data source are
	 * not resources */
	assert_int_equal(cs__ingest_count(f.in), 12);
	assert_null(by_name(f.in, "aws_instance.old"));
	assert_null(by_name(f.in, "aws_instance.gone"));
	assert_null(by_name(f.in, "data.aws_caller_identity.me"));

	/* module address, location of the change object, provider */
	const cs_raw *vpc = cs__ingest_at(f.in, 0);
	assert_string_equal(vpc->name, "module.net.aws_vpc.main");
	assert_string_equal(vpc->type, "aws_vpc");
	assert_string_equal(vpc->format, "terraform-plan");
	assert_string_equal(vpc->provider, "aws");
	assert_string_equal(vpc->file, "modules.json");
	assert_int_equal(vpc->line, 5);
	assert_int_equal(vpc->col, 5);
	assert_int_equal(vpc->end_line, 0); /* JSON: no inline suppressions, not computed */
	assert_null(vpc->arn); /* after_unknown: arn is known only after apply */
	assert_unknown(vpc->props, "arn", "known after apply");
	assert_unknown(vpc->props, "id", "known after apply");
	assert_strv(vpc->props, "cidr_block", "10.0.0.0/16");
	assert_strv(vpc->props, "tags.Name", "main");

	/* vpc_id = aws_vpc.main.id inside module "net": ref with the module prefix */
	const cs_raw *sub = by_name(f.in, "module.net.aws_subnet.a");
	assert_non_null(sub);
	assert_int_equal(sub->line, 6);
	assert_unknown(sub->props, "vpc_id", "ref:module.net.aws_vpc.main");
	assert_unknown(sub->props, "id", "known after apply");

	/* for_each instances: bucket = aws_s3_bucket.b[each.key].id references
	 * "aws_s3_bucket.b": the instance with the same key */
	const cs_raw *veu = by_name(f.in, "aws_s3_bucket_versioning.v[\"eu\"]");
	assert_non_null(veu);
	assert_string_equal(veu->type, "aws_s3_bucket_versioning");
	assert_unknown(veu->props, "bucket", "ref:aws_s3_bucket.b[\"eu\"]");
	/* after_unknown inside a block list: a key after lacks becomes unknown */
	assert_strv(veu->props, "versioning_configuration[0].status", "Enabled");
	assert_unknown(veu->props, "versioning_configuration[0].mfa_delete", "known after apply");
	/* a known value stays as it is (joins match by value) */
	const cs_raw *vus = by_name(f.in, "aws_s3_bucket_versioning.v[\"us\"]");
	assert_non_null(vus);
	assert_strv(vus->props, "bucket", "logs-us");
	assert_strv(vus->props, "versioning_configuration[0].status", "Suspended");

	/* an explicit key in the reference */
	const cs_raw *pab = by_name(f.in, "aws_s3_bucket_public_access_block.pab");
	assert_non_null(pab);
	assert_unknown(pab->props, "bucket", "ref:aws_s3_bucket.b[\"us\"]");
	assert_true(cs_value_bool(at_path(pab->props, "block_public_acls")));

	/* references to variables and data sources are not joins */
	const cs_raw *kms = by_name(f.in, "aws_kms_key.k");
	assert_non_null(kms);
	assert_unknown(kms->props, "policy", "known after apply");

	/* replace = delete + create: kept; a known arn is the raw's arn */
	const cs_raw *repl = by_name(f.in, "aws_instance.repl");
	assert_non_null(repl);
	assert_int_equal(repl->line, 15);
	assert_string_equal(repl->arn, "arn:aws:ec2:eu-west-1:111122223333:instance/i-2");

	/* providers */
	assert_string_equal(by_name(f.in, "google_storage_bucket.g")->provider, "gcp");
	const cs_raw *az = by_name(f.in, "azurerm_storage_account.s");
	assert_string_equal(az->provider, "azure");
	assert_strv(az->props, "name", "s"); /* no after_unknown: after as is */
	assert_string_equal(by_name(f.in, "null_resource.deep")->provider, "null");

	/* the overlay at every depth */
	const cs_value *deep = by_name(f.in, "null_resource.deep")->props;
	assert_true(cs_value_num(at_path(deep, "a.b[0].c")) == 1.0);
	assert_true(cs_value_num(at_path(deep, "a.b[1].d")) == 2.0);
	assert_unknown(deep, "a.b[1].e", "known after apply");
	assert_unknown(deep, "f.g", "known after apply"); /* after lacks "f" */
	assert_int_equal(cs_value_len(at_path(deep, "l")), 2);
	assert_int_equal(cs_value_type(at_path(deep, "l[0]")), CS_VNULL);
	assert_unknown(deep, "l[1]", "known after apply");
	assert_strv(deep, "keep", "x");
	/* an unknown takes the location of the after_unknown marker when after
	 * lacks the position: "e": true on line 19 */
	assert_int_equal(cs_value_line(at_path(deep, "a.b[1].e")), 19);
	done(&f);
}

static void test_planned_values_fallback(void **state)
{
	(void)state;
	fixture f;
	assert_int_equal(load(&f, DATA "fallback.json"), CS_OK);
	assert_true(cs__tfplan_detect(f.root));
	assert_int_equal(cs__tfplan_extract(f.in, "fallback.json", f.root), CS_OK);
	assert_int_equal(f.sink.errors, 0);
	assert_int_equal(cs__ingest_count(f.in), 3); /* the data source is not one */
	const cs_raw *r = cs__ingest_at(f.in, 0);
	assert_string_equal(r->name, "aws_s3_bucket.root");
	assert_string_equal(r->provider, "aws"); /* format 0.1: "aws" */
	assert_int_equal(r->line, 7);
	assert_int_equal(r->col, 9);
	assert_strv(r->props, "acl", "private");
	r = cs__ingest_at(f.in, 1);
	assert_string_equal(r->name, "module.a.aws_sqs_queue.q[0]");
	assert_string_equal(r->type, "aws_sqs_queue");
	assert_string_equal(r->provider, "aws"); /* "aws.west": an aliased provider */
	assert_int_equal(r->line, 14);
	assert_strv(r->props, "name", "q0");
	r = cs__ingest_at(f.in, 2);
	assert_string_equal(r->name, "module.a.module.b.null_resource.n");
	assert_string_equal(r->provider, "null");
	assert_int_equal(cs_value_type(cs_value_get(r->props, "triggers")), CS_VNULL);
	done(&f);
}

static void test_bad_shapes(void **state)
{
	(void)state;
	fixture f;
	assert_int_equal(load(&f, DATA "bad.json"), CS_OK);
	assert_int_equal(cs__tfplan_extract(f.in, "bad.json", f.root), CS_OK);
	/* four broken changes diagnosed, the good one still extracted */
	assert_int_equal(f.sink.errors, 4);
	assert_int_equal(f.sink.warnings, 1);
	assert_int_equal(cs__ingest_count(f.in), 1);
	assert_string_equal(cs__ingest_at(f.in, 0)->name, "aws_s3_bucket.good");
	assert_int_equal(f.dg.n, 5);
	static const struct {
		cs_severity sev;
		unsigned line, col;
		const char *needle;
	} want[] = {
		{ CS_SEV_ERROR, 4, 5, "not an object" },	/* 42 */
		{ CS_SEV_ERROR, 5, 5, "no \"type\"" },		/* the change object */
		{ CS_SEV_ERROR, 6, 150, "\"after\" is string" }, /* the "oops" value */
		{ CS_SEV_ERROR, 7, 119, "no \"actions\"" },	/* the change member */
		{ CS_SEV_WARNING, 8, 190, "after_unknown has object where after has string" },
	};
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(f.dg.d[i].sev, want[i].sev);
		assert_string_equal(f.dg.d[i].file, "bad.json");
		assert_int_equal(f.dg.d[i].line, want[i].line);
		assert_int_equal(f.dg.d[i].col, want[i].col);
		if (!strstr(f.dg.msg[i], want[i].needle))
			fail_msg("diagnostic %zu: '%s' lacks '%s'", i, f.dg.msg[i], want[i].needle);
	}
	/* where after_unknown does not mirror after, after wins */
	assert_strv(cs__ingest_at(f.in, 0)->props, "bucket", "good");
	done(&f);

	/* resource_changes not a list: diagnosed, planned_values used */
	assert_int_equal(load(&f, DATA "bad_list.json"), CS_OK);
	assert_int_equal(cs__tfplan_extract(f.in, "bad_list.json", f.root), CS_OK);
	assert_int_equal(f.sink.errors, 1);
	assert_int_equal(f.dg.d[0].line, 3);
	assert_int_equal(f.dg.d[0].col, 23);
	assert_int_equal(cs__ingest_count(f.in), 1);
	assert_string_equal(cs__ingest_at(f.in, 0)->name, "aws_s3_bucket.pv");
	done(&f);

	/* an unsupported major version is rejected as a whole */
	assert_int_equal(load(&f, DATA "unsupported.json"), CS_OK);
	assert_int_equal(cs__tfplan_extract(f.in, "unsupported.json", f.root), CS_ETYPE);
	assert_int_equal(f.sink.errors, 1);
	assert_int_equal(f.dg.d[0].line, 1);
	assert_int_equal(f.dg.d[0].col, 20);
	assert_non_null(strstr(f.dg.msg[0], "unsupported format_version \"2.0\""));
	assert_int_equal(cs__ingest_count(f.in), 0);
	done(&f);
}

/* Every allocation failing in turn gives CS_ENOMEM (never a crash or a
 * leak; ASan checks the latter). */
static void test_out_of_memory(void **state)
{
	(void)state;
	bool ok = false;
	for (unsigned long n = 1; n < 2000 && !ok; n++) {
		fixture f;
		assert_int_equal(load(&f, DATA "modules.json"), CS_OK);
		cs_alloc_fail_after(n);
		cs_err rc = cs__tfplan_extract(f.in, "modules.json", f.root);
		cs_alloc_fail_after(0);
		assert_true(rc == CS_OK || rc == CS_ENOMEM);
		ok = rc == CS_OK;
		done(&f);
	}
	assert_true(ok);
}

/* hashicorp/terraform-json testdata (see that folder's README): every plan
 * extracts without a diagnostic; "invalid" is not JSON at all. */
static void test_corpus(void **state)
{
	(void)state;
	const char *dir = CS_SOURCE_DIR "/../shared/data/corpora/terraform-plan";
	DIR *d = opendir(dir);
	if (!d) {
		skip();
		return;
	}
	static const struct {
		const char *name;
		size_t count;
	} counts[] = { { "120_basic", 7 }, { "basic", 7 },	 { "013_module_depends_on", 2 },
		       { "deep_module", 1 }, { "actions", 0 } };
	unsigned plans = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s/plan.json", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		fixture f;
		cs_err rc = load(&f, path);
		if (!strcmp(e->d_name, "invalid")) {
			assert_int_equal(rc, CS_ESYNTAX);
			assert_int_equal(f.sink.errors, 1);
			done(&f);
			continue;
		}
		if (rc)
			fail_msg("%s: %s", path, f.dg.msg[0]);
		assert_true(cs__tfplan_detect(f.root));
		rc = cs__tfplan_extract(f.in, path, f.root);
		if (rc || f.sink.errors || f.sink.warnings)
			fail_msg("%s: %s (%u errors): %s", path, cs_errname(rc), f.sink.errors,
				 f.dg.msg[0]);
		for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
			if (!strcmp(e->d_name, counts[i].name))
				assert_int_equal(cs__ingest_count(f.in), counts[i].count);
		for (size_t i = 0; i < cs__ingest_count(f.in); i++) {
			const cs_raw *r = cs__ingest_at(f.in, i);
			assert_non_null(r->type);
			assert_non_null(r->name);
			assert_true(r->line > 0 && r->end_line == 0);
			assert_int_equal(cs_value_type(r->props), CS_VOBJECT);
		}
		if (!strcmp(e->d_name, "120_basic")) {
			/* null_resource.bar: triggers = {foo_id = null_resource.foo.id},
			 * after_unknown.triggers = true; references
			 * ["null_resource.foo.id", "null_resource.foo"] */
			assert_unknown(by_name(f.in, "null_resource.bar")->props, "triggers",
				       "ref:null_resource.foo");
			/* count instances referencing a single-instance resource */
			assert_unknown(by_name(f.in, "null_resource.baz[1]")->props, "triggers",
				       "ref:null_resource.foo");
			assert_unknown(by_name(f.in, "null_resource.foo")->props, "id",
				       "known after apply");
			assert_string_equal(by_name(f.in, "module.foo.null_resource.aliased")->provider,
					    "null");
		}
		plans++;
		done(&f);
	}
	closedir(d);
	assert_true(plans >= 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_planned_values_fallback),
		cmocka_unit_test(test_bad_shapes),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
