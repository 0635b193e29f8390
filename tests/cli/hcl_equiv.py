"""hcl_equiv.py - the HCL adapter and the plan adapter give the same findings.

For every folder of tests/cases/hcl/equiv/ (one per check kind), `cshare audit`
of its Terraform configuration (*.tf) and of the plan of that configuration
(plan.json in the folder, or the plan named by its PLAN file) must report the
same (check, resource address, verdict) results.  See the folder's README.
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


def main():
    cshare, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    passed = failed = 0
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
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)


main()
