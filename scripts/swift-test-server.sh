#!/usr/bin/env bash
# A throw-away single-node OpenStack Swift ("SAIO" style) on 127.0.0.1, for the storage tests.
#
#   swift-test-server.sh install        install Debian's Swift packages and memcached if missing
#   swift-test-server.sh start DIR      configure under DIR (created), start, print KEY=VALUE lines
#   swift-test-server.sh stop DIR       stop what start DIR started
#
# start prints SWIFT_AUTH_URL (TempAuth v1), SWIFT_USER/SWIFT_KEY (an account admin) and
# SWIFT_USER2/SWIFT_KEY2 (a user of another account, for ACL tests). Every server listens on
# 127.0.0.1 on a free port; storage is a plain directory (mount_check = false); the proxy runs
# TempAuth and the tempurl middleware; TempAuth keeps its tokens in a private memcached.
#
# With SWIFT_KEYSTONE_URL set, the proxy authenticates with Keystone instead (keystonemiddleware's
# authtoken and Swift's keystoneauth; accounts AUTH_<project id>; roles admin and member operate
# their project's account): SWIFT_KEYSTONE_SERVICE_USER/_PASSWORD are the proxy's own Keystone
# user (project "service", domain Default), SWIFT_KEYSTONE_USER/_PASSWORD/_PROJECT_ID a member
# whose account start warms up. SWIFT_PROXY_PORT, when set, is the proxy's port (a Keystone
# catalog started before it names it). Passwords come through the environment only.
set -euo pipefail
# shellcheck source=scripts/test-server-common.sh
. "$(dirname "$0")/test-server-common.sh"

die() { echo "swift-test-server: $*" >&2; exit 1; }

need_install() {
  local bin
  for bin in swift-proxy-server swift-account-server swift-container-server swift-object-server \
             swift-ring-builder memcached; do
    command -v "$bin" >/dev/null 2>&1 || [ -x "/usr/bin/$bin" ] || return 0
  done
  return 1
}

install() {
  apt_install_missing Swift swift swift-proxy swift-account swift-container swift-object memcached
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_http() { # url, seconds
  local i
  for i in $(seq $(( $2 * 5 ))); do
    if curl -fs -o /dev/null "$1"; then return 0; fi
    sleep 0.2
  done
  return 1
}

auth_pipeline() {
  if [ -n "${SWIFT_KEYSTONE_URL:-}" ]; then echo "authtoken keystoneauth"; else echo "tempauth"; fi
}

# The proxy's Keystone filters: validate tokens (authtoken), then map roles to accounts.
keystone_filters() { # memcached port
  cat <<CONF
[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
www_authenticate_uri = $SWIFT_KEYSTONE_URL
auth_url = $SWIFT_KEYSTONE_URL
auth_type = password
user_domain_id = default
project_domain_id = default
project_name = service
username = $SWIFT_KEYSTONE_SERVICE_USER
password = $SWIFT_KEYSTONE_SERVICE_PASSWORD
memcached_servers = 127.0.0.1:$1
delay_auth_decision = true
[filter:keystoneauth]
use = egg:swift#keystoneauth
operator_roles = admin, member
CONF
}

# A token of SWIFT_KEYSTONE_USER scoped to its project, on stdout.
keystone_token() {
  /usr/bin/python3 - <<'PY'
import json, os, urllib.request
body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
    "name": os.environ["SWIFT_KEYSTONE_USER"], "domain": {"id": "default"},
    "password": os.environ["SWIFT_KEYSTONE_PASSWORD"]}}},
    "scope": {"project": {"id": os.environ["SWIFT_KEYSTONE_PROJECT_ID"]}}}}
request = urllib.request.Request(os.environ["SWIFT_KEYSTONE_URL"] + "/auth/tokens", method="POST",
                                 data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
with urllib.request.urlopen(request, timeout=10) as response:
    print(response.headers["X-Subject-Token"])
PY
}

server_conf() { # file, port, app
  cat > "$1" <<CONF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $2
workers = 0
user = $RUN_USER
swift_dir = $ETC
devices = $DIR/srv
mount_check = false
log_name = $3
log_address = $DIR/no-syslog
log_udp_host = 127.0.0.1
log_udp_port = 9
[pipeline:main]
pipeline = $3-server
[app:$3-server]
use = egg:swift#$3
CONF
}

