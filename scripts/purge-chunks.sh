#!/usr/bin/env bash
# Usage: purge-chunks.sh [--dry-run]
# Runs the admin command 'purge-chunks' of target/syncservice.jar with the config file in
# $SYNCSERVICE_CONFIG (default: config.properties); arguments are passed through. Exit codes:
# 0 done, 1 database/storage failure, 2 wrong arguments, 78 bad config.
set -euo pipefail
jar=${SYNCSERVICE_JAR:-$(cd "$(dirname "$0")/.." && pwd)/target/syncservice.jar}
exec java -jar "$jar" --config "${SYNCSERVICE_CONFIG:-config.properties}" purge-chunks "$@"
