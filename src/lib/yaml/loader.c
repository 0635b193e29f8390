/*
 * yaml/loader.c - YAML streams to the arena value tree, on libyaml's event
 * parser.
 *
 * libyaml does the scanning and parsing; this file composes the events into
 * values without recursion: an explicit stack of open collections (bounded
 * by max_depth) whose children wait on two scratch stacks (values for
 * sequences, members for mappings) until the collection ends.  Plain
 * scalars resolve by the YAML 1.2 core schema; every other scalar is a
 * string.  Anchors live in a per-document hash table; an alias shares the
 * anchored (immutable) value but adds its expanded size to the node count,
 * so exponential alias bombs stop at max_nodes.  Merge keys (<<) and
 * duplicate keys are settled when a mapping ends.
 *
 * Columns are libyaml's: counted in characters, 1-based here, which equal
 * byte columns on ASCII lines.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "cshare/yaml.h"
#include "../core/internal.h"

#define YAML_DEFAULT_DEPTH 256u
#define YAML_DEFAULT_NODES ((size_t)10 * 1000 * 1000)
#define TAG_CORE "tag:yaml.org,2002:"

/* An anchor: name, value (NULL while its node is still open) and the
 * number of nodes the value stands for once aliases are expanded. */
typedef struct anchor {
	const char *name;
	const cs_value *v;
	size_t nodes;
	unsigned long serial; /* which declaration of the name this is */
} anchor;

/* An open sequence or mapping. */
typedef struct frame {
	bool is_map;
	uint32_t line, col;
	const char *tag;
	const char *anchor;   /* the node's anchor name, or NULL */
	unsigned long serial; /* and which declaration of it */
	size_t base;        /* first child on the vals or mems stack */
	size_t nodes;       /* expanded node count of the children so far */
	/* mappings: the pending key */
	bool have_key, key_merge, key_skip;
	cs_str key;
	uint32_t key_line, key_col;
} frame;

typedef struct loader {
	cs_arena *a;
	const char *file;
	const char *data;
	size_t len;
	cs_diag_sink *diag;
	unsigned max_depth;
	size_t max_nodes, total_nodes;
	frame *fr;
	size_t nfr;
	cs_ptrvec vals;
	cs_member *mems;
	size_t nmem, capmem;
	anchor *anc; /* open-addressing hash table, capacity ancap (power of 2) */
	size_t ancap, nanc;
	unsigned long serial;
	cs_ptrvec docs;
	cs_err err;
} loader;

static cs_err fail(loader *ld, cs_err code, uint32_t line, uint32_t col, const char *fmt, ...)
	CS_PRINTF(5, 6);

static cs_err fail(loader *ld, cs_err code, uint32_t line, uint32_t col, const char *fmt, ...)
{
	if (ld->err)
		return ld->err;
	ld->err = code;
	char msg[384];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cs_diag_emit(ld->diag, CS_SEV_ERROR, code, ld->file, line, col, NULL, "%s", msg);
	return code;
}

/* Out of arena memory: CS_ELIMIT (with a diagnostic) or CS_ENOMEM. */
static cs_err oom(loader *ld, uint32_t line, uint32_t col)
{
	if (cs_arena_error(ld->a) == CS_ELIMIT)
		return fail(ld, CS_ELIMIT, line, col,
			    "invalid YAML: document too large for the memory limit");
	if (!ld->err)
		ld->err = CS_ENOMEM;
	return ld->err;
}

/* Adds n to the expanded node count; past max_nodes is CS_ELIMIT. */
static cs_err count_nodes(loader *ld, size_t n, uint32_t line, uint32_t col)
{
	if (n > ld->max_nodes || ld->total_nodes > ld->max_nodes - n)
		return fail(ld, CS_ELIMIT, line, col,
			    "YAML document expands to more than %zu nodes (alias expansion?)",
			    ld->max_nodes);
	ld->total_nodes += n;
	return CS_OK;
}

/* ---- anchors ------------------------------------------------------------ */

static size_t anchor_find(const loader *ld, const char *name)
{
	if (!ld->ancap)
		return SIZE_MAX;
	size_t mask = ld->ancap - 1;
	size_t i = (size_t)cs__hash64(name, strlen(name), 0) & mask;
	while (ld->anc[i].name) {
		if (strcmp(ld->anc[i].name, name) == 0)
			return i;
		i = (i + 1) & mask;
	}
	return SIZE_MAX;
}

