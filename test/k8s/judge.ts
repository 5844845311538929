// The outside judge of out/k8s/** and out/argocd/**: the strict Kubernetes 1.32 JSON Schemas
// and Argo CD's Application CRD from ../shared/refs, the External Secrets Operator's CRD and
// SchemaStore's kustomization schema from fixtures/, plus kubernetes-models' own validators.
// CRD schemas leave objects open, so they are closed here first (a misspelt field must fail).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsMod from 'ajv-formats';
import { parse, parseAllDocuments } from 'yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { OutputFile } from '../../generators/types.js';
import { SHARED } from '../helpers/shared.js';

const addFormats = addFormatsMod.default;
const FIXTURES = join(import.meta.dirname, 'fixtures');
const K8S_SCHEMAS = join(SHARED, 'refs/k8s/v1.32.0-standalone-strict');

export interface Judged {
  /** `path: Kind/name: message` for every problem. */
  problems: string[];
  /** Every object found, with the file it is in. */
  objects: { file: string; object: Record<string, any> }[];
}

type Schema = Record<string, unknown>;

/** Every object schema with properties (and not marked open on purpose) gets additionalProperties: false. */
export function closeSchema(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(closeSchema);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as Schema;
  if (schema.properties && !schema['x-kubernetes-preserve-unknown-fields'] && schema.additionalProperties === undefined) schema.additionalProperties = false;
  for (const value of Object.values(schema)) closeSchema(value);
}

function crdSchema(file: string, version: string): Schema {
  const crd = parse(readFileSync(file, 'utf8')) as { spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] } };
  const schema = crd.spec.versions.find((v) => v.name === version)?.schema.openAPIV3Schema;
  if (!schema) throw new Error(`${file} has no version ${version}`);
  closeSchema(schema);
  return schema;
}

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const format of ['int32', 'int64', 'byte', 'double', 'int-or-string']) ajv.addFormat(format, true);
  return ajv;
}

let validators: Record<string, ValidateFunction> | undefined;

function judges(): Record<string, ValidateFunction> {
  if (validators) return validators;
  const ajv = newAjv();
  const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Schema;
  validators = {
    'batch/v1/CronJob': ajv.compile(json(join(K8S_SCHEMAS, 'cronjob-batch-v1.json'))),
    'v1/ConfigMap': ajv.compile(json(join(K8S_SCHEMAS, 'configmap-v1.json'))),
    'external-secrets.io/v1/ExternalSecret': ajv.compile(crdSchema(join(FIXTURES, 'external-secrets.io_externalsecrets.yaml'), 'v1')),
    'argoproj.io/v1alpha1/Application': ajv.compile(crdSchema(join(SHARED, 'refs/argocd/application-crd.yaml'), 'v1alpha1')),
    'kustomize.config.k8s.io/v1beta1/Kustomization': ajv.compile(json(join(FIXTURES, 'kustomization.schema.json'))),
  };
  return validators;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Judges every YAML document of the files under k8s/ and argocd/ (and every kustomization.yaml). */
export function judgeTree(files: Iterable<OutputFile>): Judged {
  const judged: Judged = { problems: [], objects: [] };
  for (const file of files) {
    const judgedFolder = file.path.startsWith('k8s/') || file.path.startsWith('argocd/') || file.path.endsWith('/kustomization.yaml');
    if (!judgedFolder) continue;
    const docs = parseAllDocuments(file.content, { version: '1.1' });
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      if (doc.errors.length) judged.problems.push(`${file.path}: YAML: ${doc.errors[0].message}`);
      judged.objects.push({ file: file.path, object: doc.toJS() });
    }
  }
  for (const { file, object } of judged.objects) judged.problems.push(...judgeObject(object).map((p) => `${file}: ${object.kind}/${object.metadata?.name ?? ''}: ${p}`));
  return judged;
}

function judgeObject(object: Record<string, any>): string[] {
  const problems: string[] = [];
  const type = `${object.apiVersion}/${object.kind}`;
  const validate = judges()[type];
  if (!validate) return [`no judge for ${type}`];
  if (!validate(object)) problems.push(...(validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));
  if (object.kind === 'Kustomization') return problems;
  // The strict schemas have no top-level `required`: what kubeconform and the API server insist on.
  if (typeof object.metadata?.name !== 'string' || !DNS_SUBDOMAIN.test(object.metadata.name) || object.metadata.name.length > 253) problems.push('metadata.name is not a DNS-1123 subdomain');
  if (typeof object.metadata?.namespace !== 'string') problems.push('metadata.namespace is missing');
  const model = object.kind === 'CronJob' ? CronJob : object.kind === 'ConfigMap' ? ConfigMap : undefined;
  if (model) {
    try {
      new model(object as never).validate();
    } catch (error) {
      problems.push(`kubernetes-models: ${(error as Error).message}`);
    }
  }
  return problems;
}
