#!/bin/sh
# fuzz.sh BUILD_DIR SECONDS [NAME...] - runs each libFuzzer harness (all by
# default) for SECONDS, on a scratch copy of its seed corpus, and reports
# crashes.  New crash inputs are left in BUILD_DIR/fuzz-findings/.
set -u
build=$1 secs=$2; shift 2
src=$(cd "$(dirname "$0")/.." && pwd)
names=${*:-$(ls "$src/tests/fuzz" | sed -n 's/^fuzz_\(.*\)\.c$/\1/p')}
mkdir -p "$build/fuzz-findings"
status=0
for n in $names; do
  bin="$build/tests/fuzz/fuzz_$n"
  [ -x "$bin" ] || { echo "fuzz.sh: $bin not built" >&2; status=1; continue; }
  work="$build/fuzz-corpus/$n"; mkdir -p "$work"
  cp -n "$src/tests/fuzz/corpus/$n"/* "$work/" 2>/dev/null
  dict=""; [ -f "$src/tests/fuzz/$n.dict" ] && dict="-dict=$src/tests/fuzz/$n.dict"
  echo "== fuzz_$n for ${secs}s"
  if ! "$bin" $dict -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
      -artifact_prefix="$build/fuzz-findings/$n-" -print_final_stats=1 "$work" >"$build/fuzz-$n.log" 2>&1; then
    echo "fuzz_$n: FAILED (see $build/fuzz-$n.log and $build/fuzz-findings/)"; status=1
  fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$build/fuzz-$n.log" | sed "s/^/  /"
done
exit $status
