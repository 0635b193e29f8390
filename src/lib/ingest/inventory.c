/*
 * ingest/inventory.c - reading inputs: walking directories, recognizing each
 * file's format by its content, handing it to the right adapter, collecting
 * inline suppressions, and the public accessors of normalized resources.
 *
 * One bad file never stops the run: it is diagnosed (file, line, column) and
 * counted, and every other input is still read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cshare/iam.h"
#include "cshare/inventory.h"
#include "cshare/json.h"
#include "cshare/yaml.h"
#include "model.h"

#define DEFAULT_MAX_FILE ((size_t)256 << 20)

cs_err cs_inventory_new(cs_inventory **out, cs_diag_sink *diag)
{
	cs_inventory *inv = cs_calloc(1, sizeof(*inv));
	*out = NULL;
	if (!inv)
		return CS_ENOMEM;
	inv->diag = diag;
	inv->max_file = DEFAULT_MAX_FILE;
	inv->in = cs__ingest_new(0, diag);
	inv->ms.a = cs_arena_new(0);
	if (!inv->in || !inv->ms.a) {
		cs_inventory_free(inv);
		return CS_ENOMEM;
	}
	*out = inv;
	return CS_OK;
}

void cs_inventory_free(cs_inventory *inv)
{
	if (!inv)
		return;
	for (size_t i = 0; i < inv->files.n; i++) {
		cs_srcfile *f = inv->files.v[i];
		cs__file_release(f->data, f->len, f->mapped);
	}
	cs__ptrvec_release(&inv->files);
	cs__ptrvec_release(&inv->tf_dirs);
	cs__strmap_release(&inv->tf_computed);
	cs_free(inv->tf_vars);
	cs_iam_account_free(inv->iam);
	cs_free(inv->res);
	cs__ingest_free(inv->in);
	cs__mapset_release(&inv->ms);
	cs_free(inv);
}

void cs_inventory_set_max_file(cs_inventory *inv, size_t bytes)
{
	inv->max_file = bytes ? bytes : DEFAULT_MAX_FILE;
}

cs_err cs_inventory_load_mappings(cs_inventory *inv, const char *dir)
{
	cs_err rc = cs__mapset_load_dir(&inv->ms, dir, inv->diag);
	inv->mappings_loaded = true;
	/* the attributes a provider computes, for Terraform configurations */
	char *path = cs_arena_printf(inv->ms.a, "%s/terraform-hcl-computed.txt", dir);
	char *data = NULL;
	size_t len = 0;
	if (!path)
		return CS_ENOMEM;
	if (cs_file_read(path, (size_t)16 << 20, &data, &len) == CS_OK) {
		cs_err prc = cs__tf_computed_parse(inv->ms.a, data, len, &inv->tf_computed);
		cs_free(data);
		if (prc)
			return prc;
	}
	return rc;
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

static bool candidate(const char *name)
{
	/* Terraform's JSON files belong to their configuration directory */
	if (has_suffix(name, ".tf.json") || has_suffix(name, ".tfvars.json"))
		return false;
	return has_suffix(name, ".json") || has_suffix(name, ".yaml") ||
	       has_suffix(name, ".yml") || has_suffix(name, ".template") ||
	       has_suffix(name, ".csv"); /* IAM credential reports */
}

/* ---- IAM exports (docs/iam.md, "Inputs") ----------------------------------
 * get-account-authorization-details output, the IAM credential report (CSV,
 * or get-credential-report's JSON) and the organization file go to one
 * account model, which reads them again with their own readers; the audit
 * analyses it (checks with source: iam-analysis). */

static bool iam_credreport_csv(const char *d, size_t n)
{
	size_t i = n >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	return n - i >= 9 && memcmp(d + i, "user,arn,", 9) == 0;
}

static const char *iam_format(const cs_value *root)
{
	if (cs_value_get(root, "UserDetailList") || cs_value_get(root, "GroupDetailList") ||
	    cs_value_get(root, "RoleDetailList"))
		return "aws-iam-authorization-details";
	const cs_value *p = cs_value_get(root, "Policies");
	if (cs_value_type(p) == CS_VARRAY && cs_value_get(cs_value_at(p, 0), "PolicyVersionList") &&
	    !cs_value_get(root, "Organization"))
		return "aws-iam-authorization-details";
	if (cs_value_get(root, "Organization") && cs_value_get(root, "Roots"))
		return "aws-organizations";
	if (cs_value_type(cs_value_get(root, "Content")) == CS_VSTRING &&
	    cs_value_get(root, "ReportFormat"))
		return "aws-iam-credential-report";
	return NULL;
}

