// License ids → the URL every CKAN output needs (DCAT dct:license, data.json license). CKAN's
// default register ids map to the URL that register gives them (ckan/model/license.py), so
// ckanext-dcat's harvester, which matches dct:license against those URLs, finds the id again.
import { isCkanUrl } from './ckan-rules.js';
import { safeUrl } from './urls.js';

const LICENSE_URLS: Readonly<Record<string, string>> = {
  // CKAN's default register.
  'odc-pddl': 'http://www.opendefinition.org/licenses/odc-pddl',
  'odc-odbl': 'http://www.opendefinition.org/licenses/odc-odbl',
  'odc-by': 'http://www.opendefinition.org/licenses/odc-by',
  'cc-zero': 'http://www.opendefinition.org/licenses/cc-zero',
  'cc-by': 'http://www.opendefinition.org/licenses/cc-by',
  'cc-by-sa': 'http://www.opendefinition.org/licenses/cc-by-sa',
  gfdl: 'http://www.opendefinition.org/licenses/gfdl',
  'uk-ogl': 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
  'cc-nc': 'http://creativecommons.org/licenses/by-nc/2.0/',
  // Versioned Creative Commons and Open Data Commons ids (SPDX spelling, lowercased).
  'cc-by-4.0': 'https://creativecommons.org/licenses/by/4.0/',
  'cc-by-sa-4.0': 'https://creativecommons.org/licenses/by-sa/4.0/',
  'cc-by-nc-4.0': 'https://creativecommons.org/licenses/by-nc/4.0/',
  'cc0-1.0': 'https://creativecommons.org/publicdomain/zero/1.0/',
  'odc-by-1.0': 'https://opendatacommons.org/licenses/by/1-0/',
  'odbl-1.0': 'https://opendatacommons.org/licenses/odbl/1-0/',
  'pddl-1.0': 'https://opendatacommons.org/licenses/pddl/1-0/',
};

/** The URL of a license id (case-insensitive), or the id itself when it is an http(s) URL. */
export function licenseUrl(id: string): string | undefined {
  return LICENSE_URLS[id.toLowerCase()] ?? (isCkanUrl(id) ? safeUrl(id) : undefined);
}
