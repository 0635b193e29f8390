/*
 * cmd_detect.c - `cshare detect [options] PATH...`: compile the Sigma rules,
 * read the logs, match every event, write the alerts and a per-rule
 * summary, exit with a documented code.
 *
 * With -j N the main thread reads and packs events into batches (copies of
 * the records); N workers, each with its own matcher over the shared
 * compiled rule set in deferred mode (cs_matcher_defer), take batches from
 * a bounded queue and match them: detection alerts are formatted into the
 * batch, correlation steps logged with it.  A sequencer thread takes the
 * matched batches in input order, replays their logs into one more matcher
 * that runs every correlation (cs_matcher_replay) and writes the batch's
 * alerts with the correlation alerts spliced in where one matcher would
 * have raised them: the output is byte for byte that of -j 1.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "cshare/detect.h"

#define MAX_RULE_DIRS 64
#define MAX_JOBS 256
#define BATCH_BYTES (4u << 20)
#define BATCH_EVENTS 8192u
#define FLUSH_AT (1u << 20)

/* ---- diagnostics (shared by threads) ------------------------------------ */

static pthread_mutex_t err_lock = PTHREAD_MUTEX_INITIALIZER;
static cli_diag_filter dfilter;

/* The workers' diagnostics, one line at a time. */
static void print_diag(void *ud, const cs_diag *d)
{
	(void)ud;
	pthread_mutex_lock(&err_lock);
	cli_print_diag_filtered(&dfilter, d);
	pthread_mutex_unlock(&err_lock);
}

/* ---- --follow: SIGINT ends the stream ------------------------------------- */

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static bool stop_following(void *ud)
{
	(void)ud;
	return interrupted != 0;
}

/* ---- output ----------------------------------------------------------------- */

typedef struct output {
	FILE *f;
	pthread_mutex_t lock;
	cs_alert_opts opts;
	bool failed;
} output;

/* Writes b to the output (under the lock) and empties it. */
static void out_flush(output *o, cs_buf *b)
{
	if (!b->len)
		return;
	pthread_mutex_lock(&o->lock);
	if (fwrite(b->data, 1, b->len, o->f) != b->len)
		o->failed = true;
	pthread_mutex_unlock(&o->lock);
	b->len = 0;
}

/* One matcher and what it produced. */
typedef struct worker {
	pthread_t th;
	cs_matcher *m;
	cs_buf buf; /* alerts not yet written */
	cs_diag_sink diag;
	output *out;
	uint64_t alerts, events, bad_events;
	cs_err err;
	struct queue *q;
	struct batch *cur; /* -j N: the batch being matched (alerts go there) */
} worker;

static void on_alert(void *ud, const cs_alert *a);

static void feed(worker *w, const cs_event *ev)
{
	cs_err rc = cs_matcher_feed(w->m, ev, &w->diag);
	w->events++;
	if (rc == CS_ENOMEM && w->err == CS_OK)
		w->err = rc;
	else if (rc)
		w->bad_events++;
	if (w->buf.len >= FLUSH_AT)
		out_flush(w->out, &w->buf);
}

/* ---- batches and the queue (-j N) ------------------------------------------- */

typedef struct batch {
	char *data;
	size_t len, cap;
	cs_event ev[BATCH_EVENTS];
	size_t n;
	struct batch *next;
	uint64_t seq;  /* position in the input */
	bool matched;  /* a worker is done with it */
	cs_buf out;    /* its detection alerts, formatted */
	size_t *ends;  /* end of each alert in out */
	size_t nends, capends;
	cs_buf log;    /* its correlation steps (cs_matcher_defer) */
	cs_err err;
} batch;

typedef struct queue {
	pthread_mutex_t lock;
	pthread_cond_t ready, freed, matched;
	batch *full_head, *full_tail, *free_list;
	batch *all;
	size_t nall;
	uint64_t given; /* batches handed to the workers */
	bool done;
} queue;

