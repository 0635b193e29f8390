/*
 * cshare/detect.h - Sigma rules over cloud audit logs (docs/detect.md).
 *
 * A rule set is compiled once from rule files (Sigma 2.x: detection rules,
 * correlation rules, filters; several YAML documents per file) into an
 * immutable, indexed form, then matched against a stream of events.  Events
 * come from log inputs (CloudTrail, Azure, GCP, Okta, GitHub) read by
 * cs_logreader; every event is a JSON object.
 *
 * Threading: a compiled cs_ruleset is immutable and may be shared by any
 * number of threads; each thread matches with its own cs_matcher.
 */
#ifndef CSHARE_DETECT_H
#define CSHARE_DETECT_H

#include "cshare/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cs_ruleset cs_ruleset;
typedef struct cs_matcher cs_matcher;
typedef struct cs_logreader cs_logreader;

/* ---- events --------------------------------------------------------------- */

/* One log event handed to the matcher: the raw JSON text of one record
 * (borrowed; valid during the call), where it came from, and the log source
 * it belongs to (product/service as Sigma names them: "aws"/"cloudtrail",
 * "azure"/"activitylogs", "gcp"/"gcp.audit", "okta"/"okta",
 * "github"/"audit"). */
typedef struct cs_event {
	const char *json;
	size_t len;
	const char *file;     /* input file or "-" */
	uint64_t offset;      /* byte offset of the record in the (decompressed) input */
	uint32_t line;        /* line of the record, when known (0 otherwise) */
	const char *product;  /* logsource product */
	const char *service;  /* logsource service */
	int64_t time_ms;      /* event time (ms since the epoch), or INT64_MIN if unknown */
	uint32_t col;         /* byte column of the record's first byte on `line` (0 unknown) */
} cs_event;

/* ---- rule sets ------------------------------------------------------------ */

typedef struct cs_ruleset_opts {
	bool strict;  /* any rule problem fails compilation instead of skipping the rule */
	const char *mappings_dir; /* field mappings (data/sigma-mappings), or NULL */
} cs_ruleset_opts;

/* Compiles every rule under the given paths (files or directories, *.yml
 * and *.yaml, recursively).  Problems are diagnosed with file, line and
 * column; a rule that uses something unsupported is reported as such (a
 * warning naming the feature), never silently dropped.  Without `strict`,
 * bad rules are skipped and the rest compiled.  Returns owned *out (free
 * with cs_ruleset_free) or CS_ECHECK (strict, or no rule compiled),
 * CS_ENOMEM. */
CS_API cs_err cs_ruleset_compile(const char *const *paths, size_t npaths,
				 const cs_ruleset_opts *opts, cs_diag_sink *diag,
				 cs_ruleset **out);
CS_API void cs_ruleset_free(cs_ruleset *rs);
CS_API size_t cs_ruleset_count(const cs_ruleset *rs);

/* ---- alerts --------------------------------------------------------------- */

/* One alert.  All pointers are borrowed for the duration of the callback. */
typedef struct cs_alert {
	const char *rule_id, *title, *level, *author, *status;
	const char *const *tags; /* NULL-terminated (ATT&CK and others) */
	const char *domain;      /* control domain (custom rule field) or NULL */
	const char *rule_file;
	/* the matched event (for a detection rule), or the last contributing
	 * event (for a correlation) */
	const cs_event *event;
	/* matched fields: parallel arrays of field name and value text */
	const char *const *fields;
	const char *const *values;
	size_t nfields;
	/* correlations: type, group key ("field=value,..."), and the events
	 * (as record references "file@offset") that contributed */
	const char *correlation_type; /* NULL for detection rules */
	const char *group_key;
	const char *const *contributing;
	size_t ncontributing;
	/* Set by the matcher (NULL from any other producer): where the alert
	 * writers keep what they render from this rule's texts, once per
	 * matcher and rule; owned by the matcher. */
	struct cs_alert_memo *memo;
	/* Optional (NULL from any other producer): values[i]'s strlen, so
	 * that the writers need not count it. */
	const size_t *value_lens;
} cs_alert;

typedef void (*cs_alert_fn)(void *ud, const cs_alert *a);

/* A matcher holds per-thread scratch and correlation state. */
CS_API cs_err cs_matcher_new(const cs_ruleset *rs, cs_alert_fn fn, void *ud,
			     cs_matcher **out);
CS_API void cs_matcher_free(cs_matcher *m);
/* Matches one event; alerts go to the callback.  A malformed record gives
 * a diagnostic naming its file and byte offset and CS_ESYNTAX; nothing else
 * is affected. */
CS_API cs_err cs_matcher_feed(cs_matcher *m, const cs_event *ev, cs_diag_sink *diag);
/* How far out of time order events may arrive, in ms (default 3,600,000:
 * one hour).  Correlation groups whose windows every event within that
 * tolerance of the latest event time seen would find closed are judged and
 * freed, so memory follows the number of groups active within
 * timespan + lateness, not the input size; an event later than that starts
 * a new group (docs/detect-engine.md, "Correlations").  Set before the
 * first event. */