/* Hands an IAM export to the inventory's account model. */
static cs_err iam_add(cs_inventory *inv, cs_srcfile *f, const char *format)
{
	unsigned errs = inv->diag ? inv->diag->errors : 0;
	cs_err rc = CS_OK;
	f->format = format;
	if (!inv->iam)
		rc = cs_iam_account_new(&inv->iam, NULL, inv->diag);
	if (!rc)
		rc = cs_iam_account_add_buffer(inv->iam, f->path, f->data, f->len);
	if (inv->diag && inv->diag->errors > errs)
		inv->input_errors += inv->diag->errors - errs;
	return rc == CS_ENOMEM ? rc : CS_OK;
}

/* Builds the account model with the inventory's resource policies. */
static cs_err iam_build(cs_inventory *inv)
{
	unsigned errs = inv->diag ? inv->diag->errors : 0;
	cs_err rc = cs_iam_account_add_inventory(inv->iam, inv);
	if (!rc)
		rc = cs_iam_account_build(inv->iam);
	if (inv->diag && inv->diag->errors > errs)
		inv->input_errors += inv->diag->errors - errs;
	return rc == CS_ENOMEM ? rc : CS_OK;
}

static void input_error(cs_inventory *inv, const char *file, uint32_t line, uint32_t col,
			cs_err code, const char *fmt, ...) CS_PRINTF(6, 7);

static void input_error(cs_inventory *inv, const char *file, uint32_t line, uint32_t col,
			cs_err code, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	inv->input_errors++;
	cs_diag_emit(inv->diag, CS_SEV_ERROR, code, file, line, col, NULL, "%s", msg);
}

/* Finds `# cshare:ignore ID reason` comments (YAML and commented JSON). */
static cs_err scan_suppressions(cs_inventory *inv, cs_srcfile *f)
{
	static const char tag[] = "cshare:ignore";
	cs_arena *a = cs__ingest_arena(inv->in);
	const char *p = f->data, *end = f->data + f->len;
	uint32_t line = 1;
	const char *ls = p;
	size_t cap = 0;
	while (p < end) {
		const char *hit = NULL;
		for (const char *q = p; q + sizeof tag - 1 <= end; q++) {
			q = memchr(q, 'c', (size_t)(end - q));
			if (!q || q + sizeof tag - 1 > end)
				break;
			if (memcmp(q, tag, sizeof tag - 1) == 0) {
				hit = q;
				break;
			}
		}
		if (!hit)
			break;
		for (const char *q = p; q < hit; q++)
			if (*q == '\n') {
				line++;
				ls = q + 1;
			}
		/* must be inside a comment: a '#' (or '//') earlier on the line */
		bool comment = false;
		for (const char *q = ls; q < hit; q++)
			if (*q == '#' || (*q == '/' && q + 1 < hit && q[1] == '/'))
				comment = true;
		const char *eol = memchr(hit, '\n', (size_t)(end - hit));
		if (!eol)
			eol = end;
		if (comment) {
			const char *q = hit + sizeof tag - 1;
			while (q < eol && (*q == ' ' || *q == '\t'))
				q++;
			const char *id = q;
			while (q < eol && *q != ' ' && *q != '\t' && *q != '\r')
				q++;
			size_t idlen = (size_t)(q - id);
			while (q < eol && (*q == ' ' || *q == '\t'))
				q++;
			const char *re = eol;
			while (re > q && (re[-1] == ' ' || re[-1] == '\t' || re[-1] == '\r'))
				re--;
			uint32_t col = (uint32_t)(hit - ls) + 1;
			if (!idlen) {
				cs_diag_emit(inv->diag, CS_SEV_WARNING, CS_ESYNTAX, f->path, line, col, NULL,
					     "cshare:ignore needs a check id and a reason; ignored");
			} else if (re == q) {
				cs_diag_emit(inv->diag, CS_SEV_WARNING, CS_ESYNTAX, f->path, line, col, NULL,
					     "cshare:ignore %.*s has no reason; a suppression must say why, so it is not applied",
					     (int)idlen, id);
			} else {
				if (f->nsupp == cap) {
					size_t nc = cap ? cap * 2 : 8;
					cs_suppression *ns = cs_arena_alloc(a, nc * sizeof(*ns));
					if (!ns)
						return CS_ENOMEM;
					if (f->nsupp)
						memcpy(ns, f->supp, f->nsupp * sizeof(*ns));
					f->supp = ns;
					cap = nc;
				}
				cs_suppression *s = &f->supp[f->nsupp++];
				s->line = line;
				s->check_id = cs_arena_strndup(a, id, idlen);
				s->reason = cs_arena_strndup(a, q, (size_t)(re - q));
				if (!s->check_id || !s->reason)
					return CS_ENOMEM;
			}
		}
		p = eol;
	}
	return CS_OK;
}

