#!/bin/sh
# bench/run_detect.sh - the detection part of `make bench` (called by
# bench/run.sh; BENCH_ONLY=detect runs only this part).  Generates at least
# 1 GB of CloudTrail records as JSON lines (bench/gen_cloudtrail.py,
# deterministic, into build/bench/, regenerated only when the generator
# changes) and synthetic rule sets of 10 and 2,500 rules, then measures:
#   - cshare detect with every shipped rule plus ../shared/data/sigma/rules
#     (when present), on one core (-j 1) and with -j 2: MB/s, events/s, peak
#     memory;
#   - the same on a 100 MB prefix, for memory against input size;
#   - 10 vs 2,500 synthetic rules on the big input (throughput drop of
#     matching: the time to load the rule files, measured on one record, is
#     taken off; on the big input, since a difference of runs of a tenth of
#     a second moved with the host's noise by as much as the goal allows);
#   - the log reader alone (bench_logreader), a memchr pass over the bytes
#     (bench_memchr) and jq applying one select filter (on the 100 MB input,
#     jq's rate does not depend on size), for the ratios.
# Goals (PASS/MISS, never fatal): >= 1 GB/s per core with all rules, peak
# memory flat with input size (1 GB run <= 1.25x the 100 MB run), <= 2x
# throughput drop from 10 to 2,500 rules.
#
# Usage: bench/run_detect.sh BUILD-DIR
# Environment: BENCH_DETECT_MB (default 1024), BENCH_REPS (default 3 here).
set -eu

