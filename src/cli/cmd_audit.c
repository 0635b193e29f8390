/* cmd_audit.c - `cshare audit PATH...`. */
#include "cli.h"

int cmd_audit(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("audit engine missing from this build");
	return CS_EXIT_INTERNAL;
}