static bool looks_binary(const char *d, size_t n)
{
	size_t m = n < 8192 ? n : 8192;
	return memchr(d, 0, m) != NULL;
}

static cs_err read_data(cs_inventory *inv, const char *path, const char *relpath, bool explicit,
			char *data, size_t len, bool mapped);

/* Reads and dispatches one file; explicit = named on the command line. */
static cs_err read_one(cs_inventory *inv, const char *path, const char *relpath, bool explicit)
{
	char *data = NULL;
	size_t len = 0;
	bool mapped = false;
	cs_err rc = cs__file_map(path, inv->max_file, &data, &len, &mapped);
	if (rc) {
		if (rc == CS_ELIMIT)
			input_error(inv, path, 0, 0, rc,
				    "file is larger than the %zu MiB limit (--max-file-size)",
				    inv->max_file >> 20);
		else if (rc == CS_ENOENT)
			input_error(inv, path, 0, 0, rc, "cannot open: No such file or directory");
		else
			input_error(inv, path, 0, 0, rc, "cannot read: %s", strerror(errno));
		return rc;
	}
	return read_data(inv, path, relpath, explicit, data, len, mapped);
}

cs_err cs_inventory_add_buffer(cs_inventory *inv, const char *name, const char *data, size_t len)
{
	char *copy = cs_malloc(len + 1);
	if (!copy)
		return CS_ENOMEM;
	if (len)
		memcpy(copy, data, len);
	copy[len] = 0;
	return read_data(inv, name, name, true, copy, len, false);
}

/* Parses and dispatches one input held in `data` (owned from here on; a
 * file mapping if `mapped`). */
