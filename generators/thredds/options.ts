// `options.datasetScan` and `options.featureCollection` of a THREDDS service, turned into the
// elements of the InvCatalog schema. One declarative table per element (attributes with their
// types, children in schema order) drives both this conversion and the importer's reverse one,
// so what `import thredds` writes is exactly what the build reads back.
import { didYouMean } from '../../core/suggest.js';
import type { YamlPath } from '../../core/source.js';
import { el, type XmlElement } from './xml.js';

export type AttributeType = 'string' | 'boolean' | 'number';

export interface ElementSpec {
  attributes?: Record<string, AttributeType>;
  /** Child elements in schema order. */
  children?: readonly ChildSpec[];
  required?: readonly string[];
  /** Attributes or children only InvCatalog 1.3 (TDS 5) has; 1.0.7 rejects them. */
  onlyIn13?: readonly string[];
}

export interface ChildSpec {
  name: string;
  spec: ElementSpec;
  repeats?: boolean;
}

export interface OptionProblem {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  path: YamlPath;
  hint?: string;
}

const selector: ElementSpec = { attributes: { regExp: 'string', wildcard: 'string', atomic: 'boolean', collection: 'boolean' } };
const namerSelector: ElementSpec = { attributes: { regExp: 'string', replaceString: 'string' } };
const latest: ElementSpec = { attributes: { name: 'string', top: 'boolean', serviceName: 'string' } };

/** datasetScan (InvCatalog 1.3 and 1.0.7; `sort` and `addProxies` are the forms both schemas and TDS 5 accept). */
export const DATASET_SCAN: ElementSpec = {
  attributes: { location: 'string', addLatest: 'boolean', excludeEmptyDirs: 'boolean' },
  onlyIn13: ['excludeEmptyDirs'],
  children: [
    { name: 'filter', spec: { children: [{ name: 'include', spec: selector, repeats: true }, { name: 'exclude', spec: selector, repeats: true }] } },
    { name: 'namer', spec: { children: [{ name: 'regExpOnName', spec: namerSelector, repeats: true }, { name: 'regExpOnPath', spec: namerSelector, repeats: true }] } },
    { name: 'sort', spec: { children: [{ name: 'lexigraphicByName', spec: { attributes: { increasing: 'boolean' } } }] } },
    { name: 'addProxies', spec: { children: [
      { name: 'simpleLatest', spec: latest, repeats: true },
      { name: 'latestComplete', spec: { attributes: { ...latest.attributes, lastModifiedLimit: 'number' } }, repeats: true },
    ] } },
    { name: 'addTimeCoverage', spec: { attributes: {
      datasetNameMatchPattern: 'string', datasetPathMatchPattern: 'string', startTimeSubstitutionPattern: 'string', duration: 'string',
    } } },
  ],
};

const nameValue: ElementSpec = { attributes: { name: 'string', value: 'string' }, required: ['name', 'value'] };

export const FEATURE_COLLECTION: ElementSpec = {
  attributes: { featureType: 'string' },
  required: ['featureType', 'collection'],
  onlyIn13: ['filesSort'],
  children: [
    { name: 'collection', spec: {
      attributes: { spec: 'string', name: 'string', olderThan: 'string', dateFormatMark: 'string', timePartition: 'string', useIndexOnly: 'boolean' },
      required: ['spec'],
    } },
    { name: 'update', spec: { attributes: { recheckAfter: 'string', rescan: 'string', rewrite: 'string', startup: 'string', trigger: 'string' } } },
    { name: 'tdm', spec: { attributes: { rewrite: 'string', rescan: 'string' }, children: [{ name: 'manage', spec: { attributes: { deleteAfter: 'string' }, required: ['deleteAfter'] } }] } },
    { name: 'protoDataset', spec: { attributes: { choice: 'string', change: 'string', param: 'string' } } },
    { name: 'fmrcConfig', spec: {
      attributes: { regularize: 'boolean', datasetTypes: 'string' },
      onlyIn13: ['bestDataset'],
      children: [{ name: 'bestDataset', spec: { attributes: { name: 'string', offsetsGreaterEqual: 'number' }, required: ['name', 'offsetsGreaterEqual'] }, repeats: true }],
    } },
    { name: 'pointConfig', spec: { attributes: { datasetTypes: 'string' } } },
    { name: 'gribConfig', spec: {
      attributes: { datasetTypes: 'string' },
      children: [
        { name: 'gdsHash', spec: { attributes: { from: 'number', to: 'number' }, required: ['from', 'to'] } },
        { name: 'gdsName', spec: { attributes: { hash: 'number', groupName: 'string' } }, repeats: true },
        { name: 'intvFilter', spec: {
          attributes: { excludeZero: 'boolean', intvLength: 'number' },
          children: [{ name: 'variable', spec: { attributes: { id: 'string', prob: 'string' }, required: ['id'] }, repeats: true }],
        }, repeats: true },
        { name: 'filter', spec: { children: [{ name: 'include', spec: nameValue, repeats: true }] }, repeats: true },
        { name: 'timeUnitConvert', spec: { attributes: { from: 'number', to: 'number' }, required: ['from', 'to'] } },
        { name: 'option', spec: nameValue, repeats: true },
        { name: 'latestNamer', spec: { attributes: { name: 'string' }, required: ['name'] } },
        { name: 'bestNamer', spec: { attributes: { name: 'string' }, required: ['name'] } },
      ],
    } },
    { name: 'filesSort', spec: { attributes: { increasing: 'boolean' } } },
  ],
};

