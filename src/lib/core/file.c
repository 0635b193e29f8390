/* core/file.c - reading whole input files, with a size limit: into a heap
 * buffer (cs_file_read), or for big regular files a read-only mapping of the
 * page cache (cs__file_map), which saves copying the file and faulting in a
 * fresh buffer for it. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* Big buffers are about to be written from end to end by fread: fault
 * their pages in with one madvise (Linux 5.14+) instead of one page fault
 * per 4 KiB page as the copy reaches it (a 20 MB plan is 5,000 faults,
 * about half the time of reading it).  Only a hint: where the kernel or
 * the C library does not support it, nothing changes. */
static void prefault(char *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	long pg = sysconf(_SC_PAGESIZE);
	if (pg <= 0 || n < ((size_t)1 << 20))
		return;
	uintptr_t lo = ((uintptr_t)p + (uintptr_t)pg - 1) & ~((uintptr_t)pg - 1);
	uintptr_t hi = ((uintptr_t)p + n) & ~((uintptr_t)pg - 1);
	if (hi > lo)
		(void)madvise((void *)lo, (size_t)(hi - lo), MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}

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
			prefault(p, want + 1);
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

/* Mapping is worth it from this size on (below it, one read() is as cheap
 * as setting up a mapping). */
#define MAP_MIN ((size_t)1 << 20)

cs_err cs__file_map(const char *path, size_t max, char **out, size_t *len, bool *mapped)
{
	cs_err rc = CS_OK;
	int fd = -1;
	long pg = sysconf(_SC_PAGESIZE);
	struct stat st;

	*mapped = false;
	*out = NULL;
	*len = 0;
	if (strcmp(path, "-") == 0 || pg <= 0)
		goto fallback;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto fallback; /* cs_file_read reports the error the same way */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0)
		goto fallback;
	if (max && (uint64_t)st.st_size > max) {
		rc = CS_ELIMIT;
		goto out;
	}
	size_t n = (size_t)st.st_size;
	/* the byte after the data must be a readable NUL: the zero fill of
	 * the last page provides it unless the file ends on a page boundary */
	if ((uint64_t)st.st_size >= SIZE_MAX / 2 || n < MAP_MIN || n % (size_t)pg == 0)
		goto fallback;
	void *p = mmap(NULL, n, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (p == MAP_FAILED)
		goto fallback;
	*out = p;
	*len = n;
	*mapped = true;
	goto out;
fallback:
	rc = cs_file_read(path, max, out, len);
out:
	if (fd >= 0) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return rc;
}

void cs__file_release(char *data, size_t len, bool mapped)
{
	if (mapped)
		munmap(data, len);
	else
		cs_free(data);
}
