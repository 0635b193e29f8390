/*
 * ingest/awsconfig.c - the AWS Config adapter: configuration items to raw
 * resources of format "aws-config", provider "aws".
 *
 * Inputs (AWS Config Developer Guide and API Reference):
 *  - a configuration snapshot or a configuration history file delivered to
 *    S3: {"fileVersion", "configurationItems": [...]}; items carry "ARN",
 *    "awsAccountId", "configuration" as an object (the guide's examples
 *    write "arn" and "accountId": both are accepted);
 *  - `aws configservice get-resource-config-history`: {"configurationItems"}
 *    with the API's ConfigurationItem ("arn", "accountId", "configuration"
 *    and supplementaryConfiguration values as JSON-encoded strings);
 *  - `batch-get-resource-config`: {"baseConfigurationItems": [...]} (no tags,
 *    no relationships; deleted resources are not returned);
 *  - `select-resource-config`: {"Results": ["<JSON object>", ...],
 *    "QueryInfo"}: each result is a JSON string of the selected fields;
 *  - a single configuration item.
 * A history holds several items per resource: the newest by
 * configurationItemCaptureTime wins; if that one says the resource is
 * deleted or not recorded, the resource is skipped (with a note).
 * JSON-encoded strings are parsed with the reader's pin option, so every
 * value inside gets the location of the string in the file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cshare/json.h"
#include "raw.h"

#define CFG_FORMAT "aws-config"

static const char cfg_absent[] = "not in this AWS Config export";
static const char cfg_badjson[] = "not valid JSON in the AWS Config export";

typedef struct cfg_item {
	const cs_value *obj; /* the configuration item (object) */
	cs_str type, id, account, region;
	double time; /* capture time, seconds since the epoch */
	bool has_time, keep;
	size_t seq;
} cfg_item;

typedef struct cfg {
	cs_ingest *in;
	cs_arena *a;
	cs_diag_sink *diag;
	const char *file; /* arena copy */
	cfg_item *it;
	size_t n, cap;
} cfg;

static void diag(cfg *c, cs_severity sev, const cs_value *at, const char *fmt, ...) CS_PRINTF(4, 5);

static void diag(cfg *c, cs_severity sev, const cs_value *at, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cs_diag_emit(c->diag, sev, sev == CS_SEV_ERROR ? CS_ETYPE : CS_OK, c->file,
		     cs_value_line(at), cs_value_col(at), NULL, "AWS Config: %s", msg);
}

static cs_err nomem(cfg *c)
{
	cs_err e = cs_arena_error(c->a);
	return e ? e : CS_ENOMEM;
}

bool cs__awsconfig_detect(const cs_value *root)
{
	if (cs_value_type(root) != CS_VOBJECT)
		return false;
	if (cs_value_get(root, "configurationItems") || cs_value_get(root, "baseConfigurationItems"))
		return true;
	if (cs_value_get(root, "Results") && cs_value_get(root, "QueryInfo"))
		return true;
	return cs_value_get(root, "resourceType") &&
	       (cs_value_get(root, "configuration") ||
		cs_value_get(root, "configurationItemCaptureTime"));
}

/* ---- capture time ------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static long days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool digits(const char **p, const char *e, size_t n, long *out)
{
	long v = 0;
	if ((size_t)(e - *p) < n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = (*p)[i];
		if (ch < '0' || ch > '9')
			return false;
		v = v * 10 + (ch - '0');
	}
	*p += n;
	*out = v;
	return true;
}

/* ISO 8601 as AWS writes it: 2014-03-07T23:47:08.918Z,
 * 2020-07-01T12:34:56.789000+00:00, ...+0000. */
