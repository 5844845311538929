// PLACEHOLDER: replaced by the ckan generator.
import type { Generator } from '../types.js';

export const ckanGenerator: Generator = { name: 'ckan', generate: () => [] };
