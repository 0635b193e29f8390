/* test_responsibility.c - the responsibility model (docs/data-files.md): the
 * lookup order, identifier matching, attestations and staleness, every class
 * of data-file diagnostic with its file, line and column; the deployment file
 * (docs/deployment.md) and the services derived from inputs; the matrix. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cshare/json.h"
#include "responsibility/matrix_int.h"

#define FIX CS_SOURCE_DIR "/tests/data/responsibility"

typedef struct {
	cs_severity sev;
	char file[256];
	uint32_t line, col;
	char msg[512];
} diag_rec;

typedef struct {
	unsigned n;
	diag_rec d[64];
} capture;

static void cap(void *ud, const cs_diag *d)
{
	capture *c = ud;
	if (c->n < 64) {
		diag_rec *r = &c->d[c->n];
		r->sev = d->sev;
		snprintf(r->file, sizeof r->file, "%s", d->file ? d->file : "");
		r->line = d->line;
		r->col = d->col;
		snprintf(r->msg, sizeof r->msg, "%s", d->msg);
	}
	c->n++;
}

/* Asserts that a diagnostic at line:col whose file ends in `file` and whose
 * message contains `text` was emitted. */
static void expect_diag(const capture *c, const char *file, uint32_t line, uint32_t col,
			const char *text)
{
	for (unsigned i = 0; i < c->n && i < 64; i++) {
		const diag_rec *r = &c->d[i];
		size_t fl = strlen(r->file), el = strlen(file);
		if (r->line == line && r->col == col && fl >= el &&
		    strcmp(r->file + fl - el, file) == 0 && strstr(r->msg, text))
			return;
	}
	for (unsigned i = 0; i < c->n && i < 64; i++)
		print_message("got %s:%u:%u: %s\n", c->d[i].file, c->d[i].line, c->d[i].col,
			      c->d[i].msg);
	fail_msg("no diagnostic %s:%u:%u containing '%s'", file, line, col, text);
}

static cs_model *load_good(capture *c, cs_diag_sink *sink)
{
	cs_model *m = NULL;
	memset(c, 0, sizeof *c);
	*sink = (cs_diag_sink){ cap, c, 0, 0 };
	assert_int_equal(cs_model_new(&m, sink), CS_OK);
	assert_int_equal(cs_model_load_dir(m, FIX "/good"), CS_OK);
	assert_int_equal(c->n, 0);
	return m;
}

static void test_load_good(void **state)
{
	(void)state;
	capture c;
	cs_diag_sink sink;
	cs_model *m = load_good(&c, &sink);
	assert_int_equal(cs__model_domain_count(m), 6);
	assert_string_equal(cs__model_domain_at(m, 0)->id, "physical.facilities");
	const cs__service *s3 = cs__model_service(m, "aws:s3");
	assert_non_null(s3);
	assert_string_equal(s3->model, "paas");
	assert_string_equal(s3->name, "Amazon S3");
	assert_string_equal(s3->idents[0], "cfn:AWS::S3::*");
	assert_null(cs__model_service(m, "aws:nosuch"));
	const cs__source *src = cs__model_source(m, "aws-scope-2022");
	assert_non_null(src);
	assert_true(src->stale); /* from sources-attestations.tsv */
	assert_false(cs__model_source(m, "aws-srm")->stale);
	assert_int_equal(cs_framework_count(m), 1);
	assert_string_equal(cs_framework_id(m, 0), "hipaa");
	const cs__fwdef *fw = cs__model_fwdef(m, "hipaa");
	assert_string_equal(fw->programme, "hipaa");
	assert_string_equal(fw->data_classes[0], "phi");
	assert_null(fw->data_classes[1]);
	assert_string_equal(fw->catalogue, FIX "/good/frameworks/hipaa.tsv");
	assert_string_equal(fw->profile, "");
	assert_string_equal(cs__model_datadir(m), FIX "/good");
	cs_model_free(m);
}

/* The documented order: service row, model default, provider catch-all,
 * else unknown (never "provider"). */
static void test_lookup_order(void **state)
{
	(void)state;
	capture c;
	cs_diag_sink sink;
	cs_model *m = load_good(&c, &sink);
	const cs__service *s3 = cs__model_service(m, "aws:s3");
	const cs__service *ec2 = cs__model_service(m, "aws:ec2");
	const cs__service *azs = cs__model_service(m, "azure:storage");
	cs__lookup_level lv;
	const cs__ownership *o = cs__model_lookup(m, s3, "data.encryption_at_rest", &lv);
	assert_non_null(o);
	assert_int_equal(lv, CS_LOOKUP_SERVICE);
	assert_int_equal(o->owner, CS_OWNER_SHARED);
	assert_int_equal(o->mode, CS_MODE_ALWAYS_ON);
	assert_string_equal(o->source->id, "aws-s3-enc");
	assert_string_equal(o->as_of, "2023-01-05");
	assert_int_equal(o->at.line, 6);

	o = cs__model_lookup(m, s3, "os.guest_patching", &lv);
	assert_int_equal(lv, CS_LOOKUP_MODEL);
	assert_int_equal(o->owner, CS_OWNER_PROVIDER);
	assert_string_equal(o->model, "paas");
	o = cs__model_lookup(m, ec2, "os.guest_patching", &lv);
	assert_int_equal(lv, CS_LOOKUP_MODEL);
	assert_int_equal(o->owner, CS_OWNER_CUSTOMER);
	assert_string_equal(o->duty, "Patch the guest operating system");

	o = cs__model_lookup(m, ec2, "physical.facilities", &lv);
	assert_int_equal(lv, CS_LOOKUP_PROVIDER);
	assert_int_equal(o->mode, CS_MODE_INHERITED);
	assert_null(o->service);
	assert_null(o->model);

	o = cs__model_lookup(m, cs__model_service(m, "aws:rds"), "data.backup", &lv);
	assert_int_equal(lv, CS_LOOKUP_SERVICE);
	assert_int_equal(o->state, CS_STATE_VARIES);
	/* no row at all: unknown */
	assert_null(cs__model_lookup(m, ec2, "data.backup", &lv));
	assert_int_equal(lv, CS_LOOKUP_NONE);
	/* AWS's catch-all does not apply to Azure */
	assert_null(cs__model_lookup(m, azs, "physical.facilities", &lv));
	assert_int_equal(lv, CS_LOOKUP_NONE);
	cs_model_free(m);
}

