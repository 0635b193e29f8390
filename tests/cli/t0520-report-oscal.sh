#!/bin/sh
# cshare report -f oscal: a system security plan valid against the official
# OSCAL 1.2.1 SSP JSON schema (vendored in tests/schemas/), with the
# by-component statements of docs/report.md, reproducible byte for byte.
# Needs node and npm (ajv installed once into build/jsonschema-tools, see
# ../shared/data/schemas/README.md); exits 77 (skipped) without them.
. "$CS_SRC/tests/cli/lib.sh"
D="$CS_SRC/tests/data/compliance"
R="--data $D/data --as-of 2026-11-29"

# shellcheck disable=SC2086
run report $R --deployment "$D/deployments/configurable-off-assumed-on-yes.yaml" -f oscal -o "$TMP/a.json"
expect_rc "oscal written" 1
# shellcheck disable=SC2086
run report $R --deployment "$D/deployments/configurable-off-assumed-on-yes.yaml" -f oscal -o "$TMP/b.json"
if cmp -s "$TMP/a.json" "$TMP/b.json"; then ok "oscal: reproducible"; else bad "oscal: two runs differ"; fi
expect_in "oscal: TSV ids become tokens" "$TMP/a.json" '"control-id":"testfw-t.2"'
expect_in "oscal: inherited" "$TMP/a.json" '"inherited":[{"uuid":'
expect_in "oscal: satisfied" "$TMP/a.json" '"satisfied":[{"uuid":'
expect_in "oscal: responsibilities" "$TMP/a.json" '"responsibilities":[{"uuid":'
# an OSCAL catalogue keeps its own ids
# shellcheck disable=SC2086
run report $R --deployment "$D/deployments/no-automated-evidence-yes.yaml" --framework mini-moderate -f oscal -o "$TMP/n.json"
expect_in "oscal: catalogue ids" "$TMP/n.json" '"control-id":"sc-28.1"'
expect_in "oscal: label prop" "$TMP/n.json" '"value":"SC-28(1)"'

command -v node >/dev/null 2>&1 || { echo "skip schema validation: node not found"; finish; }
T="${CS_BUILD:-$CS_SRC/build}/jsonschema-tools"
[ -d "$T/node_modules/ajv-formats" ] || T="$CS_SRC/build/jsonschema-tools"
if [ ! -d "$T/node_modules/ajv-formats" ]; then
	if command -v npm >/dev/null 2>&1; then
		mkdir -p "$T"
		npm install --prefix "$T" --no-audit --no-fund --save-exact --fetch-timeout=20000 --fetch-retries=1 \
			ajv@8.20.0 ajv-formats@3.0.1 >"$T/npm.log" 2>&1 || true
	fi
fi
if [ ! -d "$T/node_modules/ajv-formats" ]; then
	echo "skip schema validation: npm install failed (no registry?)"
	[ "$T_FAIL" = 0 ] && exit 77
	finish
fi
SCHEMA="$CS_SRC/tests/schemas/oscal-1.2.1/oscal_ssp_schema.json"
for f in a n; do
	if NODE_PATH="$T/node_modules" node -e '
const fs=require("fs"),Ajv=require("ajv"),F=require("ajv-formats");
const ajv=new Ajv({allErrors:true,strict:false});F(ajv);
const v=ajv.compile(JSON.parse(fs.readFileSync(process.argv[1],"utf8")));
const d=JSON.parse(fs.readFileSync(process.argv[2],"utf8"));
if(!v(d)){for(const e of v.errors.slice(0,20))console.error((e.instancePath||"/")+" "+e.message);process.exit(1)}' \
		"$SCHEMA" "$TMP/$f.json" 2>"$TMP/ajv.err"; then
		ok "oscal $f.json valid against oscal_ssp_schema.json 1.2.1"
	else
		bad "oscal $f.json invalid" "$(cat "$TMP/ajv.err")"
	fi
done
# the validator itself must reject a broken SSP (no import-profile)
sed 's/"import-profile"/"import-profil"/' "$TMP/a.json" >"$TMP/broken.json"
if NODE_PATH="$T/node_modules" node -e '
const fs=require("fs"),Ajv=require("ajv"),F=require("ajv-formats");
const ajv=new Ajv({strict:false});F(ajv);
const v=ajv.compile(JSON.parse(fs.readFileSync(process.argv[1],"utf8")));
process.exit(v(JSON.parse(fs.readFileSync(process.argv[2],"utf8")))?0:1)' "$SCHEMA" "$TMP/broken.json"; then
	bad "validator accepted an SSP without import-profile"
else
	ok "validator rejects an SSP without import-profile"
fi
finish
