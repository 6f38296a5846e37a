#!/usr/bin/env bash
# Sets up RabbitMQ (3.10+) to authenticate and authorize syncservice's clients itself:
#   - enables the OAuth 2.0 (JWT) authentication backend, rabbitmq_auth_backend_oauth2;
#   - auth_backends: the internal user database first (the service's own user, operators, guest),
#     then JWTs signed by the service (device identities, scoped per device);
#   - auth_oauth2.resource_server_id (the prefix of the scopes in the service's tokens);
#   - optionally the service's public signing key (PEM) under a key id, in rabbitmq.conf;
#   - the login-only internal user, which may publish requests to the request exchange and
#     nothing else, with a cap on its connections and channels;
#   - the management plugin (rabbitmq_management), whose HTTP API the service closes revoked
#     devices' connections through (amqp.management-url), and optionally the user it does that as.
# Idempotent. It writes rabbitmq.conf (for the next start) AND applies the same settings to the
# running broker, so no restart is needed; --restart restarts the broker once and waits for it.
# On a cluster, run it on every node (rabbitmq.conf and the key file are per node; users,
# permissions and limits are cluster-wide), or: --conf-only on every node before it starts (it
# writes rabbitmq.conf, enabled_plugins and the key file and talks to no broker), then once
# without it on any node. The rabbitmq commands act on the node their environment names
# (RABBITMQ_NODENAME, RABBITMQ_ENABLED_PLUGINS_FILE, HOME with its Erlang cookie...), as
# scripts/rabbitmq-test-cluster.sh sets for each of its nodes.
#
# Environment (all optional):
#   RABBITMQ_CONF                     rabbitmq.conf to edit (default /etc/rabbitmq/rabbitmq.conf)
#   SYNCSERVICE_RESOURCE_SERVER_ID    scope prefix; must equal auth.broker-resource-server-id (syncservice)
#   SYNCSERVICE_VHOST                 virtual host of the service (default /)
#   SYNCSERVICE_REQUEST_EXCHANGE      must equal amqp.request-exchange (default syncservice.rpc)
#   SYNCSERVICE_LOGIN_USER            must equal auth.broker-login-user (default syncservice-login)
#   SYNCSERVICE_LOGIN_PASSWORD        what clients give SyncClientOptions.loginUser (default
#                                     syncservice-login; not a secret: every client may log in as this user)
#   SYNCSERVICE_LOGIN_MAX_CONNECTIONS cap on the login user's connections (default 500)
#   SYNCSERVICE_SIGNING_KEY_ID        key id (JWT "kid") of the service's key; must equal
#                                     auth.broker-signing-key-id (default syncservice)
#   SYNCSERVICE_SIGNING_PUBLIC_KEY    PEM file with the service's PUBLIC key (its private half is
#                                     auth.broker-signing-key-file); copied next to rabbitmq.conf and
#                                     named there (skipped when unset)
#   SYNCSERVICE_MANAGEMENT            1 (default) enables rabbitmq_management; 0 leaves it as it is
#   SYNCSERVICE_MANAGEMENT_USER       management user the service closes connections as
#                                     (amqp.management-user; tag administrator); created or updated
#                                     only together with the next one
#   SYNCSERVICE_MANAGEMENT_PASSWORD_FILE  file holding its password (amqp.management-password-file);
#                                     read through stdin, never put on a command line
set -euo pipefail

restart=0 conf_only=0
case "${1:-}" in
  --restart) restart=1 ;;
  --conf-only) conf_only=1 ;;
  "") ;;
  *) echo "rabbitmq-auth-setup: unknown option '$1' (--restart or --conf-only)" >&2; exit 2 ;;
esac

conf=${RABBITMQ_CONF:-/etc/rabbitmq/rabbitmq.conf}
resource=${SYNCSERVICE_RESOURCE_SERVER_ID:-syncservice}
vhost=${SYNCSERVICE_VHOST:-/}
exchange=${SYNCSERVICE_REQUEST_EXCHANGE:-syncservice.rpc}
login_user=${SYNCSERVICE_LOGIN_USER:-syncservice-login}
login_password=${SYNCSERVICE_LOGIN_PASSWORD:-syncservice-login}
login_max_connections=${SYNCSERVICE_LOGIN_MAX_CONNECTIONS:-500}
key_id=${SYNCSERVICE_SIGNING_KEY_ID:-syncservice}
public_key=${SYNCSERVICE_SIGNING_PUBLIC_KEY:-}
management=${SYNCSERVICE_MANAGEMENT:-1}
management_user=${SYNCSERVICE_MANAGEMENT_USER:-}
management_password_file=${SYNCSERVICE_MANAGEMENT_PASSWORD_FILE:-}

wait_for_broker() {
  for _ in $(seq 120); do
    if rabbitmq-diagnostics -q check_port_listener 5672 >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "rabbitmq-auth-setup: RabbitMQ did not come up within 120s" >&2
  return 1
}

plugins=(rabbitmq_auth_backend_oauth2)
if [ "$management" = 1 ]; then plugins+=(rabbitmq_management); fi

