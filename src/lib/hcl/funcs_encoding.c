/*
 * hcl/funcs_encoding.c - Terraform's encoding functions: base64decode,
 * base64encode, csvdecode, jsondecode, jsonencode, textdecodebase64,
 * textencodebase64, urlencode, yamldecode, yamlencode.
 *
 * jsonencode writes what Go's encoding/json writes (keys sorted, <, > and &
 * as \u003c, \u003e, \u0026).  yamlencode writes the block style Terraform
 * shows in its documentation: every string and key double-quoted, or a
 * literal block (|, |-, |+) for strings with line breaks; numbers, bools
 * and null plain; [] and {} for empty collections.  Long strings are not
 * folded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cshare/json.h"
#include "cshare/yaml.h"
#include "funcs.h"

#define OUT_MAX (64u << 20)

static cs_err finish(cs__hcl_call *c, cs_buf *b, cs_err rc, const cs_value **out)
{
	if (rc == CS_ELIMIT)
		rc = cs__hcl_call_err(c, "the result is longer than %u bytes", OUT_MAX);
	else if (rc && rc != CS_EINVAL)
		rc = cs__hcl_oom(c);
	if (!rc && !(*out = cs__hcl_str(c, b->data ? b->data : "", b->len)))
		rc = cs__hcl_oom(c);
	cs_buf_release(b);
	return rc;
}

/* ---- base64 ----------------------------------------------------------------- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *cs__hcl_base64(cs_arena *a, const unsigned char *p, size_t n, size_t *outlen)
{
	size_t len = (n + 2) / 3 * 4;
	char *o = cs_arena_alloc(a, len + 1);
	if (!o)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		o[k++] = b64[(v >> 18) & 63];
		o[k++] = b64[(v >> 12) & 63];
		o[k++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		o[k++] = i + 2 < n ? b64[v & 63] : '=';
	}
	o[k] = 0;
	*outlen = k;
	return o;
}

/* Strict standard base64 with padding; false on bad input. */
static bool unbase64(cs_arena *a, cs_str s, unsigned char **out, size_t *outlen)
{
	if (s.len % 4)
		return false;
	unsigned char *o = cs_arena_alloc(a, s.len / 4 * 3 + 1);
	if (!o)
		return false;
	size_t k = 0;
	for (size_t i = 0; i < s.len; i += 4) {
		unsigned v = 0;
		int pad = 0;
		for (int j = 0; j < 4; j++) {
			char ch = s.ptr[i + (size_t)j];
			const char *q = ch ? strchr(b64, ch) : NULL;
			if (ch == '=' && i + 4 == s.len && j >= 2) {
				pad++;
				v <<= 6;
				continue;
			}
			if (!q || pad)
				return false;
			v = (v << 6) | (unsigned)(q - b64);
		}
		o[k++] = (unsigned char)(v >> 16);
		if (pad < 2)
			o[k++] = (unsigned char)(v >> 8);
		if (pad < 1)
			o[k++] = (unsigned char)v;
	}
	o[k] = 0;
	*out = o;
	*outlen = k;
	return true;
}

static cs_err f_base64encode(cs__hcl_call *c, const cs_value **out)
{
	cs_str s;
	size_t n;
	cs_err rc = cs__hcl_want_str(c, 0, &s);
	if (rc)
		return rc;
	char *o = cs__hcl_base64(c->arena, (const unsigned char *)s.ptr, s.len, &n);
	if (!o)
		return cs__hcl_oom(c);
	*out = cs__v_str(c->arena, (cs_str){ o, n }, c->line, c->col);
	return CS_OK;
}

