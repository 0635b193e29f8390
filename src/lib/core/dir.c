/* core/dir.c - listing a directory's entries in a stable (name) order, for
 * every place that walks user directories (inputs, checks, mappings). */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

cs_err cs__dir_sorted(cs_arena *a, const char *dir, cs_ptrvec *out)
{
	cs_err rc = CS_OK;
	DIR *d = opendir(dir);
	if (!d)
		return CS_EIO;
	struct dirent *e;
	bool bare = strcmp(dir, ".") == 0;
	while ((e = readdir(d))) {
		/* hidden entries (.git, .terraform) and vendored trees are skipped */
		if (e->d_name[0] == '.' || strcmp(e->d_name, "node_modules") == 0)
			continue;
		char *p = bare ? cs_arena_strdup(a, e->d_name)
			       : cs_arena_printf(a, "%s/%s", dir, e->d_name);
		if (!p || cs__ptrvec_push(out, p)) {
			rc = CS_ENOMEM;
			break;
		}
	}
	int saved = errno;
	closedir(d);
	errno = saved;
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(void *), name_cmp);
	return rc;
}
