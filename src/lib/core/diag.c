/* core/diag.c - routing located diagnostics to the caller's sink. */
#include <stdio.h>

#include "internal.h"

void cs_diag_emit(cs_diag_sink *s, cs_severity sev, cs_err code, const char *file, uint32_t line,
		  uint32_t col, const char *id, const char *fmt, ...)
{
	if (!s)
		return;
	if (sev == CS_SEV_ERROR)
		s->errors++;
	else if (sev == CS_SEV_WARNING)
		s->warnings++;
	if (!s->fn)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cs_diag d = { sev, code, file, line, col, id, msg };
	s->fn(s->ud, &d);
}