static cs_err f_base64decode(cs__hcl_call *c, const cs_value **out)
{
	cs_str s;
	unsigned char *o;
	size_t n;
	cs_err rc = cs__hcl_want_str(c, 0, &s);
	if (rc)
		return rc;
	if (!unbase64(c->arena, s, &o, &n))
		return cs__hcl_arg_err(c, 0, "failed to decode base64 data \"%.*s\"",
				       (int)(s.len > 100 ? 100 : s.len), s.ptr);
	if (cs__utf8_check((const char *)o, n) != n)
		return cs__hcl_arg_err(c, 0, "the result of decoding the provided string is not valid UTF-8");
	*out = cs__v_str(c->arena, (cs_str){ (const char *)o, n }, c->line, c->col);
	return CS_OK;
}

/* ---- text encodings ---------------------------------------------------------- */

enum { ENC_UTF8, ENC_UTF16LE, ENC_UTF16BE, ENC_UTF32LE, ENC_UTF32BE, ENC_LATIN1, ENC_ASCII };

static int encoding(cs_str name)
{
	static const struct {
		const char *n;
		int e;
	} names[] = {
		{ "UTF-8", ENC_UTF8 },		{ "UTF8", ENC_UTF8 },	      { "UTF-16LE", ENC_UTF16LE },
		{ "UTF-16BE", ENC_UTF16BE },	{ "UTF-32LE", ENC_UTF32LE }, { "UTF-32BE", ENC_UTF32BE },
		{ "ISO-8859-1", ENC_LATIN1 },	{ "LATIN1", ENC_LATIN1 },   { "ISO_8859-1", ENC_LATIN1 },
		{ "L1", ENC_LATIN1 },		{ "US-ASCII", ENC_ASCII },  { "ASCII", ENC_ASCII },
	};
	for (size_t i = 0; i < CS_ARRAY_SIZE(names); i++)
		if (cs_str_ieqc(name, names[i].n))
			return names[i].e;
	return -1;
}

static cs_err put_unit(cs_buf *b, uint32_t v, int bytes, bool le)
{
	char o[4];
	for (int i = 0; i < bytes; i++)
		o[le ? i : bytes - 1 - i] = (char)((v >> (8 * i)) & 0xFF);
	return cs_buf_append(b, o, (size_t)bytes);
}

static cs_err f_textencodebase64(cs__hcl_call *c, const cs_value **out)
{
	cs_str s, en;
	cs_buf b;
	cs_err rc = cs__hcl_want_str(c, 0, &s);
	if (!rc)
		rc = cs__hcl_want_str(c, 1, &en);
	if (rc)
		return rc;
	int e = encoding(en);
	if (e < 0)
		return cs__hcl_arg_err(c, 1, "\"%.*s\" is not a supported IANA encoding name or alias in this "
					     "Terraform version",
				       (int)(en.len > 100 ? 100 : en.len), en.ptr);
	cs_buf_init(&b, OUT_MAX);
	size_t adv;
	for (size_t i = 0; i < s.len && !rc; i += adv) {
		uint32_t cp = cs__hcl_utf8_next(s.ptr + i, s.len - i, &adv);
		switch (e) {
		case ENC_UTF8:
			rc = cs_buf_append(&b, s.ptr + i, adv);
			break;
		case ENC_UTF16LE:
		case ENC_UTF16BE:
			if (cp >= 0x10000) {
				cp -= 0x10000;
				rc = put_unit(&b, 0xD800 + (cp >> 10), 2, e == ENC_UTF16LE);
				if (!rc)
					rc = put_unit(&b, 0xDC00 + (cp & 0x3FF), 2, e == ENC_UTF16LE);
			} else {
				rc = put_unit(&b, cp, 2, e == ENC_UTF16LE);
			}
			break;
		case ENC_UTF32LE:
		case ENC_UTF32BE:
			rc = put_unit(&b, cp, 4, e == ENC_UTF32LE);
			break;
		default:
			if (cp > (e == ENC_ASCII ? 0x7Fu : 0xFFu)) {
				cs_buf_release(&b);
				return cs__hcl_arg_err(c, 0, "the given string contains characters that cannot be "
							     "represented in %.*s",
						       (int)en.len, en.ptr);
			}
			rc = cs_buf_putc(&b, (char)cp);
		}
	}
	if (rc) {
		cs_buf_release(&b);
		return cs__hcl_oom(c);
	}
	size_t n;
	char *o = cs__hcl_base64(c->arena, (const unsigned char *)(b.data ? b.data : ""), b.len, &n);
	cs_buf_release(&b);
	if (!o)
		return cs__hcl_oom(c);
	*out = cs__v_str(c->arena, (cs_str){ o, n }, c->line, c->col);
	return CS_OK;
}

