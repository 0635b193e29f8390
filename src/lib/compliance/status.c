/*
 * compliance/status.c - the vocabulary of the report (statuses, gap types,
 * owner classes, output formats) and the status rule of docs/report.md,
 * kept apart from the join so that they can be tested alone.
 */
#include <string.h>

#include "compliance.h"
#include "core/internal.h"

static const char *const gap_names[CS_GAP__COUNT] = {
	"regulated-data-out-of-scope", "configurable-off-assumed-on",
	"iaas-os-assumed-provider",    "identity-assumed-provider",
	"assumption-contradicts-model", "stale-attestation",
	"no-automated-evidence",       "unattested-service",
};

const char *cs__gap_name(cs__gap_type t)
{
	return (unsigned)t < CS_GAP__COUNT ? gap_names[t] : "?";
}

const char *cs_req_status_name(cs_req_status s)
{
	static const char *const n[] = { "met", "gap", "manual", "unknown" };
	return (unsigned)s < 4 ? n[s] : "?";
}

const char *cs__owners_text(unsigned o)
{
	static const char *const t[16] = {
		"none",
		"provider",
		"customer",
		"provider+customer",
		"shared",
		"provider+shared",
		"customer+shared",
		"provider+customer+shared",
		"unknown",
		"provider+unknown",
		"customer+unknown",
		"provider+customer+unknown",
		"shared+unknown",
		"provider+shared+unknown",
		"customer+shared+unknown",
		"provider+customer+shared+unknown",
	};
	return t[o & 15u];
}

int cs__owner_class(unsigned owners)
{
	if (owners & CS_OWN_UNKNOWN)
		return 3;
	if (owners == CS_OWN_PROVIDER)
		return 0;
	if (owners == CS_OWN_CUSTOMER)
		return 1;
	return 2;
}

const char *cs__owner_class_name(int k)
{
	static const char *const n[] = { "provider", "customer", "shared", "unknown" };
	return k >= 0 && k < 4 ? n[k] : "?";
}

int cs_compliance_format_parse(const char *s)
{
	static const char *const n[] = { "text", "markdown", "json", "html", "oscal" };
	if (!s)
		return -1;
	if (strcmp(s, "md") == 0)
		return CS_CF_MARKDOWN;
	for (int i = 0; i < 5; i++)
		if (strcmp(s, n[i]) == 0)
			return i;
	return -1;
}

cs_req_status cs__status_decide(const cs__status_in *in, const char **why)
{
	cs_req_status s;
	const char *w;
	if (in->hard_gap) {
		s = CS_REQ_GAP;
		w = "a check serving it fails or a named gap concerns it";
	} else if (in->unknown_result || in->provider_unknown) {
		s = CS_REQ_UNKNOWN;
		w = in->unknown_result ? "some check results are unknown"
				       : "a provider part rests on an unknown attestation";
	} else if (in->customer_part && !in->customer_evidence) {
		s = CS_REQ_MANUAL;
		w = "a customer part has no automated evidence";
	} else if (in->provider_unproven) {
		s = CS_REQ_MANUAL;
		w = "a provider part is not attested for the programme";
	} else {
		s = CS_REQ_MET;
		w = "provider parts attested, customer parts pass their checks";
	}
	if (why)
		*why = w;
	return s;
}
