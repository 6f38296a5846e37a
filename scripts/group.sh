#!/usr/bin/env bash
# Usage: group.sh list|create|add|remove|delete --owner EMAIL [--name NAME] [--email EMAIL]
# Runs the admin command 'group --action ACTION' of target/syncservice.jar with the config file in
# $SYNCSERVICE_CONFIG (default: config.properties); further arguments are passed through. Exit
# codes: 0 done, 1 database/broker failure, 2 wrong arguments, 3 not found, 4 exists already,
# 78 bad config.
set -euo pipefail
if [[ $# -lt 1 || $1 == -* ]]; then
    echo "usage: group.sh list|create|add|remove|delete --owner EMAIL [--name NAME] [--email EMAIL]" >&2
    exit 2
fi
action=$1
shift
jar=${SYNCSERVICE_JAR:-$(cd "$(dirname "$0")/.." && pwd)/target/syncservice.jar}
exec java -jar "$jar" --config "${SYNCSERVICE_CONFIG:-config.properties}" group --action "$action" "$@"
