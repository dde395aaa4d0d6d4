#!/usr/bin/env bash
# Runs once, when the postgres service initialises an empty data volume (the postgres image runs
# every script of /docker-entrypoint-initdb.d as the superuser). Passwords come from the service's
# environment, so they can be set without editing this file; changing them later needs
# ALTER ROLE or a fresh volume.
#
#   reco            owns the database reco; the application connects as it and Flyway
#                   creates the schema (raw.*, run logs, registry, ...) under it.
#   reco_readonly   group role: read access to everything in reco, nothing else.
#   grafana_reader  login for Grafana's PostgreSQL data source, member of reco_readonly, and
#                   every session it opens is read-only.
set -euo pipefail

: "${RECO_DB_NAME:=reco}"
: "${RECO_DB_USER:=reco}"
: "${RECO_DB_PASSWORD:?RECO_DB_PASSWORD must be set for the postgres service}"
: "${RECO_GRAFANA_DB_USER:=grafana_reader}"
: "${RECO_GRAFANA_DB_PASSWORD:?RECO_GRAFANA_DB_PASSWORD must be set for the postgres service}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v db="$RECO_DB_NAME" -v app_user="$RECO_DB_USER" -v app_password="$RECO_DB_PASSWORD" \
  -v reader_user="$RECO_GRAFANA_DB_USER" -v reader_password="$RECO_GRAFANA_DB_PASSWORD" <<'SQL'
CREATE ROLE :"app_user" LOGIN PASSWORD :'app_password';
CREATE ROLE reco_readonly NOLOGIN;
CREATE ROLE :"reader_user" LOGIN PASSWORD :'reader_password' IN ROLE reco_readonly;
ALTER ROLE :"reader_user" SET default_transaction_read_only = on;

CREATE DATABASE :"db" OWNER :"app_user" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app_user";
GRANT CONNECT ON DATABASE :"db" TO reco_readonly;

\connect :"db"

-- Flyway creates its schemas and tables later, as the application role: grant reading on
-- whatever that role creates from now on, in any schema.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO reco_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE :"app_user" GRANT USAGE ON SCHEMAS TO reco_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE :"app_user" GRANT SELECT ON TABLES TO reco_readonly;
ALTER DEFAULT PRIVILEGES FOR ROLE :"app_user" GRANT SELECT ON SEQUENCES TO reco_readonly;
SQL
