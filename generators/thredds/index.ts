// THREDDS configuration catalogs: per server, a root `catalog.xml` (services, datasetRoots, one
// catalogRef per group) and `<group>/catalog.xml` with the group's datasets. Each dataset is
// built (or rendered from its template) as a small element tree, checked, and serialized on its
// own; catalogs are the joined fragments, so the work grows linearly with the datasets.
import { posix } from 'node:path';
import type { Catalog, Dataset, ThreddsService } from '../../schemas/catalog.js';
import type { ThreddsServer } from '../../schemas/model.js';
import { compareStrings, type Reporter } from '../../core/diagnostics.js';
import type { YamlPath } from '../../core/source.js';
import { ropeFile, Text, type Piece } from '../../core/text.js';
import { renderTemplate, templateContext } from '../common/template.js';
import { datasetRef, type Generator, type OutputFile } from '../types.js';
import { checkDatasetTree, DATASET_ELEMENTS, type DatasetFacts } from './checks.js';
import { builtInElement } from './datasets.js';
import type { OptionProblem } from './options.js';
import { ServerServices } from './services.js';
import { attr, el, escapeAttribute, parseXml, serialize, THREDDS_NS, XLINK_NS, XmlSyntaxError, type XmlElement } from './xml.js';

export const ROOT_CATALOG = 'catalog.xml';
const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** One dataset's entry on one server, rendered: plain data, so the pipeline can cache it per dataset. */
interface Entry {
  datasetId: string;
  sourceFile: string;
  serverKey: string;
  group: string;
  urlPath: string;
  /** YAML path of the service entry. */
  path: YamlPath;
  /** Where problems inside the element are reported: the template_file, or the entry. */
  at: YamlPath;
  /** The serialized element, indented for a catalog. */
  xml: Text;
  facts: DatasetFacts;
}

export const threddsGenerator: Generator = {
  name: 'thredds',
  planReads: { values: ['services.thredds.length'] },
  generate(catalog, ctx) {
    const servers = catalog.project.servers.thredds ?? {};
    const keys = Object.keys(servers).sort(compareStrings);
    const services = new Map(keys.map((key) => [key, new ServerServices(key, servers[key], ctx.report)]));
    const byServer = new Map<string, Entry[]>(keys.map((key) => [key, []]));
    for (const dataset of catalog.datasets) {
      if (dataset.services.thredds.length === 0) continue;
      const entries = ctx.perDataset(dataset, () => dataset.services.thredds.flatMap((service, i) => {
        const entry = renderEntry(catalog, dataset, service, ['services', 'thredds', i], services.get(service.server_key) as ServerServices, ctx.report);
        return entry ? [entry] : [];
      }));
      for (const entry of entries) byServer.get(entry.serverKey)?.push(entry);
    }
    return keys.flatMap((key) => renderServer(catalog, key, servers[key], services.get(key) as ServerServices, byServer.get(key) ?? [], ctx.report));
  },
};

function renderServer(catalog: Catalog, key: string, server: ThreddsServer, services: ServerServices, entries: Entry[], report: Reporter): OutputFile[] {
  const groups = groupEntries(entries, report);
  const written = new Set([ROOT_CATALOG, ...[...groups.keys()].map((g) => `${g}/${ROOT_CATALOG}`)]);
  checkAcrossDatasets(entries, groups, written, services, report);
  const roots = dataRoots(entries, server, key, report);

  const used = new Map([...groups].map(([group, members]) => [group, usedServices(members, services)]));
  const allUsed = new Set([...Object.keys(server.custom_services ?? {}), ...[...used.values()].flatMap((names) => [...names])]);
  const files: OutputFile[] = [...groups].map(([group, members]) => ropeFile(
    `thredds/${key}/${group}/${ROOT_CATALOG}`,
    catalogDocument(`${catalog.project.name} ${group}`, [
      ...services.elementsFor(used.get(group) ?? new Set()).map((s) => serialize(s)),
      ...members.map((e) => e.xml),
    ]),
    members.map((e) => e.datasetId),
  ));
  files.push(ropeFile(
    `thredds/${key}/${ROOT_CATALOG}`,
    catalogDocument(`${catalog.project.name} THREDDS (${key})`, [rootBody(services.elementsFor(allUsed), roots, [...groups.keys()], catalog.project.name)]),
    [...new Set(entries.map((e) => e.datasetId))].sort(compareStrings),
  ));
  return files;
}

