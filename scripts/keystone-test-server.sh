#!/usr/bin/env bash
# A throw-away OpenStack Keystone (identity v3, Debian's packages) on 127.0.0.1, for the tests of
# the Swift back-end's Keystone login.
#
#   keystone-test-server.sh install      install Debian's Keystone library and uWSGI if missing
#   keystone-test-server.sh start DIR    configure under DIR (created), start, print KEY=VALUE lines
#   keystone-test-server.sh stop DIR     stop what start DIR started
#
# start runs Keystone under uWSGI on a free port of 127.0.0.1: a sqlite database, fernet keys and
# logs in DIR, a bootstrap admin, and a project "syncservice" in domain "Default" with a member
# user "syncservice". Its catalog has an object-store service with public, internal and admin
# endpoints in RegionOne and a public one in RegionTwo (their URLs end in AUTH_<project id>, as
# Swift's do); with KEYSTONE_OBJECT_STORE_URL set (e.g. http://127.0.0.1:8080) RegionOne's public
# endpoint is that Swift's. KEYSTONE_TOKEN_EXPIRATION (seconds, default 3600) sets the tokens'
# lifetime. It prints KEYSTONE_URL (ending in /v3), KEYSTONE_USER, KEYSTONE_PASSWORD,
# KEYSTONE_PROJECT, KEYSTONE_PROJECT_ID, KEYSTONE_DOMAIN, KEYSTONE_ADMIN_PASSWORD and
# KEYSTONE_SERVICE_USER / KEYSTONE_SERVICE_PASSWORD (an admin of project "service", for a Swift
# proxy's authtoken middleware). Passwords are random per start and reach keystone-manage
# through its environment, never its command line.
set -euo pipefail
# shellcheck source=scripts/test-server-common.sh
. "$(dirname "$0")/test-server-common.sh"

die() { echo "keystone-test-server: $*" >&2; exit 1; }

# Debian's Keystone runs on Debian's Python; a python3 earlier on PATH (pyenv, venv) lacks it.
PYTHON=/usr/bin/python3

need_install() {
  [ -x /usr/bin/keystone-manage ] && [ -x /usr/bin/keystone-wsgi-public ] && [ -x /usr/bin/uwsgi ] \
    && [ -f /usr/lib/uwsgi/plugins/python3_plugin.so ] \
    && "$PYTHON" -c 'import keystone, keystonemiddleware.auth_token' >/dev/null 2>&1 && return 1
  return 0
}

# python3-keystone rather than keystone: the library, keystone-manage and the WSGI entry point,
# without the package that configures and starts a system-wide Keystone.
install() {
  apt_install_missing Keystone python3-keystone python3-keystonemiddleware uwsgi-core uwsgi-plugin-python3 curl
}

