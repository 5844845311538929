// `steller import erddap`: an existing datasets.xml (read the way ERDDAP reads it) becomes one
// catalog record per dataset. Values are carried so that `steller build` writes them back
// unchanged: a value goes into a first-class field (title, summary, keywords, units) only when
// the built-in rendering reproduces it exactly, and stays verbatim in `attributes`/`options`
// otherwise. What cannot be carried (localized attributes, axis <values>, XInclude, a `${…}`
// lookup inside metadata) is listed per dataset, never dropped silently.
import { ERDDAP_ATTRIBUTE_TYPES, ERDDAP_CODE_DATASET_ID, ERDDAP_DATA_TYPES, ERDDAP_LOADABLE_DATASET_ID, type AttributeValue } from '../../schemas/model.js';
import { checkDataset } from './check.js';
import { impliedAttributeType } from './render.js';
import { ERDDAP_CLASSES, isTimeUnits, SELF_CATEGORIZED_NAMES, TOP_LEVEL_TAGS } from './rules.js';
import { attributeOf, isWholeLookup, readXml, type XmlElement } from './xml.js';

export interface ImportNote {
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Line in the imported file. */
  line: number;
}

export interface ImportedDataset {
  datasetId: string;
  line: number;
  /** The catalog file name, without .yaml: the datasetID, made a valid and case-insensitively unique dataset id. */
  fileStem: string;
  record: Record<string, unknown>;
  /** XML comments found in and just before the dataset, kept as YAML comments. */
  comments: string[];
  notes: ImportNote[];
}

export interface ImportResult {
  datasets: ImportedDataset[];
  /** Top-level tags, as steller.yaml `servers.erddap.<key>.settings`. */
  settings: Record<string, unknown>;
  /** What the server's setup.xml must say for these datasets to load (what steller.yaml `setup:` should say). */
  setup: { use_sax_parser?: true; variables_must_have_ioos_category?: false };
  notes: ImportNote[];
}

export type ImportOutcome = { ok: true; result: ImportResult } | { ok: false; message: string; line: number };

const DATA_TYPES: ReadonlySet<string> = new Set(ERDDAP_DATA_TYPES);
const CATALOG_ATTRIBUTE_TYPES: ReadonlySet<string> = new Set(ERDDAP_ATTRIBUTE_TYPES);
const CATALOG_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const CATALOG_ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export function importDatasetsXml(text: string, server: string): ImportOutcome {
  const read = readXml(text, 'erddap');
  if (!read.ok) return read;
  const { root, prolog } = read.document;
  const notes: ImportNote[] = [];
  if (!text.startsWith('<?xml ')) notes.push({ severity: 'warning', message: 'the file does not start with "<?xml " (ERDDAP\'s default reader requires it: no BOM, no leading blank)', line: 1 });
  for (const item of prolog) {
    if (item.kind === 'doctype' || item.kind === 'instruction' || item.kind === 'text') notes.push({ severity: 'warning', message: `not carried over: ${item.kind} ${item.text.slice(0, 60)}`, line: item.line });
  }
  const importer = new Importer(server, notes);
  if (root.name === 'dataset') {
    notes.push({ severity: 'info', message: 'the file is one bare <dataset> (a datasets.d fragment)', line: root.line });
    importer.topLevelDataset(root, []);
  } else if (root.name === 'erddapDatasets') {
    importer.root(root);
  } else {
    return { ok: false, message: `the root element is <${root.name}>, not <erddapDatasets>: this is not an ERDDAP datasets.xml`, line: root.line };
  }
  return { ok: true, result: importer.result() };
}

class Importer {
  private readonly datasets: ImportedDataset[] = [];
  private readonly settings = new Map<string, unknown>();
  private readonly setup: ImportResult['setup'] = {};
  private readonly seenIds = new Map<string, number>();
  private readonly stems = new Set<string>();
  private readonly pending: Pending[] = [];
  /** The from_source list each imported <dataset> element got, for checking the element as the catalog will. */
  private readonly fromSource = new WeakMap<XmlElement, ReadonlySet<string>>();