static void test_service_for(void **state)
{
	(void)state;
	capture c;
	cs_diag_sink sink;
	cs_model *m = load_good(&c, &sink);
	assert_string_equal(cs__model_service_for(m, "cfn", "AWS::S3::Bucket")->id, "aws:s3");
	assert_string_equal(cs__model_service_for(m, "cfn", "AWS::S3::BucketPolicy")->id, "aws:s3");
	/* the exact AWS::EC2::Instance beats vpc's AWS::EC2::* */
	assert_string_equal(cs__model_service_for(m, "cfn", "AWS::EC2::Instance")->id, "aws:ec2");
	assert_string_equal(cs__model_service_for(m, "cfn", "AWS::EC2::VPC")->id, "aws:vpc");
	assert_string_equal(cs__model_service_for(m, "tf", "aws_db_instance")->id, "aws:rds");
	assert_string_equal(cs__model_service_for(m, "kind", "aws.s3.bucket")->id, "aws:s3");
	assert_string_equal(cs__model_service_for(m, "iam", "cognito-idp")->id, "aws:cognito");
	/* Azure resource types are case-insensitive */
	assert_string_equal(cs__model_service_for(m, "arm", "microsoft.storage/storageAccounts")->id,
			    "azure:storage");
	assert_null(cs__model_service_for(m, "tf", "aws_dynamodb_table"));
	/* not the exact AWS::EC2::Instance: only vpc's AWS::EC2::* matches */
	assert_string_equal(cs__model_service_for(m, "cfn", "AWS::EC2::Instanc")->id, "aws:vpc");
	assert_null(cs__model_service_for(m, "tf", "aws_instance_x"));
	assert_null(cs__model_service_for(m, "config", "AWS::S3::AccountPublicAccessBlock"));
	cs_model_free(m);
}

static void test_attestations(void **state)
{
	(void)state;
	capture c;
	cs_diag_sink sink;
	cs_model *m = load_good(&c, &sink);
	const cs__service *s3 = cs__model_service(m, "aws:s3");
	const cs__attestation *a = cs__model_attestation(m, s3, "hipaa");
	/* the current 2026 list wins over the stale 2022 scrape */
	assert_non_null(a);
	assert_int_equal(a->status, CS_ATT_ELIGIBLE);
	assert_string_equal(a->source->id, "aws-hipaa-2026");
	assert_false(a->implied);
	/* Lightsail is not on the complete 2026 list: implied not in scope */
	a = cs__model_attestation(m, cs__model_service(m, "aws:lightsail"), "hipaa");
	assert_non_null(a);
	assert_int_equal(a->status, CS_ATT_NOT_IN_SCOPE);
	assert_true(a->implied);
	assert_string_equal(a->service->id, "aws:lightsail");
	assert_int_equal(a->at.line, 10);
	/* a listed service is not implied */
	a = cs__model_attestation(m, cs__model_service(m, "aws:rds"), "hipaa");
	assert_false(a->implied);
	assert_string_equal(a->qualifier, "not every engine feature");
	/* no row for the programme: unknown (NULL); Azure has no `*` row */
	assert_null(cs__model_attestation(m, cs__model_service(m, "aws:cognito"), "soc2"));
	assert_null(cs__model_attestation(m, cs__model_service(m, "azure:storage"), "hipaa"));
	cs_model_free(m);
}

static void test_staleness(void **state)
{
	(void)state;
	capture c;
	cs_diag_sink sink;
	cs_model *m = load_good(&c, &sink);
	const cs__attestation *s3soc = cs__model_attestation(m, cs__model_service(m, "aws:s3"), "soc2");
	const cs__attestation *ec2soc =
		cs__model_attestation(m, cs__model_service(m, "aws:ec2"), "soc2");
	const cs__attestation *s3hip =
		cs__model_attestation(m, cs__model_service(m, "aws:s3"), "hipaa");
	/* as_of 2024-06-30 + 18 months = 2025-12-30 */
	assert_int_equal(cs_model_set_as_of(m, "2025-12-30"), CS_OK);
	assert_string_equal(cs__model_as_of(m), "2025-12-30");
	assert_false(cs__attestation_stale(m, s3soc));
	assert_int_equal(cs_model_set_as_of(m, "2025-12-31"), CS_OK);
	assert_true(cs__attestation_stale(m, s3soc));
	/* a stale source makes its facts stale whatever the date */
	assert_int_equal(cs_model_set_as_of(m, "2022-08-01"), CS_OK);
	assert_true(cs__attestation_stale(m, ec2soc));
	assert_false(cs__attestation_stale(m, s3hip));
	assert_int_equal(cs_model_set_as_of(m, "2027-11-22"), CS_OK);
	assert_false(cs__attestation_stale(m, s3hip));
	assert_int_equal(cs_model_set_as_of(m, "2027-11-23"), CS_OK);
	assert_true(cs__attestation_stale(m, s3hip));
	assert_int_equal(cs_model_set_as_of(m, "2027-13-01"), CS_EINVAL);
	assert_int_equal(cs_model_set_as_of(m, "27-11-01"), CS_EINVAL);
	assert_string_equal(cs__model_as_of(m), "2027-11-23");
	cs_model_free(m);
}

static void test_default_as_of(void **state)
{
	(void)state;
	cs_model *m = NULL;
	assert_int_equal(cs_model_new(&m, NULL), CS_OK);
	const char *d = cs__model_as_of(m);
	assert_int_equal(strlen(d), 10);
	assert_true(strcmp(d, "2024-01-01") > 0 && d[4] == '-' && d[7] == '-');
	cs_model_free(m);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(cs_owner_name(CS_OWNER_SHARED), "shared");
	assert_string_equal(cs_owner_name(CS_OWNER_UNKNOWN), "unknown");
	assert_string_equal(cs_mode_name(CS_MODE_ALWAYS_ON), "always_on");
	assert_string_equal(cs_mode_name(CS_MODE_NA), "na");
	assert_string_equal(cs_state_name(CS_STATE_VARIES), "varies");
	assert_string_equal(cs_state_name((cs_state)99), "unknown");
}

/* A model with the good domains, sources and services loaded, then `text`
 * loaded as a file of `kind` named `name`. */
static cs_err load_text(cs_model **m, capture *c, cs_diag_sink *sink, cs__datafile kind,
			const char *name, const char *text)
{
	memset(c, 0, sizeof *c);
	*sink = (cs_diag_sink){ cap, c, 0, 0 };
	assert_int_equal(cs_model_new(m, sink), CS_OK);
	if (kind != CS_DF_DOMAINS)
		assert_int_equal(cs__model_load_file(*m, CS_DF_DOMAINS, FIX "/good/domains.tsv", NULL, 0),
				 CS_OK);
	if (kind != CS_DF_SOURCES && kind != CS_DF_DOMAINS)
		assert_int_equal(cs__model_load_file(*m, CS_DF_SOURCES,
						     FIX "/good/responsibility/sources.tsv", NULL, 0),
				 CS_OK);
	if (kind == CS_DF_OWNERSHIP || kind == CS_DF_ATTESTATIONS || kind == CS_DF_FRAMEWORKS)
		assert_int_equal(cs__model_load_file(*m, CS_DF_SERVICES,
						     FIX "/good/responsibility/services.tsv", NULL, 0),
				 CS_OK);
	cs_err rc = cs__model_load_file(*m, kind, name, text, strlen(text));
	assert_int_equal(cs__model_finish(*m), CS_OK);
	return rc;
}

#define OWN_HDR                                                                              \
	"provider\tservice\tmodel\tdomain\towner\tmode\tdefault_state\tcustomer_duty\tsource\tas_of\n"

