/* test_compliance.c - framework catalogues (TSV, OSCAL catalogue + profile),
 * controls_map.tsv, and the requirement status rules of docs/report.md with
 * expected values worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "compliance/compliance.h"

typedef struct {
	unsigned n, errors, warnings;
	cs_diag d[16];
	char msg[16][256];
} capture;

static void cap(void *ud, const cs_diag *d)
{
	capture *c = ud;
	if (d->sev == CS_SEV_ERROR)
		c->errors++;
	else if (d->sev == CS_SEV_WARNING)
		c->warnings++;
	if (c->n < 16) {
		c->d[c->n] = *d;
		snprintf(c->msg[c->n], sizeof c->msg[0], "%s", d->msg);
	}
	c->n++;
}

static char *slurp(const char *rel, size_t *len)
{
	char path[1024];
	char *data = NULL;
	snprintf(path, sizeof path, "%s/%s", CS_SOURCE_DIR, rel);
	if (cs_file_read(path, 64u << 20, &data, len) != CS_OK)
		return NULL;
	return data;
}

static const char hipaa_like[] =
	"# a comment\n"
	"control_id\tparent\tkind\tobligation\ttitle\n"
	"164.312\t-\tsection\t-\tTechnical safeguards\n"
	"164.312(a)(1)\t164.312\tstandard\trequired\tAccess control\n"
	"164.312(a)(2)(iv)\t164.312(a)(1)\tspecification\taddressable\tEncryption and decryption\n"
	"164.312(b)\t164.312\tstandard\trequired\tAudit controls\n";

static void test_tsv_catalogue(void **state)
{
	(void)state;
	capture c = { 0 };
	cs_diag_sink sink = { cap, &c, 0, 0 };
	cs_framework *fw;
	assert_int_equal(cs__framework_new(&fw, "hipaa", "hipaa", "HIPAA", "hipaa", &sink), CS_OK);
	assert_int_equal(cs__catalogue_tsv(fw, "h.tsv", hipaa_like, strlen(hipaa_like)), CS_OK);
	assert_int_equal(c.n, 0);
	assert_int_equal(fw->nreqs, 4);
	assert_string_equal(fw->reqs[2].id, "164.312(a)(2)(iv)");
	assert_string_equal(fw->reqs[2].obligation, "addressable");
	assert_string_equal(fw->reqs[2].kind, "specification");
	assert_int_equal(fw->reqs[2].parent, 1);
	assert_int_equal(fw->reqs[1].parent, 0);
	assert_int_equal(fw->reqs[0].parent, CS_NOIDX);
	assert_int_equal(fw->reqs[2].at.line, 5);
	/* one group: the section every requirement descends from */
	assert_int_equal(fw->ngroups, 1);
	assert_string_equal(fw->groups[0].id, "164.312");
	assert_string_equal(fw->groups[0].title, "Technical safeguards");
	assert_int_equal(fw->reqs[3].group, 0);
	/* lookup is case-insensitive */
	assert_int_equal(cs__framework_find(fw, "164.312(A)(2)(IV)"), 2);
	assert_int_equal(cs__framework_find(fw, "164.999"), CS_NOIDX);
	cs_framework_free(fw);
}

