#!/bin/sh
# t0600-hcl-parse.sh - the HCL parser against golden cases and, as the
# differential test of issue 6, against HashiCorp's own parser
# (@cdktf/hcl2json, HCL compiled to WebAssembly, from the npm registry):
#  - tests/cases/hcl/parse/NAME.tf with NAME.json: our AST, printed in
#    hcl2json's shape by `test_hcl_parse --dump`, equals NAME.json (which
#    is hcl2json 0.21.0's output for the file);
#  - NAME.tf with NAME.err: the file is rejected, and the first diagnostic
#    is at the line:col and with the summary in NAME.err (as hcl2json
#    reports them);
#  - every .tf file under ../shared/data/corpora/terraform/ and the golden
#    cases parses in both parsers or fails in both, and the structures
#    agree (skipped when node, npm or the corpus is missing).
. "$CS_SRC/tests/cli/lib.sh"
DUMP="$CS_BUILD/tests/test_hcl_parse"
CASES="$CS_SRC/tests/cases/hcl/parse"
[ -x "$DUMP" ] || { echo "skip: $DUMP not built"; exit 77; }

for tf in "$CASES"/*.tf; do
	name=$(basename "$tf" .tf)
	"$DUMP" --dump "$tf" >"$TMP/out" 2>"$TMP/err"
	if [ -f "$CASES/$name.json" ]; then
		if python3 - "$TMP/out" "$CASES/$name.json" <<'PY'
import json, sys
mine = json.loads(open(sys.argv[1]).readline())
want = json.load(open(sys.argv[2]))
sys.exit(0 if mine == want else 1)
PY
		then ok "golden $name"; else bad "golden $name" "$(head -c 1500 "$TMP/out")"; fi
	elif [ -f "$CASES/$name.err" ]; then
		want=$(cat "$CASES/$name.err")
		expect_in "golden $name: rejected" "$TMP/out" "ERROR ESYNTAX"
		first=$(head -n 1 "$TMP/err")
		case "$first" in
		"$want"*) ok "golden $name: $want" ;;
		*) bad "golden $name: first diagnostic '$first', expected '$want'" ;;
		esac
	else
		bad "golden $name: no .json or .err expectation"
	fi
done

CORPUS="$CS_SRC/../shared/data/corpora/terraform"
TOOLS="$CS_BUILD/hcl-tools"
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
	if [ ! -d "$TOOLS/node_modules/@cdktf/hcl2json" ]; then
		npm install --prefix "$TOOLS" --no-audit --no-fund --save-exact @cdktf/hcl2json@0.21.0 >/dev/null 2>&1
	fi
	if [ -d "$TOOLS/node_modules/@cdktf/hcl2json" ]; then
		find "$CASES" -name '*.tf' | sort >"$TMP/files"
		if [ -d "$CORPUS" ]; then
			find "$CORPUS" -name '*.tf' | sort >>"$TMP/files"
		else
			echo "skip corpus: $CORPUS not present"
		fi
		# file names have no spaces in the corpus or the cases
		# shellcheck disable=SC2046
		if node "$CS_SRC/tests/cli/hcl/differential.js" "$TOOLS/node_modules" "$DUMP" \
			$(cat "$TMP/files") >"$TMP/diff" 2>&1; then
			ok "differential: $(tail -n 1 "$TMP/diff")"
		else
			bad "differential with hcl2json" "$(head -c 6000 "$TMP/diff")"
		fi
	else
		echo "skip differential: npm install @cdktf/hcl2json failed (offline?)"
	fi
else
	echo "skip differential: node or npm not available"
fi
finish
