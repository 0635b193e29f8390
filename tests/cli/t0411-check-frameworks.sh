#!/bin/sh
# scripts/check-frameworks.py: the shipped framework catalogues, controls map and
# attestations validate, every framework id a check names exists, and a broken
# copy is reported with its file and line.
. "$CS_SRC/tests/cli/lib.sh"
command -v python3 >/dev/null 2>&1 || { echo "python3 missing: skipped"; exit 77; }
CHECK="$CS_SRC/scripts/check-frameworks.py"

python3 "$CHECK" "$CS_SRC" >"$TMP/out" 2>"$TMP/err"; RC=$?
expect_rc "shipped frameworks" 0

# a copy of the tree's data and checks with one unknown control id in a check
mkdir -p "$TMP/r"
cp -r "$CS_SRC/data" "$CS_SRC/checks" "$TMP/r/"
f="$TMP/r/checks/aws/s3/CS-AWS-S3-001.yaml"
sed -i 's/hipaa: \[164.312(a)(2)(iv)\]/hipaa: [164.312(a)(9)]/' "$f"
python3 "$CHECK" "$TMP/r" >"$TMP/out" 2>&1; RC=$?
expect_rc "unknown control id" 1
expect_in "unknown id named" "$TMP/out" "164.312(a)(9)"
finish
