# Shared by scripts/*-test-server.sh (sourced, not run): the stop of what a start recorded in
# DIR/pids, and the install | start DIR | stop DIR command line. The sourcing script defines
# die, need_install, install and start.

# Installs Debian packages for a server that is missing (need_install succeeds): what, packages...
apt_install_missing() {
  local what=$1; shift
  need_install || return 0
  [ "$(id -u)" = 0 ] || die "$what is not installed and installing it needs root (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends "$@" >&2
}

stop() {
  local dir=$1 pid
  [ -f "$dir/pids" ] || return 0
  while read -r pid; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done < "$dir/pids"
  sleep 0.5
  while read -r pid; do
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  done < "$dir/pids"
  rm -f "$dir/pids"
}

test_server_main() {
  case "${1:-}" in
    install) install ;;
    start) [ $# = 2 ] || die "usage: $0 start DIR"; start "$2" ;;
    stop) [ $# = 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
    *) die "usage: $0 install | start DIR | stop DIR" ;;
  esac
}
