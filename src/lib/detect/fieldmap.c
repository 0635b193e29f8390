/*
 * detect/fieldmap.c - field mappings from Sigma field names to the raw
 * event paths of a log source (data/sigma-mappings/NAME.yml), and value lists
 * for the `expand` modifier's placeholders.
 *
 * A mapping file is YAML:
 *   product: gcp            # logsource it applies to (service optional)
 *   service: gcp.audit
 *   fields:                 # Sigma name: raw dotted path in the event
 *     gcp.audit.method_name: protoPayload.methodName
 *   placeholders:           # optional: %name% -> list of values
 *     admins: [alice, bob]
 * Names without a mapping stay as written (raw field names).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cshare/yaml.h"
#include "detect/detect_int.h"

#define MAX_MAP_FILE (4u << 20)

static cs_err load_one(cs_ruleset *rs, const char *path, cs_diag_sink *diag)
{
	cs_err rc = CS_OK;
	char *data = NULL;
	size_t len = 0;
	const cs_value *docs = NULL;
	const char *file = cs_arena_strdup(rs->arena, path);
	if (!file)
		return CS_ENOMEM;
	rc = cs_file_read(path, MAX_MAP_FILE, &data, &len);
	if (rc) {
		cs_diag_emit(diag, CS_SEV_ERROR, rc, file, 0, 0, NULL, "cannot read mapping file");
		goto out;
	}
	rc = cs_yaml_parse(rs->arena, file, data, len, NULL, diag, &docs);
	if (rc)
		goto out;
	for (size_t d = 0; d < cs_value_len(docs) && !rc; d++) {
		const cs_value *doc = cs_value_at(docs, d);
		if (cs_value_type(doc) != CS_VOBJECT) {
			cs_diag_emit(diag, CS_SEV_ERROR, CS_ECHECK, file, cs_value_line(doc),
				     cs_value_col(doc), NULL, "a mapping document must be a mapping");
			rc = CS_ECHECK;
			break;
		}
		const cs_value *ph = cs_value_get(doc, "placeholders");
		for (size_t i = 0; ph && i < cs_value_len(ph) && !rc; i++) {
			const cs_value *l = cs_value_at(ph, i);
			cs_str k = cs_value_key_at(ph, i);
			if (cs_value_type(l) != CS_VARRAY) {
				cs_diag_emit(diag, CS_SEV_ERROR, CS_ECHECK, file, cs_value_line(l),
					     cs_value_col(l), NULL, "placeholder '%.*s' needs a list",
					     (int)k.len, k.ptr);
				rc = CS_ECHECK;
				break;
			}
			rc = cs__strmap_put(&rs->placeholders, k.ptr, k.len, (void *)l);
		}
		const cs_value *f = cs_value_get(doc, "fields");
		if (!f || rc)
			continue;
		const cs_value *pv = cs_value_get(doc, "product");
		const cs_value *sv = cs_value_get(doc, "service");
		if (cs_value_type(f) != CS_VOBJECT || !pv || cs_value_type(pv) != CS_VSTRING) {
			cs_diag_emit(diag, CS_SEV_ERROR, CS_ECHECK, file, cs_value_line(doc),
				     cs_value_col(doc), NULL,
				     "a field mapping needs 'product' and a 'fields' mapping");
			rc = CS_ECHECK;
			break;
		}
		cs__fieldmap *nm = cs_realloc(rs->maps, (rs->nmaps + 1) * sizeof(*nm));
		if (!nm) {
			rc = CS_ENOMEM;
			break;
		}
		rs->maps = nm;
		cs__fieldmap *m = &rs->maps[rs->nmaps++];
		memset(m, 0, sizeof(*m));
		m->product = cs_value_str(pv).ptr;
		m->service = sv && cs_value_type(sv) == CS_VSTRING ? cs_value_str(sv).ptr : NULL;
		for (size_t i = 0; i < cs_value_len(f) && !rc; i++) {
			const cs_value *t = cs_value_at(f, i);
			cs_str k = cs_value_key_at(f, i);
			if (cs_value_type(t) != CS_VSTRING) {
				cs_diag_emit(diag, CS_SEV_ERROR, CS_ECHECK, file, cs_value_line(t),
					     cs_value_col(t), NULL,
					     "mapping of '%.*s' must be a field path", (int)k.len, k.ptr);
				rc = CS_ECHECK;
				break;
			}
			rc = cs__strmap_put(&m->map, k.ptr, k.len, (void *)cs_value_str(t).ptr);
		}
	}
out:
	cs_free(data);
	return rc;
}

cs_err cs__fieldmaps_load(cs_ruleset *rs, const char *dir, cs_diag_sink *diag)
{
	cs_err rc = CS_OK, first = CS_OK;
	cs_ptrvec names = { 0 };
	rc = cs__dir_sorted(rs->arena, dir, &names);
	if (rc == CS_EIO) {
		cs_diag_emit(diag, CS_SEV_ERROR, CS_ENOENT, dir, 0, 0, NULL,
			     "cannot open the field mappings folder");
		rc = CS_ENOENT;
	}
	for (size_t i = 0; i < names.n && !rc; i++) {
		const char *p = names.v[i];
		size_t n = strlen(p);
		if (n < 5 || strcmp(p + n - 4, ".yml") != 0)
			continue;
		cs_err r = load_one(rs, p, diag);
		if (r == CS_ENOMEM)
			rc = r;
		else if (r && !first)
			first = r;
	}
	cs__ptrvec_release(&names);
	return rc ? rc : first;
}

const char *cs__fieldmap_apply(const cs_ruleset *rs, const char *product, const char *service,
			       const char *name)
{
	for (size_t i = 0; product && i < rs->nmaps; i++) {
		const cs__fieldmap *m = &rs->maps[i];
		if (strcasecmp(m->product, product) != 0)
			continue;
		if (m->service && (!service || strcasecmp(m->service, service) != 0))
			continue;
		const char *t = cs__strmap_get(&m->map, name, strlen(name), NULL);
		if (t)
			return t;
	}
	return name;
}

void cs__fieldmaps_release(cs_ruleset *rs)
{
	for (size_t i = 0; i < rs->nmaps; i++)
		cs__strmap_release(&rs->maps[i].map);
	cs_free(rs->maps);
	rs->maps = NULL;
	rs->nmaps = 0;
}