CS_API void cs_matcher_set_lateness(cs_matcher *m, int64_t ms);
/* Ends the stream: flushes correlations whose windows are still open. */
CS_API cs_err cs_matcher_finish(cs_matcher *m);
/* Matching on several threads with exactly the alerts, in the same order,
 * of one matcher fed every event (docs/detect-engine.md, "Threads"):
 * worker matchers in deferred mode match in parallel and report their
 * detection alerts as usual, but run no correlation; one more matcher
 * replays their logs, in input order, and runs the correlations.
 *
 * cs_matcher_defer: with a log, m appends to it (cs_buf, binary, for
 * cs_matcher_replay in this process only) the correlation steps of the
 * events it is fed: event times and the hits of rules that feed
 * correlations, each with the fields the correlations read and the number
 * of m's alerts since this call that precede it.  The events fed must stay
 * valid until the log is replayed.  NULL ends deferred mode. */
CS_API void cs_matcher_defer(cs_matcher *m, cs_buf *log);
/* Replays a deferred log (same rule set) into m, which runs the
 * correlations as if it had matched those events itself; logs must be
 * replayed in input order.  Before each step, sync(ud, n) (may be NULL)
 * is called with the number of the deferred matcher's alerts (counted from
 * its cs_matcher_defer) that come before it, so the caller can write those
 * alerts first; correlation alerts go to m's callback.  CS_EINVAL for a
 * log that is not one, CS_ENOMEM. */
CS_API cs_err cs_matcher_replay(cs_matcher *m, const cs_buf *log,
				void (*sync)(void *ud, uint64_t nalerts), void *ud,
				cs_diag_sink *diag);
/* Per-rule counts of alerts so far (for the summary). */
CS_API size_t cs_matcher_rule_count(const cs_matcher *m);
CS_API const char *cs_matcher_rule_id(const cs_matcher *m, size_t i, uint64_t *alerts);

/* ---- alert output --------------------------------------------------------- */

/* Formats for alerts (docs/cli/detect.md): text, JSON lines, OCSF Detection
 * Finding (class 2004, one JSON object per line), CSV (RFC 4180). */
typedef enum cs_alert_format {
	CS_ALERT_TEXT = 0,
	CS_ALERT_JSONL,
	CS_ALERT_OCSF,
	CS_ALERT_CSV,
} cs_alert_format;

/* "text", "jsonl" (or "json"), "ocsf", "csv"; -1 otherwise. */
CS_API int cs_alert_format_parse(const char *s);

typedef struct cs_alert_opts {
	cs_alert_format format;
	bool color;          /* text: ANSI colours */
	const char *version; /* tool version (OCSF metadata.product.version) */
	int64_t now_ms;      /* finding time when the event's time is unknown */
} cs_alert_opts;

/* Appends what comes before the first alert (the CSV header; nothing for
 * the other formats). */
CS_API cs_err cs_alert_write_header(cs_buf *b, const cs_alert_opts *o);
/* Appends one alert: a text block, or one line of JSON or CSV.  The event's
 * raw JSON is embedded as it is (the matcher only alerts on records it
 * parsed). */
CS_API cs_err cs_alert_write(cs_buf *b, const cs_alert_opts *o, const cs_alert *a);

/* ---- log inputs ----------------------------------------------------------- */

/* Reads log inputs and hands out one event at a time: CloudTrail files
 * ({"Records":[...]}, .json.gz, the S3 folder layout read recursively),
 * CloudTrail as JSON lines, EventBridge-wrapped CloudTrail ("detail"),
 * Azure Monitor exports ({"records":[...]} and JSON lines), GCP Cloud
 * Audit Logs (LogEntry JSON lines), Okta System Log, GitHub audit log;
 * "-" is standard input.  Formats are recognized by content. */
CS_API cs_err cs_logreader_new(cs_diag_sink *diag, cs_logreader **out);
CS_API void cs_logreader_free(cs_logreader *lr);
CS_API cs_err cs_logreader_add_path(cs_logreader *lr, const char *path);
/* Next event, or CS_ENOENT at the end.  *ev is valid until the next call.
 * Problems in an input (unreadable, malformed or oversized records, a
 * truncated gzip file) are diagnosed with the file and byte offset and the
 * reader goes on; only CS_ENOMEM ends the stream early. */
CS_API cs_err cs_logreader_next(cs_logreader *lr, cs_event *ev);
/* Records longer than `max` bytes are refused with a diagnostic and
 * skipped without being held in memory (default 16 MiB; at least 64). */
CS_API cs_err cs_logreader_set_max_record(cs_logreader *lr, size_t max);
/* Keeps reading: at the end of the inputs, waits `poll_ms` and reads what
 * was appended to plain files and new files in the folders given, until
 * stop(ud) returns true (then what remains is read and CS_ENOENT
 * returned).  Gzip files and standard input are read once. */
CS_API cs_err cs_logreader_follow(cs_logreader *lr, unsigned poll_ms, bool (*stop)(void *ud),
				  void *ud);

#ifdef __cplusplus
}
#endif
#endif
