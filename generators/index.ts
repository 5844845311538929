// Every output steller renders, in the order they run. A generator that reads another's files
// (`after`) comes later in this list.
import { argocdGenerator } from './argocd/index.js';
import { ckanGenerator } from './ckan/index.js';
import { erddapGenerator } from './erddap/index.js';
import { k8sGenerator } from './k8s/index.js';
import { qcGenerator } from './qc/index.js';
import { threddsGenerator } from './thredds/index.js';
import type { Generator } from './types.js';

export const GENERATORS: readonly Generator[] = [qcGenerator, erddapGenerator, threddsGenerator, ckanGenerator, k8sGenerator, argocdGenerator];
