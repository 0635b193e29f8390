/*
 * cshare/yaml.h - YAML (1.2 core schema) to the value tree, via libyaml,
 * with the line and column of every value and the tag it was written with.
 */
#ifndef CSHARE_YAML_H
#define CSHARE_YAML_H

#include "cshare/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_yaml_opts {
	unsigned max_depth;  /* nesting limit; 0 = default (256) */
	size_t max_nodes;    /* limit on nodes after alias expansion; 0 = default (10 M) */
} cs_yaml_opts;

/*
 * Parses every document of a YAML stream.  On success *docs is an array
 * value holding one value per document (an empty stream gives an empty
 * array).  Scalars resolve by the YAML 1.2 core schema (null, true/false,
 * integers, floats; quoted scalars are always strings; timestamps stay
 * strings).  Local tags such as CloudFormation's !Ref are kept on the value
 * (cs_value_tag) and do not change its type; standard tags (!!str, !!int,
 * !!float, !!bool, !!null) are applied.  An alias shares the anchored value
 * (and so its location); expanded sizes are counted against max_nodes.
 * Merge keys (<<) are applied.  Duplicate mapping keys give a warning; the
 * last one wins.  Keys that are not scalars are skipped with a warning.
 * Lines and columns are 1-based; columns count characters, as libyaml does
 * (the byte column on ASCII lines).
 * Errors (syntax, invalid UTF-8, limits) give a diagnostic with file, line
 * and column and return CS_ESYNTAX, CS_EUTF8 or CS_ELIMIT.  Copies what it
 * keeps, so `data` need not outlive the values.
 */
CS_API cs_err cs_yaml_parse(cs_arena *a, const char *file, const char *data, size_t len,
			    const cs_yaml_opts *opts, cs_diag_sink *diag, const cs_value **docs);

#ifdef __cplusplus
}
#endif
#endif