static cs_err f_textdecodebase64(cs__hcl_call *c, const cs_value **out)
{
	cs_str s, en;
	cs_buf b;
	unsigned char *d;
	size_t n;
	cs_err rc = cs__hcl_want_str(c, 0, &s);
	if (!rc)
		rc = cs__hcl_want_str(c, 1, &en);
	if (rc)
		return rc;
	int e = encoding(en);
	if (e < 0)
		return cs__hcl_arg_err(c, 1, "\"%.*s\" is not a supported IANA encoding name or alias in this "
					     "Terraform version",
				       (int)(en.len > 100 ? 100 : en.len), en.ptr);
	if (!unbase64(c->arena, s, &d, &n))
		return cs__hcl_arg_err(c, 0, "the given value is has an invalid base64 symbol");
	cs_buf_init(&b, OUT_MAX);
	int unit = (e == ENC_UTF16LE || e == ENC_UTF16BE) ? 2 : (e == ENC_UTF32LE || e == ENC_UTF32BE) ? 4 : 1;
	bool le = e == ENC_UTF16LE || e == ENC_UTF32LE;
	if (n % (size_t)unit) {
		cs_buf_release(&b);
		return cs__hcl_arg_err(c, 0, "the given value is not valid %.*s text", (int)en.len, en.ptr);
	}
	for (size_t i = 0; i < n && !rc; i += (size_t)unit) {
		uint32_t v = 0;
		for (int k = 0; k < unit; k++)
			v |= (uint32_t)d[i + (size_t)(le ? k : unit - 1 - k)] << (8 * k);
		if (unit == 2 && v >= 0xD800 && v < 0xDC00 && i + 2 < n) {
			uint32_t lo = le ? (uint32_t)d[i + 2] | ((uint32_t)d[i + 3] << 8)
					 : ((uint32_t)d[i + 2] << 8) | d[i + 3];
			if (lo >= 0xDC00 && lo < 0xE000) {
				v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
				i += 2;
			}
		}
		if (e == ENC_UTF8)
			rc = cs_buf_putc(&b, (char)v);
		else if ((v >= 0xD800 && v < 0xE000) || v > 0x10FFFF || (e == ENC_ASCII && v > 0x7F))
			rc = cs__hcl_utf8_put(&b, 0xFFFD);
		else
			rc = cs__hcl_utf8_put(&b, v);
	}
	if (!rc && e == ENC_UTF8 && cs__utf8_check(b.data ? b.data : "", b.len) != b.len) {
		cs_buf_release(&b);
		return cs__hcl_arg_err(c, 0, "the given value is not valid UTF-8 text");
	}
	return finish(c, &b, rc, out);
}

static cs_err f_urlencode(cs__hcl_call *c, const cs_value **out)
{
	cs_str s;
	cs_buf b;
	cs_err rc = cs__hcl_want_str(c, 0, &s);
	if (rc)
		return rc;
	cs_buf_init(&b, OUT_MAX);
	for (size_t i = 0; i < s.len && !rc; i++) {
		unsigned char ch = (unsigned char)s.ptr[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    ch == '-' || ch == '_' || ch == '.' || ch == '~')
			rc = cs_buf_putc(&b, (char)ch);
		else if (ch == ' ')
			rc = cs_buf_putc(&b, '+');
		else
			rc = cs_buf_printf(&b, "%%%02X", ch);
	}
	return finish(c, &b, rc, out);
}

/* ---- JSON ------------------------------------------------------------------- */

