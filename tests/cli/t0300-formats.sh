#!/bin/sh
# Output formats: JSON, CSV, JUnit and SARIF parse and carry the results;
# SARIF validates against the SARIF 2.1.0 schema when the schema and Node.js
# are available (skipped otherwise).
. "$CS_SRC/tests/cli/lib.sh"
IN="$CS_SRC/tests/cli/inputs"

run audit -f json "$IN"; expect_rc "json exit (findings)" 1
if python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
assert s == {"resources": 4, "checks": 2, "fail": 3, "unknown": 1, "pass": 3, "suppressed": 1}, s
r = {(x["check_id"], x["resource"]["name"]): x for x in d["results"]}
x = r[("CS-TEST-S3-001", "Plain")]
assert x["verdict"] == "fail" and x["evidence"] == "versioning is not set", x
assert x["location"]["line"] == 10 and x["location"]["column"] == 3, x["location"]
assert x["frameworks"]["nist-800-53-r5"] == ["CP-9"] and x["domain"] == "data.recovery"
y = r[("CS-TEST-S3-002", "Plain")]
assert y["evidence"].startswith('sse_algorithm = "AES256" (provider default'), y["evidence"]
u = r[("CS-TEST-S3-001", "Undecided")]
assert u["verdict"] == "unknown" and "Status has no default" in u["evidence"], u
assert ("CS-TEST-S3-002", "LogBucket") not in r  # suppressed, not listed
PY
then ok "json content"; else bad "json content"; fi

run audit -f csv --all --show-suppressed "$IN"
if python3 - "$TMP/out" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 8, len(rows)
supp = [r for r in rows if r["suppressed"]]
assert len(supp) == 1 and supp[0]["resource"] == "LogBucket" and "SSE-KMS is not supported" in supp[0]["suppressed"], supp
PY
then ok "csv content"; else bad "csv content"; fi

run audit -f junit "$IN"
if python3 - "$TMP/out" <<'PY'
import sys, xml.etree.ElementTree as ET
t = ET.parse(sys.argv[1]).getroot()
assert t.tag == "testsuites" and t.get("tests") == "7" and t.get("failures") == "3" and t.get("skipped") == "1", t.attrib
names = [s.get("name") for s in t]
assert names == ["CS-TEST-S3-002", "CS-TEST-S3-001"], names
PY
then ok "junit content"; else bad "junit content"; fi

run audit -f sarif -o "$TMP/r.sarif" "$IN"; expect_rc "sarif exit" 1
if python3 - "$TMP/r.sarif" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
run = d["runs"][0]
assert d["version"] == "2.1.0"
rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
assert rules == ["CS-TEST-S3-002", "CS-TEST-S3-001"], rules
res = run["results"]
assert len(res) == 4, len(res)
kinds = sorted(r["kind"] for r in res)
assert kinds == ["fail", "fail", "fail", "review"], kinds
for r in res:
    loc = r["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("tests/cli/inputs/findings.yaml")
    assert loc["region"]["startLine"] >= 1
    assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
    if r["kind"] != "fail":
        assert r["level"] == "none"
PY
then ok "sarif content"; else bad "sarif content"; fi

# standard input, recognized by content like any file
"$CSHARE" audit -f csv --all - < "$IN/good.yaml" > "$TMP/stdin.csv" 2>"$TMP/err"; RC=$?
expect_rc "standard input" 0
expect_in "standard input audited" "$TMP/stdin.csv" "pass,CS-TEST-S3-001,medium,data.recovery,customer,aws.s3.bucket,Sound,-,"

SCHEMA="$CS_SRC/../shared/data/schemas/sarif-2.1.0/sarif-schema-2.1.0.json"
TOOLS="$CS_BUILD/jsonschema-tools"
if [ -f "$SCHEMA" ] && command -v node >/dev/null 2>&1; then
	if [ ! -d "$TOOLS/node_modules/ajv-draft-04" ]; then
		npm install --prefix "$TOOLS" --no-audit --no-fund --save-exact ajv@8.20.0 ajv-formats@3.0.1 ajv-draft-04@1.0.0 >/dev/null 2>&1
	fi
	if [ -d "$TOOLS/node_modules/ajv-draft-04" ]; then
		if NODE_PATH="$TOOLS/node_modules" node -e '
const fs=require("fs"),A=require("ajv-draft-04"),F=require("ajv-formats");
const ajv=new A({allErrors:true,strict:false});F(ajv);
const v=ajv.compile(JSON.parse(fs.readFileSync(process.argv[1],"utf8")));
const ok=v(JSON.parse(fs.readFileSync(process.argv[2],"utf8")));
if(!ok){console.error(JSON.stringify(v.errors,null,1));process.exit(1)}' "$SCHEMA" "$TMP/r.sarif" 2>"$TMP/ajv.err"; then
			ok "sarif valid against the SARIF 2.1.0 schema"
		else
			bad "sarif schema validation" "$(cat "$TMP/ajv.err")"
		fi
	else
		echo "skip sarif schema validation: npm install failed (offline?)"
	fi
else
	echo "skip sarif schema validation: schema (../shared) or node not available"
fi
finish