static void test_tsv_catalogue_errors(void **state)
{
	(void)state;
	static const char bad[] =
		"control_id\tparent\tkind\tobligation\ttitle\n"
		"1\t-\tsection\t-\tOne\n"
		"1.1\t1\tchapter\t-\tBad kind\n"           /* line 3: kind, column 7 */
		"1.2\t9\tstandard\trequired\tNo parent\n"   /* line 4: parent, column 5 */
		"1\t-\tsection\t-\tDuplicate\n"             /* line 5: duplicate id, column 1 */
		"1.3\t1\tstandard\toptional\tBad obligation\n" /* line 6: obligation, column 16 */
		"1.4\t1\tstandard\n"                        /* line 7: 3 fields */
		"1.5\t1\tstandard\trequired\tGood\n";
	capture c = { 0 };
	cs_diag_sink sink = { cap, &c, 0, 0 };
	cs_framework *fw;
	assert_int_equal(cs__framework_new(&fw, "x", "x", "X", "", &sink), CS_OK);
	assert_int_equal(cs__catalogue_tsv(fw, "bad.tsv", bad, strlen(bad)), CS_ECHECK);
	/* kept: 1, 1.2 (its parent diagnosed), 1.5 */
	assert_int_equal(fw->nreqs, 3);
	assert_string_equal(fw->reqs[2].id, "1.5");
	assert_int_equal(c.errors, 5);
	/* in file order of the records, then the parent pass */
	assert_int_equal(c.d[0].line, 3);
	assert_int_equal(c.d[0].col, 7);
	assert_non_null(strstr(c.msg[0], "chapter"));
	assert_int_equal(c.d[1].line, 5);
	assert_int_equal(c.d[1].col, 1);
	assert_non_null(strstr(c.msg[1], "duplicate"));
	assert_int_equal(c.d[2].line, 6);
	assert_int_equal(c.d[2].col, 16);
	assert_int_equal(c.d[3].line, 7);
	assert_int_equal(c.d[4].line, 4);
	assert_int_equal(c.d[4].col, 5);
	assert_string_equal(c.d[4].file, "bad.tsv");
	assert_non_null(strstr(c.msg[4], "parent '9'"));
	cs_framework_free(fw);
}

static void test_tsv_bad_header(void **state)
{
	(void)state;
	static const char bad[] = "control_id\tparent\ttype\tobligation\ttitle\n1\t-\tsection\t-\tx\n";
	capture c = { 0 };
	cs_diag_sink sink = { cap, &c, 0, 0 };
	cs_framework *fw;
	assert_int_equal(cs__framework_new(&fw, "x", "x", "X", "", &sink), CS_OK);
	assert_int_equal(cs__catalogue_tsv(fw, "h.tsv", bad, strlen(bad)), CS_ESYNTAX);
	assert_int_equal(c.errors, 1);
	assert_int_equal(c.d[0].line, 1);
	assert_int_equal(c.d[0].col, 19);
	assert_int_equal(fw->nreqs, 0);
	cs_framework_free(fw);
}

static void test_oscal_profile(void **state)
{
	(void)state;
	size_t cl, pl;
	char *cat = slurp("tests/data/compliance/data/frameworks/mini-catalog.json", &cl);
	char *prof = slurp("tests/data/compliance/data/frameworks/mini-profile.json", &pl);
	assert_non_null(cat);
	assert_non_null(prof);
	capture c = { 0 };
	cs_diag_sink sink = { cap, &c, 0, 0 };
	cs_framework *fw;
	assert_int_equal(cs__framework_new(&fw, "mini", "nist-800-53-r5", "Mini", "", &sink), CS_OK);
	assert_int_equal(cs__catalogue_oscal(fw, "cat.json", cat, cl, "prof.json", prof, pl), CS_OK);
	/* ac-1, ac-2, ac-2.1, sc-28, sc-28.1: ac-2.10 and ac-13 withdrawn, sc-7
	 * excluded, sc-28.2 not selected */
	assert_int_equal(fw->nreqs, 5);
	assert_string_equal(fw->reqs[2].id, "AC-2(1)");
	assert_string_equal(fw->reqs[2].oid, "ac-2.1");
	assert_int_equal(fw->reqs[2].parent, 1);
	assert_string_equal(fw->reqs[4].id, "SC-28(1)");
	assert_int_equal(fw->reqs[4].parent, 3);
	assert_string_equal(fw->version, "5.0.1-mini");
	assert_int_equal(fw->ngroups, 2);
	assert_string_equal(fw->groups[1].id, "SC");
	assert_string_equal(fw->groups[1].title, "System and Communications Protection");
	assert_int_equal(fw->reqs[4].group, 1);
	/* two selected ids the catalogue lacks: the withdrawn ac-2.10 and zz-9 */
	assert_int_equal(c.errors, 0);
	assert_int_equal(c.warnings, 2);
	assert_string_equal(c.d[0].file, "prof.json");
	assert_int_equal(c.d[0].line, 7);
	assert_non_null(strstr(c.msg[0], "ac-2.10"));
	assert_non_null(strstr(c.msg[1], "zz-9"));
	assert_int_equal(cs__framework_find(fw, "sc-28.1"), 4);
	assert_int_equal(cs__framework_find(fw, "SC-28(1)"), 4);
	cs_framework_free(fw);
	/* without a profile: every active control */
	memset(&c, 0, sizeof c);
	assert_int_equal(cs__framework_new(&fw, "mini", "nist-800-53-r5", "Mini", "", &sink), CS_OK);
	assert_int_equal(cs__catalogue_oscal(fw, "cat.json", cat, cl, NULL, NULL, 0), CS_OK);
	assert_int_equal(fw->nreqs, 7);
	assert_int_equal(c.n, 0);
	cs_framework_free(fw);
	cs_free(cat);
	cs_free(prof);
}

