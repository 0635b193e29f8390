/*
 * iam/catalog.c - the AWS IAM action catalogue (data/iam: services, actions,
 * resources and conditions .tsv, made by
 * scripts/gen-iam-catalogue.py): services, actions with their access level,
 * resource types and condition keys, resource types with their ARN formats,
 * condition keys with their types.  Loaded once, immutable afterwards:
 * lookups may run from several threads.
 */
#include <stdlib.h>
#include <string.h>

#include "account_int.h"
#include "../core/tsv.h"

#define CAT_MAX_ARENA (64u << 20)

typedef struct cat_service {
	const char *prefix;
	const char *name;
	bool rcp;
} cat_service;

struct cs_iam_catalog {
	cs_arena *arena;
	cs__iam_action *actions; /* sorted by lname */
	size_t nactions, capactions;
	cs__iam_rtype *rtypes; /* in file order */
	size_t nrtypes, caprtypes;
	cat_service *services;
	size_t nservices, capservices;
	cs_strmap by_action;  /* lname -> cs__iam_action */
	cs_strmap by_service; /* prefix -> cat_service */
	cs_strmap by_arnsvc;  /* the service field of an ARN format -> cs__iam_rtype */
	cs_strmap cond_exact; /* lower-case key -> type */
	cs_strmap cond_stem;  /* lower-case "aws:resourcetag/" -> type (variable keys) */
};

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

static char *lowerdup(cs_arena *a, const char *s, size_t n)
{
	char *d = cs_arena_strndup(a, s, n);
	if (d)
		for (size_t i = 0; i < n; i++)
			d[i] = lower(d[i]);
	return d;
}

bool cs__iam_glob_icase(const char *pat, size_t plen, const char *s, size_t slen)
{
	size_t p = 0, i = 0, star = (size_t)-1, mark = 0;
	while (i < slen) {
		if (p < plen && pat[p] == '*') {
			star = p++;
			mark = i;
		} else if (p < plen && (pat[p] == '?' || lower(pat[p]) == lower(s[i]))) {
			p++;
			i++;
		} else if (star != (size_t)-1) {
			p = star + 1;
			i = ++mark;
		} else {
			return false;
		}
	}
	while (p < plen && pat[p] == '*')
		p++;
	return p == plen;
}

/* Grows an array held in the catalogue by doubling (heap, freed with it). */
static cs_err grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return CS_OK;
	size_t nc = *cap ? *cap * 2 : 256;
	void *na = cs_realloc(*arr, nc * elem);
	if (!na)
		return CS_ENOMEM;
	*arr = na;
	*cap = nc;
	return CS_OK;
}

static char *field_dup(cs_arena *a, const cs_tsv *t, size_t i)
{
	cs_str f = cs__tsv_field(t, i);
	return cs_arena_strndup(a, f.ptr, f.len);
}

static cs_err path_of(cs_arena *a, const char *dir, const char *file, char **out)
{
	*out = cs_arena_printf(a, "%s/%s", dir, file);
	return *out ? CS_OK : CS_ENOMEM;
}

static cs_err load_services(cs_iam_catalog *c, const char *dir, cs_diag_sink *diag)
{
	static const char *const cols[] = { "prefix", "name", "rcp_supported" };
	static const char *const yesno[] = { "no", "yes", NULL };
	cs_tsv t;
	char *path;
	cs_err rc = path_of(c->arena, dir, "services.tsv", &path);
	if (rc)
		return rc;
	rc = cs__tsv_open(&t, path, cols, 3, diag);
	if (rc)
		return rc;
	while (cs__tsv_next(&t)) {
		cs_str p = cs__tsv_field(&t, 0);
		int rcp = cs__tsv_enum(&t, 2, yesno);
		if (rcp < 0)
			continue;
		if (p.len == 0) {
			cs__tsv_error(&t, 0, CS_ESYNTAX, "empty service prefix");
			continue;
		}
		bool dup = false;
		for (size_t i = 0; i < c->nservices && !dup; i++)
			dup = cs_str_eqc(p, c->services[i].prefix);
		if (dup) {
			cs__tsv_error(&t, 0, CS_ESYNTAX, "duplicate service prefix '%.*s'",
				      (int)p.len, p.ptr);
			continue;
		}
		rc = grow((void **)&c->services, &c->capservices, c->nservices,
			  sizeof(*c->services));
		if (rc)
			break;
		cat_service *s = &c->services[c->nservices];
		s->prefix = field_dup(c->arena, &t, 0);
		s->name = field_dup(c->arena, &t, 1);
		s->rcp = rcp == 1;
		if (!s->prefix || !s->name) {
			rc = CS_ENOMEM;
			break;
		}
		c->nservices++;
	}
	/* the array is complete: index it (pointers into it are now stable) */
	for (size_t i = 0; !rc && i < c->nservices; i++)
		rc = cs__strmap_put(&c->by_service, c->services[i].prefix,
				    strlen(c->services[i].prefix), &c->services[i]);
	if (!rc && t.errors)
		rc = CS_ESYNTAX;
	cs__tsv_close(&t);
	return rc;
}

