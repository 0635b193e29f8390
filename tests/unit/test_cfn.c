/* test_cfn.c - the CloudFormation adapter: detection, parameters, mappings,
 * conditions and every intrinsic function in long and short form, with the
 * expected values from the AWS CloudFormation User Guide ("Intrinsic
 * function reference", "Parameters", "Pseudo parameters reference"); bad
 * shapes with their located diagnostics; and the real-template corpus. */
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
#include "cshare/yaml.h"
#include "ingest/raw.h"

#define MAXD 64

typedef struct {
	unsigned n, errors;
	cs_diag d[MAXD];
	char msg[MAXD][256];
} capture;

static void cap(void *ud, const cs_diag *d)
{
	capture *c = ud;
	if (d->sev == CS_SEV_ERROR)
		c->errors++;
	if (c->n < MAXD) {
		c->d[c->n] = *d;
		snprintf(c->msg[c->n], sizeof c->msg[0], "%s", d->msg);
		c->d[c->n].msg = c->msg[c->n];
	}
	c->n++;
}

/* A diagnostic containing `needle`, or NULL. */
static const cs_diag *find_diag(const capture *c, const char *needle)
{
	for (unsigned i = 0; i < c->n && i < MAXD; i++)
		if (strstr(c->msg[i], needle))
			return &c->d[i];
	return NULL;
}

typedef struct {
	cs_diag_sink sink;
	capture cap;
	cs_ingest *in;
	cs_err rc;
} fixture;

/* Parses `text` (JSON if it starts with '{', else YAML) into a new
 * collector and runs the adapter. */
static void load(fixture *f, const char *text)
{
	memset(f, 0, sizeof *f);
	f->sink.fn = cap;
	f->sink.ud = &f->cap;
	f->in = cs__ingest_new(0, &f->sink);
	assert_non_null(f->in);
	const cs_value *root = NULL, *docs = NULL;
	if (text[0] == '{') {
		assert_int_equal(cs_json_parse(cs__ingest_arena(f->in), "t.json", text, strlen(text),
					       NULL, &f->sink, &root, NULL),
				 CS_OK);
	} else {
		assert_int_equal(cs_yaml_parse(cs__ingest_arena(f->in), "t.yaml", text, strlen(text),
					       NULL, &f->sink, &docs),
				 CS_OK);
		root = cs_value_at(docs, 0);
	}
	f->rc = cs__cfn_extract(f->in, "t.yaml", root);
}

static const cs_raw *res(const fixture *f, const char *name)
{
	for (size_t i = 0; i < cs__ingest_count(f->in); i++) {
		const cs_raw *r = cs__ingest_at(f->in, i);
		if (strcmp(r->name, name) == 0)
			return r;
	}
	return NULL;
}

static const cs_value *prop(const fixture *f, const char *name, const char *key)
{
	const cs_raw *r = res(f, name);
	assert_non_null(r);
	return cs_value_get(r->props, key);
}

static void assert_str(const cs_value *v, const char *s)
{
	if (cs_value_type(v) != CS_VSTRING || !cs_str_eqc(cs_value_str(v), s))
		fail_msg("expected string '%s', got %s '%.*s'", s, cs_vtype_name(cs_value_type(v)),
			 (int)cs_value_str(v).len, cs_value_str(v).ptr);
}

static void assert_unknown(const cs_value *v, const char *reason)
{
	if (cs_value_type(v) != CS_VUNKNOWN || !strstr(cs_value_str(v).ptr, reason))
		fail_msg("expected unknown '%s', got %s '%.*s'", reason,
			 cs_vtype_name(cs_value_type(v)), (int)cs_value_str(v).len,
			 cs_value_str(v).ptr);
}

static void assert_strs(const cs_value *v, const char *const *want, size_t n)
{
	assert_int_equal(cs_value_type(v), CS_VARRAY);
	assert_int_equal(cs_value_len(v), n);
	for (size_t i = 0; i < n; i++)
		assert_str(cs_value_at(v, i), want[i]);
}

static void done(fixture *f)
{
	cs__ingest_free(f->in);
}

/* ---- detection ----------------------------------------------------------- */

