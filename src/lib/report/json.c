/* report/json.c - the JSON report (docs/formats.md): a summary and one
 * object per result with check, resource, location, evidence and
 * fingerprint. */
#include <string.h>

#include "report.h"

cs_err cs__frameworks_json(cs_buf *b, const cs_check *c);

/* Appends a string literal (its length known at compile time). */
#define PUT_LIT(b, lit) cs__buf_add((b), (lit), sizeof(lit) - 1)

/* Appends `key` (literal JSON text) and the string value (or null). */
#define KV(b, key, val) (PUT_LIT((b), key), cs__json_str_or_null((b), (val)))

static void put_uint(cs_buf *b, uint32_t v)
{
	char tmp[12];
	size_t n = sizeof tmp;
	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	cs__buf_add(b, tmp + n, sizeof tmp - n);
}

cs_err cs__frameworks_json(cs_buf *b, const cs_check *c)
{
	cs_buf_putc(b, '{');
	for (size_t i = 0; i < c->nfw; i++) {
		if (i)
			cs_buf_putc(b, ',');
		cs__json_str_or_null(b, c->fw[i].name);
		cs_buf_puts(b, ":[");
		for (size_t j = 0; j < c->fw[i].n; j++) {
			if (j)
				cs_buf_putc(b, ',');
			cs__json_str_or_null(b, c->fw[i].ids[j]);
		}
		cs_buf_putc(b, ']');
	}
	return cs_buf_putc(b, '}');
}

/* The "resource" member of a result, escaped once per resource and copied
 * for its other results (a resource has about two listed results): a
 * table from resource to its text in one buffer. */
typedef struct res_text {
	const cs_resource *res;
	size_t off, len;
} res_text;

typedef struct res_cache {
	res_text *slots;
	size_t cap, n;
	cs_buf text;
} res_cache;

static void write_resource(cs_buf *b, const cs_resource *res)
{
	KV(b, ",\"resource\":{\"kind\":", res->kind);
	KV(b, ",\"name\":", res->name);
	KV(b, ",\"provider\":", res->provider);
	KV(b, ",\"service\":", res->service);
	KV(b, ",\"format\":", res->raw->format);
	KV(b, ",\"source_type\":", res->raw->type);
	KV(b, ",\"arn\":", res->raw->arn);
	cs__buf_add(b, "}", 1);
}

/* Appends res's member to b, from the cache when it is there (written
 * straight to b when the cache cannot hold it). */
static void put_resource(cs_buf *b, res_cache *rc, const cs_resource *res)
{
	if (!rc->slots || rc->n * 2 >= rc->cap) {
		write_resource(b, res);
		return;
	}
	uintptr_t h = (uintptr_t)res / sizeof(void *);
	h ^= h >> 13;
	h *= 0x9E3779B97F4A7C15ULL;
	size_t j = (size_t)(h >> 20) & (rc->cap - 1);
	while (rc->slots[j].res && rc->slots[j].res != res)
		j = (j + 1) & (rc->cap - 1);
	res_text *t = &rc->slots[j];
	if (!t->res) {
		size_t start = rc->text.len;
		write_resource(&rc->text, res);
		if (!rc->text.data || rc->text.len == start) {
			write_resource(b, res);
			return;
		}
		*t = (res_text){ res, start, rc->text.len - start };
		rc->n++;
	}
	cs__buf_add(b, rc->text.data + t->off, t->len);
}

cs_err cs__report_json(cs_buf *b, cs_results *r, const cs_report_opts *o)
{
	res_cache rcache = { NULL, 0, 0, { 0 } };
	cs_buf_init(&rcache.text, 0);
	rcache.cap = 64;
	while (rcache.cap < r->nresources * 2 + 2)
		rcache.cap *= 2;
	rcache.slots = cs_calloc(rcache.cap, sizeof(res_text));
	cs_buf_puts(b, "{\"tool\":\"cshare\",\"version\":");
	cs__json_str_or_null(b, o->version);
	cs_buf_printf(b,
		      ",\"summary\":{\"resources\":%zu,\"checks\":%zu,\"fail\":%zu,\"unknown\":%zu,"
		      "\"pass\":%zu,\"suppressed\":%zu},\"results\":[",
		      r->nresources, r->nchecks, r->tally[CS_FAIL], r->tally[CS_UNKNOWN],
		      r->tally[CS_PASS], r->nsupp);
	bool first = true;
	/* the check's own fields are the same in every result: written once */
	const cs_check *cur = NULL;
	cs_buf head, tail;
	cs_buf_init(&head, 0);
	cs_buf_init(&tail, 0);
	for (size_t i = 0; i < r->n; i++) {
		cs_result *x = &r->v[i];
		const cs_check *c = x->check;
		const cs_resource *res = x->res;
		if (!cs__report_listed(r, x, o))
			continue;
		if (c != cur) {
			cur = c;
			head.len = tail.len = 0;
			cs_buf_puts(&head, "\"check_id\":");
			cs__json_str_or_null(&head, c->id);
			cs_buf_puts(&head, ",\"title\":");
			cs__json_str_or_null(&head, c->title);
			cs_buf_printf(&head, ",\"severity\":\"%s\",\"domain\":", cs_level_name(c->level));
			cs__json_str_or_null(&head, c->domain);
			cs_buf_puts(&head, ",\"owner\":");
			cs__json_str_or_null(&head, c->owner);
			cs_buf_puts(&head, ",\"frameworks\":");
			cs__frameworks_json(&head, c);
			cs_buf_puts(&tail, ",\"remediation\":");
			cs__json_str_or_null(&tail, c->remediation);
		}
		if (first)
			PUT_LIT(b, "\n{");
		else
			PUT_LIT(b, ",\n{");
		first = false;
		cs__buf_add(b, head.data, head.len);
		PUT_LIT(b, ",\"verdict\":\"");
		const char *vn = cs_verdict_name(x->verdict);
		cs__buf_add(b, vn, strlen(vn));
		cs__buf_add(b, "\"", 1);
		put_resource(b, &rcache, res);
		KV(b, ",\"location\":{\"file\":", x->file);
		PUT_LIT(b, ",\"line\":");
		put_uint(b, x->line);
		PUT_LIT(b, ",\"column\":");
		put_uint(b, x->col);
		KV(b, "},\"message\":", x->message);
		KV(b, ",\"attribute\":", x->attr);
		KV(b, ",\"evidence\":", x->evidence);
		cs__buf_add(b, tail.data, tail.len);
		PUT_LIT(b, ",\"fingerprint\":\"");
		cs__buf_add(b, x->fp, 16);
		PUT_LIT(b, "\",\"suppressed\":");
		if (x->suppressed) {
			PUT_LIT(b, "{\"by\":");
			cs__json_str_or_null(b, x->suppressed_by);
			PUT_LIT(b, ",\"reason\":");
			cs__json_str_or_null(b, x->suppressed);
			PUT_LIT(b, "}}");
		} else {
			PUT_LIT(b, "null}");
		}
	}
	cs_buf_release(&head);
	cs_buf_release(&tail);
	cs_buf_release(&rcache.text);
	cs_free(rcache.slots);
	return cs_buf_puts(b, "\n]}\n");
}