static bool parse_iso_time(cs_str s, double *out)
{
	const char *p = s.ptr, *e = s.ptr + s.len;
	long y, mo, d, h, mi, sec, oh = 0, om = 0;
	double frac = 0, scale = 0.1;
	if (!digits(&p, e, 4, &y) || p >= e || *p++ != '-' || !digits(&p, e, 2, &mo) || p >= e ||
	    *p++ != '-' || !digits(&p, e, 2, &d) || p >= e || (*p != 'T' && *p != 't' && *p != ' '))
		return false;
	p++;
	if (!digits(&p, e, 2, &h) || p >= e || *p++ != ':' || !digits(&p, e, 2, &mi) || p >= e ||
	    *p++ != ':' || !digits(&p, e, 2, &sec))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return false;
	if (p < e && *p == '.') {
		p++;
		while (p < e && *p >= '0' && *p <= '9') {
			frac += (*p++ - '0') * scale;
			scale /= 10;
		}
	}
	if (p < e && (*p == 'Z' || *p == 'z')) {
		p++;
	} else if (p < e && (*p == '+' || *p == '-')) {
		int sign = *p++ == '-' ? -1 : 1;
		if (!digits(&p, e, 2, &oh))
			return false;
		if (p < e && *p == ':')
			p++;
		if (p < e && !digits(&p, e, 2, &om))
			return false;
		oh *= sign;
		om *= sign;
	}
	if (p != e)
		return false;
	double days = (double)days_from_civil(y, mo, d);
	*out = days * 86400.0 + (double)(h * 3600 + mi * 60 + sec) + frac -
	       (double)(oh * 3600 + om * 60);
	return true;
}

static bool capture_time(const cs_value *v, double *out)
{
	if (cs_value_type(v) == CS_VNUMBER) { /* the API's JSON: epoch seconds */
		*out = cs_value_num(v);
		return true;
	}
	if (cs_value_type(v) == CS_VSTRING)
		return parse_iso_time(cs_value_str(v), out);
	return false;
}

/* ---- collecting items ----------------------------------------------------- */

static cs_str str_of(const cs_value *obj, const char *k1, const char *k2)
{
	const cs_value *v = cs_value_get(obj, k1);
	if (cs_value_type(v) != CS_VSTRING && k2)
		v = cs_value_get(obj, k2);
	return cs_value_type(v) == CS_VSTRING ? cs_value_str(v) : (cs_str){ "", 0 };
}

static cs_err add_item(cfg *c, const cs_value *obj)
{
	cs_err rc = CS_OK;
	if (cs_value_type(obj) != CS_VOBJECT) {
		diag(c, CS_SEV_ERROR, obj, "configuration item is a %s, not an object; skipped",
		     cs_vtype_name(cs_value_type(obj)));
		goto out;
	}
	cfg_item it;
	memset(&it, 0, sizeof it);
	it.obj = obj;
	it.type = str_of(obj, "resourceType", NULL);
	it.id = str_of(obj, "resourceId", NULL);
	if (!it.type.len || !it.id.len) {
		diag(c, CS_SEV_ERROR, obj, "configuration item without %s; skipped",
		     !it.type.len ? "a \"resourceType\" string" : "a \"resourceId\" string");
		goto out;
	}
	it.account = str_of(obj, "awsAccountId", "accountId");
	it.region = str_of(obj, "awsRegion", NULL);
	it.has_time = capture_time(cs_value_get(obj, "configurationItemCaptureTime"), &it.time);
	it.seq = c->n;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		cfg_item *ni = cs_realloc(c->it, cap * sizeof *ni);
		if (!ni) {
			rc = CS_ENOMEM;
			goto out;
		}
		c->it = ni;
		c->cap = cap;
	}
	c->it[c->n++] = it;
out:
	return rc;
}

typedef struct capture {
	char msg[512];
} capture;

static void capture_fn(void *ud, const cs_diag *d)
{
	capture *cp = ud;
	if (!cp->msg[0])
		snprintf(cp->msg, sizeof cp->msg, "%s", d->msg);
}

/* Parses the JSON text held in the string value `sv`, every value located
 * at the string.  *out is NULL (after a warning naming `what`) when the
 * text is not JSON; an error return is only for memory. */