static cs_err anchor_grow(loader *ld)
{
	size_t ncap = ld->ancap ? ld->ancap * 2 : 64;
	anchor *t = cs_calloc(ncap, sizeof(*t));
	if (!t)
		return CS_ENOMEM;
	for (size_t j = 0; j < ld->ancap; j++) {
		if (!ld->anc[j].name)
			continue;
		size_t i = (size_t)cs__hash64(ld->anc[j].name, strlen(ld->anc[j].name), 0) &
			   (ncap - 1);
		while (t[i].name)
			i = (i + 1) & (ncap - 1);
		t[i] = ld->anc[j];
	}
	cs_free(ld->anc);
	ld->anc = t;
	ld->ancap = ncap;
	return CS_OK;
}

/* Declares an anchor (a later one with the same name replaces the earlier
 * one, as YAML says); *name_out gets its stable (arena) name and *serial
 * the number of this declaration.  Slots move when the table grows, so
 * callers find the anchor again by name. */
static cs_err anchor_declare(loader *ld, const char *name, uint32_t line, uint32_t col,
			     const char **name_out, unsigned long *serial)
{
	size_t i = anchor_find(ld, name);
	if (i == SIZE_MAX) {
		if ((ld->nanc + 1) * 2 > ld->ancap && anchor_grow(ld))
			return CS_ENOMEM;
		char *copy = cs_arena_strdup(ld->a, name);
		if (!copy)
			return oom(ld, line, col);
		i = (size_t)cs__hash64(name, strlen(name), 0) & (ld->ancap - 1);
		while (ld->anc[i].name)
			i = (i + 1) & (ld->ancap - 1);
		ld->anc[i].name = copy;
		ld->nanc++;
	}
	ld->anc[i].v = NULL;
	ld->anc[i].nodes = 0;
	ld->anc[i].serial = ++ld->serial;
	*name_out = ld->anc[i].name;
	*serial = ld->serial;
	return CS_OK;
}

/* Gives the anchor its finished value, unless a later declaration of the
 * same name (inside the node) has taken the name over. */
static void anchor_define(loader *ld, const char *name, unsigned long serial, const cs_value *v,
			  size_t nodes)
{
	size_t i = anchor_find(ld, name);
	if (i != SIZE_MAX && ld->anc[i].serial == serial) {
		ld->anc[i].v = v;
		ld->anc[i].nodes = nodes;
	}
}

static void anchors_reset(loader *ld)
{
	if (ld->anc)
		memset(ld->anc, 0, ld->ancap * sizeof(*ld->anc));
	ld->nanc = 0;
}

/* ---- scalars -------------------------------------------------------------- */

static bool all_digits(const char *s, size_t n, int base)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool ok = base == 8    ? (c >= '0' && c <= '7')
			  : base == 16 ? ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
					  (c >= 'A' && c <= 'F'))
				       : (c >= '0' && c <= '9');
		if (!ok)
			return false;
	}
	return true;
}

static double digits_value(const char *s, size_t n, int base)
{
	double d = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int v = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
		d = d * base + v;
	}
	return d;
}

