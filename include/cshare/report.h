/*
 * cshare/report.h - writing audit results: text, JSON, SARIF 2.1.0, JUnit
 * XML and CSV (docs/formats.md describes each).
 */
#ifndef CSHARE_REPORT_H
#define CSHARE_REPORT_H

#include "cshare/audit.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cs_format {
	CS_FMT_TEXT = 0,
	CS_FMT_JSON,
	CS_FMT_SARIF,
	CS_FMT_JUNIT,
	CS_FMT_CSV,
} cs_format;

/* "text", "json", "sarif", "junit", "csv"; -1 otherwise. */
CS_API int cs_format_parse(const char *s);

typedef struct cs_report_opts {
	cs_format format;
	bool color;           /* text: ANSI colours */
	bool include_pass;    /* list passing results too */
	bool show_suppressed; /* list suppressed results too */
	const char *version;  /* tool version for the report */
} cs_report_opts;

/* Appends the report to `out` (results are sorted for output first; the
 * results object is not changed otherwise). */
CS_API cs_err cs_report_write(cs_buf *out, cs_results *r, const cs_report_opts *o);

#ifdef __cplusplus
}
#endif
#endif
