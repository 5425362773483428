#!/usr/bin/env bash
# Rewrites docs/examples/decisions/ (the sample records and report linked from the README)
# from docs/examples/flash-sale-shop.yaml with the current rule pack.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/examples/decisions
rm -f "$out"/*.md "$out"/architecture.*
# The records (with the index and the diagram), then the report (which rewrites the diagram).
for format in madr md; do
    DEBUG=1 .venv/bin/python manage.py advise docs/examples/flash-sale-shop.yaml \
        --format "$format" --out "$out" --date 2026-12-01 --force
done
