/* commands.h - the command table: X(name, one-line summary).  Each command
 * lives in cmd_<name>.c and has docs/cli/<name>.md (its --help and man page). */
#ifndef CS_COMMANDS_H
#define CS_COMMANDS_H

#define CS_COMMANDS(X)                                                        \
	X(audit, "check cloud configuration (CloudFormation, Terraform plans "  \
		 "and .tf files, AWS Config, IAM exports)")                     \
	X(checks, "list and show the posture checks")                           \
	X(detect, "run Sigma rules over cloud audit logs (CloudTrail, Azure, "  \
		  "GCP, Okta, GitHub)")                                        \
	X(iam, "AWS authorization exactly as AWS decides it: eval, can, "      \
	       "who-can, analyze")                                              \
	X(matrix, "the shared-responsibility matrix of a deployment: who owns "  \
		  "each control domain")                                       \
	X(report, "per framework requirement: owners, evidence, status and "  \
		  "gaps (text, markdown, json, html, oscal)")

int cmd_audit(int argc, char **argv);
int cmd_checks(int argc, char **argv);
int cmd_detect(int argc, char **argv);
int cmd_iam(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
