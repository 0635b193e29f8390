#!/bin/sh
# The conventions the compiler does not check (scripts/lint.sh).
set -u
: "${CS_SRC:?}"
if sh "$CS_SRC/scripts/lint.sh" "$CS_SRC"; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; exit 1; fi
