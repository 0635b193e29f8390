/* fuzz_logreader.c - libFuzzer harness for the log event reader.  The
 * first byte picks how the rest is presented: plain or gzip-compressed, and
 * with the default or a tiny record limit.  Any bytes must give events or
 * located diagnostics, never a crash, a hang or unbounded memory; every
 * event must be a brace-delimited span of the input, in input order.
 * The structural scanner's implementations (byte at a time, 64-byte
 * blocks with SWAR, SSE2, AVX2 masks) must also agree on the bytes, whole
 * and cut in two where the first byte says; and the skip over member
 * values must end each value where the byte scanner does, or give up
 * exactly when the value holds what the scanner must judge.  A record that
 * CloudTrail's compact start recognises at once, and that is valid JSON,
 * must get from the member-by-member classification the same format and
 * time. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "cshare/detect.h"
#include "cshare/json.h"
#include "detect/logreader_int.h"

/* Scans p[0..n) from a fresh state with `impl`, in two calls when `cut`. */
static cs_lr_res scan(int impl, const char *p, size_t n, size_t cut, cs_lr_scan *s, size_t *pos,
		      const char **why)
{
	cs_lr_res r = CS_LR_MORE;
	memset(s, 0, sizeof *s);
	*pos = 0;
	*why = NULL;
	if (cut && cut < n)
		r = cs__lr_scan_with(impl, s, p, cut, pos, why);
	if (r == CS_LR_MORE)
		r = cs__lr_scan_with(impl, s, p, n, pos, why);
	return r;
}

static void scanners_agree(const uint8_t *data, size_t size, size_t cut)
{
	static const int impls[] = { CS_LR_SWAR, CS_LR_SSE2, CS_LR_AVX2 };
	const char *p = (const char *)data;
	cs_lr_scan a, b;
	size_t pa, pb;
	const char *wa, *wb;
	cs_lr_res ra = scan(CS_LR_BYTES, p, size, cut, &a, &pa, &wa);
	for (size_t k = 0; k < sizeof impls / sizeof impls[0]; k++) {
		cs_lr_res rb = scan(impls[k], p, size, cut, &b, &pb, &wb);
		if (ra != rb || pa != pb)
			abort();
		if (ra == CS_LR_ERR) {
			if (strcmp(wa, wb) != 0)
				abort();
			continue;
		}
		if (a.depth != b.depth || a.in_str != b.in_str || a.esc != b.esc ||
		    a.newlines != b.newlines || a.nends != b.nends)
			abort();
		for (uint32_t j = 0; j < a.nends; j++)
			if (a.ends[j] != b.ends[j] || a.starts[j] != b.starts[j])
				abort();
		for (uint32_t d = 0; d < a.depth; d++)
			if (((a.stack[d / 8] ^ b.stack[d / 8]) >> (d % 8)) & 1)
				abort();
	}
}

/* The skip over a member value (every implementation) from p[i]: where
 * the byte scanner from a fresh state ends the value when it holds no
 * backslash, no byte below 0x20 and nests at most 63 levels; else 0. */
static void skips_agree(const uint8_t *data, size_t size, size_t i)
{
	static const int impls[] = { CS_LR_BYTES, CS_LR_SWAR, CS_LR_SSE2, CS_LR_AVX2 };
	const char *p = (const char *)data, *why = NULL;
	cs_lr_scan s;
	size_t pos = i, want = 0;
	memset(&s, 0, sizeof s);
	if (cs__lr_scan_with(CS_LR_BYTES, &s, p, size, &pos, &why) == CS_LR_DONE) {
		unsigned depth = 0, max = 0;
		int in_str = 0;
		want = pos;
		for (size_t k = i; k < pos && want; k++) {
			if (data[k] < 0x20 || data[k] == '\\')
				want = 0;
			else if (data[k] == '"')
				in_str = !in_str;
			else if (!in_str && (data[k] == '{' || data[k] == '['))
				max = ++depth > max ? depth : max;
			else if (!in_str && (data[k] == '}' || data[k] == ']'))
				depth--;
		}
		if (max > 63)
			want = 0;
	}
	for (size_t k = 0; k < sizeof impls / sizeof impls[0]; k++)
		if (cs__lr_skip_with(impls[k], p, size, i) != want)
			abort();
}

/* The compact-start shortcut against the full classification, on the
 * object from the first '{' to the last '}' of the input. */
static void head_agrees(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *why = NULL;
	const char *b = memchr(p, '{', size), *e = NULL;
	for (size_t k = size; k > 0 && !e; k--)
		if (p[k - 1] == '}')
			e = p + k - 1;
	if (!b || !e || e < b)
		return;
	size_t n = (size_t)(e - b) + 1;
	int64_t t = INT64_MIN;
	if (!cs__lr_cloudtrail_head(b, n, NULL, NULL, &t))
		return;
	cs_arena *a = cs_arena_new(16u << 20);
	cs_diag_sink quiet = { 0 };
	const cs_value *v = NULL;
	if (a && cs_json_parse(a, "x", b, n, NULL, &quiet, &v, NULL) == CS_OK) {
		cs_lr_class c;
		if (cs__lr_classify_rest(b, n, NULL, NULL, &c, &why) != CS_OK || !c.product ||
		    strcmp(c.product, "aws") != 0 || strcmp(c.service, "cloudtrail") != 0 ||
		    c.time_ms != t)
			abort();
	}
	cs_arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	if (size < 1)
		return 0;
	uint8_t mode = data[0];
	data++;
	size--;
	if (size) {
		scanners_agree(data, size, size * mode / 256);
		skips_agree(data, size, 0);
		head_agrees(data, size);
		const void *b = memchr(data + size * mode / 256, '{', size - size * mode / 256);
		if (b)
			skips_agree(data, size, (size_t)((const uint8_t *)b - data));
	}
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