static cs_err read_data(cs_inventory *inv, const char *path, const char *relpath, bool explicit,
			char *data, size_t len, bool mapped)
{
	cs_arena *a = cs__ingest_arena(inv->in);
	cs_err rc;
	cs_srcfile *f = cs_arena_alloc(a, sizeof(*f));
	if (!f || cs__ptrvec_push(&inv->files, f)) {
		cs__file_release(data, len, mapped);
		return CS_ENOMEM;
	}
	memset(f, 0, sizeof *f);
	f->mapped = mapped;
	f->path = cs_arena_strdup(a, path);
	f->relpath = cs_arena_strdup(a, relpath);
	f->data = data;
	f->len = len;
	if (!f->path || !f->relpath)
		return CS_ENOMEM;

	if (looks_binary(data, len)) {
		if (!explicit)
			return CS_OK;
		input_error(inv, f->path, 1, 1, CS_EFORMAT, "binary file, not a configuration input");
		return CS_EFORMAT;
	}
	size_t i = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	if (i >= len) {
		input_error(inv, f->path, 1, 1, CS_ESYNTAX, "empty file");
		return CS_ESYNTAX;
	}
	if (iam_credreport_csv(data, len))
		return iam_add(inv, f, "aws-iam-credential-report");
	if (has_suffix(path, ".csv")) {
		if (!explicit)
			return CS_OK; /* a CSV file that is no credential report */
		input_error(inv, f->path, 1, 1, CS_EFORMAT,
			    "not a recognized input: a CSV input is an IAM credential report "
			    "(header user,arn,...)");
		return CS_EFORMAT;
	}
	bool json = has_suffix(path, ".json") ||
		    (!has_suffix(path, ".yaml") && !has_suffix(path, ".yml") &&
		     (data[i] == '{' || data[i] == '['));
	const cs_value *root = NULL;
	unsigned before = inv->diag ? inv->diag->errors : 0;
	if (json) {
		/* A Terraform plan repeats itself: planned_values, prior_state and
		 * resource_drift hold the same resources as resource_changes, and each
		 * change's "before" is the prior state.  The adapter reads none of them
		 * when resource_changes has entries, so they are checked but not built
		 * (half the bytes of a typical plan); in any other case the document is
		 * parsed again in full. */
		static const char *const plan_skip[] = {
			"planned_values", "prior_state", "resource_drift",
			"resource_changes[].change.before", "resource_changes[].change.before_sensitive",
			"resource_changes[].change.after_sensitive", NULL
		};
		size_t skipped = 0;
		cs_json_opts jo = { .skip = plan_skip, .skipped = &skipped };
		rc = cs_json_parse(a, f->path, data, len, &jo, inv->diag, &root, NULL);
		if (!rc && skipped) {
			const cs_value *rcs = cs_value_get(root, "resource_changes");
			if (!cs__tfplan_detect(root) || cs_value_type(rcs) != CS_VARRAY ||
			    cs_value_len(rcs) == 0)
				rc = cs_json_parse(a, f->path, data, len, NULL, inv->diag, &root, NULL);
		}
	} else {
		const cs_value *docs = NULL;
		rc = cs_yaml_parse(a, f->path, data, len, NULL, inv->diag, &docs);
		if (!rc)
			root = cs_value_at(docs, 0);
		if (!rc && cs_value_len(docs) > 1)
			cs_diag_emit(inv->diag, CS_SEV_WARNING, CS_OK, f->path, cs_value_line(cs_value_at(docs, 1)),
				     cs_value_col(cs_value_at(docs, 1)), NULL,
				     "only the first of %zu YAML documents is read", cs_value_len(docs));
	}
	if (rc) {
		if (rc == CS_ENOMEM)
			return rc;
		/* the parser has already reported where */
		if (inv->diag && inv->diag->errors == before)
			input_error(inv, f->path, 0, 0, rc, "cannot parse: %s", cs_strerror(rc));
		else
			inv->input_errors++;
		return rc;
	}
	if (!json && (rc = scan_suppressions(inv, f)))
		return rc;
	if (!root || cs_value_type(root) != CS_VOBJECT) {
		if (!explicit)
			return CS_OK;
		input_error(inv, f->path, cs_value_line(root), cs_value_col(root), CS_EFORMAT,
			    "not a recognized input: expected a CloudFormation template, a Terraform plan "
			    "(terraform show -json) or an AWS Config snapshot");
		return CS_EFORMAT;
	}
	unsigned errs = inv->diag ? inv->diag->errors : 0;
	const char *iamf = json ? iam_format(root) : NULL;
	if (iamf)
		return iam_add(inv, f, iamf);
	if (cs__tfplan_detect(root)) {
		f->format = "terraform-plan";
		rc = cs__tfplan_extract(inv->in, f->path, root);
	} else if (cs__awsconfig_detect(root)) {
		f->format = "aws-config";
		rc = cs__awsconfig_extract(inv->in, f->path, root);
	} else if (cs__cfn_detect(root)) {
		f->format = "cloudformation";
		rc = cs__cfn_extract(inv->in, f->path, root);
	} else {
		if (!explicit) {
			cs_diag_emit(inv->diag, CS_SEV_NOTE, CS_EFORMAT, f->path, 0, 0, NULL,
				     "skipped: not a CloudFormation template, Terraform plan or AWS Config snapshot");
			return CS_OK;
		}
		input_error(inv, f->path, cs_value_line(root), cs_value_col(root), CS_EFORMAT,
			    "not a recognized input: expected a CloudFormation template, a Terraform plan "
			    "(terraform show -json) or an AWS Config snapshot");
		return CS_EFORMAT;
	}
	if (inv->diag && inv->diag->errors > errs)
		inv->input_errors += inv->diag->errors - errs;
	if (rc == CS_ENOMEM)
		return rc;
	return rc ? rc : (inv->diag && inv->diag->errors > errs ? CS_ETYPE : CS_OK);
}

/* Remembers a Terraform root module directory (once). */
static cs_err add_tf_dir(cs_inventory *inv, const char *dir)
{
	for (size_t i = 0; i < inv->tf_dirs.n; i++)
		if (strcmp(inv->tf_dirs.v[i], dir) == 0)
			return CS_OK;
	char *d = cs_arena_strdup(cs__ingest_arena(inv->in), dir);
	return d ? cs__ptrvec_push(&inv->tf_dirs, d) : CS_ENOMEM;
}

