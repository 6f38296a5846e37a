#!/usr/bin/env bash
# A readable demo of syncservice in one terminal: two devices of the demo user (a laptop and a
# phone) log in, upload chunks through signed URLs, commit, get notified, fetch changes, run into a
# conflict and resolve it with a conflicted copy, and see a rename and a delete. Exits 0 when every
# step went as told, 1 otherwise (the last line says why).
#
#   scripts/demo.sh                  # starts the embedded service in the same process (nothing installed)
#   scripts/demo.sh --config FILE    # drives the running service FILE configures (its demo user must exist)
#
# Builds first if the jar is missing. Environment: SYNCSERVICE_DEMO_EMAIL (default
# demo@example.org), SYNCSERVICE_DEMO_PASSWORD (default demo-password).
set -euo pipefail
# Runs from the caller's directory, so a relative --config path means what it says.
root=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$root/embedded/target/syncservice-embedded.jar" ]; then
  (cd "$root" && ./mvnw -B -q install -DskipTests)
fi
exec java -cp "$root/embedded/target/syncservice-embedded.jar" org.syncservice.embedded.demo.DemoMain "$@"
