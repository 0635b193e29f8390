#!/usr/bin/env python3
"""gen-attestations.py - writes data/responsibility/attestations.tsv (docs/data-files.md).

Reads:
  * data/responsibility/services.tsv: the AWS services and their `iam:` identifiers
    (or, with --prefixes a,b,c, a plain list of IAM prefixes used as service ids);
  * SHARED/attestations/aws/scp-hipaa-service_2026-05-22.json: AWS's HIPAA-eligible
    services as an SCP (aws-samples/service-control-policy-examples, MIT-0), a COMPLETE
    list dated 2026-05-22 -> `eligible` rows plus the `aws * hipaa not_in_scope` row;
  * SHARED/attestations/aws/aws-allowlister_compliance_statuses_2022-07-15.csv
    (salesforce/aws-allowlister, MIT, scraped 2022-07-15, source status `stale`): the
    SOC, PCI, ISO and FedRAMP_High columns -> `in_scope` / `not_in_scope` rows for the
    services it lists.  FedRAMP_Moderate (and DoDCCSRG_IL2_EW) is empty for every row, a
    scraper defect, so nothing is emitted for it.  The list is not known to be complete,
    so there is no `*` row for it: unlisted services stay unknown.
  * AZURE_FEDRAMP_HIGH below: the Azure (public cloud) services that Microsoft's page "Azure,
    Dynamics 365, Microsoft 365, and Power Platform services compliance scope"
    (MicrosoftDocs/azure-docs, "Azure public services by audit scope", last updated June 2023)
    lists with a FedRAMP High P-ATO, matched by the display_name of the azure services in
    services.tsv.  Services the page does not list get no row (unknown): the page lists
    authorized services only, so absence is not proof of not_in_scope;
  * the existing attestations.tsv: its gcp rows (and any azure row for another programme)
    are hand-written from the providers' documentation and are kept unchanged.

SHARED defaults to /work/shared/data (override with --shared).  Output is sorted and
deterministic: running the script twice gives the same bytes.
"""

import argparse
import csv
import fnmatch
import json
import os
import sys

HEADER = ["provider", "service", "programme", "status", "qualifier", "region_scope",
          "as_of", "source"]

SCP_FILE = "attestations/aws/scp-hipaa-service_2026-05-22.json"
SCP_SOURCE = "aws-hipaa-scp-2026"
SCP_AS_OF = "2026-05-22"

CSV_FILE = "attestations/aws/aws-allowlister_compliance_statuses_2022-07-15.csv"
CSV_SOURCE = "aws-allowlister-2022"
CSV_AS_OF = "2022-07-15"
# allowlister column -> (programme, region_scope).  AWS's services-in-scope page gives
# FedRAMP High for AWS GovCloud (US); SOC, PCI and ISO for the commercial regions.
CSV_COLUMNS = [
    ("SOC", "soc2", "all"),
    ("PCI", "pci-dss", "all"),
    ("ISO", "iso27001", "all"),
    ("FedRAMP_High", "fedramp-high", "govcloud"),
]

# IAM namespaces that the SCP allows but that are not HIPAA-eligible services: account,
# billing and support tools that, per the SCP's upstream README, do not typically handle
# PHI.  They are not on AWS's eligible list, so the `*` row covers them; an explicit row
# says why.
SCP_TOOLS = {
    "aws-portal", "budgets", "ce", "cur", "bcm-data-exports", "pricing", "iam",
    "access-analyzer", "sts", "artifact", "license-manager", "resource-groups",
    "resource-explorer", "tag", "support", "supportplans", "trustedadvisor", "pi",
    "applicationinsights", "qdeveloper",
}
TOOLS_QUALIFIER = ("not a HIPAA-eligible service; the SCP allows it as an account tool "
                   "that does not typically handle PHI")


def read_tsv(path):
    """Yields the records of a data file (header and comments skipped) as lists."""
    header_seen = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            if not header_seen:
                header_seen = True
                continue
            yield line.split("\t")


def aws_services(args):
    """Returns {service_id: [iam patterns]} for the AWS services."""
    out = {}
    if args.prefixes:
        for p in args.prefixes.split(","):
            p = p.strip()
            if p:
                out[p] = [p]
        return out
    for rec in read_tsv(args.services):
        if len(rec) != 6 or rec[0] != "aws":
            continue
        pats = [i[4:] for i in rec[5].split(",") if i.startswith("iam:")]
        if pats:
            out[rec[1]] = pats
    return out


