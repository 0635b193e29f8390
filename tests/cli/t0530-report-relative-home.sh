#!/bin/sh
# cshare report with a relative data directory (CSHARE_HOME=. in the source
# tree): the framework catalogue path is joined to the data directory once,
# not twice (it was read as ./data/frameworks/./data/frameworks/hipaa.tsv).
. "$CS_SRC/tests/cli/lib.sh"
cd "$CS_SRC" || exit 1
CSHARE_HOME=. "$CSHARE" report examples/healthcare --framework hipaa --as-of 2026-11-29 \
	>"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc "report with CSHARE_HOME=." 1
expect_not_in "no doubled path" "$TMP/err" "frameworks/./data"
expect_in "summary" "$TMP/out" "65 requirements"
run report examples/healthcare --data ./data --framework nist-800-53-r5-moderate --as-of 2026-11-29
expect_rc "report with --data ./data (OSCAL catalogue and profile)" 1
expect_in "NIST moderate baseline" "$TMP/out" "287 requirements"
finish