static void on_alert(void *ud, const cs_alert *a)
{
	worker *w = ud;
	batch *b = w->cur;
	w->alerts++;
	if (!b) {
		if (w->err == CS_OK)
			w->err = cs_alert_write(&w->buf, &w->out->opts, a);
		return;
	}
	if (b->nends == b->capends) {
		size_t nc = b->capends ? 2 * b->capends : 1024;
		size_t *ne = realloc(b->ends, nc * sizeof *ne);
		if (!ne) {
			b->err = CS_ENOMEM;
			return;
		}
		b->ends = ne;
		b->capends = nc;
	}
	if (b->err == CS_OK)
		b->err = cs_alert_write(&b->out, &w->out->opts, a);
	b->ends[b->nends++] = b->out.len;
}

static batch *batch_take(queue *q, bool full)
{
	batch *b = NULL;
	pthread_mutex_lock(&q->lock);
	if (full) {
		while (!q->full_head && !q->done)
			pthread_cond_wait(&q->ready, &q->lock);
		if ((b = q->full_head) != NULL) {
			q->full_head = b->next;
			if (!q->full_head)
				q->full_tail = NULL;
		}
	} else {
		while (!q->free_list)
			pthread_cond_wait(&q->freed, &q->lock);
		b = q->free_list;
		q->free_list = b->next;
	}
	pthread_mutex_unlock(&q->lock);
	return b;
}

static void batch_give(queue *q, batch *b, bool full)
{
	pthread_mutex_lock(&q->lock);
	b->next = NULL;
	if (full) {
		b->seq = q->given++;
		if (q->full_tail)
			q->full_tail->next = b;
		else
			q->full_head = b;
		q->full_tail = b;
		pthread_cond_signal(&q->ready);
	} else {
		b->n = b->len = 0;
		b->next = q->free_list;
		q->free_list = b;
		pthread_cond_signal(&q->freed);
	}
	pthread_mutex_unlock(&q->lock);
}

static void *worker_main(void *arg)
{
	worker *w = arg;
	batch *b;
	while ((b = batch_take(w->q, true)) != NULL) {
		b->out.len = b->log.len = 0;
		b->nends = 0;
		b->err = CS_OK;
		w->cur = b;
		cs_matcher_defer(w->m, &b->log);
		for (size_t i = 0; i < b->n; i++)
			feed(w, &b->ev[i]);
		cs_matcher_defer(w->m, NULL);
		w->cur = NULL;
		pthread_mutex_lock(&w->q->lock);
		b->matched = true;
		pthread_cond_broadcast(&w->q->matched);
		pthread_mutex_unlock(&w->q->lock);
	}
	return NULL;
}

/* The sequencer: batches in input order, correlations on one matcher. */
typedef struct sequencer {
	pthread_t th;
	queue *q;
	worker *cw;      /* the correlation matcher; its buf is the output */
	batch *b;        /* the batch being replayed */
	size_t written;  /* alerts of b already in cw->buf */
} sequencer;

/* Moves the batch's alerts before number n into the output. */
static void seq_sync(void *ud, uint64_t n)
{
	sequencer *s = ud;
	batch *b = s->b;
	if (n > b->nends)
		n = b->nends;
	if (n <= s->written)
		return;
	size_t from = s->written ? b->ends[s->written - 1] : 0, to = b->ends[n - 1];
	if (s->cw->err == CS_OK)
		s->cw->err = cs_buf_append(&s->cw->buf, b->out.data + from, to - from);
	s->written = (size_t)n;
	if (s->cw->buf.len >= FLUSH_AT)
		out_flush(s->cw->out, &s->cw->buf);
}

