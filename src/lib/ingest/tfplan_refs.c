/*
 * ingest/tfplan_refs.c - Terraform resource addresses and the references
 * of a plan's "configuration", used to say which resource an unknown
 * attribute will come from.
 *
 * An address is [module.<call>[<key>].]...<type>.<name>[<key>]
 * (Terraform docs, "Resource Addressing").  The configuration describes
 * modules, not module instances: root_module.module_calls.<call>.module,
 * with each resource's expressions.<attribute>.references written relative
 * to its own module ("aws_s3_bucket.b.id", "aws_s3_bucket.b").  Lookups use
 * sorted arrays and binary search, so a plan with many instances costs
 * O(n log n), not O(n^2).
 */
#include <string.h>

#include "tfplan_int.h"

struct tf_key {
	cs_str k;
	const char *addr;       /* candidate address (by_addr / by_base) */
	const cs_value *cfgres; /* configuration resource (cfg) */
};

#define TF_MAX_MODULE_DEPTH 256u

static int str_cmp(cs_str a, cs_str b)
{
	size_t n = a.len < b.len ? a.len : b.len;
	int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
	if (c)
		return c;
	return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

/* Sorts v[0..n) by key (stable merge sort, tmp holds n entries).  qsort
 * calls the comparison through a pointer and copies entries byte-wise; the
 * indexes are sorted once per plan with 10,000s of entries, and runs that
 * are already in order (Terraform's own order is close to sorted) are
 * merged without compares. */
static void sort_keys(struct tf_key *v, struct tf_key *tmp, size_t n)
{
	if (n < 2)
		return;
	if (n <= 16) {
		for (size_t i = 1; i < n; i++) {
			struct tf_key x = v[i];
			size_t j = i;
			while (j > 0 && str_cmp(v[j - 1].k, x.k) > 0) {
				v[j] = v[j - 1];
				j--;
			}
			v[j] = x;
		}
		return;
	}
	size_t h = n / 2;
	sort_keys(v, tmp, h);
	sort_keys(v + h, tmp, n - h);
	if (str_cmp(v[h - 1].k, v[h].k) <= 0)
		return; /* already in order */
	memcpy(tmp, v, h * sizeof *v);
	size_t i = 0, j = h, o = 0;
	while (i < h && j < n)
		v[o++] = str_cmp(v[j].k, tmp[i].k) < 0 ? v[j++] : tmp[i++];
	while (i < h)
		v[o++] = tmp[i++];
}

/* Index of the first entry whose key is >= k. */
static size_t lower_bound(const struct tf_key *v, size_t n, cs_str k)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (str_cmp(v[mid].k, k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool is_ident(char ch)
{
	unsigned char c = (unsigned char)ch;
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* p points at '['; returns the position after the matching ']' or NULL. */
static const char *skip_key(const char *p, const char *e)
{
	p++;
	if (p < e && *p == '"') {
		p++;
		while (p < e && *p != '"') {
			if (*p == '\\')
				p++;
			p++;
		}
		if (p >= e)
			return NULL;
		p++;
	} else {
		while (p < e && *p != ']' && *p != '[')
			p++;
	}
	if (p >= e || *p != ']')
		return NULL;
	return p + 1;
}

void cs__tf_split_address(tf_cand *c, cs_str type, cs_str name, cs_str module_address)
{
	cs_str addr = cs_str_c(c->address);
	c->modaddr = (cs_str){ addr.ptr, 0 };
	c->base = addr;
	c->key = (cs_str){ addr.ptr + addr.len, 0 };
	c->tname = (cs_str){ NULL, 0 };
	/* tname is type "." name; find it in the address after the module path */
	size_t mlen = module_address.len;
	if (mlen && (addr.len <= mlen || memcmp(addr.ptr, module_address.ptr, mlen) != 0 ||
		     addr.ptr[mlen] != '.'))
		mlen = 0; /* module_address does not prefix the address: ignore it */
	size_t start = mlen ? mlen + 1 : 0;
	size_t tlen = type.len + 1 + name.len;
	if (type.len && name.len && addr.len - start >= tlen &&
	    memcmp(addr.ptr + start, type.ptr, type.len) == 0 &&
	    addr.ptr[start + type.len] == '.' &&
	    memcmp(addr.ptr + start + type.len + 1, name.ptr, name.len) == 0) {
		size_t end = start + tlen;
		if (end == addr.len || addr.ptr[end] == '[') {
			c->modaddr.len = mlen;
			c->tname = (cs_str){ addr.ptr + start, tlen };
			c->base = (cs_str){ addr.ptr, end };
			c->key = (cs_str){ addr.ptr + end, addr.len - end };
		}
	}
}

cs_err cs__tf_refs_init(tf_refs *r, cs_arena *a, const tf_cand *c, size_t n,
			const cs_value *cfg_root)
{
	cs_err rc = CS_OK;
	struct tf_key *tmp = NULL;
	memset(r, 0, sizeof *r);
	r->a = a;
	r->cfg_root = cfg_root;
	cs_buf_init(&r->tmp, 1u << 20);
	if (!n)
		goto out;
	r->by_addr = cs_calloc(n, sizeof *r->by_addr);
	r->by_base = cs_calloc(n, sizeof *r->by_base);
	if (!r->by_addr || !r->by_base) {
		rc = CS_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		r->by_addr[i].k = cs_str_c(c[i].address);
		r->by_addr[i].addr = c[i].address;
		r->by_base[i].k = c[i].base;
		r->by_base[i].addr = c[i].address;
	}
	r->n = n;
	tmp = cs_malloc(n * sizeof *tmp);
	if (!tmp) {
		rc = CS_ENOMEM;
		goto out;
	}
	sort_keys(r->by_addr, tmp, n);
	sort_keys(r->by_base, tmp, n);
out:
	cs_free(tmp);
	if (rc)
		cs__tf_refs_release(r);
	return rc;
}

void cs__tf_refs_release(tf_refs *r)
{
	cs_free(r->by_addr);
	cs_free(r->by_base);
	cs_free(r->cfg);
	cs_buf_release(&r->tmp);
	memset(r, 0, sizeof *r);
}

/* Appends the module path of `modaddr` without instance keys, as
 * "<call>.<call>" ("" at the root).  False if it is not a module path. */
static bool put_config_path(cs_buf *b, cs_str modaddr, cs_err *err)
{
	const char *p = modaddr.ptr, *e = modaddr.ptr + modaddr.len;
	bool first = true;
	while (p < e) {
		if ((size_t)(e - p) < 8 || memcmp(p, "module.", 7) != 0)
			return false;
		p += 7;
		const char *n0 = p;
		while (p < e && is_ident(*p))
			p++;
		if (p == n0)
			return false;
		if (!first && (*err = cs_buf_putc(b, '.')))
			return false;
		if ((*err = cs_buf_append(b, n0, (size_t)(p - n0))))
			return false;
		first = false;
		if (p < e && *p == '[') {
			p = skip_key(p, e);
			if (!p)
				return false;
		}
		if (p < e) {
			if (*p != '.')
				return false;
			p++;
		}
	}
	return true;
}

/* Collects the configuration resources of `mod` (a module object) under
 * the config path `path` (arena string), recursing into module_calls. */
static cs_err collect_cfg(tf_refs *r, cs_ptrvec *out, const cs_value *mod, const char *path,
			  unsigned depth)
{
	cs_err rc = CS_OK;
	if (cs_value_type(mod) != CS_VOBJECT || depth > TF_MAX_MODULE_DEPTH)
		goto out;
	const cs_value *res = cs_value_get(mod, "resources");
	for (size_t i = 0; i < cs_value_len(res) && cs_value_type(res) == CS_VARRAY; i++) {
		const cs_value *cr = cs_value_at(res, i);
		const cs_value *addr = cs_value_get(cr, "address");
		if (cs_value_type(addr) != CS_VSTRING)
			continue;
		cs_str as = cs_value_str(addr);
		char *k = cs_arena_printf(r->a, "%s\x1f%.*s", path, (int)as.len, as.ptr);
		struct tf_key *e = cs_arena_alloc(r->a, sizeof *e);
		if (!k || !e) {
			rc = CS_ENOMEM;
			goto out;
		}
		e->k = cs_str_c(k);
		e->addr = NULL;
		e->cfgres = cr;
		if ((rc = cs__ptrvec_push(out, e)))
			goto out;
	}
	const cs_value *calls = cs_value_get(mod, "module_calls");
	if (cs_value_type(calls) != CS_VOBJECT)
		goto out;
	for (size_t i = 0; i < cs_value_len(calls); i++) {
		cs_str name = cs_value_key_at(calls, i);
		const cs_value *sub = cs_value_get(cs_value_at(calls, i), "module");
		char *np = *path ? cs_arena_printf(r->a, "%s.%.*s", path, (int)name.len, name.ptr)
				 : cs_arena_strndup(r->a, name.ptr, name.len);
		if (!np) {
			rc = CS_ENOMEM;
			goto out;
		}
		if ((rc = collect_cfg(r, out, sub, np, depth + 1)))
			goto out;
	}
out:
	return rc;
}

static cs_err build_cfg(tf_refs *r)
{
	cs_err rc = CS_OK;
	cs_ptrvec pv = { 0 };
	struct tf_key *tmp = NULL;
	r->cfg_built = true;
	if ((rc = collect_cfg(r, &pv, r->cfg_root, "", 0)))
		goto out;
	if (!pv.n)
		goto out;
	r->cfg = cs_calloc(pv.n, sizeof *r->cfg);
	if (!r->cfg) {
		rc = CS_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < pv.n; i++)
		r->cfg[i] = *(const struct tf_key *)pv.v[i];
	r->ncfg = pv.n;
	tmp = cs_malloc(pv.n * sizeof *tmp);
	if (!tmp) {
		rc = CS_ENOMEM;
		goto out;
	}
	sort_keys(r->cfg, tmp, r->ncfg);
out:
	cs_free(tmp);
	cs__ptrvec_release(&pv);
	return rc;
}

static const struct tf_key *find(const struct tf_key *v, size_t n, cs_str k)
{
	size_t i = lower_bound(v, n, k);
	return i < n && str_cmp(v[i].k, k) == 0 ? &v[i] : NULL;
}

/* Reserved first words of a reference that do not name a managed resource
 * (Terraform docs, "References to Named Values"). */
static bool reserved_word(cs_str w)
{
	static const char *const words[] = { "var",  "local",     "module", "data",
					     "count", "each",     "path",   "terraform",
					     "self", "ephemeral", "resource", "action" };
	for (size_t i = 0; i < CS_ARRAY_SIZE(words); i++)
		if (cs_str_eqc(w, words[i]))
			return true;
	return false;
}

/* Splits a reference ("aws_s3_bucket.b[\"eu\"].id") into the resource's
 * "type.name" and its explicit key ("" if none).  False if the reference
 * does not name a managed resource. */
static bool parse_ref(cs_str ref, cs_str *tname, cs_str *key)
{
	const char *p = ref.ptr, *e = ref.ptr + ref.len;
	const char *t0 = p;
	while (p < e && is_ident(*p))
		p++;
	if (p == t0 || p >= e || *p != '.')
		return false;
	if (reserved_word((cs_str){ t0, (size_t)(p - t0) }))
		return false;
	p++;
	const char *n0 = p;
	while (p < e && is_ident(*p))
		p++;
	if (p == n0)
		return false;
	*tname = (cs_str){ t0, (size_t)(p - t0) };
	*key = (cs_str){ p, 0 };
	if (p < e && *p == '[') {
		const char *k0 = p;
		p = skip_key(p, e);
		if (!p)
			return false;
		*key = (cs_str){ k0, (size_t)(p - k0) };
	}
	return p == e || *p == '.';
}

/* The address of the instance of the base address held in r->tmp that
 * `key` (explicit or the referring resource's) names, or the only instance
 * of that base.  r->tmp is left as it was. */
static const char *resolve(tf_refs *r, cs_str explicit_key, cs_str own_key, cs_err *err)
{
	const char *res = NULL;
	size_t blen = r->tmp.len;
	const struct tf_key *hit;
	if (explicit_key.len) {
		if ((*err = cs_buf_append(&r->tmp, explicit_key.ptr, explicit_key.len)))
			goto out;
		hit = find(r->by_addr, r->n, (cs_str){ r->tmp.data, r->tmp.len });
		res = hit ? hit->addr : NULL;
		goto out;
	}
	if (own_key.len) {
		if ((*err = cs_buf_append(&r->tmp, own_key.ptr, own_key.len)))
			goto out;
		hit = find(r->by_addr, r->n, (cs_str){ r->tmp.data, r->tmp.len });
		r->tmp.len = blen;
		if (hit) {
			res = hit->addr;
			goto out;
		}
	}
	cs_str base = { r->tmp.data, blen };
	size_t lo = lower_bound(r->by_base, r->n, base);
	if (lo < r->n && str_cmp(r->by_base[lo].k, base) == 0 &&
	    (lo + 1 == r->n || str_cmp(r->by_base[lo + 1].k, base) != 0))
		res = r->by_base[lo].addr;
out:
	r->tmp.len = blen;
	return res;
}

const char *cs__tf_ref_target(tf_refs *r, const tf_cand *c, cs_str attr, cs_err *err)
{
	const char *res = NULL;
	*err = CS_OK;
	if (!r->cfg_root || !c->tname.len || !r->n)
		goto out;
	if (!r->cfg_built && (*err = build_cfg(r)))
		goto out;
	const cs_value *ex;
	if (c == r->last_c) {
		ex = r->last_ex;
	} else {
		r->tmp.len = 0;
		if (!put_config_path(&r->tmp, c->modaddr, err))
			goto out;
		if ((*err = cs_buf_putc(&r->tmp, '\x1f')) ||
		    (*err = cs_buf_append(&r->tmp, c->tname.ptr, c->tname.len)))
			goto out;
		const struct tf_key *cfg =
			find(r->cfg, r->ncfg, (cs_str){ r->tmp.data, r->tmp.len });
		ex = cfg ? cs_value_get(cfg->cfgres, "expressions") : NULL;
		r->last_c = c;
		r->last_ex = ex;
	}
	if (!ex)
		goto out;
	const cs_value *refs = cs_value_get(cs_value_getn(ex, attr.ptr, attr.len), "references");
	if (cs_value_type(refs) != CS_VARRAY)
		goto out;
	for (size_t i = 0; i < cs_value_len(refs) && !res; i++) {
		const cs_value *rv = cs_value_at(refs, i);
		cs_str tname, key;
		if (cs_value_type(rv) != CS_VSTRING || !parse_ref(cs_value_str(rv), &tname, &key))
			continue;
		/* the target's base address: the referring module instance + type.name */
		r->tmp.len = 0;
		if (c->modaddr.len && ((*err = cs_buf_append(&r->tmp, c->modaddr.ptr, c->modaddr.len)) ||
				       (*err = cs_buf_putc(&r->tmp, '.'))))
			goto out;
		if ((*err = cs_buf_append(&r->tmp, tname.ptr, tname.len)))
			goto out;
		res = resolve(r, key, c->key, err);
		if (*err)
			goto out;
	}
out:
	if (*err)
		res = NULL;
	return res;
}
