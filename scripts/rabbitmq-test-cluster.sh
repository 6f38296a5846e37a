#!/usr/bin/env bash
# A throw-away RabbitMQ cluster on this machine, one node per network namespace, for fault tests
# and for trying a cluster out by hand. Needs root, iproute2 and Debian's rabbitmq-server (3.10+).
# It never touches the machine's own RabbitMQ: each node lives in a namespace of its own, with its
# own loopback, epmd, ports, directories, config and Erlang cookie.
#
#   rabbitmq-test-cluster.sh create NAME NODES [OWNER_PID]   make, start and cluster NODES nodes
#   rabbitmq-test-cluster.sh destroy NAME                    stop everything NAME made, remove it
#   rabbitmq-test-cluster.sh sweep                           destroy clusters whose owner is gone
#   rabbitmq-test-cluster.sh address NAME I                  the IP address of node I (1-based)
#   rabbitmq-test-cluster.sh stop-app NAME I | start-app NAME I   rabbitmqctl stop_app / start_app
#   rabbitmq-test-cluster.sh stop NAME I | start NAME I      stop the whole node / start it again
#   rabbitmq-test-cluster.sh kill NAME I                     kill -9 the node's Erlang VM
#   rabbitmq-test-cluster.sh cut NAME I | heal NAME I        cut node I off the other nodes (it
#                                                            still reaches this host) / undo that
#   rabbitmq-test-cluster.sh ctl NAME I ARGS...              rabbitmqctl ARGS... against node I
#   rabbitmq-test-cluster.sh env NAME I                      the node's environment, to source
#
# NAME is 4 to 8 lowercase letters or digits (network interface names are short); everything made
# is named ssrc<NAME>-..., so sweep finds what a killed run left: clusters whose OWNER_PID (the
# process that made them; default the caller of create) is no longer alive. State lives under
# ${SYNCSERVICE_TEST_CLUSTER_DIR:-/tmp/syncservice-test-clusters}/NAME.
#
# Network: a bridge ssrc<NAME>-br on this host with 10.77.S.1/24 (S picked free at create), node I
# in namespace ssrc<NAME>-nI at 10.77.S.(10+I), AMQP on 5672 and management on 15672 of that
# address. Node names are long names with the address (rabbit@10.77.S.11): no /etc/hosts entry is
# needed. Distribution ticks every 2 s (net_ticktime 8), so a cut node is noticed within ~8 s, and
# cluster_partition_handling = pause_minority makes a cut node stop serving its clients until it
# sees the majority again. The users' permissions and authentication are what
# scripts/rabbitmq-auth-setup.sh applies (run on every node; its settings come from the same
# SYNCSERVICE_* environment variables). The user guest may connect from this host.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=${SYNCSERVICE_TEST_CLUSTER_DIR:-/tmp/syncservice-test-clusters}
rabbit_bin=/usr/lib/rabbitmq/bin

die() { echo "rabbitmq-test-cluster: $*" >&2; exit 1; }

check_name() {
  [[ "$1" =~ ^[a-z0-9]{4,8}$ ]] || die "cluster name '$1' must be 4 to 8 lowercase letters or digits"
}

check_node() { # name, index
  [[ "$2" =~ ^[1-9]$ ]] || die "node index '$2' must be 1 to 9"
  [ -d "$root/$1/n$2" ] || die "cluster $1 has no node $2"
}

prefix() { echo "ssrc$1"; }
subnet() { cat "$root/$1/subnet"; }
address() { echo "10.77.$(subnet "$1").$((10 + $2))"; }
node_count() { cat "$root/$1/nodes"; }
netns_of() { echo "$(prefix "$1")-n$2"; }

# The environment every rabbitmq command of node I runs with. The machine's own
# /etc/rabbitmq/rabbitmq-env.conf is replaced by the node's (empty) one.
node_env() { # name, index
  local dir=$root/$1/n$2
  cat <<ENV
HOME=$dir
RABBITMQ_CONF_ENV_FILE=$dir/rabbitmq-env.conf
RABBITMQ_NODENAME=rabbit@$(address "$1" "$2")
RABBITMQ_USE_LONGNAME=true
RABBITMQ_BASE=$dir
RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf
RABBITMQ_CONF=$dir/rabbitmq.conf
RABBITMQ_ADVANCED_CONFIG_FILE=$dir/advanced.config
RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
RABBITMQ_MNESIA_BASE=$dir/mnesia
RABBITMQ_LOG_BASE=$dir/log
RABBITMQ_PID_FILE=$dir/beam.pid
ENV
}

