// The built-in rendering: one catalog dataset and its ERDDAP service become one <dataset>
// element. `options` become the class's child tags (a nested `dataset:` becomes a child
// <dataset>), global attributes (defaults merged) <addAttributes>, `variables` <axisVariable>
// and <dataVariable>. Every element remembers the catalog line it came from, so a check on the
// element reports there.
import { z } from 'zod';
import type { YamlPath } from '../../core/source.js';
import type { Dataset, ErddapService } from '../../schemas/catalog.js';
import { AttributesSchema, VariableSchema, type AttributeValue, type ErddapServer, type Variable } from '../../schemas/model.js';
import { inferIoosCategory } from './ioos-category.js';
import { defaultClass, ERDDAP_CLASSES, isTimeUnits, SELF_CATEGORIZED_NAMES, type ErddapClass } from './rules.js';
import { element, type XmlElement } from './xml.js';

export interface RenderNote {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  path: YamlPath;
  hint?: string;
}

/** What rendering learns besides the element: origins of its parts, and notes to report. */
export interface RenderTrace {
  origins: WeakMap<XmlElement, YamlPath>;
  /** Per <dataset> element: the global attributes its service says come from the source data. */
  fromSource: WeakMap<XmlElement, ReadonlySet<string>>;
  notes: RenderNote[];
}

export function newTrace(): RenderTrace {
  return { origins: new WeakMap(), fromSource: new WeakMap(), notes: [] };
}

interface AttributeEntry {
  value: AttributeValue;
  path: YamlPath;
}

/** Everything one <dataset> element is made of, for a top-level dataset and for a nested one. */
interface DatasetSpec {
  type: string;
  datasetId: string;
  active: boolean;
  options: Record<string, unknown>;
  attributes: Map<string, AttributeEntry>;
  variables: { variable: Variable; path: YamlPath }[];
  fromSource: ReadonlySet<string>;
  /** The YAML node of this dataset (the service, or its options.dataset entry). */
  path: YamlPath;
  /** Where its global attributes are written in the YAML. */
  attributesPath: YamlPath;
}

interface RenderSettings {
  server: ErddapServer;
  ioosCategoryRequired: boolean;
}

/** The ERDDAP class a service names: its `type`, or the default for tabledap/griddap. */
function serviceClass(service: ErddapService): string {
  const type = service.type;
  return type === undefined || type === 'tabledap' || type === 'griddap' ? defaultClass(service.protocol, service.options ?? {}) : type;
}

export function renderDataset(dataset: Dataset, service: ErddapService, index: number, server: ErddapServer, trace: RenderTrace): XmlElement {
  const path: YamlPath = ['services', 'erddap', index];
  const type = serviceClass(service);
  const fromSource = new Set(service.from_source ?? []);
  const attributes = new Map<string, AttributeEntry>();
  for (const [name, value] of Object.entries(dataset.attributes)) attributes.set(name, { value, path: ['attributes', name] });
  const fields: [string, AttributeValue | undefined, YamlPath][] = [
    ['title', dataset.title, ['title']],
    ['summary', dataset.summary, ['summary']],
    ['keywords', dataset.keywords.length > 0 ? dataset.keywords.join(', ') : undefined, ['keywords']],
  ];
  for (const [name, value, from] of fields) if (value !== undefined && !attributes.has(name)) attributes.set(name, { value, path: from });
  for (const [name, value] of Object.entries(service.attributes ?? {})) {
    attributes.set(name, { value, path: [...path, 'attributes', name] });
    if (fromSource.has(name)) {
      trace.notes.push({ severity: 'warning', code: 'from-source-conflict', message: `attribute ${name} is set here and listed in from_source; from_source wins and it is not written`, path: [...path, 'attributes', name] });
    }
  }
  const spec: DatasetSpec = {
    type,
    datasetId: service.dataset_id,
    active: service.active !== false,
    options: service.options ?? {},
    attributes,
    variables: dataset.variables.map((variable, k) => ({ variable, path: ['variables', k] })),
    fromSource,
    path,
    attributesPath: ['attributes'],
  };
  if (service.attributes && ERDDAP_CLASSES[type] && !ERDDAP_CLASSES[type].globalAttributes) {
    trace.notes.push({ severity: 'error', code: 'attributes-not-accepted', message: `${type} takes no global attributes (no <addAttributes>), so this service's attributes cannot be written`, path: [...path, 'attributes'],
      hint: type.endsWith('FromErddap') ? 'the remote ERDDAP supplies the metadata; remove `attributes:` from this service' : 'remove `attributes:` from this service' });
  }
  const settings = { server, ioosCategoryRequired: server.setup?.variables_must_have_ioos_category !== false };
  return datasetElement(spec, settings, trace);
}