static void test_detect(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		bool want;
	} cases[] = {
		{ "AWSTemplateFormatVersion: 2010-09-09\nResources: {}\n", true },
		{ "Resources:\n  A: {Type: AWS::S3::Bucket}\n", true },
		{ "Resources:\n  A: {Type: Custom::Thing}\n", true },
		{ "Resources:\n  A: {Type: MyCo::Svc::Thing}\n", true },
		{ "{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\"}}}", true },
		{ "Resources:\n  A: {Type: aws_s3_bucket}\n", false },
		{ "Resources:\n  A: {Type: 'AWS::S3'}\n", false },
		{ "Resources:\n  A: {Type: 'A::::B'}\n", false },
		{ "AWSTemplateFormatVersion: 2010-09-09\n", false },
		{ "- Resources\n", false },
		{ "Transform: ShortHand\nResources:\n  - S3::Bucket\n", false },
		{ "{\"resource_changes\": []}", false },
	};
	for (size_t i = 0; i < CS_ARRAY_SIZE(cases); i++) {
		cs_arena *a = cs_arena_new(0);
		const cs_value *root = NULL, *docs = NULL;
		const char *t = cases[i].text;
		if (t[0] == '{')
			assert_int_equal(cs_json_parse(a, "d", t, strlen(t), NULL, NULL, &root, NULL),
					 CS_OK);
		else {
			assert_int_equal(cs_yaml_parse(a, "d", t, strlen(t), NULL, NULL, &docs), CS_OK);
			root = cs_value_at(docs, 0);
		}
		if (cs__cfn_detect(root) != cases[i].want)
			fail_msg("case %zu", i);
		cs_arena_free(a);
	}
	assert_false(cs__cfn_detect(NULL));
}

/* ---- parameters, pseudo parameters, Ref ----------------------------------- */

/* Parameters: Number defaults are numbers; CommaDelimitedList is "an array
 * of literal strings that are separated by commas ... each member string is
 * space trimmed"; List<Number> holds numbers; SSM parameter types hold the
 * name of the parameter, not its value. */
static void test_parameters(void **state)
{
	(void)state;
	fixture f;
	load(&f, "Parameters:\n"
		 "  Name: {Type: String, Default: logs}\n"
		 "  Size: {Type: Number, Default: '8'}\n"
		 "  Zones: {Type: CommaDelimitedList, Default: 'a, b ,c'}\n"
		 "  Ports: {Type: 'List<Number>', Default: '80,443'}\n"
		 "  Subnets: {Type: 'List<AWS::EC2::Subnet::Id>', Default: 'subnet-1,subnet-2'}\n"
		 "  NoDef: {Type: String}\n"
		 "  Ami: {Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',"
		 " Default: /aws/service/ami}\n"
		 "  Ver: {Type: String, Default: 2}\n"
		 "  Bad: {Type: Number, Default: nan}\n"
		 "Resources:\n"
		 "  B:\n"
		 "    Type: AWS::S3::Bucket\n"
		 "    Properties:\n"
		 "      N: !Ref Name\n"
		 "      S: {Ref: Size}\n"
		 "      Z: !Ref Zones\n"
		 "      P: !Ref Ports\n"
		 "      L: !Ref Subnets\n"
		 "      D: !Ref NoDef\n"
		 "      A: !Ref Ami\n"
		 "      V: !Ref Ver\n"
		 "      R: !Ref AWS::Region\n"
		 "      Acct: !Ref AWS::AccountId\n"
		 "      Part: !Ref AWS::Partition\n"
		 "      Self: !Ref B\n"
		 "      Gone: !Ref AWS::NoValue\n"
		 "      List: [1, !Ref AWS::NoValue, 2]\n"
		 "      X: !Ref Bad\n");
	assert_int_equal(f.rc, CS_OK);
	assert_int_equal(f.cap.errors, 0);
	const cs_value *n = prop(&f, "B", "N");
	assert_str(n, "logs");
	assert_int_equal(cs_value_line(n), 15); /* located at the Ref */
	assert_int_equal(cs_value_col(n), 10);
	const cs_value *s = prop(&f, "B", "S");
	assert_int_equal(cs_value_type(s), CS_VNUMBER);
	assert_true(cs_value_num(s) == 8);
	static const char *const zones[] = { "a", "b", "c" };
	assert_strs(prop(&f, "B", "Z"), zones, 3);
	const cs_value *p = prop(&f, "B", "P");
	assert_int_equal(cs_value_len(p), 2);
	assert_true(cs_value_num(cs_value_at(p, 1)) == 443);
	static const char *const subnets[] = { "subnet-1", "subnet-2" };
	assert_strs(prop(&f, "B", "L"), subnets, 2);
	assert_unknown(prop(&f, "B", "D"), "parameter NoDef has no default");
	assert_unknown(prop(&f, "B", "A"), "SSM Parameter Store");
	assert_str(prop(&f, "B", "V"), "2");
	assert_unknown(prop(&f, "B", "R"), "pseudo parameter AWS::Region");
	assert_unknown(prop(&f, "B", "Acct"), "AWS::AccountId");
	assert_unknown(prop(&f, "B", "Part"), "AWS::Partition");
	const cs_value *self = prop(&f, "B", "Self");
	assert_unknown(self, "ref:B");
	assert_int_equal(cs_value_str(self).len, 5); /* exactly "ref:B" */
	assert_null(prop(&f, "B", "Gone"));
	assert_int_equal(cs_value_len(prop(&f, "B", "List")), 2);
	assert_unknown(prop(&f, "B", "X"), "parameter Bad has a malformed default");
	const cs_diag *d = find_diag(&f.cap, "Default 'nan' of a Number parameter is not a number");
	assert_non_null(d);
	assert_int_equal(d->sev, CS_SEV_WARNING);
	assert_int_equal(d->line, 10);
	assert_int_equal(d->col, 32);
	done(&f);
}

