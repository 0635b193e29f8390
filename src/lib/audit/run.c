/*
 * audit/run.c - running checks over an inventory: applicability, verdicts,
 * evidence text, fingerprints, inline and baseline suppressions, and the
 * baseline file.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cshare/json.h"
#include "check.h"

static bool id_matches(const char *id, const char *const *pats)
{
	for (; pats && *pats; pats++) {
		size_t n = strlen(*pats);
		if (n && (*pats)[n - 1] == '*') {
			if (strncmp(id, *pats, n - 1) == 0)
				return true;
		} else if (strcmp(id, *pats) == 0) {
			return true;
		}
	}
	return false;
}

cs_err cs__results_push(cs_results *r, const cs_result *x)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		cs_result *nv = cs_realloc(r->v, cap * sizeof(cs_result));
		if (!nv)
			return CS_ENOMEM;
		r->v = nv;
		r->cap = cap;
	}
	r->v[r->n++] = *x;
	return CS_OK;
}

/* Appends a short JSON rendering of v (at most ~240 bytes), made in the
 * results' scratch buffer (at most 4 KB). */
static void value_text(cs_results *r, cs_buf *b, const cs_value *v)
{
	cs_buf *t = &r->val;
	t->len = 0;
	t->max = 4096;
	if (cs__json_write_evidence(t, v) != CS_OK || !t->data) {
		cs_buf_puts(b, "(too large to show)");
	} else if (t->len > 240) {
		cs_buf_append(b, t->data, 237);
		cs_buf_puts(b, "...");
	} else {
		cs_buf_append(b, t->data, t->len);
	}
}

/* Appends s[0..n) up to its first NUL, as printf's "%.*s" would. */
static void put_cut(cs_buf *b, const char *s, size_t n)
{
	const char *nul = n ? memchr(s, 0, n) : NULL;
	cs_buf_append(b, s, nul ? (size_t)(nul - s) : n);
}

static void put_size(cs_buf *b, size_t v)
{
	char tmp[24];
	size_t n = sizeof tmp;
	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	cs_buf_append(b, tmp + n, sizeof tmp - n);
}

#define PUT_LIT(b, lit) cs__buf_add((b), (lit), sizeof(lit) - 1)

static const char *evidence_text(cs_results *r, const cs_resource *res, const cs_evidence *ev,
				 const char **attr_out)
{
	cs_arena *a = r->a;
	cs_buf *b = &r->text;
	bool wrote = false; /* whether the attribute part was written at all */
	const char *out = NULL;
	*attr_out = NULL;
	if (!ev->cond)
		return "";
	b->len = 0;
	b->max = 8192;
	if (ev->each_path) {
		cs_buf_puts(b, ev->each_path);
		cs_buf_putc(b, '[');
		put_size(b, ev->each_index);
		cs_buf_putc(b, ']');
		wrote = true;
	}
	if (ev->cond->kind == C_TEST) {
		if (ev->each_path)
			cs_buf_putc(b, '.');
		cs_buf_puts(b, cs__path_text(ev->cond->attr));
		wrote = true;
	} else if (ev->cond->kind == C_EACH && ev->each_path &&
		   ev->each_path != cs__path_text(ev->cond->attr)) {
		/* an inner quantifier's element inside an outer one */
		cs_buf_putc(b, '.');
		cs_buf_puts(b, cs__path_text(ev->cond->attr));
		wrote = true;
	} else if (ev->cond->kind == C_EACH && !ev->each_path) {
		cs_buf_puts(b, cs__path_text(ev->cond->attr));
		wrote = true;
	}
	*attr_out = wrote && b->data ? cs_arena_strndup(a, b->data, b->len) : NULL;
	const cs_value *v = ev->val;
	if (!v || v->type == CS_VNULL) {
		PUT_LIT(b, " is not set");
	} else if (cs__unknown_but_set(v) && v->u.s.len > 4 && memcmp(v->u.s.ptr, "ref:", 4) == 0) {
		PUT_LIT(b, " is set from ");
		put_cut(b, v->u.s.ptr + 4, v->u.s.len - 4);
		PUT_LIT(b, " (its value is known at deployment)");
	} else if (v->type == CS_VUNKNOWN && v->u.unk.shape) {
		PUT_LIT(b, " = \"");
		for (const char *p = v->u.unk.shape; *p; p++) {
			if (*p == CS_HOLE_ANY || *p == CS_HOLE_TOKEN)
				PUT_LIT(b, "${?}");
			else
				cs_buf_putc(b, *p);
		}
		PUT_LIT(b, "\" (partly known: ");
		put_cut(b, v->u.s.ptr, v->u.s.len);
		cs_buf_putc(b, ')');
	} else if (v->type == CS_VUNKNOWN) {
		PUT_LIT(b, " is unknown (");
		put_cut(b, v->u.s.ptr, v->u.s.len);
		cs_buf_putc(b, ')');
	} else {
		PUT_LIT(b, " = ");
		value_text(r, b, v);
		if (v->flags & CS_VF_DEFAULT) {
			const cs_map_default *d = ev->cond->kind == C_TEST && !ev->each_path
							  ? cs__kind_default(res->mk, cs__path_text(ev->cond->attr))
							  : NULL;
			if (d && d->note) {
				PUT_LIT(b, " (provider default: ");
				cs_buf_puts(b, d->note);
				cs_buf_putc(b, ')');
			} else {
				PUT_LIT(b, " (provider default)");
			}
		}
	}
	out = b->data ? cs_arena_strndup(a, b->data, b->len) : "";
	return out;
}

