// Every output steller renders, in the order they run, each loaded on demand: a patch build
// (core/patch.ts) loads only the generators whose outputs it has to touch, and leaves the others'
// libraries (cdk8s, for one) unread. A generator that reads another's files (`after`) comes later.
import type { Generator } from './types.js';

export const GENERATOR_MODULES: readonly { name: string; load: () => Promise<Generator> }[] = [
  { name: 'qc', load: async () => (await import('./qc/index.js')).qcGenerator },
  { name: 'erddap', load: async () => (await import('./erddap/index.js')).erddapGenerator },
  { name: 'thredds', load: async () => (await import('./thredds/index.js')).threddsGenerator },
  { name: 'ckan', load: async () => (await import('./ckan/index.js')).ckanGenerator },
  { name: 'k8s', load: async () => (await import('./k8s/index.js')).k8sGenerator },
  { name: 'deploy', load: async () => (await import('./deploy/index.js')).deployGenerator },
  { name: 'argocd', load: async () => (await import('./argocd/index.js')).argocdGenerator },
];
