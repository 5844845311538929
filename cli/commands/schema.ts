import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { jsonSchemaText, SCHEMA_FILES, type SchemaFile } from '../../schemas/json-schema.js';
import { say, UsageError } from '../common.js';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of dataset files (or steller.yaml), for editors; --write DIR writes both')
    .option('--project', 'the schema of steller.yaml instead of a dataset file')
    .option('--write <dir>', 'write steller.schema.json and dataset.schema.json into DIR')
    .action((options: { project?: boolean; write?: string }) => {
      if (options.write) {
        for (const name of Object.keys(SCHEMA_FILES) as SchemaFile[]) {
          const path = join(options.write, name);
          try {
            writeFileSync(path, jsonSchemaText(name));
          } catch (error) {
            throw new UsageError(`cannot write ${path}: ${(error as Error).message}`);
          }
          say(`wrote ${path}`);
        }
        return;
      }
      process.stdout.write(jsonSchemaText(options.project ? 'steller.schema.json' : 'dataset.schema.json'));
    });
}