/* YAML 1.2 core-schema float (10.3.2):
 * [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
static bool is_core_float(const char *s, size_t n)
{
	size_t i = 0, d1 = 0, d2 = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, d1++;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, d2++;
		if (!d1 && !d2)
			return false;
	} else if (!d1) {
		return false;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		size_t d3 = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, d3++;
		if (!d3)
			return false;
	}
	return i == n;
}

static bool eq3(const char *s, size_t n, const char *a, const char *b, const char *c)
{
	cs_str t = { s, n };
	return cs_str_eqc(t, a) || cs_str_eqc(t, b) || cs_str_eqc(t, c);
}

enum { R_STR, R_NULL, R_BOOL, R_INT, R_FLOAT };

/* Resolves a plain scalar by the core schema; *d gets the number. */
static int resolve_plain(const char *s, size_t n, double *d, bool *b)
{
	/* every null, bool, int and float form starts with one of these: most
	 * keys and words are strings at the first byte */
	if (n && !strchr("~nNtTfF0123456789+-.", s[0]))
		return R_STR;
	if (n == 0 || (n == 1 && s[0] == '~') || eq3(s, n, "null", "Null", "NULL"))
		return R_NULL;
	if (eq3(s, n, "true", "True", "TRUE")) {
		*b = true;
		return R_BOOL;
	}
	if (eq3(s, n, "false", "False", "FALSE")) {
		*b = false;
		return R_BOOL;
	}
	if (n > 2 && s[0] == '0' && s[1] == 'o' && all_digits(s + 2, n - 2, 8)) {
		*d = digits_value(s + 2, n - 2, 8);
		return R_INT;
	}
	if (n > 2 && s[0] == '0' && s[1] == 'x' && all_digits(s + 2, n - 2, 16)) {
		*d = digits_value(s + 2, n - 2, 16);
		return R_INT;
	}
	size_t sign = (s[0] == '-' || s[0] == '+') ? 1 : 0;
	if (all_digits(s + sign, n - sign, 10)) {
		*d = digits_value(s + sign, n - sign, 10);
		if (s[0] == '-')
			*d = -*d;
		return R_INT;
	}
	if (eq3(s + sign, n - sign, ".inf", ".Inf", ".INF")) {
		*d = s[0] == '-' ? -INFINITY : INFINITY;
		return R_FLOAT;
	}
	if (eq3(s, n, ".nan", ".NaN", ".NAN")) {
		*d = NAN;
		return R_FLOAT;
	}
	if (is_core_float(s, n)) {
		char buf[64];
		if (n < sizeof buf) {
			memcpy(buf, s, n);
			buf[n] = 0;
			*d = strtod(buf, NULL);
		} else {
			char *tmp = cs_malloc(n + 1);
			if (!tmp)
				return -1;
			memcpy(tmp, s, n);
			tmp[n] = 0;
			*d = strtod(tmp, NULL);
			cs_free(tmp);
		}
		return R_FLOAT;
	}
	return R_STR;
}

/* Makes the value of a scalar event. */
static cs_err scalar_value(loader *ld, const yaml_event_t *ev, uint32_t line, uint32_t col,
			   cs_value **out)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	const char *tag = (const char *)ev->data.scalar.tag;
	bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	int want = -2; /* -2: no core tag; else the R_ kind a core tag asks for */
	const char *keep_tag = NULL;
	char *copy = cs_arena_strndup(ld->a, s, n);
	cs_value *v = NULL;
	if (!copy)
		return oom(ld, line, col);
	if (tag && strncmp(tag, TAG_CORE, sizeof TAG_CORE - 1) == 0) {
		const char *k = tag + sizeof TAG_CORE - 1;
		want = strcmp(k, "str") == 0     ? R_STR
		       : strcmp(k, "null") == 0  ? R_NULL
		       : strcmp(k, "bool") == 0  ? R_BOOL
		       : strcmp(k, "int") == 0   ? R_INT
		       : strcmp(k, "float") == 0 ? R_FLOAT
						 : -1;
		if (want == -1)
			keep_tag = tag; /* !!timestamp, !!binary...: a tagged string */
	} else if (tag && strcmp(tag, "!") != 0) {
		keep_tag = tag; /* a local tag such as !Ref: the value stays a string */
	}
	double d = 0;
	bool b = false;
	int kind = R_STR;
	if (want >= 0 && want != R_STR) {
		kind = resolve_plain(copy, n, &d, &b);
		if (kind == R_INT && want == R_FLOAT)
			kind = R_FLOAT;
		if (kind != want && kind >= 0) {
			cs_diag_emit(ld->diag, CS_SEV_WARNING, CS_ETYPE, ld->file, line, col, NULL,
				     "YAML scalar '%.40s' is not a valid %s; kept as a string",
				     copy, tag + sizeof TAG_CORE - 1);
			kind = R_STR;
		}
	} else if (plain && !tag) {
		kind = resolve_plain(copy, n, &d, &b);
	}
	switch (kind) {
	case R_NULL:
		v = cs__v_null(ld->a, line, col);
		break;
	case R_BOOL:
		v = cs__v_bool(ld->a, b, line, col);
		break;
	case R_INT:
	case R_FLOAT:
		v = cs__v_num(ld->a, d, (cs_str){ copy, n }, line, col);
		if (v && kind == R_INT)
			v->flags |= CS_VF_INT;
		break;
	case R_STR:
		v = cs__v_str(ld->a, (cs_str){ copy, n }, line, col);
		if (v && !plain)
			v->flags |= CS_VF_QUOTED;
		break;
	default:
		return CS_ENOMEM;
	}
	if (!v)
		return oom(ld, line, col);
	if (keep_tag && !(v->tag = cs_arena_strdup(ld->a, keep_tag)))
		return oom(ld, line, col);
	*out = v;
	return CS_OK;
}

