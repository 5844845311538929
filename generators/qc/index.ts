// PLACEHOLDER: replaced by the qc generator.
import type { Generator } from '../types.js';

export const qcGenerator: Generator = { name: 'qc', generate: () => [] };
