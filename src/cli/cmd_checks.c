/*
 * cmd_checks.c - `cshare checks list` and `cshare checks show ID`: the
 * posture-check catalogue, shipped and user-supplied.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cshare/audit.h"
#include "cshare/inventory.h"
#include "cshare/json.h"

int cli_load_catalogue(cs_inventory *inv, cs_checkset *cs, const char *const *check_dirs,
		       size_t ncheck_dirs, const char *const *map_dirs, size_t nmap_dirs,
		       bool defaults);

static void list_json(const cs_checkset *cs, const char *kind, const char *domain)
{
	cs_buf b;
	cs_buf_init(&b, 0);
	cs_buf_puts(&b, "[");
	bool first = true;
	for (size_t i = 0; i < cs_checkset_count(cs); i++) {
		const cs_check *c = cs_checkset_at(cs, i);
		if ((kind && strcmp(kind, cs_check_kind(c))) || (domain && strcmp(domain, cs_check_domain(c))))
			continue;
		cs_buf_puts(&b, first ? "\n{\"id\":" : ",\n{\"id\":");
		first = false;
		const char *f[][2] = { { "title", cs_check_title(c) },   { "kind", cs_check_kind(c) },
				       { "severity", cs_level_name(cs_check_level(c)) },
				       { "domain", cs_check_domain(c) }, { "owner", cs_check_owner(c) } };
		cs_json_write_str(&b, cs_check_id(c), strlen(cs_check_id(c)));
		for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
			cs_buf_printf(&b, ",\"%s\":", f[k][0]);
			cs_json_write_str(&b, f[k][1], strlen(f[k][1]));
		}
		cs_buf_puts(&b, ",\"frameworks\":{");
		for (size_t k = 0; k < cs_check_framework_count(c); k++) {
			size_t n = 0;
			const char *fw = cs_check_framework(c, k, &n);
			if (k)
				cs_buf_putc(&b, ',');
			cs_json_write_str(&b, fw, strlen(fw));
			cs_buf_puts(&b, ":[");
			for (size_t j = 0; j < n; j++) {
				const char *id = cs_check_control(c, k, j);
				if (j)
					cs_buf_putc(&b, ',');
				cs_json_write_str(&b, id, strlen(id));
			}
			cs_buf_putc(&b, ']');
		}
		cs_buf_puts(&b, "}}");
	}
	cs_buf_puts(&b, "\n]\n");
	fwrite(b.data, 1, b.len, stdout);
	cs_buf_release(&b);
}

static void list_text(const cs_checkset *cs, const char *kind, const char *domain)
{
	size_t n = 0;
	for (size_t i = 0; i < cs_checkset_count(cs); i++) {
		const cs_check *c = cs_checkset_at(cs, i);
		if ((kind && strcmp(kind, cs_check_kind(c))) || (domain && strcmp(domain, cs_check_domain(c))))
			continue;
		printf("%-18s %-8s %-30s %s\n", cs_check_id(c), cs_level_name(cs_check_level(c)),
		       cs_check_domain(c), cs_check_title(c));
		n++;
	}
	printf("%zu checks\n", n);
}

/* Prints text without its trailing white space (folded YAML scalars end
 * in a newline). */
static void put_trimmed(const char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	fwrite(s, 1, n, stdout);
}

static void show(const cs_check *c)
{
	printf("%s  %s\n\n", cs_check_id(c), cs_check_title(c));
	printf("kind:      %s\nseverity:  %s\ndomain:    %s\nowner:     %s\nfile:      %s\n",
	       cs_check_kind(c), cs_level_name(cs_check_level(c)), cs_check_domain(c),
	       cs_check_owner(c), cs_check_file(c));
	for (size_t k = 0; k < cs_check_framework_count(c); k++) {
		size_t n = 0;
		const char *fw = cs_check_framework(c, k, &n);
		if (!n)
			continue;
		printf("%-10s ", k == 0 ? "controls:" : "");
		printf("%s:", fw);
		for (size_t j = 0; j < n; j++)
			printf(" %s", cs_check_control(c, k, j));
		printf("\n");
	}
	printf("\nRationale:\n  ");
	put_trimmed(cs_check_rationale(c));
	printf("\n\nRemediation:\n  ");
	put_trimmed(cs_check_remediation(c));
	printf("\n");
	if (cs_check_reference_count(c)) {
		printf("\nReferences:\n");
		for (size_t i = 0; i < cs_check_reference_count(c); i++)
			printf("  %s\n", cs_check_reference(c, i));
	}
	printf("\nDefinition (%s):\n%s", cs_check_file(c), cs_check_source(c));
}

int cmd_checks(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "kind", required_argument, NULL, 'k' },
		{ "domain", required_argument, NULL, 'd' },
		{ "checks", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *fmt = "text", *kind = NULL, *domain = NULL;
	const char *dirs[16] = { 0 };
	size_t ndirs = 0;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:k:d:c:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			fmt = optarg;
			if (strcmp(fmt, "text") && strcmp(fmt, "json"))
				return cli_usage("checks", "--format is text or json");
			break;
		case 'k':
			kind = optarg;
			break;
		case 'd':
			domain = optarg;
			break;
		case 'c':
			if (ndirs >= 15)
				return cli_usage("checks", "too many --checks options");
			dirs[ndirs++] = optarg;
			break;
		default:
			return cli_usage("checks", "unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage("checks", "say 'list' or 'show ID'");
	const char *sub = argv[optind];
	if (strcmp(sub, "list") && strcmp(sub, "show"))
		return cli_usage("checks", "unknown subcommand '%s' (list, show)", sub);
	if (strcmp(sub, "show") == 0 && optind + 2 != argc)
		return cli_usage("checks", "'checks show' takes one check id");
	if (strcmp(sub, "list") == 0 && optind + 1 != argc)
		return cli_usage("checks", "'checks list' takes no arguments");

	cs_diag_sink sink = { cli_print_diag, NULL, 0, 0 };
	cs_inventory *inv = NULL;
	cs_checkset *cs = NULL;
	int code = CS_EXIT_INTERNAL;
	if (cs_inventory_new(&inv, &sink) || cs_checkset_new(&cs, &sink))
		goto out;
	code = cli_load_catalogue(inv, cs, dirs, ndirs, NULL, 0, true);
	if (code == CS_EXIT_INTERNAL)
		goto out;
	if (strcmp(sub, "show") == 0) {
		const cs_check *chk = cs_checkset_find(cs, argv[optind + 1]);
		if (!chk) {
			cli_error("no check with id '%s' (see 'cshare checks list')", argv[optind + 1]);
			code = CS_EXIT_USAGE;
			goto out;
		}
		show(chk);
	} else if (strcmp(fmt, "json") == 0) {
		list_json(cs, kind, domain);
	} else {
		list_text(cs, kind, domain);
	}
out:
	cs_checkset_free(cs);
	cs_inventory_free(inv);
	return code;
}