/* The text of a scalar value used as a mapping key. */
static bool key_text(cs_arena *a, const cs_value *v, cs_str *out)
{
	switch ((cs_vtype)v->type) {
	case CS_VSTRING:
		*out = v->u.s;
		return true;
	case CS_VNUMBER:
		*out = v->u.num.raw;
		return true;
	case CS_VBOOL:
		*out = v->u.b ? CS_STR_LIT("true") : CS_STR_LIT("false");
		return true;
	case CS_VNULL:
		*out = CS_STR_LIT("");
		return true;
	default:
		(void)a;
		return false;
	}
}

/* ---- composing ------------------------------------------------------------ */

static cs_err push_member(loader *ld, const cs_member *m)
{
	if (ld->nmem == ld->capmem) {
		size_t cap = ld->capmem ? ld->capmem * 2 : 64;
		cs_member *nm = cs_realloc(ld->mems, cap * sizeof(*nm));
		if (!nm)
			return CS_ENOMEM;
		ld->mems = nm;
		ld->capmem = cap;
	}
	ld->mems[ld->nmem++] = *m;
	return CS_OK;
}

/* Hands a finished node (`nodes` = its expanded size) to its parent, or
 * makes it the document root.  For a scalar key, `ktext` is its source
 * text. */
static cs_err deliver(loader *ld, cs_value *v, size_t nodes, const cs_str *ktext, bool merge)
{
	if (ld->nfr == 0)
		return cs__ptrvec_push(&ld->docs, v) ? CS_ENOMEM : CS_OK;
	frame *f = &ld->fr[ld->nfr - 1];
	f->nodes = f->nodes > SIZE_MAX - nodes ? SIZE_MAX : f->nodes + nodes;
	if (!f->is_map)
		return cs__ptrvec_push(&ld->vals, v) ? CS_ENOMEM : CS_OK;
	if (!f->have_key) {
		f->have_key = true;
		f->key_merge = merge;
		f->key_skip = false;
		f->key_line = v->line;
		f->key_col = v->col;
		if (ktext) {
			f->key = *ktext;
		} else if (!key_text(ld->a, v, &f->key)) {
			cs_diag_emit(ld->diag, CS_SEV_WARNING, CS_ETYPE, ld->file, v->line, v->col,
				     NULL,
				     "YAML mapping key is not a scalar (%s); only scalar keys are supported, "
				     "entry ignored",
				     cs_vtype_name((cs_vtype)v->type));
			f->key_skip = true;
		}
		return CS_OK;
	}
	f->have_key = false;
	if (f->key_skip)
		return CS_OK;
	cs_member m = { f->key_merge ? (cs_str){ NULL, 0 } : f->key, v, f->key_line, f->key_col };
	return push_member(ld, &m);
}

/* Index of key k among out[0..n) via the hash table h (mask hm), or n. */
static size_t key_lookup(const cs_member *out, size_t n, const size_t *h, size_t hm, cs_str k,
			 size_t *slot)
{
	size_t i = (size_t)cs__hash64(k.ptr, k.len, 0) & hm;
	while (h[i]) {
		if (cs_str_eq(out[h[i] - 1].key, k)) {
			*slot = i;
			return h[i] - 1;
		}
		i = (i + 1) & hm;
	}
	*slot = i;
	return n;
}

/* Builds the mapping of frame f from its members: explicit keys first (a
 * duplicate warns and the last value wins), then keys from merge sources
 * that are not already there (earlier sources win, YAML merge spec). */