  constructor(private readonly server: string, private readonly notes: ImportNote[]) {}

  result(): ImportResult {
    for (const pending of this.pending) this.acceptLoadErrors(pending);
    return { datasets: this.datasets, settings: Object.fromEntries(this.settings), setup: this.setup, notes: this.notes };
  }

  /**
   * A dataset ERDDAP cannot load as it is still comes over unchanged: its error codes go to
   * `accept_errors`, so the build writes it (and warns) instead of refusing the whole catalog.
   */
  private acceptLoadErrors({ el, service, notes }: Pending): void {
    const codes = new Set<string>();
    const id = attributeOf(el, 'datasetID') ?? '';
    if (!ERDDAP_LOADABLE_DATASET_ID.test(id) && ERDDAP_CODE_DATASET_ID.test(id)) {
      codes.add('bad-erddap-id');
      notes.push({ severity: 'info', message: `datasetID "${id}" loads in ERDDAP but does not start with a letter as ERDDAP documents: kept, with accept_errors: [bad-erddap-id]`, line: el.line });
    }
    if (attributeOf(el, 'active') === 'false') {
      // ERDDAP does not read it, nor does the build hold it to the rules.
      if (codes.size > 0) service.accept_errors = [...codes].sort();
      return;
    }
    const problems = checkDataset(el, {
      useSaxParser: this.setup.use_sax_parser === true,
      ioosCategoryRequired: this.setup.variables_must_have_ioos_category !== false,
      fromSource: (d) => this.fromSource.get(d) ?? new Set(),
    });
    for (const problem of problems.filter((p) => p.severity === 'error')) {
      codes.add(problem.code);
      notes.push({ severity: 'error', message: `ERDDAP cannot load this dataset as it is: ${problem.message}`, line: problem.node.line });
    }
    if (codes.size > 0) service.accept_errors = [...codes].sort();
  }

  root(root: XmlElement): void {
    for (const [name] of root.attributes) this.notes.push({ severity: 'info', message: `not carried over: <erddapDatasets ${name}=…> (ERDDAP reads no attributes there)`, line: root.line });
    let comments = [...root.comments];
    let previous: XmlElement | undefined;
    let dropped = 0;
    for (const child of root.children) {
      // Comments on the lines before a dataset introduce it; one on a setting's own line is about the setting.
      const before = comments.filter((c) => c.line < child.line);
      comments = comments.filter((c) => c.line >= child.line);
      const introducing = child.name === 'dataset' ? before.filter((c) => c.line > (previous?.endLine ?? 0)) : [];
      dropped += before.length - introducing.length;
      previous = child;
      if (child.name === 'dataset') this.topLevelDataset(child, introducing.map((c) => c.text));
      else if (TOP_LEVEL_TAGS.has(child.name)) this.setting(child);
      else this.notes.push({ severity: 'warning', message: `not carried over: top-level <${child.name}>${child.name === 'xi:include' ? ' (XInclude: import the included file itself)' : ' (ERDDAP does not read it)'}`, line: child.line });
    }
    if (root.text !== '') this.notes.push({ severity: 'warning', message: `not carried over: text directly in <erddapDatasets>: "${root.text.slice(0, 60)}"`, line: root.line });
    dropped += comments.length;
    if (dropped > 0) this.notes.push({ severity: 'info', message: `${dropped} comment(s) outside datasets not carried over`, line: root.line });
  }

  private setting(el: XmlElement): void {
    const notes: ImportNote[] = [];
    const password = attributeOf(el, 'password');
    if (el.name === 'user' && password && !isWholeLookup(password)) {
      notes.push({ severity: 'warning', message: `user ${attributeOf(el, 'username') ?? ''} has a literal password, which the catalog refuses: write it as \${env:NAME} and give ERDDAP that environment variable`, line: el.line });
    }
    const value = tagValue(el, notes, 'setting');
    this.notes.push(...notes);
    addOption(this.settings, el.name, value);
  }

