/*
 * iam/account.c - the account model: the inputs it reads (authorization
 * details, credential reports, organization files, inventories), the
 * helpers its readers share (policy documents that are objects or
 * URL-encoded strings, located diagnostics) and `build`, which resolves
 * names to records: attached policies, groups, boundaries, credential rows.
 */
#include <stdio.h>
#include <string.h>

#include "account_int.h"
#include "cshare/json.h"

#define ACCOUNT_MAX_FILE (512u << 20)
#define ACCOUNT_MAX_ARENA (4096ul << 20)

cs_err cs_iam_account_new(cs_iam_account **out, const cs_iam_catalog *cat, cs_diag_sink *diag)
{
	cs_err rc = CS_OK;
	cs_iam_account *a = cs_calloc(1, sizeof(*a));
	if (!a) {
		rc = CS_ENOMEM;
		goto out;
	}
	a->cat = cat;
	a->diag = diag;
	a->arena = cs_arena_new(ACCOUNT_MAX_ARENA);
	if (!a->arena) {
		cs_free(a);
		a = NULL;
		rc = CS_ENOMEM;
	}
out:
	*out = a;
	return rc;
}

static void free_docs(cs__iam_doc *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cs_policy_free(d[i].pol);
}

void cs_iam_account_free(cs_iam_account *a)
{
	if (!a)
		return;
	cs_ptrvec *pvs[] = { &a->users, &a->groups, &a->roles };
	for (size_t k = 0; k < CS_ARRAY_SIZE(pvs); k++)
		for (size_t i = 0; i < pvs[k]->n; i++) {
			cs__iam_principal *p = pvs[k]->v[i];
			free_docs(p->inl, p->ninl);
			free_docs(&p->trust, 1);
		}
	for (size_t k = 0; k < CS_ARRAY_SIZE(pvs); k++)
		cs__ptrvec_release(pvs[k]);
	for (size_t i = 0; i < a->managed.n; i++) {
		free_docs(&((cs__iam_managed *)a->managed.v[i])->doc, 1);
		cs_policy_free(((cs__iam_managed *)a->managed.v[i])->bpol);
	}
	for (size_t i = 0; i < a->orgpolicies.n; i++)
		free_docs(&((cs__iam_orgpolicy *)a->orgpolicies.v[i])->doc, 1);
	for (size_t i = 0; i < a->respolicies.n; i++)
		free_docs(&((cs__iam_respolicy *)a->respolicies.v[i])->doc, 1);
	for (size_t i = 0; i < a->files.n; i++)
		cs_free(a->files.v[i]);
	cs__ptrvec_release(&a->files);
	cs__ptrvec_release(&a->managed);
	cs__ptrvec_release(&a->creds);
	cs__ptrvec_release(&a->orgnodes);
	cs__ptrvec_release(&a->orgpolicies);
	cs__ptrvec_release(&a->respolicies);
	cs__strmap_release(&a->by_arn);
	cs__strmap_release(&a->by_policy);
	cs__strmap_release(&a->by_group);
	cs_arena_free(a->arena);
	cs_free(a);
}

void cs__iam_diag(cs_iam_account *a, const char *file, const cs_value *v, cs_err code,
		  const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	a->input_errors++;
	cs_diag_emit(a->diag, CS_SEV_ERROR, code, file, v ? cs_value_line(v) : 0,
		     v ? cs_value_col(v) : 0, NULL, "%s", msg);
}