static cs_err finish_map(loader *ld, const frame *f, cs_value **out)
{
	cs_err rc = CS_OK;
	/* no members yet means no array yet: no arithmetic on NULL */
	cs_member *src = ld->mems ? ld->mems + f->base : NULL;
	size_t nsrc = ld->nmem - f->base, total = 0;
	for (size_t i = 0; i < nsrc; i++) {
		const cs_value *mv = src[i].val;
		if (src[i].key.ptr) {
			total++;
		} else if (mv->type == CS_VOBJECT) {
			total += mv->u.obj.n;
		} else if (mv->type == CS_VARRAY) {
			for (size_t j = 0; j < mv->u.arr.n; j++)
				total += cs_value_len(mv->u.arr.v[j]);
		}
	}
	size_t hcap = 16;
	while (hcap < total * 2)
		hcap *= 2;
	cs_member *res = total ? cs_malloc(total * sizeof(*res)) : NULL;
	size_t *h = cs_calloc(hcap, sizeof(*h));
	size_t n = 0, slot = 0;
	if ((total && !res) || !h) {
		rc = CS_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < nsrc; i++) {
		if (!src[i].key.ptr)
			continue;
		size_t at = key_lookup(res, n, h, hcap - 1, src[i].key, &slot);
		if (at < n) {
			cs_diag_emit(ld->diag, CS_SEV_WARNING, CS_ESYNTAX, ld->file, src[i].line,
				     src[i].col, NULL,
				     "duplicate YAML mapping key '%.*s' (first at line %u); the "
				     "last value is used",
				     (int)(src[i].key.len > 80 ? 80 : src[i].key.len),
				     src[i].key.ptr, (unsigned)res[at].line);
			res[at] = src[i];
		} else {
			h[slot] = n + 1;
			res[n++] = src[i];
		}
	}
	for (size_t i = 0; i < nsrc; i++) {
		if (src[i].key.ptr)
			continue;
		const cs_value *mv = src[i].val;
		size_t nparts = mv->type == CS_VARRAY ? mv->u.arr.n : 1;
		for (size_t p = 0; p < nparts; p++) {
			const cs_value *part = mv->type == CS_VARRAY ? mv->u.arr.v[p] : mv;
			if (part->type != CS_VOBJECT) {
				cs_diag_emit(ld->diag, CS_SEV_WARNING, CS_ETYPE, ld->file,
					     part->line, part->col, NULL,
					     "YAML merge key (<<) needs a mapping or a list of "
					     "mappings, not a %s; ignored",
					     cs_vtype_name((cs_vtype)part->type));
				continue;
			}
			for (size_t j = 0; j < part->u.obj.n; j++) {
				const cs_member *pm = &part->u.obj.m[j];
				if (key_lookup(res, n, h, hcap - 1, pm->key, &slot) < n)
					continue;
				h[slot] = n + 1;
				res[n++] = *pm;
			}
		}
	}
	*out = cs__v_object(ld->a, res, n, f->line, f->col);
	if (!*out)
		rc = oom(ld, f->line, f->col);
out:
	cs_free(res);
	cs_free(h);
	return rc;
}

static cs_err open_collection(loader *ld, const yaml_event_t *ev, bool is_map)
{
	uint32_t line = (uint32_t)ev->start_mark.line + 1, col = (uint32_t)ev->start_mark.column + 1;
	const char *tag = (const char *)(is_map ? ev->data.mapping_start.tag
						: ev->data.sequence_start.tag);
	const char *anc = (const char *)(is_map ? ev->data.mapping_start.anchor
						: ev->data.sequence_start.anchor);
	if (ld->nfr >= ld->max_depth)
		return fail(ld, CS_ELIMIT, line, col, "YAML nesting deeper than %u levels",
			    ld->max_depth);
	frame f;
	memset(&f, 0, sizeof f);
	f.is_map = is_map;
	f.line = line;
	f.col = col;
	f.base = is_map ? ld->nmem : ld->vals.n;
	if (tag && strcmp(tag, is_map ? TAG_CORE "map" : TAG_CORE "seq") != 0 &&
	    strcmp(tag, "!") != 0) {
		if (!(f.tag = cs_arena_strdup(ld->a, tag)))
			return oom(ld, line, col);
	}
	if (anc && anchor_declare(ld, anc, line, col, &f.anchor, &f.serial))
		return ld->err ? ld->err : CS_ENOMEM;
	ld->fr[ld->nfr++] = f;
	return CS_OK;
}

