# lib.sh - tiny helpers for the CLI tests (sourced).  Each test file ends
# with `finish`, which prints "N passed, N failed" and sets the exit code.
set -u
: "${CSHARE:?CSHARE must name the cshare binary}" "${CS_SRC:?CS_SRC must name the source tree}"
T_PASS=0
T_FAIL=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# The CLI tests use their own small catalogue, so they do not change when
# shipped checks change; tests of the shipped checks are the golden cases.
export CSHARE_HOME="$CS_SRC/tests/cli/home"
export NO_COLOR=1

ok() { T_PASS=$((T_PASS + 1)); echo "ok   $1"; }
bad() { T_FAIL=$((T_FAIL + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/     /'; return 0; }

# run CMD...: runs cshare, keeping stdout in $TMP/out, stderr in $TMP/err, exit in $RC
run() { "$CSHARE" "$@" >"$TMP/out" 2>"$TMP/err"; RC=$?; }

# expect_rc NAME CODE
expect_rc() { if [ "$RC" = "$2" ]; then ok "$1: exit $2"; else bad "$1: exit $RC, expected $2" "$(cat "$TMP/err")"; fi; }
# expect_in NAME FILE TEXT: fixed string TEXT occurs in FILE
expect_in() { if grep -qF -- "$3" "$2"; then ok "$1"; else bad "$1: '$3' not in $(basename "$2")" "$(head -c 2000 "$2")"; fi; }
expect_not_in() { if grep -qF -- "$3" "$2"; then bad "$1: '$3' unexpectedly in $(basename "$2")" "$(head -c 2000 "$2")"; else ok "$1"; fi; }

finish() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" = 0 ]
	exit $?
}
