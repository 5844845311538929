// ERDDAP: one datasets.xml per server in steller.yaml. Each dataset's <dataset> element is
// rendered on its own (built in, or from its template), checked against ERDDAP's load rules,
// and written as a text fragment; the file is the server's top-level settings and the fragments
// sorted by datasetID. Fragments are small, so a catalog of 10,000 datasets never builds one DOM.
import { compareStrings, type Reporter } from '../../core/diagnostics.js';
import { PROJECT_FILE } from '../../core/load.js';
import type { YamlPath } from '../../core/source.js';
import { didYouMean } from '../../core/suggest.js';
import { ropeFile, Text, type Piece } from '../../core/text.js';
import type { Catalog, Dataset, ErddapService } from '../../schemas/catalog.js';
import type { ErddapServer } from '../../schemas/model.js';
import { renderTemplate, templateContext } from '../common/template.js';
import { datasetRef, type Generator, type OutputFile } from '../types.js';
import { checkDataset, type Problem } from './check.js';
import { newTrace, optionElements, renderDataset, type RenderTrace } from './render.js';
import { TOP_LEVEL_TAGS } from './rules.js';
import { attributeOf, readXml, writeElement, type XmlElement } from './xml.js';

/** One dataset's <dataset> element, written out, for one server. */
interface Fragment {
  server: string;
  id: string;
  dataset: string;
  text: Text;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

export const erddapGenerator: Generator = {
  name: 'erddap',
  planReads: { values: ['services.erddap.length'] },
  generate(catalog: Catalog, ctx): OutputFile[] {
    const servers = catalog.project.servers.erddap ?? {};
    const fragments = new Map<string, Fragment[]>(Object.keys(servers).map((key) => [key, []]));
    for (const dataset of catalog.datasets) {
      if (dataset.services.erddap.length === 0) continue;
      for (const fragment of ctx.perDataset(dataset, () => renderFragments(catalog, dataset, ctx.report))) fragments.get(fragment.server)?.push(fragment);
    }
    return [...fragments.keys()].sort(compareStrings).map((key) => datasetsXml(key, servers[key], fragments.get(key) ?? [], ctx.report));
  },
};

function renderFragments(catalog: Catalog, dataset: Dataset, report: Reporter): Fragment[] {
  const fragments: Fragment[] = [];
  dataset.services.erddap.forEach((service, index) => {
    const server = catalog.project.servers.erddap?.[service.server_key];
    if (!server) return;
    const el = renderService(catalog, dataset, service, index, server, report);
    if (el) fragments.push({ server: service.server_key, id: service.dataset_id, dataset: dataset.id, text: Text.of(writeElement(el)) });
  });
  return fragments;
}

function renderService(catalog: Catalog, dataset: Dataset, service: ErddapService, index: number, server: ErddapServer, report: Reporter): XmlElement | undefined {
  const servicePath: YamlPath = ['services', 'erddap', index];
  const trace = newTrace();
  const fromTemplate = service.template_file !== undefined;
  const el = fromTemplate ? templateElement(catalog, dataset, service, index, server, report) : renderDataset(dataset, service, index, server, trace);
  if (!el) return undefined;
  for (const note of trace.notes) report[note.severity](note.code, note.message, datasetRef(dataset, note.path), note.hint);
  const topFromSource = new Set(service.from_source ?? []);
  const problems = checkDataset(el, {
    useSaxParser: server.setup?.use_sax_parser === true,
    ioosCategoryRequired: server.setup?.variables_must_have_ioos_category !== false,
    fromSource: (d) => trace.fromSource.get(d) ?? (d === el ? topFromSource : new Set()),
  });
  const fallback: YamlPath = fromTemplate ? [...servicePath, 'template_file'] : servicePath;
  const accepted = new Set(service.accept_errors ?? []);
  const inactive = attributeOf(el, 'active') === 'false';
  for (const problem of problems) reportProblem(report, dataset, problem, { trace, fallback, fromTemplate, accepted, inactive });
  return el;
}

interface ProblemContext {
  trace: RenderTrace;
  fallback: YamlPath;
  fromTemplate: boolean;
  /** Error codes the service accepts: ERDDAP fails the dataset, knowingly. */
  accepted: ReadonlySet<string>;
  /** active="false": ERDDAP skips the dataset's content unread, so nothing in it can fail the load. */
  inactive: boolean;
}

function reportProblem(report: Reporter, dataset: Dataset, problem: Problem, ctx: ProblemContext): void {
  const origin = ctx.trace.origins.get(problem.node);
  const path = origin === undefined ? ctx.fallback : problem.field ? [...origin, problem.field] : origin;
  let message = ctx.fromTemplate && problem.node.line > 0 ? `${problem.message} (rendered template, line ${problem.node.line})` : problem.message;
  let severity = problem.severity;
  if (severity === 'error' && ctx.inactive) {
    severity = 'warning';
    message = `${message} [the dataset is not active, so ERDDAP does not read it]`;
  } else if (severity === 'error' && ctx.accepted.has(problem.code)) {
    severity = 'warning';
    message = `${message} [accepted by accept_errors: ERDDAP will not load this dataset]`;
  }
  report[severity](problem.code, message, datasetRef(dataset, path), problem.hint);
}

/** The template's output, parsed as XML and held to the same rules as a built-in rendering. */
function templateElement(catalog: Catalog, dataset: Dataset, service: ErddapService, index: number, server: ErddapServer, report: Reporter): XmlElement | undefined {
  const templateFile = service.template_file as string;
  const at = datasetRef(dataset, ['services', 'erddap', index, 'template_file']);
  const rendered = renderTemplate(catalog, templateFile, templateContext(catalog, dataset, service, server));
  if (!rendered.ok) {
    report.error('template-error', `template ${templateFile} does not render: ${rendered.message}`, at);
    return undefined;
  }
  const read = readXml(rendered.text, 'xml');
  if (!read.ok) {
    report.error('template-not-xml', `template ${templateFile} does not render well-formed XML: ${read.message} (rendered line ${read.line})`, at,
      'catalog values are escaped for you; look at the markup the template writes itself');
    return undefined;
  }
  const { root, prolog } = read.document;
  for (const item of prolog) {
    if (item.kind !== 'comment' && item.kind !== 'declaration') report.error('template-not-xml', `template ${templateFile} renders a ${item.kind} outside its <dataset> element`, at);
  }
  if (root.name !== 'dataset') {
    report.error('template-not-dataset', `template ${templateFile} renders <${root.name}>; an ERDDAP template renders one <dataset> element`, at);
    return undefined;
  }
  const id = attributeOf(root, 'datasetID');
  if (id !== service.dataset_id) {
    report.error('template-dataset-id', `template ${templateFile} renders datasetID "${id ?? ''}", but this service's dataset_id is "${service.dataset_id}"`, at,
      'write datasetID="{{ service.dataset_id }}" in the template');
  }
  return root;
}

function datasetsXml(key: string, server: ErddapServer, fragments: Fragment[], report: Reporter): OutputFile {
  fragments.sort((a, b) => compareStrings(a.id, b.id));
  const lines = [XML_DECLARATION, '<erddapDatasets>', '<!-- Written by steller from the catalog: edit the catalog, not this file. -->'];
  for (const setting of settingsElements(key, server.settings ?? {}, report)) lines.push(writeElement(setting));
  const pieces: Piece[] = [lines.join('\n')];
  for (const fragment of fragments) pieces.push('\n\n', fragment.text);
  pieces.push('\n</erddapDatasets>\n');
  return ropeFile(`erddap/${key}/datasets.xml`, pieces, fragments.map((f) => f.dataset));
}

/** steller.yaml `settings:` as the tags ERDDAP reads at the top of datasets.xml. */
function settingsElements(key: string, settings: Record<string, unknown>, report: Reporter): XmlElement[] {
  const base: YamlPath = ['servers', 'erddap', key, 'settings'];
  const at = (path: YamlPath) => ({ file: PROJECT_FILE, path });
  const trace = newTrace();
  const out: XmlElement[] = [];
  for (const [name, value] of Object.entries(settings)) {
    if (!TOP_LEVEL_TAGS.has(name)) {
      const suggestion = didYouMean(name, [...TOP_LEVEL_TAGS]);
      report.error('unknown-erddap-setting', `ERDDAP reads no top-level <${name}> in datasets.xml; its default parser would abort the rest of the file there`, at([...base, name]),
        name === 'dataset' ? 'datasets come from dataset files, not settings' : suggestion ? `did you mean ${suggestion}?` : undefined);
      continue;
    }
    const elements = optionElements(name, value, [...base, name], trace);
    for (const el of elements) settingProblems(el, (message) => report.warning('erddap-setting-ignored', message, at(trace.origins.get(el) ?? [...base, name])));
    out.push(...elements);
  }
  for (const note of trace.notes) report[note.severity](note.code, note.message, at(note.path), note.hint);
  return out;
}

/** Settings ERDDAP silently ignores when malformed (LoadDatasets.java:954-959, 1242-1256, 1340-1413). */
function settingProblems(el: XmlElement, warn: (message: string) => void): void {
  if (el.name === 'convertToPublicSourceUrl') {
    const from = attributeOf(el, 'from') ?? '';
    if (from.length <= 3 || attributeOf(el, 'to') === undefined) warn('convertToPublicSourceUrl needs `from` (a URL prefix) and `to`; ERDDAP ignores it otherwise');
  } else if (el.name === 'startHeadHtml5' && el.text !== '' && !el.text.trimStart().startsWith('<!DOCTYPE html>')) {
    warn('startHeadHtml5 must start with <!DOCTYPE html>; ERDDAP uses its default otherwise');
  } else if (el.name === 'user' && !attributeOf(el, 'username')) {
    warn('a user needs a username; ERDDAP skips it otherwise');
  }
}
