// Every output steller renders, in the order they run. A generator that reads another's files
// (`after`) comes later in this list.
import type { Generator } from './types.js';

export const GENERATORS: readonly Generator[] = [];