in_node() { # name, index, command...
  local name=$1 index=$2; shift 2
  local -a vars
  mapfile -t vars < <(node_env "$name" "$index")
  ip netns exec "$(netns_of "$name" "$index")" env -u ERL_FLAGS -u ERL_EPMD_ADDRESS "${vars[@]}" \
    PATH="$rabbit_bin:$PATH" "$@"
}

ctl() { # name, index, rabbitmqctl arguments...
  local name=$1 index=$2; shift 2
  in_node "$name" "$index" "$rabbit_bin/rabbitmqctl" -q "$@" </dev/null
}

wait_running() { # name, index, seconds
  local i
  for i in $(seq "$3"); do
    if ctl "$1" "$2" await_startup --timeout 1 >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  die "node $2 of cluster $1 did not start within $3 s (log: $root/$1/n$2/log)"
}

pick_subnet() {
  local s used
  used=$(ip -4 -o addr show | awk '{print $4}')
  for s in $(shuf -i 1-254); do
    if ! grep -q "^10\.77\.$s\." <<<"$used"; then echo "$s"; return 0; fi
  done
  die "no free 10.77.S.0/24 subnet"
}

write_node_files() { # name, index, cookie file
  local name=$1 index=$2 dir=$root/$1/n$2
  mkdir -p "$dir/log" "$dir/mnesia"
  install -m 0400 "$3" "$dir/.erlang.cookie"
  : >"$dir/rabbitmq-env.conf"
  cat >"$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 5672
management.tcp.port = 15672
loopback_users = none
cluster_partition_handling = pause_minority
log.file.level = info
log.console = false
CONF
  echo '[{kernel, [{net_ticktime, 8}]}].' >"$dir/advanced.config"
}

make_network() { # name
  local name=$1 p s i ns
  p=$(prefix "$name"); s=$(subnet "$name")
  ip link add "$p-br" type bridge
  ip addr add "10.77.$s.1/24" dev "$p-br"
  ip link set "$p-br" up
  for i in $(seq "$(node_count "$name")"); do
    ns=$(netns_of "$name" "$i")
    ip netns add "$ns"
    ip link add "$p-h$i" type veth peer name "$p-v$i"
    ip link set "$p-v$i" netns "$ns"
    ip link set "$p-h$i" master "$p-br"
    ip link set "$p-h$i" up
    ip netns exec "$ns" ip link set lo up
    ip netns exec "$ns" ip addr add "$(address "$name" "$i")/24" dev "$p-v$i"
    ip netns exec "$ns" ip link set "$p-v$i" up
  done
}

start_node() { # name, index
  in_node "$1" "$2" "$rabbit_bin/rabbitmq-server" -detached </dev/null >/dev/null 2>&1
  wait_running "$1" "$2" 120
}

configure_auth() { # name, index, options...
  local name=$1 index=$2; shift 2
  in_node "$name" "$index" "$here/rabbitmq-auth-setup.sh" "$@" >/dev/null </dev/null
}

