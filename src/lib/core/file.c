/* core/file.c - reading whole input files, with a size limit. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

cs_err cs_file_read(const char *path, size_t max, char **out, size_t *len)
{
	FILE *f = NULL;
	cs_buf b;
	cs_err rc = CS_OK;
	bool is_stdin = strcmp(path, "-") == 0;

	*out = NULL;
	*len = 0;
	cs_buf_init(&b, max);
	if (is_stdin) {
		f = stdin;
	} else {
		struct stat st;
		if (stat(path, &st) != 0)
			return errno == ENOENT ? CS_ENOENT : CS_EIO;
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			return CS_EIO;
		}
		if (max && S_ISREG(st.st_mode) && (uint64_t)st.st_size > max)
			return CS_ELIMIT;
		f = fopen(path, "rb");
		if (!f)
			return errno == ENOENT ? CS_ENOENT : CS_EIO;
	}
	char tmp[65536];
	for (;;) {
		size_t n = fread(tmp, 1, sizeof tmp, f);
		if (n && (rc = cs_buf_append(&b, tmp, n)))
			goto out;
		if (n < sizeof tmp) {
			if (ferror(f))
				rc = CS_EIO;
			break;
		}
	}
out:
	if (!is_stdin)
		fclose(f);
	if (rc) {
		cs_buf_release(&b);
		return rc;
	}
	*out = cs_buf_steal(&b, len);
	return *out ? CS_OK : CS_ENOMEM;
}
