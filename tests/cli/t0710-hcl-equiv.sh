#!/bin/sh
# The Terraform HCL adapter and the plan adapter give the same findings for
# the same configuration, one folder per check kind (tests/cases/hcl/equiv/).
set -u
: "${CSHARE:?}" "${CS_SRC:?}"
exec python3 "$CS_SRC/tests/cli/hcl_equiv.py" "$CSHARE" "$CS_SRC/tests/cases/hcl/equiv"
