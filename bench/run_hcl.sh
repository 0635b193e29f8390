#!/bin/sh
# bench/run_hcl.sh - the Terraform HCL part of `make bench`: a generated
# configuration with 10,000 for_each bucket instances (each with two split
# resources joined to it), and the Terraform corpus of ../shared/data when it
# is present; prints wall time and peak memory with the goals (10,000
# instances under 200 MB; the corpus under one second).
# Usage: bench/run_hcl.sh BUILD-DIR
set -eu
build=${1:-build/release}
root=$(cd "$(dirname "$0")/.." && pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
out=$root/build/bench
cshare=$build/cshare
bexec=$build/bench/bench_exec
mkdir -p "$out"
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" "$2"; }
stamp="$(sha256sum "$root/bench/gen_hcl.py" | cut -c1-16) 10000"
if [ ! -f "$out/.hcl10k.stamp" ] || [ "$(cat "$out/.hcl10k.stamp")" != "$stamp" ]; then
	rm -rf "$out/hcl-10k"
	python3 "$root/bench/gen_hcl.py" 10000 "$out/hcl-10k"
	echo "$stamp" >"$out/.hcl10k.stamp"
fi
best() { # best NAME INPUT: best of 3 runs -> "wall_s peak_MB status"
	b=""
	for i in 1 2 3; do
		"$bexec" "$out/$1.run" "$cshare" audit -f json -o "$out/$1.report.json" "$2" \
			2>"$out/$1.stderr" || true
		w=$(field wall_s "$out/$1.run")
		if [ -z "$b" ] || awk -v a="$w" -v b="$b" 'BEGIN{exit !(a < b)}'; then
			b=$w
			cp "$out/$1.run" "$out/$1.best"
		fi
	done
	echo "$(field wall_s "$out/$1.best") $(awk -v k="$(field maxrss_kb "$out/$1.best")" 'BEGIN{printf "%.1f", k/1024}') $(field status "$out/$1.best")"
}
echo
echo "Terraform HCL (cshare audit DIR of .tf files, best of 3)"
set -- $(best hcl-10k "$out/hcl-10k")
res=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary'].get('resources',0))" "$out/hcl-10k.report.json" 2>/dev/null || echo 0)
awk -v w="$1" -v m="$2" -v r="$res" 'BEGIN{ printf "hcl-10k    10,000 for_each instances (+20,000 split resources): %.3f s, peak %.1f MB, %d normalized resources   goal <200 MB  %s\n", w, m, r, m < 200 ? "PASS" : "MISS" }'
corpus=$root/../shared/data/corpora/terraform
if [ -d "$corpus" ]; then
	set -- $(best hcl-corpus "$corpus")
	nf=$(find "$corpus" -name '*.tf' | wc -l)
	awk -v w="$1" -v m="$2" -v n="$nf" 'BEGIN{ printf "corpus     %d .tf files of ../shared/data/corpora/terraform: %.3f s, peak %.1f MB   goal <1 s  %s\n", n, w, m, w < 1 ? "PASS" : "MISS" }'
else
	echo "corpus     ../shared/data/corpora/terraform is absent: skipped"
fi