static cs_err walk(cs_inventory *inv, const char *dir, const char *rel, unsigned depth)
{
	cs_arena *a = cs__ingest_arena(inv->in);
	cs_err worst = CS_OK;
	cs_ptrvec names = { 0 };
	cs_err rc = cs__dir_sorted(a, dir, &names);
	if (rc == CS_EIO) {
		input_error(inv, dir, 0, 0, CS_EIO, "cannot open directory: %s", strerror(errno));
		return CS_EIO;
	}
	if (rc)
		worst = rc;
	for (size_t i = 0; i < names.n && worst != CS_ENOMEM; i++) {
		const char *p = names.v[i];
		const char *n = strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
		char *r = *rel ? cs_arena_printf(a, "%s/%s", rel, n) : cs_arena_strdup(a, n);
		if (!r) {
			worst = CS_ENOMEM;
			break;
		}
		struct stat st;
		if (lstat(p, &st) != 0)
			continue;
		rc = CS_OK;
		if (S_ISDIR(st.st_mode)) {
			if (depth >= 32)
				cs_diag_emit(inv->diag, CS_SEV_WARNING, CS_ELIMIT, p, 0, 0, NULL,
					     "directory nesting deeper than 32 levels; not read");
			else
				rc = walk(inv, p, r, depth + 1);
		} else if (S_ISREG(st.st_mode) && candidate(n)) {
			rc = read_one(inv, p, r, false);
		} else if (S_ISREG(st.st_mode) && cs__tf_is_config_name(n)) {
			rc = add_tf_dir(inv, dir);
		}
		if (rc)
			worst = rc;
	}
	cs__ptrvec_release(&names);
	return worst;
}

cs_err cs_inventory_add_path(cs_inventory *inv, const char *path)
{
	struct stat st;
	if (strcmp(path, "-") == 0)
		return read_one(inv, "-", "-", true);
	if (stat(path, &st) != 0) {
		cs_err rc = errno == ENOENT ? CS_ENOENT : CS_EIO;
		input_error(inv, path, 0, 0, rc, "cannot open: %s", strerror(errno));
		return rc;
	}
	if (S_ISDIR(st.st_mode)) {
		size_t n = strlen(path);
		while (n > 1 && path[n - 1] == '/')
			n--;
		char *dir = cs_arena_strndup(cs__ingest_arena(inv->in), path, n);
		return dir ? walk(inv, dir, "", 0) : CS_ENOMEM;
	}
	const char *base = strrchr(path, '/');
	if (cs__tf_is_config_name(path)) {
		/* a .tf file stands for its directory: a module is a directory */
		char *dir = base ? cs_arena_strndup(cs__ingest_arena(inv->in), path,
						    base == path ? 1 : (size_t)(base - path))
				 : cs_arena_strdup(cs__ingest_arena(inv->in), ".");
		return dir ? add_tf_dir(inv, dir) : CS_ENOMEM;
	}
	return read_one(inv, path, base ? base + 1 : path, true);
}

/* The Terraform reader's file loader: each configuration file becomes an
 * input file of the inventory (kept for the run, with its inline
 * suppressions). */
static cs_err tf_load(void *ud, const char *path, const char **data, size_t *len)
{
	cs_inventory *inv = ud;
	cs_arena *a = cs__ingest_arena(inv->in);
	char *buf = NULL;
	size_t n = 0;
	bool mapped = false;
	cs_err rc = cs__file_map(path, inv->max_file, &buf, &n, &mapped);
	if (rc)
		return rc;
	cs_srcfile *f = cs_arena_alloc(a, sizeof(*f));
	if (!f || cs__ptrvec_push(&inv->files, f)) {
		cs__file_release(buf, n, mapped);
		return CS_ENOMEM;
	}
	memset(f, 0, sizeof *f);
	f->mapped = mapped;
	f->path = cs_arena_strdup(a, path);
	f->relpath = f->path;
	f->data = buf;
	f->len = n;
	f->format = "terraform-hcl";
	if (!f->path)
		return CS_ENOMEM;
	if ((rc = scan_suppressions(inv, f)))
		return rc;
	*data = buf;
	*len = n;
	return CS_OK;
}

cs_err cs_inventory_add_tf_var(cs_inventory *inv, bool file, const char *text)
{
	cs__tf_varopt *nv = cs_realloc(inv->tf_vars, (inv->ntf_vars + 1) * sizeof *nv);
	if (!nv)
		return CS_ENOMEM;
	inv->tf_vars = nv;
	nv[inv->ntf_vars++] = (cs__tf_varopt){ file, text };
	return CS_OK;
}