static const char *const access_levels[] = { "List", "Read", "Write", "Permissions management",
					     "Tagging", NULL };

static cs_err load_actions(cs_iam_catalog *c, const char *dir, cs_diag_sink *diag)
{
	static const char *const cols[] = { "prefix", "action", "access_level", "resource_types",
					    "condition_keys" };
	cs_tsv t;
	char *path;
	cs_err rc = path_of(c->arena, dir, "actions.tsv", &path);
	if (rc)
		return rc;
	rc = cs__tsv_open(&t, path, cols, 5, diag);
	if (rc)
		return rc;
	cs_strmap seen = { 0 };
	while (cs__tsv_next(&t)) {
		cs_str p = cs__tsv_field(&t, 0), an = cs__tsv_field(&t, 1);
		int lvl = cs__tsv_enum(&t, 2, access_levels);
		if (lvl < 0)
			continue;
		if (!cs__strmap_get(&c->by_service, p.ptr, p.len, NULL)) {
			cs__tsv_error(&t, 0, CS_ESYNTAX, "unknown service prefix '%.*s'",
				      (int)p.len, p.ptr);
			continue;
		}
		bool ok = an.len > 0;
		for (size_t i = 0; i < an.len; i++)
			if (an.ptr[i] == ':' || an.ptr[i] == '*' || an.ptr[i] == '?' ||
			    an.ptr[i] == ' ')
				ok = false;
		if (!ok) {
			cs__tsv_error(&t, 1, CS_ESYNTAX, "invalid action name '%.*s'", (int)an.len,
				      an.ptr);
			continue;
		}
		char *name = cs_arena_printf(c->arena, "%.*s:%.*s", (int)p.len, p.ptr,
					     (int)an.len, an.ptr);
		char *lname = name ? lowerdup(c->arena, name, strlen(name)) : NULL;
		if (!lname) {
			rc = CS_ENOMEM;
			break;
		}
		if (cs__strmap_get(&seen, lname, strlen(lname), NULL)) {
			cs__tsv_error(&t, 1, CS_ESYNTAX, "duplicate action '%s'", name);
			continue;
		}
		rc = cs__strmap_put(&seen, lname, strlen(lname), name);
		if (!rc)
			rc = grow((void **)&c->actions, &c->capactions, c->nactions,
				  sizeof(*c->actions));
		if (rc)
			break;
		cs__iam_action *a = &c->actions[c->nactions];
		a->name = name;
		a->lname = lname;
		a->prefix = cs_arena_strndup(c->arena, p.ptr, p.len);
		a->access = access_levels[lvl];
		a->rtypes = field_dup(c->arena, &t, 3);
		a->ckeys = field_dup(c->arena, &t, 4);
		if (!a->prefix || !a->rtypes || !a->ckeys) {
			rc = CS_ENOMEM;
			break;
		}
		c->nactions++;
	}
	cs__strmap_release(&seen);
	if (!rc && t.errors)
		rc = CS_ESYNTAX;
	cs__tsv_close(&t);
	return rc;
}

/* The service field of an ARN or ARN format ("arn:P:s3:..." -> "s3"). */
static bool arn_service(const char *arn, const char **svc, size_t *len)
{
	const char *p = arn;
	for (int field = 0; field < 2; field++) {
		p = strchr(p, ':');
		if (!p)
			return false;
		p++;
	}
	const char *e = strchr(p, ':');
	if (!e)
		return false;
	*svc = p;
	*len = (size_t)(e - p);
	return true;
}