function renderEntry(catalog: Catalog, dataset: Dataset, service: ThreddsService, path: YamlPath, services: ServerServices, report: Reporter): Entry | undefined {
  const server = catalog.project.servers.thredds?.[service.server_key] as ThreddsServer;
  const problems: OptionProblem[] = [];
  let element: XmlElement | undefined;
  let at = path;
  if (service.template_file !== undefined) {
    at = [...path, 'template_file'];
    element = templateElement(catalog, dataset, service, server, (code, message, hint) => report.error(code, message, datasetRef(dataset, at), hint));
  } else {
    element = builtInElement({ dataset, service, server, services, path, problems });
  }
  for (const p of problems) report[p.severity](p.code, p.message, datasetRef(dataset, p.path), p.hint);
  if (!element) return undefined;
  // A problem the builder already reported at its option's line is not repeated at the entry's.
  const known = new Set(problems.map((p) => p.code));
  const facts = checkDatasetTree(element, (code, message, hint) => {
    if (!known.has(code)) report.error(code, message, datasetRef(dataset, at), hint);
  });
  return {
    datasetId: dataset.id, sourceFile: dataset.source_file, serverKey: service.server_key, group: service.group, urlPath: service.path,
    path, at, xml: Text.of(serialize(element)), facts,
  };
}

/** A template's output: exactly one dataset element, parsed strictly; an ID is added when it has none. */
function templateElement(
  catalog: Catalog, dataset: Dataset, service: ThreddsService, server: ThreddsServer,
  fail: (code: string, message: string, hint?: string) => void,
): XmlElement | undefined {
  const rendered = renderTemplate(catalog, service.template_file as string, templateContext(catalog, dataset, service, server));
  if (!rendered.ok) {
    fail('thredds-template-error', `template ${service.template_file} does not render: ${rendered.message}`);
    return undefined;
  }
  let element: XmlElement;
  try {
    element = parseXml(rendered.text);
  } catch (error) {
    const line = error instanceof XmlSyntaxError ? ` at line ${error.line} of its output` : '';
    fail('thredds-template-xml', `template ${service.template_file} does not render one well-formed element${line}: ${(error as Error).message}`,
      'a THREDDS template renders exactly one <dataset> (or datasetScan, featureCollection, catalogRef) element');
    return undefined;
  }
  if (element.ns !== THREDDS_NS || !DATASET_ELEMENTS.has(element.name)) {
    fail('thredds-template-root', `template ${service.template_file} renders <${element.name}>, not a THREDDS dataset element`, 'render one <dataset> element');
    return undefined;
  }
  if (attr(element, 'ID') === undefined && attr(element, 'id') === undefined) {
    element.attributes.push({ name: 'ID', ns: '', value: service.dataset_id });
  }
  return element;
}

/** Entries by group, groups and their entries in a stable order. */
function groupEntries(entries: Entry[], report: Reporter): Map<string, Entry[]> {
  const groups = new Map<string, Entry[]>();
  for (const entry of entries) {
    const group = entry.group;
    if (!GROUP_NAME.test(group) || group === ROOT_CATALOG) {
      report.error('thredds-bad-group', `group "${group}" cannot name a catalog folder`, refOf(entry, entry.path),
        `set group: (or the first folder of path:) to letters, digits, _ . - (not ${ROOT_CATALOG})`);
      continue;
    }
    const list = groups.get(group) ?? [];
    list.push(entry);
    groups.set(group, list);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => compareStrings(a, b)));
}

/** IDs and URL paths unique on the server, services defined, local catalogRefs pointing at catalogs the build writes. */
function checkAcrossDatasets(entries: Entry[], groups: Map<string, Entry[]>, written: ReadonlySet<string>, services: ServerServices, report: Reporter): void {
  const ids = new Map<string, Entry>();
  const paths = new Map<string, Entry>();
  for (const entry of entries) {
    const at = refOf(entry, entry.at);
    for (const id of entry.facts.ids) {
      const first = ids.get(id);
      if (first && first !== entry) {
        report.error('thredds-duplicate-id', `THREDDS ID "${id}" is already used on server "${entry.serverKey}" by ${first.sourceFile}`, at, 'IDs are dataset addresses (catalog.html?dataset=ID): give each its own');
      } else ids.set(id, entry);
    }
    for (const { path } of entry.facts.paths) {
      const first = paths.get(path);
      if (first) {
        report.error('thredds-duplicate-url-path', `urlPath "${path}" is already used on server "${entry.serverKey}" by ${first.sourceFile}`, at, 'each dataset needs its own path');
      } else paths.set(path, entry);
    }
    for (const name of entry.facts.serviceNames) {
      if (services.has(name)) continue;
      const suggestion = services.suggest(name);
      report.error('thredds-unknown-service', `serviceName "${name}" is not defined on THREDDS server "${entry.serverKey}"`, at,
        suggestion ? `did you mean '${suggestion}'?` : `define it under servers.thredds.${entry.serverKey}.custom_services`);
    }
  }
  for (const [group, members] of groups) {
    for (const entry of members) {
      for (const href of entry.facts.catalogRefs) checkCatalogRef(href, group, written, (code, message, hint) => report[code === 'thredds-https-catalog-ref' ? 'warning' : 'error'](code, message, refOf(entry, entry.at), hint));
    }
  }
}