def matching(pats, names):
    """The names (IAM prefixes from a source) matched by a service's iam: patterns."""
    hit = set()
    for p in pats:
        for n in names:
            if (p.endswith("*") and fnmatch.fnmatchcase(n, p)) or n == p:
                hit.add(n)
    return hit


def hipaa_rows(services, shared):
    with open(os.path.join(shared, SCP_FILE), encoding="utf-8") as f:
        scp = json.load(f)
    allowed = set()
    for st in scp["Statement"]:
        if st.get("Effect") == "Deny":
            for a in st.get("NotAction", []):
                allowed.add(a.split(":", 1)[0])
    eligible = allowed - SCP_TOOLS
    rows = [["aws", "*", "hipaa", "not_in_scope", "not on AWS's HIPAA-eligible list",
             "all", SCP_AS_OF, SCP_SOURCE]]
    for sid, pats in services.items():
        el = matching(pats, eligible)
        tools = matching(pats, SCP_TOOLS & allowed)
        if el:
            missing = [p for p in pats if not p.endswith("*") and p not in el
                       and p not in tools]
            qual = "-"
            if missing:
                qual = "only the parts under IAM prefix " + ",".join(sorted(el)) \
                    + " (not listed: " + ",".join(sorted(missing)) + ")"
            rows.append(["aws", sid, "hipaa", "eligible", qual, "all", SCP_AS_OF, SCP_SOURCE])
        elif tools:
            rows.append(["aws", sid, "hipaa", "not_in_scope", TOOLS_QUALIFIER, "all",
                         SCP_AS_OF, SCP_SOURCE])
    return rows