static void test_oscal_errors(void **state)
{
	(void)state;
	static const char bad[] = "{\"catalog\": {\"groups\": [\n"
				  "  {\"id\": \"ac\", \"title\": \"AC\", \"controls\": [\n"
				  "    {\"id\": \"ac-1\"},\n"
				  "    {\"id\": \"ac-2\", \"title\": \"Ok\", \"controls\": 7}\n"
				  "  ]}, 3]}}";
	capture c = { 0 };
	cs_diag_sink sink = { cap, &c, 0, 0 };
	cs_framework *fw;
	assert_int_equal(cs__framework_new(&fw, "x", "nist-800-53-r5", "X", "", &sink), CS_OK);
	assert_int_equal(cs__catalogue_oscal(fw, "b.json", bad, strlen(bad), NULL, NULL, 0),
			 CS_ECHECK);
	assert_int_equal(fw->nreqs, 1); /* ac-2 kept */
	assert_int_equal(c.errors, 3);
	assert_int_equal(c.d[0].line, 3); /* ac-1 without a title */
	assert_int_equal(c.d[0].col, 5);
	assert_int_equal(c.d[1].line, 4); /* "controls": 7 */
	assert_int_equal(c.d[1].col, 47);
	assert_int_equal(c.d[2].line, 5); /* the group 3 */
	assert_int_equal(c.d[2].col, 7);
	cs_framework_free(fw);
	/* not JSON at all */
	memset(&c, 0, sizeof c);
	assert_int_equal(cs__framework_new(&fw, "x", "nist-800-53-r5", "X", "", &sink), CS_OK);
	assert_int_equal(cs__catalogue_oscal(fw, "b.json", "{\"catalog\":", 11, NULL, NULL, 0),
			 CS_ESYNTAX);
	assert_int_equal(c.errors, 1);
	assert_string_equal(c.d[0].file, "b.json");
	cs_framework_free(fw);
}

static void test_controls_map(void **state)
{
	(void)state;
	static const char map[] = "domain\tfamily\tcontrol_id\trelation\n"
				  "data.encryption_at_rest\thipaa\t164.312(a)(2)(iv)\tequal\n"
				  "data.encryption_at_rest\tnist-800-53-r5\tSC-28\tsubset\n"
				  "logging.audit_trail\thipaa\t164.312(b)\tsame\n"
				  "logging.audit_trail\thipaa\t164.312(b)\tintersects\n";
	capture c = { 0 };
	cs_diag_sink sink = { cap, &c, 0, 0 };
	cs_framework *fw;
	assert_int_equal(cs__framework_new(&fw, "hipaa", "hipaa", "HIPAA", "hipaa", &sink), CS_OK);
	assert_int_equal(cs__controls_map(fw, "m.tsv", map, strlen(map)), CS_ECHECK);
	assert_int_equal(fw->nmap, 2); /* the NIST row belongs to another family */
	assert_string_equal(fw->map[1].control, "164.312(b)");
	assert_string_equal(fw->map[1].relation, "intersects");
	assert_int_equal(c.errors, 1);
	assert_int_equal(c.d[0].line, 4);
	assert_int_equal(c.d[0].col, 38);
	cs_framework_free(fw);
}

