#!/bin/sh
# gen-man.sh SRCDIR OUTDIR - turns docs/cli/<command>.md into man pages
# (cshare.1, cshare-audit.1, ...).  The same Markdown is the --help text.
set -eu
src=$1 out=$2
mkdir -p "$out"
for f in "$src"/*.md; do
  name=$(basename "$f" .md)
  page=cshare-$name; [ "$name" = cshare ] && page=cshare
  awk -v page="$page" '
    BEGIN { printf ".TH %s 1 \"\" \"cshare\" \"cshare manual\"\n", toupper(page) }
    function inline(s) { gsub(/\\/, "\\\\", s); gsub(/\*\*/, "", s); gsub(/`/, "", s); sub(/^\./, "\\\\\\&.", s); return s }
    /^# / { sub(/^# [^ ]+ -- /, ""); printf ".SH NAME\n%s \\- %s\n", page, inline($0); next }
    /^## / { sub(/^## /, ""); printf ".SH %s\n", $0; next }
    /^    / { sub(/^    /, ""); printf ".RS 4\n%s\n.RE\n", inline($0); next }
    /^- / { sub(/^- /, ""); printf ".IP \\(bu 2\n%s\n", inline($0); next }
    /^$/ { print ".PP"; next }
    { print inline($0) }
  ' "$f" > "$out/$page.1"
done
echo "man pages in $out: $(ls "$out" | tr '\n' ' ')"