static cs_err parse_embedded(cfg *c, const cs_value *sv, const char *what, const cs_value **out)
{
	cs_err rc;
	capture cp = { { 0 } };
	cs_diag_sink sink = { capture_fn, &cp, 0, 0 };
	cs_json_opts o;
	memset(&o, 0, sizeof o);
	o.pin_line = cs_value_line(sv) ? cs_value_line(sv) : 1;
	o.pin_col = cs_value_col(sv) ? cs_value_col(sv) : 1;
	cs_str s = cs_value_str(sv);
	*out = NULL;
	rc = cs_json_parse(c->a, c->file, s.ptr, s.len, &o, &sink, out, NULL);
	if (rc == CS_ENOMEM || (rc == CS_ELIMIT && cs_arena_error(c->a)))
		goto out;
	if (rc) {
		diag(c, CS_SEV_WARNING, sv, "%s is a string that is not valid JSON (%s); unknown",
		     what, cp.msg[0] ? cp.msg : cs_strerror(rc));
		*out = NULL;
		rc = CS_OK;
	}
out:
	return rc;
}

static cs_err collect(cfg *c, const cs_value *root)
{
	cs_err rc = CS_OK;
	const cs_value *list = cs_value_get(root, "configurationItems");
	const char *lname = "configurationItems";
	if (!list) {
		list = cs_value_get(root, "baseConfigurationItems");
		lname = "baseConfigurationItems";
	}
	if (!list && cs_value_get(root, "Results") && cs_value_get(root, "QueryInfo")) {
		const cs_value *res = cs_value_get(root, "Results");
		if (cs_value_type(res) != CS_VARRAY) {
			diag(c, CS_SEV_ERROR, res, "\"Results\" is a %s, not an array",
			     cs_vtype_name(cs_value_type(res)));
			rc = CS_ETYPE;
			goto out;
		}
		for (size_t i = 0; i < cs_value_len(res); i++) {
			const cs_value *r = cs_value_at(res, i), *obj = r;
			if (cs_value_type(r) == CS_VSTRING) {
				if ((rc = parse_embedded(c, r, "a select-resource-config result", &obj)))
					goto out;
				if (!obj)
					continue;
			}
			if ((rc = add_item(c, obj)))
				goto out;
		}
		goto out;
	}
	if (!list) { /* a single configuration item */
		rc = add_item(c, root);
		goto out;
	}
	if (cs_value_type(list) != CS_VARRAY) {
		diag(c, CS_SEV_ERROR, list, "\"%s\" is a %s, not an array", lname,
		     cs_vtype_name(cs_value_type(list)));
		rc = CS_ETYPE;
		goto out;
	}
	for (size_t i = 0; i < cs_value_len(list); i++)
		if ((rc = add_item(c, cs_value_at(list, i))))
			goto out;
out:
	return rc;
}

/* ---- newest wins ---------------------------------------------------------- */

