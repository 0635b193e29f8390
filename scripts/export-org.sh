#!/bin/sh
# export-org.sh - writes the organization file of docs/iam.md ("Inputs") to
# standard output, from the AWS CLI run with the management account's (or a
# delegated administrator's) credentials:
#
#   scripts/export-org.sh > org.json
#   cshare iam analyze --account authdetails.json --account org.json
#
# Needs: aws (v2; it follows pagination itself) and jq.  Reads only:
# organizations:DescribeOrganization, ListRoots, ListOrganizationalUnitsForParent,
# ListAccountsForParent, ListPolicies, DescribePolicy, ListTargetsForPolicy.
set -eu
command -v aws >/dev/null 2>&1 || { echo "export-org.sh: the AWS CLI (aws) is needed" >&2; exit 2; }
command -v jq >/dev/null 2>&1 || { echo "export-org.sh: jq is needed" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
o() { aws organizations "$@" --output json; }

o describe-organization | jq '.Organization' > "$tmp/org"
o list-roots | jq '.Roots' > "$tmp/roots"

# walk the tree breadth-first from the roots: OUs and accounts with their parent
echo '[]' > "$tmp/ous"
echo '[]' > "$tmp/accounts"
jq -r '.[].Id' "$tmp/roots" > "$tmp/queue"
while [ -s "$tmp/queue" ]; do
	: > "$tmp/next"
	while read -r parent; do
		o list-organizational-units-for-parent --parent-id "$parent" |
			jq --arg p "$parent" '[.OrganizationalUnits[] | {Id, Name, ParentId: $p}]' > "$tmp/ou"
		jq -s '.[0] + .[1]' "$tmp/ous" "$tmp/ou" > "$tmp/ous.new" && mv "$tmp/ous.new" "$tmp/ous"
		jq -r '.[].Id' "$tmp/ou" >> "$tmp/next"
		o list-accounts-for-parent --parent-id "$parent" |
			jq --arg p "$parent" '[.Accounts[] | {Id, Name, ParentId: $p}]' > "$tmp/acc"
		jq -s '.[0] + .[1]' "$tmp/accounts" "$tmp/acc" > "$tmp/acc.new" && mv "$tmp/acc.new" "$tmp/accounts"
	done < "$tmp/queue"
	mv "$tmp/next" "$tmp/queue"
done

# SCPs and RCPs with their content and targets (RCPs: skipped where the
# organization does not have them enabled)
echo '[]' > "$tmp/policies"
for type in SERVICE_CONTROL_POLICY RESOURCE_CONTROL_POLICY; do
	o list-policies --filter "$type" 2>/dev/null | jq -r '.Policies[].Id' > "$tmp/ids" || : > "$tmp/ids"
	while read -r id; do
		o describe-policy --policy-id "$id" | jq '.Policy' > "$tmp/pol"
		o list-targets-for-policy --policy-id "$id" | jq '.Targets' > "$tmp/tgt"
		jq -s '.[0] + [{PolicySummary: .[1].PolicySummary, Content: .[1].Content, Targets: .[2]}]' \
			"$tmp/policies" "$tmp/pol" "$tmp/tgt" > "$tmp/p.new" && mv "$tmp/p.new" "$tmp/policies"
	done < "$tmp/ids"
done

jq -n --slurpfile org "$tmp/org" --slurpfile roots "$tmp/roots" --slurpfile ous "$tmp/ous" \
	--slurpfile acc "$tmp/accounts" --slurpfile pol "$tmp/policies" \
	'{Organization: $org[0], Roots: $roots[0], OrganizationalUnits: $ous[0], Accounts: $acc[0], Policies: $pol[0]}'
