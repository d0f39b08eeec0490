#!/usr/bin/env bash
# Start/stop the real services that tests and CI use, all bound to 127.0.0.1:
#   pg        PostgreSQL (Debian's packages), throwaway cluster, trust auth on loopback
#   es        Elasticsearch 8 (Maven Central integ-test-zip + scripts/elasticsearch/compat-plugin)
#   redis     Redis (Debian's redis-server), nothing persisted: the portal's shared cache
#   chromium  Debian's chromium + axe-core from npm (nothing long-running to start)
#   varnish   Varnish (Debian's varnish) with deploy/varnish/default.vcl, in front of VARNISH_BACKEND
#
# Usage:
#   scripts/services.sh start [pg|es|redis|chromium|varnish|all]  (default: all; no-op for what already runs)
#   scripts/services.sh stop  [pg|es|redis|varnish|all]           (default: all; data is kept for a fast restart)
#   scripts/services.sh env                               (export lines; eval "$(scripts/services.sh env)")
#   scripts/services.sh status
#   scripts/services.sh clean                             (stop all and delete data and caches)
#
# Environment: PG_PORT (55432), ES_PORT (59200), REDIS_PORT (56379), VARNISH_PORT (56081),
#   VARNISH_BACKEND (127.0.0.1:8000, the `make run` portal), ES_TRANSPORT_PORT (ES_PORT+100),
#   ES_JAVA_OPTS (-Xms512m -Xmx1g), ES_JAVA_HOME (the JDK of `java` on PATH),
#   ES_START_TIMEOUT seconds (180).
#
# State and logs live in .services/ at the repository root (git-ignored). The server data
# directories live in /tmp/larportalen-{pg,es,redis}-<port>/ with symlinks from .services/:
# as root, PostgreSQL and Elasticsearch must run as an unprivileged user (both refuse
# root), and that user must be able to reach its data directory. The checkout may sit
# under a directory other users cannot traverse (e.g. /root, mode 0700), and loosening
# permissions on directories outside the repo is not ours to do, whereas /tmp is always
# traversable. Each directory is keyed by port, so several checkouts can coexist.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$REPO_ROOT/.services"

PG_PORT="${PG_PORT:-55432}"
PG_RUN="/tmp/larportalen-pg-$PG_PORT"
PG_DATA="$PG_RUN/data"
PG_LOG="$STATE/pg/postgres.log"
PG_USER_OS=postgres               # system user the server runs as when we are root
PG_DB=larportalen                 # role and database

ES_VERSION=8.19.21                # keep in step with scripts/elasticsearch/pom.xml
ES_PORT="${ES_PORT:-59200}"
ES_TRANSPORT_PORT="${ES_TRANSPORT_PORT:-$((ES_PORT + 100))}"
ES_JAVA_OPTS="${ES_JAVA_OPTS:--Xms512m -Xmx1g}"
ES_START_TIMEOUT="${ES_START_TIMEOUT:-180}"
ES_USER_OS=larportalen-es         # system user the server runs as when we are root
ES_STATE="$STATE/es"
ES_LIB="$ES_STATE/lib"            # maven copy of the distribution zip (download cache)
ES_RUN="/tmp/larportalen-es-$ES_PORT"
ES_HOME="$ES_RUN/elasticsearch-$ES_VERSION"
ES_PIDFILE="$ES_RUN/elasticsearch.pid"
ES_LOG="$ES_STATE/elasticsearch.log"
ES_PLUGIN_SRC="$REPO_ROOT/scripts/elasticsearch/compat-plugin"
ES_PLUGIN_NAME=larportalen-es-compat

REDIS_PORT="${REDIS_PORT:-56379}"
REDIS_RUN="/tmp/larportalen-redis-$REDIS_PORT"
REDIS_PIDFILE="$REDIS_RUN/redis.pid"
REDIS_LOG="$STATE/redis/redis.log"
REDIS_USER_OS=redis               # system user the server runs as when we are root (Debian's package makes it)

VARNISH_PORT="${VARNISH_PORT:-56081}"
VARNISH_BACKEND="${VARNISH_BACKEND:-127.0.0.1:8000}"
VARNISH_RUN="/tmp/larportalen-varnish-$VARNISH_PORT"
VARNISH_PIDFILE="$VARNISH_RUN/varnishd.pid"
VARNISH_VCL_SRC="$REPO_ROOT/deploy/varnish/default.vcl"