/* ---- functions ----------------------------------------------------------- */

/* Examples from the intrinsic function reference: Fn::Join, Fn::Select,
 * Fn::Split, Fn::Base64, Fn::Cidr, Fn::Length, Fn::ToJsonString. */
static void test_functions(void **state)
{
	(void)state;
	fixture f;
	load(&f, "Resources:\n"
		 "  R:\n"
		 "    Type: AWS::X::Y\n"
		 "    Properties:\n"
		 "      Join: !Join [':', [a, b, c]]\n"
		 "      JoinLong: {'Fn::Join': ['', ['arn:aws:s3:::', bucket, /*]]}\n"
		 "      JoinNum: !Join ['-', [1, true, x]]\n"
		 "      Select: !Select ['1', [apples, grapes, oranges, mangoes]]\n"
		 "      Split: !Split ['|', 'a|b|c']\n"
		 "      SplitEmpty: !Split ['|', 'a||c|']\n"
		 "      SelSplit: !Select [2, !Split [',', 'x,y,z']]\n"
		 "      B64: !Base64 AWS CloudFormation\n"
		 "      B64b: {'Fn::Base64': ab}\n"
		 "      Cidr: !Cidr ['192.168.0.0/24', 6, 5]\n"
		 "      Cidr6: !Cidr ['2001:db8:0:100::/56', 2, 64]\n"
		 "      Len: !Length [1, 2, 3]\n"
		 "      Json: !ToJsonString {key1: value1}\n"
		 "      AZ: !GetAZs ''\n"
		 "      Imp: !ImportValue SharedVpc\n"
		 "      Tr: {'Fn::Transform': {Name: M}}\n");
	assert_int_equal(f.rc, CS_OK);
	assert_int_equal(f.cap.n, 0);
	assert_str(prop(&f, "R", "Join"), "a:b:c");
	assert_str(prop(&f, "R", "JoinLong"), "arn:aws:s3:::bucket/*");
	assert_str(prop(&f, "R", "JoinNum"), "1-true-x");
	assert_str(prop(&f, "R", "Select"), "grapes");
	static const char *const abc[] = { "a", "b", "c" };
	assert_strs(prop(&f, "R", "Split"), abc, 3);
	static const char *const a_c[] = { "a", "", "c", "" };
	assert_strs(prop(&f, "R", "SplitEmpty"), a_c, 4);
	assert_str(prop(&f, "R", "SelSplit"), "z");
	assert_str(prop(&f, "R", "B64"), "QVdTIENsb3VkRm9ybWF0aW9u");
	assert_str(prop(&f, "R", "B64b"), "YWI=");
	static const char *const cidrs[] = { "192.168.0.0/27",	 "192.168.0.32/27",
					     "192.168.0.64/27",	 "192.168.0.96/27",
					     "192.168.0.128/27", "192.168.0.160/27" };
	assert_strs(prop(&f, "R", "Cidr"), cidrs, 6);
	static const char *const cidr6[] = { "2001:db8:0:100::/64", "2001:db8:0:101::/64" };
	assert_strs(prop(&f, "R", "Cidr6"), cidr6, 2);
	assert_true(cs_value_num(prop(&f, "R", "Len")) == 3);
	assert_str(prop(&f, "R", "Json"), "{\"key1\":\"value1\"}");
	assert_unknown(prop(&f, "R", "AZ"), "Fn::GetAZs");
	assert_unknown(prop(&f, "R", "Imp"), "Fn::ImportValue SharedVpc");
	assert_unknown(prop(&f, "R", "Tr"), "macro not expanded");
	done(&f);
}

/* Fn::Sub with variables from the map, parameters, pseudo parameters and
 * resources; ${!Literal}; Fn::GetAtt in both forms. */
