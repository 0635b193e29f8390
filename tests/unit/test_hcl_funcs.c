/* test_hcl_funcs.c - Terraform's built-in functions (hcl/funcs.h): the
 * golden cases in tests/cases/hcl/funcs/*.txt (the examples of Terraform's
 * documentation with their documented results, error cases and unknown
 * propagation), plus the call interface: lookup, arity, null, unknown
 * reasons, files confined to the configuration directory, templatefile's
 * callback.
 *
 * A case is one line:  EXPR ==> EXPECTED   or   EXPR !! TEXT
 * where EXPR is a small HCL subset: numbers, "strings" (JSON escapes),
 * true, false, null, unknown, [tuples], {objects = ...} and function calls;
 * EXPECTED is evaluated the same way and both are compared printed
 * (objects by sorted key; sets as toset([...])); TEXT must occur in the
 * error's summary or detail.  Lines starting with # are comments. */
#include <ctype.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hcl/funcs.h"

typedef struct parser {
	const char *p, *end;
	cs_arena *a;
	const char *dir;
	char err[600];   /* the error of the last failed call */
	bool failed;     /* a call failed */
	bool syntax;     /* the case line is malformed */
} parser;

static cs_err fake_template(void *ud, cs_arena *a, const char *path, const char *text, size_t len,
			    const cs_value *vars, const cs_value **out, const char **why);

static void ws(parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
}

static cs_value *parse(parser *ps);

static cs_value *call(parser *ps, const char *name, size_t nl, cs_value **args, size_t n)
{
	const cs__hcl_func *f = cs__hcl_func_lookup(name, nl);
	if (!f) {
		snprintf(ps->err, sizeof ps->err, "Call to unknown function %.*s", (int)nl, name);
		ps->failed = true;
		return NULL;
	}
	cs__hcl_call c = { 0 };
	c.arena = ps->a;
	c.args = args;
	c.nargs = n;
	c.dir = ps->dir;
	c.line = 1;
	c.col = 1;
	c.template = fake_template;
	const cs_value *out = NULL;
	cs_err rc = cs__hcl_func_call(f, &c, &out);
	if (rc) {
		snprintf(ps->err, sizeof ps->err, "%s: %s", c.summary ? c.summary : "?",
			 c.detail ? c.detail : "?");
		ps->failed = true;
		return NULL;
	}
	assert_non_null(out);
	return (cs_value *)out;
}

static cs_value *parse_string(parser *ps)
{
	char buf[4096];
	size_t n = 0;
	ps->p++;
	while (ps->p < ps->end && *ps->p != '"' && n < sizeof buf - 4) {
		char ch = *ps->p++;
		if (ch != '\\') {
			buf[n++] = ch;
			continue;
		}
		if (ps->p >= ps->end)
			break;
		ch = *ps->p++;
		switch (ch) {
		case 'n':
			buf[n++] = '\n';
			break;
		case 'r':
			buf[n++] = '\r';
			break;
		case 't':
			buf[n++] = '\t';
			break;
		case 'u': {
			unsigned cp = 0;
			for (int k = 0; k < 4 && ps->p < ps->end; k++) {
				char h = *ps->p++;
				cp = cp * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
			}
			if (cp < 0x80) {
				buf[n++] = (char)cp;
			} else if (cp < 0x800) {
				buf[n++] = (char)(0xC0 | (cp >> 6));
				buf[n++] = (char)(0x80 | (cp & 0x3F));
			} else {
				buf[n++] = (char)(0xE0 | (cp >> 12));
				buf[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
				buf[n++] = (char)(0x80 | (cp & 0x3F));
			}
			break;
		}
		default:
			buf[n++] = ch;
		}
	}
	if (ps->p >= ps->end) {
		ps->syntax = true;
		return NULL;
	}
	ps->p++;
	return cs__v_strdup(ps->a, buf, n, 1, 1);
}

/* Comma-separated expressions up to `close`. */
static size_t parse_list(parser *ps, char close, cs_value **v, size_t max)
{
	size_t n = 0;
	ps->p++;
	for (;;) {
		ws(ps);
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			return n;
		}
		if (n == max || ps->p >= ps->end) {
			ps->syntax = true;
			return n;
		}
		v[n] = parse(ps);
		if (!v[n])
			return n;
		n++;
		ws(ps);
		if (ps->p < ps->end && *ps->p == ',')
			ps->p++;
	}
}