/* Splits check c's message at its {attr} names (once per check in a row
 * of results of the same check: reports list them grouped). */
static void split_message(cs_results *r, const cs_check *c)
{
	if (r->msg_check == c)
		return;
	r->msg_check = c;
	r->nsegs = 0;
	size_t n = 1;
	for (const char *p = c->message; *p; p++)
		n += *p == '{';
	r->segs = cs_arena_alloc(r->a, n * sizeof(cs_msg_seg));
	if (!r->segs) {
		r->msg_check = NULL;
		return;
	}
	for (const char *p = c->message; *p;) {
		const char *o = strchr(p, '{'), *e = o ? strchr(o, '}') : NULL;
		cs_msg_seg *sg = &r->segs[r->nsegs++];
		memset(sg, 0, sizeof *sg);
		sg->text = p;
		if (!o || !e) {
			sg->len = strlen(p);
			break;
		}
		sg->len = (size_t)(o - p);
		sg->has_attr = true;
		char name[128];
		size_t nl = (size_t)(e - o - 1);
		if (nl >= sizeof name)
			nl = sizeof name - 1;
		memcpy(name, o + 1, nl);
		name[nl] = 0;
		const char *why;
		if (cs__path_parse(r->a, name, &sg->path, &why) != CS_OK)
			sg->path = NULL;
		p = e + 1;
	}
}

/* Replaces {attr} in the check's message with attribute values. */
static const char *format_message(cs_results *r, const cs_check *c, const cs_resource *res)
{
	if (!c->message)
		return c->title;
	split_message(r, c);
	if (r->msg_check != c || !r->nsegs)
		return c->title;
	cs_buf *b = &r->text;
	b->len = 0;
	b->max = 4096;
	for (size_t i = 0; i < r->nsegs; i++) {
		const cs_msg_seg *sg = &r->segs[i];
		cs_buf_append(b, sg->text, sg->len);
		if (!sg->has_attr)
			continue;
		const cs_value *v = NULL;
		if (sg->path && cs__path_eval(sg->path, res->attrs, r->a, &v) != CS_PATH_ABSENT && v) {
			if (v->type == CS_VSTRING)
				cs_buf_append(b, v->u.s.ptr, v->u.s.len);
			else if (v->type == CS_VUNKNOWN)
				PUT_LIT(b, "(unknown)");
			else
				value_text(r, b, v);
		} else {
			PUT_LIT(b, "(not set)");
		}
	}
	const char *out = b->data ? cs_arena_strndup(r->a, b->data, b->len) : c->title;
	return out ? out : c->title;
}

static const char *inline_suppression(const cs_check *c, const cs_resource *res)
{
	const cs_srcfile *f = res->src;
	if (!f)
		return NULL;
	for (size_t i = 0; i < f->nsupp; i++) {
		const cs_suppression *s = &f->supp[i];
		if (strcmp(s->check_id, c->id) != 0)
			continue;
		uint32_t lo = res->line > 1 ? res->line - 1 : 1;
		uint32_t hi = res->end_line ? res->end_line : cs__value_last_line(res->raw->props);
		if (s->line >= lo && s->line <= (hi > res->line ? hi : res->line))
			return s->reason;
		for (size_t j = 0; j < res->njoined; j++) {
			const cs_raw *r = res->joined[j];
			uint32_t jlo = r->line > 1 ? r->line - 1 : 1;
			if (s->line >= jlo && s->line <= (r->end_line > r->line ? r->end_line : r->line))
				return s->reason;
		}
	}
	return NULL;
}