create() { # name, nodes, owner pid
  local name=$1 nodes=$2 owner=${3:-$PPID} i cookie
  check_name "$name"
  [[ "$nodes" =~ ^[1-9]$ ]] || die "node count '$nodes' must be 1 to 9"
  command -v ip >/dev/null || die "ip (iproute2) is missing"
  [ -x "$rabbit_bin/rabbitmq-server" ] || die "rabbitmq-server is missing"
  [ ! -e "$root/$name" ] || die "cluster $name exists already"
  mkdir -p "$root/$name"
  chmod 0700 "$root/$name"
  echo "$owner" >"$root/$name/owner"
  echo "$nodes" >"$root/$name/nodes"
  pick_subnet >"$root/$name/subnet"
  cookie=$root/$name/cookie
  (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$cookie")
  for i in $(seq "$nodes"); do write_node_files "$name" "$i" "$cookie"; done
  make_network "$name"
  for i in $(seq "$nodes"); do configure_auth "$name" "$i" --conf-only; done
  # The nodes boot side by side (each takes seconds), then join the first one by one.
  local -a starting=()
  for i in $(seq "$nodes"); do start_node "$name" "$i" & starting+=($!); done
  for i in "${starting[@]}"; do wait "$i" || die "a node of cluster $name did not start"; done
  for i in $(seq 2 "$nodes"); do
    ctl "$name" "$i" stop_app >/dev/null
    ctl "$name" "$i" join_cluster "rabbit@$(address "$name" 1)" >/dev/null 2>&1
    ctl "$name" "$i" start_app >/dev/null
  done
  # Users, permissions and limits are the cluster's: set once.
  configure_auth "$name" 1
  echo "SUBNET=10.77.$(subnet "$name").0/24"
  for i in $(seq "$nodes"); do echo "NODE$i=$(address "$name" "$i")"; done
}

# Everything NAME made, whether or not its state directory survived.
destroy() { # name
  local name=$1 p ns pid link
  check_name "$name"
  p=$(prefix "$name")
  for ns in $(ip netns list | awk '{print $1}' | grep "^$p-n" || true); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns delete "$ns" 2>/dev/null || true
  done
  for link in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep "^$p-" || true); do
    ip link delete "$link" 2>/dev/null || true
  done
  rm -rf "${root:?}/$name"
}

alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

sweep() {
  local name owner
  mkdir -p "$root"
  for name in $( (ls "$root"; ip netns list | awk '{print $1}' | sed -n 's/^ssrc\([a-z0-9]*\)-n[0-9]*$/\1/p';
                  ip -o link show | awk -F': ' '{print $2}' | sed -n 's/^ssrc\([a-z0-9]*\)-.*/\1/p') | sort -u); do
    [[ "$name" =~ ^[a-z0-9]{4,8}$ ]] || continue
    owner=$(cat "$root/$name/owner" 2>/dev/null || true)
    if ! alive "$owner"; then
      echo "rabbitmq-test-cluster: removing cluster $name left by process ${owner:-unknown}"
      destroy "$name"
    fi
  done
}

# Blackhole routes inside the namespaces, both ways: the cut node and its peers no longer reach
# each other, while this host (the clients, the service) still reaches every node.
set_cut() { # name, index, add|del
  local name=$1 index=$2 op=$3 j
  for j in $(seq "$(node_count "$name")"); do
    [ "$j" = "$index" ] && continue
    ip netns exec "$(netns_of "$name" "$index")" ip route "$op" blackhole "$(address "$name" "$j")/32" 2>/dev/null || true
    ip netns exec "$(netns_of "$name" "$j")" ip route "$op" blackhole "$(address "$name" "$index")/32" 2>/dev/null || true
  done
}

command=${1:-}
[ -n "$command" ] || die "usage: $0 create|destroy|sweep|address|stop-app|start-app|stop|start|kill|cut|heal|ctl|env ..."
shift
case "$command" in
  create) [ $# -ge 2 ] || die "usage: create NAME NODES [OWNER_PID]"; create "$@" ;;
  destroy) [ $# = 1 ] || die "usage: destroy NAME"; destroy "$1" ;;
  sweep) sweep ;;
  address|stop-app|start-app|stop|start|kill|cut|heal|ctl|env)
    [ $# -ge 2 ] || die "usage: $command NAME I"
    name=$1 index=$2; shift 2
    check_name "$name"; check_node "$name" "$index"
    case "$command" in
      address) address "$name" "$index" ;;
      stop-app) ctl "$name" "$index" stop_app >/dev/null ;;
      start-app) ctl "$name" "$index" start_app >/dev/null; wait_running "$name" "$index" 120 ;;
      stop) ctl "$name" "$index" stop >/dev/null ;;
      start) start_node "$name" "$index" ;;
      kill) pid=$(cat "$root/$name/n$index/beam.pid" 2>/dev/null || true)
            [ -n "$pid" ] || die "node $index of cluster $name has no pid file"
            kill -9 "$pid" 2>/dev/null || true
            for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
            rm -f "$root/$name/n$index/beam.pid" ;;
      cut) set_cut "$name" "$index" add ;;
      heal) set_cut "$name" "$index" del ;;
      ctl) ctl "$name" "$index" "$@" ;;
      env) node_env "$name" "$index" ;;
    esac ;;
  *) die "unknown command '$command'" ;;
esac
