/*
 * detect/logreader.c - streams log events out of files, folders and
 * standard input for the detection engine.
 *
 * Each input is read in chunks into a bounded window (gzip is inflated on
 * the fly, recognized by its magic bytes), so memory is bounded by the
 * record limit, never by the input size.  The layout of an input is told by
 * its first bytes: a {"Records":[...]} / {"records":[...]} wrapper or a
 * top-level array (records are its elements), JSON lines (the first record
 * ends on its first line), or concatenated JSON objects (pretty-printed).
 * Each record is then recognized by content (logreader_fmt.c).  Problems
 * are diagnosed with the file and the record's byte offset in the
 * (decompressed) input, and reading goes on with the next record.
 * Folders are walked lazily (a stack of sorted listings) and each input is
 * freed once read, so memory does not grow with the number of files either;
 * only --follow keeps every input, to read what is appended to it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "cshare/detect.h"
#include "logreader_int.h"

#define LR_CHUNK (1u << 20)            /* bytes read per refill */
#define LR_RAW_CHUNK (256u << 10)      /* compressed bytes read per refill */
#define LR_DEFAULT_MAX (16u << 20)     /* default record limit */
#define LR_MAX_DIR_DEPTH 32

typedef enum {
	M_START,     /* layout not known yet */
	M_LINES,     /* one record per line */
	M_VALUES,    /* concatenated JSON objects */
	M_ARRAY,     /* inside the records array */
	M_WRAP_TAIL, /* after the records array, inside the wrapper object */
	M_DONE,
} lr_mode;

typedef struct lr_input {
	char *path; /* owned; "-" is standard input */
	int fd;     /* -1 when not open */
	bool opened, finished;
	/* gzip */
	bool gz_known, gz, gz_end;
	z_stream z;
	unsigned char *raw;
	bool raw_eof;
	/* the decompressed window */
	char *buf;
	size_t cap, start, end;
	uint64_t base; /* stream offset of buf[0] */
	uint32_t line; /* line number of buf[start] */
	uint64_t line_off; /* stream offset where that line starts */
	lr_mode mode;
	bool need_sep;    /* a ',' or ']' comes next in the array */
	bool after_comma; /* a record comes next in the array */
	bool wrapper; /* the array is the value of a Records/records wrapper */
	/* framing in progress */
	cs_lr_scan scan;
	size_t scan_pos; /* scanned up to buf[start + scan_pos] */
	bool skipping;   /* discarding an oversized or broken record */
	cs_lr_tcache tc;  /* the last date and hour read */
	uint64_t unknown; /* records of no known format */
	uint64_t unknown_off;
} lr_input;

/* One folder listing of the lazy walk: full paths, sorted by name. */
typedef struct lr_dir {
	cs_ptrvec names; /* char* */
	size_t i;        /* next entry */
	int depth;
} lr_dir;

/* A path given, read lazily (not following). */
typedef struct lr_arg {
	char *path;
	bool dir;
	lr_dir *top; /* a folder's listing, taken when given, until walked */
} lr_arg;

struct cs_logreader {
	cs_diag_sink *diag;
	/* not following: the paths given, walked lazily; one input at a time */
	cs_ptrvec args;  /* lr_arg* */
	size_t next_arg;
	cs_ptrvec stack; /* lr_dir* being walked, innermost last */
	lr_input *in;    /* the input being read, freed once read */
	/* following: every input is kept (appends are read) */
	cs_ptrvec inputs; /* lr_input* in reading order */
	cs_ptrvec dirs;   /* char* folders given (rescanned when following) */
	cs_strmap seen;   /* paths of inputs, to find new files */
	size_t cur;
	size_t max_record;
	/* --follow */
	bool follow, stopping;
	unsigned poll_ms;
	bool (*stop)(void *ud);
	void *stop_ud;
	bool round_had_event;
};

cs_err cs_logreader_new(cs_diag_sink *diag, cs_logreader **out)
{
	cs_err rc = CS_OK;
	cs_logreader *lr = cs_calloc(1, sizeof *lr);
	if (!lr) {
		rc = CS_ENOMEM;
		goto out;
	}
	lr->diag = diag;
	lr->max_record = LR_DEFAULT_MAX;
out:
	*out = lr;
	return rc;
}

static void input_close(lr_input *in)
{
	if (in->fd > 0)
		close(in->fd);
	else if (in->fd == 0 && strcmp(in->path, "-") != 0)
		close(in->fd);
	in->fd = -1;
	if (in->gz)
		inflateEnd(&in->z);
	in->gz = false;
	cs_free(in->raw);
	in->raw = NULL;
	cs_free(in->buf);
	in->buf = NULL;
	in->cap = in->start = in->end = 0;
}

static void input_free(lr_input *in)
{
	if (!in)
		return;
	input_close(in);
	cs_free(in->path);
	cs_free(in);
}

static void dir_free(lr_dir *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->names.n; i++)
		cs_free(d->names.v[i]);
	cs__ptrvec_release(&d->names);
	cs_free(d);
}

static void args_release(cs_logreader *lr)
{
	for (size_t i = 0; i < lr->args.n; i++) {
		lr_arg *a = lr->args.v[i];
		dir_free(a->top);
		cs_free(a->path);
		cs_free(a);
	}
	cs__ptrvec_release(&lr->args);
	lr->next_arg = 0;
}

void cs_logreader_free(cs_logreader *lr)
{
	if (!lr)
		return;
	for (size_t i = 0; i < lr->inputs.n; i++)
		input_free(lr->inputs.v[i]);
	for (size_t i = 0; i < lr->dirs.n; i++)
		cs_free(lr->dirs.v[i]);
	for (size_t i = 0; i < lr->stack.n; i++)
		dir_free(lr->stack.v[i]);
	args_release(lr);
	input_free(lr->in);
	cs__ptrvec_release(&lr->inputs);
	cs__ptrvec_release(&lr->dirs);
	cs__ptrvec_release(&lr->stack);
	cs__strmap_release(&lr->seen);
	cs_free(lr);
}

