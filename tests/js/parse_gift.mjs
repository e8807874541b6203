// Parse a GIFT file with gift-pegjs and print what it read as JSON (tests/test_export_gift.py).
// Usage: node tests/js/parse_gift.mjs FILE
import { readFileSync } from "node:fs";
import gift from "gift-pegjs";

const path = process.argv[2];
if (!path) {
  process.stderr.write("usage: node parse_gift.mjs FILE\n");
  process.exit(2);
}
try {
  const questions = gift.parse(readFileSync(path, "utf8"));
  process.stdout.write(JSON.stringify(questions, null, 1) + "\n");
} catch (err) {
  const where = err.location ? `${path}:${err.location.start.line}:${err.location.start.column}: ` : `${path}: `;
  process.stderr.write(where + err.message + "\n");
  process.exit(1);
}
