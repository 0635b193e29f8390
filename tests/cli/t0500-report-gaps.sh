#!/bin/sh
# cshare report: every gap type of docs/report.md has a deployment that
# produces it and one that does not (tests/data/compliance/deployments/), on
# the fixture model of tests/data/compliance/data (facts worked out by hand in
# tests/data/compliance/README.md).  Also the statuses, exit codes and usage.
. "$CS_SRC/tests/cli/lib.sh"
D="$CS_SRC/tests/data/compliance"
R="--data $D/data --as-of 2026-11-29"

for gap in regulated-data-out-of-scope configurable-off-assumed-on iaas-os-assumed-provider \
	identity-assumed-provider assumption-contradicts-model stale-attestation \
	no-automated-evidence unattested-service; do
	# shellcheck disable=SC2086
	run report $R --deployment "$D/deployments/$gap-yes.yaml" -f json
	expect_in "$gap: produced" "$TMP/out" "\"type\":\"$gap\""
	# shellcheck disable=SC2086
	run report $R --deployment "$D/deployments/$gap-no.yaml" -f json
	expect_not_in "$gap: not produced" "$TMP/out" "\"type\":\"$gap\""
done

# stale depends on the report's date: ec2's attestation of 2024-01-15 is not
# stale on 2024-06-01
run report --data "$D/data" --as-of 2024-06-01 --deployment "$D/deployments/stale-attestation-yes.yaml" -f json
expect_not_in "stale-attestation: not stale at an earlier --as-of" "$TMP/out" '"type":"stale-attestation"'

# configurable-off-assumed-on: the gap attaches to T.2 (data.backup), which is then `gap`
# shellcheck disable=SC2086
run report $R --deployment "$D/deployments/configurable-off-assumed-on-yes.yaml" -f json
expect_rc "configurable-off-assumed-on: exit 1" 1
expect_in "configurable-off: requirement T.2" "$TMP/out" '"requirements":["T.2"]'
expect_in "configurable-off: T.2 is gap" "$TMP/out" '"id":"T.2","oscal_id":null,"parent":"T","group":"T","kind":"standard","obligation":"required","title":"Back up data","status":"gap"'
expect_in "configurable-off: assumption located" "$TMP/out" '"line":11,"column":5'

# every requirement met: T.1 with a passing check (KMS bucket) and eligible services
# shellcheck disable=SC2086
run report $R --deployment "$D/deployments/no-automated-evidence-no.yaml" -f json
expect_rc "all met: exit 0" 0
expect_in "all met: summary" "$TMP/out" '"summary":{"requirements":1,"met":1,"gap":0,"manual":0,"unknown":0,"gaps":0'
expect_in "all met: check counted" "$TMP/out" '"check":"CS-TEST-S3-002","title":"S3 bucket default encryption uses a KMS key","domain":"data.encryption_at_rest","pass":1,"fail":0,"unknown":0'

# T.7 has no domain: owner customer, manual; only no-automated-evidence: exit 0
# shellcheck disable=SC2086
run report $R --deployment "$D/deployments/no-automated-evidence-yes.yaml" -f json
expect_in "no domain: customer, manual" "$TMP/out" '"id":"T.7","oscal_id":null,"parent":"T","group":"T","kind":"standard","obligation":"required","title":"Written security policies","status":"manual"'
# T.6 physical: provider only, rds and s3 eligible -> met
expect_in "provider-only requirement met" "$TMP/out" '"title":"Physical security","status":"met"'

# unattested-service: status unknown, not gap
# shellcheck disable=SC2086
run report $R --deployment "$D/deployments/unattested-service-yes.yaml" -f json
expect_rc "unattested-service: exit 1" 1
expect_in "unattested: T.6 unknown" "$TMP/out" '"title":"Physical security","status":"unknown"'

# text summary
# shellcheck disable=SC2086
run report $R --deployment "$D/deployments/configurable-off-assumed-on-yes.yaml"
expect_in "text: counts" "$TMP/out" "configurable-off-assumed-on-yes: Test framework (testfw), as of 2026-11-29"
expect_in "text: fix line" "$TMP/out" "fix: turn data.backup on for every aws:rds resource yourself"

# a bad deployment file: located diagnostic, the report still written, exit 3
# shellcheck disable=SC2086
run report $R --deployment "$D/deployments/typo.yaml"
expect_rc "deployment typo" 3
expect_in "deployment typo: located" "$TMP/err" "typo.yaml:6:1: error: unknown key 'asumptions'"
expect_in "deployment typo: report written" "$TMP/out" "typo: Test framework (testfw)"

# usage and data errors
run report --frobnicate
expect_rc "unknown option" 2
run report $R --deployment "$D/deployments/bucket.yaml" --as-of yesterday
expect_rc "bad --as-of" 2
# shellcheck disable=SC2086
run report $R --deployment "$D/deployments/no-automated-evidence-yes.yaml" --framework nope
expect_rc "unknown framework" 3
# shellcheck disable=SC2086
run report $R --deployment "$D/deployments/no-automated-evidence-yes.yaml" -f pdf
expect_rc "unknown format" 2
finish