static cs_err load_resources(cs_iam_catalog *c, const char *dir, cs_diag_sink *diag)
{
	static const char *const cols[] = { "prefix", "resource_type", "arn_format",
					    "condition_keys" };
	cs_tsv t;
	char *path;
	cs_err rc = path_of(c->arena, dir, "resources.tsv", &path);
	if (rc)
		return rc;
	rc = cs__tsv_open(&t, path, cols, 4, diag);
	if (rc)
		return rc;
	while (cs__tsv_next(&t)) {
		cs_str p = cs__tsv_field(&t, 0);
		if (!cs__strmap_get(&c->by_service, p.ptr, p.len, NULL)) {
			cs__tsv_error(&t, 0, CS_ESYNTAX, "unknown service prefix '%.*s'",
				      (int)p.len, p.ptr);
			continue;
		}
		cs_str arn = cs__tsv_field(&t, 2);
		const char *svc;
		size_t slen;
		if (arn.len < 4 || memcmp(arn.ptr, "arn:", 4) != 0 ||
		    !arn_service(arn.ptr, &svc, &slen) || slen == 0) {
			cs__tsv_error(&t, 2, CS_ESYNTAX, "ARN format '%.*s' is not arn:partition:service:...",
				      (int)arn.len, arn.ptr);
			continue;
		}
		rc = grow((void **)&c->rtypes, &c->caprtypes, c->nrtypes, sizeof(*c->rtypes));
		if (rc)
			break;
		cs__iam_rtype *r = &c->rtypes[c->nrtypes];
		r->prefix = field_dup(c->arena, &t, 0);
		r->name = field_dup(c->arena, &t, 1);
		r->arn = field_dup(c->arena, &t, 2);
		r->ckeys = field_dup(c->arena, &t, 3);
		if (!r->prefix || !r->name || !r->arn || !r->ckeys) {
			rc = CS_ENOMEM;
			break;
		}
		c->nrtypes++;
	}
	for (size_t i = 0; !rc && i < c->nrtypes; i++) {
		const char *svc;
		size_t slen;
		(void)arn_service(c->rtypes[i].arn, &svc, &slen);
		rc = cs__strmap_put(&c->by_arnsvc, svc, slen, &c->rtypes[i]);
	}
	if (!rc && t.errors)
		rc = CS_ESYNTAX;
	cs__tsv_close(&t);
	return rc;
}

/* The stem of a key with a variable part ("aws:RequestTag/${TagKey}" ->
 * "aws:requesttag/"), or 0 when the key has none. */
static size_t variable_stem(const char *key)
{
	const char *slash = strchr(key, '/');
	if (!slash)
		return 0;
	const char *rest = slash + 1;
	if (rest[0] == '$' || rest[0] == '<' || strcmp(rest, "tag-key") == 0)
		return (size_t)(rest - key);
	return 0;
}

static cs_err load_conditions(cs_iam_catalog *c, const char *dir, cs_diag_sink *diag)
{
	static const char *const cols[] = { "key", "type" };
	cs_tsv t;
	char *path;
	cs_err rc = path_of(c->arena, dir, "conditions.tsv", &path);
	if (rc)
		return rc;
	rc = cs__tsv_open(&t, path, cols, 2, diag);
	if (rc)
		return rc;
	while (cs__tsv_next(&t)) {
		cs_str k = cs__tsv_field(&t, 0), ty = cs__tsv_field(&t, 1);
		if (k.len == 0 || !memchr(k.ptr, ':', k.len) || ty.len == 0) {
			cs__tsv_error(&t, 0, CS_ESYNTAX, "condition key must be service:name with a type");
			continue;
		}
		char *lk = lowerdup(c->arena, k.ptr, k.len);
		char *type = field_dup(c->arena, &t, 1);
		if (!lk || !type) {
			rc = CS_ENOMEM;
			break;
		}
		if (cs__strmap_get(&c->cond_exact, lk, k.len, NULL)) {
			cs__tsv_error(&t, 0, CS_ESYNTAX, "duplicate condition key '%.*s'",
				      (int)k.len, k.ptr);
			continue;
		}
		rc = cs__strmap_put(&c->cond_exact, lk, k.len, type);
		size_t stem = variable_stem(lk);
		if (!rc && stem && !cs__strmap_get(&c->cond_stem, lk, stem, NULL))
			rc = cs__strmap_put(&c->cond_stem, lk, stem, type);
		if (rc)
			break;
	}
	if (!rc && t.errors)
		rc = CS_ESYNTAX;
	cs__tsv_close(&t);
	return rc;
}

static int cmp_action(const void *a, const void *b)
{
	return strcmp(((const cs__iam_action *)a)->lname, ((const cs__iam_action *)b)->lname);
}

