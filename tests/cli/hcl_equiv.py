"""hcl_equiv.py - the HCL adapter and the plan adapter give the same findings.

For every folder of tests/cases/hcl/equiv/ (one per check kind), `cshare audit`
of its Terraform configuration (*.tf) and of the plan of that configuration
(plan.json in the folder, or the plan named by its PLAN file) must report the
same (check, resource address, verdict) results.  See the folder's README.
With a third argument (tests/cases/checks), every check kind whose plan.json
records a configuration must have its folder.
"""
import json
import os
import subprocess
import sys


def results(cshare, path):
    p = subprocess.run([cshare, "audit", "--all", "-f", "json", "--color", "never", path],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        return None, f"exit {p.returncode}: {p.stderr[:2000]}"
    res = json.loads(p.stdout)["results"]
    return {(r["check_id"], r["resource"]["name"], r["verdict"]) for r in res}, None


def computed_data_problems(path):
    """Tokens of terraform-hcl-computed.txt (docs/mappings.md) that are not
    PATH or PATH=JSON: the adapter would skip them silently."""
    bad = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            for tok in line.split()[1:]:
                p, eq, val = tok.partition("=")
                segs = p.split(".")
                if not all(s.removesuffix("[*]").replace("_", "a").isalnum() for s in segs):
                    bad.append(f"{path}:{n}: bad path {p!r}")
                if eq:
                    try:
                        json.loads(val)
                    except ValueError:
                        bad.append(f"{path}:{n}: {p}: not a JSON literal: {val!r}")
    return bad


def main():
    cshare, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    passed = failed = 0
    data = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data",
                        "mappings", "terraform-hcl-computed.txt")
    for pr in computed_data_problems(os.path.normpath(data)):
        failed += 1
        print("FAIL " + pr)
    for case in sorted(os.listdir(root)):
        d = os.path.join(root, case)
        tf = os.path.join(d, "main.tf")
        if not os.path.isfile(tf):
            continue
        plan = os.path.join(d, "plan.json")
        if not os.path.isfile(plan):
            with open(os.path.join(d, "PLAN")) as f:
                plan = os.path.normpath(os.path.join(d, f.read().strip()))
        hcl, e1 = results(cshare, tf)
        pl, e2 = results(cshare, plan)
        problems = [e for e in (e1, e2) if e]
        if not problems:
            if not pl:
                problems.append("the plan gives no results")
            for x in sorted(pl - hcl):
                problems.append("only from the plan: %s %s %s" % x)
            for x in sorted(hcl - pl):
                problems.append("only from HCL:      %s %s %s" % x)
        if problems:
            failed += 1
            print(f"FAIL {case}")
            for pr in problems[:40]:
                print("    " + pr)
        else:
            passed += 1
            print(f"ok   {case} ({len(pl)} results agree)")
    if len(sys.argv) > 3:
        checks = sys.argv[3]
        for kind in sorted(os.listdir(checks)):
            plan = os.path.join(checks, kind, "plan.json")
            if not os.path.isfile(plan) or os.path.isdir(os.path.join(root, kind)):
                continue
            with open(plan) as f:
                if "root_module" in json.load(f).get("configuration", {}):
                    failed += 1
                    print(f"FAIL {kind}: no folder in {root}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)


main()
