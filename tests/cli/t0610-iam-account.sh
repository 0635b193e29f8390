#!/bin/sh
# cshare iam can / who-can / analyze on a small account (tests/data/iam).
. "$CS_SRC/tests/cli/lib.sh"
D="$CS_SRC/tests/data/iam"
CAT="--data $CS_SRC/data/iam"
A="arn:aws:iam::111122223333"

run iam can $CAT --account "$D/analyze.json" "$A:user/reader" s3:GetObject arn:aws:s3:::reports/a
expect_rc "group policy allows" 0
expect_in "explained" "$TMP/out" "allow"
run iam can $CAT --account "$D/analyze.json" --account "$D/analyze-org.json" "$A:user/admin" iam:CreateAccessKey "$A:user/admin"
expect_rc "SCP denies the admin" 1
expect_in "the SCP named" "$TMP/out" "NoAccessKeys"
run iam can $CAT --account "$D/analyze.json" -f json "$A:user/bounded" iam:CreateUser '*'
expect_rc "boundary limits" 1
expect_in "json decision" "$TMP/out" '"implicit-deny"'

run iam who-can $CAT --account "$D/analyze.json" s3:GetObject arn:aws:s3:::reports/a
expect_rc "who-can finds some" 1
expect_in "reader listed" "$TMP/out" "$A:user/reader"
expect_not_in "intern not listed" "$TMP/out" "user/intern"

run iam analyze $CAT --account "$D/analyze.json" --account "$D/analyze-creds.csv" --now 1795824000
expect_rc "analyze has findings" 1
expect_in "chain" "$TMP/out" "sts:AssumeRole -> $A:role/Hop -> $A:role/Boss"
expect_in "located" "$TMP/out" "analyze.json:17:3: high [iam.escalation.create-policy-version, identity.least_privilege]"
expect_in "no mfa" "$TMP/out" "[iam.console-no-mfa, identity.mfa]"
run iam analyze $CAT --account "$D/analyze.json" -f json --now 1795824000
expect_in "json findings" "$TMP/out" '"id":"iam.admin-equivalent"'

run iam analyze $CAT --account "$D/authdetails.json"
expect_rc "input problems: exit 4" 4
expect_in "located diagnostic" "$TMP/err" "authdetails.json:40:5"
run iam analyze $CAT
expect_rc "no account" 2
run iam can $CAT --account "$D/analyze.json" x
expect_rc "can needs three arguments" 2
run iam can $CAT --account "$D/analyze.json" nobody s3:GetObject '*'
expect_rc "bad principal" 2
finish