cs_err cs_iam_catalog_load(cs_iam_catalog **out, const char *dir, cs_diag_sink *diag)
{
	cs_err rc = CS_OK, first = CS_OK;
	*out = NULL;
	cs_iam_catalog *c = cs_calloc(1, sizeof(*c));
	if (!c)
		return CS_ENOMEM;
	c->arena = cs_arena_new(CAT_MAX_ARENA);
	if (!c->arena) {
		rc = CS_ENOMEM;
		goto out;
	}
	/* services first: the other files are checked against them.  A file
	 * with bad records is still used (the records were skipped); a file
	 * that cannot be read at all is an error for the whole catalogue. */
	cs_err (*const loaders[])(cs_iam_catalog *, const char *, cs_diag_sink *) = {
		load_services, load_actions, load_resources, load_conditions
	};
	for (size_t i = 0; i < CS_ARRAY_SIZE(loaders); i++) {
		rc = loaders[i](c, dir, diag);
		if (rc == CS_ESYNTAX || rc == CS_EUTF8) {
			if (!first)
				first = rc;
			rc = CS_OK;
		}
		if (rc)
			goto out;
	}
	if (c->nactions)
		qsort(c->actions, c->nactions, sizeof(*c->actions), cmp_action);
	for (size_t i = 0; !rc && i < c->nactions; i++)
		rc = cs__strmap_put(&c->by_action, c->actions[i].lname,
				    strlen(c->actions[i].lname), &c->actions[i]);
	if (!rc)
		rc = first;
out:
	if (rc && rc != CS_ESYNTAX && rc != CS_EUTF8) {
		cs_iam_catalog_free(c);
		c = NULL;
	}
	*out = c;
	return rc;
}

void cs_iam_catalog_free(cs_iam_catalog *c)
{
	if (!c)
		return;
	cs__strmap_release(&c->by_action);
	cs__strmap_release(&c->by_service);
	cs__strmap_release(&c->by_arnsvc);
	cs__strmap_release(&c->cond_exact);
	cs__strmap_release(&c->cond_stem);
	cs_free(c->actions);
	cs_free(c->rtypes);
	cs_free(c->services);
	cs_arena_free(c->arena);
	cs_free(c);
}

size_t cs_iam_catalog_action_count(const cs_iam_catalog *cat)
{
	return cat ? cat->nactions : 0;
}

const cs__iam_action *cs__iam_catalog_action(const cs_iam_catalog *cat, const char *name)
{
	char buf[256];
	size_t n = name ? strlen(name) : 0;
	if (!cat || n == 0 || n >= sizeof buf)
		return NULL;
	for (size_t i = 0; i < n; i++)
		buf[i] = lower(name[i]);
	return cs__strmap_get(&cat->by_action, buf, n, NULL);
}

const char *cs_iam_catalog_access_level(const cs_iam_catalog *cat, const char *action)
{
	const cs__iam_action *a = cs__iam_catalog_action(cat, action);
	return a ? a->access : NULL;
}

bool cs__iam_catalog_has_service(const cs_iam_catalog *cat, const char *prefix, size_t len)
{
	char buf[128];
	if (!cat || len == 0 || len >= sizeof buf)
		return false;
	for (size_t i = 0; i < len; i++)
		buf[i] = lower(prefix[i]);
	return cs__strmap_get(&cat->by_service, buf, len, NULL) != NULL;
}

bool cs__iam_catalog_rcp_supported(const cs_iam_catalog *cat, const char *prefix)
{
	const cat_service *s = cat ? cs__strmap_get(&cat->by_service, prefix, strlen(prefix), NULL)
				   : NULL;
	return s && s->rcp;
}