static cs_value *parse(parser *ps)
{
	ws(ps);
	if (ps->p >= ps->end) {
		ps->syntax = true;
		return NULL;
	}
	char ch = *ps->p;
	if (ch == '"')
		return parse_string(ps);
	if (ch == '[') {
		cs_value *v[64];
		size_t n = parse_list(ps, ']', v, 64);
		if (ps->syntax || ps->failed)
			return NULL;
		return cs__v_array(ps->a, v, n, 1, 1);
	}
	if (ch == '{') {
		cs_member m[64];
		size_t n = 0;
		ps->p++;
		for (;;) {
			ws(ps);
			if (ps->p < ps->end && *ps->p == '}') {
				ps->p++;
				break;
			}
			if (n == 64 || ps->p >= ps->end) {
				ps->syntax = true;
				return NULL;
			}
			cs_value *k;
			if (*ps->p == '"') {
				k = parse_string(ps);
			} else {
				const char *st = ps->p;
				while (ps->p < ps->end && (isalnum((unsigned char)*ps->p) || *ps->p == '_' || *ps->p == '-'))
					ps->p++;
				k = cs__v_strdup(ps->a, st, (size_t)(ps->p - st), 1, 1);
			}
			ws(ps);
			if (!k || ps->p >= ps->end || (*ps->p != '=' && *ps->p != ':')) {
				ps->syntax = true;
				return NULL;
			}
			ps->p++;
			cs_value *v = parse(ps);
			if (!v)
				return NULL;
			m[n].key = k->u.s;
			m[n].val = v;
			m[n].line = m[n].col = 1;
			n++;
			ws(ps);
			if (ps->p < ps->end && *ps->p == ',')
				ps->p++;
		}
		return cs__v_object(ps->a, m, n, 1, 1);
	}
	if (ch == '-' || (ch >= '0' && ch <= '9')) {
		const char *st = ps->p;
		ps->p++;
		while (ps->p < ps->end && (isdigit((unsigned char)*ps->p) || *ps->p == '.' || *ps->p == 'e' ||
					   *ps->p == 'E' || ((*ps->p == '-' || *ps->p == '+') &&
							     (ps->p[-1] == 'e' || ps->p[-1] == 'E'))))
			ps->p++;
		char tmp[64];
		size_t l = (size_t)(ps->p - st);
		if (l >= sizeof tmp) {
			ps->syntax = true;
			return NULL;
		}
		memcpy(tmp, st, l);
		tmp[l] = 0;
		char *raw = cs_arena_strndup(ps->a, st, l);
		return cs__v_num(ps->a, strtod(tmp, NULL), (cs_str){ raw, l }, 1, 1);
	}
	if (isalpha((unsigned char)ch)) {
		const char *st = ps->p;
		while (ps->p < ps->end && (isalnum((unsigned char)*ps->p) || *ps->p == '_'))
			ps->p++;
		size_t l = (size_t)(ps->p - st);
		ws(ps);
		if (ps->p < ps->end && *ps->p == '(') {
			cs_value *v[64];
			size_t n = parse_list(ps, ')', v, 64);
			if (ps->syntax || ps->failed)
				return NULL;
			return call(ps, st, l, v, n);
		}
		if (l == 4 && !memcmp(st, "true", 4))
			return cs__v_bool(ps->a, true, 1, 1);
		if (l == 5 && !memcmp(st, "false", 5))
			return cs__v_bool(ps->a, false, 1, 1);
		if (l == 4 && !memcmp(st, "null", 4))
			return cs__v_null(ps->a, 1, 1);
		if (l == 7 && !memcmp(st, "unknown", 7))
			return cs__v_unknown(ps->a, "known after apply", 1, 1);
		if (l == 3 && !memcmp(st, "ref", 3))
			return cs__v_unknown(ps->a, "ref:aws_s3_bucket.b", 1, 1);
	}
	ps->syntax = true;
	return NULL;
}

