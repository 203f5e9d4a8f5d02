#!/usr/bin/env bash
# Fails when the committed OpenAPI document or generated client differ from what the code
# produces. Run after `npm ci`; regenerates in place and lets git tell the difference.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent openapi >/dev/null
if ! git diff --quiet -- apps/api/openapi.json libs/api-client/src/schema.ts; then
  echo "OpenAPI drift: apps/api/openapi.json or libs/api-client/src/schema.ts is stale." >&2
  echo "Run 'npm run openapi' and commit the result." >&2
  git --no-pager diff --stat -- apps/api/openapi.json libs/api-client/src/schema.ts >&2
  exit 1
fi
echo "OpenAPI document and client are up to date."
# The document passes the lint rules redocly.yaml enforces (0 errors, 0 warnings).
npm run --silent openapi:lint
