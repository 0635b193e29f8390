#!/bin/sh
# demo.sh - what `make demo` runs: audit the bundled healthcare deployment
# (examples/healthcare) with the given cshare binary and show the report, then
# the HIPAA report of the same deployment (cshare report): its summary and
# gaps on the terminal, the whole report as one HTML file in build/demo/.
#
# usage: scripts/demo.sh BINARY
#
# The example is full of deliberate weaknesses, so cshare exits 1 (findings);
# that is the expected outcome of a demo and this script then exits 0. Every
# other non-zero status is a real failure and is passed on: 2 (usage), 3 (an
# invalid check, rule, mapping or configuration file), 4 (an input that could
# not be read or parsed), 70 (internal error), or death by a signal.
set -u

if [ "$#" -ne 1 ]; then
	echo "usage: $0 BINARY" >&2
	exit 2
fi

bin=$1
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
if [ ! -x "$bin" ]; then
	echo "$0: $1: not an executable file (run 'make build' first)" >&2
	exit 2
fi

# Run from the repository root so that paths in the report are short and stable.
root=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$root" || exit 2

echo "== cshare demo: auditing examples/healthcare (CarePath patient records on AWS, HIPAA) =="
"$bin" audit examples/healthcare
rc=$?
case $rc in
0 | 1) ;;
*)
	echo "$0: cshare audit failed with exit status $rc" >&2
	exit "$rc"
	;;
esac

echo
echo "== cshare report examples/healthcare --framework hipaa: who owns each requirement, what proves it, the gaps =="
mkdir -p build/demo || exit 1
tmp=build/demo/report.txt
"$bin" report examples/healthcare --framework hipaa >"$tmp"
rc=$?
case $rc in
0 | 1) ;;
*)
	echo "$0: cshare report failed with exit status $rc" >&2
	exit "$rc"
	;;
esac
# the summary and the gaps; the per-requirement detail is in the files
sed '/^Requirements with a gap or unknown status/,$d' "$tmp"
"$bin" report examples/healthcare --framework hipaa -f html -o build/demo/healthcare-hipaa.html
rc=$?
case $rc in
0 | 1) ;;
*)
	echo "$0: cshare report -f html failed with exit status $rc" >&2
	exit "$rc"
	;;
esac
echo
echo "Every requirement: $tmp"
echo "HTML report (one self-contained file): build/demo/healthcare-hipaa.html"
exit 0