build=${1:-build/release}
root=$(cd "$(dirname "$0")/.." && pwd)
case $build in /*) ;; *) build=$root/$build ;; esac
out=$root/build/bench
cshare=$build/cshare
bexec=$build/bench/bench_exec
bmemchr=$build/bench/bench_memchr
breader=$build/bench/bench_logreader
mb=${BENCH_DETECT_MB:-1024}
reps=${BENCH_REPS:-3}
[ "$reps" -gt 3 ] && reps=3
sigma=$root/../shared/data/sigma/rules
mkdir -p "$out"

for p in "$bexec" "$bmemchr" "$breader"; do
	if [ ! -x "$p" ]; then
		echo "bench: $p is missing; run 'make bench'" >&2
		exit 2
	fi
done
gen=$root/bench/gen_cloudtrail.py
stamp() { echo "$(sha256sum "$gen" | cut -c1-16) $*"; }
make_input() { # make_input NAME TARGET ARGS...
	name=$1 target=$2
	shift 2
	want=$(stamp "$@")
	if [ -e "$target" ] && [ -f "$out/.$name.stamp" ] && [ "$(cat "$out/.$name.stamp")" = "$want" ]; then
		return 0
	fi
	echo "bench: generating $target" >&2
	rm -rf "$target"
	python3 "$gen" "$@"
	echo "$want" >"$out/.$name.stamp"
}
big=$out/cloudtrail-${mb}mb.jsonl
small=$out/cloudtrail-100mb.jsonl
make_input "ct$mb" "$big" events "$mb" "$big"
make_input ct100 "$small" events 100 "$small"
make_input rules10 "$out/rules-10" rules 10 "$out/rules-10"
make_input rules2500 "$out/rules-2500" rules 2500 "$out/rules-2500"

field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" "$2"; }
bytes() { wc -c <"$1" | tr -d ' '; }
events() { cut -d' ' -f1 "$1.count"; }

# best NAME CMD...: best wall time of $reps runs into $out/NAME.best
best() {
	name=$1
	shift
	b=""
	i=0
	while [ $i -lt "$reps" ]; do
		"$bexec" "$out/$name.run" "$@" >/dev/null 2>"$out/$name.stderr" || true
		w=$(field wall_s "$out/$name.run")
		if [ -z "$b" ] || awk "BEGIN{exit !($w < $b)}"; then
			b=$w
			cp "$out/$name.run" "$out/$name.best"
			cp "$out/$name.stderr" "$out/$name.best.stderr"
		fi
		i=$((i + 1))
	done
}

echo
echo "cshare detect benchmark   $(date -u +%Y-%m-%dT%H:%MZ)   $(uname -m), $(nproc) cores   best of $reps   load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
echo "(-j 2 can only be faster than -j 1 when a second core is idle: compare with the load average)"
big_b=$(bytes "$big") small_b=$(bytes "$small")
big_n=$(events "$big") small_n=$(events "$small")
echo "input: $big ($(awk -v b="$big_b" 'BEGIN{printf "%.0f", b/1e6}') MB, $big_n CloudTrail records, JSON lines)"

# floors and baselines
"$bmemchr" "$big" >/dev/null # page cache
best memchr "$bmemchr" "$big"
"$bmemchr" "$big" >"$out/memchr.out"
memchr_s=$(field memchr_s "$out/memchr.out")
"$breader" "$big" >"$out/reader.out" || true
reader_s=$(field read_s "$out/reader.out")
jq_s=""
if command -v jq >/dev/null 2>&1; then
	best jq jq -c 'select(.eventName == "StopLogging")' "$small"
	jq_s=$(field wall_s "$out/jq.best")
fi
mbs() { awk -v b="$1" -v s="$2" 'BEGIN{ if (s > 0) printf "%.1f", b/1e6/s; else printf "-" }'; }
printf '%-50s %9s %9s %11s %9s %9s %9s\n' run seconds MB/s events/s peak_MB match_MB/s cpu_MB/s
printf '%-50s %9.3f %9s %11s %9s\n' "memchr pass over the bytes (bench_memchr)" "$memchr_s" "$(mbs "$big_b" "$memchr_s")" - -
printf '%-50s %9.3f %9s %11.0f %9s\n' "log reader alone (bench_logreader)" "$reader_s" "$(mbs "$big_b" "$reader_s")" \
	"$(awk -v n="$big_n" -v s="$reader_s" 'BEGIN{print n/s}')" -
if [ -n "$jq_s" ]; then
	printf '%-50s %9.3f %9s %11.0f %9s\n' "jq -c 'select(.eventName==...)' (100 MB)" "$jq_s" "$(mbs "$small_b" "$jq_s")" \
		"$(awk -v n="$small_n" -v s="$jq_s" 'BEGIN{print n/s}')" -
else
	echo "jq is not installed (scripts/deps.sh bench): no jq baseline"
fi

if ! "$cshare" detect --help >/dev/null 2>&1; then
	echo "cshare detect is not built yet: only the baselines above were measured"
	exit 0
fi
set -- --rules "$root/rules"
[ -d "$sigma" ] && set -- "$@" --rules "$sigma"
nrules=$("$cshare" detect -q -f jsonl -o /dev/null "$@" "$small" 2>&1 >/dev/null | sed -n 's/^summary: .*s, \([0-9]*\) rules.*/\1/p')
best d1 "$cshare" detect -q -f jsonl -o /dev/null "$@" "$big"
best d2 "$cshare" detect -q -j 2 -f jsonl -o /dev/null "$@" "$big"
best dsmall "$cshare" detect -q -f jsonl -o /dev/null "$@" "$small"
# rule count on the big input; the same on one record gives the time to
# load the rule files, which is taken off to compare matching alone
head -n 1 "$small" >"$out/one.jsonl"
best r10 "$cshare" detect -q -f jsonl -o /dev/null --rules "$out/rules-10" "$big"
best r2500 "$cshare" detect -q -f jsonl -o /dev/null --rules "$out/rules-2500" "$big"
best r10load "$cshare" detect -q -f jsonl -o /dev/null --rules "$out/rules-10" "$out/one.jsonl"
best r2500load "$cshare" detect -q -f jsonl -o /dev/null --rules "$out/rules-2500" "$out/one.jsonl"
# the matching time cshare reports itself (read + match, without loading
# the rules): "summary: N events (M MB) in S s, ..."
msecs() { sed -n 's/^summary: .* in \([0-9.]*\) s, .*/\1/p' "$out/$1.best.stderr" | head -1; }
row() { # row LABEL NAME BYTES EVENTS
	s=$(field wall_s "$out/$2.best")
	kb=$(field maxrss_kb "$out/$2.best")
	st=$(field status "$out/$2.best")
	ms=$(msecs "$2")
	cpu=$(field cpu_s "$out/$2.best")
	printf '%-50s %9.3f %9s %11.0f %9.1f %9s %9s%s\n' "$1" "$s" "$(mbs "$3" "$s")" \
		"$(awk -v n="$4" -v s="$s" 'BEGIN{print n/s}')" "$(awk -v k="$kb" 'BEGIN{print k/1024}')" \
		"$(mbs "$3" "${ms:-0}")" "$(mbs "$3" "${cpu:-0}")" \
		"$( [ "$st" = 0 ] || [ "$st" = 1 ] || echo "  !! exit $st, see $out/$2.stderr")"
}
row "cshare detect -j 1, ${nrules:-?} rules" d1 "$big_b" "$big_n"
row "cshare detect -j 2, ${nrules:-?} rules" d2 "$big_b" "$big_n"
row "cshare detect -j 1, ${nrules:-?} rules, 100 MB" dsmall "$small_b" "$small_n"
row "cshare detect -j 1, 10 synthetic rules" r10 "$big_b" "$big_n"
row "cshare detect -j 1, 2500 synthetic rules" r2500 "$big_b" "$big_n"