def allowlister_rows(services, shared):
    table = {}
    with open(os.path.join(shared, CSV_FILE), encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            table[r["service_prefix"].strip()] = r
    rows = []
    for sid, pats in services.items():
        hit = sorted(matching(pats, table.keys()))
        if not hit:
            continue  # not on the scraped list: unknown
        for col, prog, region in CSV_COLUMNS:
            yes = [p for p in hit if table[p][col].strip().lower() == "true"]
            no = [p for p in hit if p not in yes]
            if yes and not no:
                rows.append(["aws", sid, prog, "in_scope", "-", region, CSV_AS_OF, CSV_SOURCE])
            elif yes:
                rows.append(["aws", sid, prog, "in_scope",
                             "only the parts under IAM prefix " + ",".join(yes), region,
                             CSV_AS_OF, CSV_SOURCE])
            else:
                rows.append(["aws", sid, prog, "not_in_scope", "listed but not marked for this programme in the 2022 scrape",
                             region, CSV_AS_OF, CSV_SOURCE])
    return rows


AZ_SOURCE = "azure-fedramp-auditscope-2023"
AZ_AS_OF = "2023-06-01"
AZ_QUALIFIER = "Azure public regions in the United States (FedRAMP High P-ATO)"
# The azure services of services.tsv (by display_name) that the June 2023 table "Azure public
# services by audit scope" marks FedRAMP High, with the table's entry and any condition.
# Not in the table, so no row (unknown): Azure RBAC (no entry of its own), Azure Container
# Apps and Azure DevOps Services (no entry in the Azure public table).
AZURE_FEDRAMP_HIGH = {
    "Azure Virtual Machines": ("Virtual Machines", ""),
    "Azure Managed Disks": ("Storage: Disks (incl. managed disks)", ""),
    "Azure Virtual Network": ("Virtual Network", ""),
    "Azure Load Balancer": ("Load Balancer", ""),
    "Azure Application Gateway": ("Application Gateway", ""),
    "Azure Front Door": ("Front Door", ""),
    "Azure DNS": ("DNS", ""),
    "Azure Firewall": ("Firewall", ""),
    "Azure DDoS Protection": ("DDoS Protection", ""),
    "Azure Storage": ("Storage: Blobs, Files, Queues, Tables", ""),
    "Azure SQL Database": ("SQL Database", ""),
    "Azure Database for PostgreSQL": ("Azure Database for PostgreSQL", ""),
    "Azure Database for MySQL": ("Azure Database for MySQL", ""),
    "Azure Cosmos DB": ("Azure Cosmos DB", ""),
    "Azure Cache for Redis": ("Azure Cache for Redis", ""),
    "Azure Key Vault": ("Key Vault", ""),
    "Microsoft Entra ID": ("Microsoft Entra ID (Free; Premium P1 + P2)", ""),
    "Azure Policy": ("Azure Policy", ""),
    "Azure Resource Manager": ("Azure Resource Manager", ""),
    "Azure App Service": ("App Service", ""),
    "Azure Functions": ("Functions", ""),
    "Azure Kubernetes Service (AKS)": ("Azure Kubernetes Service (AKS)", ""),
    "Azure Container Registry": ("Container Registry", ""),
    "Azure Container Instances": ("Container Instances", ""),
    "Azure Monitor": ("Azure Monitor", ""),
    "Azure Monitor Logs (Log Analytics workspaces)": ("Azure Monitor (incl. Log Analytics)", ""),
    "Microsoft Defender for Cloud": ("Microsoft Defender for Cloud", ""),
    "Microsoft Sentinel": ("Microsoft Sentinel", ""),
    "Azure Backup": ("Backup", ""),
    "Azure Service Bus": ("Service Bus", ""),
    "Azure Event Hubs": ("Event Hubs", ""),
    "Azure Event Grid": ("Event Grid", ""),
    "Azure API Management": ("API Management", ""),
    "Azure Logic Apps": ("Logic Apps", ""),
    "Azure Data Factory": ("Data Factory", ""),
    "Azure Synapse Analytics": ("Synapse Analytics", ""),
    "Azure Machine Learning": ("Machine Learning", ""),
    "Azure AI services": ("Azure OpenAI and the Azure AI services entries",
                          "only the AI services the table lists (e.g. Azure OpenAI, Speech, "
                          "Translator, Language, Vision, Face, Document Intelligence)"),
}


def azure_rows(args):
    """FedRAMP High rows for the azure services of services.tsv (see the module comment)."""
    if args.prefixes or not os.path.exists(args.services):
        return []
    rows = []
    for rec in read_tsv(args.services):
        if len(rec) != 6 or rec[0] != "azure" or rec[4] not in AZURE_FEDRAMP_HIGH:
            continue
        cond = AZURE_FEDRAMP_HIGH[rec[4]][1]
        qual = AZ_QUALIFIER + ("; " + cond if cond else "")
        rows.append(["azure", rec[1], "fedramp-high", "in_scope", qual, "commercial",
                     AZ_AS_OF, AZ_SOURCE])
    return rows


def kept_rows(path):
    """The hand-written rows of an existing attestations.tsv (not generated here)."""
    if not os.path.exists(path):
        return []
    return [r for r in read_tsv(path)
            if r and r[0] != "aws" and not (len(r) == 8 and r[7] == AZ_SOURCE)]


def sort_key(r):
    # `*` rows first within a provider, then by service, programme, source
    return (r[0], r[1] != "*", r[1], r[2], r[7])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default="/work/shared/data")
    ap.add_argument("--services", default=os.path.join(root, "data/responsibility/services.tsv"))
    ap.add_argument("--prefixes", help="comma-separated IAM prefixes instead of services.tsv")
    ap.add_argument("--out", default=os.path.join(root, "data/responsibility/attestations.tsv"))
    args = ap.parse_args()

    services = aws_services(args)
    rows = hipaa_rows(services, args.shared) + allowlister_rows(services, args.shared)
    rows += azure_rows(args) + kept_rows(args.out)
    rows.sort(key=sort_key)

    lines = [
        "# Provider attestations per service and programme (docs/data-files.md).",
        "# AWS rows are GENERATED by scripts/gen-attestations.py from the AWS HIPAA-eligible",
        "# services SCP (2026-05-22, complete list: the `*` row) and the aws-allowlister scrape",
        "# (2022-07-15, stale; FedRAMP Moderate omitted: empty column); Azure FedRAMP High rows",
        "# are GENERATED from Microsoft's June 2023 audit-scope table (in the script). Edit the",
        "# script, not these rows. Other rows are hand-written and kept by the script.",
        "# No row = unknown (nothing is known for GCP yet).",
        "\t".join(HEADER),
    ]
    lines += ["\t".join(r) for r in rows]
    text = "\n".join(lines) + "\n"
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print("%s: %d rows (%d aws services)" % (args.out, len(rows), len(services)),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
