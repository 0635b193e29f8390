/*
 * core/tsv.h - the line-oriented data files under data/ (docs/data-files.md):
 * one record a line, fields separated by TAB, `#` comment lines and blank
 * lines ignored, a header line naming the columns, `-` for an empty field.
 *
 *   cs_tsv t;
 *   rc = cs__tsv_open(&t, path, cols, ncols, diag);   (diagnoses a bad header)
 *   while (cs__tsv_next(&t)) { ... cs__tsv_field(&t, i) ... }
 *   cs__tsv_close(&t);
 *
 * Every problem is a diagnostic with file, line and column; a bad record is
 * skipped and the rest of the file is read.
 */
#ifndef CS_CORE_TSV_H
#define CS_CORE_TSV_H

#include "internal.h"

#define CS_TSV_MAXCOLS 16

typedef struct cs_tsv {
	const char *file;   /* borrowed: the name used in diagnostics */
	char *data;         /* owned: the whole file, NUL-terminated */
	size_t len, pos;
	uint32_t line;      /* line of the current record */
	size_t ncols;
	cs_diag_sink *diag; /* borrowed */
	unsigned errors;    /* problems diagnosed in this file */
	cs_str field[CS_TSV_MAXCOLS];
	uint32_t col[CS_TSV_MAXCOLS]; /* 1-based byte column of each field */
} cs_tsv;

/* Reads `path` (at most 16 MiB) and checks its header against the `ncols`
 * column names.  CS_ENOENT/CS_EIO/CS_ELIMIT if it cannot be read,
 * CS_ESYNTAX if the header is missing or wrong, CS_EUTF8 for invalid UTF-8
 * (all diagnosed).  On success the caller must cs__tsv_close(). */
cs_err cs__tsv_open(cs_tsv *t, const char *path, const char *const *cols, size_t ncols,
		    cs_diag_sink *diag);
/* Like cs__tsv_open for text already in memory (copied); `name` names it. */
cs_err cs__tsv_open_buffer(cs_tsv *t, const char *name, const char *text, size_t len,
			   const char *const *cols, size_t ncols, cs_diag_sink *diag);
/* Moves to the next record with the right number of fields; records with
 * the wrong number are diagnosed and skipped.  false at the end. */
bool cs__tsv_next(cs_tsv *t);
/* Field i of the current record; `-` reads as the empty string.  The text
 * stays valid until cs__tsv_close (it is NUL-terminated). */
cs_str cs__tsv_field(const cs_tsv *t, size_t i);
/* The index of field i in `allowed` (NULL-terminated), or -1 after a
 * diagnostic listing the allowed values. */
int cs__tsv_enum(cs_tsv *t, size_t i, const char *const *allowed);
/* Checks field i is a date YYYY-MM-DD; false after a diagnostic. */
bool cs__tsv_date(cs_tsv *t, size_t i);
/* Diagnoses a problem with field i of the current record. */
void cs__tsv_error(cs_tsv *t, size_t i, cs_err code, const char *fmt, ...) CS_PRINTF(4, 5);
void cs__tsv_close(cs_tsv *t);

#endif
