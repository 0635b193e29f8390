/*
 * detect/alert_json.c - alerts as JSON lines (cshare's own shape) and as
 * OCSF 1.8.0 Detection Findings (class_uid 2004), one object per line.
 */
#include <stdint.h>
#include <string.h>

#include "alert_int.h"
#include "core/internal.h"

/* "key": then a string or null. */
static cs_err kv_str(cs_buf *b, const char *key, const char *val, bool comma)
{
	/* keys are our own short literals: no escaping needed, one append for
	 * ,"key": (this runs a dozen times per alert) */
	char tmp[64];
	size_t kl = strlen(key), n = 0;
	cs_err rc = CS_OK;
	if (kl + 4 > sizeof tmp) {
		rc = cs_buf_printf(b, "%s\"%s\":", comma ? "," : "", key);
	} else {
		if (comma)
			tmp[n++] = ',';
		tmp[n++] = '"';
		memcpy(tmp + n, key, kl);
		n += kl;
		tmp[n++] = '"';
		tmp[n++] = ':';
		rc = cs_buf_append(b, tmp, n);
	}
	if (!rc)
		rc = val ? cs_json_write_str(b, val, strlen(val)) : cs_buf_puts(b, "null");
	return rc;
}

static cs_err str_array(cs_buf *b, const char *const *v, size_t n)
{
	cs_err rc = cs_buf_putc(b, '[');
	for (size_t i = 0; !rc && i < n; i++) {
		if (i)
			rc = cs_buf_putc(b, ',');
		if (!rc)
			rc = cs_json_write_str(b, v[i], strlen(v[i]));
	}
	if (!rc)
		rc = cs_buf_putc(b, ']');
	return rc;
}

static size_t ntags(const cs_alert *a)
{
	size_t n = 0;
	while (a->tags && a->tags[n])
		n++;
	return n;
}

static cs_err matched(cs_buf *b, const cs_alert *a)
{
	cs_err rc = cs_buf_putc(b, '[');
	for (size_t i = 0; !rc && i < a->nfields; i++) {
		rc = cs_buf_puts(b, i ? ",{" : "{");
		if (!rc)
			rc = kv_str(b, "field", a->fields[i], false);
		if (!rc)
			rc = kv_str(b, "value", a->values[i], true);
		if (!rc)
			rc = cs_buf_putc(b, '}');
	}
	if (!rc)
		rc = cs_buf_putc(b, ']');
	return rc;
}

static cs_err correlation(cs_buf *b, const cs_alert *a)
{
	cs_err rc = cs_buf_puts(b, "{");
	if (!rc)
		rc = kv_str(b, "type", a->correlation_type, false);
	if (!rc)
		rc = kv_str(b, "group_key", a->group_key, true);
	if (!rc)
		rc = cs_buf_puts(b, ",\"contributing\":");
	if (!rc)
		rc = str_array(b, a->contributing, a->ncontributing);
	if (!rc)
		rc = cs_buf_putc(b, '}');
	return rc;
}

/* The record as the alert's "event": as it is when it is already on one
 * line (two memchr passes, against a byte loop for the compact writer),
 * without its white space otherwise, so that an alert stays one line. */
static cs_err put_event(cs_buf *b, const cs_event *ev)
{
	if (!memchr(ev->json, '\n', ev->len) && !memchr(ev->json, '\r', ev->len))
		return cs_buf_append(b, ev->json, ev->len);
	return cs_json_write_compact(b, ev->json, ev->len);
}

