# Sourced after common.sh by the tests that need a real PostgreSQL server:
# exits 77 without root or PostgreSQL. pg_start starts the server in $T/pg
# (unix socket in $T/sock only, as nobody, log in $T/pg.log, whose last
# lines common.sh's fail prints; extra arguments are server options such
# as "-c log_lock_waits=on"), stopped on exit however the test ends; pg_db
# NAME creates a database and prints its URI. pool_start MODE starts
# pgbouncer in front of the server (pool_mode MODE, 4 server connections a
# database, its socket, log and pid in $T/bouncer, as nobody; stopped with
# the server, or by pool_stop); pool_uri NAME prints a database's URI
# through it.
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (to run the server as nobody)"; exit 77; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] && command -v psql > /dev/null ||
        { echo "SKIP: no PostgreSQL server (apt-get install postgresql)"; exit 77; }
as_pg() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }
pool_stop() {
        [ -f "$T/bouncer/pid" ] && kill "$(cat "$T/bouncer/pid")" 2> /dev/null
        local i
        for i in $(seq 50); do [ -f "$T/bouncer/pid" ] || break; sleep 0.1; done
        return 0
}
pg_stop() {
        pool_stop
        [ -f "$T/pg/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$T/pg" -m immediate -w stop > /dev/null 2>&1
        return 0
}
at_exit pg_stop
pg_start() {
        chmod 755 "$T"
        mkdir "$T/pg" "$T/sock"
        chown nobody:nogroup "$T/pg" "$T/sock"
        touch "$T/pg.log" && chown nobody:nogroup "$T/pg.log"
        port=$((20000 + RANDOM % 20000))
        as_pg "$PGBIN/initdb" -D "$T/pg" -U ci --auth=trust -E UTF8 --no-locale > "$T/initdb.log" 2>&1 ||
                { echo "FAIL: initdb: $(tail -n 3 "$T/initdb.log")"; exit 1; }
        as_pg "$PGBIN/pg_ctl" -D "$T/pg" -l "$T/pg.log" -w -t 60 \
                -o "-k $T/sock -c listen_addresses= -p $port -c shared_buffers=16MB -c max_connections=40 -c fsync=off $*" \
                start > /dev/null || { echo "FAIL: the server did not start: $(tail -n 5 "$T/pg.log")"; exit 1; }
}
pg_db() {
        psql -h "$T/sock" -p "$port" -U ci -d postgres -qc "CREATE DATABASE $1" > /dev/null ||
                { echo "FAIL: create database $1"; exit 1; }
        echo "postgresql:///$1?host=$T/sock&port=$port&user=ci"
}
pool_start() {
        command -v pgbouncer > /dev/null || { echo "SKIP: no pgbouncer (apt-get install pgbouncer)"; exit 77; }
        mkdir -p "$T/bouncer"
        chown nobody:nogroup "$T/bouncer"
        bport=$((port + 1))
        echo '"ci" ""' > "$T/bouncer/users"
        cat > "$T/bouncer/ini" <<EOF
[databases]
* = host=$T/sock port=$port
[pgbouncer]
listen_addr =
listen_port = $bport
unix_socket_dir = $T/bouncer
auth_type = trust
auth_file = $T/bouncer/users
pool_mode = $1
default_pool_size = 4
max_client_conn = 200
logfile = $T/bouncer/log
pidfile = $T/bouncer/pid
EOF
        as_pg pgbouncer -d "$T/bouncer/ini" > /dev/null 2>&1 || { echo "FAIL: pgbouncer: $(tail -n 3 "$T/bouncer/log")"; exit 1; }
        local i
        for i in $(seq 100); do [ -S "$T/bouncer/.s.PGSQL.$bport" ] && return 0; sleep 0.1; done
        echo "FAIL: pgbouncer did not listen: $(tail -n 3 "$T/bouncer/log")"
        exit 1
}
pool_uri() { echo "postgresql:///$1?host=$T/bouncer&port=$bport&user=ci"; }