static int cmp_member(const void *x, const void *y)
{
	const cs_member *a = *(const cs_member *const *)x, *b = *(const cs_member *const *)y;
	size_t n = a->key.len < b->key.len ? a->key.len : b->key.len;
	int r = memcmp(a->key.ptr, b->key.ptr, n);
	return r ? r : (int)a->key.len - (int)b->key.len;
}

static void print(cs_buf *b, const cs_value *v)
{
	char nb[400];
	switch (cs_value_type(v)) {
	case CS_VNULL:
		cs_buf_puts(b, "null");
		break;
	case CS_VBOOL:
		cs_buf_puts(b, v->u.b ? "true" : "false");
		break;
	case CS_VNUMBER:
		cs__hcl_num_text(v->u.num.d, nb, sizeof nb);
		cs_buf_puts(b, nb);
		break;
	case CS_VSTRING:
		cs__hcl_json_encode(b, v);
		break;
	case CS_VUNKNOWN:
		cs_buf_puts(b, "unknown");
		break;
	case CS_VARRAY:
		if (v->flags & CS_VF_HCLSET)
			cs_buf_puts(b, "toset(");
		cs_buf_putc(b, '[');
		for (size_t i = 0; i < v->u.arr.n; i++) {
			if (i)
				cs_buf_puts(b, ", ");
			print(b, v->u.arr.v[i]);
		}
		cs_buf_putc(b, ']');
		if (v->flags & CS_VF_HCLSET)
			cs_buf_putc(b, ')');
		break;
	case CS_VOBJECT: {
		const cs_member *m[64];
		size_t n = v->u.obj.n < 64 ? v->u.obj.n : 64;
		for (size_t i = 0; i < n; i++)
			m[i] = &v->u.obj.m[i];
		qsort(m, n, sizeof *m, cmp_member);
		cs_buf_putc(b, '{');
		for (size_t i = 0; i < n; i++) {
			if (i)
				cs_buf_puts(b, ", ");
			cs_value k = { .type = CS_VSTRING, .u.s = m[i]->key };
			cs__hcl_json_encode(b, &k);
			cs_buf_puts(b, " = ");
			print(b, m[i]->val);
		}
		cs_buf_putc(b, '}');
		break;
	}
	}
}

/* Finds `sep` outside string literals. */
static const char *find_sep(const char *s, const char *sep)
{
	bool q = false;
	size_t sl = strlen(sep);
	for (const char *p = s; *p; p++) {
		if (*p == '\\' && q && p[1]) {
			p++;
			continue;
		}
		if (*p == '"')
			q = !q;
		if (!q && strncmp(p, sep, sl) == 0)
			return p;
	}
	return NULL;
}

static const char *files_dir(void)
{
	return CS_SOURCE_DIR "/tests/cases/hcl/funcs/files";
}