void cs_inventory_set_env(cs_inventory *inv, char *const *env)
{
	inv->env = env;
}

cs_err cs_inventory_build(cs_inventory *inv)
{
	/* A directory read with a Terraform plan of it (terraform show -json
	 * output in the same directory) is audited from the plan, which knows
	 * more; its .tf files are not evaluated again. */
	size_t keep = 0;
	for (size_t i = 0; i < inv->tf_dirs.n; i++) {
		const char *d = inv->tf_dirs.v[i];
		size_t dl = strlen(d);
		const char *plan = NULL;
		for (size_t j = 0; j < inv->files.n && !plan; j++) {
			const cs_srcfile *f = inv->files.v[j];
			const char *slash = strrchr(f->path, '/');
			size_t fl = slash ? (size_t)(slash - f->path) : 1;
			if (f->format && strcmp(f->format, "terraform-plan") == 0 &&
			    (slash ? fl == dl && memcmp(f->path, d, dl) == 0 : strcmp(d, ".") == 0))
				plan = f->path;
		}
		if (plan)
			cs_diag_emit(inv->diag, CS_SEV_NOTE, CS_OK, d, 0, 0, NULL,
				     "Terraform configuration read from its plan %s; its .tf files are not "
				     "evaluated (name a .tf file to audit them)",
				     plan);
		else
			inv->tf_dirs.v[keep++] = inv->tf_dirs.v[i];
	}
	inv->tf_dirs.n = keep;
	if (inv->tf_dirs.n) {
		cs__tf_opts o;
		memset(&o, 0, sizeof o);
		o.vars = inv->tf_vars;
		o.nvars = inv->ntf_vars;
		o.env = inv->env;
		o.computed = &inv->tf_computed;
		o.load = tf_load;
		o.load_ud = inv;
		unsigned errs = inv->diag ? inv->diag->errors : 0;
		cs_err rc = cs__tf_extract_dirs(inv->in, (const char *const *)inv->tf_dirs.v,
						inv->tf_dirs.n, &o);
		if (inv->diag && inv->diag->errors > errs)
			inv->input_errors += inv->diag->errors - errs;
		if (rc == CS_ENOMEM || rc == CS_ELIMIT)
			return rc;
	}
	cs_err rc = cs__normalize(inv);
	if (!rc && inv->iam)
		rc = iam_build(inv);
	return rc;
}

unsigned cs_inventory_input_errors(const cs_inventory *inv)
{
	return inv->input_errors;
}

size_t cs_inventory_count(const cs_inventory *inv)
{
	return inv->nres;
}

const cs_resource *cs_inventory_at(const cs_inventory *inv, size_t i)
{
	return i < inv->nres ? &inv->res[i] : NULL;
}

size_t cs_inventory_file_count(const cs_inventory *inv)
{
	return inv->files.n;
}

size_t cs_inventory_input_count(const cs_inventory *inv)
{
	return cs__ingest_count(inv->in);
}

bool cs_inventory_input_at(const cs_inventory *inv, size_t i, cs_input_resource *out)
{
	const cs_raw *r = i < cs__ingest_count(inv->in) ? cs__ingest_at(inv->in, i) : NULL;
	if (!r)
		return false;
	*out = (cs_input_resource){ r->format, r->type, r->name, r->file, r->line, r->col };
	return true;
}

const char *cs_resource_kind(const cs_resource *r)
{
	return r->kind;
}

const char *cs_resource_provider(const cs_resource *r)
{
	return r->provider;
}

const char *cs_resource_service(const cs_resource *r)
{
	return r->service ? r->service : "";
}

const char *cs_resource_name(const cs_resource *r)
{
	return r->name;
}

const char *cs_resource_format(const cs_resource *r)
{
	return r->raw->format;
}

const char *cs_resource_source_type(const cs_resource *r)
{
	return r->raw->type;
}

const char *cs_resource_file(const cs_resource *r)
{
	return r->raw->file;
}

uint32_t cs_resource_line(const cs_resource *r)
{
	return r->line;
}

uint32_t cs_resource_col(const cs_resource *r)
{
	return r->col;
}

const cs_value *cs_resource_attrs(const cs_resource *r)
{
	return r->attrs;
}