static cs_err close_collection(loader *ld)
{
	cs_err rc = CS_OK;
	frame f = ld->fr[--ld->nfr];
	cs_value *v = NULL;
	if (f.is_map) {
		if (f.have_key && !f.key_skip) {
			/* a key without a value cannot come from libyaml, which
			 * gives an empty scalar; guard anyway */
			rc = fail(ld, CS_EINTERNAL, f.line, f.col, "YAML mapping key without value");
			goto out;
		}
		rc = finish_map(ld, &f, &v);
		ld->nmem = f.base;
	} else {
		v = cs__v_array(ld->a, ld->vals.v ? (cs_value *const *)(ld->vals.v + f.base) : NULL,
				ld->vals.n - f.base,
				f.line, f.col);
		if (!v)
			rc = oom(ld, f.line, f.col);
		ld->vals.n = f.base;
	}
	if (rc)
		goto out;
	v->tag = f.tag;
	size_t nodes = f.nodes == SIZE_MAX ? SIZE_MAX : f.nodes + 1;
	if ((rc = count_nodes(ld, 1, f.line, f.col)))
		goto out;
	if (f.anchor)
		anchor_define(ld, f.anchor, f.serial, v, nodes);
	rc = deliver(ld, v, nodes, NULL, false);
out:
	return rc;
}

static cs_err on_scalar(loader *ld, const yaml_event_t *ev)
{
	cs_err rc;
	uint32_t line = (uint32_t)ev->start_mark.line + 1, col = (uint32_t)ev->start_mark.column + 1;
	cs_value *v = NULL;
	const char *aname = NULL;
	unsigned long serial = 0;
	if (ev->data.scalar.anchor &&
	    anchor_declare(ld, (const char *)ev->data.scalar.anchor, line, col, &aname, &serial))
		return ld->err ? ld->err : CS_ENOMEM;
	if ((rc = scalar_value(ld, ev, line, col, &v)) || (rc = count_nodes(ld, 1, line, col)))
		return rc;
	if (aname)
		anchor_define(ld, aname, serial, v, 1);
	bool is_key = ld->nfr && ld->fr[ld->nfr - 1].is_map && !ld->fr[ld->nfr - 1].have_key;
	if (is_key) {
		const char *tag = (const char *)ev->data.scalar.tag;
		cs_str text = { v->type == CS_VNUMBER ? v->u.num.raw.ptr
			    : v->type == CS_VSTRING   ? v->u.s.ptr
						      : NULL,
				ev->data.scalar.length };
		if (!text.ptr) {
			char *copy = cs_arena_strndup(ld->a, (const char *)ev->data.scalar.value,
						      ev->data.scalar.length);
			if (!copy)
				return oom(ld, line, col);
			text.ptr = copy;
		}
		bool merge = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
			     cs_str_eqc(text, "<<") &&
			     (!tag || strcmp(tag, TAG_CORE "merge") == 0);
		return deliver(ld, v, 1, &text, merge);
	}
	return deliver(ld, v, 1, NULL, false);
}

static cs_err on_alias(loader *ld, const yaml_event_t *ev)
{
	uint32_t line = (uint32_t)ev->start_mark.line + 1, col = (uint32_t)ev->start_mark.column + 1;
	const char *name = (const char *)ev->data.alias.anchor;
	size_t i = anchor_find(ld, name);
	if (i == SIZE_MAX)
		return fail(ld, CS_ESYNTAX, line, col, "invalid YAML: alias *%.64s names no anchor",
			    name);
	if (!ld->anc[i].v)
		return fail(ld, CS_ESYNTAX, line, col,
			    "invalid YAML: alias *%.64s refers to a node that contains it", name);
	cs_err rc = count_nodes(ld, ld->anc[i].nodes, line, col);
	if (rc)
		return rc;
	/* shared, so the alias keeps the anchored node's own location */
	return deliver(ld, (cs_value *)ld->anc[i].v, ld->anc[i].nodes, NULL, false);
}

/* Line and column (1-based) of byte offset `off`, for reader errors, which
 * libyaml reports as an offset only. */