static void test_bad_ownership(void **state)
{
	(void)state;
	capture c;
	cs_diag_sink sink;
	cs_model *m;
	const char *text = OWN_HDR
		/* 2 */ "aws\ts3\t*\tdata.backup\tprovider\talways_on\tna\t-\taws-srm\t2026-01-10\n"
		/* 3 */ "aws\ts3\t*\tdata.backup\tcustomer\tnone\tna\t-\taws-srm\t2026-01-10\n"
		/* 4 */ "aws\tnosuch\t*\tdata.backup\tcustomer\tnone\tna\t-\taws-srm\t2026-01-10\n"
		/* 5 */ "aws\ts3\t*\tdata.nosuch\tcustomer\tnone\tna\t-\taws-srm\t2026-01-10\n"
		/* 6 */ "aws\ts3\t*\tidentity.mfa\tmine\tnone\tna\t-\taws-srm\t2026-01-10\n"
		/* 7 */ "aws\ts3\t*\tidentity.mfa\tcustomer\tnone\tna\t-\tnope\t2026-01-10\n"
		/* 8 */ "aws\ts3\t*\tidentity.mfa\tcustomer\tnone\tna\t-\taws-srm\t2026-02-30x\n"
		/* 9 */ "aws\ts3\tpaas\tidentity.mfa\tcustomer\tnone\tna\t-\taws-srm\t2026-01-10\n"
		/* 10 */ "aws\ts3\t*\tidentity.mfa\tshared\tconfigurable\tna\t-\taws-srm\t2026-01-10\n"
		/* 11 */ "aws\ts3\t*\tidentity.mfa\tshared\tinherited\ton\t-\taws-srm\t2026-01-10\n"
		/* 12 */ "aws\ts3\t*\tidentity.mfa\tshared\n"
		/* 13 */ "oracle\t*\t*\tidentity.mfa\tshared\tnone\tna\t-\taws-srm\t2026-01-10\n"
		/* 14 */ "aws\t*\tfaas\tidentity.mfa\tshared\tnone\tna\t-\taws-srm\t2026-01-10\n"
		/* 15 */ "aws\t*\t*\tidentity.mfa\tcustomer\tconfigurable\toff\tTurn MFA on\taws-srm\t2026-01-10\n";
	assert_int_equal(load_text(&m, &c, &sink, CS_DF_OWNERSHIP, "own.tsv", text), CS_ECHECK);
	expect_diag(&c, "own.tsv", 3, 10, "duplicate fact for (aws, s3, *, data.backup) (first at line 2)");
	expect_diag(&c, "own.tsv", 4, 5, "unknown service 'nosuch' of provider 'aws'");
	expect_diag(&c, "own.tsv", 5, 10, "unknown domain 'data.nosuch'");
	expect_diag(&c, "own.tsv", 6, 23, "'mine' is not one of: provider, customer, shared, na, unknown");
	expect_diag(&c, "own.tsv", 7, 42, "unknown source 'nope'");
	expect_diag(&c, "own.tsv", 8, 50, "'2026-02-30x' is not a date");
	expect_diag(&c, "own.tsv", 9, 8, "a service row has model '*'");
	expect_diag(&c, "own.tsv", 10, 43, "mode configurable needs a default state");
	expect_diag(&c, "own.tsv", 11, 40, "a default state is for mode configurable");
	expect_diag(&c, "own.tsv", 12, 23, "record has 5 fields; expected 10");
	expect_diag(&c, "own.tsv", 13, 1, "'oracle' is not one of: aws, azure, gcp");
	expect_diag(&c, "own.tsv", 14, 7, "'faas' is not one of: iaas, paas, saas, *");
	assert_int_equal(sink.errors, 12);
	/* the good rows are still loaded */
	cs__lookup_level lv;
	const cs__ownership *o =
		cs__model_lookup(m, cs__model_service(m, "aws:s3"), "data.backup", &lv);
	assert_non_null(o);
	assert_int_equal(o->owner, CS_OWNER_PROVIDER);
	o = cs__model_lookup(m, cs__model_service(m, "aws:s3"), "identity.mfa", &lv);
	assert_int_equal(lv, CS_LOOKUP_PROVIDER);
	assert_int_equal(o->at.line, 15);
	cs_model_free(m);
}

static void test_bad_header(void **state)
{
	(void)state;
	capture c;
	cs_diag_sink sink;
	cs_model *m;
	const char *text = "provider\tservice\tmodel\tdomain\towner\tmode\tstate\tcustomer_duty\tsource\tas_of\n";
	assert_int_equal(load_text(&m, &c, &sink, CS_DF_OWNERSHIP, "own.tsv", text), CS_ECHECK);
	expect_diag(&c, "own.tsv", 1, 42, "header column 7 must be 'default_state', not 'state'");
	cs_model_free(m);
	assert_int_equal(load_text(&m, &c, &sink, CS_DF_OWNERSHIP, "own.tsv", "# only a comment\n"),
			 CS_ECHECK);
	expect_diag(&c, "own.tsv", 1, 1, "missing header line");
	cs_model_free(m);
}

static void test_bad_services(void **state)
{
	(void)state;
	capture c;
	cs_diag_sink sink;
	cs_model *m;
	const char *text =
		"provider\tservice_id\tmodel\tcategory\tdisplay_name\tidentifiers\n"
		/* 2 */ "aws\ts3\tpaas\tstorage\tAmazon S3\tcfn:AWS::S3::*,tf:aws_s3_*\n"
		/* 3 */ "aws\tglacier\tpaas\tstorage\tS3 Glacier\tcfn:AWS::S3::*\n"
		/* 4 */ "aws\tS3x\tpaas\tstorage\tX\t-\n"
		/* 5 */ "aws\ts3\tpaas\tstorage\tAgain\t-\n"
		/* 6 */ "aws\tdb\tpaas\tdatabases\tDB\t-\n"
		/* 7 */ "aws\tdb\tpaas\tdatabase\tDB\thcl:aws_db_*\n"
		/* 8 */ "aws\tdb\tpaas\tdatabase\tDB\ttf:aws_*_db\n"
		/* 9 */ "aws\tdb\tpaas\tdatabase\t-\ttf:aws_db_*\n"
		/* 10 */ "aws\tdb\tpaas\tdatabase\tDB\ttf:aws_db_*,tf:aws_db_*\n";
	assert_int_equal(load_text(&m, &c, &sink, CS_DF_SERVICES, "svc.tsv", text), CS_ECHECK);
	expect_diag(&c, "svc.tsv", 3, 37, "identifier 'cfn:AWS::S3::*' is also claimed by aws:s3");
	expect_diag(&c, "svc.tsv", 4, 5, "service_id 'S3x' is not an identifier");
	expect_diag(&c, "svc.tsv", 5, 5, "duplicate service 'aws:s3' (first at line 2)");
	expect_diag(&c, "svc.tsv", 6, 13, "'databases' is not one of");
	expect_diag(&c, "svc.tsv", 7, 25, "identifier 'hcl:aws_db_*' must be prefix:pattern");
	expect_diag(&c, "svc.tsv", 8, 25, "'*' may only end a pattern");
	expect_diag(&c, "svc.tsv", 9, 22, "display_name must not be empty");
	expect_diag(&c, "svc.tsv", 10, 25, "identifier 'tf:aws_db_*' is listed twice");
	/* the clashing identifier stays with the first service; line 3's service
	 * is kept without it */
	assert_string_equal(cs__model_service_for(m, "cfn", "AWS::S3::Bucket")->id, "aws:s3");
	assert_non_null(cs__model_service(m, "aws:glacier"));
	assert_string_equal(cs__model_service_for(m, "tf", "aws_db_instance")->id, "aws:db");
	cs_model_free(m);
}