cs_err cs_logreader_set_max_record(cs_logreader *lr, size_t max)
{
	if (!lr || max < 64 || max > (SIZE_MAX >> 2))
		return CS_EINVAL;
	lr->max_record = max;
	return CS_OK;
}

static cs_err add_eager(cs_logreader *lr, const char *path, bool dir);

cs_err cs_logreader_follow(cs_logreader *lr, unsigned poll_ms, bool (*stop)(void *ud), void *ud)
{
	if (!lr || !stop)
		return CS_EINVAL;
	if (lr->next_arg || lr->in)
		return CS_EINVAL; /* reading has begun */
	cs_err rc = CS_OK;
	lr->follow = true;
	/* paths given before: kept as inputs, like those given from now on */
	for (size_t i = 0; i < lr->args.n && rc != CS_ENOMEM; i++) {
		lr_arg *a = lr->args.v[i];
		rc = add_eager(lr, a->path, a->dir);
	}
	args_release(lr);
	if (rc == CS_ENOMEM)
		return rc;
	lr->poll_ms = poll_ms ? poll_ms : 1;
	lr->stop = stop;
	lr->stop_ud = ud;
	return CS_OK;
}

static cs_err add_file(cs_logreader *lr, const char *path)
{
	cs_err rc = CS_OK;
	size_t len = strlen(path);
	if (cs__strmap_get(&lr->seen, path, len, NULL))
		return CS_OK;
	lr_input *in = cs_calloc(1, sizeof *in);
	char *p = cs_malloc(len + 1);
	if (!in || !p) {
		rc = CS_ENOMEM;
		goto fail;
	}
	memcpy(p, path, len + 1);
	in->path = p;
	in->fd = -1;
	in->line = 1;
	rc = cs__ptrvec_push(&lr->inputs, in);
	if (rc)
		goto fail;
	rc = cs__strmap_put(&lr->seen, in->path, len, in);
	return rc; /* the input is owned by lr from here on */
fail:
	cs_free(p);
	cs_free(in);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the folder `dir`, `depth` levels below a folder given: the full
 * paths of its entries sorted by name, hidden entries and CloudTrail-Digest
 * folders (integrity digests, not events) left out.  CS_EIO (diagnosed)
 * when it cannot be opened; beyond the depth limit CS_OK with *out NULL
 * (diagnosed). */
static cs_err list_dir(cs_logreader *lr, const char *dir, int depth, lr_dir **out)
{
	cs_err rc = CS_OK;
	DIR *d = NULL;
	lr_dir *ld = NULL;
	if (depth > LR_MAX_DIR_DEPTH) {
		cs_diag_emit(lr->diag, CS_SEV_WARNING, CS_ELIMIT, dir, 0, 0, NULL,
			     "folders nested deeper than %d levels are not read", LR_MAX_DIR_DEPTH);
		goto out;
	}
	d = opendir(dir);
	if (!d) {
		cs_diag_emit(lr->diag, CS_SEV_ERROR, CS_EIO, dir, 0, 0, NULL, "cannot open folder: %s",
			     strerror(errno));
		rc = CS_EIO;
		goto out;
	}
	if (!(ld = cs_calloc(1, sizeof *ld))) {
		rc = CS_ENOMEM;
		goto out;
	}
	ld->depth = depth;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, "CloudTrail-Digest") == 0)
			continue;
		size_t dl = strlen(dir), nl = strlen(de->d_name);
		char *full = cs_malloc(dl + nl + 2);
		if (!full) {
			rc = CS_ENOMEM;
			goto out;
		}
		memcpy(full, dir, dl);
		size_t k = dl;
		if (k == 0 || full[k - 1] != '/')
			full[k++] = '/';
		memcpy(full + k, de->d_name, nl + 1);
		if ((rc = cs__ptrvec_push(&ld->names, full)) != CS_OK) {
			cs_free(full);
			goto out;
		}
	}
	if (ld->names.n)
		qsort(ld->names.v, ld->names.n, sizeof ld->names.v[0], cmp_names);
out:
	if (d)
		closedir(d);
	if (rc) {
		dir_free(ld);
		ld = NULL;
	}
	*out = ld;
	return rc;
}

/* Following: adds the regular files under `dir`, in name order,
 * recursively, as inputs kept until the end. */
static cs_err walk(cs_logreader *lr, const char *dir, int depth)
{
	lr_dir *ld = NULL;
	cs_err rc = list_dir(lr, dir, depth, &ld);
	for (size_t i = 0; ld && i < ld->names.n && !rc; i++) {
		struct stat st;
		const char *full = ld->names.v[i];
		if (stat(full, &st) != 0)
			continue; /* vanished or a dangling link */
		if (S_ISDIR(st.st_mode))
			rc = walk(lr, full, depth + 1);
		else if (S_ISREG(st.st_mode))
			rc = add_file(lr, full);
		if (rc == CS_EIO)
			rc = CS_OK; /* already diagnosed; go on with the rest */
	}
	dir_free(ld);
	return rc;
}

/* Whether the walk of a folder reaches `rest`, a path relative to it: no
 * empty, hidden or CloudTrail-Digest component, within the depth limit. */
static bool walk_reaches(const char *rest)
{
	int comps = 0;
	for (;;) {
		const char *e = strchr(rest, '/');
		size_t n = e ? (size_t)(e - rest) : strlen(rest);
		if (n == 0 || rest[0] == '.' ||
		    (n == 17 && memcmp(rest, "CloudTrail-Digest", 17) == 0))
			return false;
		comps++;
		if (!e)
			break;
		rest = e + 1;
	}
	return comps - 1 <= LR_MAX_DIR_DEPTH;
}