static void test_sub_getatt(void **state)
{
	(void)state;
	fixture f;
	load(&f, "Parameters:\n"
		 "  RootDomainName: {Type: String, Default: example.com}\n"
		 "Resources:\n"
		 "  Vpc: {Type: AWS::EC2::VPC}\n"
		 "  R:\n"
		 "    Type: AWS::X::Y\n"
		 "    Properties:\n"
		 "      A: !Sub\n"
		 "        - www.${Domain}\n"
		 "        - {Domain: !Ref RootDomainName}\n"
		 "      B: !Sub '${RootDomainName}/${!Literal}'\n"
		 "      C: !Sub '${Vpc}'\n"
		 "      D: !Sub '${Vpc.CidrBlock}'\n"
		 "      E: !Sub 'arn:${AWS::Partition}:ec2:${AWS::Region}:vpc/${Vpc}'\n"
		 "      F: !GetAtt Vpc.CidrBlock\n"
		 "      G: !GetAtt [Vpc, DefaultSecurityGroup]\n"
		 "      H: {'Fn::GetAtt': [Vpc, Ipv6CidrBlocks]}\n"
		 "      I: {'Fn::Sub': 'plain text'}\n"
		 "      J: !GetAtt Db.Endpoint.Address\n"
		 "  Db: {Type: AWS::RDS::DBInstance}\n");
	assert_int_equal(f.rc, CS_OK);
	assert_int_equal(f.cap.n, 0);
	assert_str(prop(&f, "R", "A"), "www.example.com");
	assert_str(prop(&f, "R", "B"), "example.com/${Literal}");
	assert_unknown(prop(&f, "R", "C"), "ref:Vpc");
	assert_int_equal(cs_value_str(prop(&f, "R", "C")).len, 7);
	assert_unknown(prop(&f, "R", "D"), "ref:Vpc.CidrBlock");
	const cs_value *e = prop(&f, "R", "E");
	assert_unknown(e, "Fn::Sub over unknown ${AWS::Partition}");
	assert_false(strncmp(cs_value_str(e).ptr, "ref:", 4) == 0);
	assert_unknown(prop(&f, "R", "F"), "ref:Vpc.CidrBlock");
	assert_unknown(prop(&f, "R", "G"), "ref:Vpc.DefaultSecurityGroup");
	assert_unknown(prop(&f, "R", "H"), "ref:Vpc.Ipv6CidrBlocks");
	assert_str(prop(&f, "R", "I"), "plain text");
	assert_unknown(prop(&f, "R", "J"), "ref:Db.Endpoint.Address");
	done(&f);
}

/* Mappings and Fn::FindInMap; conditions (Fn::Equals, And, Or, Not,
 * Condition) deciding Fn::If and resource Conditions. */
static void test_mappings_conditions(void **state)
{
	(void)state;
	fixture f;
	load(&f, "Parameters:\n"
		 "  Env: {Type: String, Default: prod}\n"
		 "  Other: {Type: String}\n"
		 "Mappings:\n"
		 "  RegionMap:\n"
		 "    us-east-1: {HVM64: ami-0ff8a91507f77f867, Sizes: [1, 2]}\n"
		 "Conditions:\n"
		 "  IsProd: !Equals [!Ref Env, prod]\n"
		 "  IsDev: {'Fn::Equals': [{Ref: Env}, dev]}\n"
		 "  NotProd: !Not [!Condition IsProd]\n"
		 "  ProdAndNotDev: !And [!Condition IsProd, !Not [{Condition: IsDev}]]\n"
		 "  DevOrProd: !Or [!Condition IsDev, !Condition IsProd]\n"
		 "  Unk: !Equals [!Ref Other, x]\n"
		 "  UnkOrProd: !Or [!Condition Unk, !Condition IsProd]\n"
		 "  UnkAndDev: !And [!Condition Unk, !Condition IsDev]\n"
		 "  UnkAndProd: !And [!Condition Unk, !Condition IsProd]\n"
		 "Resources:\n"
		 "  R:\n"
		 "    Type: AWS::X::Y\n"
		 "    Properties:\n"
		 "      Ami: !FindInMap [RegionMap, us-east-1, HVM64]\n"
		 "      Sizes: {'Fn::FindInMap': [RegionMap, us-east-1, Sizes]}\n"
		 "      ByRegion: !FindInMap [RegionMap, !Ref 'AWS::Region', HVM64]\n"
		 "      If1: !If [IsProd, big, small]\n"
		 "      If2: !If [NotProd, big, small]\n"
		 "      If3: !If [ProdAndNotDev, yes, no]\n"
		 "      If4: !If [DevOrProd, yes, no]\n"
		 "      If5: !If [UnkOrProd, yes, no]\n"
		 "      If6: !If [UnkAndDev, yes, no]\n"
		 "      If7: !If [UnkAndProd, yes, no]\n"
		 "      Same: !If [Unk, same, same]\n"
		 "      Gone: !If [NotProd, x, !Ref AWS::NoValue]\n"
		 "      Eq: !Equals [a, a]\n"
		 "  OnlyDev: {Type: AWS::X::Y, Condition: IsDev}\n"
		 "  OnlyProd: {Type: AWS::X::Y, Condition: IsProd}\n"
		 "  Maybe: {Type: AWS::X::Y, Condition: Unk}\n");
	assert_int_equal(f.rc, CS_OK);
	assert_int_equal(f.cap.n, 0);
	assert_str(prop(&f, "R", "Ami"), "ami-0ff8a91507f77f867");
	assert_int_equal(cs_value_len(prop(&f, "R", "Sizes")), 2);
	assert_unknown(prop(&f, "R", "ByRegion"), "pseudo parameter AWS::Region");
	assert_str(prop(&f, "R", "If1"), "big");
	assert_str(prop(&f, "R", "If2"), "small");
	assert_str(prop(&f, "R", "If3"), "yes");
	assert_str(prop(&f, "R", "If4"), "yes");
	assert_str(prop(&f, "R", "If5"), "yes");
	assert_str(prop(&f, "R", "If6"), "no");
	assert_unknown(prop(&f, "R", "If7"), "Fn::If on condition UnkAndProd");
	assert_str(prop(&f, "R", "Same"), "same");
	assert_null(prop(&f, "R", "Gone"));
	assert_true(cs_value_bool(prop(&f, "R", "Eq")));
	assert_null(res(&f, "OnlyDev"));
	assert_non_null(res(&f, "OnlyProd"));
	assert_non_null(res(&f, "Maybe"));
	assert_int_equal(cs__ingest_count(f.in), 3);
	done(&f);
}

