/*
 * hcl/funcs_file.c - Terraform's filesystem functions: file, fileexists,
 * filebase64, filemd5, filesha1, filesha256, filesha512, filebase64sha256,
 * filebase64sha512, templatefile, abspath, basename, dirname.
 *
 * Files are read through the call's read_file callback (the evaluator's),
 * by default cs__hcl_read_confined: only files inside the configuration
 * directory, whatever the path or its symbolic links say.  templatefile
 * renders through the evaluator's template callback.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "funcs.h"

#define FILE_MAX (64u << 20)

cs_err cs__hcl_read_confined(void *ud, cs_arena *a, const char *dir, const char *path,
			     const char **data, size_t *len)
{
	cs_err rc = CS_OK;
	char *full = NULL, *real = NULL, *realdir = NULL, *buf = NULL;
	size_t n = 0;
	(void)ud;
	if (!dir) {
		rc = CS_EINVAL;
		goto out;
	}
	full = path[0] == '/' ? cs_arena_strdup(a, path) : cs_arena_printf(a, "%s/%s", dir, path);
	if (!full) {
		rc = CS_ENOMEM;
		goto out;
	}
	realdir = realpath(dir, NULL);
	real = realpath(full, NULL);
	if (!realdir || !real) {
		rc = (!real && errno == ENOENT) || (!real && errno == ENOTDIR) ? CS_ENOENT : CS_EIO;
		goto out;
	}
	size_t dl = strlen(realdir);
	if (strncmp(real, realdir, dl) != 0 || (real[dl] != '/' && real[dl] != 0 && dl > 1)) {
		rc = CS_EINVAL;
		goto out;
	}
	struct stat st;
	if (stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = CS_ENOENT;
		goto out;
	}
	rc = cs_file_read(real, FILE_MAX, &buf, &n);
	if (rc)
		goto out;
	*data = cs_arena_strndup(a, buf, n);
	*len = n;
	if (!*data)
		rc = CS_ENOMEM;
out:
	/* realpath allocates with the C library: released with its free */
	if (real)
		(free)(real);
	if (realdir)
		(free)(realdir);
	cs_free(buf);
	return rc;
}

/* Reads argument 0 as a path; sets the Terraform error on failure.
 * missing_ok: a missing file gives CS_ENOENT without an error. */
static cs_err read_arg(cs__hcl_call *c, const char **data, size_t *len, bool missing_ok)
{
	cs_str p;
	cs_err rc = cs__hcl_want_str(c, 0, &p);
	if (rc)
		return rc;
	if (memchr(p.ptr, 0, p.len))
		return cs__hcl_arg_err(c, 0, "the path contains a NUL byte");
	cs__hcl_read_fn rd = c->read_file ? c->read_file : cs__hcl_read_confined;
	if (!c->dir && !c->read_file)
		return cs__hcl_call_err(c, "files cannot be read here (no configuration directory)");
	rc = rd(c->ud, c->arena, c->dir, p.ptr, data, len);
	if (rc == CS_ENOENT && missing_ok)
		return CS_ENOENT;
	if (rc == CS_ENOENT)
		return cs__hcl_call_err(c, "no file exists at \"%.*s\"; this function works only with files "
					   "that are distributed as part of the configuration source code, so if "
					   "this file will be created by a resource in this configuration you "
					   "must instead obtain this result from an attribute of that resource",
					(int)(p.len > 200 ? 200 : p.len), p.ptr);
	if (rc == CS_EINVAL)
		return cs__hcl_call_err(c, "\"%.*s\" is outside the configuration directory; cshare reads "
					   "only files inside it",
					(int)(p.len > 200 ? 200 : p.len), p.ptr);
	if (rc == CS_ELIMIT)
		return cs__hcl_call_err(c, "\"%.*s\" is larger than %u bytes", (int)(p.len > 200 ? 200 : p.len),
					p.ptr, FILE_MAX);
	if (rc == CS_ENOMEM)
		return cs__hcl_oom(c);
	if (rc)
		return cs__hcl_call_err(c, "failed to read \"%.*s\"", (int)(p.len > 200 ? 200 : p.len), p.ptr);
	return CS_OK;
}

static cs_err f_file(cs__hcl_call *c, const cs_value **out)
{
	const char *d;
	size_t n;
	cs_err rc = read_arg(c, &d, &n, false);
	if (rc)
		return rc;
	if (cs__utf8_check(d, n) != n)
		return cs__hcl_call_err(c, "contents of \"%.*s\" are not valid UTF-8; use the filebase64 "
					   "function to obtain the Base64 encoded contents or the other file "
					   "functions (e.g. filemd5, filesha256) to obtain file hashing results "
					   "instead",
					(int)(c->args[0]->u.s.len > 200 ? 200 : c->args[0]->u.s.len),
					c->args[0]->u.s.ptr);
	*out = cs__v_str(c->arena, (cs_str){ d, n }, c->line, c->col);
	return CS_OK;
}

