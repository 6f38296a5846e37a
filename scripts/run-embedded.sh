#!/usr/bin/env bash
# Runs the whole service on this machine with nothing installed (Java 17+, Linux x86-64): an
# in-process PostgreSQL, AMQP broker (Qpid Broker-J) and S3 store (S3Proxy), the schema, the
# service and a demo user; prints how to connect. SIGTERM or Ctrl-C stops it (exit 0). Data, and the
# generated PostgreSQL and broker passwords (postgres.password, broker.password, mode 0600), stay in
# target/embedded-data (or the directory given as the first argument).
#
# Environment: SYNCSERVICE_EMBEDDED_AMQP_PORT (default 5673; 0 = a free port),
# SYNCSERVICE_DEMO_PASSWORD (the demo user's password when it is first created).
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q install -DskipTests
exec java -jar embedded/target/syncservice-embedded.jar "$@"