static int str_cmp(cs_str a, cs_str b)
{
	size_t n = a.len < b.len ? a.len : b.len;
	int r = n ? memcmp(a.ptr, b.ptr, n) : 0;
	if (r)
		return r;
	return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

static int same_resource_cmp(const cfg_item *a, const cfg_item *b)
{
	int r = str_cmp(a->type, b->type);
	if (!r)
		r = str_cmp(a->id, b->id);
	if (!r)
		r = str_cmp(a->account, b->account);
	if (!r)
		r = str_cmp(a->region, b->region);
	return r;
}

/* Sorts by resource, then capture time (unknown times first), then order
 * in the file, so the last of each run is the newest (later in the file
 * wins a tie). */
static int item_cmp(const void *x, const void *y)
{
	const cfg_item *a = *(cfg_item *const *)x, *b = *(cfg_item *const *)y;
	int r = same_resource_cmp(a, b);
	if (r)
		return r;
	if (a->has_time != b->has_time)
		return a->has_time ? 1 : -1;
	if (a->has_time && a->time != b->time)
		return a->time < b->time ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq ? 1 : 0;
}

static cs_err pick_newest(cfg *c)
{
	cs_err rc = CS_OK;
	cfg_item **order = NULL;
	if (!c->n)
		goto out;
	order = cs_malloc(c->n * sizeof *order);
	if (!order) {
		rc = CS_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < c->n; i++)
		order[i] = &c->it[i];
	qsort(order, c->n, sizeof *order, item_cmp);
	for (size_t i = 0; i < c->n; i++)
		if (i + 1 == c->n || same_resource_cmp(order[i], order[i + 1]) != 0)
			order[i]->keep = true;
out:
	cs_free(order);
	return rc;
}

/* ---- properties ----------------------------------------------------------- */

static cs_err unknown_at(cfg *c, const char *reason, const cs_value *at, const cs_value **out)
{
	*out = cs__v_unknown(c->a, reason, cs_value_line(at), cs_value_col(at));
	return *out ? CS_OK : nomem(c);
}

/* `configuration`: an object as is, a JSON string parsed (unknown if it
 * is not JSON), anything else as is. */
static cs_err decode_part(cfg *c, const cs_value *v, const char *what, const cs_value **out)
{
	cs_err rc = CS_OK;
	*out = v;
	if (cs_value_type(v) != CS_VSTRING)
		goto out;
	if ((rc = parse_embedded(c, v, what, out)))
		goto out;
	if (!*out)
		rc = unknown_at(c, cfg_badjson, v, out);
out:
	return rc;
}

/* supplementaryConfiguration: each member's value decoded like
 * `configuration`. */
static cs_err decode_supplementary(cfg *c, const cs_value *v, const cs_value **out)
{
	cs_err rc = CS_OK;
	cs_member *m = NULL;
	if ((rc = decode_part(c, v, "supplementaryConfiguration", out)))
		goto out;
	v = *out;
	if (cs_value_type(v) != CS_VOBJECT || !cs_value_len(v))
		goto out;
	size_t n = cs_value_len(v);
	bool changed = false;
	m = cs_malloc(n * sizeof *m);
	if (!m) {
		rc = CS_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const cs_member *src = &v->u.obj.m[i];
		const cs_value *nv;
		char what[160];
		snprintf(what, sizeof what, "supplementaryConfiguration.%.*s",
			 (int)(src->key.len > 120 ? 120 : src->key.len), src->key.ptr);
		if ((rc = decode_part(c, src->val, what, &nv)))
			goto out;
		if (nv != src->val)
			changed = true;
		m[i] = (cs_member){ src->key, (cs_value *)nv, src->line, src->col };
	}
	if (changed) {
		*out = cs__v_object(c->a, m, n, cs_value_line(v), cs_value_col(v));
		if (!*out)
			rc = nomem(c);
	}
out:
	cs_free(m);
	return rc;
}

/* The props object: the item's members with configuration and
 * supplementaryConfiguration decoded, plus ARN and awsAccountId under
 * those names when the item spells them "arn" and "accountId", plus an
 * unknown for each of the documented members the export lacks. */
static cs_err build_props(cfg *c, const cfg_item *it, const cs_value **out)
{
	static const char *const needed[] = { "configuration", "supplementaryConfiguration",
					      "tags",	       "resourceName",
					      "resourceId",    "ARN",
					      "awsRegion",     "awsAccountId",
					      "relationships" };
	cs_err rc = CS_OK;
	const cs_value *obj = it->obj;
	size_t n = cs_value_len(obj), k = 0;
	cs_member *m = cs_malloc((n + CS_ARRAY_SIZE(needed)) * sizeof *m);
	if (!m) {
		rc = CS_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		cs_member mm = obj->u.obj.m[i];
		const cs_value *nv = mm.val;
		if (cs_str_eqc(mm.key, "configuration"))
			rc = decode_part(c, mm.val, "configuration", &nv);
		else if (cs_str_eqc(mm.key, "supplementaryConfiguration"))
			rc = decode_supplementary(c, mm.val, &nv);
		if (rc)
			goto out;
		mm.val = (cs_value *)nv;
		m[k++] = mm;
	}
	for (size_t i = 0; i < CS_ARRAY_SIZE(needed); i++) {
		if (cs_value_get(obj, needed[i]))
			continue;
		const cs_value *alias = NULL;
		if (!strcmp(needed[i], "ARN"))
			alias = cs_value_get(obj, "arn");
		else if (!strcmp(needed[i], "awsAccountId"))
			alias = cs_value_get(obj, "accountId");
		const cs_value *nv = alias;
		if (!nv && (rc = unknown_at(c, cfg_absent, obj, &nv)))
			goto out;
		m[k++] = (cs_member){ cs_str_c(needed[i]), (cs_value *)nv, cs_value_line(nv),
				      cs_value_col(nv) };
	}
	*out = cs__v_object(c->a, m, k, cs_value_line(obj), cs_value_col(obj));
	if (!*out)
		rc = nomem(c);
out:
	cs_free(m);
	return rc;
}

static const char *dup_or_null(cfg *c, cs_str s, cs_err *err)
{
	if (!s.len)
		return NULL;
	char *p = cs_arena_strndup(c->a, s.ptr, s.len);
	if (!p)
		*err = nomem(c);
	return p;
}

static bool status_gone(cs_str st)
{
	return cs_str_eqc(st, "ResourceDeleted") || cs_str_eqc(st, "ResourceDeletedNotRecorded") ||
	       cs_str_eqc(st, "ResourceNotRecorded");
}

static cs_err emit(cfg *c, const cfg_item *it)
{
	cs_err rc = CS_OK;
	cs_str st = str_of(it->obj, "configurationItemStatus", NULL);
	if (status_gone(st)) {
		diag(c, CS_SEV_NOTE, it->obj, "%.*s %.*s: status %.*s; skipped", (int)it->type.len,
		     it->type.ptr, (int)it->id.len, it->id.ptr, (int)st.len, st.ptr);
		goto out;
	}
	cs_raw r;
	memset(&r, 0, sizeof r);
	r.format = CFG_FORMAT;
	r.provider = "aws";
	r.file = c->file;
	r.line = cs_value_line(it->obj);
	r.col = cs_value_col(it->obj);
	r.end_line = 0; /* JSON has no comments, so no inline suppressions need it */
	r.type = dup_or_null(c, it->type, &rc);
	r.name = dup_or_null(c, it->id, &rc);
	r.arn = dup_or_null(c, str_of(it->obj, "ARN", "arn"), &rc);
	r.region = dup_or_null(c, it->region, &rc);
	r.account = dup_or_null(c, it->account, &rc);
	if (rc)
		goto out;
	if ((rc = build_props(c, it, &r.props)))
		goto out;
	rc = cs__ingest_add(c->in, &r);
out:
	return rc;
}

cs_err cs__awsconfig_extract(cs_ingest *in, const char *file, const cs_value *root)
{
	cs_err rc = CS_OK;
	cfg c;
	memset(&c, 0, sizeof c);
	c.in = in;
	c.a = cs__ingest_arena(in);
	c.diag = cs__ingest_diag(in);
	c.file = file ? cs_arena_strdup(c.a, file) : NULL;
	if (file && !c.file) {
		rc = nomem(&c);
		goto out;
	}
	if (cs_value_type(root) != CS_VOBJECT) {
		diag(&c, CS_SEV_ERROR, root, "the document is a %s, not an object",
		     cs_vtype_name(cs_value_type(root)));
		rc = CS_ETYPE;
		goto out;
	}
	if ((rc = collect(&c, root)))
		goto out;
	if ((rc = pick_newest(&c)))
		goto out;
	for (size_t i = 0; i < c.n; i++)
		if (c.it[i].keep && (rc = emit(&c, &c.it[i])))
			goto out;
out:
	cs_free(c.it);
	return rc;
}
