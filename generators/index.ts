// Every output steller renders, in the order they run (generators/modules.ts), loaded.
import { GENERATOR_MODULES } from './modules.js';
import type { Generator } from './types.js';

export const GENERATORS: readonly Generator[] = await Promise.all(GENERATOR_MODULES.map((module) => module.load()));