static void fingerprint(cs_results *r, char out[17], const cs_check *c, const cs_resource *res)
{
	const char *rel = res->src ? res->src->relpath : res->raw->file;
	/* the hash over id and kind is the same for a run of results of one
	 * check: made once per run */
	if (r->fp_check != c || r->fp_kind != res->kind) {
		uint64_t h0 = cs__hash64(c->id, strlen(c->id) + 1, 0x63736861ULL);
		r->fp_h = cs__hash64(res->kind, strlen(res->kind) + 1, h0);
		r->fp_check = c;
		r->fp_kind = res->kind;
	}
	uint64_t h = cs__hash64(res->name, strlen(res->name) + 1, r->fp_h);
	h = cs__hash64(rel, strlen(rel) + 1, h);
	/* "%016llx" by hand: one per result, and snprintf was 1.7% of a
	 * 10,000-resource audit's instructions */
	static const char hex[] = "0123456789abcdef";
	for (int i = 15; i >= 0; i--) {
		out[i] = hex[h & 15];
		h >>= 4;
	}
	out[16] = 0;
}

/* Reads a baseline: one fingerprint at the start of each line. */
static cs_err load_baseline(const char *path, cs_arena *a, cs_strmap *set, cs_diag_sink *diag)
{
	char *data = NULL;
	size_t len = 0;
	cs_err rc = cs_file_read(path, 64u << 20, &data, &len);
	if (rc) {
		cs_diag_emit(diag, CS_SEV_ERROR, rc, path, 0, 0, NULL, "cannot read baseline: %s",
			     rc == CS_ENOENT ? "No such file or directory" : strerror(errno));
		return rc;
	}
	uint32_t line = 0;
	for (char *p = data; p < data + len;) {
		char *eol = memchr(p, '\n', (size_t)(data + len - p));
		if (!eol)
			eol = data + len;
		line++;
		if (*p != '#' && p < eol) {
			size_t n = 0;
			while (p + n < eol && ((p[n] >= '0' && p[n] <= '9') || (p[n] >= 'a' && p[n] <= 'f')))
				n++;
			if (n != 16 || (p + n < eol && p[n] != ' ' && p[n] != '\t' && p[n] != '\r')) {
				cs_diag_emit(diag, CS_SEV_ERROR, CS_ESYNTAX, path, line, 1, NULL,
					     "a baseline line starts with a 16-digit fingerprint");
				rc = CS_ESYNTAX;
			} else {
				char *k = cs_arena_strndup(a, p, 16);
				if (!k || cs__strmap_put(set, k, 16, k)) {
					rc = CS_ENOMEM;
					break;
				}
			}
		}
		p = eol + 1;
	}
	cs_free(data);
	return rc;
}

void cs__result_settle(cs_results *r, cs_result *x, const cs_strmap *base)
{
	/* the fingerprint is made when needed: here for the baseline, else
	 * when the result is reported */
	if (x->verdict != CS_PASS) {
		const char *why = inline_suppression(x->check, x->res);
		if (why) {
			x->suppressed = why;
			x->suppressed_by = "inline";
		} else if (base->n && (fingerprint(r, x->fp, x->check, x->res),
				       cs__strmap_get(base, x->fp, 16, NULL))) {
			x->suppressed = "in the baseline";
			x->suppressed_by = "baseline";
		}
	}
	if (x->suppressed)
		r->nsupp++;
	else
		r->tally[x->verdict]++;
}

