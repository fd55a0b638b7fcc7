// Regenerates the Parquet fixtures from make-fixtures.sql with DuckDB (an independent writer).
// Run: npm install && node make-fixtures.mjs   (tests only read the committed .parquet files)
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

process.chdir(dirname(fileURLToPath(import.meta.url)));
const sql = readFileSync('make-fixtures.sql', 'utf8')
  .split('\n').filter(line => !line.trim().startsWith('--')).join('\n');
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
for (const statement of sql.split(';').map(s => s.trim()).filter(s => s.length > 0)) {
  await connection.run(statement);
}
const check = await connection.runAndReadAll(
  "SELECT file_name, row_group_id, row_group_num_rows, path_in_schema, compression FROM parquet_metadata('*.parquet') WHERE path_in_schema IN ('d', 'holes') ORDER BY 1, 2, 4");
console.table(check.getRowObjects());
