#!/bin/sh
# Bad inputs: each gets a located diagnostic and exit 4, and the good input
# beside it is still audited and reported.
. "$CS_SRC/tests/cli/lib.sh"
GOOD="$CS_SRC/tests/cli/inputs/good.yaml"

check_bad() { # NAME FILE EXPECTED-DIAGNOSTIC
	run audit -f csv --all "$2" "$GOOD"
	expect_rc "$1" 4
	expect_in "$1: diagnostic" "$TMP/err" "$3"
	expect_in "$1: good input still audited" "$TMP/out" "pass,CS-TEST-S3-001,medium,data.recovery,customer,aws.s3.bucket,Sound"
}

printf 'Resources:\n  A:\n    Type: [AWS::S3::Bucket\n' > "$TMP/malformed.yaml"
check_bad "malformed YAML" "$TMP/malformed.yaml" "malformed.yaml:4:1: error:"

printf '{\n  "Resources": {\n    "A": {"Type": "AWS::S3::Bucket",}\n  }\n}\n' > "$TMP/malformed.json"
check_bad "malformed JSON" "$TMP/malformed.json" "malformed.json:3:37: error: invalid JSON: string key expected in object"

printf '{"hello": "world"}\n' > "$TMP/unknown.json"
check_bad "unknown format" "$TMP/unknown.json" "unknown.json:1:1: error: not a recognized input"

printf 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  - Type: AWS::S3::Bucket\n' > "$TMP/wrongtype.yaml"
check_bad "wrong types" "$TMP/wrongtype.yaml" "wrongtype.yaml:3:3: error:"

python3 -c 'import sys; sys.stdout.write("["*100000 + "]"*100000)' > "$TMP/deep.json"
check_bad "deep nesting" "$TMP/deep.json" "deep.json:1:513: error: invalid JSON: nesting too deep"

printf 'Resources:\n  A:\n    Type: "AWS::S3::Bucket"\n    Properties: {BucketName: "caf\351"}\n' > "$TMP/latin1.yaml"
check_bad "invalid UTF-8" "$TMP/latin1.yaml" "latin1.yaml:4:"

: > "$TMP/empty.yaml"
check_bad "empty file" "$TMP/empty.yaml" "empty.yaml:1:1: error: empty file"

printf '\000\001\002binary' > "$TMP/blob.json"
check_bad "binary file" "$TMP/blob.json" "blob.json:1:1: error: binary file"

check_bad "missing file" "$TMP/nope.yaml" "nope.yaml: error: cannot open: No such file or directory"

python3 -c 'import sys; sys.stdout.write("{\"x\":\"" + "a"*(100*1024*1024) + "\"}")' > "$TMP/big.json"
run audit --max-file-size 50 -f csv --all "$TMP/big.json" "$GOOD"
expect_rc "100 MB file over the limit" 4
expect_in "100 MB file: diagnostic" "$TMP/err" "big.json: error: file is larger than the 50 MiB limit"
expect_in "100 MB file: good input still audited" "$TMP/out" ",Sound,"
run audit -f csv --all "$TMP/big.json" "$GOOD"
expect_rc "100 MB file read whole" 4
expect_in "100 MB file read: not recognized" "$TMP/err" "big.json:1:1: error: not a recognized input"
rm -f "$TMP/big.json"

# in a directory walk, a file that is not an input is skipped quietly
mkdir -p "$TMP/dir/sub" && cp "$GOOD" "$TMP/dir/sub/" && printf '{"name":"pkg"}' > "$TMP/dir/package.json"
run audit -f csv "$TMP/dir"
expect_rc "directory with a non-input JSON" 0
run audit -v -f csv "$TMP/dir"
expect_in "skipped file noted with -v" "$TMP/err" "package.json: note: skipped"
finish