static cs_err json_str(cs_buf *b, cs_str s)
{
	cs_err rc = cs_buf_putc(b, '"');
	for (size_t i = 0; i < s.len && !rc;) {
		unsigned char ch = (unsigned char)s.ptr[i];
		size_t adv = 1;
		if (ch == '"' || ch == '\\') {
			rc = cs_buf_putc(b, '\\');
			if (!rc)
				rc = cs_buf_putc(b, (char)ch);
		} else if (ch == '\n') {
			rc = cs_buf_puts(b, "\\n");
		} else if (ch == '\r') {
			rc = cs_buf_puts(b, "\\r");
		} else if (ch == '\t') {
			rc = cs_buf_puts(b, "\\t");
		} else if (ch == '\b') {
			rc = cs_buf_puts(b, "\\b");
		} else if (ch == '\f') {
			rc = cs_buf_puts(b, "\\f");
		} else if (ch < 0x20 || ch == '<' || ch == '>' || ch == '&') {
			rc = cs_buf_printf(b, "\\u%04x", ch);
		} else if (ch < 0x80) {
			rc = cs_buf_putc(b, (char)ch);
		} else {
			uint32_t cp = cs__hcl_utf8_next(s.ptr + i, s.len - i, &adv);
			if (adv == 1)
				rc = cs_buf_puts(b, "\\ufffd");
			else if (cp == 0x2028 || cp == 0x2029)
				rc = cs_buf_printf(b, "\\u%04x", (unsigned)cp);
			else
				rc = cs_buf_append(b, s.ptr + i, adv);
		}
		i += adv;
	}
	if (!rc)
		rc = cs_buf_putc(b, '"');
	return rc;
}

static int cmp_mp(const void *x, const void *y)
{
	const cs_member *a = *(const cs_member *const *)x, *b = *(const cs_member *const *)y;
	size_t n = a->key.len < b->key.len ? a->key.len : b->key.len;
	int r = n ? memcmp(a->key.ptr, b->key.ptr, n) : 0;
	return r ? r : (a->key.len < b->key.len ? -1 : a->key.len > b->key.len);
}

/* Members of an object in key order, the last of duplicates; *n is set.
 * Owned: cs_free. */
static const cs_member **ordered(const cs_value *v, size_t *n)
{
	const cs_member **m = cs_malloc((v->u.obj.n ? v->u.obj.n : 1) * sizeof *m);
	if (!m)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < v->u.obj.n; i++) {
		bool later = false;
		for (size_t j = i + 1; j < v->u.obj.n && !later; j++)
			later = cs_str_eq(v->u.obj.m[i].key, v->u.obj.m[j].key);
		if (!later)
			m[k++] = &v->u.obj.m[i];
	}
	if (k > 1)
		qsort(m, k, sizeof *m, cmp_mp);
	*n = k;
	return m;
}

static cs_err json_enc(cs_buf *b, const cs_value *v, unsigned depth)
{
	char nb[400];
	cs_err rc = CS_OK;
	if (depth > 512)
		return CS_ELIMIT;
	switch ((cs_vtype)v->type) {
	case CS_VNULL:
		return cs_buf_puts(b, "null");
	case CS_VBOOL:
		return cs_buf_puts(b, v->u.b ? "true" : "false");
	case CS_VNUMBER:
		cs__hcl_num_text(v->u.num.d, nb, sizeof nb);
		return cs_buf_puts(b, nb);
	case CS_VSTRING:
		return json_str(b, v->u.s);
	case CS_VARRAY:
		rc = cs_buf_putc(b, '[');
		for (size_t i = 0; i < v->u.arr.n && !rc; i++) {
			if (i)
				rc = cs_buf_putc(b, ',');
			if (!rc)
				rc = json_enc(b, v->u.arr.v[i], depth + 1);
		}
		return rc ? rc : cs_buf_putc(b, ']');
	case CS_VOBJECT: {
		size_t n;
		const cs_member **m = ordered(v, &n);
		if (!m)
			return CS_ENOMEM;
		rc = cs_buf_putc(b, '{');
		for (size_t i = 0; i < n && !rc; i++) {
			if (i)
				rc = cs_buf_putc(b, ',');
			if (!rc)
				rc = json_str(b, m[i]->key);
			if (!rc)
				rc = cs_buf_putc(b, ':');
			if (!rc)
				rc = json_enc(b, m[i]->val, depth + 1);
		}
		cs_free(m);
		return rc ? rc : cs_buf_putc(b, '}');
	}
	case CS_VUNKNOWN:
		return CS_EINVAL;
	}
	return CS_EINVAL;
}