static cs_err f_fileexists(cs__hcl_call *c, const cs_value **out)
{
	const char *d;
	size_t n;
	cs_err rc = read_arg(c, &d, &n, true);
	if (rc == CS_ENOENT) {
		*out = cs__hcl_bool(c, false);
		return CS_OK;
	}
	if (!rc)
		*out = cs__hcl_bool(c, true);
	return rc;
}

static cs_err f_filebase64(cs__hcl_call *c, const cs_value **out)
{
	const char *d;
	size_t n, bl;
	cs_err rc = read_arg(c, &d, &n, false);
	if (rc)
		return rc;
	char *b = cs__hcl_base64(c->arena, (const unsigned char *)d, n, &bl);
	if (!b)
		return cs__hcl_oom(c);
	*out = cs__v_str(c->arena, (cs_str){ b, bl }, c->line, c->col);
	return CS_OK;
}

/* Runs a hash function over the file's contents: the string functions'
 * implementations, called on a string value. */
static cs_err file_hash(cs__hcl_call *c, const cs_value **out, const char *fn)
{
	const char *d;
	size_t n;
	cs_err rc = read_arg(c, &d, &n, false);
	if (rc)
		return rc;
	const cs__hcl_func *f = cs__hcl_func_lookup(fn, strlen(fn));
	cs_value *arg = cs__v_str(c->arena, (cs_str){ d, n }, c->line, c->col);
	if (!f || !arg)
		return cs__hcl_oom(c);
	cs__hcl_call sub = *c;
	sub.args = &arg;
	sub.nargs = 1;
	rc = f->fn(&sub, out);
	if (rc) {
		c->summary = sub.summary;
		c->detail = sub.detail;
	}
	return rc;
}

static cs_err f_filemd5(cs__hcl_call *c, const cs_value **out)
{
	return file_hash(c, out, "md5");
}

static cs_err f_filesha1(cs__hcl_call *c, const cs_value **out)
{
	return file_hash(c, out, "sha1");
}

static cs_err f_filesha256(cs__hcl_call *c, const cs_value **out)
{
	return file_hash(c, out, "sha256");
}

static cs_err f_filesha512(cs__hcl_call *c, const cs_value **out)
{
	return file_hash(c, out, "sha512");
}

static cs_err f_filebase64sha256(cs__hcl_call *c, const cs_value **out)
{
	return file_hash(c, out, "base64sha256");
}

static cs_err f_filebase64sha512(cs__hcl_call *c, const cs_value **out)
{
	return file_hash(c, out, "base64sha512");
}

