/*
 * cmd_detect.c - `cshare detect [options] PATH...`: compile the Sigma rules,
 * read the logs, match every event, write the alerts and a per-rule
 * summary, exit with a documented code.
 *
 * With -j N the main thread reads and packs events into batches (copies of
 * the records); N workers, each with its own matcher over the shared
 * compiled rule set, take batches from a bounded queue.  A worker writes
 * the alerts of a batch in one piece, so alerts of one batch stay in input
 * order and batches appear in the order they finish (docs/cli/detect.md).
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

typedef struct diag_filter {
	bool verbose, quiet;
} diag_filter;

static pthread_mutex_t err_lock = PTHREAD_MUTEX_INITIALIZER;
static diag_filter dfilter;

static void print_diag(void *ud, const cs_diag *d)
{
	(void)ud;
	if ((d->sev == CS_SEV_NOTE && !dfilter.verbose) || (d->sev == CS_SEV_WARNING && dfilter.quiet))
		return;
	pthread_mutex_lock(&err_lock);
	cli_print_diag(NULL, d);
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
} worker;

static void on_alert(void *ud, const cs_alert *a)
{
	worker *w = ud;
	w->alerts++;
	if (w->err == CS_OK)
		w->err = cs_alert_write(&w->buf, &w->out->opts, a);
}

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
} batch;

typedef struct queue {
	pthread_mutex_t lock;
	pthread_cond_t ready, freed;
	batch *full_head, *full_tail, *free_list;
	bool done;
} queue;

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
		for (size_t i = 0; i < b->n; i++)
			feed(w, &b->ev[i]);
		out_flush(w->out, &w->buf);
		batch_give(w->q, b, false);
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

enum { O_RULES = 256, O_STRICT, O_FOLLOW, O_COLOR, O_NO_COLOR, O_MAPPINGS, O_MAX_RECORD };

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
	cs_ruleset *rs = NULL;
	cs_logreader *lr = NULL;
	worker *ws = NULL;
	batch *batches = NULL;
	size_t nw = 0, nbatches = 0, started = 0;
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
	ws = calloc(nw, sizeof *ws);
	if (!ws) {
		code = CS_EXIT_INTERNAL;
		goto out;
	}
	for (size_t i = 0; i < nw; i++) {
		ws[i].out = &out;
		ws[i].diag = (cs_diag_sink){ print_diag, NULL, 0, 0 };
		cs_buf_init(&ws[i].buf, 0);
		if (cs_matcher_new(rs, on_alert, &ws[i], &ws[i].m) != CS_OK) {
			code = CS_EXIT_INTERNAL;
			goto out;
		}
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
		q_init = true;
		nbatches = 2 * nw;
		batches = calloc(nbatches, sizeof *batches);
		if (!batches) {
			code = CS_EXIT_INTERNAL;
			goto out;
		}
		for (size_t i = 0; i < nbatches; i++) {
			if (!(batches[i].data = malloc(BATCH_BYTES))) {
				code = CS_EXIT_INTERNAL;
				goto out;
			}
			batches[i].cap = BATCH_BYTES;
			batch_give(&q, &batches[i], false);
		}
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
			if (b->n && (b->n == BATCH_EVENTS || b->len + ev.len > b->cap)) {
				batch_give(&q, b, true);
				b = batch_take(&q, false);
			}
			if (ev.len > b->cap) { /* a record larger than a batch gets its own */
				char *own = realloc(b->data, ev.len);
				if (!own) {
					code = CS_EXIT_INTERNAL;
					break;
				}
				b->data = own;
				b->cap = ev.len;
			}
			memcpy(b->data + b->len, ev.json, ev.len);
			b->ev[b->n] = ev;
			b->ev[b->n].json = b->data + b->len;
			b->len += ev.len;
			b->n++;
		}
		batch_give(&q, b, b->n > 0);
		pthread_mutex_lock(&q.lock);
		q.done = true;
		pthread_cond_broadcast(&q.ready);
		pthread_mutex_unlock(&q.lock);
		for (size_t i = 0; i < started; i++)
			pthread_join(ws[i].th, NULL);
	}
	if (rc == CS_ENOMEM)
		code = CS_EXIT_INTERNAL;
	for (size_t i = 0; i < nw; i++) {
		if (cs_matcher_finish(ws[i].m) == CS_ENOMEM)
			ws[i].err = CS_ENOMEM;
		out_flush(&out, &ws[i].buf);
	}
	double secs = now_s() - t0;
	uint64_t alerts = 0, bad = 0;
	for (size_t i = 0; i < nw; i++) {
		alerts += ws[i].alerts;
		bad += ws[i].bad_events + ws[i].diag.errors;
		if (ws[i].err == CS_ENOMEM)
			code = CS_EXIT_INTERNAL;
	}
	if (fflush(out.f) != 0 || out.failed) {
		cli_error("cannot write the alerts: %s", strerror(errno));
		code = CS_EXIT_INPUT;
	}
	summary(format == CS_ALERT_TEXT && out.f == stdout ? stdout : stderr, ws, nw, events, bytes,
		secs, cs_ruleset_count(rs));
	if (code != CS_EXIT_INTERNAL) {
		if (ldiag.errors || bad)
			code = CS_EXIT_INPUT > code ? CS_EXIT_INPUT : code;
		else if (alerts && code == CS_EXIT_OK)
			code = CS_EXIT_FINDINGS;
	}
out:
	for (size_t i = 0; ws && i < nw; i++) {
		cs_matcher_free(ws[i].m);
		cs_buf_release(&ws[i].buf);
	}
	free(ws);
	for (size_t i = 0; batches && i < nbatches; i++)
		free(batches[i].data);
	free(batches);
	if (q_init) {
		pthread_mutex_destroy(&q.lock);
		pthread_cond_destroy(&q.ready);
		pthread_cond_destroy(&q.freed);
	}
	cs_logreader_free(lr);
	cs_ruleset_free(rs);
	if (out.f != stdout)
		fclose(out.f);
	pthread_mutex_destroy(&out.lock);
	return code;
}
