/* cmd_checks.c - `cshare checks list|show ID`. */
#include "cli.h"

int cmd_checks(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("the check catalogue is not loaded in this build");
	return CS_EXIT_INTERNAL;
}
