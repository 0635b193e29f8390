/* core/tsv.c - reader for the line-oriented data files (see tsv.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tsv.h"

#define TSV_MAX_FILE (16u * 1024u * 1024u)

/* Splits the line starting at `s` (ending at `e`, exclusive, no newline)
 * into t->field; returns the number of fields (can exceed CS_TSV_MAXCOLS:
 * the excess is counted, not stored). */
static size_t split(cs_tsv *t, char *s, char *e)
{
	size_t n = 0;
	char *f = s;
	for (char *p = s;; p++) {
		if (p == e || *p == '\t') {
			if (n < CS_TSV_MAXCOLS) {
				t->field[n] = (cs_str){ f, (size_t)(p - f) };
				t->col[n] = (uint32_t)(f - s) + 1;
			}
			n++;
			if (p == e)
				break;
			*p = '\0';
			f = p + 1;
		}
	}
	return n;
}

/* Advances to the next line that is neither blank nor a comment; splits it.
 * Returns the field count, or 0 at the end of the data. */
static size_t next_line(cs_tsv *t)
{
	while (t->pos < t->len) {
		char *s = t->data + t->pos;
		char *nl = memchr(s, '\n', t->len - t->pos);
		char *e = nl ? nl : t->data + t->len;
		t->pos = nl ? (size_t)(nl - t->data) + 1 : t->len;
		t->line++;
		if (e > s && e[-1] == '\r')
			e--;
		*e = '\0';
		bool blank = true;
		for (const char *p = s; p < e; p++)
			if (*p != ' ' && *p != '\t') {
				blank = false;
				break;
			}
		if (blank || *s == '#')
			continue;
		return split(t, s, e);
	}
	return 0;
}

void cs__tsv_error(cs_tsv *t, size_t i, cs_err code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	t->errors++;
	cs_diag_emit(t->diag, CS_SEV_ERROR, code, t->file, t->line,
		     i < CS_TSV_MAXCOLS ? t->col[i] : 1, NULL, "%s", msg);
}

static cs_err check_header(cs_tsv *t, const char *const *cols, size_t ncols)
{
	size_t n = next_line(t);
	if (n == 0) {
		t->errors++;
		cs_diag_emit(t->diag, CS_SEV_ERROR, CS_ESYNTAX, t->file, t->line ? t->line : 1, 1,
			     NULL, "missing header line (expected %zu tab-separated columns)", ncols);
		return CS_ESYNTAX;
	}
	for (size_t i = 0; i < ncols; i++) {
		if (i >= n || !cs_str_eqc(t->field[i], cols[i])) {
			size_t at = i < n ? i : n - 1;
			cs__tsv_error(t, at, CS_ESYNTAX, "header column %zu must be '%s'%s%.*s%s",
				      i + 1, cols[i], i < n ? ", not '" : " (missing)",
				      i < n ? (int)t->field[i].len : 0, i < n ? t->field[i].ptr : "",
				      i < n ? "'" : "");
			return CS_ESYNTAX;
		}
	}
	if (n > ncols) {
		cs__tsv_error(t, ncols, CS_ESYNTAX, "header has %zu columns; expected %zu", n, ncols);
		return CS_ESYNTAX;
	}
	return CS_OK;
}