start() {
  DIR=$(mkdir -p "$1" && cd "$1" && pwd)
  [ -f "$DIR/pids" ] && die "$DIR is in use (stop it first)"
  need_install && die "Swift is not installed: run '$0 install' (as root)"
  ETC=$DIR/etc
  RUN_USER=$(id -un)
  mkdir -p "$ETC" "$DIR/srv/d1" "$DIR/log"
  [ -f /etc/swift/swift.conf ] || die "/etc/swift/swift.conf is missing (the swift package installs it)"

  local proxy account container object memcache
  proxy=${SWIFT_PROXY_PORT:-$(free_port)}; account=$(free_port); container=$(free_port); object=$(free_port); memcache=$(free_port)

  local ring port
  for ring in account container object; do
    case $ring in account) port=$account;; container) port=$container;; object) port=$object;; esac
    swift-ring-builder "$ETC/$ring.builder" create 6 1 0 >/dev/null
    swift-ring-builder "$ETC/$ring.builder" add "r1z1-127.0.0.1:$port/d1" 1 >/dev/null
    swift-ring-builder "$ETC/$ring.builder" rebalance >/dev/null || true
    [ -f "$ETC/$ring.ring.gz" ] || die "could not build the $ring ring"
  done
  server_conf "$ETC/account-server.conf" "$account" account
  server_conf "$ETC/container-server.conf" "$container" container
  server_conf "$ETC/object-server.conf" "$object" object
  cat > "$ETC/proxy-server.conf" <<CONF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $proxy
workers = 0
user = $RUN_USER
swift_dir = $ETC
log_name = proxy
log_address = $DIR/no-syslog
log_udp_host = 127.0.0.1
log_udp_port = 9
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache tempurl $(auth_pipeline) proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true
[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin
user_test2_tester2 = testing2
token_life = 86400
[filter:tempurl]
use = egg:swift#tempurl
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$memcache
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
CONF
  [ -n "${SWIFT_KEYSTONE_URL:-}" ] && keystone_filters "$memcache" >> "$ETC/proxy-server.conf"
  chmod 0600 "$ETC/proxy-server.conf"

  local memcached_user=()
  [ "$(id -u)" = 0 ] && memcached_user=(-u root)
  : > "$DIR/pids"
  nohup memcached "${memcached_user[@]}" -l 127.0.0.1 -p "$memcache" -U 0 -m 16 \
    > "$DIR/log/memcached.log" 2>&1 &
  echo $! >> "$DIR/pids"
  local server
  for server in account container object proxy; do
    nohup "swift-$server-server" "$ETC/$server-server.conf" > "$DIR/log/$server.log" 2>&1 &
    echo $! >> "$DIR/pids"
  done
  if ! wait_http "http://127.0.0.1:$proxy/healthcheck" 60; then
    tail -n 20 "$DIR"/log/*.log >&2 || true
    stop "$DIR"
    die "the Swift proxy did not come up on 127.0.0.1:$proxy"
  fi
  # The first container PUT creates the account (account_autocreate); wait until one succeeds,
  # so that the cluster is fully up when start returns.
  local i token url ready=0
  for i in $(seq 150); do
    if [ -n "${SWIFT_KEYSTONE_URL:-}" ]; then
      token=$(keystone_token || true)
      url=http://127.0.0.1:$proxy/v1/AUTH_$SWIFT_KEYSTONE_PROJECT_ID
    else
      headers=$(curl -s -D - -o /dev/null -H 'X-Auth-User: test:tester' -H 'X-Auth-Key: testing' \
        "http://127.0.0.1:$proxy/auth/v1.0" || true)
      token=$(printf '%s' "$headers" | tr -d '\r' | sed -n 's/^[Xx]-[Aa]uth-[Tt]oken: //p')
      url=$(printf '%s' "$headers" | tr -d '\r' | sed -n 's/^[Xx]-[Ss]torage-[Uu]rl: //p')
    fi
    if [ -n "$token" ] && curl -fs -o /dev/null -X PUT -H "X-Auth-Token: $token" "$url/warm-up" \
       && curl -fs -o /dev/null -X DELETE -H "X-Auth-Token: $token" "$url/warm-up"; then
      ready=1
      break
    fi
    sleep 0.2
  done
  [ "$ready" = 1 ] || { tail -n 20 "$DIR"/log/*.log >&2 || true; stop "$DIR"; die "Swift did not accept a container"; }
  if [ -n "${SWIFT_KEYSTONE_URL:-}" ]; then
    echo "SWIFT_STORAGE_URL=$url"
    return 0
  fi
  echo "SWIFT_AUTH_URL=http://127.0.0.1:$proxy/auth/v1.0"
  echo "SWIFT_USER=test:tester"
  echo "SWIFT_KEY=testing"
  echo "SWIFT_USER2=test2:tester2"
  echo "SWIFT_KEY2=testing2"
}

test_server_main "$@"