  topLevelDataset(el: XmlElement, commentsBefore: string[]): void {
    const id = attributeOf(el, 'datasetID') ?? '';
    const first = this.seenIds.get(id);
    if (first !== undefined) {
      this.notes.push({ severity: 'warning', message: `not carried over: a second dataset ${id} (first on line ${first}); ERDDAP loads only the first too`, line: el.line });
      return;
    }
    if (id === '') {
      this.notes.push({ severity: 'error', message: 'not carried over: a <dataset> without datasetID (ERDDAP stops loading datasets.xml there)', line: el.line });
      return;
    }
    this.seenIds.set(id, el.line);
    const notes: ImportNote[] = [];
    const parts = datasetParts(el, notes, this.setup, this.fromSource);
    const { record, service } = topLevelRecord(id, parts);
    this.fromSource.set(el, new Set((service.from_source as string[] | undefined) ?? []));
    service.server = this.server;
    this.pending.push({ el, service, notes });
    const comments = [...commentsBefore, ...collectComments(el)];
    this.datasets.push({ datasetId: id, line: el.line, fileStem: this.stemFor(id), record, comments, notes });
  }

  private stemFor(id: string): string {
    let stem = CATALOG_ID.test(id) ? id : `d_${id.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[^A-Za-z0-9]+/, '')}`;
    const base = stem;
    for (let n = 2; this.stems.has(stem.toLowerCase()); n++) stem = `${base}_${n}`;
    this.stems.add(stem.toLowerCase());
    return stem;
  }
}

interface Pending {
  el: XmlElement;
  service: Record<string, unknown>;
  notes: ImportNote[];
}

type FromSourceMap = WeakMap<XmlElement, ReadonlySet<string>>;

/** A dataset element split into what the catalog holds: class, options, attributes, variables. */
interface DatasetParts {
  id: string;
  type: string;
  active: boolean;
  options: Map<string, unknown>;
  attributes: Map<string, { text: string; type?: string; line: number }>;
  variables: Record<string, unknown>[];
  hadAddAttributes: boolean;
}

function datasetParts(el: XmlElement, notes: ImportNote[], setup: ImportResult['setup'], fromSource: FromSourceMap): DatasetParts {
  const id = attributeOf(el, 'datasetID') ?? '';
  const type = attributeOf(el, 'type') ?? '';
  const cls = ERDDAP_CLASSES[type];
  for (const [name] of el.attributes) {
    if (!['type', 'datasetID', 'active'].includes(name)) notes.push({ severity: 'info', message: `not carried over: <dataset ${name}=…> (ERDDAP ignores it)`, line: el.line });
  }
  if (!cls) notes.push({ severity: 'error', message: `"${type}" is not an ERDDAP dataset class; the catalog keeps it, and the build will report it`, line: el.line });
  if (cls?.saxOnly) setup.use_sax_parser = true;
  if (el.text !== '') notes.push({ severity: 'warning', message: `not carried over: text directly in <dataset>: "${el.text.slice(0, 60)}"`, line: el.line });
  const parts: DatasetParts = { id, type, active: attributeOf(el, 'active') !== 'false', options: new Map(), attributes: new Map(), variables: [], hadAddAttributes: false };
  for (const child of el.children) {
    if (child.name === 'addAttributes') {
      parts.hadAddAttributes = true;
      parts.attributes = attributeList(child, notes); // ERDDAP keeps the last <addAttributes>
    } else if (child.name === 'dataVariable' || child.name === 'axisVariable') {
      parts.variables.push(variableRecord(child, notes, setup));
    } else if (child.name === 'dataset') {
      addOption(parts.options, 'dataset', childRecord(child, notes, setup, fromSource));
    } else {
      addOption(parts.options, child.name, tagValue(child, notes, 'option'));
    }
  }
  if (parts.hadAddAttributes && cls && !cls.globalAttributes) {
    notes.push({ severity: 'error', message: `not carried over: <addAttributes> in a ${type}, which ERDDAP rejects there`, line: el.line });
    parts.attributes.clear();
  }
  return parts;
}