cs_err cs__hcl_json_encode(cs_buf *b, const cs_value *v)
{
	return json_enc(b, v, 0);
}

static cs_err f_jsonencode(cs__hcl_call *c, const cs_value **out)
{
	cs_buf b;
	cs_buf_init(&b, OUT_MAX);
	cs_err rc = json_enc(&b, c->args[0], 0);
	return finish(c, &b, rc, out);
}

typedef struct first_diag {
	char msg[300];
	uint32_t line, col;
	bool set;
} first_diag;

static void keep_first(void *ud, const cs_diag *d)
{
	first_diag *f = ud;
	if (f->set || d->sev != CS_SEV_ERROR)
		return;
	snprintf(f->msg, sizeof f->msg, "%s", d->msg);
	f->line = d->line;
	f->col = d->col;
	f->set = true;
}

static cs_err f_jsondecode(cs__hcl_call *c, const cs_value **out)
{
	cs_str s;
	first_diag fd = { .set = false };
	cs_diag_sink sink = { keep_first, &fd, 0, 0 };
	cs_json_opts o = { .pin_line = c->line ? c->line : 1, .pin_col = c->col ? c->col : 1 };
	cs_err rc = cs__hcl_want_str(c, 0, &s);
	if (rc)
		return rc;
	if (s.len == 0)
		return cs__hcl_call_err(c, "unexpected end of JSON input");
	rc = cs_json_parse(c->arena, NULL, s.ptr, s.len, &o, &sink, out, NULL);
	if (rc == CS_ENOMEM)
		return cs__hcl_oom(c);
	if (rc)
		return cs__hcl_call_err(c, "%s", fd.set ? fd.msg : "invalid JSON");
	return CS_OK;
}

/* ---- CSV -------------------------------------------------------------------- */

/* Reads one record (RFC 4180, Go's encoding/csv rules) from s at *pos
 * into pv as string values; *line counts lines.  Blank lines are skipped.
 * Returns CS_OK, CS_ENOENT at the end, or CS_EINVAL with *why. */
