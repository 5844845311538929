// THREDDS `<service>` elements of one server: the standard TDS endpoints (with the exact
// serviceType and base the TDS requires), the compound `all` datasets use by default, its point
// twin `allPoint`, the server's custom services, and compounds for per-dataset service lists.
import { THREDDS_SERVICE_TYPES, type ThreddsCustomService, type ThreddsServer } from '../../schemas/model.js';
import { compareStrings, type Reporter } from '../../core/diagnostics.js';
import { didYouMean } from '../../core/suggest.js';
import { el, type XmlElement } from './xml.js';

export type StandardServiceKey = (typeof THREDDS_SERVICE_TYPES)[number];

export interface ServiceDefinition {
  name: string;
  type: string;
  base: string;
  suffix?: string;
  desc?: string;
  /** Compound services: names of the member definitions. */
  members?: string[];
}

/** serviceType and the path under the webapp context (TDS StandardService; research/thredds.md §3). */
const STANDARD: Record<StandardServiceKey, { type: string; path: string }> = {
  opendap: { type: 'OPeNDAP', path: '/dodsC/' },
  dap4: { type: 'DAP4', path: '/dap4/' },
  http: { type: 'HTTPServer', path: '/fileServer/' },
  wcs: { type: 'WCS', path: '/wcs/' },
  wms: { type: 'WMS', path: '/wms/' },
  ncss: { type: 'NetcdfSubset', path: '/ncss/grid/' },
  iso: { type: 'ISO', path: '/iso/' },
  ncml: { type: 'NCML', path: '/ncml/' },
  uddc: { type: 'UDDC', path: '/uddc/' },
  cdmremote: { type: 'CdmRemote', path: '/cdmremote/' },
};

export const DEFAULT_SERVICE = 'all';
export const DEFAULT_POINT_SERVICE = 'allPoint';
const NCSS_POINT = 'ncssPoint';
/** WMS and WCS only serve grids: TDS's own point services leave them out (tdsGlobalConfig.xml pointServices). */
const GRID_ONLY: ReadonlySet<string> = new Set(['wms', 'wcs']);

/** serviceType values netCDF-Java knows (ServiceType enum), plus ncSOS's SOS; matched ignoring case as the TDS does. */
const KNOWN_TYPES = new Set([
  'ADDE', 'Catalog', 'CdmRemote', 'CdmrFeature', 'Compound', 'DAP4', 'DODS', 'File', 'FTP', 'GRIDFTP', 'H5Service', 'HTTPServer',
  'JupyterNotebook', 'ISO', 'LAS', 'NcJSON', 'NCML', 'NetcdfSubset', 'OPENDAP', 'OPENDAPG', 'Resolver', 'THREDDS', 'UDDC',
  'WebForm', 'WCS', 'WFS', 'WMS', 'WSDL', 'SOS',
].map((t) => t.toLowerCase()));

/** The webapp context from the server URL: https://host/thredds/ -> /thredds. */
export function webappContext(serverUrl: string): string {
  return new URL(serverUrl).pathname.replace(/\/+$/, '');
}

export class ServerServices {
  private readonly definitions = new Map<string, ServiceDefinition>();
  /** Compounds made for per-dataset service lists, by name. */
  private readonly listCompounds = new Map<string, ServiceDefinition>();
  private placement?: Map<string, Map<string, string>>;

  private readonly custom: ReadonlySet<string>;

