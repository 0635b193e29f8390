#!/usr/bin/env python3
"""check-frameworks.py [ROOT] - validates data/frameworks/ and the attestation files, and
checks that every framework control id named by a check (checks/**/*.yaml, `frameworks:`)
exists in the catalogue of its family.

Validates (docs/data-files.md): headers, field counts, vocabularies, unique keys, dates,
parents that exist, paths that exist, source ids that exist (data/responsibility/sources*.tsv),
OSCAL catalogue and profile ids, controls_map.tsv references, attestations.tsv references
(services.tsv when present).  Prints one line per problem as FILE:LINE: message and exits 1
if there is any, 0 otherwise.  Python 3 standard library only.
"""

import glob
import json
import os
import re
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                       os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
problems = []


def bad(path, line, msg):
    problems.append("%s:%s: %s" % (os.path.relpath(path, ROOT), line, msg))


def read(path, header):
    """Records of a data file as (line, fields); checks the header and field counts."""
    out = []
    seen = False
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        bad(path, 0, "cannot read: %s" % e)
        return out
    with f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if not seen:
                seen = True
                if fields != header:
                    bad(path, n, "header is %r, expected %r" % (fields, header))
                continue
            if len(fields) != len(header):
                bad(path, n, "%d fields, expected %d" % (len(fields), len(header)))
                continue
            out.append((n, ["" if x == "-" else x for x in fields]))
    if not seen:
        bad(path, 0, "no header")
    return out


DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
IDENT = re.compile(r"^[a-z0-9._:-]+$")


def oscal_id(i):
    """OSCAL control id (ac-2.1) -> the id checks use (AC-2(1))."""
    m = re.match(r"^([a-z]{2})-(\d+)(?:\.(\d+))?$", i)
    if not m:
        return None
    s = "%s-%s" % (m.group(1).upper(), m.group(2))
    return s + ("(%s)" % m.group(3) if m.group(3) else "")


def oscal_catalogue(path):
    ids = set()
    withdrawn = set()

    def walk(ctrls):
        for c in ctrls:
            cid = oscal_id(c["id"])
            if cid:
                ids.add(cid)
                for p in c.get("props", []):
                    if p.get("name") == "status" and p.get("value") == "withdrawn":
                        withdrawn.add(cid)
            walk(c.get("controls", []))

    with open(path, encoding="utf-8") as f:
        cat = json.load(f)["catalog"]
    for g in cat.get("groups", []):
        walk(g.get("controls", []))
    walk(cat.get("controls", []))
    return ids, withdrawn


def oscal_profile(path):
    with open(path, encoding="utf-8") as f:
        prof = json.load(f)["profile"]
    ids = set()
    for imp in prof.get("imports", []):
        for inc in imp.get("include-controls", []):
            for w in inc.get("with-ids", []):
                ids.add(oscal_id(w) or w)
    return ids


