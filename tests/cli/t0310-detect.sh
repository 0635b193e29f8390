#!/bin/sh
# cshare detect: log inputs (CloudTrail lines, Records files, gzip, S3
# layout, standard input), output formats, exit codes, bad input, -j and
# --follow.  The rules are written here, so the test does not change when
# the shipped rules do.
. "$CS_SRC/tests/cli/lib.sh"
R=$TMP/rules
mkdir -p "$R"
cat >"$R/stop.yml" <<'RULE'
title: Trail stopped (test)
id: 0b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8
status: test
author: Test Author
tags:
    - attack.defense-evasion
    - attack.t1562.008
logsource:
    product: aws
    service: cloudtrail
detection:
    selection:
        eventSource: cloudtrail.amazonaws.com
        eventName: StopLogging
    condition: selection
level: high
cshare_domain: logging.audit_trail
RULE
ev() { # ev NAME -> one CloudTrail record
	printf '{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice"},"eventTime":"2024-01-02T03:04:05Z","eventSource":"cloudtrail.amazonaws.com","eventName":"%s","awsRegion":"us-east-1"}' "$1"
}
{ ev DescribeTrails; echo; ev StopLogging; echo; } >"$TMP/ct.jsonl"
OFF=$(ev DescribeTrails | wc -c); OFF=$((OFF + 1))

run detect --rules "$R" "$TMP/ct.jsonl"
expect_rc "alert" 1
expect_in "text: level, id, title" "$TMP/out" "[high] 0b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8 Trail stopped (test)"
expect_in "text: author and domain" "$TMP/out" "author: Test Author  domain: logging.audit_trail"
expect_in "text: event reference" "$TMP/out" "event: $TMP/ct.jsonl@$OFF line 2  aws/cloudtrail  2024-01-02T03:04:05.000Z"
expect_in "text: matched fields" "$TMP/out" "eventName=StopLogging"
expect_in "text: summary" "$TMP/out" "summary: 2 events"
expect_in "text: per-rule count" "$TMP/out" "       1  0b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8"

{ ev DescribeTrails; echo; } >"$TMP/clean.jsonl"
run detect --rules "$R" "$TMP/clean.jsonl"
expect_rc "no alert" 0

run detect --rules "$R" -f jsonl "$TMP/ct.jsonl"
expect_rc "jsonl" 1
if python3 - "$TMP/out" "$OFF" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
a = json.loads(lines[0])
assert a["rule_id"] == "0b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8"
assert a["author"] == "Test Author" and a["level"] == "high"
assert a["domain"] == "logging.audit_trail"
assert a["tags"] == ["attack.defense-evasion", "attack.t1562.008"]
assert a["offset"] == int(sys.argv[2]) and a["line"] == 2
assert a["event"]["eventName"] == "StopLogging"
assert {"field": "eventName", "value": "StopLogging"} in a["matched"]
PY
then ok "jsonl: one alert with every attribute"; else bad "jsonl: alert content" "$(cat "$TMP/out")"; fi
expect_in "jsonl: summary on stderr" "$TMP/err" "summary: 2 events"

run detect --rules "$R" -f ocsf "$TMP/ct.jsonl"
expect_rc "ocsf" 1
if python3 - "$TMP/out" <<'PY'
import json, sys
a = json.loads(open(sys.argv[1]).read())
for k in ("activity_id", "category_uid", "class_uid", "metadata", "severity_id", "time", "type_uid", "finding_info"):
    assert k in a, k
assert a["class_uid"] == 2004 and a["category_uid"] == 2 and a["type_uid"] == 200401
assert a["severity_id"] == 4 and a["time"] == 1704164645000
assert a["metadata"]["product"]["name"] == "cshare" and a["metadata"]["version"] == "1.8.0"
assert a["finding_info"]["uid"] and a["finding_info"]["analytic"]["uid"] == "0b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8"
assert a["finding_info"]["attacks"][0]["technique"]["uid"] == "T1562.008"
assert a["cloud"]["provider"] == "AWS" and a["unmapped"]["author"] == "Test Author"
PY
then ok "ocsf: Detection Finding with the required attributes"; else bad "ocsf: content" "$(cat "$TMP/out")"; fi

run detect --rules "$R" -f csv -o "$TMP/a.csv" "$TMP/ct.jsonl"
expect_rc "csv" 1
expect_in "csv: header" "$TMP/a.csv" "time,level,rule_id,title,author,domain,tags,file,offset,line,product,service,matched,correlation_type,group_key,contributing"
expect_in "csv: row" "$TMP/a.csv" "2024-01-02T03:04:05.000Z,high,0b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8,Trail stopped (test),Test Author,logging.audit_trail"

# CloudTrail as delivered: Records files, gzip, the S3 layout
D=$TMP/AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/02
mkdir -p "$D"
{ printf '{"Records":['; ev GetObject; printf ','; ev StopLogging; printf ']}'; } | gzip >"$D/111122223333_CloudTrail_us-east-1_20240102T0305Z_x.json.gz"
ROFF=$(ev GetObject | wc -c); ROFF=$((ROFF + 13))
run detect --rules "$R" "$TMP/AWSLogs"
expect_rc "S3 layout, gzip" 1
expect_in "S3 layout: the element's offset in the decompressed file" "$TMP/out" "_x.json.gz@$ROFF line 1"