static void *seq_main(void *arg)
{
	sequencer *s = arg;
	queue *q = s->q;
	for (uint64_t next = 0;; next++) {
		batch *b = NULL;
		pthread_mutex_lock(&q->lock);
		for (;;) {
			for (size_t i = 0; i < q->nall && !b; i++)
				if (q->all[i].matched && q->all[i].seq == next)
					b = &q->all[i];
			if (b || (q->done && next >= q->given))
				break;
			pthread_cond_wait(&q->matched, &q->lock);
		}
		pthread_mutex_unlock(&q->lock);
		if (!b)
			break;
		s->b = b;
		s->written = 0;
		cs_err rc = cs_matcher_replay(s->cw->m, &b->log, seq_sync, s, &s->cw->diag);
		seq_sync(s, b->nends);
		if ((rc == CS_ENOMEM || b->err == CS_ENOMEM) && s->cw->err == CS_OK)
			s->cw->err = CS_ENOMEM;
		out_flush(s->cw->out, &s->cw->buf);
		b->matched = false;
		batch_give(q, b, false);
	}
	return NULL;
}

/* ---- summary ----------------------------------------------------------------- */

typedef struct rule_count {
	const char *id;
	uint64_t n;
} rule_count;

static int by_count(const void *a, const void *b)
{
	const rule_count *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->id, y->id);
}

static void summary(FILE *f, worker *ws, size_t nw, uint64_t events, uint64_t bytes, double secs,
		    size_t nrules)
{
	uint64_t alerts = 0;
	size_t nr = cs_matcher_rule_count(ws[0].m), k = 0;
	rule_count *rc = calloc(nr ? nr : 1, sizeof *rc);
	for (size_t i = 0; i < nw; i++)
		alerts += ws[i].alerts;
	fprintf(f, "summary: %llu events (%.1f MB) in %.2f s, %zu rules, %llu alerts\n",
		(unsigned long long)events, (double)bytes / 1e6, secs, nrules,
		(unsigned long long)alerts);
	if (!rc)
		return;
	for (size_t i = 0; i < nr; i++) {
		uint64_t sum = 0, n = 0;
		const char *id = NULL;
		for (size_t j = 0; j < nw; j++) {
			id = cs_matcher_rule_id(ws[j].m, i, &n);
			sum += n;
		}
		if (sum && id)
			rc[k++] = (rule_count){ id, sum };
	}
	qsort(rc, k, sizeof *rc, by_count);
	for (size_t i = 0; i < k; i++)
		fprintf(f, "  %8llu  %s\n", (unsigned long long)rc[i].n, rc[i].id);
	free(rc);
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum { O_RULES = 256, O_STRICT, O_FOLLOW, O_COLOR, O_NO_COLOR, O_MAPPINGS, O_MAX_RECORD,
       O_LATENESS };

/* "90", "90s", "15m", "1h", "2d" -> ms; -1 when not a duration. */
static long long parse_duration(const char *s)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	long long mul = 1000;
	if (errno || end == s || v < 0)
		return -1;
	if (*end == 'm')
		mul = 60 * 1000;
	else if (*end == 'h')
		mul = 3600 * 1000;
	else if (*end == 'd')
		mul = 86400 * 1000;
	if (*end && *end != 's' && mul == 1000)
		return -1;
	if (*end && end[1])
		return -1;
	if (v > 366LL * 86400 * 1000 / mul)
		return -1;
	return v * mul;
}

