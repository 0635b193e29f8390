#!/bin/sh
# Command line: help, version, usage errors (exit 2).
. "$CS_SRC/tests/cli/lib.sh"

run --version; expect_rc "version" 0; expect_in "version text" "$TMP/out" "cshare "
run --help; expect_rc "help" 0; expect_in "help lists audit" "$TMP/out" "audit"
for c in audit checks; do
	run "$c" --help; expect_rc "$c --help" 0; expect_in "$c --help synopsis" "$TMP/out" "cshare $c"
	run help "$c"; expect_rc "help $c" 0
done
run; expect_rc "no command" 2
run frobnicate; expect_rc "unknown command" 2; expect_in "unknown command named" "$TMP/err" "'frobnicate' is not a cshare command"
run audit; expect_rc "audit without input" 2; expect_in "audit usage hint" "$TMP/err" "cshare audit --help"
run audit --format xml x; expect_rc "unknown format" 2; expect_in "format named" "$TMP/err" "unknown format 'xml'"
run audit --severity severe x; expect_rc "unknown severity" 2
run audit --bogus x; expect_rc "unknown option" 2
run checks; expect_rc "checks without subcommand" 2
run checks frob; expect_rc "checks unknown subcommand" 2
run checks show; expect_rc "checks show without id" 2
run checks show NO-SUCH-CHECK; expect_rc "checks show unknown id" 2; expect_in "unknown id named" "$TMP/err" "NO-SUCH-CHECK"
finish
