/* fuzz_logreader.c - libFuzzer harness for the log event reader.  The
 * first byte picks how the rest is presented: plain or gzip-compressed, and
 * with the default or a tiny record limit.  Any bytes must give events or
 * located diagnostics, never a crash, a hang or unbounded memory; every
 * event must be a brace-delimited span of the input, in input order. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "cshare/detect.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	if (size < 1)
		return 0;
	uint8_t mode = data[0];
	data++;
	size--;
	snprintf(path, sizeof path, "/tmp/fuzz_logreader_%ld.in", (long)getpid());
	if (mode & 1) {
		gzFile g = gzopen(path, "wb1");
		if (!g)
			return 0;
		if (size)
			gzwrite(g, data, (unsigned)size);
		gzclose(g);
	} else {
		FILE *f = fopen(path, "wb");
		if (!f)
			return 0;
		if (size)
			fwrite(data, 1, size, f);
		fclose(f);
	}
	cs_diag_sink sink = { 0 };
	cs_logreader *lr = NULL;
	cs_event ev;
	cs_err rc;
	uint64_t last = 0;
	if (cs_logreader_new(&sink, &lr) != CS_OK)
		abort();
	if (mode & 2)
		cs_logreader_set_max_record(lr, 64 + (mode >> 2));
	if (cs_logreader_add_path(lr, path) != CS_OK)
		abort();
	while ((rc = cs_logreader_next(lr, &ev)) == CS_OK) {
		if (ev.len < 2 || ev.json[0] != '{' || ev.json[ev.len - 1] != '}')
			abort(); /* a record is one JSON object */
		if (ev.offset < last || ev.offset + ev.len > size * 2 + 1024 * 1024)
			abort(); /* in input order */
		if (!(mode & 1) && memcmp(data + ev.offset, ev.json, ev.len) != 0)
			abort(); /* the exact bytes of the input */
		if (!ev.product || !ev.service || strcmp(ev.file, path) != 0)
			abort();
		last = ev.offset + ev.len;
	}
	if (rc != CS_ENOENT)
		abort();
	cs_logreader_free(lr);
	unlink(path);
	return 0;
}