static bool ident_ok(cs_str k)
{
	if (!k.len || !((k.ptr[0] >= 'a' && k.ptr[0] <= 'z') || (k.ptr[0] >= 'A' && k.ptr[0] <= 'Z') ||
			k.ptr[0] == '_'))
		return false;
	for (size_t i = 1; i < k.len; i++) {
		char ch = k.ptr[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

static cs_err f_templatefile(cs__hcl_call *c, const cs_value **out)
{
	const char *d;
	size_t n;
	const cs_value *vars = c->args[1];
	if (c->args[0]->type == CS_VUNKNOWN || vars->type == CS_VUNKNOWN) {
		*out = cs__hcl_unknown_from(c, c->args[0]->type == CS_VUNKNOWN ? c->args[0] : vars);
		return *out ? CS_OK : cs__hcl_oom(c);
	}
	if (vars->type != CS_VOBJECT)
		return cs__hcl_arg_err(c, 1, "invalid vars value: must be a map");
	for (size_t i = 0; i < vars->u.obj.n; i++)
		if (!ident_ok(vars->u.obj.m[i].key))
			return cs__hcl_arg_err(c, 1, "invalid template variable name \"%.*s\": must start with a "
						     "letter, followed by zero or more letters, digits, and underscores",
					       (int)(vars->u.obj.m[i].key.len > 100 ? 100 : vars->u.obj.m[i].key.len),
					       vars->u.obj.m[i].key.ptr);
	cs_err rc = read_arg(c, &d, &n, false);
	if (rc)
		return rc;
	if (cs__utf8_check(d, n) != n)
		return cs__hcl_call_err(c, "contents of the template are not valid UTF-8");
	if (!c->template)
		return cs__hcl_call_err(c, "templates cannot be rendered here");
	/* unknown variables reach the template as unknowns: the evaluator
	 * propagates them there */
	const char *why = NULL;
	rc = c->template(c->ud, c->arena, c->args[0]->u.s.ptr, d, n, vars, out, &why);
	if (rc == CS_ENOMEM)
		return cs__hcl_oom(c);
	if (rc)
		return cs__hcl_call_err(c, "%s", why ? why : "the template could not be rendered");
	return CS_OK;
}

static cs_err f_basename(cs__hcl_call *c, const cs_value **out)
{
	cs_str p;
	cs_err rc = cs__hcl_want_str(c, 0, &p);
	if (rc)
		return rc;
	if (p.len == 0) {
		*out = cs__hcl_str(c, ".", 1);
		return CS_OK;
	}
	while (p.len > 1 && p.ptr[p.len - 1] == '/')
		p.len--;
	if (p.len == 1 && p.ptr[0] == '/') {
		*out = cs__hcl_str(c, "/", 1);
		return CS_OK;
	}
	size_t i = p.len;
	while (i > 0 && p.ptr[i - 1] != '/')
		i--;
	*out = cs__hcl_str(c, p.ptr + i, p.len - i);
	return CS_OK;
}

/* Go's filepath.Clean, lexically, into the arena. */
static char *clean(cs_arena *a, const char *p, size_t n, size_t *outlen)
{
	char *o = cs_arena_alloc(a, n + 2);
	if (!o)
		return NULL;
	bool rooted = n && p[0] == '/';
	size_t w = 0, i = 0, dotdot = 0;
	if (rooted) {
		o[w++] = '/';
		i = 1;
		dotdot = 1;
	}
	while (i < n) {
		if (p[i] == '/') {
			i++;
		} else if (p[i] == '.' && (i + 1 == n || p[i + 1] == '/')) {
			i++;
		} else if (p[i] == '.' && p[i + 1] == '.' && (i + 2 == n || p[i + 2] == '/')) {
			i += 2;
			if (w > dotdot) {
				w--;
				while (w > dotdot && o[w] != '/')
					w--;
			} else if (!rooted) {
				if (w > 0)
					o[w++] = '/';
				o[w++] = '.';
				o[w++] = '.';
				dotdot = w;
			}
		} else {
			if ((rooted && w != 1) || (!rooted && w != 0))
				o[w++] = '/';
			while (i < n && p[i] != '/')
				o[w++] = p[i++];
		}
	}
	if (w == 0)
		o[w++] = '.';
	o[w] = 0;
	*outlen = w;
	return o;
}

static cs_err f_dirname(cs__hcl_call *c, const cs_value **out)
{
	cs_str p;
	size_t n;
	cs_err rc = cs__hcl_want_str(c, 0, &p);
	if (rc)
		return rc;
	size_t i = p.len;
	while (i > 0 && p.ptr[i - 1] != '/')
		i--;
	char *d = clean(c->arena, p.ptr, i, &n);
	if (!d)
		return cs__hcl_oom(c);
	*out = cs__v_str(c->arena, (cs_str){ d, n }, c->line, c->col);
	return CS_OK;
}

static cs_err f_abspath(cs__hcl_call *c, const cs_value **out)
{
	cs_str p;
	size_t n;
	cs_err rc = cs__hcl_want_str(c, 0, &p);
	if (rc)
		return rc;
	const char *full = NULL;
	if (p.len && p.ptr[0] == '/') {
		full = p.ptr;
		n = p.len;
	} else {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof cwd))
			return cs__hcl_call_err(c, "the current directory is not known");
		full = cs_arena_printf(c->arena, "%s/%.*s", cwd, (int)p.len, p.ptr);
		if (!full)
			return cs__hcl_oom(c);
		n = strlen(full);
	}
	char *d = clean(c->arena, full, n, &n);
	if (!d)
		return cs__hcl_oom(c);
	*out = cs__v_str(c->arena, (cs_str){ d, n }, c->line, c->col);
	return CS_OK;
}

#define F CS__HCL_F_FILE
const cs__hcl_func cs__hcl_funcs_file[] = {
	{ "abspath", 1, 1, 0, "path", f_abspath },
	{ "basename", 1, 1, 0, "path", f_basename },
	{ "dirname", 1, 1, 0, "path", f_dirname },
	{ "file", 1, 1, F, "path", f_file },
	{ "filebase64", 1, 1, F, "path", f_filebase64 },
	{ "filebase64sha256", 1, 1, F, "path", f_filebase64sha256 },
	{ "filebase64sha512", 1, 1, F, "path", f_filebase64sha512 },
	{ "fileexists", 1, 1, F, "path", f_fileexists },
	{ "filemd5", 1, 1, F, "path", f_filemd5 },
	{ "filesha1", 1, 1, F, "path", f_filesha1 },
	{ "filesha256", 1, 1, F, "path", f_filesha256 },
	{ "filesha512", 1, 1, F, "path", f_filesha512 },
	{ "templatefile", 2, 2, F | CS__HCL_F_PARTIAL, "path,vars", f_templatefile },
};
const size_t cs__hcl_funcs_file_n = CS_ARRAY_SIZE(cs__hcl_funcs_file);