int cmd_detect(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, O_RULES },
		{ "mappings", required_argument, NULL, O_MAPPINGS },
		{ "strict", no_argument, NULL, O_STRICT },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "follow", no_argument, NULL, O_FOLLOW },
		{ "max-record-size", required_argument, NULL, O_MAX_RECORD },
		{ "lateness", required_argument, NULL, O_LATENESS },
		{ "color", required_argument, NULL, O_COLOR },
		{ "no-color", no_argument, NULL, O_NO_COLOR },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rule_dirs[MAX_RULE_DIRS + 1];
	size_t nrule_dirs = 0;
	const char *outpath = NULL, *mappings = NULL;
	char default_rules[4096], default_maps[4096];
	bool strict = false, follow = false;
	int format = CS_ALERT_TEXT, color = -1, c, code = CS_EXIT_OK;
	long jobs = 1;
	size_t max_record = 0;
	long long lateness = -1;
	cs_ruleset *rs = NULL;
	cs_logreader *lr = NULL;
	worker *ws = NULL;
	batch *batches = NULL;
	size_t nw = 0, nm = 0, nbatches = 0, started = 0;
	sequencer sq;
	bool sq_started = false;
	output out = { .f = stdout };
	queue q;
	bool q_init = false;
	cs_diag_sink rdiag = { print_diag, NULL, 0, 0 }, ldiag = { print_diag, NULL, 0, 0 };
	uint64_t events = 0, bytes = 0;
	cs_err rc;

	pthread_mutex_init(&out.lock, NULL);
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:o:j:vq", longopts, NULL)) != -1) {
		switch (c) {
		case O_RULES:
			if (nrule_dirs >= MAX_RULE_DIRS)
				return cli_usage("detect", "at most %d --rules", MAX_RULE_DIRS);
			rule_dirs[nrule_dirs++] = optarg;
			break;
		case O_MAPPINGS:
			mappings = optarg;
			break;
		case O_STRICT:
			strict = true;
			break;
		case 'f':
			if ((format = cs_alert_format_parse(optarg)) < 0)
				return cli_usage("detect", "unknown format '%s' (text, jsonl, ocsf, csv)", optarg);
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'j': {
			char *end;
			errno = 0;
			jobs = strtol(optarg, &end, 10);
			if (errno || *end || jobs < 1 || jobs > MAX_JOBS)
				return cli_usage("detect", "-j takes a number of threads from 1 to %d", MAX_JOBS);
			break;
		}
		case O_FOLLOW:
			follow = true;
			break;
		case O_MAX_RECORD: {
			char *end;
			errno = 0;
			long mb = strtol(optarg, &end, 10);
			if (errno || *end || mb < 1 || mb > 4096)
				return cli_usage("detect", "--max-record-size takes megabytes, 1 to 4096");
			max_record = (size_t)mb << 20;
			break;
		}
		case O_LATENESS:
			if ((lateness = parse_duration(optarg)) < 0)
				return cli_usage("detect", "--lateness takes a duration: N, Ns, Nm, Nh or Nd (at most a year)");
			break;
		case O_COLOR:
			if ((color = cli_parse_color(optarg)) == -2)
				return cli_usage("detect", "--color is auto, always or never");
			break;
		case O_NO_COLOR:
			color = 0;
			break;
		case 'v':
			dfilter.verbose = true;
			break;
		case 'q':
			dfilter.quiet = true;
			break;
		default:
			return cli_usage("detect", "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage("detect", "no log to read (give files, folders or - for standard input)");
	if (nrule_dirs == 0) {
		snprintf(default_rules, sizeof default_rules, "%s/rules", cli_home());
		rule_dirs[nrule_dirs++] = default_rules;
	}
	if (!mappings) {
		snprintf(default_maps, sizeof default_maps, "%s/data/sigma-mappings", cli_home());
		if (is_dir(default_maps))
			mappings = default_maps;
	}
	rule_dirs[nrule_dirs] = NULL;

	/* rules */
	cs_ruleset_opts ro = { strict, mappings };
	rc = cs_ruleset_compile(rule_dirs, nrule_dirs, &ro, &rdiag, &rs);
	if (rc == CS_ENOMEM) {
		cli_error("out of memory");
		code = CS_EXIT_INTERNAL;
		goto out;
	}
	if (rc) {
		if (rdiag.errors == 0) /* the compiler said why otherwise */
			cli_error("no rule set: no rule could be compiled");
		code = CS_EXIT_CONFIG;
		goto out;
	}
	if (rdiag.errors)
		code = CS_EXIT_CONFIG;

	/* output */
	if (outpath && strcmp(outpath, "-") != 0) {
		out.f = fopen(outpath, "w");
		if (!out.f) {
			cli_error("cannot write '%s': %s", outpath, strerror(errno));
			out.f = stdout;
			code = CS_EXIT_INPUT;
			goto out;
		}
	}
	out.opts.format = (cs_alert_format)format;
	out.opts.color = format == CS_ALERT_TEXT && cli_use_color(out.f, color);
	out.opts.version = CS_VERSION;
	out.opts.now_ms = (int64_t)time(NULL) * 1000;

	/* inputs */
	if ((rc = cs_logreader_new(&ldiag, &lr)) != CS_OK ||
	    (max_record && (rc = cs_logreader_set_max_record(lr, max_record)) != CS_OK)) {
		code = CS_EXIT_INTERNAL;
		goto out;
	}
	if (follow) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_sigint;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		cs_logreader_follow(lr, 250, stop_following, NULL);
	}
	for (int i = optind; i < argc; i++)
		if (cs_logreader_add_path(lr, argv[i]) == CS_ENOMEM) {
			code = CS_EXIT_INTERNAL;
			goto out;
		}

	/* matchers; following, events arrive one by one and a batch could wait
	 * forever to fill, so --follow matches on one thread */
	if (follow && jobs > 1) {
		cli_warning("--follow matches on one thread; -j %ld ignored", jobs);
		jobs = 1;
	}
	nw = (size_t)jobs;
	nm = nw > 1 ? nw + 1 : 1; /* -j N: one more matcher runs the correlations */
	ws = calloc(nm, sizeof *ws);
	if (!ws) {
		code = CS_EXIT_INTERNAL;
		goto out;
	}
	for (size_t i = 0; i < nm; i++) {
		ws[i].out = &out;
		ws[i].diag = (cs_diag_sink){ print_diag, NULL, 0, 0 };
		cs_buf_init(&ws[i].buf, 0);
		if (cs_matcher_new(rs, on_alert, &ws[i], &ws[i].m) != CS_OK) {
			code = CS_EXIT_INTERNAL;
			goto out;
		}
		if (lateness >= 0)
			cs_matcher_set_lateness(ws[i].m, lateness);
	}
	{
		cs_buf hdr;
		cs_buf_init(&hdr, 0);
		if (cs_alert_write_header(&hdr, &out.opts) == CS_OK)
			out_flush(&out, &hdr);
		cs_buf_release(&hdr);
	}

	double t0 = now_s();
	cs_event ev;
	if (nw == 1) {
		while ((rc = cs_logreader_next(lr, &ev)) == CS_OK) {
			events++;
			bytes += ev.len + 1;
			feed(&ws[0], &ev);
		}
	} else {
		memset(&q, 0, sizeof q);
		pthread_mutex_init(&q.lock, NULL);
		pthread_cond_init(&q.ready, NULL);
		pthread_cond_init(&q.freed, NULL);
		pthread_cond_init(&q.matched, NULL);
		q_init = true;
		nbatches = 2 * nw + 1;
		batches = calloc(nbatches, sizeof *batches);
		if (!batches) {
			code = CS_EXIT_INTERNAL;
			goto out;
		}
		q.all = batches;
		q.nall = nbatches;
		for (size_t i = 0; i < nbatches; i++) {
			cs_buf_init(&batches[i].out, 0);
			cs_buf_init(&batches[i].log, 0);
			if (!(batches[i].data = malloc(BATCH_BYTES))) {
				code = CS_EXIT_INTERNAL;
				goto out;
			}
			batches[i].cap = BATCH_BYTES;
			batch_give(&q, &batches[i], false);
		}
		sq = (sequencer){ .q = &q, .cw = &ws[nw] };
		if (pthread_create(&sq.th, NULL, seq_main, &sq) != 0) {
			cli_error("cannot start worker threads");
			code = CS_EXIT_INTERNAL;
			goto out;
		}
		sq_started = true;
		for (size_t i = 0; i < nw; i++) {
			ws[i].q = &q;
			if (pthread_create(&ws[i].th, NULL, worker_main, &ws[i]) != 0)
				break;
			started++;
		}
		if (started == 0) {
			cli_error("cannot start worker threads");
			code = CS_EXIT_INTERNAL;
			goto out;
		}
		batch *b = batch_take(&q, false);
		while ((rc = cs_logreader_next(lr, &ev)) == CS_OK) {
			events++;
			bytes += ev.len + 1;
			/* the file name is copied too: the reader frees an input's
			 * path once it is read, before the workers see the batch */
			size_t fl = ev.file ? strlen(ev.file) + 1 : 0;
			if (b->n && (b->n == BATCH_EVENTS || b->len + ev.len + fl > b->cap)) {
				batch_give(&q, b, true);
				b = batch_take(&q, false);
			}
			if (ev.len + fl > b->cap) { /* a record larger than a batch gets its own */
				char *own = realloc(b->data, ev.len + fl);
				if (!own) {
					code = CS_EXIT_INTERNAL;
					break;
				}
				b->data = own;
				b->cap = ev.len + fl;
			}
			memcpy(b->data + b->len, ev.json, ev.len);
			b->ev[b->n] = ev;
			b->ev[b->n].json = b->data + b->len;
			b->len += ev.len;
			if (ev.file && b->n && b->ev[b->n - 1].file &&
			    strcmp(b->ev[b->n - 1].file, ev.file) == 0) {
				b->ev[b->n].file = b->ev[b->n - 1].file; /* one copy per file */
			} else if (ev.file) {
				memcpy(b->data + b->len, ev.file, fl);
				b->ev[b->n].file = b->data + b->len;
				b->len += fl;
			}
			b->n++;
		}
		batch_give(&q, b, b->n > 0);
		pthread_mutex_lock(&q.lock);
		q.done = true;
		pthread_cond_broadcast(&q.ready);
		pthread_cond_broadcast(&q.matched);
		pthread_mutex_unlock(&q.lock);
		for (size_t i = 0; i < started; i++)
			pthread_join(ws[i].th, NULL);
		pthread_join(sq.th, NULL);
		sq_started = false;
	}
	if (rc == CS_ENOMEM)
		code = CS_EXIT_INTERNAL;
	for (size_t i = 0; i < nm; i++) {
		if (cs_matcher_finish(ws[i].m) == CS_ENOMEM)
			ws[i].err = CS_ENOMEM;
		out_flush(&out, &ws[i].buf);
	}
	double secs = now_s() - t0;
	uint64_t alerts = 0, bad = 0;
	for (size_t i = 0; i < nm; i++) {
		alerts += ws[i].alerts;
		bad += ws[i].bad_events + ws[i].diag.errors;
		if (ws[i].err == CS_ENOMEM)
			code = CS_EXIT_INTERNAL;
	}
	if (fflush(out.f) != 0 || out.failed) {
		cli_error("cannot write the alerts: %s", strerror(errno));
		code = CS_EXIT_INPUT;
	}
	summary(format == CS_ALERT_TEXT && out.f == stdout ? stdout : stderr, ws, nm, events, bytes,
		secs, cs_ruleset_count(rs));
	if (code != CS_EXIT_INTERNAL) {
		if (ldiag.errors || bad)
			code = CS_EXIT_INPUT > code ? CS_EXIT_INPUT : code;
		else if (alerts && code == CS_EXIT_OK)
			code = CS_EXIT_FINDINGS;
	}
out:
	if (sq_started) { /* only on a failure to start the workers */
		pthread_mutex_lock(&q.lock);
		q.done = true;
		pthread_cond_broadcast(&q.matched);
		pthread_mutex_unlock(&q.lock);
		pthread_join(sq.th, NULL);
	}
	for (size_t i = 0; ws && i < nm; i++) {
		cs_matcher_free(ws[i].m);
		cs_buf_release(&ws[i].buf);
	}
	free(ws);
	for (size_t i = 0; batches && i < nbatches; i++) {
		free(batches[i].data);
		free(batches[i].ends);
		cs_buf_release(&batches[i].out);
		cs_buf_release(&batches[i].log);
	}
	free(batches);
	if (q_init) {
		pthread_mutex_destroy(&q.lock);
		pthread_cond_destroy(&q.ready);
		pthread_cond_destroy(&q.freed);
		pthread_cond_destroy(&q.matched);
	}
	cs_logreader_free(lr);
	cs_ruleset_free(rs);
	if (out.f != stdout)
		fclose(out.f);
	pthread_mutex_destroy(&out.lock);
	return code;
}
