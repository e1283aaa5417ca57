"""The peer of `hwf aggregate` in scripts/bench-aggregate: DuckDB running the same aggregation.

The SQL below does what src/ingest/register/mod.rs asks of polars, step for step: a reason code
per row (no id; a required value missing; an impossible age; an impossible FTE), one group per key
(person, year and profession; person and profession; person, programme and event) with the
minimum and maximum of every attribute to find conflicting records, and the count per cell. DuckDB
materialises each result in memory (CREATE TABLE … AS), which is less than hwf's command does (hwf
also translates codes, fills the dense tables and writes them as Parquet).

    python benches/aggregate_duckdb.py DIR      # DIR holds persons/licences/education.parquet

Prints one JSON object: seconds per query and in all (best of --repeat), the peak resident memory
of this process in MB, and the rows read and the rows counted in the tables (persons only, for
the cross-check against hwf's report).
"""

import json
import resource
import sys
import time

import duckdb

PERSONS = """
WITH r AS (
  SELECT person_id AS id, year, birth_year, CAST(sex AS VARCHAR) AS sex, CAST(county AS VARCHAR) AS county,
         CAST(profession AS VARCHAR) AS profession, CAST(sector AS VARCHAR) AS sector, CAST(fte AS DOUBLE) AS fte,
         CASE WHEN person_id IS NULL THEN 1
              WHEN year IS NULL OR birth_year IS NULL OR sex IS NULL OR county IS NULL OR profession IS NULL THEN 2
              WHEN year - birth_year < 0 OR year - birth_year > 120 THEN 3
              WHEN (sector IS NULL) <> (fte IS NULL) OR fte < 0 OR fte > 3 OR isnan(fte) THEN 4
              ELSE 0 END AS reason
  FROM read_parquet('{dir}/persons.parquet')),
k AS (
  SELECT id, year, profession, reason, count(*) AS n,
         min(birth_year) AS b0, max(birth_year) AS b1, min(sex) AS s0, max(sex) AS s1,
         min(county) AS c0, max(county) AS c1, min(sector) AS h0, max(sector) AS h1,
         count(sector) AS hn, min(fte) AS f0, max(fte) AS f1
  FROM r GROUP BY id, year, profession, reason)
SELECT profession, c0, s0, b0, year, h0, reason,
       (b0 IS DISTINCT FROM b1 OR s0 IS DISTINCT FROM s1 OR c0 IS DISTINCT FROM c1
        OR h0 IS DISTINCT FROM h1 OR f0 IS DISTINCT FROM f1 OR (hn > 0 AND hn < n)) AS conflict,
       count(*) AS keys, sum(n) AS rows, sum(f1) AS fte
FROM k GROUP BY ALL
"""

LICENCES = """
WITH r AS (
  SELECT person_id AS id, CAST(profession AS VARCHAR) AS profession, CAST(licence_date AS VARCHAR) AS d,
         birth_year, CAST(sex AS VARCHAR) AS sex, CAST(county AS VARCHAR) AS county,
         CAST(education_country AS VARCHAR) AS o,
         CASE WHEN person_id IS NULL THEN 1
              WHEN profession IS NULL OR licence_date IS NULL OR birth_year IS NULL OR sex IS NULL
                   OR county IS NULL OR education_country IS NULL THEN 2
              ELSE 0 END AS reason
  FROM read_parquet('{dir}/licences.parquet')),
k AS (
  SELECT id, profession, reason, count(*) AS n, min(d) AS d0, min(birth_year) AS b0, max(birth_year) AS b1,
         min(sex) AS s0, max(sex) AS s1, min(county) AS c0, max(county) AS c1, min(o) AS o0, max(o) AS o1
  FROM r GROUP BY id, profession, reason)
SELECT profession, c0, o0, s0, b0, d0, reason,
       (b0 IS DISTINCT FROM b1 OR s0 IS DISTINCT FROM s1 OR c0 IS DISTINCT FROM c1 OR o0 IS DISTINCT FROM o1) AS conflict,
       count(*) AS keys, sum(n) AS rows
FROM k GROUP BY ALL
"""

EDUCATION = """
WITH r AS (
  SELECT person_id AS id, CAST(programme AS VARCHAR) AS programme, CAST(region AS VARCHAR) AS region, year,
         CAST(event AS VARCHAR) AS event,
         CASE WHEN person_id IS NULL THEN 1
              WHEN programme IS NULL OR region IS NULL OR year IS NULL OR event IS NULL THEN 2
              ELSE 0 END AS reason
  FROM read_parquet('{dir}/education.parquet')),
k AS (
  SELECT id, programme, event, reason, count(*) AS n, min(year) AS y0, min(region) AS r0, max(region) AS r1
  FROM r GROUP BY id, programme, event, reason)
SELECT programme, r0, event, y0, reason, r0 IS DISTINCT FROM r1 AS conflict, count(*) AS keys, sum(n) AS rows
FROM k GROUP BY ALL
"""


def main():
    d = sys.argv[1]
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    # Two threads, as polars has on this 2-core machine (POLARS_MAX_THREADS=2).
    con = duckdb.connect(config={"threads": 2})
    best = {}
    for _ in range(repeat):
        for name, sql in (("persons", PERSONS), ("licences", LICENCES), ("education", EDUCATION)):
            con.execute(f"DROP TABLE IF EXISTS {name}")
            t = time.perf_counter()
            con.execute(f"CREATE TABLE {name} AS " + sql.format(dir=d))
            best[name] = min(best.get(name, 1e99), time.perf_counter() - t)
    rows = con.execute("SELECT sum(rows) FROM persons").fetchone()[0]
    counted = con.execute(
        "SELECT sum(keys) FROM persons WHERE reason = 0 AND NOT conflict"
        " AND year - b0 BETWEEN 20 AND 74 AND profession <> 'XYZ'"
    ).fetchone()[0]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "seconds": best, "total": sum(best.values()), "peak_mb": peak,
        "persons_rows": int(rows), "persons_counted": int(counted),
    }))


if __name__ == "__main__":
    main()