/* Runs the cases of one file; returns the number of failures. */
static unsigned run_file(const char *path, unsigned *cases, char *report, size_t rcap)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	unsigned fails = 0, ln = 0;
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		ln++;
		size_t l = strlen(line);
		while (l && (line[l - 1] == '\n' || line[l - 1] == '\r'))
			line[--l] = 0;
		if (!l || line[0] == '#')
			continue;
		const char *ok = find_sep(line, " ==> "), *bad = find_sep(line, " !! ");
		const char *sep = ok && (!bad || ok < bad) ? ok : bad;
		cs_arena *a = cs_arena_new(0);
		parser ps = { .p = line, .end = sep ? sep : line + l, .a = a, .dir = files_dir() };
		cs_buf got, want;
		cs_buf_init(&got, 1 << 20);
		cs_buf_init(&want, 1 << 20);
		bool pass = false;
		char why[1200] = "";
		(*cases)++;
		cs_value *v = sep ? parse(&ps) : NULL;
		ws(&ps);
		if (!sep || ps.syntax || (!ps.failed && ps.p != ps.end)) {
			snprintf(why, sizeof why, "malformed case");
		} else if (sep == ok) {
			parser pe = { .p = sep + 5, .end = line + l, .a = a, .dir = files_dir() };
			cs_value *e = parse(&pe);
			if (ps.failed)
				snprintf(why, sizeof why, "error: %s", ps.err);
			else if (!e)
				snprintf(why, sizeof why, "bad expected value%s%s", pe.failed ? ": " : "", pe.err);
			else {
				print(&got, v);
				print(&want, e);
				pass = strcmp(got.data, want.data) == 0;
				if (!pass)
					snprintf(why, sizeof why, "got %s, want %s", got.data, want.data);
			}
		} else {
			const char *text = sep + 4;
			if (!ps.failed) {
				print(&got, v);
				snprintf(why, sizeof why, "no error: got %s", got.data);
			} else {
				pass = strstr(ps.err, text) != NULL;
				if (!pass)
					snprintf(why, sizeof why, "error \"%s\" lacks \"%s\"", ps.err, text);
			}
		}
		if (!pass) {
			fails++;
			size_t rl = strlen(report);
			snprintf(report + rl, rcap - rl, "%s:%u: %s\n    %s\n", path, ln, line, why);
		}
		cs_buf_release(&got);
		cs_buf_release(&want);
		cs_arena_free(a);
	}
	fclose(f);
	return fails;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_golden(void **state)
{
	(void)state;
	const char *dir = CS_SOURCE_DIR "/tests/cases/hcl/funcs";
	DIR *d = opendir(dir);
	char *names[64];
	size_t n = 0;
	struct dirent *e;
	assert_non_null(d);
	while ((e = readdir(d)) && n < 64) {
		size_t l = strlen(e->d_name);
		if (l > 4 && strcmp(e->d_name + l - 4, ".txt") == 0) {
			names[n] = cs_malloc(strlen(dir) + l + 2);
			snprintf(names[n], strlen(dir) + l + 2, "%s/%s", dir, e->d_name);
			n++;
		}
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_names);
	assert_true(n >= 5);
	static char report[1 << 16];
	report[0] = 0;
	unsigned fails = 0, cases = 0;
	for (size_t i = 0; i < n; i++) {
		fails += run_file(names[i], &cases, report, sizeof report);
		cs_free(names[i]);
	}
	if (fails)
		print_message("%s%u of %u cases failed\n", report, fails, cases);
	assert_true(cases > 300);
	assert_int_equal(fails, 0);
}

/* ---- the call interface ---------------------------------------------------- */

static cs_err fake_template(void *ud, cs_arena *a, const char *path, const char *text, size_t len,
			    const cs_value *vars, const cs_value **out, const char **why)
{
	/* replaces ${name} by the string value of vars.name: enough to see
	 * that the text, the path and the variables arrive */
	char buf[4096];
	size_t o = 0;
	(void)ud;
	(void)path;
	for (size_t i = 0; i < len && o < sizeof buf - 1;) {
		if (text[i] == '$' && i + 1 < len && text[i + 1] == '{') {
			const char *close = memchr(text + i, '}', len - i);
			if (!close) {
				*why = "unterminated interpolation";
				return CS_ESYNTAX;
			}
			const cs_value *v = cs_value_getn(vars, text + i + 2, (size_t)(close - text - i - 2));
			if (!v || cs_value_type(v) != CS_VSTRING) {
				*why = "vars map does not contain key";
				return CS_EINVAL;
			}
			for (size_t k = 0; k < v->u.s.len && o < sizeof buf - 1; k++)
				buf[o++] = v->u.s.ptr[k];
			i = (size_t)(close - text) + 1;
			continue;
		}
		buf[o++] = text[i++];
	}
	*out = cs__v_strdup(a, buf, o, 1, 1);
	return *out ? CS_OK : CS_ENOMEM;
}

