#!/usr/bin/env bash
# A local S3 endpoint for development and benchmarks: S3Proxy (from Maven Central) storing under a
# directory, on 127.0.0.1, with the credentials config.properties.example uses by default
# (storage.s3.access-key=local-identity, storage.s3.secret-key=local-credential).
#
#   scripts/s3proxy-local.sh start DIR [PORT]   # PORT defaults to 8081; prints the PID
#   scripts/s3proxy-local.sh stop DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=4.1.0
jar=$root/target/tools/s3proxy-$version-jar-with-dependencies.jar

command=${1:?usage: s3proxy-local.sh start|stop DIR [PORT]}
dir=${2:?usage: s3proxy-local.sh start|stop DIR [PORT]}
port=${3:-8081}

case "$command" in
  start)
    if [ ! -f "$jar" ]; then
      "$root/mvnw" -B -q org.apache.maven.plugins:maven-dependency-plugin:3.11.0:copy \
        -Dartifact=org.gaul:s3proxy:$version:jar:jar-with-dependencies -DoutputDirectory="$root/target/tools"
    fi
    mkdir -p "$dir/blobs"
    cat > "$dir/s3proxy.properties" <<PROPERTIES
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=local-identity
s3proxy.credential=local-credential
jclouds.provider=filesystem
jclouds.filesystem.basedir=$dir/blobs
PROPERTIES
    java -jar "$jar" --properties "$dir/s3proxy.properties" > "$dir/s3proxy.log" 2>&1 &
    echo $! > "$dir/s3proxy.pid"
    for _ in $(seq 60); do
      if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
        cat "$dir/s3proxy.pid"
        exit 0
      fi
      sleep 0.5
    done
    echo "s3proxy-local: S3Proxy did not start; see $dir/s3proxy.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$dir/s3proxy.pid" ]; then
      kill "$(cat "$dir/s3proxy.pid")" 2>/dev/null || true
      rm -f "$dir/s3proxy.pid"
    fi
    ;;
  *)
    echo "usage: s3proxy-local.sh start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