cs_err cs_audit_run(const cs_checkset *cs, const cs_inventory *inv, const cs_audit_opts *opts,
		    cs_diag_sink *diag, cs_results **out)
{
	cs_err rc = CS_OK, brc = CS_OK;
	cs_strmap by_kind = { 0 }, base = { 0 };
	cs_ptrvec iam = { 0 }; /* iam-analysis checks to run */
	cs_results *r = cs_calloc(1, sizeof(*r));
	*out = NULL;
	if (!r || !(r->a = cs_arena_new(0))) {
		cs_free(r);
		return CS_ENOMEM;
	}
	cs_buf_init(&r->text, 0);
	cs_buf_init(&r->val, 0);
	if (opts && opts->baseline)
		brc = load_baseline(opts->baseline, r->a, &base, diag);
	/* checks that will run, by kind */
	for (size_t i = 0; i < cs->checks.n; i++) {
		const cs_check *c = cs->checks.v[i];
		if (c->invalid || (!c->mk && c->iam_class < 0))
			continue;
		if (opts && c->level < opts->min_level)
			continue;
		if (opts && opts->only && !id_matches(c->id, opts->only))
			continue;
		if (opts && opts->skip && id_matches(c->id, opts->skip))
			continue;
		r->nchecks++;
		if (c->iam_class >= 0)
			rc = cs__ptrvec_push(&iam, (void *)c);
		else
			rc = cs__strmap_put(&by_kind, c->kind, strlen(c->kind), (void *)c);
		if (rc)
			goto out;
	}
	r->nresources = inv->nres;
	for (size_t i = 0; i < inv->nres; i++) {
		const cs_resource *res = &inv->res[i];
		if (!res->attrs)
			continue;
		size_t iter;
		for (const cs_check *c = cs__strmap_get(&by_kind, res->kind, strlen(res->kind), &iter); c;
		     c = cs__strmap_next(&by_kind, res->kind, strlen(res->kind), &iter)) {
			cs_evidence ev = { 0 }, wev = { 0 };
			cs_tri when = c->when ? cs__cond_eval(c->when, res->attrs, r->a, &wev) : T_TRUE;
			if (when == T_FALSE)
				continue;
			cs_tri t = cs__cond_eval(c->assert_, res->attrs, r->a, &ev);
			if (when == T_UNK && t == T_FALSE) {
				t = T_UNK;
				ev = wev;
			}
			cs_result x;
			memset(&x, 0, sizeof x);
			x.check = c;
			x.res = res;
			x.verdict = t == T_TRUE ? CS_PASS : t == T_FALSE ? CS_FAIL : CS_UNKNOWN;
			x.ev = ev;
			x.file = res->raw->file;
			x.line = res->line;
			x.col = res->col;
			const cs_value *v = ev.val;
			if (v && v->line && !(v->flags & CS_VF_DEFAULT) && v->type != CS_VUNKNOWN) {
				x.line = v->line;
				x.col = v->col;
			} else if (v && v->type == CS_VUNKNOWN && v->line) {
				x.line = v->line;
				x.col = v->col;
			}
			cs__result_settle(r, &x, &base);
			if ((rc = cs__results_push(r, &x)))
				goto out;
		}
	}
	if (iam.n)
		rc = cs__audit_iam(cs, inv, &iam, &base, diag, r);
out:
	cs__ptrvec_release(&iam);
	cs__strmap_release(&by_kind);
	cs__strmap_release(&base);
	if (rc) {
		cs_results_free(r);
		return rc;
	}
	*out = r;
	return brc;
}

void cs__result_describe(cs_results *r, cs_result *x)
{
	if (!x->fp[0])
		fingerprint(r, x->fp, x->check, x->res);
	if (x->message) /* described already, or made with its text (IAM) */
		return;
	x->evidence = evidence_text(r, x->res, &x->ev, &x->attr);
	x->message = format_message(r, x->check, x->res);
}

void cs_results_free(cs_results *r)
{
	if (!r)
		return;
	cs_free(r->v);
	cs_buf_release(&r->text);
	cs_buf_release(&r->val);
	cs_arena_free(r->a);
	cs_free(r);
}

size_t cs_results_count(const cs_results *r)
{
	return r->n;
}

size_t cs_results_tally(const cs_results *r, cs_verdict v)
{
	return (unsigned)v < 3 ? r->tally[v] : 0;
}

size_t cs_results_suppressed(const cs_results *r)
{
	return r->nsupp;
}

cs_err cs_results_baseline(cs_results *r, cs_buf *out)
{
	cs_err rc = cs_buf_puts(out, "# cshare baseline: known findings, one per line:\n"
				     "# fingerprint check-id kind resource file\n");
	for (size_t i = 0; i < r->n && !rc; i++) {
		cs_result *x = &r->v[i];
		/* inline-suppressed findings stay in the source, not the baseline */
		if (x->verdict == CS_PASS ||
		    (x->suppressed_by && strcmp(x->suppressed_by, "inline") == 0))
			continue;
		if (!x->fp[0])
			fingerprint(r, x->fp, x->check, x->res);
		rc = cs_buf_printf(out, "%s %s %s %s %s\n", x->fp, x->check->id, x->res->kind,
				   x->res->name, x->res->src ? x->res->src->relpath : x->file);
	}
	return rc;
}
