# shellcheck shell=bash
# Sourced by scripts/test and scripts/start: finds a PostgreSQL server and
# exports TEST_POSTGRES_URL and BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING,
# which TestDatabases from @backstage/backend-test-utils reads. Uses
# ONEPASSWORD_TEST_POSTGRES_URL, else a server on 127.0.0.1:5432, else a
# throwaway cluster from Debian's postgresql package in .cache/postgres,
# installing that package first where it is missing (no server runs on a new
# machine of this kind).

pg_server_major() {
  psql "$1" -Atqc 'SHOW server_version_num' 2>/dev/null | cut -c1-2
}

pg_bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1
}

pg_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "[postgres] Debian's postgresql is missing: sudo apt-get install postgresql" >&2
    return 1
  fi
  echo "[postgres] installing Debian's postgresql" >&2
  apt-get update -qq >&2 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
}

pg_start_throwaway() {
  local bin data port=54329 run_as=()
  bin="$(pg_bin_dir)"
  if ! [ -x "$bin/initdb" ]; then
    pg_install || return 1
    bin="$(pg_bin_dir)"
  fi
  [ -n "$bin" ] && [ -x "$bin/initdb" ] || return 1
  data="$REPO_ROOT/.cache/postgres/data"
  # PostgreSQL refuses to run as root.
  if [ "$(id -u)" = 0 ]; then run_as=(runuser -u postgres --); fi
  if ! [ -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown -R postgres "$REPO_ROOT/.cache/postgres"
    "${run_as[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust >/dev/null || return 1
  fi
  "${run_as[@]}" "$bin/pg_ctl" -D "$data" -o "-p $port -k /tmp -c listen_addresses=127.0.0.1" \
    -l "$REPO_ROOT/.cache/postgres/log" -w start >/dev/null 2>&1 || true
  echo "postgresql://postgres@127.0.0.1:$port/postgres"
}

find_test_postgres() {
  local url major
  for url in "${ONEPASSWORD_TEST_POSTGRES_URL:-}" "postgresql://postgres@127.0.0.1:5432/postgres"; do
    [ -n "$url" ] || continue
    major="$(pg_server_major "$url")"
    if [ -n "$major" ]; then echo "$major $url"; return 0; fi
  done
  url="$(pg_start_throwaway)" || return 1
  major="$(pg_server_major "$url")"
  [ -n "$major" ] && echo "$major $url"
}

if found="$(find_test_postgres)"; then
  TEST_POSTGRES_MAJOR="${found%% *}"
  TEST_POSTGRES_URL="${found#* }"
  # TestDatabases appends its own database names to this server URL.
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${TEST_POSTGRES_MAJOR}_CONNECTION_STRING=${TEST_POSTGRES_URL%/postgres}"
  echo "[test] PostgreSQL $TEST_POSTGRES_MAJOR at ${TEST_POSTGRES_URL%/postgres}" >&2
else
  TEST_POSTGRES_MAJOR=""
  echo "[test] no PostgreSQL reachable: backend tests run on SQLite only" >&2
fi
