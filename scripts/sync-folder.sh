#!/usr/bin/env bash
# Keeps a folder in sync with a workspace of syncservice, or tells how it stands:
#
#   scripts/sync-folder.sh [sync] --server amqp://HOST:PORT[/VHOST] --email E [--workspace NAME]
#                          [--state DIR] [--device-name NAME] [--allow-mass-delete] [--login] DIR
#   scripts/sync-folder.sh status [--state DIR] [DIR]
#   scripts/sync-folder.sh lock [--reason TEXT] [--minutes N] [--state DIR] PATH
#   scripts/sync-folder.sh unlock [--state DIR] PATH
#   scripts/sync-folder.sh --help | --version
#
# The first run logs in (password: $SYNCSERVICE_PASSWORD, else typed at the terminal, else one line
# of standard input); later runs reuse the device credential kept in the state directory. Ctrl-C or
# SIGTERM stops cleanly. The broker password, when not guest, comes from
# $SYNCSERVICE_BROKER_PASSWORD. Builds the desktop module first if its jar is missing.
# Exit codes: 0 stopped cleanly, 1 run-time failure, 2 wrong command line.
set -euo pipefail
# Runs from the caller's directory, so a relative DIR or --state means what it says.
root=$(cd "$(dirname "$0")/.." && pwd)
jar="$root/desktop/target/syncservice-desktop.jar"
if [ ! -f "$jar" ]; then
  (cd "$root" && ./mvnw -B -q package -DskipTests -pl desktop -am)
fi
exec java -jar "$jar" "$@"