function datasetElement(spec: DatasetSpec, settings: RenderSettings, trace: RenderTrace): XmlElement {
  const cls: ErddapClass | undefined = ERDDAP_CLASSES[spec.type];
  const track = (el: XmlElement, path: YamlPath) => {
    trace.origins.set(el, path);
    return el;
  };
  const children: XmlElement[] = [];
  const optionsPath = [...spec.path, 'options'];
  for (const [name, value] of Object.entries(spec.options)) {
    if (name === 'dataset') {
      children.push(...childDatasets(value, [...optionsPath, name], settings, trace));
    } else if (name === 'addAttributes' || name === 'dataVariable' || name === 'axisVariable') {
      trace.notes.push({ severity: 'error', code: 'structural-option', message: `<${name}> is not an option: steller writes it from the dataset's ${name === 'addAttributes' ? '`attributes`' : '`variables`'}`, path: [...optionsPath, name] });
    } else {
      children.push(...optionElements(name, optionValue(name, value, settings.server, [...optionsPath, name], trace), [...optionsPath, name], trace));
    }
  }
  if (cls?.globalAttributes) {
    if (cls.tableFiles && !spec.attributes.has('sourceUrl')) spec.attributes.set('sourceUrl', { value: '(local files)', path: spec.path });
    for (const name of spec.fromSource) spec.attributes.delete(name);
    const atts = [...spec.attributes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, entry]) => track(attElement(name, entry.value), entry.path));
    if (atts.length > 0) children.push(track(element('addAttributes', [], atts), spec.attributesPath));
  }
  if (cls) children.push(...variableElements(spec, cls, settings, trace));
  const el = track(element('dataset', [['type', spec.type], ['datasetID', spec.datasetId], ['active', String(spec.active)]], children), spec.path);
  trace.fromSource.set(el, spec.fromSource);
  return el;
}

function variableElements(spec: DatasetSpec, cls: ErddapClass, settings: RenderSettings, trace: RenderTrace): XmlElement[] {
  if (cls.dataVariables === 'none' && cls.axisVariables === 'none') return [];
  const gridded = cls.axisVariables !== 'none';
  const axes: XmlElement[] = [];
  const data: XmlElement[] = [];
  for (const { variable, path } of spec.variables) {
    if (variable.axis && !gridded) {
      trace.notes.push({ severity: 'warning', code: 'axis-ignored', message: `variable ${variable.name} is marked axis: true, but ${spec.type} has no grid axes; it is written as a data variable`, path: [...path, 'axis'] });
    }
    const isAxis = gridded && variable.axis === true;
    (isAxis ? axes : data).push(variableElement(variable, path, isAxis, settings, trace));
  }
  return [...axes, ...data];
}

