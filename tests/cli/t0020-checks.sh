#!/bin/sh
# `cshare checks list|show` and invalid check files (exit 3, located).
. "$CS_SRC/tests/cli/lib.sh"

run checks list; expect_rc "list" 0
expect_in "list shows id" "$TMP/out" "CS-TEST-S3-001"
expect_in "list counts" "$TMP/out" "2 checks"
run checks list --format json; expect_rc "list json" 0
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [c["id"] for c in d]==["CS-TEST-S3-001","CS-TEST-S3-002"]; assert d[1]["frameworks"]["nist-800-53-r5"]==["SC-28","SC-12"]' "$TMP/out"; then ok "list json content"; else bad "list json content"; fi
run checks list --kind aws.ebs.volume; expect_in "kind filter" "$TMP/out" "0 checks"
run checks show CS-TEST-S3-002; expect_rc "show" 0
expect_in "show rationale" "$TMP/out" "audit trail of its use"
expect_in "show definition" "$TMP/out" 'assert: {attr: sse_algorithm'

mkdir -p "$TMP/bad"
cat > "$TMP/bad/typo.yaml" <<'X'
id: CS-USER-001
title: typo in attribute
kind: aws.s3.bucket
severity: low
domain: data.recovery
frameworks: {nist-800-53-r5: [CP-9]}
rationale: r
remediation: x
assert: {attr: versoning, eq: Enabled}
X
cat > "$TMP/bad/badop.yaml" <<'X'
id: CS-USER-002
title: bad operator
kind: aws.s3.bucket
severity: low
domain: data.recovery
frameworks: {nist-800-53-r5: [CP-9]}
rationale: r
remediation: x
assert:
  attr: versioning
  equals: Enabled
X
cat > "$TMP/bad/nokind.yaml" <<'X'
id: CS-USER-003
title: no such kind
kind: aws.nothing.here
severity: low
domain: data.recovery
frameworks: {nist-800-53-r5: [CP-9]}
rationale: r
remediation: x
assert: {attr: a, eq: 1}
X
cat > "$TMP/bad/broken.yaml" <<'X'
id: CS-USER-004
title: [unclosed
X
run checks list --checks "$TMP/bad"; expect_rc "invalid user checks" 3
expect_in "typo located" "$TMP/err" "typo.yaml:9:9: error: kind aws.s3.bucket has no attribute 'versoning'"
expect_in "operator located" "$TMP/err" "badop.yaml:11:3: error: unknown operator 'equals'"
expect_in "kind named" "$TMP/err" "unknown kind 'aws.nothing.here'"
expect_in "yaml error located" "$TMP/err" "broken.yaml:3:1: error:"
expect_in "good checks still listed" "$TMP/out" "2 checks"
finish