static cs_err csv_record(cs__hcl_call *c, cs_str s, size_t *pos, size_t *line, cs_ptrvec *pv,
			 char *why, size_t whycap)
{
	size_t i = *pos;
	pv->n = 0;
	while (i < s.len && (s.ptr[i] == '\n' || (s.ptr[i] == '\r' && i + 1 < s.len && s.ptr[i + 1] == '\n'))) {
		i += s.ptr[i] == '\r' ? 2 : 1;
		(*line)++;
	}
	if (i >= s.len)
		return CS_ENOENT;
	size_t rec_line = *line;
	for (;;) {
		cs_buf f;
		cs_buf_init(&f, OUT_MAX);
		cs_err rc = CS_OK;
		size_t col0 = i;
		if (i < s.len && s.ptr[i] == '"') {
			i++;
			for (;;) {
				if (i >= s.len) {
					snprintf(why, whycap, "parse error on line %zu, column %zu: extraneous or missing \" in quoted-field",
						 rec_line, i - col0 + 1);
					cs_buf_release(&f);
					return CS_EINVAL;
				}
				if (s.ptr[i] == '"') {
					if (i + 1 < s.len && s.ptr[i + 1] == '"') {
						rc = cs_buf_putc(&f, '"');
						i += 2;
						continue;
					}
					i++;
					break;
				}
				if (s.ptr[i] == '\n')
					(*line)++;
				if (s.ptr[i] == '\r' && i + 1 < s.len && s.ptr[i + 1] == '\n') {
					i++;
					continue; /* \r\n inside quotes is \n */
				}
				rc = cs_buf_putc(&f, s.ptr[i++]);
				if (rc)
					break;
			}
			if (!rc && i < s.len && s.ptr[i] != ',' && s.ptr[i] != '\n' && s.ptr[i] != '\r') {
				snprintf(why, whycap, "parse error on line %zu, column %zu: extraneous or missing \" in quoted-field",
					 *line, i - col0 + 1);
				cs_buf_release(&f);
				return CS_EINVAL;
			}
		} else {
			while (!rc && i < s.len && s.ptr[i] != ',' && s.ptr[i] != '\n' &&
			       !(s.ptr[i] == '\r' && i + 1 < s.len && s.ptr[i + 1] == '\n')) {
				if (s.ptr[i] == '"') {
					snprintf(why, whycap, "parse error on line %zu, column %zu: bare \" in non-quoted-field",
						 *line, i - col0 + 1);
					cs_buf_release(&f);
					return CS_EINVAL;
				}
				rc = cs_buf_putc(&f, s.ptr[i++]);
			}
		}
		cs_value *v = rc ? NULL : cs__hcl_str(c, f.data ? f.data : "", f.len);
		cs_buf_release(&f);
		if (!v || cs__ptrvec_push(pv, v))
			return CS_ENOMEM;
		if (i < s.len && s.ptr[i] == ',') {
			i++;
			continue;
		}
		if (i < s.len)
			i += s.ptr[i] == '\r' ? 2 : 1;
		(*line)++;
		break;
	}
	*pos = i;
	return CS_OK;
}

static cs_err f_csvdecode(cs__hcl_call *c, const cs_value **out)
{
	cs_str s;
	cs_ptrvec head = { 0 }, row = { 0 }, rows = { 0 };
	char why[200];
	size_t pos = 0, line = 1;
	cs_err rc = cs__hcl_want_str(c, 0, &s);
	if (rc)
		return rc;
	rc = csv_record(c, s, &pos, &line, &head, why, sizeof why);
	if (rc == CS_ENOENT)
		rc = cs__hcl_call_err(c, "missing header line");
	else if (rc == CS_EINVAL)
		rc = cs__hcl_call_err(c, "%s", why);
	while (!rc) {
		size_t at = line;
		rc = csv_record(c, s, &pos, &line, &row, why, sizeof why);
		if (rc == CS_ENOENT) {
			rc = CS_OK;
			break;
		}
		if (rc == CS_EINVAL) {
			rc = cs__hcl_call_err(c, "%s", why);
			break;
		}
		if (rc)
			break;
		if (row.n != head.n) {
			rc = cs__hcl_call_err(c, "record on line %zu: wrong number of fields", at);
			break;
		}
		cs_member *m = cs_arena_alloc(c->arena, (head.n ? head.n : 1) * sizeof *m);
		if (!m) {
			rc = CS_ENOMEM;
			break;
		}
		for (size_t i = 0; i < head.n; i++) {
			m[i].key = ((cs_value *)head.v[i])->u.s;
			m[i].val = row.v[i];
		}
		cs_value *o = cs__hcl_object(c, m, head.n);
		if (!o || cs__ptrvec_push(&rows, o))
			rc = CS_ENOMEM;
	}
	if (!rc && !(*out = cs__hcl_list(c, (cs_value **)rows.v, rows.n)))
		rc = CS_ENOMEM;
	if (rc == CS_ENOMEM || rc == CS_ELIMIT)
		rc = cs__hcl_oom(c);
	cs__ptrvec_release(&head);
	cs__ptrvec_release(&row);
	cs__ptrvec_release(&rows);
	return rc;
}

/* ---- YAML ------------------------------------------------------------------- */

