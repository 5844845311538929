// PLACEHOLDER: replaced by the erddap generator.
import type { Generator } from '../types.js';

export const erddapGenerator: Generator = { name: 'erddap', generate: () => [] };
