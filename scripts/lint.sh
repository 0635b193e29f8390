#!/bin/sh
# lint.sh [SRCDIR] - checks the conventions a compiler does not: every C file
# starts with a purpose comment; public functions are cs_<object>_<verb>
# with CS_API in include/cshare; no printing or exiting in the library;
# banned.h reaches every library file. Prints each problem; exits 1 if any.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2
bad=0
say() { echo "lint: $*"; bad=1; }

for f in $(find src include tests/unit tests/fuzz bench -name '*.[ch]' | sort); do
	first=$(grep -v '^[[:space:]]*$' "$f" | head -n 1)
	case $first in
	/\**) ;;
	*) say "$f: does not start with a purpose comment" ;;
	esac
done
# the library never prints or exits (the CLI does)
for f in $(find src/lib -name '*.c' | sort); do
	grep -nE '\b(printf|fprintf|puts|fputs|perror|exit|abort)[[:space:]]*\(' "$f" |
		grep -vE 'snprintf|vsnprintf|cs_buf_printf|cs_arena_printf|CS_PRINTF' |
		while IFS= read -r line; do
			case "$f:$line" in
			src/lib/core/error.c:*) ;; # cs__bug: the one abort on an impossible state
			*) echo "lint: $f:$line: the library must not print or exit"; echo x >> "$root/.lint-bad" ;;
			esac
		done
done
if [ -f "$root/.lint-bad" ]; then bad=1; rm -f "$root/.lint-bad"; fi
# public declarations carry CS_API and the cs_ prefix
for f in include/cshare/*.h; do
	grep -nE '^CS_API ' "$f" | grep -vE 'CS_API [^(]*\bcs_[a-z0-9_]+\(' | while IFS= read -r line; do
		echo "lint: $f:$line: public functions are named cs_<object>_<verb>"
		echo x >> "$root/.lint-bad"
	done
done
if [ -f "$root/.lint-bad" ]; then bad=1; rm -f "$root/.lint-bad"; fi
# every library file reaches banned.h (through core/internal.h), directly or
# through the part's own headers
reaches_banned() { # FILE DEPTH
	[ "$2" -gt 4 ] && return 1
	for inc in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$1"); do
		case "$inc" in */banned.h | banned.h) return 0 ;; esac
		for cand in "$(dirname "$1")/$inc" "src/lib/$inc"; do
			[ -f "$cand" ] || continue
			reaches_banned "$cand" $(($2 + 1)) && return 0
			break
		done
	done
	return 1
}
for f in $(find src/lib -name '*.c' | sort); do
	reaches_banned "$f" 0 ||
		say "$f: does not include core/internal.h (banned functions unchecked)"
done
[ $bad = 0 ] && echo "lint: ok"
exit $bad
