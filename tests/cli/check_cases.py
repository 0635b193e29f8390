#!/usr/bin/env python3
"""Runs the golden check cases and checks their coverage.

Each folder under tests/cases/checks is one `cshare audit --all -f json` run;
for every check named in the folder's EXPECT file, the results must be
exactly the expected (FILE:RESOURCE, verdict) set.

Coverage: every shipped check must have an expected pass, fail and unknown
result in every input format its kind comes from, unless
tests/cases/coverage-exceptions.txt says why that combination cannot occur.

Prints one line per folder and a closing 'N passed, N failed' line."""
import json
import os
import subprocess
import sys


def read_expect(path):
    exp = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 3 or parts[2] not in ("pass", "fail", "unknown"):
                raise SystemExit(f"{path}:{n}: expected 'CHECK-ID FILE:RESOURCE pass|fail|unknown'")
            exp.setdefault(parts[0], set()).add((parts[1], parts[2]))
    return exp


def read_exceptions(path):
    out = {}
    if not os.path.isfile(path):
        return out
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split(None, 3)
            if len(parts) < 4 or parts[2] not in ("pass", "fail", "unknown"):
                raise SystemExit(f"{path}:{n}: expected 'CHECK-ID FORMAT VERDICT reason'")
            out[(parts[0], parts[1], parts[2])] = parts[3].strip()
    return out


def main():
    cshare, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    passed = failed = 0
    covered = set()  # (check, format, verdict) expected and seen
    for case in sorted(os.listdir(root)):
        d = os.path.join(root, case)
        exp_file = os.path.join(d, "EXPECT")
        if not os.path.isfile(exp_file):
            continue
        exp = read_expect(exp_file)
        p = subprocess.run([cshare, "audit", "--all", "-f", "json", "--color", "never", "."],
                           cwd=d, capture_output=True, text=True)
        problems = []
        got, fmt = {}, {}
        if p.returncode not in (0, 1):
            problems.append(f"exit code {p.returncode}: {p.stderr.strip()[:2000]}")
        try:
            results = json.loads(p.stdout)["results"] if p.stdout else []
        except ValueError as e:
            problems.append(f"output is not JSON: {e}")
            results = []
        for r in results:
            key = r["location"]["file"] + ":" + r["resource"]["name"]
            got.setdefault(r["check_id"], set()).add((key, r["verdict"]))
            fmt[key] = r["resource"]["format"]
        for check, want in sorted(exp.items()):
            have = got.get(check, set())
            for item in sorted(want - have):
                problems.append(f"{check}: missing {item[0]} {item[1]}")
            for item in sorted(have - want):
                problems.append(f"{check}: unexpected {item[0]} {item[1]}")
            for key, verdict in want & have:
                covered.add((check, fmt[key], verdict))
        if problems:
            failed += 1
            print(f"FAIL {case}")
            for pr in problems:
                print("    " + pr)
        else:
            passed += 1
            print(f"ok   {case} ({sum(len(v) for v in exp.values())} expectations)")

    # coverage of every shipped check
    exc_file = os.path.join(os.path.dirname(root), "coverage-exceptions.txt")
    exceptions = read_exceptions(exc_file)
    p = subprocess.run([cshare, "checks", "list", "-f", "json"], capture_output=True, text=True)
    checks = json.loads(p.stdout)
    missing, stale = [], []
    for c in checks:
        for f in c["formats"]:
            for v in ("pass", "fail", "unknown"):
                k = (c["id"], f, v)
                if k not in covered and k not in exceptions:
                    missing.append(k)
                if k in covered and k in exceptions:
                    stale.append(k)
    if missing or stale:
        failed += 1
        print("FAIL coverage")
        for k in missing:
            print("    no expected %s result for %s from %s" % (k[2], k[0], k[1]))
        for k in stale:
            print("    exception no longer needed: %s %s %s" % k)
    else:
        passed += 1
        print(f"ok   coverage ({len(checks)} checks: pass, fail and unknown in every format, "
              f"{len(exceptions)} documented exceptions)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