/* First index in the sorted actions whose lname starts with `lp` (length n). */
static size_t lower_bound(const cs_iam_catalog *cat, const char *lp, size_t n)
{
	size_t lo = 0, hi = cat->nactions;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strncmp(cat->actions[mid].lname, lp, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t cs_iam_catalog_expand(const cs_iam_catalog *cat, const char *pattern,
			     void (*fn)(void *ud, const char *action), void *ud)
{
	size_t count = 0;
	if (!cat || !pattern)
		return 0;
	size_t plen = strlen(pattern);
	/* the literal head of the pattern (before any wildcard) narrows the
	 * sorted range to scan */
	size_t lit = strcspn(pattern, "*?");
	char head[256];
	if (lit >= sizeof head)
		lit = sizeof head - 1;
	for (size_t i = 0; i < lit; i++)
		head[i] = lower(pattern[i]);
	head[lit] = '\0';
	for (size_t i = lower_bound(cat, head, lit); i < cat->nactions; i++) {
		const cs__iam_action *a = &cat->actions[i];
		if (strncmp(a->lname, head, lit) != 0)
			break;
		if (cs__iam_glob_icase(pattern, plen, a->lname, strlen(a->lname))) {
			count++;
			if (fn)
				fn(ud, a->name);
		}
	}
	return count;
}

/* Whether comma-separated `list` holds `item`, with or without a trailing '*'. */
static bool list_has(const char *list, const char *item)
{
	size_t n = strlen(item);
	const char *p = list;
	while (*p) {
		size_t len = strcspn(p, ",");
		size_t k = len && p[len - 1] == '*' ? len - 1 : len;
		if (k == n && memcmp(p, item, n) == 0)
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

size_t cs__iam_catalog_actions_for_type(const cs_iam_catalog *cat, const char *prefix,
					const char *type,
					void (*fn)(void *ud, const cs__iam_action *a), void *ud)
{
	size_t count = 0;
	char head[130];
	size_t n = strlen(prefix);
	if (!cat || n + 2 > sizeof head)
		return 0;
	for (size_t i = 0; i < n; i++)
		head[i] = lower(prefix[i]);
	head[n++] = ':';
	head[n] = '\0';
	for (size_t i = lower_bound(cat, head, n); i < cat->nactions; i++) {
		const cs__iam_action *a = &cat->actions[i];
		if (strncmp(a->lname, head, n) != 0)
			break;
		if (list_has(a->rtypes, type)) {
			count++;
			if (fn)
				fn(ud, a);
		}
	}
	return count;
}

/* Matches an ARN against an ARN format; returns the number of literal
 * characters matched, or -1.  ${...} matches one or more characters, not
 * ':' or '/' unless it is the format's last placeholder (names with paths,
 * object keys).  `budget` bounds the work on hostile ARNs. */
static long arn_match(const char *fmt, const char *s, unsigned long *budget)
{
	if ((*budget)-- == 0)
		return -1;
	if (*fmt == '\0')
		return *s == '\0' ? 0 : -1;
	if (fmt[0] == '$' && fmt[1] == '{') {
		const char *close = strchr(fmt, '}');
		if (!close)
			return -1;
		const char *rest = close + 1;
		bool last = strstr(rest, "${") == NULL;
		if (last && *rest == '\0')
			return *s ? 0 : -1;
		for (size_t k = 1; s[k - 1] != '\0'; k++) {
			if (!last && (s[k - 1] == ':' || s[k - 1] == '/'))
				break;
			long r = arn_match(rest, s + k, budget);
			if (r >= 0)
				return r;
		}
		return -1;
	}
	if (*s == '\0' || *fmt != *s)
		return -1;
	long r = arn_match(fmt + 1, s + 1, budget);
	return r >= 0 ? r + 1 : -1;
}

const cs__iam_rtype *cs__iam_catalog_rtype_of_arn(const cs_iam_catalog *cat, const char *arn)
{
	const char *svc;
	size_t slen;
	const cs__iam_rtype *best = NULL;
	long best_lit = -1;
	if (!cat || !arn || strncmp(arn, "arn:", 4) != 0 || strlen(arn) > 2048 ||
	    !arn_service(arn, &svc, &slen))
		return NULL;
	size_t it;
	for (const cs__iam_rtype *r = cs__strmap_get(&cat->by_arnsvc, svc, slen, &it); r;
	     r = cs__strmap_next(&cat->by_arnsvc, svc, slen, &it)) {
		unsigned long budget = 20000;
		long lit = arn_match(r->arn, arn, &budget);
		/* ties (iam, ec2 and sts all define `role`): the type of the
		 * service the ARN names, then the earlier row (deterministic) */
		bool own = strlen(r->prefix) == slen && memcmp(r->prefix, svc, slen) == 0;
		bool best_own = best && strlen(best->prefix) == slen &&
				memcmp(best->prefix, svc, slen) == 0;
		if (lit > best_lit ||
		    (lit == best_lit && lit >= 0 && (own > best_own || (own == best_own && r < best)))) {
			best = r;
			best_lit = lit;
		}
	}
	return best;
}

const char *cs__iam_catalog_condition_type(const cs_iam_catalog *cat, const char *key)
{
	char buf[256];
	size_t n = key ? strlen(key) : 0;
	if (!cat || n == 0 || n >= sizeof buf)
		return NULL;
	for (size_t i = 0; i < n; i++)
		buf[i] = lower(key[i]);
	buf[n] = '\0';
	const char *t = cs__strmap_get(&cat->cond_exact, buf, n, NULL);
	if (!t) {
		const char *slash = strchr(buf, '/');
		if (slash)
			t = cs__strmap_get(&cat->cond_stem, buf, (size_t)(slash + 1 - buf), NULL);
	}
	return t;
}
