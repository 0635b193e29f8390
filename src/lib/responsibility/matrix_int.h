/*
 * responsibility/matrix_int.h - the inside of cs_matrix, shared by the
 * builder (matrix.c) and the writers (matrix_write.c).
 */
#ifndef CS_RESPONSIBILITY_MATRIX_INT_H
#define CS_RESPONSIBILITY_MATRIX_INT_H

#include "model_int.h"

#define CS__MX_MAXASSUME 4

/* One cell: a service used x a domain. */
typedef struct cs__mx_cell {
	const cs__domain *domain;
	const cs__ownership *fact; /* NULL: unknown */
	cs__lookup_level level;
	cs_owner owner; /* fact's owner, or CS_OWNER_UNKNOWN */
	/* the deployment's assumptions about this cell (the first few) */
	const cs__assumption *assume[CS__MX_MAXASSUME];
	size_t nassume;
} cs__mx_cell;

struct cs_matrix {
	const cs_model *m;
	const cs_deployment *d;
	const struct cs__deployment_view *v;
	size_t nrows, ndomains; /* rows: v->services, in order */
	cs__mx_cell *cells;     /* nrows x ndomains */
	size_t tally[CS_OWNER_UNKNOWN + 1];
};

/* "service", "model", "provider", "none". */
const char *cs__lookup_level_name(cs__lookup_level lv);

/* Formatted output that remembers the first error (buffer limit). */
typedef struct cs__out {
	cs_buf *b;
	cs_err rc;
} cs__out;
void cs__out_printf(cs__out *o, const char *fmt, ...) CS_PRINTF(2, 3);
void cs__out_puts(cs__out *o, const char *s);

#endif