  constructor(readonly serverKey: string, server: ThreddsServer, report: Reporter) {
    const context = webappContext(server.url);
    const custom = server.custom_services ?? {};
    this.custom = new Set(Object.keys(custom));
    for (const key of THREDDS_SERVICE_TYPES) this.define({ name: key, type: STANDARD[key].type, base: `${context}${STANDARD[key].path}` });
    this.define({ name: NCSS_POINT, type: 'NetcdfSubset', base: `${context}/ncss/point/` });
    const listed = server.services ?? [];
    if (listed.length > 0 && this.custom.has(DEFAULT_SERVICE)) {
      report.warning('thredds-services-ignored', `servers.thredds.${serverKey}.services is not used: custom_services defines "${DEFAULT_SERVICE}"`,
        { file: 'steller.yaml', path: ['servers', 'thredds', serverKey, 'services'] }, 'remove one of them');
    } else if (listed.length > 0) {
      this.define({ name: DEFAULT_SERVICE, type: 'Compound', base: '', members: [...listed] });
      const pointMembers = listed.filter((k) => !GRID_ONLY.has(k)).map(pointName);
      if (pointMembers.length > 0) this.define({ name: DEFAULT_POINT_SERVICE, type: 'Compound', base: '', members: pointMembers });
    }
    for (const [name, service] of Object.entries(custom)) this.define(customDefinition(name, service));
    checkCustomServices(custom, this.definitions, ['servers', 'thredds', serverKey, 'custom_services'], report);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** A definition by name; `a+b` names the compound of a per-dataset list, made on first use. */
  get(name: string): ServiceDefinition | undefined {
    const defined = this.definitions.get(name) ?? this.listCompounds.get(name);
    if (defined || !name.includes('+')) return defined;
    const members = name.split('+');
    if (members.some((m) => !this.definitions.has(m) || this.definitions.get(m)?.members)) return undefined;
    const compound = { name, type: 'Compound', base: '', members };
    this.listCompounds.set(name, compound);
    this.placement = undefined;
    return compound;
  }

  /** The serviceName a dataset gets by default: `all`, or `allPoint` for point data when defined. */
  defaultFor(pointData: boolean): string | undefined {
    if (pointData && this.definitions.has(DEFAULT_POINT_SERVICE)) return DEFAULT_POINT_SERVICE;
    return this.definitions.has(DEFAULT_SERVICE) ? DEFAULT_SERVICE : undefined;
  }

  /**
   * The serviceName for a dataset's own `services:` list: the one name, or a compound made of the
   * list. Unknown names are returned for the caller to report.
   */
  forList(names: readonly string[], pointData: boolean): { name?: string; unknown: string[] } {
    const resolved = names.map((n) => (pointData && !this.custom.has(n) ? pointName(n) : n));
    const unknown = names.filter((n, i) => !this.definitions.has(resolved[i]));
    if (unknown.length > 0) return { unknown };
    const distinct = [...new Set(resolved)];
    if (distinct.length === 1) return { name: distinct[0], unknown };
    const compounds = distinct.filter((n) => this.definitions.get(n)?.members);
    if (compounds.length > 0) return { unknown: compounds.map((n) => `${n} (a compound service cannot be part of a list)`) };
    return { name: distinct.join('+'), unknown };
  }

  suggest(name: string): string | undefined {
    return didYouMean(name, [...this.definitions.keys()]);
  }

  /**
   * The `<service>` elements a catalog needs for the names its datasets use. A service nested in
   * a compound may be used by its own name too; every name appears once per catalog (the XSD's
   * serviceNameKey), so a member shared by two compounds is renamed in all but the first.
   */
  elementsFor(used: ReadonlySet<string>): XmlElement[] {
    const placement = this.memberPlacement();
    const compounds = [...used].filter((n) => this.get(n)?.members).sort(compareCompounds);
    const included = new Set(compounds);
    const nestedPlainly = new Set<string>();
    for (const compound of compounds) {
      for (const [member, name] of placement.get(compound) ?? []) if (name === member) nestedPlainly.add(member);
    }
    const simple = [...used].filter((n) => !included.has(n) && !nestedPlainly.has(n) && this.get(n)).sort(compareStrings);
    return [
      ...compounds.map((c) => this.compoundElement(c, placement.get(c) ?? new Map())),
      ...simple.map((n) => serviceElement(this.get(n) as ServiceDefinition, n)),
    ];
  }

  private compoundElement(name: string, members: Map<string, string>): XmlElement {
    const definition = this.get(name) as ServiceDefinition;
    const element = serviceElement(definition, name);
    element.children = [...members].map(([member, memberName]) => serviceElement(this.get(member) as ServiceDefinition, memberName));
    return element;
  }

  /** For each compound, member -> the name it has there; computed once per server, so every catalog agrees. */
  private memberPlacement(): Map<string, Map<string, string>> {
    if (this.placement) return this.placement;
    const holder = new Map<string, string>();
    const placement = new Map<string, Map<string, string>>();
    const compounds = [...this.definitions.values(), ...this.listCompounds.values()].filter((d) => d.members).map((d) => d.name).sort(compareCompounds);
    for (const compound of compounds) {
      const members = new Map<string, string>();
      for (const member of this.get(compound)?.members ?? []) {
        if (!this.get(member) || this.get(member)?.members) continue;
        if (!holder.has(member)) holder.set(member, compound);
        members.set(member, holder.get(member) === compound ? member : `${member}-${compound}`);
      }
      placement.set(compound, members);
    }
    this.placement = placement;
    return placement;
  }

  private define(definition: ServiceDefinition): void {
    this.definitions.set(definition.name, definition);
  }

}

function pointName(key: string): string {
  return key === 'ncss' ? NCSS_POINT : key;
}

/** `all` first, then `allPoint`, then the rest by name: the order compounds claim shared members. */
function compareCompounds(a: string, b: string): number {
  const rank = (n: string) => (n === DEFAULT_SERVICE ? 0 : n === DEFAULT_POINT_SERVICE ? 1 : 2);
  return rank(a) - rank(b) || compareStrings(a, b);
}

function customDefinition(name: string, service: ThreddsCustomService): ServiceDefinition {
  return {
    name,
    type: service.type,
    base: service.base ?? '',
    ...(service.suffix !== undefined ? { suffix: service.suffix } : {}),
    ...(service.desc !== undefined ? { desc: service.desc } : {}),
    ...(service.services ? { members: [...service.services] } : {}),
  };
}

function serviceElement(definition: ServiceDefinition, name: string): XmlElement {
  return el('service', { name, serviceType: definition.type, base: definition.base, suffix: definition.suffix, desc: definition.desc });
}

/** The traps of research/thredds.md §3 and §8, at the custom service's line in steller.yaml. */
function checkCustomServices(
  custom: Record<string, ThreddsCustomService>, definitions: ReadonlyMap<string, ServiceDefinition>,
  path: (string | number)[], report: Reporter,
): void {
  for (const [name, service] of Object.entries(custom).sort(([a], [b]) => compareStrings(a, b))) {
    const at = (...rest: (string | number)[]) => ({ file: 'steller.yaml', path: [...path, name, ...rest] });
    const type = service.type;
    if (type.toLowerCase() === 'fileserver') {
      report.error('thredds-file-server', `serviceType "${type}" does not exist; the TDS file download service is HTTPServer`, at('type'), 'write type: HTTPServer');
    } else if (type.toLowerCase() === 'compound' && type !== 'Compound') {
      report.error('thredds-service-type-case', `serviceType "${type}" must be written "Compound" (case-sensitive clients do not expand "${type}")`, at('type'), 'write type: Compound');
    } else if (!KNOWN_TYPES.has(type.toLowerCase())) {
      report.warning('thredds-unknown-service-type', `serviceType "${type}" is not one netCDF-Java knows; the TDS only logs it`, at('type'));
    }
    if (type.toLowerCase() === 'compound') {
      if (!service.services?.length) report.error('thredds-empty-compound', `compound service "${name}" lists no services`, at(), 'add `services: [opendap, http]`');
      service.services?.forEach((member, i) => {
        const target = definitions.get(member);
        if (!target) {
          const suggestion = didYouMean(member, [...definitions.keys()]);
          report.error('thredds-unknown-service', `compound service "${name}" lists "${member}", which is not defined`, at('services', i),
            suggestion ? `did you mean '${suggestion}'?` : 'use a standard service key or a custom service name');
        } else if (target.members) {
          report.error('thredds-nested-compound', `compound service "${name}" lists the compound "${member}"; list its members instead`, at('services', i));
        }
      });
    } else {
      if (service.services) report.error('thredds-not-compound', `only a Compound service lists services ("${name}" is ${type})`, at('services'));
      if (service.base === undefined) report.error('thredds-missing-base', `service "${name}" needs a base`, at(), 'e.g. base: /thredds/sos/');
    }
  }
}
