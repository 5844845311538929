// The checked-in JSON Schemas are generated from the zod model; they must be fresh, and the
// example catalog must be valid under them (what an editor using them would say).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { jsonSchemaText, SCHEMA_FILES, type SchemaFile } from '../../schemas/json-schema.js';
import { EXAMPLE_CATALOG, REPO } from '../helpers/cli.js';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(name) ? [path] : [];
  });
}

describe('generated JSON Schemas', () => {
  for (const name of Object.keys(SCHEMA_FILES) as SchemaFile[]) {
    it(`schemas/${name} is fresh (regenerate with \`steller schema --write schemas\`)`, () => {
      expect(readFileSync(join(REPO, 'schemas', name), 'utf8')).toBe(jsonSchemaText(name));
    });
  }

  it('accept the example catalog', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const project = ajv.compile(JSON.parse(jsonSchemaText('steller.schema.json')));
    const dataset = ajv.compile(JSON.parse(jsonSchemaText('dataset.schema.json')));
    expect(project(parse(readFileSync(join(EXAMPLE_CATALOG, 'steller.yaml'), 'utf8'))), JSON.stringify(project.errors)).toBe(true);
    const files = yamlFiles(join(EXAMPLE_CATALOG, 'datasets'));
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const file of files) expect(dataset(parse(readFileSync(file, 'utf8'))), `${file}: ${JSON.stringify(dataset.errors)}`).toBe(true);
  });

  it('reject an unknown key, as the model does', () => {
    const ajv = new Ajv({ strict: false });
    const dataset = ajv.compile(JSON.parse(jsonSchemaText('dataset.schema.json')));
    expect(dataset({ title: 'x', titel: 'y' })).toBe(false);
  });
});
