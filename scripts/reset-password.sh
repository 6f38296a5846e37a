#!/usr/bin/env bash
# Usage: reset-password.sh --email E (new password on stdin or in $SYNCSERVICE_PASSWORD)
# Runs the admin command 'reset-password' of target/syncservice.jar with the config file in
# $SYNCSERVICE_CONFIG (default: config.properties); arguments are passed through. Exit codes:
# 0 done, 1 database/broker failure, 2 wrong arguments, 3 not found, 4 exists already, 78 bad config.
set -euo pipefail
jar=${SYNCSERVICE_JAR:-$(cd "$(dirname "$0")/.." && pwd)/target/syncservice.jar}
exec java -jar "$jar" --config "${SYNCSERVICE_CONFIG:-config.properties}" reset-password "$@"