/* A decimal integer, digits by hand (two per alert). */
static cs_err put_u64(cs_buf *b, uint64_t v)
{
	char d[24];
	size_t n = sizeof d;
	do {
		d[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return cs_buf_append(b, d + n, sizeof d - n);
}

/* The rule's part of a JSON line (rule_id to rule_file): the same for every
 * alert of a rule. */
static cs_err rule_part(cs_buf *b, const cs_alert *a)
{
	cs_err rc = CS_OK;
	if ((rc = cs_buf_putc(b, '{')) || (rc = kv_str(b, "rule_id", a->rule_id, false)) ||
	    (rc = kv_str(b, "title", a->title, true)) || (rc = kv_str(b, "level", a->level, true)) ||
	    (rc = kv_str(b, "status", a->status, true)) ||
	    (rc = kv_str(b, "author", a->author, true)) || (rc = cs_buf_puts(b, ",\"tags\":")) ||
	    (rc = str_array(b, a->tags, ntags(a))) || (rc = kv_str(b, "domain", a->domain, true)))
		return rc;
	return kv_str(b, "rule_file", a->rule_file, true);
}

/* A per-thread cache of rendered rule parts (most alerts come from a few
 * rules; escaping the same title, author and tags for every alert was a
 * fifth of the alert output's cost).  An entry keeps a copy of the texts
 * it was made from and is used only when the alert's texts are equal to
 * them, so a rule set freed and another loaded at the same addresses
 * cannot be served a stale entry.  Fixed storage, no heap: nothing to free
 * when a thread ends; parts too large for a slot are written directly. */
#define RP_SLOTS 16
#define RP_BYTES 4096

typedef struct rp_slot {
	size_t src_len, text_len; /* mem: the sources, then the text */
	char mem[RP_BYTES];
} rp_slot;

static _Thread_local rp_slot rp_cache[RP_SLOTS];

/* Appends one text ('1' and the text with its NUL, or '0' for none) to
 * dst[*n..cap); false when it does not fit. */
static bool rp_put(char *dst, size_t cap, size_t *n, const char *s)
{
	size_t k = s ? strlen(s) + 1 : 0;
	if (*n + 1 + k > cap)
		return false;
	dst[(*n)++] = s ? '1' : '0';
	if (s)
		memcpy(dst + *n, s, k);
	*n += k;
	return true;
}

/* The texts the rule part is made of, in one byte string. */
static bool rp_sources(const cs_alert *a, char *dst, size_t cap, size_t *n)
{
	const char *f[7] = { a->rule_id, a->title, a->level, a->status, a->author, a->domain,
			     a->rule_file };
	*n = 0;
	for (size_t i = 0; i < 7; i++)
		if (!rp_put(dst, cap, n, f[i]))
			return false;
	for (size_t i = 0; a->tags && a->tags[i]; i++)
		if (!rp_put(dst, cap, n, a->tags[i]))
			return false;
	return rp_put(dst, cap, n, NULL);
}

static cs_err rule_part_cached(cs_buf *b, const cs_alert *a)
{
	char src[RP_BYTES];
	size_t n;
	uintptr_t h = (uintptr_t)a->rule_id ^ ((uintptr_t)a->title >> 3);
	rp_slot *sl = &rp_cache[(h >> 4) % RP_SLOTS];
	/* (a flushing buffer may hand its contents on while the part is
	 * written: no copy to take then) */
	if (b->flush || !rp_sources(a, src, sizeof src, &n))
		return rule_part(b, a);
	if (sl->src_len == n && sl->text_len && memcmp(sl->mem, src, n) == 0)
		return cs_buf_append(b, sl->mem + n, sl->text_len);
	size_t at = b->len;
	cs_err rc = rule_part(b, a);
	size_t tl = b->len - at;
	if (!rc && n + tl <= RP_BYTES) {
		memcpy(sl->mem, src, n);
		memcpy(sl->mem + n, b->data + at, tl);
		sl->src_len = n;
		sl->text_len = tl;
	}
	return rc;
}

cs_err cs__alert_write_jsonl(cs_buf *b, const cs_alert *a)
{
	cs_err rc = CS_OK;
	const cs_event *ev = a->event;
	char t[32] = "";
	if (ev)
		cs__alert_time(t, ev->time_ms);
	if ((rc = rule_part_cached(b, a)) || (rc = kv_str(b, "time", t[0] ? t : NULL, true)))
		goto out;
	if (ev) {
		if ((rc = kv_str(b, "file", ev->file, true)) ||
		    (rc = cs_buf_puts(b, ",\"offset\":")) || (rc = put_u64(b, ev->offset)))
			goto out;
		if (ev->line)
			rc = cs_buf_puts(b, ",\"line\":");
		if (!rc)
			rc = ev->line ? put_u64(b, ev->line) : cs_buf_puts(b, ",\"line\":null");
		if (rc || (rc = kv_str(b, "product", ev->product, true)) ||
		    (rc = kv_str(b, "service", ev->service, true)))
			goto out;
	}
	if ((rc = cs_buf_puts(b, ",\"matched\":")) || (rc = matched(b, a)))
		goto out;
	if (a->correlation_type &&
	    ((rc = cs_buf_puts(b, ",\"correlation\":")) || (rc = correlation(b, a))))
		goto out;
	/* one alert per line: the event goes in without its line breaks */
	if (ev && ((rc = cs_buf_puts(b, ",\"event\":")) ||
		   (rc = put_event(b, ev))))
		goto out;
	rc = cs_buf_puts(b, "}\n");
out:
	return rc;
}

/* ---- OCSF Detection Finding -------------------------------------------- */

static const char *cloud_provider(const char *product)
{
	if (!product)
		return NULL;
	if (strcmp(product, "aws") == 0)
		return "AWS";
	if (strcmp(product, "azure") == 0)
		return "Azure";
	if (strcmp(product, "gcp") == 0)
		return "GCP";
	return NULL;
}

/* ATT&CK technique tags ("attack.t1078.004") as finding_info.attacks. */
static cs_err attacks(cs_buf *b, const cs_alert *a)
{
	cs_err rc = CS_OK;
	bool any = false;
	for (size_t i = 0; !rc && a->tags && a->tags[i]; i++) {
		const char *tg = a->tags[i];
		if (strncmp(tg, "attack.t", 8) != 0 || tg[8] < '0' || tg[8] > '9')
			continue;
		char uid[32];
		size_t k = 0;
		for (const char *p = tg + 7; *p && k + 1 < sizeof uid; p++)
			uid[k++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p;
		uid[k] = '\0';
		rc = cs_buf_puts(b, any ? "," : ",\"attacks\":[");
		if (!rc)
			rc = cs_buf_puts(b, "{\"technique\":{");
		if (!rc)
			rc = kv_str(b, "uid", uid, false);
		if (!rc)
			rc = cs_buf_puts(b, "}}");
		any = true;
	}
	if (!rc && any)
		rc = cs_buf_putc(b, ']');
	return rc;
}

cs_err cs__alert_write_ocsf(cs_buf *b, const cs_alert_opts *o, const cs_alert *a)
{
	cs_err rc = CS_OK;
	static const char *const sev_names[] = { "Unknown", "Informational", "Low", "Medium",
						 "High", "Critical" };
	const cs_event *ev = a->event;
	int sev = cs__alert_severity_id(a->level);
	int64_t t = ev && ev->time_ms != INT64_MIN ? ev->time_ms : o->now_ms;
	const char *prov = ev ? cloud_provider(ev->product) : NULL;
	cs_buf uid;
	cs_buf_init(&uid, 0);
	if (ev)
		rc = cs_buf_printf(&uid, "%s:%s@%llu", a->rule_id ? a->rule_id : "", ev->file,
				   (unsigned long long)ev->offset);
	else
		rc = cs_buf_printf(&uid, "%s", a->rule_id ? a->rule_id : "");
	if (rc)
		goto out;
	rc = cs_buf_printf(b,
			   "{\"activity_id\":1,\"activity_name\":\"Create\",\"category_uid\":2,"
			   "\"category_name\":\"Findings\",\"class_uid\":2004,"
			   "\"class_name\":\"Detection Finding\",\"type_uid\":200401,"
			   "\"type_name\":\"Detection Finding: Create\",\"severity_id\":%d,"
			   "\"severity\":\"%s\",\"status_id\":1,\"status\":\"New\",\"is_alert\":true,"
			   "\"time\":%lld,\"metadata\":{\"version\":\"1.8.0\",\"product\":{"
			   "\"name\":\"cshare\",\"vendor_name\":\"cshare\"",
			   sev, sev_names[sev], (long long)t);
	if (rc || (rc = kv_str(b, "version", o->version ? o->version : "", true)) ||
	    (rc = cs_buf_puts(b, "}}")))
		goto out;
	if ((rc = cs_buf_puts(b, ",\"finding_info\":{")) ||
	    (rc = kv_str(b, "uid", uid.data, false)) || (rc = kv_str(b, "title", a->title, true)) ||
	    (rc = cs_buf_puts(b, ",\"analytic\":{\"type_id\":1,\"type\":\"Rule\"")) ||
	    (rc = kv_str(b, "uid", a->rule_id, true)) || (rc = kv_str(b, "name", a->title, true)) ||
	    (rc = cs_buf_putc(b, '}')) || (rc = attacks(b, a)))
		goto out;
	if (ev && ev->product) {
		char src[96];
		snprintf(src, sizeof src, "%s/%s", ev->product, ev->service ? ev->service : "");
		const char *srcs[1] = { src };
		if ((rc = cs_buf_puts(b, ",\"data_sources\":")) || (rc = str_array(b, srcs, 1)))
			goto out;
	}
	if ((rc = cs_buf_putc(b, '}')))
		goto out;
	if (prov && ((rc = cs_buf_puts(b, ",\"cloud\":{")) ||
		     (rc = kv_str(b, "provider", prov, false)) || (rc = cs_buf_putc(b, '}'))))
		goto out;
	/* the matched fields and the event, as evidence */
	if ((rc = cs_buf_puts(b, ",\"evidences\":[{\"data\":{\"matched\":")) ||
	    (rc = matched(b, a)))
		goto out;
	/* one alert per line: the event goes in without its line breaks */
	if (ev && ((rc = cs_buf_puts(b, ",\"event\":")) ||
		   (rc = put_event(b, ev))))
		goto out;
	if ((rc = cs_buf_puts(b, "}}]")))
		goto out;
	if (ev && ((rc = cs_buf_puts(b, ",\"raw_data\":")) ||
		   (rc = cs_json_write_str(b, ev->json, ev->len))))
		goto out;
	/* what OCSF has no attribute for */
	if ((rc = cs_buf_puts(b, ",\"unmapped\":{")) || (rc = kv_str(b, "level", a->level, false)) ||
	    (rc = kv_str(b, "author", a->author, true)) ||
	    (rc = kv_str(b, "status", a->status, true)) || (rc = cs_buf_puts(b, ",\"tags\":")) ||
	    (rc = str_array(b, a->tags, ntags(a))) || (rc = kv_str(b, "domain", a->domain, true)) ||
	    (rc = kv_str(b, "rule_file", a->rule_file, true)))
		goto out;
	if (ev && ((rc = kv_str(b, "file", ev->file, true)) ||
		   (rc = cs_buf_printf(b, ",\"offset\":%llu", (unsigned long long)ev->offset))))
		goto out;
	if (a->correlation_type &&
	    ((rc = cs_buf_puts(b, ",\"correlation\":")) || (rc = correlation(b, a))))
		goto out;
	rc = cs_buf_puts(b, "}}\n");
out:
	cs_buf_release(&uid);
	return rc;
}
