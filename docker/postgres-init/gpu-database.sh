#!/bin/sh
# Run by the postgres image once, when it starts on an empty volume: the catalog of the imagesim-gpu
# service, apart from the CPU service's one (each service keeps its originals and indexes in its own data
# volume, so the two must not share a catalog). On a volume made before this script existed:
#   docker compose exec postgres createdb -U "$POSTGRES_USER" "${POSTGRES_DB}_gpu"
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -c "CREATE DATABASE \"${POSTGRES_DB}_gpu\""