static void offset_pos(const loader *ld, size_t off, uint32_t *line, uint32_t *col)
{
	uint32_t l = 1;
	size_t ls = 0;
	if (off > ld->len)
		off = ld->len;
	for (size_t i = 0; i < off; i++) {
		if (ld->data[i] == '\n') {
			l++;
			ls = i + 1;
		}
	}
	*line = l;
	*col = (uint32_t)(off - ls) + 1;
}

static cs_err parser_error(loader *ld, const yaml_parser_t *p)
{
	uint32_t line, col;
	if (p->error == YAML_MEMORY_ERROR) {
		if (!ld->err)
			ld->err = CS_ENOMEM;
		return ld->err;
	}
	const char *problem = p->problem ? p->problem : "unknown error";
	if (p->error == YAML_READER_ERROR) {
		offset_pos(ld, p->problem_offset, &line, &col);
		cs_err code = strstr(problem, "control char") ? CS_ESYNTAX : CS_EUTF8;
		if (p->problem_value != -1)
			return fail(ld, code, line, col, "invalid YAML: %s (#%X at byte offset %zu)",
				    problem, (unsigned)p->problem_value, p->problem_offset);
		return fail(ld, code, line, col, "invalid YAML: %s (at byte offset %zu)", problem,
			    p->problem_offset);
	}
	line = (uint32_t)p->problem_mark.line + 1;
	col = (uint32_t)p->problem_mark.column + 1;
	if (p->context)
		return fail(ld, CS_ESYNTAX, line, col, "invalid YAML: %s %s (line %u, column %u)",
			    problem, p->context, (unsigned)p->context_mark.line + 1,
			    (unsigned)p->context_mark.column + 1);
	return fail(ld, CS_ESYNTAX, line, col, "invalid YAML: %s", problem);
}

cs_err cs_yaml_parse(cs_arena *a, const char *file, const char *data, size_t len,
		     const cs_yaml_opts *opts, cs_diag_sink *diag, const cs_value **docs)
{
	cs_err rc = CS_OK;
	loader ld;
	yaml_parser_t p;
	yaml_event_t ev;
	bool have_parser = false, have_event = false, done = false;
	memset(&ld, 0, sizeof ld);
	ld.a = a;
	ld.file = file;
	ld.data = data;
	ld.len = len;
	ld.diag = diag;
	ld.max_depth = opts && opts->max_depth ? opts->max_depth : YAML_DEFAULT_DEPTH;
	ld.max_nodes = opts && opts->max_nodes ? opts->max_nodes : YAML_DEFAULT_NODES;
	*docs = NULL;
	if (!a || (!data && len)) {
		rc = CS_EINVAL;
		goto out;
	}
	ld.fr = cs_malloc((size_t)ld.max_depth * sizeof(frame));
	if (!ld.fr || !yaml_parser_initialize(&p)) {
		rc = CS_ENOMEM;
		goto out;
	}
	have_parser = true;
	yaml_parser_set_input_string(&p, (const unsigned char *)(data ? data : ""), len);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = parser_error(&ld, &p);
			goto out;
		}
		have_event = true;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_END_EVENT:
			anchors_reset(&ld);
			break;
		case YAML_SEQUENCE_START_EVENT:
			rc = open_collection(&ld, &ev, false);
			break;
		case YAML_MAPPING_START_EVENT:
			rc = open_collection(&ld, &ev, true);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			rc = close_collection(&ld);
			break;
		case YAML_SCALAR_EVENT:
			rc = on_scalar(&ld, &ev);
			break;
		case YAML_ALIAS_EVENT:
			rc = on_alias(&ld, &ev);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		have_event = false;
		if (rc)
			goto out;
	}
	const cs_value *arr = cs__v_array(a, (cs_value *const *)ld.docs.v, ld.docs.n, 1, 1);
	if (!arr) {
		rc = oom(&ld, 1, 1);
		goto out;
	}
	*docs = arr;
out:
	if (rc && ld.err)
		rc = ld.err;
	if (have_event)
		yaml_event_delete(&ev);
	if (have_parser)
		yaml_parser_delete(&p);
	cs_free(ld.fr);
	cs_free(ld.mems);
	cs_free(ld.anc);
	cs__ptrvec_release(&ld.vals);
	cs__ptrvec_release(&ld.docs);
	return rc;
}