function checkCatalogRef(href: string, group: string, written: ReadonlySet<string>, complain: (code: string, message: string, hint?: string) => void): void {
  if (/^https:/i.test(href)) {
    complain('thredds-https-catalog-ref', `catalogRef ${href}: the TDS reads an https: link as a local file and logs "does not exist" at startup (clients follow it fine)`);
    return;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('/')) return;
  const target = posix.normalize(posix.join(group, href.split('#')[0]));
  if (!written.has(target)) {
    complain('thredds-dangling-catalog-ref', `catalogRef "${href}" points at ${target}, which this build does not write`,
      `local catalogRefs must name a catalog steller writes (${[...written].sort(compareStrings).slice(0, 5).join(', ')}…), or use an http(s) URL`);
  }
}

function refOf(entry: Entry, path: YamlPath) {
  return { file: entry.sourceFile, path };
}

function usedServices(entries: Entry[], services: ServerServices): Set<string> {
  const used = new Set<string>();
  for (const entry of entries) for (const name of entry.facts.serviceNames) if (services.has(name)) used.add(name);
  return used;
}

/**
 * datasetRoots: the server's explicit ones, plus `<data_dir>/<folder>` for the first folder of every
 * urlPath no root covers. datasetScan and featureCollection paths are roots of their own.
 */
function dataRoots(entries: Entry[], server: ThreddsServer, key: string, report: Reporter): Map<string, string> {
  const explicit = new Map(Object.entries(server.data_roots ?? {}).map(([path, location]) => [path.replace(/\/+$/, ''), location]));
  const rootPaths = new Set(explicit.keys());
  for (const entry of entries) {
    for (const { path, root } of entry.facts.paths) {
      if (!root) continue;
      if (explicit.has(path)) {
        report.error('thredds-duplicate-data-root', `path "${path}" is also a datasetRoot in servers.thredds.${key}.data_roots; the TDS drops the second`, refOf(entry, entry.at));
      }
      rootPaths.add(path);
    }
  }
  const roots = new Map(explicit);
  const uncovered = new Set<Entry>();
  for (const entry of entries) {
    const served = [...entry.facts.paths.filter((p) => !p.root).map((p) => p.path), ...entry.facts.accessPaths];
    for (const path of served) {
      if (isCovered(path, rootPaths)) continue;
      const folder = path.split('/')[0];
      if (server.data_dir !== undefined && path.includes('/')) {
        roots.set(folder, posix.join(server.data_dir, folder));
        rootPaths.add(folder);
      } else {
        uncovered.add(entry);
      }
    }
  }
  for (const entry of uncovered) {
    report.warning('thredds-no-data-root', `no datasetRoot covers urlPath "${entry.urlPath}", so the TDS will not serve it`, refOf(entry, entry.path),
      server.data_dir === undefined ? `set servers.thredds.${key}.data_dir (or data_roots)` : 'give the path a folder, e.g. buoys/A01.nc');
  }
  return new Map([...roots.entries()].sort(([a], [b]) => compareStrings(a, b)));
}

/** A path is served through the longest root that is a folder prefix of it. */
function isCovered(path: string, roots: ReadonlySet<string>): boolean {
  const parts = path.split('/');
  for (let n = parts.length - 1; n >= 1; n--) if (roots.has(parts.slice(0, n).join('/'))) return true;
  return false;
}

function rootBody(serviceElements: XmlElement[], roots: Map<string, string>, groups: string[], projectName: string): string {
  const refs = groups.map((g) => el('catalogRef', { 'xlink:href': `${g}/${ROOT_CATALOG}`, 'xlink:title': g, name: g }));
  // The schema wants at least one dataset; a server with no datasets yet gets an empty placeholder.
  const datasets = refs.length > 0 ? refs : [el('dataset', { name: `${projectName}: no datasets yet` })];
  return [
    ...serviceElements.map((s) => serialize(s)),
    ...[...roots].map(([path, location]) => serialize(el('datasetRoot', { path, location }))),
    ...datasets.map((d) => serialize(d)),
  ].join('');
}

function catalogDocument(name: string, body: readonly Piece[]): Piece[] {
  return [`<?xml version="1.0" encoding="UTF-8"?>\n<catalog xmlns="${THREDDS_NS}" xmlns:xlink="${XLINK_NS}" name="${escapeAttribute(name)}" version="1.2">\n`, ...body, '</catalog>\n'];
}