/** featureType values netCDF-Java parses (FeatureCollectionType, read with the case-sensitive Enum.valueOf). */
export const FEATURE_TYPES = ['GRIB1', 'GRIB2', 'GRID', 'FMRC', 'Point', 'Station', 'Station_Profile'] as const;
const POINT_FEATURE_TYPES: ReadonlySet<string> = new Set(['Point', 'Station', 'Station_Profile']);

export function isPointFeatureType(featureType: string): boolean {
  return POINT_FEATURE_TYPES.has(featureType);
}

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The element `name` for an options mapping, with every problem found (unknown keys, wrong types,
 * missing required parts) at its YAML path. `base` holds the attributes the caller sets itself.
 */
export function optionsElement(
  name: string, spec: ElementSpec, value: unknown, path: YamlPath, problems: OptionProblem[], base: Record<string, string | undefined> = {},
): XmlElement {
  const element = el(name, base);
  if (!isPlain(value)) {
    problems.push({ severity: 'error', code: 'thredds-bad-option', message: `${name} must be a mapping`, path });
    return element;
  }
  const attributes = spec.attributes ?? {};
  const children = spec.children ?? [];
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(attributes, key) || children.some((c) => c.name === key)) continue;
    const known = [...Object.keys(attributes), ...children.map((c) => c.name)];
    const suggestion = didYouMean(key, known);
    problems.push({
      severity: 'error', code: 'thredds-unknown-option', message: `${name} has no "${key}"`, path: [...path, key],
      hint: suggestion ? `did you mean '${suggestion}'?` : known.length ? `known: ${known.join(', ')}` : undefined,
    });
  }
  for (const required of spec.required ?? []) {
    if (value[required] === undefined) problems.push({ severity: 'error', code: 'thredds-missing-option', message: `${name} needs "${required}"`, path });
  }
  for (const key of spec.onlyIn13 ?? []) {
    if (value[key] !== undefined) {
      problems.push({
        severity: 'warning', code: 'thredds-schema-1.3-only', message: `${name} "${key}" exists only in InvCatalog 1.3 (TDS 5); TDS 4 catalogs (schema 1.0.7) reject it`,
        path: [...path, key],
      });
    }
  }
  for (const [key, type] of Object.entries(attributes)) {
    const text = attributeText(value[key], type);
    if (value[key] === undefined) continue;
    if (text === undefined) {
      problems.push({ severity: 'error', code: 'thredds-bad-option', message: `${name} ${key} must be ${type === 'string' ? 'text' : `a ${type}`}`, path: [...path, key] });
    } else {
      element.attributes.push({ name: key, ns: '', value: text });
    }
  }
  for (const child of children) {
    const item = value[child.name];
    if (item === undefined) continue;
    const items = child.repeats && Array.isArray(item) ? item : [item];
    items.forEach((entry, i) => {
      const at = child.repeats && Array.isArray(item) ? [...path, child.name, i] : [...path, child.name];
      element.children.push(optionsElement(child.name, child.spec, entry, at, problems));
    });
  }
  return element;
}

/** XSD booleans are lower-case only; numbers are printed as written. */
function attributeText(value: unknown, type: AttributeType): string | undefined {
  if (type === 'boolean') {
    if (typeof value === 'boolean') return String(value);
    return value === 'true' || value === 'false' ? value : undefined;
  }
  if (type === 'number') {
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return typeof value === 'string' && /^[+-]?\d+(\.\d+)?$/.test(value) ? value : undefined;
  }
  // YAML reads `startup: true` as a boolean; the TDS reads the text "true" all the same.
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/**
 * The reverse: an element back into options, following the same table. What the table does
 * not know is returned as `dropped` (element and attribute names) for the import report.
 */
export function elementOptions(element: XmlElement, spec: ElementSpec, dropped: string[], skipAttributes: readonly string[] = []): Plain {
  const out: Plain = {};
  const attributes = spec.attributes ?? {};
  for (const a of element.attributes) {
    if (skipAttributes.includes(a.name) && a.ns === '') continue;
    const type = a.ns === '' ? attributes[a.name] : undefined;
    if (type === undefined) dropped.push(`${element.name}@${a.name}`);
    else out[a.name] = type === 'boolean' ? a.value.trim().toLowerCase() === 'true' : type === 'number' && /^-?\d+(\.\d+)?$/.test(a.value.trim()) ? Number(a.value) : a.value;
  }
  for (const child of element.children) {
    if (typeof child === 'string') continue;
    const childSpec = (spec.children ?? []).find((c) => c.name === child.name);
    if (!childSpec) {
      dropped.push(`${element.name}/${child.name}`);
      continue;
    }
    const value = elementOptions(child, childSpec.spec, dropped);
    if (!childSpec.repeats) out[child.name] = value;
    else out[child.name] = [...((out[child.name] as Plain[] | undefined) ?? []), value];
  }
  return out;
}