/* docs/report.md, "Status", case by case. */
static void test_status_rules(void **state)
{
	(void)state;
	const char *why;
	cs__status_in in;
	/* a failing check wins over everything */
	in = (cs__status_in){ true, true, true, true, true, false };
	assert_int_equal(cs__status_decide(&in, &why), CS_REQ_GAP);
	/* no gap; an unknown result */
	in = (cs__status_in){ false, true, false, false, true, true };
	assert_int_equal(cs__status_decide(&in, &why), CS_REQ_UNKNOWN);
	assert_non_null(strstr(why, "unknown"));
	/* no gap; a provider part on an unknown attestation, customer evidence missing */
	in = (cs__status_in){ false, false, true, false, true, false };
	assert_int_equal(cs__status_decide(&in, &why), CS_REQ_UNKNOWN);
	/* customer part without evidence */
	in = (cs__status_in){ false, false, false, false, true, false };
	assert_int_equal(cs__status_decide(&in, &why), CS_REQ_MANUAL);
	/* provider part not in the programme's scope, customer part proven */
	in = (cs__status_in){ false, false, false, true, true, true };
	assert_int_equal(cs__status_decide(&in, &why), CS_REQ_MANUAL);
	/* customer part proven, provider parts attested */
	in = (cs__status_in){ false, false, false, false, true, true };
	assert_int_equal(cs__status_decide(&in, &why), CS_REQ_MET);
	/* provider-only requirement, attested */
	in = (cs__status_in){ false, false, false, false, false, false };
	assert_int_equal(cs__status_decide(&in, &why), CS_REQ_MET);
	assert_string_equal(cs_req_status_name(CS_REQ_MANUAL), "manual");
	assert_string_equal(cs__gap_name(CS_GAP_IAAS_OS), "iaas-os-assumed-provider");
	assert_string_equal(cs__owners_text(CS_OWN_PROVIDER | CS_OWN_CUSTOMER), "provider+customer");
	assert_int_equal(cs__owner_class(CS_OWN_PROVIDER), 0);
	assert_int_equal(cs__owner_class(CS_OWN_CUSTOMER), 1);
	assert_int_equal(cs__owner_class(CS_OWN_PROVIDER | CS_OWN_CUSTOMER), 2);
	assert_int_equal(cs__owner_class(CS_OWN_SHARED | CS_OWN_UNKNOWN), 3);
	assert_int_equal(cs_compliance_format_parse("md"), CS_CF_MARKDOWN);
	assert_int_equal(cs_compliance_format_parse("oscal"), CS_CF_OSCAL);
	assert_int_equal(cs_compliance_format_parse("pdf"), -1);
}

/* The NIST SP 800-53 rev5 catalogue with the MODERATE baseline from
 * ../shared (skipped when absent): its README says the profile selects 287
 * control ids and that every one exists in the catalogue. */
static void test_nist_moderate(void **state)
{
	(void)state;
	size_t cl, pl;
	char *cat = slurp("../shared/data/oscal/nist-sp800-53-rev5/NIST_SP-800-53_rev5_catalog.json", &cl);
	char *prof = slurp(
		"../shared/data/oscal/nist-sp800-53-rev5/NIST_SP-800-53_rev5_MODERATE-baseline_profile.json",
		&pl);
	if (!cat || !prof) {
		cs_free(cat);
		cs_free(prof);
		skip();
	}
	capture c = { 0 };
	cs_diag_sink sink = { cap, &c, 0, 0 };
	cs_framework *fw;
	assert_int_equal(cs__framework_new(&fw, "m", "nist-800-53-r5", "M", "", &sink), CS_OK);
	assert_int_equal(cs__catalogue_oscal(fw, "cat", cat, cl, "prof", prof, pl), CS_OK);
	assert_int_equal(c.n, 0);
	assert_int_equal(fw->nreqs, 287);
	assert_int_equal(fw->ngroups, 20);
	size_t i = cs__framework_find(fw, "SC-28(1)");
	assert_int_not_equal(i, CS_NOIDX);
	assert_string_equal(fw->reqs[i].oid, "sc-28.1");
	assert_string_equal(fw->reqs[fw->reqs[i].parent].id, "SC-28");
	cs_framework_free(fw);
	cs_free(cat);
	cs_free(prof);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tsv_catalogue),
		cmocka_unit_test(test_tsv_catalogue_errors),
		cmocka_unit_test(test_tsv_bad_header),
		cmocka_unit_test(test_oscal_profile),
		cmocka_unit_test(test_oscal_errors),
		cmocka_unit_test(test_controls_map),
		cmocka_unit_test(test_status_rules),
		cmocka_unit_test(test_nist_moderate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
