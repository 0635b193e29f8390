#!/usr/bin/env python3
"""Runs the golden check cases: each folder under tests/cases/checks is one
`cshare audit --all --format csv` run whose results, for every check named in
the folder's EXPECT file, must be exactly the expected (resource, verdict)
set. Prints one line per folder and a closing 'N passed, N failed' line."""
import csv
import io
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


def main():
    cshare, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    if not os.path.isdir(root):
        print("no cases")
        print("0 passed, 0 failed")
        return 0
    passed = failed = 0
    for case in sorted(os.listdir(root)):
        d = os.path.join(root, case)
        exp_file = os.path.join(d, "EXPECT")
        if not os.path.isfile(exp_file):
            continue
        exp = read_expect(exp_file)
        p = subprocess.run([cshare, "audit", "--all", "--format", "csv", "--color", "never", "."],
                           cwd=d, capture_output=True, text=True)
        problems = []
        if p.returncode not in (0, 1):
            problems.append(f"exit code {p.returncode}: {p.stderr.strip()}")
        got = {}
        for row in csv.DictReader(io.StringIO(p.stdout)):
            if None in row.values() or not row.get("file"):
                problems.append(f"truncated CSV row: {row}")
                continue
            f = row["file"]
            if f.startswith("./"):
                f = f[2:]
            got.setdefault(row["check_id"], set()).add((f + ":" + row["resource"], row["verdict"]))
        for check, want in sorted(exp.items()):
            have = got.get(check, set())
            for item in sorted(want - have):
                problems.append(f"{check}: missing {item[0]} {item[1]}")
            for item in sorted(have - want):
                problems.append(f"{check}: unexpected {item[0]} {item[1]}")
        if problems:
            failed += 1
            print(f"FAIL {case}")
            for pr in problems:
                print("    " + pr)
        else:
            passed += 1
            print(f"ok   {case} ({sum(len(v) for v in exp.values())} expectations)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
