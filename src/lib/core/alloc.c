/* core/alloc.c - the allocation functions every part of libcshare uses, with a
 * test hook that fails allocations on demand. */
#include <stdlib.h>
#define CS_ALLOC_IMPL 1
#include "internal.h"

static unsigned long fail_after; /* 0 = never fail */
static unsigned long counter;

void cs_alloc_fail_after(unsigned long n)
{
	fail_after = n;
	counter = 0;
}

static bool should_fail(void)
{
	if (!fail_after)
		return false;
	return ++counter >= fail_after;
}

void *cs_malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *cs_calloc(size_t n, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(n ? n : 1, size ? size : 1);
}

void *cs_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

void cs_free(void *p)
{
	free(p);
}