/* Resource records: type, name, provider, format, the key's location and
 * the last line of the definition; a Transform gives a note. */
static void test_resource_records(void **state)
{
	(void)state;
	fixture f;
	load(&f, "AWSTemplateFormatVersion: '2010-09-09'\n"
		 "Transform: AWS::Serverless-2016-10-31\n"
		 "Resources:\n"
		 "  Fn:\n"
		 "    Type: AWS::Serverless::Function\n"
		 "    Properties:\n"
		 "      Role: !GetAtt FnRole.Arn\n"
		 "      Runtime: python3.12\n"
		 "\n"
		 "  Topic:\n"
		 "    Type: AWS::SNS::Topic\n");
	assert_int_equal(f.rc, CS_OK);
	assert_int_equal(cs__ingest_count(f.in), 2);
	const cs_raw *r = cs__ingest_at(f.in, 0);
	assert_string_equal(r->format, "cloudformation");
	assert_string_equal(r->provider, "aws");
	assert_string_equal(r->type, "AWS::Serverless::Function");
	assert_string_equal(r->name, "Fn");
	assert_string_equal(r->file, "t.yaml");
	assert_int_equal(r->line, 4);
	assert_int_equal(r->col, 3);
	assert_int_equal(r->end_line, 8);
	/* FnRole is made by the SAM transform: not an error, a note */
	assert_unknown(cs_value_get(r->props, "Role"), "ref:FnRole.Arn");
	r = cs__ingest_at(f.in, 1);
	assert_null(r->props);
	assert_int_equal(r->line, 10);
	assert_int_equal(r->end_line, 11);
	assert_int_equal(f.cap.errors, 0);
	const cs_diag *d = find_diag(&f.cap, "Transform AWS::Serverless-2016-10-31");
	assert_non_null(d);
	assert_int_equal(d->sev, CS_SEV_NOTE);
	assert_int_equal(d->line, 2);
	assert_non_null(strstr(d->msg, "not expanded"));
	done(&f);
}