static void test_bad_sources_domains(void **state)
{
	(void)state;
	capture c;
	cs_diag_sink sink;
	cs_model *m;
	const char *src = "source_id\tkind\tstatus\tretrieved\tlicence\treference\ttitle\n"
			  /* 2 */ "a\tdoc\tcurrent\t2026-01-01\tCC0\thttps://x\tA\n"
			  /* 3 */ "a\tdoc\tcurrent\t2026-01-01\tCC0\thttps://x\tA\n"
			  /* 4 */ "b\tblog\told\t2026-1-1\t-\t-\t-\n";
	assert_int_equal(load_text(&m, &c, &sink, CS_DF_SOURCES, "src.tsv", src), CS_ECHECK);
	expect_diag(&c, "src.tsv", 3, 1, "duplicate source 'a' (first in src.tsv:2)");
	expect_diag(&c, "src.tsv", 4, 3, "'blog' is not one of: doc, dataset, derived, standard");
	expect_diag(&c, "src.tsv", 4, 8, "'old' is not one of: current, stale");
	expect_diag(&c, "src.tsv", 4, 12, "is not a date");
	expect_diag(&c, "src.tsv", 4, 21, "licence must not be empty");
	expect_diag(&c, "src.tsv", 4, 23, "reference must not be empty");
	expect_diag(&c, "src.tsv", 4, 25, "title must not be empty");
	assert_non_null(cs__model_source(m, "a"));
	assert_null(cs__model_source(m, "b"));
	cs_model_free(m);

	const char *dom = "domain_id\ttitle\nx.y\tX\nx.y\tAgain\nX.Z\tUpper\n";
	assert_int_equal(load_text(&m, &c, &sink, CS_DF_DOMAINS, "dom.tsv", dom), CS_ECHECK);
	expect_diag(&c, "dom.tsv", 3, 1, "duplicate domain 'x.y'");
	expect_diag(&c, "dom.tsv", 4, 1, "domain_id 'X.Z' is not an identifier");
	assert_int_equal(cs__model_domain_count(m), 1);
	cs_model_free(m);
}

static void test_bad_attestations(void **state)
{
	(void)state;
	capture c;
	cs_diag_sink sink;
	cs_model *m;
	const char *text =
		"provider\tservice\tprogramme\tstatus\tqualifier\tregion_scope\tas_of\tsource\n"
		/* 2 */ "aws\ts3\thipaa\teligible\t-\tall\t2026-01-10\taws-srm\n"
		/* 3 */ "aws\ts3\thipaa\tin_scope\t-\tall\t2026-01-10\taws-srm\n"
		/* 4 */ "aws\ts3\tHIPAA\tapproved\t-\tall,us-east-1\t2026-01-10\t-\n"
		/* 5 */ "aws\tec2\tsoc2\tin_scope\t-\tus-east-1,eu-west-1\t2026-01-10\taws-srm\n"
		/* 6 */ "aws\t*\thipaa\tnot_in_scope\t-\tall\t2026-01-10\taws-srm\n";
	assert_int_equal(load_text(&m, &c, &sink, CS_DF_ATTESTATIONS, "att.tsv", text), CS_ECHECK);
	expect_diag(&c, "att.tsv", 3, 5, "duplicate attestation of 's3' for hipaa from source aws-srm (first at line 2)");
	expect_diag(&c, "att.tsv", 4, 8, "programme 'HIPAA' is not an identifier");
	expect_diag(&c, "att.tsv", 4, 14, "'approved' is not one of: in_scope, eligible, not_in_scope, unknown");
	expect_diag(&c, "att.tsv", 4, 25, "region_scope 'all,us-east-1'");
	expect_diag(&c, "att.tsv", 4, 50, "every fact must name its source");
	const cs__attestation *a = cs__model_attestation(m, cs__model_service(m, "aws:ec2"), "soc2");
	assert_string_equal(a->region_scope, "us-east-1,eu-west-1");
	/* the `*` row implies the services of the provider that are not listed */
	a = cs__model_attestation(m, cs__model_service(m, "aws:ec2"), "hipaa");
	assert_true(a->implied);
	a = cs__model_attestation(m, cs__model_service(m, "aws:s3"), "hipaa");
	assert_false(a->implied);
	assert_int_equal(a->status, CS_ATT_ELIGIBLE);
	/* finishing again adds no second implied row */
	size_t n = m->atts.n;
	assert_int_equal(cs__model_finish(m), CS_OK);
	m->finished = false;
	assert_int_equal(cs__model_finish(m), CS_OK);
	assert_int_equal(m->atts.n, n);
	cs_model_free(m);
}

static void test_bad_frameworks(void **state)
{
	(void)state;
	capture c;
	cs_diag_sink sink;
	cs_model *m;
	const char *text =
		"framework\tfamily\ttitle\tversion\tcatalogue\tprofile\tprogramme\tdata_classes\tsource\n"
		/* 2 */ "hipaa\thipaa\tHIPAA\t2013\thipaa.tsv\t-\thipaa\tphi,pii\taws-srm\n"
		/* 3 */ "pci\tpci\tPCI\t4.0\t../../etc/passwd\t-\tpci-dss\tcard\taws-srm\n"
		/* 4 */ "hipaa\thipaa\tHIPAA\t2013\t-\t-\t-\t-\tnone\n";
	assert_int_equal(load_text(&m, &c, &sink, CS_DF_FRAMEWORKS, "fw.tsv", text), CS_ECHECK);
	expect_diag(&c, "fw.tsv", 3, 17, "must be a path relative to data/frameworks/");
	expect_diag(&c, "fw.tsv", 3, 44, "unknown data class 'card'");
	expect_diag(&c, "fw.tsv", 4, 24, "catalogue must not be empty");
	expect_diag(&c, "fw.tsv", 4, 32, "unknown source 'none'");
	expect_diag(&c, "fw.tsv", 4, 1, "duplicate framework 'hipaa' (first at line 2)");
	const cs__fwdef *fw = cs__model_fwdef(m, "hipaa");
	assert_string_equal(fw->data_classes[1], "pii");
	assert_null(cs__model_fwdef(m, "pci"));
	cs_model_free(m);
}

/* A data directory with a bad file: located diagnostics, the rest loaded,
 * the optional attestations.tsv absent without complaint. */
static void test_bad_dir(void **state)
{
	(void)state;
	capture c = { 0 };
	cs_diag_sink sink = { cap, &c, 0, 0 };
	cs_model *m = NULL;
	assert_int_equal(cs_model_new(&m, &sink), CS_OK);
	assert_int_equal(cs_model_load_dir(m, FIX "/bad"), CS_ECHECK);
	expect_diag(&c, "bad/responsibility/ownership.tsv", 4, 22, "'owns' is not one of");
	expect_diag(&c, "bad/frameworks/frameworks.tsv", 2, 38, "no such file: ");
	assert_int_equal(sink.errors, 2);
	assert_non_null(cs__model_lookup(m, cs__model_service(m, "aws:s3"), "identity.mfa", NULL));
	cs_model_free(m);

	memset(&c, 0, sizeof c);
	sink = (cs_diag_sink){ cap, &c, 0, 0 };
	assert_int_equal(cs_model_new(&m, &sink), CS_OK);
	assert_int_equal(cs_model_load_dir(m, FIX "/no-such-dir"), CS_ENOENT);
	expect_diag(&c, "no-such-dir/domains.tsv", 0, 0, "cannot read data file");
	cs_model_free(m);
}

