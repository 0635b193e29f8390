#!/bin/sh
# bench/bench_hcl.sh - HCL parse time of cshare against HashiCorp's parser
# (@cdktf/hcl2json, HCL compiled to WebAssembly) on the same .tf files, for
# the ratio issue 6 asks for.  Both are timed in-process over the whole set
# (best of REPS; node's start-up and the WebAssembly load are not counted,
# so the ratio favours hcl2json).
#
# Usage: bench/bench_hcl.sh BUILD-DIR [PATH...]
#   BUILD-DIR holds bench/bench_hcl (cmake --build BUILD-DIR --target
#   bench_hcl); PATH defaults to ../shared/data/corpora/terraform.
# Environment: BENCH_REPS (default 5); HCL_TOOLS, where @cdktf/hcl2json is
# installed (default BUILD-DIR/hcl-tools; installed there with npm if
# missing).  Prints our figures, hcl2json's, and the ratio; exits 0 even
# when hcl2json cannot be installed (its part is then skipped).
set -eu
build=${1:?usage: bench_hcl.sh BUILD-DIR [PATH...]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
[ $# -gt 0 ] || set -- "$root/../shared/data/corpora/terraform"
reps=${BENCH_REPS:-5}
tools=${HCL_TOOLS:-$build/hcl-tools}
bin=$build/bench/bench_hcl
[ -x "$bin" ] || { echo "bench_hcl: $bin missing: cmake --build $build --target bench_hcl" >&2; exit 2; }

ours=$("$bin" -n "$reps" "$@")
echo "cshare   $ours"
ours_s=$(printf '%s\n' "$ours" | sed 's/.*parse_s=\([0-9.]*\).*/\1/')

if command -v node >/dev/null 2>&1; then
	if [ ! -d "$tools/node_modules/@cdktf/hcl2json" ] && command -v npm >/dev/null 2>&1; then
		npm install --prefix "$tools" --no-audit --no-fund --save-exact @cdktf/hcl2json@0.21.0 >/dev/null 2>&1 || true
	fi
fi
if [ -d "$tools/node_modules/@cdktf/hcl2json" ]; then
	theirs=$(find "$@" -name '*.tf' -type f | sort | node -e '
const fs = require("fs");
const { parse } = require(process.argv[1] + "/@cdktf/hcl2json");
const files = fs.readFileSync(0, "utf8").split("\n").filter(Boolean);
const data = files.map((f) => fs.readFileSync(f, "utf8"));
(async () => {
  await parse("warmup.tf", "a = 1\n");
  let best = Infinity, errors = 0;
  for (let r = 0; r < Number(process.argv[2]); r++) {
    errors = 0;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < files.length; i++) {
      try { await parse(files[i], data[i]); } catch (e) { errors++; }
    }
    const t = Number(process.hrtime.bigint() - t0) / 1e9;
    if (t < best) best = t;
  }
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(`files=${files.length} errors=${errors} parse_s=${best.toFixed(4)} peak_rss_mb=${rss.toFixed(1)}`);
})();' "$tools/node_modules" "$reps")
	echo "hcl2json $theirs"
	theirs_s=$(printf '%s\n' "$theirs" | sed 's/.*parse_s=\([0-9.]*\).*/\1/')
	awk -v a="$ours_s" -v b="$theirs_s" 'BEGIN { if (a > 0) printf "ratio    hcl2json/cshare = %.1fx\n", b / a }'
else
	echo "hcl2json skipped: @cdktf/hcl2json not installed and npm unavailable"
fi