static void test_table(void **state)
{
	(void)state;
	size_t n = cs__hcl_func_count();
	assert_true(n >= 80);
	for (size_t i = 0; i < n; i++) {
		const cs__hcl_func *f = cs__hcl_func_at(i);
		assert_non_null(f);
		/* every name is found, and found once */
		assert_ptr_equal(cs__hcl_func_lookup(f->name, strlen(f->name)), f);
		assert_true(f->max_args == CS__HCL_VARIADIC || f->max_args >= f->min_args);
	}
	assert_null(cs__hcl_func_at(n));
	assert_null(cs__hcl_func_lookup("nosuch", 6));
	assert_null(cs__hcl_func_lookup("provider::aws::arn_parse", 24));
	/* the functions the brief requires */
	static const char *const req[] = {
		"abs", "ceil", "floor", "log", "max", "min", "parseint", "pow", "signum", "chomp",
		"endswith", "format", "formatlist", "indent", "join", "lower", "regex", "regexall",
		"replace", "split", "startswith", "strcontains", "strrev", "substr", "title", "trim",
		"trimprefix", "trimsuffix", "trimspace", "upper", "alltrue", "anytrue", "chunklist",
		"coalesce", "coalescelist", "compact", "concat", "contains", "distinct", "element",
		"flatten", "index", "keys", "length", "lookup", "matchkeys", "merge", "one", "range",
		"reverse", "setintersection", "setproduct", "setsubtract", "setunion", "slice", "sort",
		"sum", "transpose", "values", "zipmap", "base64decode", "base64encode", "csvdecode",
		"jsondecode", "jsonencode", "textdecodebase64", "textencodebase64", "urlencode",
		"yamldecode", "yamlencode", "cidrhost", "cidrnetmask", "cidrsubnet", "cidrsubnets",
		"can", "try", "tobool", "tolist", "tomap", "tonumber", "toset", "tostring", "formatdate",
		"timeadd", "timecmp", "timestamp", "md5", "sha1", "sha256", "sha512", "base64sha256",
		"base64sha512", "uuid", "uuidv5", "file", "fileexists", "filebase64", "templatefile",
		"abspath", "basename", "dirname",
	};
	for (size_t i = 0; i < CS_ARRAY_SIZE(req); i++)
		assert_non_null(cs__hcl_func_lookup(req[i], strlen(req[i])));
	assert_true(cs__hcl_func_lookup("try", 3)->flags & CS__HCL_F_LANG);
	assert_true(cs__hcl_func_lookup("can", 3)->flags & CS__HCL_F_LANG);
}

static cs_err run(cs_arena *a, const char *name, cs_value **args, size_t n, cs__hcl_call *c,
		  const cs_value **out)
{
	memset(c, 0, sizeof *c);
	c->arena = a;
	c->args = args;
	c->nargs = n;
	c->line = 7;
	c->col = 9;
	c->dir = files_dir();
	return cs__hcl_func_call(cs__hcl_func_lookup(name, strlen(name)), c, out);
}