run_stdin() { "$CSHARE" "$@" <"$IN" >"$TMP/out" 2>"$TMP/err"; RC=$?; }
IN=$TMP/ct.jsonl run_stdin detect --rules "$R" -
expect_rc "standard input" 1
expect_in "standard input: file -" "$TMP/out" "event: -@$OFF"

# bad input: reported with file and byte offset, the rest still matched
# (line 4: indented by two, malformed after its head: column 3 + 88 bytes)
{ ev DescribeTrails; echo; printf '{"eventVersion":"1.08","eventName":\n'; ev StopLogging; echo
  printf '  {"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventName":"StopLogging","x":tru}\n'; } >"$TMP/bad.jsonl"
OFF4=$(($(head -n 3 "$TMP/bad.jsonl" | wc -c) + 2))
run detect --rules "$R" "$TMP/bad.jsonl"
expect_rc "malformed record" 4
# (line 2 is cut short after 35 bytes: the problem is its last byte)
expect_in "malformed: located" "$TMP/err" \
	"bad.jsonl:2:35: error: byte offset $OFF: malformed record skipped: incomplete record (it does not end with '}') (at byte offset $((OFF + 34)))"
expect_in "malformed inside: line, column and offset of the problem" "$TMP/err" \
	"bad.jsonl:4:91: error: byte offset $OFF4: malformed record skipped: invalid JSON: value expected (at 't', byte offset $((OFF4 + 88)))"
expect_in "malformed: the next record still matched" "$TMP/out" "Trail stopped (test)"
printf '\177ELF\002\001\001\000\000' >"$TMP/blob"
run detect --rules "$R" "$TMP/blob" "$TMP/ct.jsonl"
expect_rc "binary file" 4
expect_in "binary file: diagnostic" "$TMP/err" "blob:1: error: byte offset 0: not a JSON log: binary file"
expect_in "binary file: the other input still matched" "$TMP/out" "Trail stopped (test)"
{ for i in $(seq 1 300); do ev StopLogging; echo; done; } | gzip >"$TMP/t.json.gz"
size=$(wc -c <"$TMP/t.json.gz")
head -c $((size - 20)) "$TMP/t.json.gz" >"$TMP/trunc.json.gz"
run detect --rules "$R" "$TMP/trunc.json.gz"
expect_rc "truncated gzip" 4
expect_in "truncated gzip: diagnostic" "$TMP/err" "trunc.json.gz: error: truncated gzip file"
python3 -c 'import sys; sys.stdout.write("{\"eventVersion\":\"" + "a"*(3<<20) + "\"}\n")' >"$TMP/huge.jsonl"
ev StopLogging >>"$TMP/huge.jsonl"
run detect --rules "$R" --max-record-size 1 "$TMP/huge.jsonl"
expect_rc "oversized record" 4
expect_in "oversized: diagnostic" "$TMP/err" "huge.jsonl:1: error: byte offset 0: record longer than the limit of 1048576 bytes; skipped"
expect_in "oversized: the next record still matched" "$TMP/out" "huge.jsonl@3145748 line 2"
# (classification crosses the value of "a" with the framing scanner, whose
# limit of 512 levels counts from that value: its 513th '[' is byte 5 + 512)
python3 -c 'import sys; sys.stdout.write("{\"a\":" + "["*100000 + "]"*100000 + "}\n")' >"$TMP/deep.jsonl"
run detect --rules "$R" "$TMP/deep.jsonl"
expect_rc "deep nesting" 4
expect_in "deep nesting: diagnostic" "$TMP/err" "deep.jsonl:1:518: error: byte offset 0: malformed record skipped: nesting too deep (at byte offset 517)"

# -j 2: the same alerts as -j 1
python3 - "$TMP/many.jsonl" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(30000):
        name = "StopLogging" if i % 97 == 0 else "DescribeTrails"
        f.write('{"eventVersion":"1.08","eventTime":"2024-01-02T03:04:05Z","eventSource":"cloudtrail.amazonaws.com","eventName":"%s","n":%d}\n' % (name, i))
PY
run detect --rules "$R" -f csv "$TMP/many.jsonl"
cp "$TMP/out" "$TMP/j1"
run detect --rules "$R" -f csv -j 2 "$TMP/many.jsonl"
expect_rc "-j 2" 1
cp "$TMP/out" "$TMP/j2"
if cmp -s "$TMP/j1" "$TMP/j2" && [ "$(wc -l <"$TMP/j1")" = 311 ]; then ok "-j 2: the same 310 alerts as -j 1"; else bad "-j 2 differs" "$(diff "$TMP/j1" "$TMP/j2" | head)"; fi