/* Local tags (anything but the standard !!str etc.) are refused. */
static const char *bad_tag(const cs_value *v, unsigned depth)
{
	if (depth > 256)
		return NULL;
	if (v->tag && strncmp(v->tag, "tag:yaml.org,2002:", 18) != 0)
		return v->tag;
	if (v->type == CS_VARRAY)
		for (size_t i = 0; i < v->u.arr.n; i++) {
			const char *t = bad_tag(v->u.arr.v[i], depth + 1);
			if (t)
				return t;
		}
	if (v->type == CS_VOBJECT)
		for (size_t i = 0; i < v->u.obj.n; i++) {
			const char *t = bad_tag(v->u.obj.m[i].val, depth + 1);
			if (t)
				return t;
		}
	return NULL;
}

static cs_err f_yamldecode(cs__hcl_call *c, const cs_value **out)
{
	cs_str s;
	const cs_value *docs;
	first_diag fd = { .set = false };
	cs_diag_sink sink = { keep_first, &fd, 0, 0 };
	cs_yaml_opts o = { .max_depth = 0, .max_nodes = 1000000 };
	cs_err rc = cs__hcl_want_str(c, 0, &s);
	if (rc)
		return rc;
	rc = cs_yaml_parse(c->arena, NULL, s.ptr, s.len, &o, &sink, &docs);
	if (rc == CS_ENOMEM)
		return cs__hcl_oom(c);
	if (rc)
		return cs__hcl_call_err(c, "on line %u, column %u: %s", (unsigned)fd.line, (unsigned)fd.col,
					fd.set ? fd.msg : "invalid YAML");
	if (docs->u.arr.n > 1)
		return cs__hcl_call_err(c, "unexpected extra content after value");
	if (docs->u.arr.n == 0) {
		*out = cs__hcl_null(c);
		return CS_OK;
	}
	const char *t = bad_tag(docs->u.arr.v[0], 0);
	if (t)
		return cs__hcl_call_err(c, "unsupported tag \"%s\"", t);
	*out = docs->u.arr.v[0];
	return CS_OK;
}

static cs_err indent_to(cs_buf *b, unsigned n)
{
	cs_err rc = CS_OK;
	for (unsigned i = 0; i < n && !rc; i++)
		rc = cs_buf_putc(b, ' ');
	return rc;
}

/* A scalar or an empty collection, on the current line. */
static cs_err yaml_scalar(cs_buf *b, const cs_value *v, unsigned ind)
{
	char nb[400];
	switch ((cs_vtype)v->type) {
	case CS_VNULL:
		return cs_buf_puts(b, "null\n");
	case CS_VBOOL:
		return cs_buf_puts(b, v->u.b ? "true\n" : "false\n");
	case CS_VNUMBER:
		cs__hcl_num_text(v->u.num.d, nb, sizeof nb);
		return cs_buf_printf(b, "%s\n", nb);
	case CS_VARRAY:
		return cs_buf_puts(b, "[]\n");
	case CS_VOBJECT:
		return cs_buf_puts(b, "{}\n");
	case CS_VSTRING:
		break;
	case CS_VUNKNOWN:
		return CS_EINVAL;
	}
	cs_str s = v->u.s;
	bool multi = memchr(s.ptr, '\n', s.len) != NULL && s.len && s.ptr[0] != ' ' && s.ptr[0] != '\n';
	for (size_t i = 0; i < s.len && multi; i++) /* only printable text in a literal block */
		if (((unsigned char)s.ptr[i] < 0x20 && s.ptr[i] != '\n') || s.ptr[i] == 0x7F)
			multi = false;
	if (!multi) {
		cs_err rc = json_str(b, s);
		return rc ? rc : cs_buf_putc(b, '\n');
	}
	size_t trail = 0;
	while (trail < s.len && s.ptr[s.len - 1 - trail] == '\n')
		trail++;
	cs_err rc = cs_buf_puts(b, trail == 0 ? "|-\n" : trail == 1 ? "|\n" : "|+\n");
	size_t body = s.len - (trail ? trail : 0);
	size_t start = 0;
	while (!rc && start <= body) {
		const char *nl = memchr(s.ptr + start, '\n', body - start);
		size_t end = nl ? (size_t)(nl - s.ptr) : body;
		if (end > start)
			rc = indent_to(b, ind);
		if (!rc)
			rc = cs_buf_append(b, s.ptr + start, end - start);
		if (!rc)
			rc = cs_buf_putc(b, '\n');
		start = end + 1;
		if (!nl)
			break;
	}
	for (size_t k = 1; k < trail && !rc; k++)
		rc = cs_buf_putc(b, '\n');
	return rc;
}

