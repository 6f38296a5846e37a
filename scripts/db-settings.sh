# Sourced by backup.sh and restore.sh: the database settings of a syncservice config file, read the
# way the service reads them for the keys used here (one key=value per line; SYNCSERVICE_DB_URL,
# SYNCSERVICE_DB_USER, SYNCSERVICE_DB_PASSWORD_FILE and SYNCSERVICE_DB_PASSWORD override the file),
# and a PGPASSFILE so that the password never goes on a command line.

# The value of KEY in FILE (the last line setting it; the service refuses a key set twice anyway).
config_value() { # file key default
  local value
  value=$(grep -E "^[[:space:]]*${2//./\\.}[[:space:]]*[=:]" "$1" | tail -n 1 | sed -E 's/^[^=:]*[=:][[:space:]]*//; s/[[:space:]]+$//') || true
  printf '%s' "${value:-$3}"
}

read_db_settings() { # config file
  local url
  url=${SYNCSERVICE_DB_URL:-$(config_value "$1" db.url jdbc:postgresql://127.0.0.1:5432/syncservice)}
  DB_USER=${SYNCSERVICE_DB_USER:-$(config_value "$1" db.user syncservice)}
  DB_PASSWORD_FILE=${SYNCSERVICE_DB_PASSWORD_FILE:-$(config_value "$1" db.password-file '')}
  DB_PASSWORD=${SYNCSERVICE_DB_PASSWORD:-$(config_value "$1" db.password '')}
  if [[ ! $url =~ ^jdbc:postgresql://([^/:?]+)(:([0-9]+))?/([^?]+) ]]; then
    echo "$(basename "$0"): db.url '$url' is not jdbc:postgresql://HOST[:PORT]/DATABASE" >&2
    exit 2
  fi
  DB_HOST=${BASH_REMATCH[1]} DB_PORT=${BASH_REMATCH[3]:-5432} DB_NAME=${BASH_REMATCH[4]}
}

# Writes DIR/.pgpass (mode 0600) with the password, when there is one, and exports PGPASSFILE.
pgpass_for() { # directory
  local password=$DB_PASSWORD
  if [ -n "$DB_PASSWORD_FILE" ]; then
    password=$(head -n 1 "$DB_PASSWORD_FILE")
  fi
  if [ -n "$password" ]; then
    password=${password//\\/\\\\}
    ( umask 077; printf '%s:%s:%s:%s:%s\n' "$DB_HOST" "$DB_PORT" '*' "$DB_USER" "${password//:/\\:}" > "$1/.pgpass" )
    export PGPASSFILE="$1/.pgpass"
  fi
}

# retention.chunk-grace of the config in seconds (default 1d).
grace_seconds() { # config file
  local grace number unit
  grace=${SYNCSERVICE_RETENTION_CHUNK_GRACE:-$(config_value "$1" retention.chunk-grace 1d)}
  [[ $grace =~ ^([0-9]+)(ms|s|m|h|d)$ ]] || { echo 86400; return; }
  number=${BASH_REMATCH[1]} unit=${BASH_REMATCH[2]}
  case $unit in
    ms) echo $(( number / 1000 )) ;; s) echo "$number" ;; m) echo $(( number * 60 )) ;;
    h) echo $(( number * 3600 )) ;; d) echo $(( number * 86400 )) ;;
  esac
}
