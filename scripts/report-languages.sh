#!/usr/bin/env bash
# The report's language and country for every message of the shared corpus, the reference
# sets (eval/field, eval/genuine) and the fixtures, as `SOURCE<TAB>LANG<TAB>COUNTRY` lines:
# run it with two builds and compare the files to see which answers a change moves.
#
#   scripts/report-languages.sh target/release/redflag /tmp/langs-new.tsv [CORPUS]
#   diff <(sort /tmp/langs-old.tsv) <(sort /tmp/langs-new.tsv)
#
# The corpus's texts (SMS, calls) are in its index, not in files: they are written to a
# temporary folder, deleted at the end, and named by their index ID (`index:ID.txt` in the
# output). Nothing is written in
# the repository. Needs python3.
set -euo pipefail

bin=$1
out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${3:-$root/../shared/corpus}
[ -x "$bin" ] || { echo "usage: $0 REDFLAG_BINARY OUT.tsv [CORPUS]" >&2; exit 2; }
[ -f "$corpus/index.jsonl" ] || { echo "no corpus index at $corpus/index.jsonl" >&2; exit 2; }

texts=$(mktemp -d)
trap 'rm -rf "$texts"' EXIT
python3 - "$corpus/index.jsonl" "$texts" <<'EOF'
import json, os, sys
index, out = sys.argv[1], sys.argv[2]
for line in open(index, encoding="utf-8"):
    row = json.loads(line)
    if "text" in row and "path" not in row:
        name = row["id"].replace("/", "_").replace(":", "_") + ".txt"
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(row["text"])
EOF

# `check` reads the files of one folder (not its sub-folders): give it every folder.
{
    echo "$texts"
    find "$corpus" "$root/tests/fixtures" "$root/eval/field/messages" "$root/eval/genuine" \
        -mindepth 1 -type d | sort
} | while IFS= read -r dir; do
    # A folder without message files is an error for `check`: skipped.
    "$bin" check --json "$dir" 2>/dev/null || true
done | python3 -c '
import json, sys
texts = sys.argv[1] + "/"
for line in sys.stdin:
    try:
        doc = json.loads(line)
    except ValueError:
        continue
    report = doc.get("report") if isinstance(doc, dict) else None
    if isinstance(report, dict):
        source = str(doc.get("source"))
        if source.startswith(texts):
            source = "index:" + source[len(texts):]
        print(source, report.get("lang"), report.get("country"), sep="\t")
' "$texts" > "$out"
echo "$(wc -l < "$out") messages: $out"