/** A repeated tag becomes a list. (A Map, so that no tag name can touch an object's prototype.) */
function addOption(options: Map<string, unknown>, name: string, value: unknown): void {
  const current = options.get(name);
  options.set(name, current === undefined ? value : Array.isArray(current) ? [...current, value] : [current, value]);
}

/** The global attributes ERDDAP cannot load without, which an imported dataset may take from its source data. */
function sourceProvided(cls: (typeof ERDDAP_CLASSES)[string] | undefined, has: (name: string) => boolean): string[] {
  if (!cls?.globalAttributes) return [];
  const names = ['title', 'summary', 'infoUrl', 'license'];
  if (!has('institution') && !has('creator_institution')) names.push('institution');
  if (cls.tableFiles) names.push('sourceUrl');
  if (cls.kind === 'table' && !has('cdm_data_type') && !has('featureType')) names.push('cdm_data_type');
  return names.filter((n) => !has(n));
}

function topLevelRecord(id: string, parts: DatasetParts): { record: Record<string, unknown>; service: Record<string, unknown> } {
  const cls = ERDDAP_CLASSES[parts.type];
  const atts = parts.attributes;
  const plain = (name: string) => {
    const att = atts.get(name);
    return att && isPlainString(att) ? att.text : undefined;
  };
  const record: Record<string, unknown> = {};
  const title = plain('title');
  record.title = title ?? id;
  if (title !== undefined) atts.delete('title');
  const summary = plain('summary');
  if (summary !== undefined) {
    record.summary = summary;
    atts.delete('summary');
  }
  const keywords = plain('keywords')?.split(', ');
  if (keywords && keywords.every((k) => k.trim() !== '' && k.trim() === k && !/[,\n]/.test(k))) {
    record.keywords = keywords;
    atts.delete('keywords');
  }
  const has = (name: string) => (name === 'title' && title !== undefined) || (name === 'summary' && summary !== undefined) || (atts.has(name) && !isDeletionText(atts.get(name)?.text));
  const fromSource = sourceProvided(cls, has);
  const attributes = catalogAttributes(atts);
  if (Object.keys(attributes).length > 0) record.attributes = attributes;
  if (parts.variables.length > 0) record.variables = parts.variables;
  const service: Record<string, unknown> = { server: '', dataset_id: id, type: parts.type };
  if (!parts.active) service.active = false;
  if (fromSource.length > 0) service.from_source = fromSource;
  if (parts.options.size > 0) service.options = Object.fromEntries(parts.options);
  record.services = { erddap: [service] };
  return { record, service };
}

function childRecord(el: XmlElement, notes: ImportNote[], setup: ImportResult['setup'], fromSourceMap: FromSourceMap): Record<string, unknown> {
  const parts = datasetParts(el, notes, setup, fromSourceMap);
  const cls = ERDDAP_CLASSES[parts.type];
  const record: Record<string, unknown> = { type: parts.type, dataset_id: parts.id };
  if (!parts.active) record.active = false;
  const fromSource = sourceProvided(cls, (name) => parts.attributes.has(name) && !isDeletionText(parts.attributes.get(name)?.text));
  if (fromSource.length > 0) record.from_source = fromSource;
  fromSourceMap.set(el, new Set(fromSource));
  if (parts.options.size > 0) record.options = Object.fromEntries(parts.options);
  const attributes = catalogAttributes(parts.attributes);
  if (Object.keys(attributes).length > 0) record.attributes = attributes;
  if (parts.variables.length > 0) record.variables = parts.variables;
  return record;
}

// ---------------------------------------------------------------------------------------------
// Attributes

function isDeletionText(text: string | undefined): boolean {
  return text === '' || text === 'null';
}

