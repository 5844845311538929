// PLACEHOLDER: replaced by the thredds generator.
import type { Generator } from '../types.js';

export const threddsGenerator: Generator = { name: 'thredds', generate: () => [] };