/* The same template in JSON (long form) gives the same values. */
static void test_json_long_form(void **state)
{
	(void)state;
	fixture f;
	load(&f, "{\"Parameters\": {\"P\": {\"Type\": \"Number\", \"Default\": 3}},\n"
		 " \"Conditions\": {\"C\": {\"Fn::Equals\": [{\"Ref\": \"P\"}, \"3\"]}},\n"
		 " \"Resources\": {\n"
		 "  \"Q\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": {\n"
		 "    \"Delay\": {\"Fn::If\": [\"C\", {\"Ref\": \"P\"}, 0]},\n"
		 "    \"Name\": {\"Fn::Join\": [\"-\", [\"q\", {\"Fn::Select\": [0, "
		 "{\"Fn::Split\": [\",\", \"a,b\"]}]}]]},\n"
		 "    \"Arn\": {\"Fn::GetAtt\": [\"T\", \"Arn\"]}}},\n"
		 "  \"T\": {\"Type\": \"AWS::SNS::Topic\"}}}\n");
	assert_int_equal(f.rc, CS_OK);
	assert_int_equal(f.cap.n, 0);
	const cs_value *d = prop(&f, "Q", "Delay");
	assert_int_equal(cs_value_type(d), CS_VNUMBER);
	assert_true(cs_value_num(d) == 3);
	assert_int_equal(cs_value_line(d), 5);
	assert_int_equal(cs_value_col(d), 14);
	assert_str(prop(&f, "Q", "Name"), "q-a");
	assert_unknown(prop(&f, "Q", "Arn"), "ref:T.Arn");
	const cs_raw *q = res(&f, "Q");
	assert_int_equal(q->line, 4);
	assert_int_equal(q->col, 3);
	assert_int_equal(q->end_line, 7);
	done(&f);
}

/* ---- bad shapes -------------------------------------------------------------- */

static void expect_diag(const fixture *f, const char *needle, cs_severity sev, unsigned line,
			unsigned col)
{
	const cs_diag *d = find_diag(&f->cap, needle);
	if (!d)
		fail_msg("no diagnostic '%s'", needle);
	if (d->sev != sev || d->line != line || d->col != col || !d->file ||
	    strcmp(d->file, "t.yaml") != 0)
		fail_msg("'%s': severity %d at %u:%u, want %d at %u:%u", needle, d->sev, d->line,
			 d->col, sev, line, col);
}

static void test_bad_shapes(void **state)
{
	(void)state;
	fixture f;
	load(&f, "Transform: ShortHand\nResources:\n  - S3::Bucket\n");
	assert_int_equal(f.rc, CS_ETYPE);
	expect_diag(&f, "Resources is not a mapping (array)", CS_SEV_ERROR, 3, 3);
	assert_int_equal(cs__ingest_count(f.in), 0);
	done(&f);

	load(&f, "- just a list\n");
	assert_int_equal(f.rc, CS_ETYPE);
	expect_diag(&f, "must be a mapping", CS_SEV_ERROR, 1, 1);
	done(&f);

	load(&f, "Parameters: [1]\n"
		 "Conditions:\n"
		 "  C1: !Condition C2\n"
		 "  C2: !And [!Condition C1, !Equals [1, 1]]\n"
		 "  C3: !Ref Nope\n"
		 "Resources:\n"
		 "  NoType: {Properties: {}}\n"
		 "  Scalar: 5\n"
		 "  BadProps: {Type: AWS::S3::Bucket, Properties: [1]}\n"
		 "  Circ: {Type: AWS::S3::Bucket, Condition: C1}\n"
		 "  Undef: {Type: AWS::S3::Bucket, Condition: Missing}\n"
		 "  NotCond: {Type: AWS::S3::Bucket, Condition: C3}\n"
		 "  Args:\n"
		 "    Type: AWS::S3::Bucket\n"
		 "    Properties:\n"
		 "      A: !Ref Nothing\n"
		 "      B: !Select [9, [1]]\n"
		 "      C: !Sub [1, 2]\n"
		 "      D: !Cidr [x, 1, 1]\n"
		 "      E: {Fn::Bogus: 1}\n"
		 "      F: !Join [',', a]\n"
		 "      G: !GetAtt NoDot\n"
		 "      H: !If [Missing, 1, 2]\n"
		 "      I: !FindInMap [NoMap, a, b]\n"
		 "      J: !Split ['', abc]\n"
		 "      K: !Base64 [x]\n"
		 "      L: !Length notalist\n"
		 "      M: !Weird x\n"
		 "      N: {Fn::Select: [x, [1]]}\n"
		 "      O: !GetAtt [Nothing, Arn]\n"
		 "      P: !Sub '${Nothing}'\n");
	assert_int_equal(f.rc, CS_OK);
	expect_diag(&f, "Parameters is not a mapping (array)", CS_SEV_WARNING, 1, 13);
	expect_diag(&f, "resource NoType has no Type string", CS_SEV_ERROR, 7, 3);
	expect_diag(&f, "resource Scalar is not a mapping (number)", CS_SEV_ERROR, 8, 11);
	expect_diag(&f, "Properties is not a mapping (array)", CS_SEV_ERROR, 9, 49);
	expect_diag(&f, "condition 'C1' depends on itself", CS_SEV_ERROR, 4, 13);
	expect_diag(&f, "condition 'Missing' is not defined", CS_SEV_ERROR, 11, 45);
	expect_diag(&f, "Ref is not a condition function", CS_SEV_WARNING, 5, 7);
	expect_diag(&f, "Ref to 'Nothing'", CS_SEV_ERROR, 16, 10);
	expect_diag(&f, "Fn::Select: index 9 is out of range", CS_SEV_WARNING, 17, 10);
	expect_diag(&f, "Fn::Sub: needs a string", CS_SEV_WARNING, 18, 10);
	expect_diag(&f, "Fn::Cidr: needs", CS_SEV_WARNING, 19, 10);
	expect_diag(&f, "unsupported intrinsic function Fn::Bogus", CS_SEV_WARNING, 20, 10);
	expect_diag(&f, "Fn::Join: needs", CS_SEV_WARNING, 21, 10);
	expect_diag(&f, "Fn::GetAtt: needs LogicalId.Attribute", CS_SEV_WARNING, 22, 10);
	expect_diag(&f, "Fn::FindInMap: no mapping 'NoMap'", CS_SEV_ERROR, 24, 10);
	expect_diag(&f, "Fn::Split: needs", CS_SEV_WARNING, 25, 10);
	expect_diag(&f, "Fn::Base64: needs a string", CS_SEV_WARNING, 26, 10);
	expect_diag(&f, "Fn::Length: needs a list", CS_SEV_WARNING, 27, 10);
	expect_diag(&f, "unknown YAML tag !Weird", CS_SEV_WARNING, 28, 10);
	expect_diag(&f, "Fn::Select: needs a whole-number index", CS_SEV_WARNING, 29, 10);
	expect_diag(&f, "Fn::GetAtt on 'Nothing'", CS_SEV_ERROR, 30, 10);
	/* skipped: NoType, Scalar; kept (condition unknown): Circ, Undef, NotCond */
	assert_null(res(&f, "NoType"));
	assert_null(res(&f, "Scalar"));
	assert_non_null(res(&f, "Circ"));
	assert_non_null(res(&f, "Undef"));
	assert_non_null(res(&f, "NotCond"));
	assert_unknown(res(&f, "BadProps")->props, "Properties is not a mapping");
	assert_unknown(prop(&f, "Args", "A"), "Ref to undefined Nothing");
	assert_unknown(prop(&f, "Args", "C"), "malformed");
	assert_unknown(prop(&f, "Args", "H"), "Fn::If on condition Missing");
	assert_str(prop(&f, "Args", "M"), "x");
	assert_unknown(prop(&f, "Args", "P"), "Ref to undefined Nothing");
	done(&f);
}

/* Deep nesting of intrinsics is bounded; a long chain of conditions too. */
static void test_limits(void **state)
{
	(void)state;
	char doc[32768];
	size_t o = (size_t)snprintf(doc, sizeof doc,
				    "Resources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n"
				    "      A: ");
	for (int i = 0; i < 240; i++)
		o += (size_t)snprintf(doc + o, sizeof doc - o, "{Fn::Base64: ");
	o += (size_t)snprintf(doc + o, sizeof doc - o, "x");
	for (int i = 0; i < 240; i++)
		o += (size_t)snprintf(doc + o, sizeof doc - o, "}");
	o += (size_t)snprintf(doc + o, sizeof doc - o, "\n");
	fixture f;
	load(&f, doc);
	assert_int_equal(f.rc, CS_OK);
	assert_non_null(find_diag(&f.cap, "nested too deeply"));
	assert_unknown(prop(&f, "R", "A"), "nested too deeply");
	done(&f);

	o = (size_t)snprintf(doc, sizeof doc, "Conditions:\n");
	for (int i = 0; i < 400; i++)
		o += (size_t)snprintf(doc + o, sizeof doc - o, "  C%d: !Condition C%d\n", i, i + 1);
	o += (size_t)snprintf(doc + o, sizeof doc - o,
			      "  C400: !Equals [a, a]\nResources:\n"
			      "  R: {Type: AWS::X::Y, Condition: C0}\n");
	load(&f, doc);
	assert_int_equal(f.rc, CS_OK);
	assert_non_null(find_diag(&f.cap, "conditions nested too deeply"));
	assert_non_null(res(&f, "R"));
	done(&f);
}

/* Every allocation failure gives CS_ENOMEM and leaks nothing (ASan). */
static void test_oom(void **state)
{
	(void)state;
	const char *doc = "Parameters:\n  L: {Type: CommaDelimitedList, Default: 'a,b'}\n"
			  "Conditions:\n  C: !Equals [!Select [0, !Ref L], a]\n"
			  "Resources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n"
			  "      A: !If [C, !Sub '${AWS::Region}-x', !Join [',', !Ref L]]\n"
			  "      B: !Cidr ['10.0.0.0/16', 4, 8]\n      D: [1, !Ref AWS::NoValue]\n";
	bool finished = false;
	for (unsigned long n = 1; n < 2000 && !finished; n++) {
		cs_diag_sink sink = { 0 };
		cs_ingest *in = cs__ingest_new(0, &sink);
		const cs_value *docs = NULL;
		assert_non_null(in);
		assert_int_equal(cs_yaml_parse(cs__ingest_arena(in), "t.yaml", doc, strlen(doc), NULL,
					       &sink, &docs),
				 CS_OK);
		cs_alloc_fail_after(n);
		cs_err rc = cs__cfn_extract(in, "t.yaml", cs_value_at(docs, 0));
		cs_alloc_fail_after(0);
		assert_true(rc == CS_OK || rc == CS_ENOMEM);
		finished = rc == CS_OK;
		cs__ingest_free(in);
	}
	assert_true(finished);
}

/* ---- the corpus ------------------------------------------------------------- */

#define CORPUS CS_SOURCE_DIR "/../shared/data/corpora/cloudformation"

typedef struct {
	unsigned files, resources, failed;
} tally;

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && strcmp(s + n - m, suf) == 0;
}