log() { printf '[services] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

APT_UPDATED=0
apt_install() {
    is_root || die "need root to apt-get install $* (install it yourself, then re-run)"
    mkdir -p "$STATE"
    local apt_log="$STATE/apt.log"
    if [ "$APT_UPDATED" -eq 0 ]; then
        log "apt-get update (log: .services/apt.log)"
        DEBIAN_FRONTEND=noninteractive apt-get update >>"$apt_log" 2>&1 \
            || { tail -n 30 "$apt_log" >&2; die "apt-get update failed"; }
        APT_UPDATED=1
    fi
    log "apt-get install -y $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >>"$apt_log" 2>&1 \
        || { tail -n 30 "$apt_log" >&2; die "apt-get install $* failed"; }
}

need_cmd() { # need_cmd COMMAND DEBIAN_PACKAGE
    command -v "$1" >/dev/null 2>&1 || apt_install "$2"
}

# Run a command as USER when we are root, else as ourselves.
as_user() {
    local user="$1"; shift
    if is_root; then runuser -u "$user" -- "$@"; else "$@"; fi
}

# PostgreSQL tools as the server user, from a directory that user can enter.
pg_as() { (cd "$PG_RUN" 2>/dev/null || cd /; as_user "$PG_USER_OS" "$@"); }

http_ok() { curl -fsS -o /dev/null --max-time 5 "$1" 2>/dev/null; }

# live_pid PIDFILE GREP-ARGS…: the pid in PIDFILE if that process is alive and its command line
# matches (a stale pidfile, left by a server killed without cleanup, may name a reused pid).
live_pid() {
    local file="$1" pid
    shift
    [ -s "$file" ] || return 1
    pid="$(cat "$file")"
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$@" || return 1
    echo "$pid"
}

# ---------------------------------------------------------------- PostgreSQL

pg_bin() {
    local d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

pg_running() {
    local bin
    bin="$(pg_bin)" || return 1
    [ -f "$PG_DATA/postmaster.pid" ] || return 1
    pg_as "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1 || return 1
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 5
}

pg_url() { echo "postgres://$PG_DB@127.0.0.1:$PG_PORT/$PG_DB"; }

start_pg() {
    mkdir -p "$STATE/pg"
    if pg_running; then
        log "pg already running on 127.0.0.1:$PG_PORT"
        return 0
    fi
    local bin
    if ! bin="$(pg_bin)"; then
        apt_install postgresql
        bin="$(pg_bin)" || die "postgresql installed but no /usr/lib/postgresql/*/bin/initdb found"
    fi
    if ! is_root; then PG_USER_OS="$(id -un)"; fi

    mkdir -p "$PG_RUN"
    if is_root; then chown "$PG_USER_OS:" "$PG_RUN"; fi
    chmod 0700 "$PG_RUN"
    if [ ! -s "$PG_DATA/PG_VERSION" ]; then
        log "initdb $PG_DATA ($("$bin/postgres" --version))"
        rm -rf "$PG_DATA"
        pg_as "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust \
            --encoding=UTF8 --locale=C.UTF-8 >"$STATE/pg/initdb.log" 2>&1 \
            || { tail -n 30 "$STATE/pg/initdb.log" >&2; die "initdb failed"; }
        # Loopback only, trust: a throwaway cluster for tests, never reachable from outside.
        cat >"$PG_DATA/pg_hba.conf" <<EOF
local all all trust
host  all all 127.0.0.1/32 trust
EOF
        cat >>"$PG_DATA/postgresql.conf" <<EOF

# --- scripts/services.sh: throwaway test cluster ---
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_RUN'
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    fi
    ln -sfn "$PG_DATA" "$STATE/pg/data"

    log "starting pg on 127.0.0.1:$PG_PORT (log: ${PG_LOG#$REPO_ROOT/})"
    # Without -l, the server's output goes to pg_ctl's stdout, i.e. our log file, which
    # the server keeps writing through the inherited descriptor.
    if ! pg_as "$bin/pg_ctl" -D "$PG_DATA" -w -t 60 start >>"$PG_LOG" 2>&1; then
        tail -n 40 "$PG_LOG" >&2
        die "pg failed to start"
    fi

    local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres)
    if [ "$("${psql[@]}" -tAc "select 1 from pg_roles where rolname = '$PG_DB'")" != 1 ]; then
        "${psql[@]}" -c "create role $PG_DB login createdb"
    fi
    if [ "$("${psql[@]}" -tAc "select 1 from pg_database where datname = '$PG_DB'")" != 1 ]; then
        "${psql[@]}" -c "create database $PG_DB owner $PG_DB"
    fi
    log "pg ready: $(pg_url)"
}

stop_pg() {
    if ! pg_running; then
        log "pg not running"
        return 0
    fi
    local bin
    bin="$(pg_bin)"
    is_root || PG_USER_OS="$(id -un)"
    log "stopping pg"
    pg_as "$bin/pg_ctl" -D "$PG_DATA" -w -t 60 -m fast stop >>"$PG_LOG" 2>&1
}

# ---------------------------------------------------------------- Elasticsearch

es_pid() { live_pid "$ES_PIDFILE" -F -- "$ES_HOME"; }

es_running() {
    es_pid >/dev/null && http_ok "http://127.0.0.1:$ES_PORT/_cluster/health"
}

es_url() { echo "http://127.0.0.1:$ES_PORT"; }

es_java_home() {
    if [ -n "${ES_JAVA_HOME:-}" ]; then echo "$ES_JAVA_HOME"; return; fi
    local java
    java="$(readlink -f "$(command -v java)")"
    dirname "$(dirname "$java")"
}

es_fetch_distribution() {
    local zip="$ES_LIB/elasticsearch-$ES_VERSION.zip"
    if [ ! -s "$zip" ]; then
        need_cmd mvn maven
        log "resolving org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION with maven"
        mkdir -p "$ES_LIB"
        mvn -q -B -f "$REPO_ROOT/scripts/elasticsearch/pom.xml" dependency:copy-dependencies \
            -Des.version="$ES_VERSION" -DoutputDirectory="$ES_LIB" >"$ES_STATE/maven.log" 2>&1 \
            || { tail -n 30 "$ES_STATE/maven.log" >&2; die "maven could not fetch the Elasticsearch distribution"; }
        [ -s "$zip" ] || die "maven ran but $zip is missing"
    fi
    if [ ! -x "$ES_HOME/bin/elasticsearch" ]; then
        need_cmd unzip unzip
        log "unpacking Elasticsearch $ES_VERSION into $ES_RUN"
        rm -rf "$ES_HOME"
        unzip -q "$zip" -d "$ES_RUN"
    fi
}

# Compile the compat plugin against this distribution (cached by a hash of its sources).
es_install_plugin() {
    local hash jar dest
    hash="$( (echo "$ES_VERSION"; find "$ES_PLUGIN_SRC" -type f | LC_ALL=C sort | xargs cat) | sha256sum | cut -c1-16)"
    jar="$ES_STATE/plugin/$ES_PLUGIN_NAME-$hash.jar"
    if [ ! -s "$jar" ]; then
        command -v javac >/dev/null 2>&1 || apt_install openjdk-17-jdk-headless
        log "compiling $ES_PLUGIN_NAME"
        local build="$ES_STATE/plugin/build"
        rm -rf "$build" && mkdir -p "$build/classes"
        find "$ES_PLUGIN_SRC/src" -name '*.java' >"$build/sources.txt"
        javac --release 17 -nowarn -encoding UTF-8 -cp "$ES_HOME/lib/*" -d "$build/classes" @"$build/sources.txt" \
            >"$build/javac.log" 2>&1 || { cat "$build/javac.log" >&2; die "compiling the compat plugin failed"; }
        rm -f "$ES_STATE"/plugin/*.jar
        jar cf "$jar" -C "$build/classes" .
    fi
    dest="$ES_HOME/plugins/$ES_PLUGIN_NAME"
    if [ "$(cat "$ES_RUN/compat-plugin.hash" 2>/dev/null || true)" != "$hash" ] || [ ! -s "$dest/$ES_PLUGIN_NAME.jar" ]; then
        rm -rf "$dest" && mkdir -p "$dest"
        cp "$jar" "$dest/$ES_PLUGIN_NAME.jar"
        sed "s/@ES_VERSION@/$ES_VERSION/" "$ES_PLUGIN_SRC/plugin-descriptor.properties" >"$dest/plugin-descriptor.properties"
        echo "$hash" >"$ES_RUN/compat-plugin.hash"
    fi
}

es_write_config() {
    local conf="$ES_RUN/config"
    mkdir -p "$conf/jvm.options.d" "$ES_RUN/data" "$ES_RUN/logs" "$ES_RUN/tmp"
    [ -f "$conf/jvm.options" ] || cp -r "$ES_HOME/config/." "$conf/"
    cat >"$conf/elasticsearch.yml" <<EOF
# Written by scripts/services.sh on each start.
cluster.name: larportalen-test
node.name: larportalen-test-node
path.data: $ES_RUN/data
path.logs: $ES_RUN/logs
network.host: 127.0.0.1
http.port: $ES_PORT
transport.port: $ES_TRANSPORT_PORT
discovery.type: single-node
xpack.security.enabled: false
action.destructive_requires_name: false
cluster.routing.allocation.disk.threshold_enabled: false
EOF
}

es_selftest() {
    local url out
    url="$(es_url)"
    out="$(curl -fsS --max-time 30 -H 'Content-Type: application/json' "$url/_analyze" -d '{
        "tokenizer": "standard",
        "filter": ["lowercase", "asciifolding",
                   {"type": "stemmer", "language": "swedish"},
                   {"type": "synonym_graph", "synonyms": ["bil, automobil"]}],
        "text": "Bilarna i Göteborg"}')" || die "Elasticsearch _analyze self-test failed"
    case "$out" in *'"automobil"'*'"goteborg"'*) ;; *) die "unexpected _analyze result: $out" ;; esac
    local idx="larportalen-selftest-$$"
    curl -fsS --max-time 30 -o /dev/null -X PUT -H 'Content-Type: application/json' "$url/$idx" \
        -d '{"settings":{"number_of_replicas":0},"mappings":{"properties":{"t":{"type":"search_as_you_type"}}}}' \
        || die "search_as_you_type self-test failed"
    curl -fsS --max-time 30 -o /dev/null -X DELETE "$url/$idx" || true
}

start_es() {
    mkdir -p "$ES_STATE"
    if es_running; then
        log "es already running on 127.0.0.1:$ES_PORT"
        return 0
    fi
    if es_pid >/dev/null; then
        log "es process $(es_pid) exists but does not answer yet; waiting for it"
    else
        need_cmd java openjdk-17-jdk-headless
        need_cmd curl curl
        if is_root; then
            id "$ES_USER_OS" >/dev/null 2>&1 \
                || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$ES_USER_OS"
        else
            ES_USER_OS="$(id -un)"
        fi
        mkdir -p "$ES_RUN"
        es_fetch_distribution
        es_install_plugin
        es_write_config
        if is_root; then chown -R "$ES_USER_OS:" "$ES_RUN"; fi
        ln -sfn "$ES_RUN" "$ES_STATE/run"
        rm -rf "$ES_PIDFILE" "$ES_RUN"/tmp/final-flags*  # the launcher leaves these behind
        log "starting es on 127.0.0.1:$ES_PORT (log: ${ES_LOG#$REPO_ROOT/}, server logs: .services/es/run/logs/)"
        # -d: the launcher returns once the node is up (or has failed); -p: pidfile.
        # The working directory is $ES_RUN, where the JVM writes gc.log.
        if ! (cd "$ES_RUN" && as_user "$ES_USER_OS" env \
                ES_JAVA_HOME="$(es_java_home)" ES_PATH_CONF="$ES_RUN/config" ES_TMPDIR="$ES_RUN/tmp" \
                ES_JAVA_OPTS="$ES_JAVA_OPTS" CLI_JAVA_OPTS="-Djava.io.tmpdir=$ES_RUN/tmp" \
                "$ES_HOME/bin/elasticsearch" -d -p "$ES_PIDFILE") >>"$ES_LOG" 2>&1; then
            tail -n 40 "$ES_LOG" >&2
            tail -n 60 "$ES_RUN/logs/larportalen-test.log" >&2 2>/dev/null || true
            die "es failed to start"
        fi
    fi
    local deadline=$((SECONDS + ES_START_TIMEOUT))
    until http_ok "$(es_url)/_cluster/health?wait_for_status=yellow&timeout=5s"; do
        if [ "$SECONDS" -ge "$deadline" ] || ! es_pid >/dev/null; then
            tail -n 40 "$ES_LOG" >&2 || true
            tail -n 60 "$ES_RUN/logs/larportalen-test.log" >&2 2>/dev/null || true
            die "es did not become healthy within ${ES_START_TIMEOUT}s"
        fi
        sleep 1
    done
    es_selftest
    log "es ready: $(es_url) (pid $(es_pid))"
}

stop_es() {
    local pid
    if ! pid="$(es_pid)"; then
        log "es not running"
        rm -f "$ES_PIDFILE"
        return 0
    fi
    log "stopping es (pid $pid)"
    kill "$pid"
    local i
    for i in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$ES_PIDFILE"; return 0; }
        sleep 1
    done
    log "es did not stop within 60s; killing it"
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$ES_PIDFILE"
}

# ---------------------------------------------------------------- Redis

# It must be a redis-server on our port.
redis_pid() { live_pid "$REDIS_PIDFILE" -E -- "redis-server.*:$REDIS_PORT( |\$)"; }

redis_running() {
    redis_pid >/dev/null && [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
}

redis_url() { echo "redis://127.0.0.1:$REDIS_PORT/0"; }

start_redis() {
    mkdir -p "$STATE/redis"
    if redis_running; then
        log "redis already running on 127.0.0.1:$REDIS_PORT"
        return 0
    fi
    if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
        apt_install redis-server
    fi
    if is_root; then
        id "$REDIS_USER_OS" >/dev/null 2>&1 \
            || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$REDIS_USER_OS"
    else
        REDIS_USER_OS="$(id -un)"
    fi
    mkdir -p "$REDIS_RUN"
    # A throwaway cache: loopback only, nothing written to disk, least recently used keys evicted.
    cat >"$REDIS_RUN/redis.conf" <<EOF
# Written by scripts/services.sh on each start.
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize yes
pidfile $REDIS_PIDFILE
logfile $REDIS_RUN/redis.log
dir $REDIS_RUN
save ""
appendonly no
maxmemory 256mb
maxmemory-policy allkeys-lru
EOF
    if is_root; then chown -R "$REDIS_USER_OS:" "$REDIS_RUN"; fi
    ln -sfn "$REDIS_RUN/redis.log" "$REDIS_LOG"
    rm -f "$REDIS_PIDFILE"
    log "starting redis on 127.0.0.1:$REDIS_PORT (log: ${REDIS_LOG#$REPO_ROOT/})"
    # daemonize: redis-server returns once it has forked; it then writes the pidfile.
    if ! (cd "$REDIS_RUN" && as_user "$REDIS_USER_OS" redis-server "$REDIS_RUN/redis.conf"); then
        tail -n 30 "$REDIS_RUN/redis.log" >&2 2>/dev/null || true
        die "redis failed to start"
    fi
    local i
    for i in $(seq 1 50); do
        if redis_running; then
            log "redis ready: $(redis_url) ($(redis-server --version | cut -d' ' -f1-3), pid $(redis_pid))"
            return 0
        fi
        sleep 0.2
    done
    tail -n 30 "$REDIS_RUN/redis.log" >&2 2>/dev/null || true
    die "redis did not answer PING within 10s"
}

stop_redis() {
    local pid
    if ! pid="$(redis_pid)"; then
        log "redis not running"
        rm -f "$REDIS_PIDFILE"
        return 0
    fi
    log "stopping redis (pid $pid)"
    kill "$pid"
    local i
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$REDIS_PIDFILE"; return 0; }
        sleep 0.2
    done
    log "redis did not stop within 10s; killing it"
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$REDIS_PIDFILE"
}

# ---------------------------------------------------------------- Chromium + axe-core

CHROMIUM=/usr/bin/chromium
AXE_JS="$REPO_ROOT/node_modules/axe-core/axe.min.js"

start_chromium() {
    [ -x "$CHROMIUM" ] || apt_install chromium
    # WeasyPrint (the framework document as PDF) needs Pango and fonts; the tests render PDFs too.
    if ! ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || [ ! -d /usr/share/fonts/truetype/dejavu ]; then
        apt_install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
    fi
    need_cmd npm npm
    local want have
    want="$(node -p "require('$REPO_ROOT/package.json').devDependencies['axe-core']")"
    have="$(node -p "try { require('$REPO_ROOT/node_modules/axe-core/package.json').version } catch (e) { '' }")"
    if [ ! -s "$AXE_JS" ] || [ "$want" != "$have" ]; then
        log "installing node packages (axe-core $want)"
        if [ -f "$REPO_ROOT/package-lock.json" ]; then
            (cd "$REPO_ROOT" && npm ci --no-audit --no-fund --loglevel=error) >&2
        else
            (cd "$REPO_ROOT" && npm install --no-audit --no-fund --loglevel=error) >&2
        fi
    fi
    [ -s "$AXE_JS" ] || die "npm ran but $AXE_JS is missing"
    log "chromium ready: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM"), axe-core $want"
}

# ---------------------------------------------------------------- Varnish

varnish_pid() { live_pid "$VARNISH_PIDFILE" -F -- "$VARNISH_RUN"; }

varnish_running() { varnish_pid >/dev/null; }

varnish_url() { echo "http://127.0.0.1:$VARNISH_PORT"; }

start_varnish() {
    if varnish_running; then
        log "varnish already running on 127.0.0.1:$VARNISH_PORT"
        return 0
    fi
    command -v varnishd >/dev/null 2>&1 || [ -x /usr/sbin/varnishd ] || apt_install varnish
    local varnishd
    varnishd="$(command -v varnishd || echo /usr/sbin/varnishd)"
    mkdir -p "$VARNISH_RUN" "$STATE/varnish"
    # The repository's VCL with this backend (host:port); the rest as in production.
    sed -e "s/\.host = \"127.0.0.1\";/.host = \"${VARNISH_BACKEND%:*}\";/" \
        -e "s/\.port = \"8000\";/.port = \"${VARNISH_BACKEND##*:}\";/" "$VARNISH_VCL_SRC" >"$VARNISH_RUN/default.vcl"
    log "starting varnish on 127.0.0.1:$VARNISH_PORT in front of $VARNISH_BACKEND"
    "$varnishd" -a "127.0.0.1:$VARNISH_PORT" -f "$VARNISH_RUN/default.vcl" -n "$VARNISH_RUN/work" \
        -s malloc,128m -P "$VARNISH_PIDFILE" -T none >>"$STATE/varnish/varnishd.log" 2>&1 \
        || { tail -n 30 "$STATE/varnish/varnishd.log" >&2; die "varnish failed to start"; }
    local i
    for i in $(seq 1 50); do
        if varnish_running; then
            log "varnish ready: $(varnish_url) (pid $(varnish_pid))"
            return 0
        fi
        sleep 0.2
    done
    die "varnish did not start within 10s"
}

stop_varnish() {
    local pid
    if ! pid="$(varnish_pid)"; then
        log "varnish not running"
        return 0
    fi
    log "stopping varnish (pid $pid)"
    kill "$pid"
    rm -f "$VARNISH_PIDFILE"
}

# ---------------------------------------------------------------- commands

print_env() {
    if pg_running; then echo "export DATABASE_URL=$(pg_url)"; fi
    if es_running; then echo "export ELASTICSEARCH_URL=$(es_url)"; fi
    if redis_running; then echo "export REDIS_URL=$(redis_url)"; fi
    if [ -x "$CHROMIUM" ]; then echo "export CHROMIUM_PATH=$CHROMIUM"; fi
    if [ -s "$AXE_JS" ]; then echo "export AXE_CORE_PATH=$AXE_JS"; fi
    if varnish_running; then echo "export VARNISH_URL=$(varnish_url)"; fi
}

status() {
    if pg_running; then echo "pg: running $(pg_url)"; else echo "pg: stopped"; fi
    if es_running; then echo "es: running $(es_url) pid $(es_pid)"; else echo "es: stopped"; fi
    if redis_running; then echo "redis: running $(redis_url) pid $(redis_pid)"; else echo "redis: stopped"; fi
    if [ -x "$CHROMIUM" ] && [ -s "$AXE_JS" ]; then echo "chromium: installed, axe-core present"; else echo "chromium: not set up"; fi
    if varnish_running; then echo "varnish: running $(varnish_url) pid $(varnish_pid)"; else echo "varnish: stopped"; fi
}

clean() {
    stop_varnish
    stop_redis
    stop_es
    stop_pg
    log "removing $PG_RUN $ES_RUN $REDIS_RUN $STATE"
    rm -rf "$PG_RUN" "$ES_RUN" "$REDIS_RUN" "$VARNISH_RUN" "$STATE"
}

usage() {
    sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

cmd="${1:-}"
what="${2:-all}"
case "$cmd" in
    start)
        case "$what" in
            pg) start_pg ;;
            es) start_es ;;
            redis) start_redis ;;
            chromium) start_chromium ;;
            varnish) start_varnish ;;
            all) start_pg; start_es; start_redis; start_chromium; start_varnish ;;
            *) usage ;;
        esac ;;
    stop)
        case "$what" in
            pg) stop_pg ;;
            es) stop_es ;;
            redis) stop_redis ;;
            chromium) ;;
            varnish) stop_varnish ;;
            all) stop_varnish; stop_redis; stop_es; stop_pg ;;
            *) usage ;;
        esac ;;
    env) print_env ;;
    status) status ;;
    clean) clean ;;
    *) usage ;;
esac