function variableElement(variable: Variable, path: YamlPath, isAxis: boolean, settings: RenderSettings, trace: RenderTrace): XmlElement {
  const track = (el: XmlElement, at: YamlPath) => {
    trace.origins.set(el, at);
    return el;
  };
  const attributes = new Map<string, AttributeEntry>(Object.entries(variable.attributes ?? {}).map(([name, value]) => [name, { value, path: [...path, 'attributes', name] }]));
  if (variable.units !== undefined) {
    if (attributes.has('units')) trace.notes.push({ severity: 'error', code: 'duplicate-attribute', message: `variable ${variable.name} gives units twice (units: and attributes.units)`, path: [...path, 'units'] });
    else attributes.set('units', { value: variable.units, path: [...path, 'units'] });
  }
  inferCategory(variable, path, attributes, settings, trace);
  const children = [
    track(element('sourceName', [], variable.source_name ?? variable.name), path),
    track(element('destinationName', [], variable.name), [...path, 'name']),
  ];
  if (variable.type !== undefined && !isAxis) children.push(track(element('dataType', [], variable.type), [...path, 'type']));
  if (attributes.size > 0) {
    const atts = [...attributes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, entry]) => track(attElement(name, entry.value), entry.path));
    children.push(track(element('addAttributes', [], atts), path));
  }
  return track(element(isAxis ? 'axisVariable' : 'dataVariable', [], children), path);
}

function inferCategory(variable: Variable, path: YamlPath, attributes: Map<string, AttributeEntry>, settings: RenderSettings, trace: RenderTrace): void {
  if (!settings.ioosCategoryRequired || attributes.has('ioos_category')) return;
  const units = attributes.get('units')?.value;
  if (SELF_CATEGORIZED_NAMES.has(variable.name) || (typeof units === 'string' && isTimeUnits(units))) return;
  const standardName = variable.attributes?.standard_name;
  const name = typeof standardName === 'string' ? standardName : undefined;
  const category = inferIoosCategory(name, typeof units === 'string' ? units : undefined);
  if (category === undefined) return; // the check reports the missing category
  attributes.set('ioos_category', { value: category, path });
  const from = name !== undefined && inferIoosCategory(name, undefined) === category ? `standard_name ${name}` : `units ${String(units)}`;
  trace.notes.push({ severity: 'warning', code: 'ioos-category-inferred', message: `variable ${variable.name} has no ioos_category; "${category}" was inferred from ${from}`, path,
    hint: `write \`ioos_category: ${category}\` in its attributes to make it explicit` });
}

// ---------------------------------------------------------------------------------------------
// Attributes

const INT_MAX = 2 ** 31 - 1;

function numberType(values: readonly number[]): 'int' | 'long' | 'double' {
  if (values.every((v) => Number.isInteger(v) && Math.abs(v) <= INT_MAX)) return 'int';
  return values.every((v) => Number.isSafeInteger(v)) ? 'long' : 'double';
}

/** The ERDDAP type steller writes for a plain YAML value (undefined: a string, no type= needed). */
export function impliedAttributeType(value: AttributeValue): string | undefined {
  if (typeof value === 'number') return numberType([value]);
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number')) return `${numberType(value as number[])}List`;
  return undefined;
}

/** The text steller writes for an attribute value: numbers as JavaScript prints them, lists space-separated. */
function attributeText(value: Exclude<AttributeValue, { type: string }>, type: string | undefined): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map(String).join(type === undefined || type === 'string' || type === 'String' ? ', ' : ' ');
  return String(value);
}

/**
 * `<att name=… type=…>`: the type from the YAML value (integer → int or long, other numbers →
 * double, number lists → …List, booleans and strings → string), unless `{ value, type }` pins it.
 * `null` writes ERDDAP's deletion marker.
 */
export function attElement(name: string, value: AttributeValue): XmlElement {
  const typed = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  const plain = typed ? typed.value : (value as Exclude<AttributeValue, { type: string }>);
  const type = typed ? typed.type : impliedAttributeType(plain);
  const attributes: [string, string][] = [['name', name]];
  if (type !== undefined && type !== 'String' && type !== 'string') attributes.push(['type', type]);
  return element('att', attributes, attributeText(plain, type));
}

// ---------------------------------------------------------------------------------------------
// Options (child tags) and nested datasets

