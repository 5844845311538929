// A strict JSON Schema for the ExternalSecrets steller writes. kubernetes-models knows no CRDs and
// the ESO CRD's own schema leaves every object open, so this is written from that CRD
// (external-secrets/external-secrets, config/crds/bases/external-secrets.io_externalsecrets.yaml,
// version v1, at commit cc5bfbc2 = v2.9.0): the same types, patterns, enums and required fields,
// limited to the fields steller emits and closed, so a typo is an error. The tests also judge the
// output against the full CRD itself.
import { Ajv, type ValidateFunction } from 'ajv';

const SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

export const EXTERNAL_SECRET_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'external-secrets.io/v1' },
    kind: { const: 'ExternalSecret' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'namespace'],
      properties: {
        name: { type: 'string', maxLength: 253, pattern: SUBDOMAIN },
        namespace: { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
        labels: stringMap,
        annotations: stringMap,
      },
    },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['secretStoreRef', 'target', 'data'],
      properties: {
        refreshInterval: { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$' },
        secretStoreRef: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'kind'],
          properties: {
            kind: { enum: ['SecretStore', 'ClusterSecretStore'] },
            name: { type: 'string', minLength: 1, maxLength: 253, pattern: SUBDOMAIN },
          },
        },
        target: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 253, pattern: SUBDOMAIN },
            creationPolicy: { enum: ['Owner', 'Orphan', 'Merge', 'None'] },
            deletionPolicy: { enum: ['Delete', 'Merge', 'Retain'] },
          },
        },
        data: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['remoteRef', 'secretKey'],
            properties: {
              secretKey: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[-._a-zA-Z0-9]+$' },
              remoteRef: {
                type: 'object',
                additionalProperties: false,
                required: ['key'],
                properties: {
                  key: { type: 'string', minLength: 1 },
                  property: { type: 'string' },
                  conversionStrategy: { enum: ['Default', 'Unicode'] },
                  decodingStrategy: { enum: ['Auto', 'Base64', 'Base64URL', 'None'] },
                  metadataPolicy: { enum: ['None', 'Fetch'] },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

let compiled: ValidateFunction | undefined;

/** Problems with an ExternalSecret, as `path message` strings; empty when valid. */
export function externalSecretProblems(object: unknown): string[] {
  compiled ??= new Ajv({ allErrors: true }).compile(EXTERNAL_SECRET_SCHEMA);
  if (compiled(object)) return [];
  return (compiled.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}
