#!/bin/sh
# scripts/check-data.py: the shipped responsibility data validates, and each
# kind of problem in a copy of it is reported as file:line:col with exit 1.
. "$CS_SRC/tests/cli/lib.sh"
command -v python3 >/dev/null 2>&1 || { echo "python3 missing: skipped"; exit 77; }
CHECK="$CS_SRC/scripts/check-data.py"

python3 "$CHECK" "$CS_SRC/data" >"$TMP/out" 2>"$TMP/err"; RC=$?
expect_rc "shipped data" 0

# copy: a fresh data folder per case
fresh() {
	rm -rf "$TMP/d"; mkdir -p "$TMP/d/responsibility"
	cp "$CS_SRC/data/domains.tsv" "$TMP/d/"
	cp "$CS_SRC"/data/responsibility/sources*.tsv "$CS_SRC/data/responsibility/services.tsv" \
	   "$CS_SRC/data/responsibility/ownership.tsv" "$TMP/d/responsibility/"
}
check() { python3 "$CHECK" "$TMP/d" >"$TMP/out" 2>"$TMP/err"; RC=$?; }
R="$TMP/d/responsibility"

fresh; printf 'aws\ts3\tpaas\n' >>"$R/services.tsv"; check
expect_rc "short record" 1
expect_in "short record: located" "$TMP/err" "services.tsv:$(wc -l <"$R/services.tsv" | tr -d ' '):1: 3 fields, expected 6"

fresh; sed -i 's/^provider\tservice_id/provider\tservice/' "$R/services.tsv"; check
expect_rc "bad header" 1
expect_in "bad header: column named" "$TMP/err" "header: expected column 2 to be 'service_id'"

fresh; printf 'aws\ts3x\tcloud\tstorage\tX\tcfn:AWS::S3X::*\n' >>"$R/services.tsv"; check
expect_rc "bad model" 1
expect_in "bad model: vocabulary" "$TMP/err" "model: 'cloud' is not one of iaas, paas, saas"

fresh; printf 'aws\ts3copy\tpaas\tstorage\tX\tcfn:AWS::S3::*\n' >>"$R/services.tsv"; check
expect_rc "pattern on two services" 1
expect_in "pattern on two services: named" "$TMP/err" "identifier 'cfn:AWS::S3::*' is also claimed by aws:s3"

fresh; printf 'gcp\tgx\tpaas\tstorage\tX\ttf:aws_s3_thing\n' >>"$R/services.tsv"; check
expect_rc "foreign identifier" 1
expect_in "foreign identifier: named" "$TMP/err" "not a gcp Terraform type"

fresh; printf 'aws\tnosuch\t*\tdata.backup\tcustomer\tnone\tna\t-\taws-srm\t2026-11-29\n' >>"$R/ownership.tsv"; check
expect_rc "unknown service" 1
expect_in "unknown service: named" "$TMP/err" "service 'aws:nosuch' is not in services.tsv"

fresh; printf 'aws\ts3\t*\tdata.nosuch\tcustomer\tnone\tna\t-\tnosuch-src\t2026-02-30\n' >>"$R/ownership.tsv"; check
expect_rc "bad references" 1
expect_in "unknown domain" "$TMP/err" "domain 'data.nosuch' is not in domains.tsv"
expect_in "unknown source" "$TMP/err" "source 'nosuch-src' is not in sources*.tsv"
expect_in "impossible date" "$TMP/err" "as_of: '2026-02-30' is not a date YYYY-MM-DD"

fresh; printf 'aws\ts3\t*\tdata.backup\tcustomer\tnone\toff\t-\taws-srm\t2026-11-29\n' >>"$R/ownership.tsv"; check
expect_rc "state without configurable" 1
expect_in "state without configurable: said" "$TMP/err" "default_state: 'off' needs mode configurable"

fresh; grep -m1 '^aws	s3	\*	' "$R/ownership.tsv" >>"$R/ownership.tsv"; check
expect_rc "duplicate ownership row" 1
expect_in "duplicate ownership row: named" "$TMP/err" "duplicate row for aws s3 *"

fresh; sed -i '/^gcp	\*	saas	governance.compliance	/d' "$R/ownership.tsv"; check
expect_rc "missing default" 1
expect_in "missing default: named" "$TMP/err" "no default row for gcp * saas governance.compliance"

fresh; printf 'aws-srm\tdoc\tcurrent\t2026-11-29\tx\thttps://example.org\tdup\n' >"$R/sources-extra.tsv"; check
expect_rc "duplicate source across files" 1
expect_in "duplicate source: no header" "$TMP/err" "sources-extra.tsv:1:1: header: expected column 1 to be 'source_id'"
printf 'source_id\tkind\tstatus\tretrieved\tlicence\treference\ttitle\naws-srm\tdoc\tcurrent\t2026-11-29\tx\thttps://example.org\tdup\n' >"$R/sources-extra.tsv"; check
expect_in "duplicate source across files: named" "$TMP/err" "duplicate source_id 'aws-srm'"

fresh; printf 'aws\ts3\t*\tdata.backup\tcustomer\tnone\tna\t\taws-srm\t2026-11-29\n' >>"$R/ownership.tsv"; check
expect_in "empty field" "$TMP/err" "customer_duty: empty or padded field"

finish