const char *cs__iam_str(cs_iam_account *a, const cs_value *obj, const char *key)
{
	const cs_value *v = obj ? cs_value_get(obj, key) : NULL;
	if (!v || cs_value_type(v) != CS_VSTRING)
		return NULL;
	cs_str s = cs_value_str(v);
	return cs_arena_strndup(a->arena, s.ptr, s.len);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

cs_err cs__iam_doc_read(cs_iam_account *a, cs__iam_doc *d, const char *file,
			const cs_value *v, const char *name)
{
	cs_err rc = CS_OK;
	d->name = name;
	d->file = file;
	d->line = v ? cs_value_line(v) : 0;
	d->col = v ? cs_value_col(v) : 0;
	d->doc = NULL;
	d->pol = NULL;
	if (!v) {
		cs__iam_diag(a, file, NULL, CS_ESYNTAX, "%s: no policy document", name);
		return CS_ESYNTAX;
	}
	if (cs_value_type(v) == CS_VOBJECT) {
		d->doc = v;
		return CS_OK;
	}
	if (cs_value_type(v) != CS_VSTRING) {
		cs__iam_diag(a, file, v, CS_ETYPE,
			     "%s: the policy document must be a JSON object or a URL-encoded string, not %s",
			     name, cs_vtype_name(cs_value_type(v)));
		return CS_ETYPE;
	}
	/* raw API output: RFC 3986 percent-encoding (the CLI decodes it) */
	cs_str s = cs_value_str(v);
	char *text = cs_arena_alloc(a->arena, s.len + 1);
	if (!text)
		return cs_arena_error(a->arena);
	size_t n = 0;
	/* plain JSON text in a string (an organization policy's Content) is
	 * not decoded: URL-encoded JSON never starts with '{' (it is %7B) */
	size_t ws = 0;
	while (ws < s.len && (s.ptr[ws] == ' ' || s.ptr[ws] == '\n' || s.ptr[ws] == '\r' ||
			      s.ptr[ws] == '\t'))
		ws++;
	bool encoded = !(ws < s.len && s.ptr[ws] == '{');
	for (size_t i = 0; i < s.len; i++) {
		int hi, lo;
		if (encoded && s.ptr[i] == '%' && i + 2 < s.len && (hi = hexval(s.ptr[i + 1])) >= 0 &&
		    (lo = hexval(s.ptr[i + 2])) >= 0) {
			text[n++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			text[n++] = s.ptr[i];
		}
	}
	text[n] = '\0';
	cs_json_opts opts = { 0 };
	opts.pin_line = d->line ? d->line : 1;
	opts.pin_col = d->col ? d->col : 1;
	cs_diag_sink quiet = { 0 };
	const cs_value *doc = NULL;
	rc = cs_json_parse(a->arena, file, text, n, &opts, &quiet, &doc, NULL);
	if (rc == CS_ENOMEM || rc == CS_ELIMIT)
		return rc;
	if (rc || cs_value_type(doc) != CS_VOBJECT) {
		cs__iam_diag(a, file, v, CS_ESYNTAX,
			     "%s: the policy document string is not a JSON object (URL-encoded or plain)",
			     name);
		return CS_ESYNTAX;
	}
	d->doc = doc;
	return CS_OK;
}

/* Whether text looks like a credential report: its first line starts with
 * the column "user," (AWS's header is user,arn,...; the reader checks it). */
static bool is_credreport(const char *data, size_t len)
{
	size_t skip = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	return len - skip >= 5 && memcmp(data + skip, "user,", 5) == 0;
}

/* `aws iam get-credential-report` output: {"Content": base64, "ReportFormat": "text/csv"}. */
static bool is_credreport_json(const cs_value *root)
{
	const cs_value *c = cs_value_get(root, "Content");
	return c && cs_value_type(c) == CS_VSTRING && cs_value_get(root, "ReportFormat");
}

static int b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decodes base64 (RFC 4648, white space ignored) into the arena. */
static cs_err b64_decode(cs_arena *ar, cs_str in, char **out, size_t *len)
{
	char *o = cs_arena_alloc(ar, in.len / 4 * 3 + 4);
	if (!o)
		return cs_arena_error(ar);
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t n = 0;
	for (size_t i = 0; i < in.len; i++) {
		char c = in.ptr[i];
		if (c == '=' || c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		int v = b64val(c);
		if (v < 0)
			return CS_ESYNTAX;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			o[n++] = (char)((acc >> bits) & 0xFF);
		}
	}
	o[n] = '\0';
	*out = o;
	*len = n;
	return CS_OK;
}

/* Reads every JSON document of a file (pages of a paginated output may be
 * concatenated) and hands each to its reader. */
static cs_err read_json(cs_iam_account *a, const char *file, const char *data, size_t len)
{
	cs_err rc = CS_OK, bad = CS_OK;
	size_t pos = 0;
	uint32_t line = 1;
	while (pos < len) {
		while (pos < len && (data[pos] == ' ' || data[pos] == '\t' || data[pos] == '\r' ||
				     data[pos] == '\n')) {
			if (data[pos] == '\n')
				line++;
			pos++;
		}
		if (pos >= len)
			break;
		cs_json_opts opts = { 0 };
		opts.allow_trailing = true;
		opts.first_line = line;
		const cs_value *root = NULL;
		size_t used = 0;
		rc = cs_json_parse(a->arena, file, data + pos, len - pos, &opts, a->diag, &root,
				   &used);
		if (rc) {
			a->input_errors++;
			if (rc == CS_ESYNTAX || rc == CS_EUTF8)
				rc = CS_ESYNTAX;
			break; /* the rest of the file cannot be located reliably */
		}
		if (cs__iam_is_authdetails(root)) {
			rc = cs__iam_read_authdetails(a, file, root);
		} else if (cs__iam_is_org(root)) {
			rc = cs__iam_read_org(a, file, root);
		} else if (is_credreport_json(root)) {
			char *csv;
			size_t clen;
			rc = b64_decode(a->arena, cs_value_str(cs_value_get(root, "Content")), &csv,
					&clen);
			if (rc == CS_ESYNTAX)
				cs__iam_diag(a, file, cs_value_get(root, "Content"), CS_ESYNTAX,
					     "credential report Content is not base64");
			else if (!rc)
				rc = cs__iam_read_credreport(a, file, csv, clen);
		} else {
			cs__iam_diag(a, file, root, CS_EFORMAT,
				     "not an IAM input: expected get-account-authorization-details output "
				     "(UserDetailList, GroupDetailList, RoleDetailList, Policies), an "
				     "organization file (Organization, Roots, Policies) or a credential report");
			rc = CS_EFORMAT;
		}
		if (rc == CS_ENOMEM || rc == CS_ELIMIT)
			break;
		if (rc && !bad)
			bad = rc;
		rc = CS_OK;
		for (size_t i = 0; i < used; i++)
			if (data[pos + i] == '\n')
				line++;
		pos += used;
	}
	return rc ? rc : bad;
}

static cs_err add_owned(cs_iam_account *a, const char *file, char *data, size_t len)
{
	cs_err rc = cs__ptrvec_push(&a->files, data);
	if (rc) {
		cs_free(data);
		return rc;
	}
	if (a->built) {
		cs_diag_emit(a->diag, CS_SEV_ERROR, CS_EINVAL, file, 0, 0, NULL,
			     "input added after the account model was built");
		return CS_EINVAL;
	}
	if (is_credreport(data, len))
		return cs__iam_read_credreport(a, file, data, len);
	return read_json(a, file, data, len);
}

cs_err cs_iam_account_add_path(cs_iam_account *a, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	cs_err rc = cs_file_read(path, ACCOUNT_MAX_FILE, &data, &len);
	if (rc) {
		a->input_errors++;
		cs_diag_emit(a->diag, CS_SEV_ERROR, rc, path, 0, 0, NULL, "cannot read: %s",
			     cs_strerror(rc));
		return rc;
	}
	const char *file = cs_arena_strdup(a->arena, path);
	if (!file) {
		cs_free(data);
		return CS_ENOMEM;
	}
	return add_owned(a, file, data, len);
}

cs_err cs_iam_account_add_buffer(cs_iam_account *a, const char *name, const char *data,
				 size_t len)
{
	char *copy = cs_malloc(len + 1);
	const char *file = cs_arena_strdup(a->arena, name ? name : "-");
	if (!copy || !file) {
		cs_free(copy);
		return CS_ENOMEM;
	}
	if (len)
		memcpy(copy, data, len);
	copy[len] = '\0';
	return add_owned(a, file, copy, len);
}

static cs_err index_groups(cs_iam_account *a)
{
	cs_err rc = CS_OK;
	for (size_t i = 0; !rc && i < a->groups.n; i++) {
		cs__iam_principal *p = a->groups.v[i];
		rc = cs__strmap_put(&a->by_group, p->name, strlen(p->name), p);
	}
	return rc;
}

/* Resolves a principal's names: attached policies, groups, boundary. */
static cs_err resolve(cs_iam_account *a, cs__iam_principal *p)
{
	if (p->nattached) {
		p->managed = cs_arena_alloc(a->arena, p->nattached * sizeof(*p->managed));
		if (!p->managed)
			return cs_arena_error(a->arena);
		for (size_t i = 0; i < p->nattached; i++) {
			cs__iam_managed *m = (cs__iam_managed *)cs__iam_account_managed(a, p->attached[i]);
			p->managed[i] = m;
			if (m)
				m->attachments++;
			else
				cs_diag_emit(a->diag, CS_SEV_WARNING, CS_EINVAL, p->file, p->line, p->col,
					     NULL,
					     "%s: attached policy %s is not in the input (its permissions are not known)",
					     p->arn ? p->arn : p->name, p->attached[i]);
		}
	}
	if (p->ngroups) {
		p->groups = cs_arena_alloc(a->arena, p->ngroups * sizeof(*p->groups));
		if (!p->groups)
			return cs_arena_error(a->arena);
		for (size_t i = 0; i < p->ngroups; i++) {
			p->groups[i] = cs__strmap_get(&a->by_group, p->group_names[i],
						      strlen(p->group_names[i]), NULL);
			if (!p->groups[i])
				cs_diag_emit(a->diag, CS_SEV_WARNING, CS_EINVAL, p->file, p->line, p->col,
					     NULL, "%s: group %s is not in the input",
					     p->arn ? p->arn : p->name, p->group_names[i]);
		}
	}
	if (p->boundary_arn) {
		p->boundary = cs__iam_account_managed(a, p->boundary_arn);
		if (!p->boundary)
			cs_diag_emit(a->diag, CS_SEV_WARNING, CS_EINVAL, p->file, p->line, p->col, NULL,
				     "%s: permissions boundary %s is not in the input",
				     p->arn ? p->arn : p->name, p->boundary_arn);
	}
	return CS_OK;
}

/* Compiles one document; an unusable policy is diagnosed by the parser
 * and left out (d->pol NULL), the rest still analysed. */
static cs_err compile_doc(cs_iam_account *a, cs__iam_doc *d, cs_policy_kind kind)
{
	if (!d->doc || d->pol)
		return CS_OK;
	cs_err rc = cs_policy_from_value(&d->pol, kind, d->name, d->file, d->doc, a->diag);
	if (rc == CS_ENOMEM)
		return rc;
	if (rc)
		a->input_errors++;
	return CS_OK;
}

/* Compiles every policy document of the account.  A managed policy used
 * only as a boundary is compiled as a boundary (the grammar is the same). */
static cs_err compile_all(cs_iam_account *a)
{
	cs_err rc = CS_OK;
	for (size_t i = 0; !rc && i < a->managed.n; i++)
		rc = compile_doc(a, &((cs__iam_managed *)a->managed.v[i])->doc, CS_POLICY_IDENTITY);
	cs_ptrvec *pvs[] = { &a->users, &a->groups, &a->roles };
	for (size_t k = 0; !rc && k < CS_ARRAY_SIZE(pvs); k++)
		for (size_t i = 0; !rc && i < pvs[k]->n; i++) {
			cs__iam_principal *p = pvs[k]->v[i];
			for (size_t j = 0; !rc && j < p->ninl; j++)
				rc = compile_doc(a, &p->inl[j], CS_POLICY_IDENTITY);
			if (!rc && p->kind == CS__IAM_ROLE)
				rc = compile_doc(a, &p->trust, CS_POLICY_TRUST);
			cs__iam_managed *b = p->boundary ? (cs__iam_managed *)cs__strmap_get(
								   &a->by_policy, p->boundary->arn,
								   strlen(p->boundary->arn), NULL)
							 : NULL;
			if (!rc && b && b->doc.doc && !b->bpol) {
				/* diagnostics were given for the identity compile */
				cs_diag_sink quiet = { 0 };
				rc = cs_policy_from_value(&b->bpol, CS_POLICY_BOUNDARY, b->arn,
							  b->doc.file, b->doc.doc, &quiet);
				if (rc == CS_ENOMEM)
					break;
				rc = CS_OK;
			}
		}
	for (size_t i = 0; !rc && i < a->orgpolicies.n; i++) {
		cs__iam_orgpolicy *o = a->orgpolicies.v[i];
		rc = compile_doc(a, &o->doc, o->rcp ? CS_POLICY_RCP : CS_POLICY_SCP);
	}
	for (size_t i = 0; !rc && i < a->respolicies.n; i++)
		rc = compile_doc(a, &((cs__iam_respolicy *)a->respolicies.v[i])->doc,
				 CS_POLICY_RESOURCE);
	return rc;
}

cs_err cs_iam_account_build(cs_iam_account *a)
{
	cs_err rc = CS_OK;
	if (a->built)
		return CS_OK;
	/* principals and managed policies are in by_arn / by_policy since they were read */
	rc = index_groups(a);
	cs_ptrvec *pvs[] = { &a->users, &a->groups, &a->roles };
	for (size_t k = 0; !rc && k < CS_ARRAY_SIZE(pvs); k++)
		for (size_t i = 0; !rc && i < pvs[k]->n; i++)
			rc = resolve(a, pvs[k]->v[i]);
	/* credential rows to users, by ARN */
	for (size_t i = 0; !rc && i < a->creds.n; i++) {
		cs__iam_creds *c = a->creds.v[i];
		if (c->root || !c->arn)
			continue;
		cs__iam_principal *p = (cs__iam_principal *)cs__iam_account_principal(a, c->arn);
		if (p && p->kind == CS__IAM_USER)
			p->creds = c;
	}
	if (!rc)
		rc = compile_all(a);
	if (!rc)
		a->built = true;
	return rc;
}

const cs__iam_principal *cs__iam_account_principal(const cs_iam_account *a, const char *arn)
{
	return cs__strmap_get(&a->by_arn, arn, strlen(arn), NULL);
}

const cs__iam_managed *cs__iam_account_managed(const cs_iam_account *a, const char *arn)
{
	return cs__strmap_get(&a->by_policy, arn, strlen(arn), NULL);
}