function isPlainString(att: { text: string; type?: string }): boolean {
  return (att.type === undefined || att.type === 'string' || att.type === 'String') && !isDeletionText(att.text);
}

function attributeList(block: XmlElement, notes: ImportNote[]): Map<string, { text: string; type?: string; line: number }> {
  const atts = new Map<string, { text: string; type?: string; line: number }>();
  for (const att of block.children) {
    const name = attributeOf(att, 'name');
    if (att.name !== 'att' || !name) {
      notes.push({ severity: 'warning', message: `not carried over: <${att.name}>${name ? '' : ' without a name'} in <addAttributes>`, line: att.line });
      continue;
    }
    if (attributeOf(att, 'xml:lang') !== undefined) {
      notes.push({ severity: 'warning', message: `not carried over: the ${attributeOf(att, 'xml:lang')} translation of attribute ${name} (the catalog holds one value per attribute)`, line: att.line });
      continue;
    }
    if (atts.has(name)) notes.push({ severity: 'info', message: `attribute ${name} is given twice; the last value is kept, as ERDDAP does`, line: att.line });
    const type = attributeOf(att, 'type');
    if (!CATALOG_ATTRIBUTE_NAME.test(name) && !(isDeletionText(att.text) && (type === undefined || type === 'string' || type === 'String'))) {
      notes.push({ severity: 'error', message: `attribute name "${name}" is not a catalog attribute name (letters, digits, _ . -); fix it in the YAML`, line: att.line });
    }
    if (type !== undefined && !CATALOG_ATTRIBUTE_TYPES.has(type) && !['string', 'stringList'].includes(type)) {
      notes.push({ severity: 'warning', message: `attribute ${name}: type="${type}" has no catalog equivalent; it is carried as a string`, line: att.line });
    }
    const text = literalText(att.text, `attribute ${name}`, att.line, notes, false);
    atts.set(name, { text, ...(type !== undefined ? { type } : {}), line: att.line });
  }
  return atts;
}

function catalogAttributes(atts: Map<string, { text: string; type?: string; line: number }>): Record<string, AttributeValue> {
  return Object.fromEntries([...atts].map(([name, att]) => [name, catalogAttributeValue(att.text, att.type)]));
}

/** A number whose JavaScript spelling is the text itself, so writing it back changes nothing. */
function canonicalNumber(text: string): boolean {
  return text !== '' && Number.isFinite(Number(text)) && String(Number(text)) === text;
}

const NUMERIC = new Set(['double', 'float', 'long', 'ulong', 'int', 'uint', 'short', 'ushort', 'byte', 'ubyte']);

/**
 * The catalog value that the built-in rendering writes back as `<att type=…>text</att>`: a plain
 * YAML value when the type steller implies for it is the file's, `{ value, type }` otherwise.
 */
function catalogAttributeValue(text: string, type: string | undefined): AttributeValue {
  const t = type === undefined || type === 'String' || type === 'string' ? 'string' : type === 'stringList' ? 'StringList' : type;
  if (t === 'string' || text === '') return text === 'null' ? null : text;
  if (!CATALOG_ATTRIBUTE_TYPES.has(t)) return text;
  const isList = t.endsWith('List');
  const base = isList ? t.slice(0, -4) : t;
  if (NUMERIC.has(base)) {
    const words = isList ? text.split(' ') : [text];
    if (words.every(canonicalNumber)) {
      const value: AttributeValue = isList ? words.map(Number) : Number(text);
      return impliedAttributeType(value) === t ? value : { value, type: t as never };
    }
  }
  return { value: text, type: t as never };
}

// ---------------------------------------------------------------------------------------------
// Variables