d1=$(field wall_s "$out/d1.best")
d1cpu=$(field cpu_s "$out/d1.best")
echo
awk -v b="$big_b" -v s="$d1" -v c="$d1cpu" -v m="$memchr_s" -v r="$reader_s" -v j="$jq_s" -v sb="$small_b" 'BEGIN{
	rate = b/1e6/s
	crate = (c > 0) ? b/1e6/c : 0
	printf "per core      %.1f MB/s wall, %.1f MB per CPU second, with all rules   goal >= 1000 MB/s   wall %s, CPU %s\n", rate, crate, (rate >= 1000 ? "PASS" : "MISS"), (crate >= 1000 ? "PASS" : "MISS")
	printf "              (on a shared machine the CPU figure is the one that does not count waiting for a core)\n"
	printf "vs memchr     detect takes %.1fx the time of a memchr pass over the same bytes\n", s/m
	printf "vs reader     the log reader alone is %.1f%% of the detect time\n", 100*r/s
	if (j != "") { jr = sb/1e6/j; printf "vs jq         detect is %.1fx jq applying one select filter (goal about 20x)\n", rate/jr }
}'
awk -v a="$(field maxrss_kb "$out/d1.best")" -v b="$(field maxrss_kb "$out/dsmall.best")" 'BEGIN{
	printf "memory        peak %.1f MB on %s vs %.1f MB on 100 MB   goal <= 1.25x  %s\n", a/1024, "the big input", b/1024, (a <= 1.25*b ? "PASS" : "MISS") }'
awk -v a="$(field wall_s "$out/r2500.best")" -v b="$(field wall_s "$out/r10.best")" \
	-v la="$(field wall_s "$out/r2500load.best")" -v lb="$(field wall_s "$out/r10load.best")" 'BEGIN{
	ma = a - la; mb = b - lb
	if (mb <= 0.001) mb = 0.001
	printf "rule count    matching the big input: 2500 rules %.3f s vs 10 rules %.3f s = %.2fx   goal <= 2x  %s\n", ma, mb, ma/mb, (ma/mb <= 2 ? "PASS" : "MISS")
	printf "              (whole process: %.3f s vs %.3f s = %.2fx; loading the rule files alone %.3f s vs %.3f s)\n", a, b, a/b, la, lb }'
awk -v a="$(field wall_s "$out/d2.best")" -v b="$d1" -v ca="$(field cpu_s "$out/d2.best")" -v cb="$d1cpu" -v bb="$big_b" 'BEGIN{
	printf "threads       -j 2 is %.2fx -j 1 in wall time (%.1f MB/s); CPU time %.2fx of -j 1\n", b/a, bb/1e6/a, (cb > 0 ? ca/cb : 0) }'
# -j 2 must give exactly the alerts of -j 1: the alert total and the
# per-rule counts of the summaries (cshare writes the same bytes; the test
# suite compares outputs byte for byte, t0310)
counts() { sed -n -e 's/^summary: .* rules, \([0-9]*\) alerts$/total \1/p' -e '/^  /p' "$out/$1.best.stderr"; }
if [ -n "$(counts d1)" ] && [ "$(counts d1)" = "$(counts d2)" ]; then
	echo "              -j 2 alerts: $(counts d1 | sed -n 's/^total //p'), the same per rule as -j 1  PASS"
else
	echo "              -j 2 alerts differ from -j 1: $(counts d1 | head -1) vs $(counts d2 | head -1)  MISS"
fi