static void test_oom(void **state)
{
	(void)state;
	/* every allocation failure gives CS_ENOMEM or a clean partial load */
	for (unsigned long n = 1; n < 400; n += 7) {
		cs_model *m = NULL;
		cs_diag_sink sink = { 0 };
		cs_alloc_fail_after(n);
		cs_err rc = cs_model_new(&m, &sink);
		if (rc == CS_OK)
			rc = cs_model_load_dir(m, FIX "/good");
		cs_alloc_fail_after(0);
		assert_true(rc == CS_OK || rc == CS_ENOMEM || rc == CS_ECHECK || rc == CS_ENOENT ||
			    rc == CS_EIO);
		cs_model_free(m);
	}
}

/* ---- deployment -------------------------------------------------------- */

#define DEPLOY FIX "/deploy"

typedef struct world {
	capture c;
	cs_diag_sink sink;
	cs_model *m;
	cs_deployment *d;
	cs_inventory *inv;
} world;

/* The good model, the deployment fixture, its inputs read and resolved. */
static void world_open(world *w)
{
	memset(w, 0, sizeof *w);
	w->m = load_good(&w->c, &w->sink);
	assert_int_equal(cs_model_set_as_of(w->m, "2026-06-01"), CS_OK);
	assert_int_equal(cs_deployment_load(&w->d, w->m, DEPLOY "/cshare.yaml", &w->sink), CS_OK);
	assert_int_equal(cs_inventory_new(&w->inv, &w->sink), CS_OK);
	assert_int_equal(cs_inventory_load_mappings(w->inv, CS_SOURCE_DIR "/data/mappings"), CS_OK);
	for (size_t i = 0; i < cs_deployment_input_count(w->d); i++)
		assert_int_equal(cs_inventory_add_path(w->inv, cs_deployment_input(w->d, i)), CS_OK);
	assert_int_equal(cs_inventory_build(w->inv), CS_OK);
	assert_int_equal(cs_deployment_resolve(w->d, w->inv), CS_OK);
}

static void world_close(world *w)
{
	cs_deployment_free(w->d);
	cs_inventory_free(w->inv);
	cs_model_free(w->m);
}

static void test_deployment_load(void **state)
{
	(void)state;
	capture c;
	cs_diag_sink sink;
	cs_model *m = load_good(&c, &sink);
	cs_deployment *d = NULL;
	assert_int_equal(cs_deployment_load(&d, m, DEPLOY "/cshare.yaml", &sink), CS_OK);
	assert_int_equal(c.n, 0);
	assert_string_equal(cs_deployment_name(d), "CarePath test deployment");
	assert_int_equal(cs_deployment_input_count(d), 1);
	assert_string_equal(cs_deployment_input(d, 0), DEPLOY "/template.yaml");
	assert_int_equal(cs_deployment_framework_count(d), 1);
	assert_string_equal(cs_deployment_framework(d, 0), "hipaa");
	const struct cs__deployment_view *v = cs__deployment_view(d);
	assert_string_equal(v->description, "Fixture for cshare matrix tests.");
	assert_string_equal(v->providers[0], "aws");
	assert_null(v->providers[1]);
	assert_int_equal(v->nassumptions, 2);
	assert_string_equal(v->assumptions[0].service->id, "aws:rds");
	assert_string_equal(v->assumptions[0].domain, "data.backup");
	assert_int_equal(v->assumptions[0].owner, CS_OWNER_PROVIDER);
	assert_int_equal(v->assumptions[0].state, CS_STATE_ON);
	assert_string_equal(v->assumptions[0].note, "RDS backs the database up for us");
	assert_int_equal(v->assumptions[0].at.line, 19);
	assert_int_equal(v->assumptions[0].at.col, 5);
	assert_null(v->assumptions[1].service);
	assert_string_equal(v->assumptions[1].provider, "aws");
	assert_int_equal(v->assumptions[1].state, CS_STATE_UNKNOWN);
	assert_int_equal(v->nclasses, 1);
	assert_string_equal(v->classes[0].cls, "phi");
	assert_string_equal(v->classes[0].patterns[1], "PatientDocs*");
	assert_string_equal(v->classes[0].services[0]->id, "aws:lightsail");
	assert_int_equal(v->ncontacts, 2);
	assert_string_equal(v->contacts[0].side, "customer");
	assert_string_equal(v->contacts[0].email, "ciso@northwind.example");
	assert_string_equal(v->contacts[1].role, "");
	/* before resolving: only the declared services */
	assert_int_equal(v->nservices, 2);
	assert_string_equal(v->services[0].service->id, "aws:cognito");
	assert_string_equal(v->services[1].service->id, "aws:lightsail");
	cs_deployment_free(d);
	cs_model_free(m);
}

static void test_deployment_resolve(void **state)
{
	(void)state;
	world w;
	world_open(&w);
	assert_int_equal(w.c.n, 0);
	const struct cs__deployment_view *v = cs__deployment_view(w.d);
	static const char *const ids[] = { "aws:cognito", "aws:ec2", "aws:lightsail", "aws:rds",
					   "aws:s3" };
	static const size_t nres[] = { 0, 1, 0, 1, 2 };
	assert_int_equal(v->nservices, 5);
	for (size_t i = 0; i < 5; i++) {
		assert_string_equal(v->services[i].service->id, ids[i]);
		assert_int_equal(v->services[i].nres, nres[i]);
	}
	assert_true(v->services[0].declared);
	assert_false(v->services[1].declared);
	assert_null(v->services[1].classes);
	assert_string_equal(v->services[2].classes[0], "phi"); /* data[].services */
	assert_string_equal(v->services[3].classes[0], "phi"); /* PatientDb */
	assert_string_equal(v->services[4].classes[0], "phi"); /* PatientDocs* */
	/* DynamoDB is in no service's identifiers of the fixture model */
	assert_string_equal(v->unclassified[0], "cloudformation:AWS::DynamoDB::Table");
	assert_null(v->unclassified[1]);
	/* PatientDocs* also matches PatientDocsPolicy */
	assert_int_equal(v->nheld, 3);
	size_t s3 = 0;
	for (size_t i = 0; i < v->nheld; i++) {
		assert_string_equal(v->held[i].cls, "phi");
		if (strcmp(v->held[i].service->id, "aws:s3") == 0)
			s3++;
		if (strcmp(v->held[i].name, "PatientDb") == 0) {
			assert_string_equal(v->held[i].type, "AWS::RDS::DBInstance");
			assert_non_null(v->held[i].res);
			assert_string_equal(cs_resource_kind(v->held[i].res), "aws.rds.instance");
		}
	}
	assert_int_equal(s3, 2);
	world_close(&w);
}