free_port() {
  "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

random_secret() {
  "$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(24))'
}

start() {
  DIR=$(mkdir -p "$1" && cd "$1" && pwd)
  [ -f "$DIR/pids" ] && die "$DIR is in use (stop it first)"
  need_install && die "Keystone is not installed: run '$0 install' (as root)"
  local port user group expiration
  port=$(free_port)
  user=$(id -un)
  group=$(id -gn)
  expiration=${KEYSTONE_TOKEN_EXPIRATION:-3600}
  mkdir -p "$DIR/etc" "$DIR/log" "$DIR/fernet-keys" "$DIR/credential-keys"
  chmod 0700 "$DIR"
  cat > "$DIR/etc/keystone.conf" <<CONF
[DEFAULT]
log_file = $DIR/log/keystone.log
use_stderr = false
[database]
connection = sqlite:///$DIR/keystone.db
[token]
provider = fernet
expiration = $expiration
[fernet_tokens]
key_repository = $DIR/fernet-keys
[fernet_receipts]
key_repository = $DIR/fernet-keys
[credential]
key_repository = $DIR/credential-keys
[identity]
# bcrypt's cheapest cost: these passwords guard nothing, and logins stay quick.
password_hash_rounds = 4
[catalog]
# A catalog from a file: Keystone writes it nowhere, and sqlite (one writer) stays out of the way.
driver = templated
template_file = $DIR/etc/default_catalog.templates
[cache]
enabled = false
CONF
  local swift=${KEYSTONE_OBJECT_STORE_URL:-http://public.region-one.invalid:8080}
  cat > "$DIR/etc/default_catalog.templates" <<CATALOG
catalog.RegionOne.identity.publicURL = http://127.0.0.1:$port/v3
catalog.RegionOne.identity.internalURL = http://127.0.0.1:$port/v3
catalog.RegionOne.identity.name = keystone
catalog.RegionOne.object-store.publicURL = $swift/v1/AUTH_\$(project_id)s
catalog.RegionOne.object-store.internalURL = http://internal.region-one.invalid:8080/v1/AUTH_\$(project_id)s
catalog.RegionOne.object-store.adminURL = http://admin.region-one.invalid:8080/v1/AUTH_\$(project_id)s
catalog.RegionOne.object-store.name = swift
catalog.RegionTwo.object-store.publicURL = http://public.region-two.invalid:8080/v1/AUTH_\$(project_id)s
catalog.RegionTwo.object-store.name = swift
CATALOG
  local manage=(/usr/bin/keystone-manage --config-file "$DIR/etc/keystone.conf")
  "${manage[@]}" db_sync > "$DIR/log/manage.log" 2>&1 || { tail -n 20 "$DIR/log/"*.log >&2; die "db_sync failed"; }
  "${manage[@]}" fernet_setup --keystone-user "$user" --keystone-group "$group" >> "$DIR/log/manage.log" 2>&1
  "${manage[@]}" credential_setup --keystone-user "$user" --keystone-group "$group" >> "$DIR/log/manage.log" 2>&1
  chmod 0700 "$DIR/fernet-keys" "$DIR/credential-keys"

  local url=http://127.0.0.1:$port/v3 admin_password password service_password
  admin_password=$(random_secret)
  password=$(random_secret)
  service_password=$(random_secret)
  OS_BOOTSTRAP_PASSWORD=$admin_password "${manage[@]}" bootstrap \
    --bootstrap-username admin --bootstrap-project-name admin --bootstrap-role-name admin \
    >> "$DIR/log/manage.log" 2>&1 || { tail -n 20 "$DIR/log/"*.log >&2; die "bootstrap failed"; }

  : > "$DIR/pids"
  # One worker thread: sqlite allows one writer, and concurrent requests would fail on its lock.
  # uWSGI's HTTP socket closes every connection after its answer: "Connection: close" says so,
  # or clients that pool connections (keystonemiddleware) send on a closed one.
  OS_KEYSTONE_CONFIG_FILES=$DIR/etc/keystone.conf nohup /usr/bin/uwsgi --plugin python3 \
    --http-socket "127.0.0.1:$port" --wsgi-file /usr/bin/keystone-wsgi-public \
    --processes 1 --threads 1 --die-on-term --need-app --add-header 'Connection: close' \
    > "$DIR/log/uwsgi.log" 2>&1 &
  echo $! >> "$DIR/pids"

  local i up=0
  for i in $(seq 300); do
    if curl -fs -o /dev/null "$url"; then up=1; break; fi
    sleep 0.2
  done
  [ "$up" = 1 ] || { tail -n 20 "$DIR/log/"*.log >&2 || true; stop "$DIR"; die "Keystone did not come up on $url"; }

  # The project, users and roles, through Keystone's own API as its admin.
  local project_id
  project_id=$(KEYSTONE_URL=$url ADMIN_PASSWORD=$admin_password USER_PASSWORD=$password \
    SERVICE_PASSWORD=$service_password "$PYTHON" - <<'PY'
import json, os, urllib.request

url = os.environ["KEYSTONE_URL"]

def call(method, path, body=None, token=None):
    request = urllib.request.Request(url + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("X-Auth-Token", token)
    with urllib.request.urlopen(request) as response:
        text = response.read()
        return response.headers, (json.loads(text) if text else None)

def login(user, password, project):
    headers, _ = call("POST", "/auth/tokens", {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": user, "domain": {"id": "default"}, "password": password}}},
        "scope": {"project": {"name": project, "domain": {"id": "default"}}}}})
    return headers["X-Subject-Token"]

admin = login("admin", os.environ["ADMIN_PASSWORD"], "admin")
roles = {r["name"]: r["id"] for r in call("GET", "/roles", token=admin)[1]["roles"]}
if "member" not in roles:
    roles["member"] = call("POST", "/roles", {"role": {"name": "member"}}, admin)[1]["role"]["id"]

def project(name):
    return call("POST", "/projects", {"project": {"name": name, "domain_id": "default"}}, admin)[1]["project"]["id"]

def user(name, password, project_id, role):
    # No default project: a login that asked for no scope would get an unscoped token (no catalog).
    user_id = call("POST", "/users", {"user": {"name": name, "domain_id": "default",
                                               "password": password}}, admin)[1]["user"]["id"]
    call("PUT", "/projects/%s/users/%s/roles/%s" % (project_id, user_id, roles[role]), token=admin)

syncservice = project("syncservice")
user("syncservice", os.environ["USER_PASSWORD"], syncservice, "member")
service = project("service")
user("swift", os.environ["SERVICE_PASSWORD"], service, "admin")

print(syncservice)
PY
  ) || { tail -n 20 "$DIR/log/"*.log >&2 || true; stop "$DIR"; die "could not set up the project and catalog"; }

  echo "KEYSTONE_URL=$url"
  echo "KEYSTONE_USER=syncservice"
  echo "KEYSTONE_PASSWORD=$password"
  echo "KEYSTONE_PROJECT=syncservice"
  echo "KEYSTONE_PROJECT_ID=$project_id"
  echo "KEYSTONE_DOMAIN=Default"
  echo "KEYSTONE_ADMIN_PASSWORD=$admin_password"
  echo "KEYSTONE_SERVICE_USER=swift"
  echo "KEYSTONE_SERVICE_PASSWORD=$service_password"
}

test_server_main "$@"
