#!/bin/sh
# Developer check (issue 13): import the hostile bank's Moodle XML and GIFT exports into a
# real Moodle through its own importers and record what Moodle stored as the goldens in
# tests/fixtures/moodle/ (tests/test_export_moodle.py compares them with the bank and checks
# they were recorded from the current export). Moodle's code never enters this repository.
#
# Usage: tests/moodle/check.sh MOODLE_DIRROOT
#
# MOODLE_DIRROOT is an installed Moodle 4.5 (its config.php pointing at a scratch database).
# One way, on Debian, as measured for issue 13 (about two minutes):
#   - code: a snapshot of Moodle 4.5.6, e.g. github.com/paulkennethsq1/hrsq1 (its config.php
#     replaced by one for pgsql with a dataroot of your own);
#   - apt-get install php8.2-cli php8.2-pgsql php8.2-xml php8.2-mbstring php8.2-curl
#     php8.2-zip php8.2-gd php8.2-intl php8.2-soap; a PostgreSQL cluster (initdb, pg_ctl start)
#     with a database "moodle";
#   - php -d max_input_vars=5000 admin/cli/install_database.php --agree-license
#     --fullname=H2Q --shortname=h2q --adminpass=... --adminemail=admin@example.com
# Each run imports into new courses, so it can be repeated on the same site.
set -eu
moodle=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")/../.." && pwd)
out="$here/tests/fixtures/moodle"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
stamp=$(date +%s)
for pair in moodle-xml:xml:xml gift:gift:gift.txt; do
    fmt=${pair%%:*}; rest=${pair#*:}; importer=${rest%%:*}; suffix=${rest#*:}
    file="$work/hostile.$suffix"
    SOURCE_DATE_EPOCH=0 "$here/.venv/bin/her2quiz" export "$here/tests/fixtures/valid/hostile.yaml" \
        --format "$fmt" -o "$file" --sources "$here/tests/fixtures/sources" || true
    sha=$(sha256sum "$file" | cut -d' ' -f1)
    (cd "$moodle" && php -d max_input_vars=5000 "$here/tests/moodle/import.php" "$importer" "$file" \
        "h2q-$fmt-$stamp") > "$work/stored.json"
    "$here/.venv/bin/python" - "$work/stored.json" "$sha" "$out/hostile.$fmt.json" <<'PY'
import json, sys
stored = json.load(open(sys.argv[1], encoding="utf-8"))
golden = {"export_sha256": sys.argv[2], **stored}
with open(sys.argv[3], "w", encoding="utf-8") as f:
    json.dump(golden, f, ensure_ascii=False, indent=1)
    f.write("\n")
print(sys.argv[3], "ok" if stored["ok"] else "IMPORT FAILED", len(stored["questions"]), "questions")
PY
done
