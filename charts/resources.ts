// A job's resource requests and limits: steller.yaml's `kubernetes.resources`, then the dataset's
// (defaults included), then steller's own defaults for what neither sets. Always explicit (the
// cdk8s-plus defaults are 1-1.5 CPUs and 2 GiB), always canonical (Argo CD compares strings), and
// never a request above its limit (the API server rejects that).
import type { SourceRef } from '../core/diagnostics.js';
import type { Resources } from '../schemas/model.js';
import { canonicalQuantity, compareQuantities, parseQuantity, type Quantity } from './quantity.js';

export type ResourceName = 'cpu' | 'memory' | 'ephemeral-storage';
const RESOURCE_NAMES: readonly ResourceName[] = ['cpu', 'memory', 'ephemeral-storage'];

/** What a harvest gets when nothing says otherwise: a tenth of a CPU, 256 MiB, at most 512 MiB; no CPU limit (throttling, not eviction). */
export const DEFAULT_RESOURCES = { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } } as const;

export interface ResourceLayer {
  resources?: Resources;
  /** Where these resources are written, for diagnostics: a file and the path of its `resources` map. */
  at: SourceRef;
}

export interface ResolvedResources {
  requests: Partial<Record<ResourceName, string>>;
  limits: Partial<Record<ResourceName, string>>;
}

export interface ResourceProblem {
  code: 'bad-quantity' | 'request-over-limit';
  message: string;
  at: SourceRef;
  hint: string;
}

interface Setting {
  quantity: Quantity;
  at?: SourceRef;
}

/** The effective requests and limits, canonical; problems are returned, not thrown. */
export function resolveResources(layers: readonly ResourceLayer[]): { resources: ResolvedResources; problems: ResourceProblem[] } {
  const problems: ResourceProblem[] = [];
  const pick = (kind: 'requests' | 'limits', name: ResourceName): Setting | undefined => {
    for (let i = layers.length - 1; i >= 0; i--) {
      const value = layers[i].resources?.[kind]?.[name];
      if (value === undefined) continue;
      const at = { ...layers[i].at, path: [...(layers[i].at.path ?? []), kind, name] };
      const parsed = parseQuantity(value);
      if (parsed.ok) return { quantity: parsed.quantity, at };
      problems.push({ code: 'bad-quantity', message: `resources.${kind}.${name}: ${parsed.problem}`, at, hint: 'write a quantity such as 100m, 0.5, 256Mi or 2Gi' });
      return undefined;
    }
    return undefined;
  };
  const resources: ResolvedResources = { requests: {}, limits: {} };
  for (const name of RESOURCE_NAMES) {
    const { request, limit } = fillDefaults(name, pick('requests', name), pick('limits', name));
    if (request && limit && compareQuantities(request.quantity, limit.quantity) > 0) {
      problems.push({
        code: 'request-over-limit',
        message: `resources: the ${name} request ${canonicalQuantity(request.quantity)} is above its limit ${canonicalQuantity(limit.quantity)}`,
        at: (request.at ?? limit.at) as SourceRef,
        hint: `raise limits.${name} or lower requests.${name}; Kubernetes rejects a request above its limit`,
      });
    }
    if (request) resources.requests[name] = canonicalQuantity(request.quantity);
    if (limit) resources.limits[name] = canonicalQuantity(limit.quantity);
  }
  return { resources, problems };
}

/**
 * Kubernetes sets a missing request to its limit; steller writes that out, so git holds what the
 * cluster stores. Defaults fill only what no layer set, and a default limit never undercuts a
 * request the catalog asked for.
 */
function fillDefaults(name: ResourceName, request: Setting | undefined, limit: Setting | undefined): { request?: Setting; limit?: Setting } {
  const defaultRequest = defaultSetting(DEFAULT_RESOURCES.requests, name);
  const defaultLimit = defaultSetting(DEFAULT_RESOURCES.limits, name);
  if (!request && limit) return { request: { quantity: limit.quantity }, limit };
  if (!request && !limit) return { request: defaultRequest, limit: defaultLimit };
  if (request && !limit && defaultLimit) {
    return { request, limit: compareQuantities(request.quantity, defaultLimit.quantity) > 0 ? { quantity: request.quantity } : defaultLimit };
  }
  return { request, limit };
}

function defaultSetting(values: Partial<Record<ResourceName, string>>, name: ResourceName): Setting | undefined {
  const text = values[name];
  if (text === undefined) return undefined;
  const parsed = parseQuantity(text);
  return parsed.ok ? { quantity: parsed.quantity } : undefined;
}