/* Whether the file `path`, met while reading the k-th path given, was
 * already read for an earlier path given (the same file, or one under a
 * folder given before).  Decided on the path text, as a set of the paths
 * read would, without keeping one. */
static bool given_before(const cs_logreader *lr, size_t k, const char *path)
{
	for (size_t j = 0; j < k; j++) {
		const lr_arg *a = lr->args.v[j];
		size_t al = strlen(a->path);
		if (!a->dir) {
			if (strcmp(a->path, path) == 0)
				return true;
			continue;
		}
		if (strncmp(path, a->path, al) != 0)
			continue;
		const char *rest = path + al;
		if (al == 0 || a->path[al - 1] != '/') {
			if (*rest != '/')
				continue;
			rest++;
		}
		if (walk_reaches(rest))
			return true;
	}
	return false;
}

/* Not following: the next file to read, found lazily (one listing per
 * folder level open at a time).  *out is the caller's; NULL at the end. */
static cs_err next_path(cs_logreader *lr, char **out)
{
	cs_err rc = CS_OK;
	char *found = NULL;
	while (!found && !rc) {
		if (lr->stack.n) {
			lr_dir *top = lr->stack.v[lr->stack.n - 1];
			if (top->i >= top->names.n) {
				dir_free(top);
				lr->stack.n--;
				continue;
			}
			char *full = top->names.v[top->i];
			top->names.v[top->i++] = NULL;
			struct stat st;
			if (stat(full, &st) != 0) {
				/* vanished or a dangling link */
			} else if (S_ISDIR(st.st_mode)) {
				lr_dir *sub = NULL;
				rc = list_dir(lr, full, top->depth + 1, &sub);
				if (rc == CS_EIO)
					rc = CS_OK; /* diagnosed; go on with the rest */
				if (!rc && sub && (rc = cs__ptrvec_push(&lr->stack, sub)) != CS_OK)
					dir_free(sub);
			} else if (S_ISREG(st.st_mode) && !given_before(lr, lr->next_arg - 1, full)) {
				found = full;
				full = NULL;
			}
			cs_free(full);
			continue;
		}
		if (lr->next_arg >= lr->args.n)
			break;
		lr_arg *a = lr->args.v[lr->next_arg++];
		if (a->dir) {
			if (!a->top)
				continue;
			if ((rc = cs__ptrvec_push(&lr->stack, a->top)) == CS_OK)
				a->top = NULL; /* the stack owns it now */
		} else if (!given_before(lr, lr->next_arg - 1, a->path)) {
			size_t len = strlen(a->path);
			if (!(found = cs_malloc(len + 1)))
				rc = CS_ENOMEM;
			else
				memcpy(found, a->path, len + 1);
		}
	}
	*out = found;
	return rc;
}

/* Adds a path given for lazy reading; a folder is listed now (its top
 * level), so that a folder that cannot be opened is reported here. */
static cs_err add_arg(cs_logreader *lr, const char *path, bool dir)
{
	cs_err rc = CS_OK;
	size_t len = strlen(path);
	lr_arg *a = cs_calloc(1, sizeof *a);
	if (!a || !(a->path = cs_malloc(len + 1))) {
		rc = CS_ENOMEM;
		goto fail;
	}
	memcpy(a->path, path, len + 1);
	a->dir = dir;
	if (dir && (rc = list_dir(lr, path, 0, &a->top)) != CS_OK)
		goto fail;
	if ((rc = cs__ptrvec_push(&lr->args, a)) != CS_OK)
		goto fail;
	return rc;
fail:
	if (a) {
		dir_free(a->top);
		cs_free(a->path);
	}
	cs_free(a);
	return rc;
}

/* Following: adds a path given, its folder listed now and kept to be
 * listed again. */
static cs_err add_eager(cs_logreader *lr, const char *path, bool dir)
{
	cs_err rc = CS_OK;
	if (!dir)
		return add_file(lr, path);
	size_t len = strlen(path);
	char *copy = cs_malloc(len + 1);
	if (!copy) {
		rc = CS_ENOMEM;
		goto out;
	}
	memcpy(copy, path, len + 1);
	if ((rc = cs__ptrvec_push(&lr->dirs, copy)) != CS_OK) {
		cs_free(copy);
		goto out;
	}
	rc = walk(lr, path, 0);
out:
	return rc;
}

cs_err cs_logreader_add_path(cs_logreader *lr, const char *path)
{
	cs_err rc = CS_OK;
	struct stat st;
	bool dir = false;
	if (!lr || !path)
		return CS_EINVAL;
	if (strcmp(path, "-") != 0) {
		if (stat(path, &st) != 0) {
			rc = errno == ENOENT ? CS_ENOENT : CS_EIO;
			cs_diag_emit(lr->diag, CS_SEV_ERROR, rc, path, 0, 0, NULL, "cannot open: %s",
				     strerror(errno));
			goto out;
		}
		dir = S_ISDIR(st.st_mode);
	}
	rc = lr->follow ? add_eager(lr, path, dir) : add_arg(lr, path, dir);
out:
	return rc;
}

/* ---- reading ---------------------------------------------------------- */

static cs_err input_open(cs_logreader *lr, lr_input *in)
{
	cs_err rc = CS_OK;
	in->opened = true;
	if (strcmp(in->path, "-") == 0) {
		in->fd = 0;
	} else {
		in->fd = open(in->path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0) {
			rc = errno == ENOENT ? CS_ENOENT : CS_EIO;
			cs_diag_emit(lr->diag, CS_SEV_ERROR, rc, in->path, 0, 0, NULL, "cannot open: %s",
				     strerror(errno));
		}
	}
	return rc;
}

static cs_err read_raw(lr_input *in, void *dst, size_t n, size_t *got)
{
	ssize_t r;
	do
		r = read(in->fd, dst, n);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return CS_EIO;
	*got = (size_t)r;
	return CS_OK;
}