/* The inputs the corpus README lists as not valid templates. */
static bool known_bad(const char *path)
{
	return has_suffix(path, "MacrosExamples/ShortHand/example.template");
}

static void one_template(const char *path, tally *t)
{
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(cs_file_read(path, 16u << 20, &data, &len), CS_OK);
	fixture f;
	memset(&f, 0, sizeof f);
	f.sink.fn = cap;
	f.sink.ud = &f.cap;
	f.in = cs__ingest_new(0, &f.sink);
	assert_non_null(f.in);
	size_t i = 0;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	const cs_value *root = NULL, *docs = NULL;
	cs_err rc;
	if (has_suffix(path, ".json") || (i < len && data[i] == '{')) {
		rc = cs_json_parse(cs__ingest_arena(f.in), path, data, len, NULL, &f.sink, &root,
				   NULL);
	} else {
		rc = cs_yaml_parse(cs__ingest_arena(f.in), path, data, len, NULL, &f.sink, &docs);
		root = cs_value_at(docs, 0);
	}
	if (rc == CS_OK) {
		bool detected = cs__cfn_detect(root);
		rc = cs__cfn_extract(f.in, path, root);
		if (!known_bad(path) && !detected)
			fail_msg("%s: not detected as CloudFormation", path);
	}
	t->files++;
	t->resources += (unsigned)cs__ingest_count(f.in);
	if (known_bad(path)) {
		assert_int_equal(rc, CS_ETYPE);
		t->failed++;
	} else if (rc != CS_OK || f.cap.errors) {
		fail_msg("%s: %s, %u errors; first: %u:%u %s", path, cs_errname(rc), f.cap.errors,
			 f.cap.n ? f.cap.d[0].line : 0, f.cap.n ? f.cap.d[0].col : 0,
			 f.cap.n ? f.cap.msg[0] : "");
	}
	for (size_t k = 0; k < cs__ingest_count(f.in); k++) {
		const cs_raw *r = cs__ingest_at(f.in, k);
		assert_true(r->line > 0 && r->col > 0 && r->end_line >= r->line);
		assert_true(r->props == NULL || cs_value_type(r->props) == CS_VOBJECT ||
			    cs_value_type(r->props) == CS_VUNKNOWN);
	}
	done(&f);
	cs_free(data);
}

