// Turns zod's issues into located diagnostics with a stable code and a hint a data manager can act on.
import type { z } from 'zod';
import type { Reporter } from './diagnostics.js';
import { didYouMean } from './suggest.js';

type Issue = z.core.$ZodIssue;
type Path = (string | number)[];

/** Reports every issue of a failed `safeParse` of `schema` on the YAML value of `file`. */
export function reportSchemaIssues(issues: readonly Issue[], schema: z.ZodType, file: string, report: Reporter, base: Path = []): void {
  for (const issue of issues) reportIssue(issue, schema, file, report, base);
}

function reportIssue(issue: Issue, schema: z.ZodType, file: string, report: Reporter, base: Path): void {
  const path = [...base, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
  const where = describePath(path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(schema, path.slice(base.length));
      for (const key of issue.keys) {
        const suggestion = didYouMean(key, known);
        const hint = suggestion ? `did you mean '${suggestion}'?` : known.length ? `known keys here: ${known.join(', ')}` : undefined;
        report.error('unknown-key', `unknown key '${key}'${where ? ` in ${where}` : ''}`, { file, path: [...path, key], key: true }, hint);
      }
      return;
    }
    case 'invalid_type': {
      if (issue.input === undefined) {
        const key = path[path.length - 1];
        report.error('missing-key', `missing required key '${String(key)}'${path.length > 1 ? ` in ${describePath(path.slice(0, -1))}` : ''}`,
          { file, path: path.slice(0, -1) }, `add \`${String(key)}: …\``);
        return;
      }
      report.error('wrong-type', `${where || 'value'}: expected ${issue.expected}, got ${typeName(issue.input)}`, { file, path });
      return;
    }
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      const suggestion = typeof issue.input === 'string' ? didYouMean(issue.input, allowed) : undefined;
      report.error('invalid-value', `${where || 'value'}: ${JSON.stringify(issue.input)} is not one of ${allowed.join(', ')}`, { file, path },
        suggestion ? `did you mean '${suggestion}'?` : undefined);
      return;
    }
    case 'invalid_union': {
      report.error('wrong-type', `${where || 'value'}: ${unionMessage(issue)}`, { file, path });
      return;
    }
    case 'too_small':
    case 'too_big':
      report.error('out-of-range', `${where || 'value'}: ${issue.message}`, { file, path });
      return;
    default:
      report.error('invalid-value', `${where || 'value'}: ${issue.message}`, { file, path });
  }
}

function unionMessage(issue: Extract<Issue, { code: 'invalid_union' }>): string {
  const expected = new Set<string>();
  for (const branch of issue.errors) for (const sub of branch) if (sub.code === 'invalid_type') expected.add(sub.expected);
  if (expected.size) return `expected ${[...expected].join(' or ')}, got ${typeName(issue.input)}`;
  return issue.message;
}

export function describePath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) out += typeof segment === 'number' ? `[${segment}]` : out ? `.${segment}` : segment;
  return out;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

/** The keys an object schema accepts at `path`, for "did you mean". */
export function knownKeys(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  const keys = new Set<string>();
  for (const node of schemasAt(schema as unknown as ZodNode, path)) {
    const shape = node._zod.def.shape;
    if (shape) for (const key of Object.keys(shape)) keys.add(key);
  }
  return [...keys].sort();
}

interface ZodNode {
  _zod: { def: { type: string; shape?: Record<string, ZodNode>; innerType?: ZodNode; element?: ZodNode; valueType?: ZodNode; options?: ZodNode[]; in?: ZodNode; out?: ZodNode } };
}

function unwrap(node: ZodNode): ZodNode[] {
  const def = node._zod.def;
  if (def.innerType) return unwrap(def.innerType);
  if (def.type === 'union' && def.options) return def.options.flatMap(unwrap);
  if (def.type === 'pipe' && def.in) return unwrap(def.in);
  return [node];
}

function schemasAt(root: ZodNode, path: readonly (string | number)[]): ZodNode[] {
  let nodes = unwrap(root);
  for (const segment of path) {
    const next: ZodNode[] = [];
    for (const node of nodes) {
      const def = node._zod.def;
      if (def.type === 'object' && def.shape && typeof segment === 'string' && def.shape[segment]) next.push(...unwrap(def.shape[segment]));
      else if (def.type === 'array' && def.element && typeof segment === 'number') next.push(...unwrap(def.element));
      else if (def.type === 'record' && def.valueType) next.push(...unwrap(def.valueType));
    }
    nodes = next;
  }
  return nodes;
}
