// PLACEHOLDER: replaced by the k8s generator.
import type { Generator } from '../types.js';

export const k8sGenerator: Generator = { name: 'k8s', after: ['qc'], generate: () => [] };