static cs_err start(cs_tsv *t, const char *const *cols, size_t ncols)
{
	CS_ASSERT(ncols > 0 && ncols <= CS_TSV_MAXCOLS);
	t->ncols = ncols;
	size_t bad = cs__utf8_check(t->data, t->len);
	if (bad < t->len) {
		uint32_t line = 1, col = 1;
		for (size_t i = 0; i < bad; i++) {
			if (t->data[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		t->errors++;
		cs_diag_emit(t->diag, CS_SEV_ERROR, CS_EUTF8, t->file, line, col, NULL,
			     "invalid UTF-8");
		return CS_EUTF8;
	}
	if (memchr(t->data, '\0', t->len)) {
		t->errors++;
		cs_diag_emit(t->diag, CS_SEV_ERROR, CS_ESYNTAX, t->file, 1, 1, NULL,
			     "NUL byte in a text data file");
		return CS_ESYNTAX;
	}
	return check_header(t, cols, ncols);
}

cs_err cs__tsv_open(cs_tsv *t, const char *path, const char *const *cols, size_t ncols,
		    cs_diag_sink *diag)
{
	memset(t, 0, sizeof(*t));
	t->file = path;
	t->diag = diag;
	cs_err rc = cs_file_read(path, TSV_MAX_FILE, &t->data, &t->len);
	if (rc) {
		cs_diag_emit(diag, CS_SEV_ERROR, rc, path, 0, 0, NULL, "cannot read data file: %s",
			     cs_strerror(rc));
		return rc;
	}
	rc = start(t, cols, ncols);
	if (rc)
		cs__tsv_close(t);
	return rc;
}

cs_err cs__tsv_open_buffer(cs_tsv *t, const char *name, const char *text, size_t len,
			   const char *const *cols, size_t ncols, cs_diag_sink *diag)
{
	memset(t, 0, sizeof(*t));
	t->file = name;
	t->diag = diag;
	if (len > TSV_MAX_FILE) {
		cs_diag_emit(diag, CS_SEV_ERROR, CS_ELIMIT, name, 0, 0, NULL,
			     "data file larger than %u bytes", TSV_MAX_FILE);
		return CS_ELIMIT;
	}
	t->data = cs_malloc(len + 1);
	if (!t->data)
		return CS_ENOMEM;
	if (len)
		memcpy(t->data, text, len);
	t->data[len] = '\0';
	t->len = len;
	cs_err rc = start(t, cols, ncols);
	if (rc)
		cs__tsv_close(t);
	return rc;
}

bool cs__tsv_next(cs_tsv *t)
{
	for (;;) {
		size_t n = next_line(t);
		if (n == 0)
			return false;
		if (n == t->ncols)
			return true;
		size_t at = n < t->ncols ? n - 1 : t->ncols;
		cs__tsv_error(t, at, CS_ESYNTAX, "record has %zu fields; expected %zu (tab-separated)",
			      n, t->ncols);
	}
}

cs_str cs__tsv_field(const cs_tsv *t, size_t i)
{
	CS_ASSERT(i < t->ncols);
	cs_str f = t->field[i];
	if (f.len == 1 && f.ptr[0] == '-')
		return (cs_str){ f.ptr + 1, 0 };
	return f;
}

int cs__tsv_enum(cs_tsv *t, size_t i, const char *const *allowed)
{
	cs_str f = cs__tsv_field(t, i);
	char list[256];
	size_t used = 0;
	for (int k = 0; allowed[k]; k++) {
		if (cs_str_eqc(f, allowed[k]))
			return k;
		int w = snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "", allowed[k]);
		if (w > 0 && (size_t)w < sizeof list - used)
			used += (size_t)w;
	}
	cs__tsv_error(t, i, CS_ESYNTAX, "'%.*s' is not one of: %s", (int)f.len, f.ptr, list);
	return -1;
}

static bool digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

bool cs__tsv_date(cs_tsv *t, size_t i)
{
	cs_str f = cs__tsv_field(t, i);
	bool ok = f.len == 10 && digits(f.ptr, 4) && f.ptr[4] == '-' && digits(f.ptr + 5, 2) &&
		  f.ptr[7] == '-' && digits(f.ptr + 8, 2);
	if (ok) {
		int m = (f.ptr[5] - '0') * 10 + (f.ptr[6] - '0');
		int d = (f.ptr[8] - '0') * 10 + (f.ptr[9] - '0');
		ok = m >= 1 && m <= 12 && d >= 1 && d <= 31;
	}
	if (!ok)
		cs__tsv_error(t, i, CS_ESYNTAX, "'%.*s' is not a date (YYYY-MM-DD)", (int)f.len,
			      f.ptr);
	return ok;
}

void cs__tsv_close(cs_tsv *t)
{
	cs_free(t->data);
	t->data = NULL;
	t->len = t->pos = 0;
}
