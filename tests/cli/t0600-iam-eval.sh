#!/bin/sh
# cshare iam eval: decisions and exit codes (0 allow, 1 deny, 2 usage,
# 3 policy errors, 4 unreadable file), the explanation in text and JSON,
# located diagnostics for policies AWS would refuse.
. "$CS_SRC/tests/cli/lib.sh"

cat >"$TMP/id.json" <<'J'
{"Version": "2012-10-17",
 "Statement": [
  {"Sid": "Home", "Effect": "Allow", "Action": "s3:GetObject",
   "Resource": "arn:aws:s3:::reports/${aws:username}/*"},
  {"Sid": "NoMfaNoAccess", "Effect": "Deny", "Action": "*", "Resource": "*",
   "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}
 ]}
J
cat >"$TMP/bnd.json" <<'J'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}
J
cat >"$TMP/bucket.json" <<'J'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
  "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}
J
cat >"$TMP/bad.json" <<'J'
{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
   "Condition": {"StringEqualz": {"aws:username": "alice"}}}]}
J
U=arn:aws:iam::111122223333:user/alice

run iam eval --identity "$TMP/id.json" --principal $U --action s3:GetObject \
	--resource arn:aws:s3:::reports/alice/q1.csv --context aws:MultiFactorAuthPresent=true
expect_rc "allowed by the identity policy" 0
expect_in "decision printed" "$TMP/out" "decision: allow"
expect_in "statement named" "$TMP/out" 'statement 1 "Home"'

run iam eval --identity "$TMP/id.json" --principal $U --action s3:GetObject \
	--resource arn:aws:s3:::reports/alice/q1.csv
expect_rc "explicit deny without MFA" 1
expect_in "explicit deny named" "$TMP/out" "explicit deny: statement 2 (NoMfaNoAccess)"

run iam eval --identity "$TMP/id.json" --boundary "$TMP/bnd.json" --principal $U --action s3:GetObject \
	--resource arn:aws:s3:::reports/alice/q1.csv --context aws:MultiFactorAuthPresent=true -f json
expect_rc "boundary: implicit deny" 1
expect_in "json decision" "$TMP/out" '"decision":"implicit-deny"'
expect_in "json reason" "$TMP/out" 'the permissions boundary does not'

run iam eval --identity "$TMP/id.json" --resource-policy "$TMP/bucket.json" --principal $U \
	--action s3:GetObject --resource arn:aws:s3:::reports/alice/q1.csv --resource-account 444455556666 \
	--context aws:MultiFactorAuthPresent=true
expect_rc "cross-account, both sides allow" 0

run iam eval --identity "$TMP/id.json" --principal $U --action s3:GetObject \
	--resource arn:aws:s3:::reports/alice/q1.csv --resource-account 444455556666 \
	--context aws:MultiFactorAuthPresent=true
expect_rc "cross-account without a bucket policy" 1
expect_in "cross-account reason" "$TMP/out" "no resource-based policy allows it"

cat >"$TMP/scp-deny.json" <<'J'
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}
J
run iam eval --identity "$TMP/id.json" --scp "$TMP/scp-deny.json@1" --principal $U --action s3:GetObject \
	--resource arn:aws:s3:::reports/alice/q1.csv --context aws:MultiFactorAuthPresent=true
expect_rc "SCP without allow" 1
expect_in "SCP level named" "$TMP/out" "no service control policy at level 1 allows"
run iam eval --identity "$TMP/id.json" --scp "$TMP/scp-deny.json" --not-org-member --principal $U --action s3:GetObject \
	--resource arn:aws:s3:::reports/alice/q1.csv --context aws:MultiFactorAuthPresent=true
expect_rc "SCP of a non-member does not apply" 0

run iam eval --identity "$TMP/bad.json" --principal $U --action s3:GetObject --resource '*'
expect_rc "policy error" 3
expect_in "located diagnostic" "$TMP/err" "bad.json:3:18: error: Statement 1: Unknown condition operator StringEqualz"

run iam eval --identity "$TMP/nope.json" --principal $U --action s3:GetObject --resource '*'
expect_rc "unreadable policy" 4

run iam eval --identity "$TMP/id.json" --principal bob --action s3:GetObject --resource '*'
expect_rc "bad principal" 2
run iam eval --identity "$TMP/id.json" --principal $U --action GetObject --resource '*'
expect_rc "bad action" 2
run iam eval --identity "$TMP/id.json" --principal $U --action s3:GetObject
expect_rc "missing resource" 2
run iam eval --scp "$TMP/id.json@x" --principal $U --action s3:GetObject --resource '*'
expect_rc "bad level" 2
run iam eval --principal $U --action s3:GetObject --resource '*' --context novalue
expect_rc "bad context" 2
run iam frobnicate
expect_rc "unknown subcommand" 2
run iam
expect_rc "no subcommand" 2
run iam eval --help
expect_rc "help" 0
expect_in "help text" "$TMP/out" "cshare iam eval"
finish
