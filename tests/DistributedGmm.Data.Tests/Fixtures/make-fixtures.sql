-- Fixtures written by DuckDB, an independent Parquet writer. Values follow formulas of the row number i
-- so tests can check them without reading this file back: d = i * 0.5, f = i * 0.25, big = i,
-- small = i - 500, dec = i / 100 + 1 (DECIMAL(10,2)).
SET threads = 1;

CREATE TABLE numeric AS
SELECT i::BIGINT AS big,
       (i * 0.5)::DOUBLE AS d,
       (i * 0.25)::FLOAT AS f,
       (i - 500)::SMALLINT AS small,
       (i / 100 + 1)::DECIMAL(10, 2) AS dec,
       'row ' || i AS name,
       (i % 2 = 0) AS even,
       [i, i + 1] AS pair
FROM range(5000) t(i);

COPY numeric TO 'numeric-snappy.parquet' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 2048);
COPY numeric TO 'numeric-zstd.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 4096);
COPY (SELECT * FROM numeric WHERE false) TO 'numeric-empty.parquet' (FORMAT parquet, COMPRESSION snappy);

-- holes: a null every 7th row (i % 7 = 3) in a selected-or-not column, and NaN / Infinity in another.
COPY (
  SELECT (i * 0.5)::DOUBLE AS d,
         CASE WHEN i % 7 = 3 THEN NULL ELSE (i * 2.0)::DOUBLE END AS holes,
         CASE WHEN i = 5 THEN 'NaN'::DOUBLE WHEN i = 9 THEN '-Infinity'::DOUBLE ELSE i::DOUBLE END AS nan
  FROM range(5000) t(i)
) TO 'holes.parquet' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 2048);

-- same column names as numeric, but d is a string: a schema that differs.
COPY (SELECT i::BIGINT AS big, ('x' || i) AS d, (i * 0.25)::FLOAT AS f FROM range(10) t(i))
  TO 'wrong-type.parquet' (FORMAT parquet, COMPRESSION snappy);

-- mixed: what a user's table holds besides its features: an id, a label, a DOUBLE and an INT feature, and a
-- comment that is null every 5th row; three row groups, so predictions slice them.
COPY (
  SELECT i::BIGINT AS id,
         ('row-' || i) AS label,
         (i % 10 * 0.5)::DOUBLE AS x,
         (i % 7)::INTEGER AS n,
         CASE WHEN i % 5 = 0 THEN NULL ELSE ('note ' || i) END AS note
  FROM range(3000) t(i)
) TO 'mixed.parquet' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 1024);