/* Appends decompressed bytes to the window.  *got = 0 means nothing more
 * for now (end of input, or of the file so far when following). */
static cs_err fill(cs_logreader *lr, lr_input *in, size_t *got)
{
	cs_err rc = CS_OK;
	*got = 0;
	if (in->start > 0) {
		memmove(in->buf, in->buf + in->start, in->end - in->start);
		in->base += in->start;
		in->end -= in->start;
		in->start = 0;
	}
	if (in->cap - in->end < LR_CHUNK / 4) {
		size_t limit = lr->max_record + LR_CHUNK;
		size_t ncap = in->cap ? in->cap * 2 : LR_CHUNK;
		if (ncap > limit)
			ncap = limit;
		if (ncap > in->cap) {
			char *nb = cs_realloc(in->buf, ncap);
			if (!nb)
				return CS_ENOMEM;
			in->buf = nb;
			in->cap = ncap;
		}
		if (in->cap == in->end)
			return CS_ELIMIT;
	}
	if (!in->gz_known) {
		unsigned char magic[2];
		size_t n = 0;
		if ((rc = read_raw(in, magic, 1, &n)) != CS_OK || n == 0)
			goto out;
		if (magic[0] != 0x1f) {
			in->buf[in->end++] = (char)magic[0];
			in->gz_known = true;
			*got = 1;
			goto out;
		}
		if ((rc = read_raw(in, magic + 1, 1, &n)) != CS_OK)
			goto out;
		in->gz_known = true;
		if (n == 0 || magic[1] != 0x8b) {
			in->buf[in->end++] = (char)magic[0];
			if (n)
				in->buf[in->end++] = (char)magic[1];
			*got = n + 1;
			goto out;
		}
		in->raw = cs_malloc(LR_RAW_CHUNK);
		if (!in->raw) {
			rc = CS_ENOMEM;
			goto out;
		}
		memset(&in->z, 0, sizeof in->z);
		if (inflateInit2(&in->z, 15 + 16) != Z_OK) {
			rc = CS_ENOMEM;
			goto out;
		}
		in->gz = true;
		in->raw[0] = magic[0];
		in->raw[1] = magic[1];
		in->z.next_in = in->raw;
		in->z.avail_in = 2;
	}
	if (!in->gz) {
		rc = read_raw(in, in->buf + in->end, in->cap - in->end, got);
		in->end += *got;
		goto out;
	}
	while (*got == 0) {
		if (in->z.avail_in == 0 && !in->raw_eof) {
			size_t n = 0;
			if ((rc = read_raw(in, in->raw, LR_RAW_CHUNK, &n)) != CS_OK)
				goto out;
			in->z.next_in = in->raw;
			in->z.avail_in = (uInt)n;
			if (n == 0)
				in->raw_eof = true;
		}
		if (in->z.avail_in == 0) {
			if (!in->gz_end) {
				cs_diag_emit(lr->diag, CS_SEV_ERROR, CS_EIO, in->path, 0, 0, NULL,
					     "truncated gzip file (ends after %llu decompressed bytes)",
					     (unsigned long long)(in->base + in->end));
				rc = CS_EIO;
			}
			goto out;
		}
		if (in->gz_end) { /* another gzip member follows */
			if (inflateReset(&in->z) != Z_OK) {
				rc = CS_EINTERNAL;
				goto out;
			}
			in->gz_end = false;
		}
		in->z.next_out = (Bytef *)(in->buf + in->end);
		in->z.avail_out = (uInt)(in->cap - in->end);
		int zr = inflate(&in->z, Z_NO_FLUSH);
		size_t made = (in->cap - in->end) - in->z.avail_out;
		in->end += made;
		*got = made;
		if (zr == Z_STREAM_END) {
			in->gz_end = true;
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			cs_diag_emit(lr->diag, CS_SEV_ERROR, CS_EIO, in->path, 0, 0, NULL,
				     "corrupt gzip data after %llu decompressed bytes: %s",
				     (unsigned long long)(in->base + in->end),
				     in->z.msg ? in->z.msg : "inflate failed");
			rc = CS_EIO;
			goto out;
		}
	}
out:
	if (rc == CS_EIO && !in->gz && errno)
		cs_diag_emit(lr->diag, CS_SEV_ERROR, CS_EIO, in->path, 0, 0, NULL, "read error: %s",
			     strerror(errno));
	return rc;
}

/* Whether an input at its end may still grow (following a plain file). */
static bool waiting(const cs_logreader *lr, const lr_input *in)
{
	return lr->follow && !lr->stopping && !in->gz && strcmp(in->path, "-") != 0;
}

/* Moves the window start forward by k bytes, counting the lines passed. */
static void consume(lr_input *in, size_t k)
{
	if (k == 0)
		return;
	const char *p = in->buf + in->start, *e = p + k;
	while (p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		in->line++;
		p++;
		in->line_off = in->base + (uint64_t)(p - in->buf);
	}
	in->start += k;
}

/* consume() for k bytes the scanner passed, in which it counted `lines`
 * newlines. */
