/* core/error.c - the error-code table: messages and names for cs_err. */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

const char *cs_strerror(cs_err e)
{
	switch (e) {
#define CS__ERR_MSG(n, v, m)                                                  \
	case CS_##n:                                                          \
		return m;
		CS_ERRORS(CS__ERR_MSG)
#undef CS__ERR_MSG
	}
	return "unknown error";
}

const char *cs_errname(cs_err e)
{
	switch (e) {
#define CS__ERR_NAME(n, v, m)                                                 \
	case CS_##n:                                                          \
		return #n;
		CS_ERRORS(CS__ERR_NAME)
#undef CS__ERR_NAME
	}
	return "EUNKNOWN";
}

_Noreturn void cs__bug(const char *file, int line, const char *what)
{
	/* The one place the library may abort: an impossible state. */
	fprintf(stderr, "cshare: BUG: %s:%d: %s\n", file, line, what);
	abort();
}