static void test_deployment_assumptions(void **state)
{
	(void)state;
	world w;
	world_open(&w);
	const cs__assumption *out[4];
	const cs__service *ec2 = cs__model_service(w.m, "aws:ec2");
	const cs__service *rds = cs__model_service(w.m, "aws:rds");
	assert_int_equal(cs__deployment_assumptions(w.d, ec2, "os.guest_patching", out, 4), 1);
	assert_string_equal(out[0]->domain, "os.*");
	assert_int_equal(cs__deployment_assumptions(w.d, rds, "data.backup", out, 4), 1);
	assert_int_equal(out[0]->state, CS_STATE_ON);
	assert_int_equal(cs__deployment_assumptions(w.d, rds, "data.encryption_at_rest", out, 4), 0);
	assert_int_equal(cs__deployment_assumptions(w.d, cs__model_service(w.m, "azure:storage"),
						    "os.guest_patching", out, 4),
			 0);
	/* more matches than room: the count says so */
	assert_int_equal(cs__deployment_assumptions(w.d, rds, "os.guest_patching", NULL, 0), 1);
	world_close(&w);
}

/* Loads a deployment held in memory against the good model. */
static cs_err load_dep_text(world *w, const char *text)
{
	memset(w, 0, sizeof *w);
	w->m = load_good(&w->c, &w->sink);
	return cs__deployment_load_buffer(&w->d, w->m, "dep/cshare.yaml", text, strlen(text),
					  &w->sink);
}

static void test_bad_deployment(void **state)
{
	(void)state;
	world w;
	const char *text = "version: 2\n"
			   "name: x\n"
			   "colour: blue\n"
			   "providers:\n"
			   "  - provider: oracle\n"
			   "services: [aws:nope]\n"
			   "data:\n"
			   "  - class: secret\n"
			   "    resources: [\"a*b\"]\n"
			   "frameworks: [sox]\n"
			   "assumptions:\n"
			   "  - service: aws:s3\n"
			   "    domain: dat.*\n"
			   "    owner: god\n"
			   "    stat: on\n"
			   "contacts:\n"
			   "  customer:\n"
			   "    - {name: A, phone: 1}\n"
			   "inputs: other.yaml\n";
	assert_int_equal(load_dep_text(&w, text), CS_ECHECK);
	expect_diag(&w.c, "dep/cshare.yaml", 1, 10, "unsupported version");
	expect_diag(&w.c, "dep/cshare.yaml", 3, 1, "unknown key 'colour' in the deployment file");
	expect_diag(&w.c, "dep/cshare.yaml", 5, 15, "unknown provider 'oracle'");
	expect_diag(&w.c, "dep/cshare.yaml", 6, 12, "unknown service 'aws:nope'");
	expect_diag(&w.c, "dep/cshare.yaml", 8, 12, "unknown data class 'secret'");
	expect_diag(&w.c, "dep/cshare.yaml", 9, 17, "'*' may only end a pattern");
	expect_diag(&w.c, "dep/cshare.yaml", 10, 14, "unknown framework 'sox'");
	expect_diag(&w.c, "dep/cshare.yaml", 13, 13, "unknown domain 'dat.*'");
	expect_diag(&w.c, "dep/cshare.yaml", 14, 12, "owner 'god' is not one of");
	expect_diag(&w.c, "dep/cshare.yaml", 15, 5, "unknown key 'stat' in an assumption");
	expect_diag(&w.c, "dep/cshare.yaml", 18, 17, "unknown key 'phone' in a contact");
	expect_diag(&w.c, "dep/cshare.yaml", 19, 9, "'inputs' must be a list");
	assert_int_equal(w.sink.errors, 12);
	/* the valid parts are kept */
	const struct cs__deployment_view *v = cs__deployment_view(w.d);
	assert_string_equal(v->name, "x");
	assert_int_equal(v->nassumptions, 0);
	assert_int_equal(v->ncontacts, 1);
	assert_string_equal(v->contacts[0].name, "A");
	world_close(&w);

	assert_int_equal(load_dep_text(&w, "name: [x]\n"), CS_ECHECK);
	expect_diag(&w.c, "dep/cshare.yaml", 1, 1, "needs 'version: 1'");
	expect_diag(&w.c, "dep/cshare.yaml", 1, 7, "'name' must be a string");
	/* no inputs key: the file's own directory */
	assert_string_equal(cs_deployment_input(w.d, 0), "dep");
	world_close(&w);

	assert_int_equal(load_dep_text(&w, "version: 1\nname: [x\n"), CS_ESYNTAX);
	assert_null(w.d);
	assert_true(w.c.n >= 1 && w.c.d[0].line >= 2);
	world_close(&w);

	assert_int_equal(load_dep_text(&w, "- version: 1\n"), CS_ESYNTAX);
	expect_diag(&w.c, "dep/cshare.yaml", 1, 1, "a deployment file is a YAML mapping");
	world_close(&w);

	memset(&w, 0, sizeof w);
	w.m = load_good(&w.c, &w.sink);
	assert_int_equal(cs_deployment_load(&w.d, w.m, DEPLOY "/nope.yaml", &w.sink), CS_ENOENT);
	expect_diag(&w.c, "deploy/nope.yaml", 0, 0, "cannot read the deployment file");
	world_close(&w);
}

/* A data pattern that matches nothing is a warning at its position. */
static void test_unmatched_pattern(void **state)
{
	(void)state;
	world w;
	assert_int_equal(load_dep_text(&w, "version: 1\nname: y\ndata:\n"
					   "  - class: pii\n    resources: [Nothing*, Worker]\n"),
			 CS_OK);
	assert_int_equal(cs_inventory_new(&w.inv, &w.sink), CS_OK);
	assert_int_equal(cs_inventory_add_path(w.inv, DEPLOY "/template.yaml"), CS_OK);
	assert_int_equal(cs_inventory_build(w.inv), CS_OK);
	assert_int_equal(cs_deployment_resolve(w.d, w.inv), CS_OK);
	expect_diag(&w.c, "dep/cshare.yaml", 5, 17, "resource pattern 'Nothing*' matches no resource");
	assert_int_equal(w.sink.warnings, 1);
	assert_int_equal(w.sink.errors, 0);
	const struct cs__deployment_view *v = cs__deployment_view(w.d);
	assert_int_equal(v->nheld, 1);
	assert_string_equal(v->held[0].name, "Worker");
	/* without mappings there is no normalized resource, but the type still
	 * finds its service */
	assert_null(v->held[0].res);
	assert_string_equal(v->held[0].service->id, "aws:ec2");
	world_close(&w);
}

static void test_new_dir(void **state)
{
	(void)state;
	capture c;
	cs_diag_sink sink;
	cs_model *m = load_good(&c, &sink);
	cs_deployment *d = NULL;
	assert_int_equal(cs_deployment_new_dir(&d, m, DEPLOY, &sink), CS_OK);
	assert_string_equal(cs_deployment_input(d, 0), DEPLOY);
	assert_int_equal(cs_deployment_framework_count(d), 0);
	assert_int_equal(cs__deployment_view(d)->nassumptions, 0);
	cs_deployment_free(d);
	cs_model_free(m);
}

/* ---- matrix ------------------------------------------------------------- */