static void consume_counted(lr_input *in, size_t k, uint64_t lines)
{
	if (lines) { /* the last of them starts the line (often near the end) */
		size_t i = in->start + k;
		while (i > in->start && in->buf[i - 1] != '\n')
			i--;
		in->line_off = in->base + i;
	}
	in->line += (uint32_t)lines;
	in->start += k;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Skips whitespace (and a UTF-8 byte order mark at the very start). */
static cs_err skip_space(cs_logreader *lr, lr_input *in, bool *at_eof)
{
	cs_err rc = CS_OK;
	*at_eof = false;
	for (;;) {
		if (in->base == 0 && in->start == 0 && in->end >= 3 &&
		    memcmp(in->buf, "\xEF\xBB\xBF", 3) == 0) {
			in->start = 3;
			in->line_off = 3; /* columns count after the mark, as the JSON reader's */
		}
		size_t i = in->start;
		while (i < in->end && is_ws(in->buf[i]))
			i++;
		consume(in, i - in->start);
		/* fewer than 3 bytes that may begin a byte order mark: read on */
		bool maybe_bom = in->base == 0 && in->start == 0 && in->end > 0 && in->end < 3 &&
				 (unsigned char)in->buf[0] == 0xEF;
		if (in->start < in->end && !maybe_bom)
			break;
		size_t got;
		if ((rc = fill(lr, in, &got)) != CS_OK)
			break;
		if (got == 0) {
			*at_eof = in->start >= in->end;
			break;
		}
	}
	return rc;
}

static void diag_at(cs_logreader *lr, lr_input *in, cs_severity sev, cs_err code, uint64_t off,
		    uint32_t line, const char *why)
{
	cs_diag_emit(lr->diag, sev, code, in->path, line, 0, NULL, "byte offset %llu: %s",
		     (unsigned long long)off, why);
}

/* Diagnoses a record at stream offset `off`, line `line`, longer than the
 * limit.  Out of line: its message buffer would give the readers' loops a
 * larger frame, with a stack guard. */
LR_NOINLINE static void diag_too_long(cs_logreader *lr, lr_input *in, uint64_t off, uint32_t line)
{
	char msg[128];
	snprintf(msg, sizeof msg, "record longer than the limit of %zu bytes; skipped", lr->max_record);
	diag_at(lr, in, CS_SEV_ERROR, CS_ELIMIT, off, line, msg);
}

/* The byte column of buf[start] on the reader's current line. */
static uint32_t col_here(const lr_input *in)
{
	uint64_t off = in->base + in->start;
	if (off < in->line_off || off - in->line_off >= UINT32_MAX)
		return 0;
	return (uint32_t)(off - in->line_off) + 1;
}

/* The event of the classified record c (c->json in in's window) at line
 * `line`, column `col`. */
static inline void set_event(const lr_input *in, cs_event *ev, const cs_lr_class *c, uint32_t line,
			     uint32_t col)
{
	ev->json = c->json;
	ev->len = c->len;
	ev->file = in->path;
	ev->offset = in->base + (uint64_t)(c->json - in->buf);
	ev->line = line;
	ev->col = col;
	ev->product = c->product;
	ev->service = c->service;
	ev->time_ms = c->time_ms;
}

/* emit() for a record that does not start as CloudTrail's compact
 * records do (cs__lr_cloudtrail_head said no): the whole classification.
 * Out of line, so that the usual record's path keeps a small frame. */
LR_NOINLINE LR_FLATTEN static bool emit_other(cs_logreader *lr, lr_input *in, const char *p,
					      size_t n, uint32_t line, uint32_t col,
					      const cs_lr_scan *framed, cs_event *ev)
{
	cs_lr_class c;
	const char *why = NULL;
	uint64_t off = in->base + (uint64_t)(p - in->buf);
	cs_err rc = cs__lr_classify_rest(p, n, framed, &in->tc, &c, &why);
	if (rc == CS_EFORMAT) {
		if (in->unknown++ == 0)
			in->unknown_off = off;
		return false;
	}
	if (rc) {
		/* where the problem is: its line and column from the record's */
		size_t at = c.err_at < n ? c.err_at : 0, last = SIZE_MAX;
		uint32_t pline = line;
		for (size_t i = 0; i < at; i++) {
			if (p[i] == '\n') {
				pline++;
				last = i;
			}
		}
		uint32_t pcol = last != SIZE_MAX ? (uint32_t)(at - last) : col ? col + (uint32_t)at : 0;
		cs_diag_emit(lr->diag, CS_SEV_ERROR, CS_ESYNTAX, in->path, line ? pline : 0,
			     line ? pcol : 0, NULL,
			     "byte offset %llu: malformed record skipped: %s (at byte offset %llu)",
			     (unsigned long long)off, why, (unsigned long long)(off + at));
		return false;
	}
	/* EventBridge: the detail's column, when it is on the record's line */
	uint32_t dcol = c.json == p ? col
			: col && !memchr(p, '\n', (size_t)(c.json - p)) ? col + (uint32_t)(c.json - p)
								 : 0;
	set_event(in, ev, &c, line, dcol);
	return true;
}

/* Turns one record into an event; false when it is skipped.  `line` and
 * `col`: where p starts (col 0: unknown).  `framed`: the scan that framed
 * it, or NULL (a line).  Flattened: the check of CloudTrail's usual
 * start (another file) is inlined with what it calls, so the common
 * record runs without calls but the skip's and the time's slow paths. */
LR_FLATTEN static bool emit(cs_logreader *lr, lr_input *in, const char *p, size_t n, uint32_t line,
			    uint32_t col, const cs_lr_scan *framed, cs_event *ev)
{
	cs_lr_class c = { "aws", "cloudtrail", p, n, INT64_MIN, 0 };
	if (!cs__lr_cloudtrail_head(p, n, framed, &in->tc, &c.time_ms))
		return emit_other(lr, in, p, n, line, col, framed, ev);
	set_event(in, ev, &c, line, col);
	return true;
}

/* Whether p[0..e) (from a '{') begins a {"Records": [ or {"records": [
 * wrapper: the length up to and with the '[' when it does, 0 when it does
 * not, -1 when the bytes end before that is decided. */
static int wrapper_start(const char *p, const char *e)
{
	const char *q = p + 1;
	while (q < e && is_ws(*q))
		q++;
	if (e - q < 9)
		return -1;
	if (memcmp(q, "\"Records\"", 9) != 0 && memcmp(q, "\"records\"", 9) != 0)
		return 0;
	const char *r = q + 9;
	while (r < e && is_ws(*r))
		r++;
	if (r < e && *r == ':') {
		r++;
		while (r < e && is_ws(*r))
			r++;
		if (r < e)
			return *r == '[' ? (int)(r + 1 - p) : 0;
	} else if (r < e) {
		return 0;
	}
	return -1;
}

/* fill() while looking ahead to decide the layout: a window already at its
 * size limit has read all it may (got 0), which is not an error here. */
static cs_err peek_fill(cs_logreader *lr, lr_input *in, size_t *got)
{
	cs_err rc = fill(lr, in, got);
	return rc == CS_ELIMIT ? CS_OK : rc;
}

/* Decides the layout from the first bytes: wrapper, array, lines or
 * concatenated objects. */
static cs_err detect_layout(cs_logreader *lr, lr_input *in)
{
	cs_err rc = CS_OK;
	bool eof;
	if ((rc = skip_space(lr, in, &eof)) != CS_OK || eof) {
		if (!rc && waiting(lr, in))
			goto out;
		in->mode = M_DONE;
		goto out;
	}
	char c = in->buf[in->start];
	if (c == '[') {
		consume(in, 1);
		in->mode = M_ARRAY;
		goto out;
	}
	if (c != '{') {
		size_t got = 1;
		while (got && in->end - in->start < 512 && fill(lr, in, &got) == CS_OK)
			;
		diag_at(lr, in, CS_SEV_ERROR, CS_EFORMAT, in->base + in->start, in->line,
			memchr(in->buf + in->start, 0, in->end - in->start)
				? "not a JSON log: binary file"
				: "not a JSON log: a JSON object or array expected");
		rc = CS_EFORMAT;
		in->mode = M_DONE;
		goto out;
	}
	/* A wrapper is told by its first bytes: read until they decide. */
	for (;;) {
		int w = wrapper_start(in->buf + in->start, in->buf + in->end);
		if (w > 0) {
			consume(in, (size_t)w);
			in->mode = M_ARRAY;
			memset(&in->scan, 0, sizeof in->scan);
			/* the wrapper object stays open: one level, an object */
			in->scan.depth = 1;
			in->scan.stack[0] = 1;
			in->wrapper = true;
			goto out;
		}
		if (w == 0)
			break;
		size_t got;
		if ((rc = peek_fill(lr, in, &got)) != CS_OK)
			goto out;
		if (got == 0)
			break;
	}
	/* Enough bytes to see the first key, and up to the first newline. */
	for (;;) {
		const char *nl = memchr(in->buf + in->start, '\n', in->end - in->start);
		if ((nl && nl - (in->buf + in->start) > 64) || in->end - in->start > lr->max_record)
			break;
		if (nl && in->end - in->start > 64)
			break;
		size_t got;
		if ((rc = peek_fill(lr, in, &got)) != CS_OK)
			goto out;
		if (got == 0)
			break;
	}
	const char *p = in->buf + in->start, *e = in->buf + in->end;
	/* JSON lines when the first object ends on its first line. */
	const char *nl = memchr(p, '\n', (size_t)(e - p));
	cs_lr_scan s;
	size_t pos = 0;
	const char *why;
	memset(&s, 0, sizeof s);
	in->mode = cs__lr_scan(&s, p, nl ? (size_t)(nl - p) : (size_t)(e - p), &pos, &why) !=
				   CS_LR_MORE || !nl
			   ? M_LINES
			   : M_VALUES;
out:
	return rc;
}

/* fill() for next_line: CS_ENOENT when nothing more was read for now.
 * Out of line, so that next_line takes no address of its own. */
LR_NOINLINE static cs_err fill_lines(cs_logreader *lr, lr_input *in)
{
	size_t got = 0;
	cs_err rc = fill(lr, in, &got);
	if (rc == CS_OK && got == 0)
		rc = CS_ENOENT;
	return rc;
}

/* One record per line. */
static cs_err next_line(cs_logreader *lr, lr_input *in, cs_event *ev, bool *have)
{
	cs_err rc = CS_OK;
	*have = false;
	while (!*have) {
		char *p = in->buf + in->start;
		size_t avail = in->end - in->start;
		char *nl = in->scan_pos < avail ? memchr(p + in->scan_pos, '\n', avail - in->scan_pos) : NULL;
		if (!nl) {
			in->scan_pos = avail;
			if (in->skipping) {
				consume(in, avail);
				in->scan_pos = 0;
			} else if (avail > lr->max_record) {
				diag_too_long(lr, in, in->base + in->start, in->line);
				in->skipping = true;
				continue;
			}
			rc = fill_lines(lr, in);
			if (rc == CS_OK)
				continue; /* bytes were added */
			if (rc != CS_ENOENT)
				goto out;
			rc = CS_OK;
			if (waiting(lr, in))
				goto out; /* wait for the rest of the line */
			avail = in->end - in->start;
			if (avail == 0 || in->skipping) {
				in->skipping = false;
				in->mode = M_DONE;
				goto out;
			}
			nl = in->buf + in->end; /* the last line has no newline */
			p = in->buf + in->start;
		}
		size_t len = (size_t)(nl - p);
		uint32_t line = in->line;
		bool skipped = in->skipping;
		in->skipping = false;
		in->scan_pos = 0;
		in->start += len + (nl < in->buf + in->end);
		in->line++;
		in->line_off = in->base + in->start;
		if (skipped)
			continue;
		if (len > lr->max_record) {
			diag_too_long(lr, in, in->base + (uint64_t)(p - in->buf), line);
			continue;
		}
		while (len && is_ws(p[len - 1]))
			len--;
		size_t lead = 0;
		while (lead < len && is_ws(p[lead]))
			lead++;
		if (lead == len)
			continue;
		*have = emit(lr, in, p + lead, len - lead, line, (uint32_t)lead + 1, NULL, ev);
	}
out:
	return rc;
}

/* One JSON object framed by the scanner (array elements, concatenated
 * objects).  An element that breaks the structure ends the file. */
static cs_err next_framed(cs_logreader *lr, lr_input *in, cs_event *ev, bool *have)
{
	cs_err rc = CS_OK;
	bool eof;
	*have = false;
	while (!*have && in->mode != M_DONE) {
		if (in->scan_pos == 0 && !in->skipping) {
			if ((rc = skip_space(lr, in, &eof)) != CS_OK)
				goto out;
			if (eof) {
				if (waiting(lr, in))
					goto out;
				if (in->mode != M_VALUES)
					diag_at(lr, in, CS_SEV_ERROR, CS_ESYNTAX, in->base + in->start, in->line,
						"file ends inside the records array");
				in->mode = M_DONE;
				goto out;
			}
			char c = in->buf[in->start];
			if (in->mode == M_ARRAY) {
				if (c == ']' && !in->after_comma) {
					consume(in, 1);
					in->need_sep = false;
					if (in->wrapper) { /* close the wrapper */
						in->wrapper = false;
						in->mode = M_WRAP_TAIL;
						in->scan_pos = 0;
					} else {
						in->mode = M_VALUES;
					}
					continue;
				}
				if (in->need_sep) {
					if (c != ',') {
						diag_at(lr, in, CS_SEV_ERROR, CS_ESYNTAX, in->base + in->start, in->line,
							"',' or ']' expected between records; rest of file skipped");
						in->mode = M_DONE;
						goto out;
					}
					consume(in, 1);
					in->need_sep = false;
					in->after_comma = true;
					continue;
				}
			}
			if (in->mode == M_WRAP_TAIL) {
				/* the rest of the wrapper: skip its other members */
				size_t pos = 0;
				const char *why = NULL;
				cs_lr_res r;
				in->scan.depth = 1;
				in->scan.stack[0] = 1;
				in->scan.in_str = in->scan.esc = 0;
				for (;;) {
					pos = 0;
					r = cs__lr_scan(&in->scan, in->buf + in->start, in->end - in->start, &pos, &why);
					consume(in, pos);
					if (r != CS_LR_MORE)
						break;
					size_t got;
					if ((rc = fill(lr, in, &got)) != CS_OK)
						goto out;
					if (got == 0) {
						why = "file ends inside the wrapper object";
						r = CS_LR_ERR;
						break;
					}
				}
				if (r == CS_LR_ERR) {
					diag_at(lr, in, CS_SEV_ERROR, CS_ESYNTAX, in->base + in->start, in->line, why);
					in->mode = M_DONE;
					goto out;
				}
				in->mode = M_VALUES;
				continue;
			}
			if (c != '{') {
				diag_at(lr, in, CS_SEV_ERROR, CS_ESYNTAX, in->base + in->start, in->line,
					"a record must be a JSON object; rest of file skipped");
				in->mode = M_DONE;
				goto out;
			}
			memset(&in->scan, 0, sizeof in->scan);
		}
		size_t pos = in->scan_pos;
		const char *why = NULL;
		cs_lr_res r = cs__lr_scan(&in->scan, in->buf + in->start, in->end - in->start, &pos, &why);
		if (r == CS_LR_DONE) {
			char *p = in->buf + in->start;
			uint32_t line = in->line, col = col_here(in);
			bool skipped = in->skipping;
			in->scan_pos = 0;
			in->skipping = false;
			in->need_sep = in->mode == M_ARRAY;
			in->after_comma = false;
			consume_counted(in, pos, in->scan.newlines);
			if (!skipped)
				*have = emit(lr, in, p, pos, line, col, &in->scan, ev);
			continue;
		}
		if (r == CS_LR_ERR) {
			char msg[160];
			snprintf(msg, sizeof msg, "malformed record: %s; rest of file skipped", why);
			diag_at(lr, in, CS_SEV_ERROR, CS_ESYNTAX, in->base + in->start + pos, 0, msg);
			in->mode = M_DONE;
			goto out;
		}
		in->scan_pos = pos;
		if (!in->skipping && pos > lr->max_record) {
			diag_too_long(lr, in, in->base + in->start, in->line);
			in->skipping = true;
		}
		if (in->skipping) { /* keep scanning, drop what was scanned */
			consume_counted(in, pos, in->scan.newlines);
			in->scan.newlines = 0;
			in->scan_pos = 0;
		}
		size_t got;
		if ((rc = fill(lr, in, &got)) != CS_OK)
			goto out;
		if (got == 0 && waiting(lr, in))
			goto out;
		if (got == 0) {
			diag_at(lr, in, CS_SEV_ERROR, CS_ESYNTAX, in->base + in->start, in->line,
				"file ends inside a record");
			in->mode = M_DONE;
			goto out;
		}
	}
out:
	return rc;
}

/* Reopens a followed plain file where reading stopped.  A file now shorter
 * than that was truncated or replaced: it is read again from the start. */
static cs_err reopen(cs_logreader *lr, lr_input *in)
{
	cs_err rc = CS_OK;
	struct stat st;
	in->fd = open(in->path, O_RDONLY | O_CLOEXEC);
	if (in->fd < 0) {
		rc = CS_EIO;
		cs_diag_emit(lr->diag, CS_SEV_ERROR, rc, in->path, 0, 0, NULL, "cannot open: %s",
			     strerror(errno));
		goto out;
	}
	if (fstat(in->fd, &st) == 0 && (uint64_t)st.st_size < in->base) {
		cs_diag_emit(lr->diag, CS_SEV_NOTE, CS_OK, in->path, 0, 0, NULL,
			     "file shrank while followed: read again from the start");
		in->base = 0;
		in->line = 1;
		in->line_off = 0;
		in->mode = M_START;
	}
	if (lseek(in->fd, (off_t)in->base, SEEK_SET) < 0) {
		rc = CS_EIO;
		cs_diag_emit(lr->diag, CS_SEV_ERROR, rc, in->path, 0, 0, NULL, "cannot seek: %s",
			     strerror(errno));
	}
out:
	return rc;
}

/* Ends an input: reports skipped records of unknown format, frees it. */
static void input_finish(cs_logreader *lr, lr_input *in)
{
	if (in->unknown)
		cs_diag_emit(lr->diag, CS_SEV_WARNING, CS_EFORMAT, in->path, 0, 0, NULL,
			     "%llu record(s) of no known log format skipped (first at byte offset %llu)",
			     (unsigned long long)in->unknown, (unsigned long long)in->unknown_off);
	in->unknown = 0;
	in->finished = true;
	input_close(in);
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		break; /* a signal: let the caller look at its stop flag */
}

/* A following round found nothing: wait, look for new files, or stop. */
static cs_err follow_round(cs_logreader *lr)
{
	cs_err rc = CS_OK;
	if (!lr->round_had_event) {
		if (!lr->stop(lr->stop_ud))
			sleep_ms(lr->poll_ms);
		if (lr->stop(lr->stop_ud))
			lr->stopping = true; /* one last round takes unterminated lines */
	}
	for (size_t i = 0; i < lr->dirs.n && !rc; i++) {
		rc = walk(lr, lr->dirs.v[i], 0);
		if (rc == CS_EIO)
			rc = CS_OK;
	}
	lr->round_had_event = false;
	lr->cur = 0;
	return rc;
}

/* The end of a step of `in` that read with result rc (*have: an event was
 * read): an input read to its end (for now, when following) is finished
 * unless it may still grow.  Only CS_ENOMEM is returned. */
static cs_err input_after(cs_logreader *lr, lr_input *in, cs_err rc, bool have)
{
	if (rc == CS_ENOMEM || have)
		return rc == CS_ENOMEM ? rc : CS_OK;
	if (rc || in->mode == M_DONE || !waiting(lr, in)) {
		input_finish(lr, in);
	} else if (in->start == in->end) {
		/* idle while following: keep neither the window nor the file
		 * open (a folder may hold many files); reopen at this offset */
		cs_free(in->buf);
		in->buf = NULL;
		in->base += in->start;
		in->cap = in->start = in->end = 0;
		close(in->fd);
		in->fd = -1;
	}
	return CS_OK;
}

/* Reads the next event of `in` into *ev (*have), or reads `in` to its end
 * (for now, when following), finishing it unless it may still grow.
 * Problems are diagnosed; only CS_ENOMEM is returned. */
static cs_err input_step(cs_logreader *lr, lr_input *in, cs_event *ev, bool *have)
{
	cs_err rc = CS_OK;
	*have = false;
	if (in->finished)
		goto out;
	if (in->opened && in->fd < 0 && reopen(lr, in) != CS_OK) {
		input_finish(lr, in);
		goto out;
	}
	if (!in->opened && input_open(lr, in) != CS_OK) {
		input_finish(lr, in);
		goto out;
	}
	/* the window exists before any scan: the scanners do pointer
	 * arithmetic on it, undefined on NULL even with an offset of 0 */
	if (!in->buf) {
		if (!(in->buf = cs_malloc(LR_CHUNK))) {
			rc = CS_ENOMEM;
			goto out;
		}
		in->cap = LR_CHUNK;
		in->start = in->end = 0;
	}
	if (in->mode == M_START)
		rc = detect_layout(lr, in);
	if (rc == CS_OK && in->mode == M_LINES)
		rc = next_line(lr, in, ev, have);
	else if (rc == CS_OK && in->mode != M_START && in->mode != M_DONE)
		rc = next_framed(lr, in, ev, have);
	rc = input_after(lr, in, rc, *have);
out:
	return rc;
}

/* Not following: makes lr->in the next file to read; CS_ENOENT at the
 * end.  Out of line: called once per file, not per event. */
LR_NOINLINE static cs_err next_input(cs_logreader *lr)
{
	char *path = NULL;
	cs_err rc = next_path(lr, &path);
	if (rc == CS_OK && !path)
		rc = CS_ENOENT;
	if (rc == CS_OK && !(lr->in = cs_calloc(1, sizeof *lr->in))) {
		cs_free(path);
		rc = CS_ENOMEM;
	}
	if (rc == CS_OK) {
		lr->in->path = path;
		lr->in->fd = -1;
		lr->in->line = 1;
	}
	return rc;
}

/* Not following: the next event of the inputs, each input made when its
 * turn comes and freed once read. */
static cs_err next_lazy(cs_logreader *lr, cs_event *ev)
{
	cs_err rc = CS_OK;
	bool have = false;
	while (!have) {
		if (!lr->in && (rc = next_input(lr)) != CS_OK)
			goto out;
		lr_input *in = lr->in;
		if (in->mode == M_LINES && in->buf) {
			/* the usual step, straight to the line (not following,
			 * an input reading lines is open and not finished) */
			rc = next_line(lr, in, ev, &have);
			rc = input_after(lr, in, rc, have);
		} else {
			rc = input_step(lr, in, ev, &have);
		}
		if (rc != CS_OK)
			goto out;
		if (!have) { /* read to its end (not following: finished) */
			input_free(lr->in);
			lr->in = NULL;
		}
	}
out:
	return rc;
}

cs_err cs_logreader_next(cs_logreader *lr, cs_event *ev)
{
	cs_err rc = CS_OK;
	if (!lr || !ev)
		return CS_EINVAL;
	if (!lr->follow)
		return next_lazy(lr, ev);
	for (;;) {
		if (lr->cur >= lr->inputs.n) {
			if (lr->stopping) {
				rc = CS_ENOENT; /* the last round is done */
				goto out;
			}
			if ((rc = follow_round(lr)) != CS_OK)
				goto out;
			continue;
		}
		lr_input *in = lr->inputs.v[lr->cur];
		bool have = false;
		if ((rc = input_step(lr, in, ev, &have)) != CS_OK)
			goto out;
		if (have) {
			lr->round_had_event = true;
			goto out;
		}
		lr->cur++;
	}
out:
	return rc;
}
