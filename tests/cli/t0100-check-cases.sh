#!/bin/sh
# Golden check cases (tests/cases/checks/*/EXPECT): for every check named in
# an EXPECT file, cshare must report exactly the listed (resource, verdict)
# pairs for that folder's inputs. See tests/cases/README.md.
set -u
: "${CSHARE:?}" "${CS_SRC:?}"
exec python3 "$CS_SRC/tests/cli/check_cases.py" "$CSHARE" "$CS_SRC/tests/cases/checks"