static char *write_fmt(const cs_matrix *mx, cs_matrix_format f, bool color)
{
	cs_buf b;
	cs_buf_init(&b, 0);
	cs_matrix_opts o = { f, color, "9.9" };
	assert_int_equal(cs_matrix_write(&b, mx, &o), CS_OK);
	return cs_buf_steal(&b, NULL);
}

static void test_matrix_json(void **state)
{
	(void)state;
	world w;
	world_open(&w);
	cs_matrix *mx = NULL;
	assert_int_equal(cs_matrix_build(w.m, w.d, &mx), CS_OK);
	char *js = write_fmt(mx, CS_MX_JSON, false);
	cs_arena *a = cs_arena_new(0);
	const cs_value *root;
	assert_int_equal(cs_json_parse(a, "m.json", js, strlen(js), NULL, &w.sink, &root, NULL), CS_OK);
	const cs_value *sum = cs_value_get(root, "summary");
	/* worked out from the fixture: 5 services x 6 domains; catch-all
	 * provider facilities (5), paas patching (rds, s3), iaas patching
	 * customer (ec2, lightsail), catch-all MFA customer (5), s3 encryption
	 * and rds backup shared; the other 14 cells have no fact */
	assert_true(cs_value_num(cs_value_get(sum, "cells")) == 30);
	assert_true(cs_value_num(cs_value_get(sum, "provider")) == 7);
	assert_true(cs_value_num(cs_value_get(sum, "customer")) == 7);
	assert_true(cs_value_num(cs_value_get(sum, "shared")) == 2);
	assert_true(cs_value_num(cs_value_get(sum, "na")) == 0);
	assert_true(cs_value_num(cs_value_get(sum, "unknown")) == 14);
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(root, "as_of")), "2026-06-01"));
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(root, "version")), "9.9"));
	const cs_value *svcs = cs_value_get(root, "services");
	assert_int_equal(cs_value_len(svcs), 5);
	const cs_value *rds = cs_value_at(svcs, 3);
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(rds, "id")), "aws:rds"));
	assert_true(cs_value_num(cs_value_get(rds, "resources")) == 1);
	assert_true(cs_str_eqc(cs_value_str(cs_value_at(cs_value_get(rds, "data_classes"), 0)), "phi"));
	const cs_value *backup = cs_value_at(cs_value_get(rds, "cells"), 4);
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(backup, "domain")), "data.backup"));
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(backup, "owner")), "shared"));
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(backup, "mode")), "configurable"));
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(backup, "default_state")), "varies"));
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(backup, "lookup")), "service"));
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(cs_value_get(backup, "source"), "id")), "aws-srm"));
	const cs_value *as = cs_value_at(cs_value_get(backup, "assumptions"), 0);
	assert_true(cs_value_bool(cs_value_get(as, "contradicts_model")));
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(as, "owner")), "provider"));
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(as, "state")), "on"));
	assert_true(cs_value_num(cs_value_get(cs_value_get(as, "location"), "line")) == 19);
	/* an unknown cell: no source, lookup none */
	const cs_value *logs = cs_value_at(cs_value_get(rds, "cells"), 5);
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(logs, "owner")), "unknown"));
	assert_true(cs_str_eqc(cs_value_str(cs_value_get(logs, "lookup")), "none"));
	assert_int_equal(cs_value_type(cs_value_get(logs, "source")), CS_VNULL);
	assert_true(cs_str_eqc(cs_value_str(cs_value_at(cs_value_get(root, "unclassified"), 0)),
			       "cloudformation:AWS::DynamoDB::Table"));
	cs_arena_free(a);
	cs_free(js);
	cs_matrix_free(mx);
	world_close(&w);
}

static void test_matrix_text_csv_md_html(void **state)
{
	(void)state;
	world w;
	world_open(&w);
	cs_matrix *mx = NULL;
	assert_int_equal(cs_matrix_build(w.m, w.d, &mx), CS_OK);
	char *t = write_fmt(mx, CS_MX_TEXT, false);
	/* the domain column is as wide as the longest id (23) */
	assert_non_null(strstr(t, "\n  data.encryption_at_rest  shared    always_on     na       "
				  "Choose SSE-KMS with a customer key where required\n"));
	assert_non_null(strstr(t, "\n  logging.audit_trail      unknown   unknown       unknown  -\n"));
	assert_non_null(strstr(t, "aws:s3  Amazon S3 (paas, storage; 2 resources; data: phi)\n"));
	assert_non_null(strstr(t, "! assumed provider, state on ("));
	assert_non_null(strstr(t, "30 cells: 7 provider, 7 customer, 2 shared, 0 na, 14 unknown\n"));
	assert_null(strchr(t, '\033'));
	cs_free(t);
	t = write_fmt(mx, CS_MX_TEXT, true);
	assert_non_null(strstr(t, "\033[1;31munknown \033[0m"));
	cs_free(t);

	t = write_fmt(mx, CS_MX_CSV, false);
	assert_true(strncmp(t, "service,provider,model,domain,owner,mode,default_state,customer_duty,"
			       "lookup,source,as_of\r\n", 88) == 0);
	/* RFC 4180: a cell with a comma or quote is quoted, quotes doubled */
	assert_non_null(strstr(t, "\r\naws:rds,aws,paas,data.backup,shared,configurable,varies,"
				  "\"Keep backup retention above 0 days, and test \"\"restores\"\"\","
				  "service,aws-srm,2026-01-10\r\n"));
	assert_non_null(strstr(t, "\r\naws:ec2,aws,iaas,data.backup,unknown,unknown,unknown,,none,,\r\n"));
	cs_free(t);

	t = write_fmt(mx, CS_MX_MARKDOWN, false);
	assert_non_null(strstr(t, "\n## aws:rds: Amazon RDS (paas, database)\n"));
	assert_non_null(strstr(t, "| data.backup | shared | configurable | varies | Keep backup"));
	assert_non_null(strstr(t, "| logging.audit_trail | **unknown** | unknown | unknown | - | - |\n"));
	cs_free(t);

	t = write_fmt(mx, CS_MX_HTML, false);
	assert_true(strncmp(t, "<!DOCTYPE html>", 15) == 0);
	assert_non_null(strstr(t, "<tr class=\"unknown\"><td title=\"Audit trail of control-plane actions\">logging.audit_trail</td>"));
	assert_non_null(strstr(t, "test &quot;restores&quot;"));
	/* self-contained: no scripts, links, images or remote references */
	assert_null(strstr(t, "<script"));
	assert_null(strstr(t, "<link"));
	assert_null(strstr(t, "<img"));
	assert_null(strstr(t, "src="));
	assert_null(strstr(t, "url("));
	assert_non_null(strstr(t, "</html>\n"));
	cs_free(t);
	cs_matrix_free(mx);
	world_close(&w);
}

