// PLACEHOLDER: replaced by the argocd generator.
import type { Generator } from '../types.js';

export const argocdGenerator: Generator = { name: 'argocd', after: ['k8s', 'erddap', 'thredds'], generate: () => [] };