# 1. The plugin. Enabling it on a running node starts it at once and records it for later starts.
if [ "$conf_only" = 1 ]; then
  rabbitmq-plugins -q enable --offline "${plugins[@]}" </dev/null >/dev/null
elif ! rabbitmq-plugins -q list -e rabbitmq_auth_backend_oauth2 2>/dev/null | grep -q 'E\*\|e\*'; then
  rabbitmq-plugins -q enable rabbitmq_auth_backend_oauth2 </dev/null
fi

# 1b. The management plugin: its HTTP API lists and closes the connections of a broker user, which
#     is how the service closes a revoked device's connection (RabbitMQ 3.10 leaves a connection
#     open when its token expires). It listens on 15672 (management.tcp.port).
if [ "$conf_only" = 0 ] && [ "$management" = 1 ] && ! rabbitmq-plugins -q list -e rabbitmq_management 2>/dev/null | grep -q 'E\*\|e\*'; then
  rabbitmq-plugins -q enable rabbitmq_management </dev/null
fi

# 2. rabbitmq.conf: one block of ours, replaced whole on each run.
begin='# >>> syncservice broker authentication (scripts/rabbitmq-auth-setup.sh)'
end='# <<< syncservice broker authentication'
block="$begin
auth_backends.1 = internal
auth_backends.2 = rabbit_auth_backend_oauth2
auth_oauth2.resource_server_id = $resource"
if [ -n "$public_key" ]; then
  key_file=$(dirname "$conf")/syncservice-$key_id.pem
  install -m 0644 "$public_key" "$key_file"
  block="$block
auth_oauth2.default_key = $key_id
auth_oauth2.signing_keys.$key_id = $key_file"
fi
block="$block
$end"
touch "$conf"
current=$(awk -v b="$begin" -v e="$end" '$0==b{on=1} on{print} $0==e{on=0}' "$conf")
if [ "$current" != "$block" ]; then
  tmp=$(mktemp)
  awk -v b="$begin" -v e="$end" '$0==b{on=1} !on{print} $0==e{on=0}' "$conf" > "$tmp"
  printf '%s\n' "$block" >> "$tmp"
  cat "$tmp" > "$conf"
  rm -f "$tmp"
  echo "rabbitmq-auth-setup: wrote the auth block of $conf"
fi

if [ "$conf_only" = 1 ]; then
  exit 0
fi

if [ "$restart" = 1 ]; then
  rabbitmqctl -q stop_app </dev/null >/dev/null 2>&1 || true
  rabbitmqctl -q shutdown </dev/null >/dev/null 2>&1 || true
  rabbitmq-server -detached
fi
wait_for_broker

# 3. The same settings on the running node, so that no restart is needed (rabbitmq.conf is read
#    only at start). The key file, when given, is added under its key id as well.
rabbitmqctl -q eval "
  application:set_env(rabbit, auth_backends, [rabbit_auth_backend_internal, rabbit_auth_backend_oauth2]),
  application:set_env(rabbitmq_auth_backend_oauth2, resource_server_id, <<\"$resource\">>)." </dev/null >/dev/null
if [ -n "$public_key" ]; then
  rabbitmqctl -q add_uaa_key "$key_id" --pem-file="$key_file" </dev/null >/dev/null
fi

# 4. The login-only identity: write to the request exchange only. Its replies come back over
#    direct reply-to (amq.rabbitmq.reply-to), which needs no permission, so it declares nothing.
if ! rabbitmqctl -q list_users </dev/null | awk '{print $1}' | grep -qx "$login_user"; then
  # The password goes through stdin, never the command line.
  printf '%s\n' "$login_password" | rabbitmqctl -q add_user "$login_user" >/dev/null
else
  printf '%s\n' "$login_password" | rabbitmqctl -q change_password "$login_user" >/dev/null
fi
if ! rabbitmqctl -q list_vhosts </dev/null | grep -qx -- "$vhost"; then
  rabbitmqctl -q add_vhost "$vhost" </dev/null >/dev/null
fi
escaped_exchange=$(printf '%s' "$exchange" | sed 's/[.[\*^$()+?{|\\]/\\&/g')
rabbitmqctl -q set_permissions -p "$vhost" "$login_user" '^$' "^${escaped_exchange}\$" '^$' </dev/null >/dev/null
rabbitmqctl -q set_user_limits "$login_user" \
  "{\"max-connections\": $login_max_connections, \"max-channels\": $((2 * login_max_connections))}" </dev/null >/dev/null

# 5. The management user the service closes connections as, when asked for.
if [ -n "$management_user" ] && [ -n "$management_password_file" ]; then
  if ! rabbitmqctl -q list_users </dev/null | awk '{print $1}' | grep -qx "$management_user"; then
    rabbitmqctl -q add_user "$management_user" <"$management_password_file" >/dev/null
  else
    rabbitmqctl -q change_password "$management_user" <"$management_password_file" >/dev/null
  fi
  rabbitmqctl -q set_user_tags "$management_user" administrator </dev/null >/dev/null
fi
echo "rabbitmq-auth-setup: RabbitMQ authenticates syncservice's clients (login user $login_user, vhost $vhost)"