static void test_explain(void **state)
{
	(void)state;
	capture c;
	cs_diag_sink sink;
	cs_model *m = load_good(&c, &sink);
	cs_buf b;
	cs_buf_init(&b, 0);
	assert_int_equal(cs_model_explain(&b, m, "aws:s3", "os.guest_patching", &sink), CS_OK);
	assert_non_null(strstr(b.data, "owner: provider\nmode: always_on\n"));
	assert_non_null(strstr(b.data, "found by: the default row for paas services (no row of its own), "));
	assert_non_null(strstr(b.data, "good/responsibility/ownership.tsv:5\n"));
	assert_non_null(strstr(b.data, "source: aws-srm - AWS Shared Responsibility Model\n"
				       "  reference: https://aws.amazon.com/compliance/shared-responsibility-model/\n"
				       "  retrieved: 2026-01-10, current"));
	assert_non_null(strstr(b.data, "fact as of: 2026-01-10\n"));
	assert_non_null(strstr(b.data, "  hipaa: eligible, as of 2026-05-22, region scope all\n"));
	cs_buf_release(&b);

	cs_buf_init(&b, 0);
	assert_int_equal(cs_model_explain(&b, m, "aws:lightsail", "data.backup", &sink), CS_OK);
	assert_non_null(strstr(b.data, "owner: unknown\n"));
	assert_non_null(strstr(b.data, "  aws\tlightsail\t*\tdata.backup  (the service's own row)\n"
				       "  aws\t*\tiaas\tdata.backup  (the default row for its model)\n"
				       "  aws\t*\t*\tdata.backup  (the provider's catch-all row)\n"));
	assert_non_null(strstr(b.data, "  hipaa: not_in_scope, as of 2026-05-22"));
	assert_non_null(strstr(b.data, "    implied: the service is not named on this complete list"));
	cs_buf_release(&b);

	cs_buf_init(&b, 0);
	assert_int_equal(cs_model_explain(&b, m, "azure:storage", "identity.mfa", &sink), CS_OK);
	assert_non_null(strstr(b.data, "attestations of azure:storage: none (unknown for every programme)\n"));
	cs_buf_release(&b);

	cs_buf_init(&b, 0);
	assert_int_equal(cs_model_explain(&b, m, "aws:nope", "data.backup", &sink), CS_ENOENT);
	assert_int_equal(cs_model_explain(&b, m, "aws:s3", "data", &sink), CS_ENOENT);
	assert_int_equal(sink.errors, 2);
	assert_int_equal(b.len, 0);
	cs_buf_release(&b);
	assert_int_equal(cs_matrix_format_parse("md"), CS_MX_MARKDOWN);
	assert_int_equal(cs_matrix_format_parse("html"), CS_MX_HTML);
	assert_int_equal(cs_matrix_format_parse("xml"), -1);
	cs_model_free(m);
}

/* The shipped data/ loads with no diagnostic at all, and covers what issue 4
 * asks: 37 domains, at least 40 AWS, 20 Azure and 20 GCP services, and every
 * service known for every domain through some row or marked unknown. */
static void test_shipped_data(void **state)
{
	(void)state;
	capture c = { 0 };
	cs_diag_sink sink = { cap, &c, 0, 0 };
	cs_model *m = NULL;
	assert_int_equal(cs_model_new(&m, &sink), CS_OK);
	cs_err rc = cs_model_load_dir(m, CS_SOURCE_DIR "/data");
	for (unsigned i = 0; i < c.n && i < 64; i++)
		print_message("%s:%u:%u: %s\n", c.d[i].file, c.d[i].line, c.d[i].col, c.d[i].msg);
	assert_int_equal(rc, CS_OK);
	assert_int_equal(c.n, 0);
	assert_int_equal(cs__model_domain_count(m), 37);
	size_t per[3] = { 0 };
	static const char *const prov[] = { "aws", "azure", "gcp" };
	for (size_t i = 0; i < m->services.n; i++) {
		const cs__service *s = m->services.v[i];
		for (size_t k = 0; k < 3; k++)
			per[k] += strcmp(s->provider, prov[k]) == 0;
	}
	assert_true(per[0] >= 40);
	assert_true(per[1] >= 20);
	assert_true(per[2] >= 20);
	/* every fact names a source that exists (the loader requires it) */
	for (size_t i = 0; i < m->owns.n; i++)
		assert_non_null(((const cs__ownership *)m->owns.v[i])->source);
	for (size_t i = 0; i < m->atts.n; i++)
		assert_non_null(((const cs__attestation *)m->atts.v[i])->source);
	cs_model_free(m);
}

/* Allocation failures anywhere in load, resolve, build and write give
 * CS_ENOMEM (or a clean result), never a crash or a leak. */
static void test_oom_deployment(void **state)
{
	(void)state;
	capture c;
	cs_diag_sink sink;
	cs_model *m = load_good(&c, &sink);
	cs_inventory *inv = NULL;
	assert_int_equal(cs_inventory_new(&inv, &sink), CS_OK);
	assert_int_equal(cs_inventory_add_path(inv, DEPLOY "/template.yaml"), CS_OK);
	assert_int_equal(cs_inventory_build(inv), CS_OK);
	unsigned long clean = 0;
	for (unsigned long n = 1; n < 2000 && !clean; n += 3) {
		cs_deployment *d = NULL;
		cs_matrix *mx = NULL;
		cs_buf b;
		cs_buf_init(&b, 0);
		cs_alloc_fail_after(n);
		cs_err rc = cs_deployment_load(&d, m, DEPLOY "/cshare.yaml", &sink);
		if (!rc)
			rc = cs_deployment_resolve(d, inv);
		if (!rc)
			rc = cs_matrix_build(m, d, &mx);
		for (int f = CS_MX_TEXT; f <= CS_MX_HTML && !rc; f++) {
			cs_matrix_opts o = { (cs_matrix_format)f, false, "x" };
			rc = cs_matrix_write(&b, mx, &o);
		}
		cs_alloc_fail_after(0);
		assert_true(rc == CS_OK || rc == CS_ENOMEM || rc == CS_ECHECK);
		if (rc == CS_OK)
			clean = n; /* every allocation succeeded: done */
		cs_buf_release(&b);
		cs_matrix_free(mx);
		cs_deployment_free(d);
	}
	assert_true(clean > 1);
	cs_inventory_free(inv);
	cs_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_good),      cmocka_unit_test(test_lookup_order),
		cmocka_unit_test(test_service_for),    cmocka_unit_test(test_attestations),
		cmocka_unit_test(test_staleness),      cmocka_unit_test(test_default_as_of),
		cmocka_unit_test(test_names),          cmocka_unit_test(test_bad_ownership),
		cmocka_unit_test(test_bad_header),     cmocka_unit_test(test_bad_services),
		cmocka_unit_test(test_bad_sources_domains), cmocka_unit_test(test_bad_attestations),
		cmocka_unit_test(test_bad_frameworks), cmocka_unit_test(test_bad_dir),
		cmocka_unit_test(test_oom),            cmocka_unit_test(test_deployment_load),
		cmocka_unit_test(test_deployment_resolve), cmocka_unit_test(test_deployment_assumptions),
		cmocka_unit_test(test_bad_deployment), cmocka_unit_test(test_unmatched_pattern),
		cmocka_unit_test(test_new_dir),        cmocka_unit_test(test_matrix_json),
		cmocka_unit_test(test_matrix_text_csv_md_html), cmocka_unit_test(test_explain),
		cmocka_unit_test(test_shipped_data),
		cmocka_unit_test(test_oom_deployment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