static void test_errors(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	cs__hcl_call c;
	const cs_value *out;
	cs_value *s = cs__v_strdup(a, "x", 1, 1, 1), *nul = cs__v_null(a, 1, 1);
	cs_value *args[3] = { s, s, s };

	assert_int_equal(run(a, "upper", args, 0, &c, &out), CS_EINVAL);
	assert_string_equal(c.summary, "Not enough function arguments");
	assert_string_equal(c.detail, "Function \"upper\" expects 1 argument(s). Missing value for \"str\".");
	assert_int_equal(run(a, "upper", args, 2, &c, &out), CS_EINVAL);
	assert_string_equal(c.summary, "Too many function arguments");
	assert_int_equal(c.bad_arg, 1);

	args[0] = nul;
	assert_int_equal(run(a, "upper", args, 1, &c, &out), CS_EINVAL);
	assert_string_equal(c.summary, "Invalid function argument");
	assert_string_equal(c.detail, "Invalid value for \"str\" parameter: argument must not be null.");
	assert_int_equal(c.bad_arg, 0);

	/* results carry the call's location */
	args[0] = s;
	assert_int_equal(run(a, "upper", args, 1, &c, &out), CS_OK);
	assert_int_equal(cs_value_line(out), 7);
	assert_int_equal(cs_value_col(out), 9);

	/* an unknown's reason is kept; a ref: becomes "derived from" */
	args[0] = cs__v_unknown(a, "var.x has no value", 1, 1);
	assert_int_equal(run(a, "upper", args, 1, &c, &out), CS_OK);
	assert_int_equal(cs_value_type(out), CS_VUNKNOWN);
	assert_true(cs_str_eqc(cs_value_str(out), "var.x has no value"));
	args[0] = cs__v_unknown(a, "ref:aws_kms_key.k", 1, 1);
	assert_int_equal(run(a, "upper", args, 1, &c, &out), CS_OK);
	assert_true(cs_str_eqc(cs_value_str(out), "derived from ref:aws_kms_key.k"));
	assert_int_equal(run(a, "timestamp", args, 0, &c, &out), CS_OK);
	assert_true(cs_str_eqc(cs_value_str(out), "timestamp() is known only after apply"));
	assert_int_equal(run(a, "uuid", args, 0, &c, &out), CS_OK);
	assert_int_equal(cs_value_type(out), CS_VUNKNOWN);
	cs_arena_free(a);
}

static void test_files(void **state)
{
	(void)state;
	cs_arena *a = cs_arena_new(0);
	cs__hcl_call c;
	const cs_value *out;
	cs_value *args[2];
	const char *d;
	size_t n;

	/* outside the directory: refused even when it exists */
	args[0] = cs__v_strdup(a, "../strings.txt", 14, 1, 1);
	assert_int_equal(run(a, "file", args, 1, &c, &out), CS_EINVAL);
	assert_non_null(strstr(c.detail, "outside the configuration directory"));
	args[0] = cs__v_strdup(a, "/etc/passwd", 11, 1, 1);
	assert_int_equal(run(a, "file", args, 1, &c, &out), CS_EINVAL);
	assert_int_equal(cs__hcl_read_confined(NULL, a, files_dir(), "/etc/passwd", &d, &n), CS_EINVAL);
	assert_int_equal(cs__hcl_read_confined(NULL, a, files_dir(), "hello.txt", &d, &n), CS_OK);
	assert_int_equal(n, 12);
	assert_int_equal(cs__hcl_read_confined(NULL, a, files_dir(), "sub/../hello.txt", &d, &n), CS_OK);
	assert_int_equal(cs__hcl_read_confined(NULL, a, files_dir(), "nope", &d, &n), CS_ENOENT);
	assert_int_equal(cs__hcl_read_confined(NULL, a, NULL, "hello.txt", &d, &n), CS_EINVAL);
	/* no directory: file functions fail */
	args[0] = cs__v_strdup(a, "hello.txt", 9, 1, 1);
	memset(&c, 0, sizeof c);
	c.arena = a;
	c.args = args;
	c.nargs = 1;
	assert_int_equal(cs__hcl_func_call(cs__hcl_func_lookup("file", 4), &c, &out), CS_EINVAL);
	/* templatefile without a template callback */
	args[1] = cs__v_object(a, NULL, 0, 1, 1);
	assert_int_equal(run(a, "templatefile", args, 2, &c, &out), CS_EINVAL);
	assert_non_null(strstr(c.detail, "cannot be rendered here"));
	cs_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_golden),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
