// Structure of a dataset's `qc` block (and of a steller.yaml `qc_profiles` entry). zod accepts any
// mapping here on purpose: ./check.ts checks the block, so that each problem gets its own message
// at its own line instead of one union error. What editors see (the JSON Schema) is generated from
// the same rule table as those checks (./rules.ts) and attached as metadata.
import { z } from 'zod';
import { CLIMATOLOGY_PERIODS, PACKAGES, type PackageRule, type ParamRule, type TestRule } from './rules.js';

type JsonSchema = Record<string, unknown>;

const ISO_PATTERN = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?)?$';
const timestamp: JsonSchema = { type: 'string', pattern: ISO_PATTERN };
const pairOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items, minItems: 2, maxItems: 2 });
const numberSpan = pairOf({ type: 'number' });

function paramSchema(rule: ParamRule): JsonSchema {
  const description = rule.doc;
  switch (rule.type) {
    case 'number':
    case 'integer': {
      const bounds: JsonSchema = rule.sign === 'positive' ? { exclusiveMinimum: 0 } : rule.sign === 'non-negative' ? { minimum: 0 } : rule.sign === 'non-positive' ? { maximum: 0 } : {};
      if (rule.range) Object.assign(bounds, { minimum: rule.range[0], maximum: rule.range[1] });
      return { type: rule.type, ...bounds, description };
    }
    case 'span':
      return { ...numberSpan, description };
    case 'bbox':
      return { type: 'array', items: { type: 'number' }, minItems: 4, maxItems: 4, description };
    case 'datetime':
      return { ...timestamp, description };
    case 'datetime-span':
      return { ...pairOf(timestamp), description };
    case 'choice':
      return { enum: [...(rule.choices ?? [])], description };
    case 'text':
      return { type: 'string', minLength: 1, description };
    case 'climatology':
      return {
        type: 'array',
        description,
        items: {
          type: 'object',
          required: ['tspan', 'vspan'],
          additionalProperties: false,
          properties: {
            tspan: { type: 'array', minItems: 2, maxItems: 2, description: 'Numbers in `period` units, or two dates without a period.' },
            vspan: { ...numberSpan, description: 'Suspect outside this [min, max].' },
            fspan: { ...numberSpan, description: 'Fail outside this [min, max]; contains vspan.' },
            zspan: { ...numberSpan, description: 'Depth range, metres, positive down.' },
            period: { enum: Object.keys(CLIMATOLOGY_PERIODS), description: 'Unit of tspan.' },
          },
        },
      };
  }
}

function testSchema(rule: TestRule): JsonSchema {
  const properties = Object.fromEntries(Object.entries(rule.params).map(([name, param]) => [name, paramSchema(param)]));
  const versions = rule.versions ? ` ioos_qc ${rule.versions.join(', ')}.x only.` : '';
  const inputs = rule.inputs.length ? ` Runs on the stream's ${rule.inputs.join(', ')}.` : '';
  return { type: ['object', 'null'], description: `${rule.doc}${inputs}${versions}`, properties, additionalProperties: false };
}

function packageSchema(pkg: PackageRule): JsonSchema {
  const tests = Object.entries(pkg.tests).filter(([, rule]) => !rule.unusable);
  return { type: 'object', description: pkg.doc, properties: Object.fromEntries(tests.map(([name, rule]) => [name, testSchema(rule)])), additionalProperties: false };
}

function qcBlockJsonSchema(): JsonSchema {
  const packages = Object.entries(PACKAGES).filter(([, pkg]) => Object.values(pkg.tests).some((rule) => !rule.unusable));
  const stream: JsonSchema = {
    type: 'object',
    description: 'A stream (a variable of the dataset): package → test → parameters.',
    properties: Object.fromEntries(packages.map(([name, pkg]) => [name, packageSchema(pkg)])),
    additionalProperties: false,
  };
  const streams: JsonSchema = { type: 'object', description: 'stream → package → test → parameters', additionalProperties: stream };
  const window: JsonSchema = {
    type: 'object',
    description: 'Time window of a context: starting (included) to ending (excluded), ISO-8601.',
    properties: { starting: timestamp, ending: timestamp },
    additionalProperties: false,
  };
  const contextProperties = {
    window,
    region: { type: 'object', description: 'GeoJSON; ioos_qc reads it but does not apply it.' },
    attrs: { type: 'object', description: 'Free attributes of the context.' },
  };
  const context: JsonSchema = { type: 'object', required: ['streams'], properties: { ...contextProperties, streams }, additionalProperties: false };
  const contexts: JsonSchema = { type: 'array', description: 'ioos_qc contexts, each with its own window.', items: context };
  const config: JsonSchema = { type: 'object', description: 'An ioos_qc config: contexts, or one context\'s streams.', properties: { contexts, ...contextProperties, streams } };
  return {
    description: 'QARTOD tests for ioos_qc (out/qc/<id>.yaml). Forms: Sea Eagle\'s `qartod: { contexts: [...] }`, ioos_qc\'s `contexts:` or `streams:`, '
      + 'a bare stream map, and `profile: NAME` with `streams: [...]`. See docs/qc.md.',
    properties: {
      profile: { type: 'string', description: 'A qc_profiles entry of steller.yaml, merged under this block (this block wins).' },
      qartod: { anyOf: [config, packageSchema(PACKAGES.qartod)], description: 'Sea Eagle\'s wrapper around an ioos_qc config (or, in a profile, a QARTOD test set).' },
      ...Object.fromEntries(packages.filter(([name]) => name !== 'qartod').map(([name, pkg]) => [name, { ...packageSchema(pkg), description: `${pkg.doc}: a test set, in a profile` }])),
      contexts,
      streams: { anyOf: [streams, { type: 'array', items: { type: 'string' }, description: 'Streams the profile applies to.' }] },
      ...contextProperties,
    },
    additionalProperties: stream,
  };
}

export const QcBlockSchema = z.record(z.string(), z.unknown()).meta(qcBlockJsonSchema());
export type QcBlockInput = z.output<typeof QcBlockSchema>;
