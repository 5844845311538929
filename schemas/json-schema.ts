// JSON Schemas generated from the zod model, for editors (`# yaml-language-server: $schema=…`)
// and for other tools. Checked in; a test fails when they are stale.
import { z } from 'zod';
import { DatasetSchema, ProjectSchema } from './model.js';

export const SCHEMA_FILES = {
  'steller.schema.json': { schema: ProjectSchema, title: 'steller project (steller.yaml)' },
  'dataset.schema.json': { schema: DatasetSchema, title: 'steller dataset record (datasets/**/*.yaml)' },
} as const;

export type SchemaFile = keyof typeof SCHEMA_FILES;

export function jsonSchemaText(name: SchemaFile): string {
  const { schema, title } = SCHEMA_FILES[name];
  const json = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...json, $id: `https://steller.dev/schemas/${name}`, title }, null, 2)}\n`;
}
