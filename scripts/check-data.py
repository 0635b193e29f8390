#!/usr/bin/env python3
"""check-data.py - standalone validator of the responsibility model data files
(docs/data-files.md): data/responsibility/sources*.tsv, services.tsv and
ownership.tsv, checked against data/domains.tsv.

It checks the header, the field count, the fixed vocabularies, identifier and
date syntax, references between the files (ownership -> services, sources,
domains), duplicate keys, identifier patterns claimed by two services, and that
every provider has a default row for each service model and domain.

Usage: scripts/check-data.py [DATA_DIR]     (default: the data/ folder next to
this script's folder).  Prints one `file:line:col: message` per problem on
stderr and exits 1 if there was any, 0 otherwise (2 for a usage error).
Standard library only.
"""
import datetime
import glob
import os
import re
import sys

PROVIDERS = ("aws", "azure", "gcp")
MODELS = ("iaas", "paas", "saas")
CATEGORIES = ("compute", "container", "serverless", "storage", "database", "network",
              "cdn", "identity", "security", "keys", "logging", "monitoring", "messaging",
              "analytics", "ml", "management", "devtools", "integration")
SOURCE_KINDS = ("doc", "dataset", "derived", "standard")
SOURCE_STATUS = ("current", "stale")
OWNERS = ("provider", "customer", "shared", "na", "unknown")
MODES = ("always_on", "configurable", "inherited", "none", "na")
STATES = ("on", "off", "varies", "na", "unknown")
ID_RE = re.compile(r"^[a-z0-9._:-]+$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# prefix -> providers it may appear under
ID_PREFIXES = {"cfn": ("aws",), "config": ("aws",), "iam": ("aws",), "arm": ("azure",),
               "gcp": ("gcp",), "tf": PROVIDERS, "kind": PROVIDERS}
TF_PREFIXES = {"aws": ("aws_",), "azure": ("azurerm_", "azuread_", "azuredevops_"),
               "gcp": ("google_",)}
PATTERN_RE = re.compile(r"^[A-Za-z0-9_:./-]+\*?$")

HEADERS = {
    "sources": ["source_id", "kind", "status", "retrieved", "licence", "reference", "title"],
    "services": ["provider", "service_id", "model", "category", "display_name", "identifiers"],
    "ownership": ["provider", "service", "model", "domain", "owner", "mode", "default_state",
                  "customer_duty", "source", "as_of"],
    "domains": ["domain_id", "title"],
}


class Checker:
    def __init__(self):
        self.problems = 0

    def err(self, path, line, col, msg):
        self.problems += 1
        print("%s:%d:%d: %s" % (path, line, col, msg), file=sys.stderr)

    def read(self, path, kind, header_optional=False):
        """Yields (line, cols, fields) for each record with the right number of
        fields; cols are the 1-based byte columns of the fields.  The header
        must be the first line that is neither blank nor a comment (with
        header_optional, a file whose first record is not the header is read
        as having none: data/domains.tsv predates the header rule)."""
        header = HEADERS[kind]
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except OSError as e:
            self.err(path, 0, 0, "cannot read: %s" % e.strerror)
            return
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            self.err(path, raw[:e.start].count(b"\n") + 1, 1, "invalid UTF-8")
            return
        seen_header = False
        for n, line in enumerate(text.split("\n"), 1):
            if line.endswith("\r"):
                self.err(path, n, len(line.encode()), "CR at end of line")
                line = line[:-1]
            if line == "" or line.startswith("#"):
                continue
            fields = line.split("\t")
            cols, c = [], 1
            for fld in fields:
                cols.append(c)
                c += len(fld.encode()) + 1
            if not seen_header:
                seen_header = True
                if not (header_optional and fields[0] != header[0]):
                    for i, name in enumerate(header):
                        if i >= len(fields) or fields[i] != name:
                            self.err(path, n, cols[i] if i < len(cols) else c,
                                     "header: expected column %d to be '%s'" % (i + 1, name))
                            return
                    if len(fields) > len(header):
                        self.err(path, n, cols[len(header)],
                                 "header: unexpected column '%s'" % fields[len(header)])
                        return
                    continue
            if len(fields) != len(header):
                self.err(path, n, 1, "%d fields, expected %d" % (len(fields), len(header)))
                continue
            bad = False
            for i, fld in enumerate(fields):
                if fld == "" or fld != fld.strip():
                    self.err(path, n, cols[i], "%s: empty or padded field (write '-' for empty)"
                             % header[i])
                    bad = True
            if not bad:
                yield n, cols, fields
        if not seen_header:
            self.err(path, 1, 1, "no header line")

    def enum(self, path, n, col, name, value, allowed):
        if value not in allowed:
            self.err(path, n, col, "%s: '%s' is not one of %s" % (name, value, ", ".join(allowed)))
            return False
        return True

    def ident(self, path, n, col, name, value):
        if not ID_RE.match(value):
            self.err(path, n, col, "%s: '%s' is not an identifier [a-z0-9._:-]" % (name, value))
            return False
        return True

    def date(self, path, n, col, name, value):
        ok = bool(DATE_RE.match(value))
        if ok:
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                ok = False
        if not ok:
            self.err(path, n, col, "%s: '%s' is not a date YYYY-MM-DD" % (name, value))
        return ok


def check(data):
    ck = Checker()
    rdir = os.path.join(data, "responsibility")

    domains = set()
    dpath = os.path.join(data, "domains.tsv")
    for n, cols, f in ck.read(dpath, "domains", header_optional=True):
        if ck.ident(dpath, n, cols[0], "domain_id", f[0]):
            if f[0] in domains:
                ck.err(dpath, n, cols[0], "duplicate domain '%s'" % f[0])
            domains.add(f[0])

    if not domains:
        ck.err(dpath, 1, 1, "no domains: domain references are not checked")
    sources = {}
    spaths = sorted(glob.glob(os.path.join(rdir, "sources*.tsv")))
    if not spaths:
        ck.err(os.path.join(rdir, "sources.tsv"), 0, 0, "no sources*.tsv file")
    for spath in spaths:
        for n, cols, f in ck.read(spath, "sources"):
            sid, kind, status, retrieved = f[0], f[1], f[2], f[3]
            ok = ck.ident(spath, n, cols[0], "source_id", sid)
            ok &= ck.enum(spath, n, cols[1], "kind", kind, SOURCE_KINDS)
            ok &= ck.enum(spath, n, cols[2], "status", status, SOURCE_STATUS)
            ok &= ck.date(spath, n, cols[3], "retrieved", retrieved)
            if sid in sources:
                ck.err(spath, n, cols[0], "duplicate source_id '%s' (first at %s:%d)"
                       % ((sid,) + sources[sid]))
            elif ok:
                sources[sid] = (spath, n)

    services = {}     # (provider, id) -> model
    patterns = {}     # pattern -> (provider:service, path, line)
    vpath = os.path.join(rdir, "services.tsv")
    for n, cols, f in ck.read(vpath, "services"):
        prov, sid, model, cat, _name, idents = f
        ok = ck.enum(vpath, n, cols[0], "provider", prov, PROVIDERS)
        ok &= ck.ident(vpath, n, cols[1], "service_id", sid)
        ok &= ck.enum(vpath, n, cols[2], "model", model, MODELS)
        ok &= ck.enum(vpath, n, cols[3], "category", cat, CATEGORIES)
        if (prov, sid) in services:
            ck.err(vpath, n, cols[1], "duplicate service '%s:%s'" % (prov, sid))
            ok = False
        col = cols[5]
        for ident in idents.split(","):
            prefix, sep, pat = ident.partition(":")
            if not sep or prefix not in ID_PREFIXES:
                ck.err(vpath, n, col, "identifier '%s': prefix must be one of %s"
                       % (ident, ", ".join(sorted(ID_PREFIXES))))
                ok = False
            elif not PATTERN_RE.match(pat):
                ck.err(vpath, n, col, "identifier '%s': bad pattern ('*' only at the end)" % ident)
                ok = False
            elif prov in PROVIDERS and prov not in ID_PREFIXES[prefix]:
                ck.err(vpath, n, col, "identifier '%s': %s: is not a %s identifier"
                       % (ident, prefix, prov))
                ok = False
            elif prefix == "tf" and prov in PROVIDERS and not pat.startswith(TF_PREFIXES[prov]):
                ck.err(vpath, n, col, "identifier '%s': not a %s Terraform type" % (ident, prov))
                ok = False
            elif prefix == "kind" and prov in PROVIDERS and not pat.startswith(prov + "."):
                ck.err(vpath, n, col, "identifier '%s': kind must start with '%s.'" % (ident, prov))
                ok = False
            elif ident in patterns:
                other = patterns[ident]
                ck.err(vpath, n, col, "identifier '%s' is also claimed by %s (%s:%d)"
                       % (ident, other[0], other[1], other[2]))
                ok = False
            else:
                patterns[ident] = ("%s:%s" % (prov, sid), vpath, n)
            col += len(ident.encode()) + 1
        if ok:
            services[(prov, sid)] = model

    opath = os.path.join(rdir, "ownership.tsv")
    keys = {}
    defaults = set()
    for n, cols, f in ck.read(opath, "ownership"):
        prov, svc, model, dom, owner, mode, state, _duty, src, as_of = f
        ok = ck.enum(opath, n, cols[0], "provider", prov, PROVIDERS)
        if svc == "*":
            ok &= ck.enum(opath, n, cols[2], "model", model, MODELS + ("*",))
        else:
            if (prov, svc) not in services:
                ck.err(opath, n, cols[1], "service '%s:%s' is not in services.tsv" % (prov, svc))
                ok = False
            if model != "*":
                ck.err(opath, n, cols[2], "model: a service row has model '*'")
                ok = False
        if domains and dom not in domains:
            ck.err(opath, n, cols[3], "domain '%s' is not in domains.tsv" % dom)
            ok = False
        ok &= ck.enum(opath, n, cols[4], "owner", owner, OWNERS)
        ok &= ck.enum(opath, n, cols[5], "mode", mode, MODES)
        ok &= ck.enum(opath, n, cols[6], "default_state", state, STATES)
        if mode == "configurable" and state == "na":
            ck.err(opath, n, cols[6], "default_state: a configurable capability is on, off, varies or unknown")
            ok = False
        if mode in MODES and mode != "configurable" and state in ("on", "off", "varies"):
            ck.err(opath, n, cols[6], "default_state: '%s' needs mode configurable" % state)
            ok = False
        if owner in ("na", "unknown") and mode not in ("na",):
            ck.err(opath, n, cols[5], "mode: owner '%s' has mode na" % owner)
            ok = False
        if src not in sources:
            ck.err(opath, n, cols[8], "source '%s' is not in sources*.tsv" % src)
            ok = False
        ok &= ck.date(opath, n, cols[9], "as_of", as_of)
        key = (prov, svc, model, dom)
        if key in keys:
            ck.err(opath, n, cols[0], "duplicate row for %s (first at line %d)"
                   % (" ".join(key), keys[key]))
            continue
        keys[key] = n
        if ok and svc == "*" and model in MODELS:
            defaults.add(key)

    for prov in PROVIDERS:
        for model in MODELS:
            for dom in sorted(domains):
                if (prov, "*", model, dom) not in defaults:
                    ck.err(opath, 1, 1, "no default row for %s * %s %s" % (prov, model, dom))
    return ck.problems


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1].startswith("-")):
        print("usage: check-data.py [DATA_DIR]", file=sys.stderr)
        return 2
    here = os.path.dirname(os.path.abspath(argv[0]))
    data = argv[1] if len(argv) == 2 else os.path.join(here, "..", "data")
    return 1 if check(data) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