def main():
    data = os.path.join(ROOT, "data")
    fw = os.path.join(data, "frameworks")
    resp = os.path.join(data, "responsibility")

    # sources
    sources = {}
    for p in sorted(glob.glob(os.path.join(resp, "sources*.tsv"))):
        for n, r in read(p, ["source_id", "kind", "status", "retrieved", "licence",
                             "reference", "title"]):
            if r[0] in sources:
                bad(p, n, "duplicate source_id %s" % r[0])
            if not IDENT.match(r[0]):
                bad(p, n, "source_id %r is not an identifier" % r[0])
            if r[1] not in ("doc", "dataset", "derived", "standard"):
                bad(p, n, "kind %r" % r[1])
            if r[2] not in ("current", "stale"):
                bad(p, n, "status %r" % r[2])
            if not DATE.match(r[3]):
                bad(p, n, "retrieved %r is not YYYY-MM-DD" % r[3])
            if not r[5] or not r[6]:
                bad(p, n, "empty reference or title")
            sources[r[0]] = r

    # data/domains.tsv: read leniently (it had no header line when this was written)
    domains = set()
    with open(os.path.join(data, "domains.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                d = line.split("\t")[0]
                if d != "domain_id":
                    domains.add(d)

    # frameworks.tsv and the catalogues
    families = {}   # family -> set of control ids
    withdrawn = set()  # family:id of withdrawn OSCAL controls
    fwpath = os.path.join(fw, "frameworks.tsv")
    programmes = set()
    for n, r in read(fwpath, ["framework", "family", "title", "version", "catalogue",
                              "profile", "programme", "data_classes", "source"]):
        name, family, _, _, cat, prof, prog, classes, src = r
        if not IDENT.match(name) or not IDENT.match(family):
            bad(fwpath, n, "framework or family is not an identifier")
        if src not in sources:
            bad(fwpath, n, "unknown source %r" % src)
        if prog:
            programmes.add(prog)
        ids = families.setdefault(family, set())
        catp = os.path.join(fw, cat)
        if not os.path.isfile(catp):
            bad(fwpath, n, "catalogue %s does not exist" % cat)
            continue
        if cat.endswith(".json"):
            cids, wd = oscal_catalogue(catp)
            withdrawn |= {family + ":" + c for c in wd}
            if not cids:
                bad(fwpath, n, "no controls in %s" % cat)
            ids |= cids
            if prof:
                pp = os.path.join(fw, prof)
                if not os.path.isfile(pp):
                    bad(fwpath, n, "profile %s does not exist" % prof)
                else:
                    sel = oscal_profile(pp)
                    if not sel:
                        bad(fwpath, n, "profile %s selects no control" % prof)
                    for c in sorted(sel - cids):
                        bad(fwpath, n, "profile %s selects %s, not in the catalogue" % (prof, c))
            continue
        if prof:
            bad(fwpath, n, "a .tsv catalogue takes no profile")
        seen = {}
        rows = read(catp, ["control_id", "parent", "kind", "obligation", "title"])
        for m, c in rows:
            if c[0] in seen:
                bad(catp, m, "duplicate control_id %s" % c[0])
            seen[c[0]] = c
            if c[2] not in ("section", "standard", "requirement", "specification",
                            "recommendation", "criterion", "control"):
                bad(catp, m, "kind %r" % c[2])
            if c[3] not in ("", "required", "addressable", "automated", "manual"):
                bad(catp, m, "obligation %r" % c[3])
            if not c[4]:
                bad(catp, m, "empty title")
        for m, c in rows:
            if c[1] and c[1] not in seen:
                bad(catp, m, "parent %s of %s does not exist" % (c[1], c[0]))
        ids |= set(seen)

    # checks' frameworks: lists
    wrong = 0
    for p in sorted(glob.glob(os.path.join(ROOT, "checks", "**", "*.yaml"), recursive=True)):
        infw = False
        with open(p, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if line.startswith("frameworks:"):
                    infw = True
                    continue
                if not infw:
                    continue
                m = re.match(r"^\s+([\w.-]+):\s*\[(.*)\]\s*$", line)
                if not m:
                    if line.startswith((" ", "\t")) and line.strip():
                        bad(p, n, "cannot read frameworks entry %r" % line.strip())
                    infw = line.startswith((" ", "\t"))
                    continue
                fam = m.group(1)
                if fam not in families:
                    bad(p, n, "framework family %s is not in frameworks.tsv" % fam)
                    wrong += 1
                    continue
                for x in m.group(2).split(","):
                    x = x.strip().strip("'\"")
                    if x and x not in families[fam]:
                        bad(p, n, "%s has no control %s" % (fam, x))
                        wrong += 1
                    elif fam + ":" + x in withdrawn:
                        bad(p, n, "%s control %s is withdrawn" % (fam, x))
                        wrong += 1

    # controls_map.tsv
    cm = os.path.join(fw, "controls_map.tsv")
    mapped = set()
    keys = set()
    for n, r in read(cm, ["domain", "family", "control_id", "relation"]):
        if r[0] not in domains:
            bad(cm, n, "unknown domain %s" % r[0])
        if r[1] not in families:
            bad(cm, n, "unknown family %s" % r[1])
        elif r[2] not in families[r[1]]:
            bad(cm, n, "%s has no control %s" % (r[1], r[2]))
        elif r[1] + ":" + r[2] in withdrawn:
            bad(cm, n, "%s control %s is withdrawn" % (r[1], r[2]))
        if r[3] not in ("equal", "subset", "intersects"):
            bad(cm, n, "relation %r" % r[3])
        if tuple(r[:3]) in keys:
            bad(cm, n, "duplicate mapping %s" % " ".join(r[:3]))
        keys.add(tuple(r[:3]))
        if r[1] == "nist-800-53-r5":
            mapped.add(r[0])
    for d in sorted(domains - mapped):
        bad(cm, 0, "domain %s maps to no nist-800-53-r5 control" % d)

    # attestations.tsv
    services = None
    sp = os.path.join(resp, "services.tsv")
    if os.path.isfile(sp):
        services = set()
        for n, r in read(sp, ["provider", "service_id", "model", "category", "display_name",
                              "identifiers"]):
            services.add((r[0], r[1]))
    ap = os.path.join(resp, "attestations.tsv")
    akeys = set()
    for n, r in read(ap, ["provider", "service", "programme", "status", "qualifier",
                          "region_scope", "as_of", "source"]):
        prov, svc, prog, st, _, region, asof, src = r
        if prov not in ("aws", "azure", "gcp"):
            bad(ap, n, "provider %r" % prov)
        if svc != "*" and services is not None and (prov, svc) not in services:
            bad(ap, n, "service %s:%s is not in services.tsv" % (prov, svc))
        if not IDENT.match(prog):
            bad(ap, n, "programme %r" % prog)
        if st not in ("in_scope", "eligible", "not_in_scope", "unknown"):
            bad(ap, n, "status %r" % st)
        if st == "eligible" and prog != "hipaa":
            bad(ap, n, "eligible is a HIPAA status")
        if not region:
            bad(ap, n, "empty region_scope")
        if not DATE.match(asof):
            bad(ap, n, "as_of %r" % asof)
        if src not in sources:
            bad(ap, n, "unknown source %r" % src)
        if (prov, svc, prog) in akeys:
            bad(ap, n, "second row for %s %s %s" % (prov, svc, prog))
        akeys.add((prov, svc, prog))

    for p in problems:
        print(p)
    print("check-frameworks: %d problem(s), %d wrong framework id(s) in checks; families: %s"
          % (len(problems), wrong,
             ", ".join("%s=%d" % (k, len(v)) for k, v in sorted(families.items()))),
          file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
