#!/bin/sh
# decks/ for people who do not use Python: the Anki deck, the whole bank as a printable
# quiz with its key, and the offline self-test page, built from questions.yaml and questions.lock so that a fresh build of
# the committed bank and lock gives the same bytes.
#
#   scripts/build_decks.sh          after editing the bank: update questions.lock and decks/
#   scripts/build_decks.sh --check  rebuild in a temporary folder; fail if decks/ or the lock differ
#
# Environment: PYTHON (default .venv/bin/python), SOURCES (default ../shared/sources),
# SOURCE_DATE_EPOCH (the time new and edited questions take; default now).
set -eu
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
SOURCES=${SOURCES:-../shared/sources}
OUTPUTS="her2.apkg her2-quiz.pdf her2-quiz-key.pdf her2.html"

newest() {  # the latest time in a lock: what fixes the quiz PDFs' dates
  "$PY" -c 'import sys, pathlib, her2quiz.lock as l; print(l.read_lock(pathlib.Path(sys.argv[1])).newest() or 0)' "$1"
}

if [ "${1:-}" = "--check" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  cp questions.yaml questions.lock "$tmp/"
  SOURCE_DATE_EPOCH=$(newest questions.lock) "$PY" -m her2quiz build "$tmp/questions.yaml" \
    --sources "$SOURCES" -o "$tmp/decks" >/dev/null
  "$PY" -m her2quiz export "$tmp/questions.yaml" --sources "$SOURCES" --format html \
    -o "$tmp/decks/her2.html" >/dev/null
  status=0
  cmp -s questions.lock "$tmp/questions.lock" || { echo "questions.lock is out of date" >&2; status=1; }
  for name in $OUTPUTS; do
    cmp -s "decks/$name" "$tmp/decks/$name" || { echo "decks/$name differs from a fresh build" >&2; status=1; }
  done
  [ $status -eq 0 ] || echo "run scripts/build_decks.sh and commit questions.lock and decks/" >&2
  exit $status
fi

# 1. New and edited questions take this build's time (a learner's note updates only when
#    the incoming one is newer); unchanged ones keep the time the lock holds.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(date +%s)} "$PY" -m her2quiz build questions.yaml \
  --sources "$SOURCES" -o decks
# 2. Again at the lock's newest time, which anyone can read from the committed lock: the
#    deck is the same, the PDFs now carry that date.
SOURCE_DATE_EPOCH=$(newest questions.lock) "$PY" -m her2quiz build questions.yaml \
  --sources "$SOURCES" -o decks >/dev/null
# 3. The self-test page, for students without Anki (it holds no dates).
"$PY" -m her2quiz export questions.yaml --sources "$SOURCES" --format html -o decks/her2.html >/dev/null
"$0" --check
