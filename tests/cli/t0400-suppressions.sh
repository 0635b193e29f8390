#!/bin/sh
# Inline suppressions (need a reason) and baselines (stable fingerprints).
. "$CS_SRC/tests/cli/lib.sh"
IN="$CS_SRC/tests/cli/inputs/findings.yaml"

run audit -f csv --show-suppressed "$IN"; expect_rc "findings remain" 1
expect_in "inline suppression applied" "$TMP/out" "CS-TEST-S3-002,high,data.encryption_at_rest,customer,aws.s3.bucket,LogBucket"
expect_in "suppression reason shown" "$TMP/out" "access-log target: SSE-KMS is not supported for log delivery"
expect_in "suppression without reason warned" "$TMP/err" "findings.yaml:16:9: warning: cshare:ignore CS-TEST-S3-001 has no reason"

run audit --write-baseline "$TMP/base.txt" -f csv "$IN"; expect_rc "write baseline" 1
n=$(grep -vc '^#' "$TMP/base.txt")
[ "$n" = 4 ] && ok "baseline has the 3 failures and 1 unknown" || bad "baseline lines: $n"
run audit --baseline "$TMP/base.txt" -f csv "$IN"; expect_rc "baseline suppresses all" 0

# fingerprints survive unrelated edits: move lines, add a resource
{ printf '# a comment moves every line down\n\n'; cat "$IN"; printf '  NewBucket:\n    Type: AWS::S3::Bucket\n'; } > "$TMP/findings.yaml"
run audit --baseline "$TMP/base.txt" -f csv "$TMP/findings.yaml"; expect_rc "only the new bucket is new" 1
expect_in "new bucket reported" "$TMP/out" ",NewBucket,"
expect_not_in "old findings stay suppressed" "$TMP/out" ",Plain,"

printf 'not-a-fingerprint\n' > "$TMP/bad.txt"
run audit --baseline "$TMP/bad.txt" "$IN"; expect_rc "bad baseline" 4
expect_in "bad baseline located" "$TMP/err" "bad.txt:1:1: error: a baseline line starts with a 16-digit fingerprint"
finish