/** A relative fileDir is under the server's `file_dir`; ERDDAP wants directories with a trailing slash. */
function optionValue(name: string, value: unknown, server: ErddapServer, path: YamlPath, trace: RenderTrace): unknown {
  if (name !== 'fileDir' || typeof value !== 'string' || value === '' || /^(\/|[A-Za-z]:[\\/]|[a-z][a-z0-9+.-]*:\/\/)/i.test(value)) return value;
  if (!server.file_dir) {
    trace.notes.push({ severity: 'warning', code: 'relative-file-dir', message: `fileDir "${value}" is relative and the server has no file_dir; ERDDAP would resolve it against its working directory`, path,
      hint: 'give an absolute path, or set `file_dir:` on the server in steller.yaml' });
    return value;
  }
  return `${server.file_dir.replace(/\/+$/, '')}/${value.replace(/^\.\//, '').replace(/\/*$/, '/')}`;
}

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * One option as child tags: a scalar is the tag's text, a list repeats the tag, a mapping gives
 * the tag's XML attributes with `value` as its text (`sourceUrls: { regex: …, value: URL }`).
 * A whole-value `${…}` lookup is kept for ERDDAP to substitute; any other `${` is escaped.
 */
export function optionElements(name: string, value: unknown, path: YamlPath, trace: RenderTrace): XmlElement[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => optionElements(name, item, [...path, i], trace));
  const el = element(name);
  el.lookup = true;
  trace.origins.set(el, path);
  if (value === null || value === undefined) return [el];
  if (isScalar(value)) {
    el.text = String(value);
    return [el];
  }
  if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (!isScalar(item) && item !== null) {
        trace.notes.push({ severity: 'error', code: 'bad-option', message: `option ${name}.${key} must be a plain value (it becomes an XML attribute or the text of <${name}>)`, path: [...path, key] });
      } else if (key === 'value') {
        el.text = item === null ? '' : String(item);
      } else {
        el.attributes.push([key, item === null ? '' : String(item)]);
      }
    }
    return [el];
  }
  trace.notes.push({ severity: 'error', code: 'bad-option', message: `option ${name} has a value steller cannot write`, path });
  return [];
}

/** A nested `<dataset>` (EDDGridLonPM180, EDDGridSideBySide, EDDTableCopy, …), written like a service. */
const ChildDatasetSchema = z.strictObject({
  type: z.string().min(1),
  dataset_id: z.string().min(1),
  active: z.boolean().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
  attributes: AttributesSchema.optional(),
  variables: z.array(VariableSchema).optional(),
  from_source: z.array(z.string().min(1)).optional(),
});

function childDatasets(value: unknown, path: YamlPath, settings: RenderSettings, trace: RenderTrace): XmlElement[] {
  const items = Array.isArray(value) ? value.map((v, i) => [v, [...path, i]] as const) : [[value, path] as const];
  const out: XmlElement[] = [];
  for (const [item, at] of items) {
    const parsed = ChildDatasetSchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        trace.notes.push({ severity: 'error', code: 'bad-child-dataset', message: `nested dataset: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`, path: [...at, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))],
          hint: 'a nested dataset is { type, dataset_id, options, attributes, variables, active, from_source }' });
      }
      continue;
    }
    const child = parsed.data;
    const protocol = child.type === 'griddap' || child.type.startsWith('EDDGrid') ? 'griddap' : 'tabledap';
    const type = child.type === 'tabledap' || child.type === 'griddap' ? defaultClass(protocol, child.options ?? {}) : child.type;
    out.push(datasetElement({
      type,
      datasetId: child.dataset_id,
      active: child.active !== false,
      options: child.options ?? {},
      attributes: new Map(Object.entries(child.attributes ?? {}).map(([name, v]) => [name, { value: v, path: [...at, 'attributes', name] }])),
      variables: (child.variables ?? []).map((variable, k) => ({ variable, path: [...at, 'variables', k] })),
      fromSource: new Set(child.from_source ?? []),
      path: at,
      attributesPath: [...at, 'attributes'],
    }, settings, trace));
  }
  return out;
}
