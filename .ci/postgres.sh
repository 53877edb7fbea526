#!/usr/bin/env bash
# Start a local PostgreSQL cluster and (re)create the test database.
set -euo pipefail
ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
pg_lsclusters -h | grep -q "^$ver main" || pg_createcluster "$ver" main >/dev/null
pg_ctlcluster "$ver" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -h 127.0.0.1" && break
  sleep 1
done
psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -qtc \"$1\""; }
psql_admin "select 1 from pg_roles where rolname='crisiscell'" | grep -q 1 \
  || psql_admin "create role crisiscell login password 'crisiscell' createdb"
psql_admin "drop database if exists crisiscell_test"
psql_admin "create database crisiscell_test owner crisiscell"
