#!/bin/sh
# cshare audit and cshare report over IAM exports (authorization details,
# credential reports) with the shipped iam-analysis checks: results in every
# output format, --now, baselines, and the report counting IAM evidence for
# identity requirements.  The verdicts are those of
# tests/cases/checks/aws-iam-analysis/EXPECT (worked out there).
. "$CS_SRC/tests/cli/lib.sh"
export CSHARE_HOME="$CS_SRC"
C="$CS_SRC/tests/cases/checks/aws-iam-analysis"

run audit --check CS-AWS-IAM-017 --check CS-AWS-IAM-018 "$C/authdetails.json" "$C/credential-report.csv"
expect_rc "audit over an IAM export: findings" 1
expect_in "text: bob has no MFA" "$TMP/out" "bob can sign in to the console with a password and has no MFA device"
expect_in "text: location of bob's report row" "$TMP/out" "credential-report.csv:4:1"
expect_in "text: root without MFA" "$TMP/out" "CS-AWS-IAM-018"

for f in json sarif junit csv; do
	run audit -f $f --check CS-AWS-IAM-017 "$C/authdetails.json" "$C/credential-report.csv"
	expect_rc "format $f" 1
	expect_in "format $f names bob" "$TMP/out" "arn:aws:iam::111122223333:user/bob"
done
run audit -f json --all --check CS-AWS-IAM-017 "$C/authdetails.json" "$C/credential-report.csv"
expect_in "json: unknown for a user without a report row" "$TMP/out" '"name":"arn:aws:iam::111122223333:user/erin"'
expect_in "json: credential-report format" "$TMP/out" '"format":"aws-iam-credential-report"'

# only the credential report: no authorization details needed for the MFA checks
run audit --check CS-AWS-IAM-017 "$C/credential-report.csv"
expect_rc "credential report alone" 1

# a CSV that is no credential report, named explicitly: an input error
printf 'a,b\n1,2\n' > "$TMP/data.csv"
run audit "$TMP/data.csv"
expect_rc "other CSV" 4
expect_in "other CSV: said why" "$TMP/err" "IAM credential report"

# --now: ages are measured against it.  Before 2019-05-02 dave's key (last used
# 2019-02-01) had been used within 90 days: no stale finding for it
run audit --now 1550000000 --check CS-AWS-IAM-020 -f json "$C/authdetails.json" "$C/credential-report.csv"
expect_not_in "--now: dave not stale in Feb 2019" "$TMP/out" '"name":"arn:aws:iam::111122223333:user/dave"'
run audit --now yesterday "$C/authdetails.json"
expect_rc "--now takes seconds" 2

# baselines: the findings written, then suppressed
run audit --check 'CS-AWS-IAM-01*' --write-baseline "$TMP/base" "$C/authdetails.json" "$C/credential-report.csv"
expect_rc "write baseline" 1
expect_in "baseline lists the IAM finding" "$TMP/base" "CS-AWS-IAM-017 aws.iam.user arn:aws:iam::111122223333:user/bob"
run audit --check 'CS-AWS-IAM-01*' --baseline "$TMP/base" "$C/authdetails.json" "$C/credential-report.csv"
expect_rc "baseline suppresses every IAM finding" 0

# the report: HIPAA 164.312(d) (person or entity authentication, identity.mfa) gets
# automated evidence from CS-AWS-IAM-017 when the deployment has an IAM export
# (examples/healthcare/iam: m.okafor has MFA, ci-deploy no password: pass;
# j.lindqvist has a password and no MFA: fail)
run report "$CS_SRC/examples/healthcare" --framework hipaa --as-of 2026-11-29 -f json
expect_in "report: 164.312(d) evidenced by the MFA check" "$TMP/out" '"check":"CS-AWS-IAM-017","title":"IAM users with a console password have MFA","domain":"identity.mfa","pass":2,"fail":1,"unknown":0'
run report "$CS_SRC/examples/healthcare" --framework pci-dss-v4 --as-of 2026-11-29 -f json
expect_in "report: PCI 8.4.2 evidenced by the MFA check" "$TMP/out" '"check":"CS-AWS-IAM-017"'
finish
