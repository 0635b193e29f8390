/*
 * main.c - `cshare <command> [options]`: the command table and dispatch.
 * One file per command (cmd_<name>.c), after git's builtin/.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "help_texts.h"

static const cs_cmd commands[] = {
#define CS__CMD(name, summary) { #name, cmd_##name, help_##name, summary },
	CS_COMMANDS(CS__CMD)
#undef CS__CMD
};

static int usage_main(FILE *f)
{
	fputs("usage: cshare <command> [options] [args]\n\ncommands:\n", f);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'cshare <command> --help' or 'man cshare-<command>' tells more.\n"
	      "Exit codes: 0 clean, 1 findings, 2 usage, 3 check/config error,\n"
	      "4 input error, 70 internal error.\n",
	      f);
	return f == stdout ? CS_EXIT_OK : CS_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_main(stderr);
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
		if (argc > 2) {
			for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
				if (strcmp(argv[2], commands[i].name) == 0)
					return cli_help(commands[i].help);
		}
		return cli_help(help_cshare);
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
		printf("cshare %s\n", CS_VERSION);
		return CS_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(name, commands[i].name) != 0)
			continue;
		for (int k = 2; k < argc; k++) {
			if (strcmp(argv[k], "--"))
				; /* keep scanning */
			else
				break;
			if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0)
				return cli_help(commands[i].help);
		}
		return commands[i].run(argc - 1, argv + 1);
	}
	cli_error("'%s' is not a cshare command", name);
	return usage_main(stderr);
}
