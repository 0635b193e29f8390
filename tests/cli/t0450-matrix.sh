#!/bin/sh
# cshare matrix: every format, --explain, the deployment file, and the exit
# codes for bad data files, bad deployment files and bad inputs.
. "$CS_SRC/tests/cli/lib.sh"
FIX="$CS_SRC/tests/data/responsibility"
D="--data $FIX/good"
# the CLI tests' home has the shipped mappings only through the source tree
export CSHARE_HOME="$CS_SRC"

run matrix $D --as-of 2026-06-01 "$FIX/deploy"; expect_rc "text" 0
expect_in "text: title" "$TMP/out" "Responsibility matrix: CarePath test deployment (as of 2026-06-01)"
expect_in "text: service line" "$TMP/out" "aws:rds  Amazon RDS (paas, database; 1 resource; data: phi)"
expect_in "text: cell" "$TMP/out" "  data.backup              shared    configurable  varies   Keep backup retention above 0 days"
expect_in "text: contradicting assumption" "$TMP/out" "! assumed provider, state on ("
expect_in "text: unclassified" "$TMP/out" "  cloudformation:AWS::DynamoDB::Table"
expect_in "text: summary" "$TMP/out" "30 cells: 7 provider, 7 customer, 2 shared, 0 na, 14 unknown"
expect_not_in "text: no colour with NO_COLOR" "$TMP/out" "[0m"
run matrix $D --color always "$FIX/deploy"; expect_rc "text --color always" 0
expect_in "colour codes" "$TMP/out" "[1;31munknown"
run matrix $D --color sometimes "$FIX/deploy"; expect_rc "bad --color" 2

run matrix $D -f markdown "$FIX/deploy"; expect_rc "markdown" 0
expect_in "markdown table" "$TMP/out" "| Domain | Owner | Mode | Default | Customer duty | Source |"
run matrix $D -f csv "$FIX/deploy"; expect_rc "csv" 0
expect_in "csv header" "$TMP/out" "service,provider,model,domain,owner,mode,default_state,customer_duty,lookup,source,as_of"
if [ "$(grep -c . "$TMP/out")" = 31 ]; then ok "csv: header + 30 rows"; else bad "csv rows: $(grep -c . "$TMP/out")"; fi
if tr -d '\n' <"$TMP/out" | grep -q "$(printf 'as_of\r')"; then ok "csv: CRLF"; else bad "csv: no CRLF"; fi
run matrix $D -f json "$FIX/deploy"; expect_rc "json" 0
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["summary"]["unknown"]==14 and len(d["services"])==5' "$TMP/out" 2>"$TMP/py"; then
	ok "json parses, 5 services, 14 unknown"
else
	bad "json" "$(cat "$TMP/py")"
fi
run matrix $D -f html -o "$TMP/m.html" "$FIX/deploy"; expect_rc "html -o" 0
expect_in "html file" "$TMP/m.html" '<tr class="unknown">'
expect_not_in "html: no script" "$TMP/m.html" "<script"
run matrix $D -f xml "$FIX/deploy"; expect_rc "unknown format" 2; expect_in "format named" "$TMP/err" "unknown format 'xml'"

# --deployment FILE: inputs relative to the file, wherever cshare runs
(cd "$TMP" && "$CSHARE" matrix $D --deployment "$FIX/deploy/cshare.yaml" >"$TMP/out" 2>"$TMP/err"); RC=$?
expect_rc "--deployment" 0; expect_in "--deployment reads its inputs" "$TMP/out" "aws:ec2  Amazon EC2 (iaas, compute; 1 resource)"

# without a deployment file: the inputs of DIR, nothing declared
mkdir "$TMP/plain"; cp "$FIX/deploy/template.yaml" "$TMP/plain/"
run matrix $D "$TMP/plain"; expect_rc "no deployment file" 0
expect_in "derived only: ec2, rds, s3" "$TMP/out" "3 services used"
expect_not_in "nothing declared" "$TMP/out" "aws:cognito"

# --explain
run matrix $D --explain aws:rds data.backup; expect_rc "explain" 0
expect_in "explain: owner" "$TMP/out" "owner: shared"
expect_in "explain: level" "$TMP/out" "found by: the service's own row"
expect_in "explain: source" "$TMP/out" "source: aws-srm - AWS Shared Responsibility Model"
expect_in "explain: reference" "$TMP/out" "reference: https://aws.amazon.com/compliance/shared-responsibility-model/"
expect_in "explain: retrieved" "$TMP/out" "retrieved: 2026-01-10"
run matrix --explain aws:lightsail data.backup $D; expect_rc "explain unknown cell" 0
expect_in "explain: rows tried" "$TMP/out" "the provider's catch-all row"
expect_in "explain: implied attestation" "$TMP/out" "implied: the service is not named on this complete list"
run matrix $D --explain aws:nope data.backup; expect_rc "explain unknown service" 2
expect_in "unknown service named" "$TMP/err" "unknown service 'aws:nope'"
run matrix $D --explain aws:s3; expect_rc "explain without domain" 2
run matrix $D --as-of yesterday "$FIX/deploy"; expect_rc "bad --as-of" 2
run matrix $D a b; expect_rc "two directories" 2

# bad data files: exit 3, located diagnostics, the matrix still written
run matrix --data "$FIX/bad" "$TMP/plain"; expect_rc "bad data" 3
expect_in "data diag located" "$TMP/err" "bad/responsibility/ownership.tsv:4:22: error: 'owns' is not one of"
expect_in "matrix still written" "$TMP/out" "Responsibility matrix:"
run matrix --data "$TMP/nowhere" "$TMP/plain"; expect_rc "missing data dir" 3

# bad deployment file: exit 3, file:line:column
mkdir "$TMP/baddep"; cp "$FIX/deploy/template.yaml" "$TMP/baddep/"
printf 'version: 1\nname: bad\nassumptions:\n  - service: aws:s3\n    domain: data.backup\n    owner: provider\n    sate: on\n' >"$TMP/baddep/cshare.yaml"
run matrix $D "$TMP/baddep"; expect_rc "bad deployment" 3
expect_in "deployment diag located" "$TMP/err" "baddep/cshare.yaml:7:5: error: unknown key 'sate' in an assumption"
printf 'version: 1\nname: [bad\n' >"$TMP/baddep/cshare.yaml"
run matrix $D "$TMP/baddep"; expect_rc "unparsable deployment" 3
run matrix $D --deployment "$TMP/none.yaml"; expect_rc "missing deployment" 3

# bad input: exit 4, the matrix still written
mkdir "$TMP/badin"; printf '{"Resources": {"A": {"Type": "AWS::S3::Bucket"}' >"$TMP/badin/broken.json"
cp "$FIX/deploy/template.yaml" "$TMP/badin/"
run matrix $D "$TMP/badin"; expect_rc "bad input" 4
expect_in "input error located" "$TMP/err" "broken.json:1:"
expect_in "matrix of the rest" "$TMP/out" "aws:s3  Amazon S3"

# the shipped data and every example: no diagnostic, exit 0
for ex in "$CS_SRC"/examples/*/; do
	[ -f "$ex/cshare.yaml" ] || continue
	run matrix "$ex"; expect_rc "example $(basename "$ex")" 0
	if [ -s "$TMP/err" ]; then bad "example $(basename "$ex"): diagnostics" "$(head -c 2000 "$TMP/err")"; else ok "example $(basename "$ex"): no diagnostics"; fi
done

run matrix --help; expect_rc "help" 0; expect_in "help synopsis" "$TMP/out" "cshare matrix [DIR]"
finish