static bool yaml_block(const cs_value *v)
{
	return (v->type == CS_VARRAY && v->u.arr.n) || (v->type == CS_VOBJECT && v->u.obj.n);
}

/* Writes v as a block at indentation `ind`; the first line continues the
 * current one (after "- ") when `inline_first`. */
static cs_err yaml_enc(cs_buf *b, const cs_value *v, unsigned ind, bool inline_first, unsigned depth)
{
	cs_err rc = CS_OK;
	if (depth > 256)
		return CS_ELIMIT;
	if (!yaml_block(v))
		return yaml_scalar(b, v, ind);
	if (v->type == CS_VARRAY) {
		for (size_t i = 0; i < v->u.arr.n && !rc; i++) {
			if (i || !inline_first)
				rc = indent_to(b, ind);
			if (!rc)
				rc = cs_buf_puts(b, "- ");
			if (!rc)
				rc = yaml_enc(b, v->u.arr.v[i], ind + 2, true, depth + 1);
		}
		return rc;
	}
	size_t n;
	const cs_member **m = ordered(v, &n);
	if (!m)
		return CS_ENOMEM;
	for (size_t i = 0; i < n && !rc; i++) {
		if (i || !inline_first)
			rc = indent_to(b, ind);
		if (!rc)
			rc = json_str(b, m[i]->key);
		if (!rc)
			rc = cs_buf_putc(b, ':');
		const cs_value *e = m[i]->val;
		if (rc)
			break;
		if (!yaml_block(e)) {
			rc = cs_buf_putc(b, ' ');
			if (!rc)
				rc = yaml_scalar(b, e, ind + 2);
		} else {
			rc = cs_buf_putc(b, '\n');
			/* sequences in a mapping are not indented (go-yaml) */
			if (!rc)
				rc = yaml_enc(b, e, e->type == CS_VARRAY ? ind : ind + 2, false, depth + 1);
		}
	}
	cs_free(m);
	return rc;
}

static cs_err f_yamlencode(cs__hcl_call *c, const cs_value **out)
{
	cs_buf b;
	cs_buf_init(&b, OUT_MAX);
	cs_err rc = yaml_enc(&b, c->args[0], 0, false, 0);
	return finish(c, &b, rc, out);
}

const cs__hcl_func cs__hcl_funcs_encoding[] = {
	{ "base64decode", 1, 1, 0, "str", f_base64decode },
	{ "base64encode", 1, 1, 0, "str", f_base64encode },
	{ "csvdecode", 1, 1, 0, "str", f_csvdecode },
	{ "jsondecode", 1, 1, 0, "str", f_jsondecode },
	{ "jsonencode", 1, 1, CS__HCL_F_NULLOK, "val", f_jsonencode },
	{ "textdecodebase64", 2, 2, 0, "source,encoding", f_textdecodebase64 },
	{ "textencodebase64", 2, 2, 0, "string,encoding", f_textencodebase64 },
	{ "urlencode", 1, 1, 0, "str", f_urlencode },
	{ "yamldecode", 1, 1, 0, "src", f_yamldecode },
	{ "yamlencode", 1, 1, CS__HCL_F_NULLOK, "value", f_yamlencode },
};
const size_t cs__hcl_funcs_encoding_n = CS_ARRAY_SIZE(cs__hcl_funcs_encoding);