static void walk(const char *dir, tally *t, unsigned depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	assert_non_null(d);
	assert_true(depth < 16);
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			walk(path, t, depth + 1);
		else if (has_suffix(path, ".yaml") || has_suffix(path, ".yml") ||
			 has_suffix(path, ".json") || has_suffix(path, ".template"))
			one_template(path, t);
	}
	closedir(d);
}

static void test_corpus(void **state)
{
	(void)state;
	struct stat st;
	if (stat(CORPUS, &st) != 0 || !S_ISDIR(st.st_mode))
		skip();
	tally t = { 0 };
	walk(CORPUS, &t, 0);
	print_message("corpus: %u templates, %u resources, %u known-bad\n", t.files, t.resources,
		      t.failed);
	/* the README counts 187 templates with 1,102 resources */
	assert_int_equal(t.files, 187);
	assert_int_equal(t.failed, 1);
	assert_true(t.resources > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),		 cmocka_unit_test(test_parameters),
		cmocka_unit_test(test_functions),	 cmocka_unit_test(test_sub_getatt),
		cmocka_unit_test(test_mappings_conditions), cmocka_unit_test(test_resource_records),
		cmocka_unit_test(test_json_long_form),	 cmocka_unit_test(test_bad_shapes),
		cmocka_unit_test(test_limits),		 cmocka_unit_test(test_oom),
		cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
