#!/bin/sh
# Lays out what the container image runs, from a built checkout: the Next.js standalone server
# output, the `bulkhead` CLI (its TypeScript runs through tsx, a production dependency), the
# migrations, and a production install (no dev dependencies). The Dockerfile runs this script, and
# so does the CI test that starts the server and the CLI from the result (testing/image/), so the
# two cannot drift apart.
#
#   sh scripts/image/assemble-app.sh SOURCE DEST
#
# SOURCE is a checkout after `npm run build` (with output: "standalone"); DEST must not exist.
set -eu

src=$(cd "$1" && pwd)
dest=$2
dist="$src/${BULKHEAD_NEXT_DIST_DIR:-.next}"

if [ ! -f "$dist/standalone/$(basename "$dist")/BUILD_ID" ]; then
  echo "assemble-app: no standalone build in $dist/standalone (run \`npm run build\` first)" >&2
  exit 2
fi
if [ -e "$dest" ]; then
  echo "assemble-app: $dest already exists" >&2
  exit 2
fi
mkdir -p "$dest"

# The CLI and the web server's front, with what they read at run time. Tests stay behind.
cp "$src/package.json" "$src/package-lock.json" "$src/tsconfig.json" "$src/prisma.config.ts" "$src/next.config.js" "$dest/"
cp -R "$src/bin" "$src/cli" "$src/lib" "$src/prisma" "$src/public" "$dest/"
find "$dest/cli" "$dest/lib" -name '*.test.ts' -delete

# Production dependencies only. The package's postinstall generates the Prisma client (prisma is a
# dependency: migrations are applied at start-up by its CLI); install scripts run only for the
# packages package.json's allowScripts names.
(cd "$dest" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
# ... and without what production reaches only as an optional peer (vitest, TypeScript: see the script).
node "$src/scripts/image/prune-optional-peers.mjs" "$dest"

# The server: Next's standalone output (server bundles and manifests, without its build cache)
# and the static assets it leaves for the server to serve.
cp -R "$dist/standalone/$(basename "$dist")" "$dest/.next"
cp -R "$dist/static" "$dest/.next/static"
rm -rf "$dest/.next/cache"

echo "assemble-app: $dest is ready"
