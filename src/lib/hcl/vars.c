/*
 * hcl/vars.c - values of the root module's input variables, from every
 * source Terraform reads, in its documented precedence (Terraform docs,
 * "Input Variables", "Variable Definition Precedence": later sources
 * override earlier ones):
 *
 *   1. environment variables TF_VAR_<name>
 *   2. terraform.tfvars
 *   3. terraform.tfvars.json
 *   4. *.auto.tfvars and *.auto.tfvars.json, in lexical order of names
 *   5. -var and -var-file options, in the order given
 *
 * A variable with none of these gets its default; without a default its
 * value is unknown (cshare audits what it can; Terraform would ask).
 * Values from the environment and -var are taken as literal strings when
 * the variable's type is a primitive type or absent, and parsed as HCL
 * expressions otherwise (Terraform: "for complex types ... HCL syntax").
 * Values for undeclared variables are warned about and ignored.
 */
#include <string.h>

#include "hcl/tf_int.h"

static size_t var_index(const tf_module *m, const char *name, size_t len)
{
	void *p = cs__strmap_get(&m->var_ix, name, len, NULL);
	return p ? (size_t)(uintptr_t)p : 0;
}

/* A value given as a string (environment, -var): literal or parsed. */
static cs_err from_text(tf_ctx *t, const tf_var *v, const char *src, const char *text, size_t len,
			const cs_value **out)
{
	cs_err rc;
	*out = NULL;
	if (cs__hcl_type_literal(v->type)) {
		*out = cs__v_strdup(t->a, text, len, 0, 0);
		return *out ? CS_OK : CS_ENOMEM;
	}
	cs_hcl_expr *e = NULL;
	rc = cs__hcl_parse_expr(t->a, src, 1, 1, text, len, t->diag, &e);
	if (rc == CS_ENOMEM || rc == CS_ELIMIT)
		return rc;
	if (rc || !e) {
		t->errors++;
		return CS_OK;
	}
	cs__hcl_ectx cx;
	cs__hcl_ectx_init(&cx, t->a, t->diag, src, t->root_dir, NULL, NULL);
	rc = cs__hcl_eval(&cx, e, out);
	if (rc == CS_EINVAL) {
		t->errors++;
		rc = CS_OK;
	}
	return rc;
}

static cs_err from_env(tf_ctx *t, const tf_module *m, const cs_value **given)
{
	cs_err rc = CS_OK;
	for (char *const *e = t->o ? t->o->env : NULL; e && *e && !rc; e++) {
		const char *s = *e;
		if (strncmp(s, "TF_VAR_", 7) != 0)
			continue;
		const char *eq = strchr(s, '=');
		if (!eq)
			continue;
		size_t i = var_index(m, s + 7, (size_t)(eq - s - 7));
		if (!i)
			continue; /* Terraform ignores undeclared TF_VAR_ variables */
		rc = from_text(t, &m->vars[i - 1], "environment", eq + 1, strlen(eq + 1), &given[i - 1]);
	}
	return rc;
}

/* Every attribute of a tfvars file's body; `cli` says whether the file was
 * named with -var-file (undeclared names: the same warning either way). */
static cs_err from_file(tf_ctx *t, const tf_module *m, const tf_file *f, const cs_value **given)
{
	cs_err rc = CS_OK;
	const cs_hcl_body *b = f->body;
	for (size_t k = 0; b && k < b->n && !rc; k++) {
		const cs_hcl_item *it = b->items[k];
		if (it->kind != CS_HCL_ATTR) {
			cs__tf_diag(t, CS_SEV_ERROR, f->path, it->range.line, it->range.col,
				    "Unexpected \"%.*s\" block: Blocks are not allowed here.",
				    (int)it->name.len, it->name.ptr);
			continue;
		}
		size_t i = var_index(m, it->name.ptr, it->name.len);
		if (!i) {
			cs__tf_diag(t, CS_SEV_WARNING, f->path, it->range.line, it->range.col,
				    "Value for undeclared variable: The root module does not declare a "
				    "variable named \"%.*s\" but a value was found in file \"%s\".",
				    (int)it->name.len, it->name.ptr, f->path);
			continue;
		}
		cs__hcl_ectx cx;
		cs__hcl_ectx_init(&cx, t->a, t->diag, f->path, t->root_dir, NULL, NULL);
		const cs_value *v = NULL;
		rc = cs__hcl_eval(&cx, it->expr, &v);
		if (rc == CS_EINVAL) {
			t->errors++;
			rc = CS_OK;
			continue;
		}
		if (!rc)
			given[i - 1] = v;
	}
	return rc;
}

static cs_err from_var_file(tf_ctx *t, const tf_module *m, const char *path, const cs_value **given)
{
	const char *data = NULL;
	size_t len = 0;
	cs_err rc = cs__tf_read(t, path, &data, &len);
	if (rc == CS_ENOMEM)
		return rc;
	if (rc) {
		cs__tf_diag(t, CS_SEV_ERROR, path, 0, 0,
			    "Failed to read variables file: Given variables file %s does not exist "
			    "or cannot be read (%s).",
			    path, cs_strerror(rc));
		return CS_OK;
	}
	cs_hcl_file *ast = NULL;
	const char *p = cs_arena_strdup(t->a, path);
	if (!p)
		return CS_ENOMEM;
	rc = cs__hcl_parse_any(t->a, p, data, len, t->diag, &ast);
	if (rc == CS_ENOMEM || rc == CS_ELIMIT)
		return rc;
	if (rc)
		t->errors++;
	if (!ast)
		return CS_OK;
	tf_file f = { p, ast, ast->body };
	if (ast->body->json && cs__hcl_body_resolve(t->a, ast->body, NULL, 0, t->diag, &f.body) ==
				       CS_ENOMEM)
		return CS_ENOMEM;
	return from_file(t, m, &f, given);
}

static cs_err from_var_opt(tf_ctx *t, const tf_module *m, const char *text, const cs_value **given)
{
	const char *eq = strchr(text, '=');
	if (!eq || eq == text) {
		cs__tf_diag(t, CS_SEV_ERROR, "--var", 0, 0,
			    "Invalid -var option: The given -var option \"%s\" is not correctly "
			    "specified. Must be a variable name and value separated by an equals "
			    "sign, like -var=\"key=value\".",
			    text);
		return CS_OK;
	}
	size_t nlen = (size_t)(eq - text);
	while (nlen && (text[nlen - 1] == ' '))
		nlen--;
	size_t i = var_index(m, text, nlen);
	if (!i) {
		cs__tf_diag(t, CS_SEV_WARNING, "--var", 0, 0,
			    "Value for undeclared variable: A variable named \"%.*s\" was assigned "
			    "on the command line, but the root module does not declare a variable of "
			    "that name.",
			    (int)nlen, text);
		return CS_OK;
	}
	return from_text(t, &m->vars[i - 1], "--var", eq + 1, strlen(eq + 1), &given[i - 1]);
}

cs_err cs__tf_root_vars(tf_ctx *t, const tf_module *m, const cs_value **given)
{
	cs_err rc = from_env(t, m, given);
	for (size_t i = 0; i < m->ntfvars && !rc; i++)
		rc = from_file(t, m, &m->tfvars[i], given);
	for (size_t i = 0; t->o && i < t->o->nvars && !rc; i++) {
		const cs__tf_varopt *vo = &t->o->vars[i];
		rc = vo->file ? from_var_file(t, m, vo->text, given) : from_var_opt(t, m, vo->text, given);
	}
	return rc;
}