# -j N with correlations: byte for byte the output of -j 1 (alerts in input
# order, correlation alerts where one matcher raises them), also when groups
# span the batches the workers take (8,192 events) and when windows close by
# expiry (the lateness is 1 minute here, events are 1 s apart)
R2=$TMP/rules-corr
mkdir -p "$R2"
cat >"$R2/corr.yml" <<'RULE'
title: Failed call (test)
id: 7d0c5a8e-1111-4a61-8b72-93a4b5c6d7e8
name: failed_call
status: test
logsource:
    product: aws
    service: cloudtrail
detection:
    selection:
        errorCode: AccessDenied
    condition: selection
level: low
---
title: Repeated failures (test)
id: 7d0c5a8e-2222-4a61-8b72-93a4b5c6d7e8
status: test
correlation:
    type: event_count
    rules: [failed_call]
    group-by: [userIdentity.arn]
    timespan: 2m
    condition:
        gte: 3
    generate: true
level: medium
---
title: Few distinct names (test)
id: 7d0c5a8e-3333-4a61-8b72-93a4b5c6d7e8
status: test
correlation:
    type: value_count
    rules: [failed_call]
    group-by: [userIdentity.arn]
    timespan: 90s
    condition:
        field: eventName
        lt: 3
level: low
RULE
python3 - "$TMP/corr.jsonl" <<'PY'
import sys, datetime
t0 = datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc)
with open(sys.argv[1], "w") as f:
    for i in range(30000):
        t = (t0 + datetime.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        err = ',"errorCode":"AccessDenied"' if (i * 7) % 5 < 2 else ""
        f.write('{"eventVersion":"1.08","userIdentity":{"arn":"arn:aws:iam::111122223333:user/u%d"},"eventTime":"%s","eventSource":"s3.amazonaws.com","eventName":"Get%d"%s}\n' % (i % 11, t, i % 3, err))
PY
run detect --rules "$R2" -f jsonl --lateness 1m "$TMP/corr.jsonl"
expect_rc "correlations -j 1" 1
cp "$TMP/out" "$TMP/c1"
NC=$(grep -c '"correlation"' "$TMP/c1" || true)
if [ "$NC" -gt 1000 ]; then ok "correlations -j 1: $NC correlation alerts"; else bad "correlations -j 1" "only $NC correlation alerts"; fi
for j in 2 3; do
	run detect --rules "$R2" -f jsonl --lateness 1m -j $j "$TMP/corr.jsonl"
	if cmp -s "$TMP/c1" "$TMP/out"; then ok "correlations -j $j: the output of -j 1"; else bad "correlations -j $j differs" "$(diff "$TMP/c1" "$TMP/out" | head -5)"; fi
done
run detect --rules "$R2" --lateness 1x "$TMP/corr.jsonl"
expect_rc "bad --lateness" 2

# --follow: a file appended to and a new file, then SIGINT
mkdir -p "$TMP/live"
{ ev DescribeTrails; echo; } >"$TMP/live/a.jsonl"
"$CSHARE" detect --rules "$R" -f csv --follow "$TMP/live" >"$TMP/out" 2>"$TMP/err" &
pid=$!
sleep 1
{ ev StopLogging; echo; } >>"$TMP/live/a.jsonl"
{ ev StopLogging; echo; } >"$TMP/live/b.jsonl"
sleep 2 # the SIGINT handler is surely installed by now, even under ASan
kill -INT $pid
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 $pid 2>/dev/null; then kill -9 $pid; bad "--follow: did not stop on SIGINT"; fi
wait $pid; RC=$?
expect_rc "--follow" 1
expect_in "--follow: appended record" "$TMP/out" "live/a.jsonl,$OFF,2"
expect_in "--follow: new file" "$TMP/out" "live/b.jsonl,0,1"
expect_in "--follow: summary" "$TMP/err" "summary: 3 events"

# usage and rule errors
run detect --rules "$R"
expect_rc "no input" 2
run detect -f xml --rules "$R" "$TMP/ct.jsonl"
expect_rc "bad format" 2
run detect -j 0 --rules "$R" "$TMP/ct.jsonl"
expect_rc "bad -j" 2
printf 'title: broken\nid: 1\ndetection: [\n' >"$R/broken.yml"
run detect --rules "$R" "$TMP/ct.jsonl"
expect_rc "bad rule: the others still run" 3
expect_in "bad rule: located" "$TMP/err" "broken.yml:"
expect_in "bad rule: the good rule still alerted" "$TMP/out" "Trail stopped (test)"
run detect --strict --rules "$R" "$TMP/ct.jsonl"
expect_rc "bad rule with --strict" 3
expect_not_in "--strict: nothing matched" "$TMP/out" "Trail stopped (test)"
# JSON lines and OCSF stay one alert per line when the source record is
# pretty-printed (CloudTrail files usually are)
for fmt in jsonl ocsf; do
	run detect --rules "$CS_SRC/rules" -f "$fmt" "$CS_SRC/tests/cases/detect/aws_root_access_key_created/positive.json"
	if python3 -c 'import json,sys
n=0
for line in open(sys.argv[1]):
    json.loads(line); n+=1
assert n==2, n' "$TMP/out"; then ok "$fmt: one JSON object per line"; else bad "$fmt: not one JSON object per line" "$(head -c 600 "$TMP/out")"; fi
done
finish
