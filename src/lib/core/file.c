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
	/* a regular file of known size is read in one go into a buffer of
	 * that size; pipes and growing files fall back to chunks */
	if (!is_stdin) {
		struct stat st2;
		if (fstat(fileno(f), &st2) == 0 && S_ISREG(st2.st_mode) && st2.st_size > 0 &&
		    (uint64_t)st2.st_size < SIZE_MAX / 2) {
			size_t want = (size_t)st2.st_size;
			char *p = cs_malloc(want + 1);
			if (!p) {
				rc = CS_ENOMEM;
				goto out;
			}
			b.data = p;
			b.cap = want + 1;
			size_t got = fread(p, 1, want, f);
			b.len = got;
			p[got] = 0;
			if (got < want && ferror(f)) {
				rc = CS_EIO;
				goto out;
			}
			if (got < want)
				goto out; /* shrank while reading: what was there */
		}
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