function variableRecord(el: XmlElement, notes: ImportNote[], setup: ImportResult['setup']): Record<string, unknown> {
  const text = (name: string) => el.children.find((c) => c.name === name)?.text;
  const source = text('sourceName') ?? '';
  const name = text('destinationName') || source;
  const record: Record<string, unknown> = { name };
  if (!VARIABLE_NAME.test(name)) notes.push({ severity: 'error', message: `variable "${name}" is not a valid destinationName (ERDDAP would not load it either); fix its name in the YAML`, line: el.line });
  if (source !== name) record.source_name = source;
  const dataType = text('dataType');
  if (dataType !== undefined) {
    record.type = dataType;
    if (!DATA_TYPES.has(dataType)) notes.push({ severity: 'error', message: `variable ${name}: dataType "${dataType}" is not one ERDDAP knows`, line: el.line });
  }
  if (el.name === 'axisVariable') record.axis = true;
  let atts = new Map<string, { text: string; type?: string; line: number }>();
  for (const child of el.children) {
    if (child.name === 'addAttributes') atts = attributeList(child, notes);
    else if (!['sourceName', 'destinationName', 'dataType'].includes(child.name)) {
      notes.push({ severity: 'warning', message: `not carried over: <${child.name}> in variable ${name}${child.name === 'values' ? ' (axis values given in datasets.xml)' : ''}`, line: child.line });
    }
  }
  const units = atts.get('units');
  if (units && isPlainString(units)) {
    record.units = units.text;
    atts.delete('units');
  }
  const hasCategory = atts.has('ioos_category') && !isDeletionText(atts.get('ioos_category')?.text);
  const selfCategorized = SELF_CATEGORIZED_NAMES.has(name) || (typeof record.units === 'string' && isTimeUnits(record.units));
  // ERDDAP loaded it, so the server's setup.xml does not require categories (or the files carry them).
  if (!hasCategory && !selfCategorized) setup.variables_must_have_ioos_category = false;
  const attributes = catalogAttributes(atts);
  if (Object.keys(attributes).length > 0) record.attributes = attributes;
  return record;
}

// ---------------------------------------------------------------------------------------------
// Tag values and ERDDAP's `${…}` substitution

/**
 * The text as the catalog holds it: ERDDAP reads `$${` as a literal `${`. A lookup that is the
 * whole value of a tag stays a lookup; one inside other text (or in metadata) cannot be carried.
 */
function literalText(text: string, what: string, line: number, notes: ImportNote[], lookupsAllowed: boolean): string {
  if (!text.includes('${')) return text;
  if (lookupsAllowed && isWholeLookup(text)) return text;
  const unescaped = text.replace(/\$\$\{/g, '\u0000');
  if (unescaped.includes('${')) {
    notes.push({ severity: 'warning', message: `${what} holds an ERDDAP substitution (${/\$\{[^}]*\}?/.exec(unescaped)?.[0]}) that steller writes as literal text`, line });
  }
  return unescaped.replace(/\u0000/g, () => '${');
}

function scalar(text: string): string | number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  return canonicalNumber(text) ? Number(text) : text;
}

/** A child tag's value: its text, or `{ attribute…, value: text }` when it has XML attributes. */
function tagValue(el: XmlElement, notes: ImportNote[], what: 'option' | 'setting'): unknown {
  if (el.children.length > 0) notes.push({ severity: 'warning', message: `not carried over: tags nested in <${el.name}> (ERDDAP reads a value there)`, line: el.line });
  const text = literalText(el.text, `${what} <${el.name}>`, el.line, notes, true);
  if (el.attributes.length === 0) return scalar(text);
  const value = new Map<string, string>();
  for (const [name, attr] of el.attributes) {
    if (name === 'value') notes.push({ severity: 'warning', message: `not carried over: the XML attribute "value" of <${el.name}> (steller uses value: for the text)`, line: el.line });
    else value.set(name, literalText(attr, `${what} <${el.name} ${name}>`, el.line, notes, true));
  }
  if (text !== '') value.set('value', text);
  return Object.fromEntries(value);
}

function collectComments(el: XmlElement): string[] {
  return [...el.comments.map((c) => c.text), ...el.children.flatMap(collectComments)];
}
