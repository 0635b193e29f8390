/* report/report.h - internal helpers shared by the report writers. */
#ifndef CS_REPORT_INTERNAL_H
#define CS_REPORT_INTERNAL_H

#include "cshare/json.h"
#include "cshare/report.h"
#include "../audit/check.h"

/* Whether a result is listed under the options (pass and suppressed ones
 * only on request); a listed result gets its evidence text made. */
bool cs__report_listed(cs_results *r, cs_result *x, const cs_report_opts *o);
/* Appends s[0..len) as a JSON string, escaped byte for byte as
 * cs_json_write_str does (same output, fewer instructions). */
cs_err cs__json_str(cs_buf *b, const char *s, size_t len);
/* Appends `s` as a JSON string, or null when s is NULL. */
cs_err cs__json_str_or_null(cs_buf *b, const char *s);
/* XML-escapes s into b. */
cs_err cs__xml_escape(cs_buf *b, const char *s);

cs_err cs__report_text(cs_buf *b, cs_results *r, const cs_report_opts *o);
cs_err cs__report_json(cs_buf *b, cs_results *r, const cs_report_opts *o);
cs_err cs__report_sarif(cs_buf *b, cs_results *r, const cs_report_opts *o);
cs_err cs__report_junit(cs_buf *b, cs_results *r, const cs_report_opts *o);
cs_err cs__report_csv(cs_buf *b, cs_results *r, const cs_report_opts *o);

#endif
