// ERDDAP's load-time rules, applied to a rendered <dataset> element (built in or from a template)
// before it goes into datasets.xml. An element that passes loads in ERDDAP as far as datasets.xml
// alone can tell; what depends on the data files (source attributes, file contents) cannot be
// checked here, so a rule that needs it is a warning, not an error.
import { didYouMean } from '../../core/suggest.js';
import { javaRegexProblem } from './java-regex.js';
import {
  ATTRIBUTE_NAME, ATTRIBUTE_TYPES, BOOLEAN_TAGS, CDM_DATA_TYPES, CLASS_NAMES, DATA_TYPES, DESTINATION_NAME, DOCUMENTED_DATASET_ID,
  ENUMERATED_TAGS, ERDDAP_CLASSES, INTEGER_TAGS, IOOS_CATEGORIES, isTimeUnits, LOADABLE_DATASET_ID, REGEX_TAGS, SELF_CATEGORIZED_NAMES,
  VARIABLE_TAGS, type ErddapClass,
} from './rules.js';
import { attributeOf, FORBIDDEN_XML_CHARS, type XmlElement } from './xml.js';

export interface Problem {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  hint?: string;
  /** The element the problem is in; the generator maps it back to a catalog line. */
  node: XmlElement;
  /** For a <dataset> node: the key of the dataset's YAML the problem is about (type, dataset_id, options). */
  field?: 'type' | 'dataset_id' | 'options';
}

export interface CheckOptions {
  /** setup.xml <useSaxParser>: only then do SAX-only classes load. */
  useSaxParser: boolean;
  /** setup.xml <variablesMustHaveIoosCategory> (default true). */
  ioosCategoryRequired: boolean;
  /** Global attributes ERDDAP finds in a dataset's source data, so they need not be in addAttributes. */
  fromSource: (dataset: XmlElement) => ReadonlySet<string>;
}

/** Tags ERDDAP reads repeatedly; any other repeated tag keeps only its last value. */
const REPEATABLE = new Set(['onChange', 'connectionProperty', 'sourceUrl', 'sourceUrls', 'dataVariable', 'axisVariable', 'dataset']);
/** XML attributes ERDDAP reads on child tags (EDDGridAggregateExistingDimension.java, EDDTableFromDatabase.java). */
const TAG_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  sourceUrls: ['serverType', 'regex', 'recursive', 'pathRegex'],
  connectionProperty: ['name'],
};
const DATASET_ATTRIBUTES = new Set(['type', 'datasetID', 'active']);
/** Tags most fromXml still recognize only to fail the dataset (EDDTableFromFiles.java:282); EDDTableFromSOS still reads it. */
const NO_LONGER_SUPPORTED = new Set(['altitudeMetersPerSourceUnit']);
/** Settings ERDDAP takes as global attributes, often mistaken for tags (EDDTableFromMultidimNcFiles.java:151 reads treatDimensionsAs). */
const ATTRIBUTES_NOT_TAGS = new Set(['treatDimensionsAs', 'subsetVariables', 'cdm_data_type', 'cdm_timeseries_variables', 'cdm_profile_variables',
  'cdm_trajectory_variables', 'cdm_altitude_proxy', 'title', 'summary', 'institution', 'infoUrl', 'license', 'keywords']);
const IOOS_LOWER = new Map(IOOS_CATEGORIES.map((c) => [c.toLowerCase(), c]));
const CDM_LOWER = new Map(CDM_DATA_TYPES.map((c) => [c.toLowerCase(), c]));
const DATA_TYPE_SET: ReadonlySet<string> = new Set(DATA_TYPES);
const DSG_ROLES = ['profile', 'timeseries', 'trajectory'] as const;

/** An empty value or `null` asks ERDDAP to delete the source attribute (EDD.java:2001-2006). */
function isDeletion(att: XmlElement): boolean {
  return att.text === '' || (att.text === 'null' && ['string', 'String', undefined].includes(attributeOf(att, 'type')));
}

export function checkDataset(el: XmlElement, options: CheckOptions): Problem[] {
  const problems: Problem[] = [];
  new DatasetChecker(options, problems).dataset(el, undefined);
  return problems;
}

class DatasetChecker {
  constructor(private readonly options: CheckOptions, private readonly problems: Problem[]) {}

  private error(code: string, message: string, node: XmlElement, hint?: string, field?: Problem['field']): void {
    this.problems.push({ severity: 'error', code, message, node, ...(hint ? { hint } : {}), ...(field ? { field } : {}) });
  }

  private warning(code: string, message: string, node: XmlElement, hint?: string): void {
    this.problems.push({ severity: 'warning', code, message, node, ...(hint ? { hint } : {}) });
  }

  dataset(el: XmlElement, parent: { id: string; expected: 'grid' | 'table' } | undefined): void {
    const id = attributeOf(el, 'datasetID') ?? '';
    const type = attributeOf(el, 'type');
    const label = `dataset ${id || '(no datasetID)'}`;
    this.characters(el);
    for (const [name] of el.attributes) {
      if (!DATASET_ATTRIBUTES.has(name)) this.warning('ignored-xml-attribute', `${label}: ERDDAP ignores the <dataset> attribute ${name}`, el, 'only type, datasetID and active are read');
    }
    if (parent) this.childId(el, id, parent.id);
    if (type === undefined || type === '') {
      this.error('missing-erddap-class', `${label} has no type (the ERDDAP class, e.g. EDDTableFromNcFiles)`, el, undefined, 'type');
      return;
    }
    const cls = ERDDAP_CLASSES[type];
    if (!cls) {
      const suggestion = didYouMean(type, CLASS_NAMES);
      this.error('unknown-erddap-class', `${label}: "${type}" is not an ERDDAP dataset class`, el,
        suggestion ? `did you mean ${suggestion}?` : 'use tabledap, griddap, or a class such as EDDTableFromNcFiles, EDDGridFromDap, EDDTableFromErddap', 'type');
      return;
    }
    if (parent && cls.kind !== parent.expected) this.error('wrong-child-kind', `${label}: a ${type} cannot be nested here; the parent needs an EDD${parent.expected === 'grid' ? 'Grid' : 'Table'} child`, el, undefined, 'type');
    if (cls.saxOnly && !this.options.useSaxParser) {
      this.error('sax-only-class', `${label}: ${type} loads only with ERDDAP's SAX parser; with the default parser its tags abort the rest of datasets.xml`, el,
        'set `setup: { use_sax_parser: true }` on the server in steller.yaml if its setup.xml has <useSaxParser>true</useSaxParser>', 'type');
    }
    const context: Context = { el, cls, type, id, label };
    this.children(context);
    this.required(context);
    if (cls.globalAttributes) this.globalAttributes(context);
  }

  private childId(el: XmlElement, id: string, parentId: string): void {
    if (!LOADABLE_DATASET_ID.test(id)) {
      this.error('bad-erddap-id', `nested dataset: datasetID "${id}" must be a letter followed by letters, digits, _ or -`, el, undefined, 'dataset_id');
    } else if (!DOCUMENTED_DATASET_ID.test(id)) {
      this.warning('erddap-id-style', `nested dataset: datasetID "${id}" loads, but ERDDAP documents a letter followed by letters, digits or _`, el);
    }
    if (id === parentId) this.error('child-id-equals-parent', `nested dataset: datasetID "${id}" must differ from its parent's`, el, undefined, 'dataset_id');
  }

  private characters(el: XmlElement): void {
    const bad = findForbiddenCharacter(el);
    if (bad) this.error('bad-character', `a value holds a control character that XML cannot carry: ${JSON.stringify(bad.value.slice(0, 60))}`, bad.node, 'remove it from the catalog value');
  }

  private children(ctx: Context): void {
    const { el, cls, type, label } = ctx;
    const seen = new Map<string, number>();
    const variables: XmlElement[] = [];
    const children: XmlElement[] = [];
    for (const child of el.children) {
      seen.set(child.name, (seen.get(child.name) ?? 0) + 1);
      if (seen.get(child.name) === 2 && !REPEATABLE.has(child.name)) {
        this.warning('repeated-tag', `${label}: <${child.name}> is given more than once; ERDDAP keeps only the last`, child);
      }
      if (child.name === 'addAttributes') {
        if (cls.globalAttributes) this.attributes(child, label);
        else this.error('tag-not-accepted', `${label}: ${type} takes no <addAttributes>; ERDDAP would abort the rest of datasets.xml here`, child,
          type.endsWith('FromErddap') ? 'the remote ERDDAP supplies the metadata; ERDDAP rejected adding attributes here (ERDDAP/erddap#12)' : undefined);
      } else if (child.name === 'dataVariable' || child.name === 'axisVariable') {
        const accepted = child.name === 'dataVariable' ? cls.dataVariables : cls.axisVariables;
        if (accepted === 'none') this.error('tag-not-accepted', `${label}: ${type} takes no <${child.name}>; ERDDAP would abort the rest of datasets.xml here`, child);
        else variables.push(child);
      } else if (child.name === 'dataset') {
        if (cls.children) children.push(child);
        else this.error('tag-not-accepted', `${label}: ${type} takes no nested <dataset>`, child);
      } else {
        this.valueTag(ctx, child);
      }
    }
    this.variables(ctx, variables);
    if (cls.children) {
      const { min, max, kind } = cls.children;
      if (children.length < min || children.length > max) {
        this.error('child-dataset-count', `${label}: ${type} needs ${min === max ? `exactly ${min}` : `at least ${min}`} nested <dataset>, found ${children.length}`, el,
          'give the child in options, e.g. `dataset: { type: EDDGridFromErddap, dataset_id: ..., options: { sourceUrl: ... } }`');
      }
      for (const child of children) this.dataset(child, { id: ctx.id, expected: kind });
    }
  }

  private valueTag(ctx: Context, tag: XmlElement): void {
    const { cls, type, label } = ctx;
    if (NO_LONGER_SUPPORTED.has(tag.name) && !cls.tags.has(tag.name)) {
      this.error('tag-no-longer-supported', `${label}: ERDDAP fails a dataset with <${tag.name}> ("stop using" it, EDVAlt.stopUsingAltitudeMetersPerSourceUnit)`, tag,
        'remove it, and scale the altitude with scale_factor in the variable\'s attributes');
      return;
    }
    if (!cls.tags.has(tag.name)) {
      const suggestion = didYouMean(tag.name, [...cls.tags]);
      this.error('tag-not-accepted', `${label}: ${type} does not accept <${tag.name}>; ERDDAP's default parser would abort the rest of datasets.xml here`, tag,
        ATTRIBUTES_NOT_TAGS.has(tag.name) ? `${tag.name} is a global attribute in ERDDAP: move it to \`attributes:\``
          : suggestion ? `did you mean ${suggestion}?` : `${type} accepts: ${[...cls.tags].sort().join(', ')}`);
      return;
    }
    if (tag.children.length > 0) {
      this.error('tag-not-accepted', `${label}: <${tag.name}> holds a value, not nested tags (<${tag.children[0].name}>)`, tag);
      return;
    }
    const known = TAG_ATTRIBUTES[tag.name] ?? [];
    for (const [name, value] of tag.attributes) {
      if (!known.includes(name)) this.warning('ignored-xml-attribute', `${label}: ERDDAP ignores the attribute ${name} of <${tag.name}>`, tag);
      else if (name === 'regex' || name === 'pathRegex') this.regex(label, `<${tag.name} ${name}>`, value, tag);
    }
    const value = tag.text;
    if (REGEX_TAGS.has(tag.name) && value !== '') this.regex(label, `<${tag.name}>`, value, tag);
    if (INTEGER_TAGS.has(tag.name) && value !== '' && !/^[+-]?\d+$/.test(value)) {
      this.warning('not-an-integer', `${label}: <${tag.name}>${value}</${tag.name}> is not an integer; ERDDAP silently uses its default`, tag);
    }
    if (BOOLEAN_TAGS.has(tag.name) && value !== '' && !/^(true|false)$/i.test(value)) {
      this.warning('not-a-boolean', `${label}: <${tag.name}> should be true or false, not "${value}"`, tag);
    }
    const allowed = ENUMERATED_TAGS[tag.name];
    if (allowed && !allowed.includes(value)) {
      this.error('bad-tag-value', `${label}: <${tag.name}> must be ${allowed.map((a) => `"${a}"`).join(' or ')}, not "${value}"`, tag);
    }
  }

  private regex(label: string, where: string, pattern: string, node: XmlElement): void {
    const problem = javaRegexProblem(pattern);
    if (problem) this.error('bad-regex', `${label}: ${where} "${pattern}" is not a valid Java regular expression: ${problem}`, node,
      'ERDDAP uses Java regexes: e.g. ".*\\.nc" for all .nc files (a glob such as "*.nc" is not a regex)');
  }

  private required(ctx: Context): void {
    const { el, cls, type, label } = ctx;
    for (const name of cls.required) {
      const tag = el.children.find((c) => c.name === name);
      if (!tag || tag.text === '') {
        this.error('missing-tag', `${label}: ${type} needs <${name}>`, tag ?? el, `set \`${name}:\` in the service's options`, 'options');
      }
    }
    const tag = (name: string) => el.children.filter((c) => c.name === name).at(-1);
    const columnNamesRow = Number(tag('columnNamesRow')?.text ?? 1);
    const firstDataRow = Number(tag('firstDataRow')?.text ?? 2);
    if (cls.tableFiles && Number.isInteger(columnNamesRow) && Number.isInteger(firstDataRow) && firstDataRow <= columnNamesRow) {
      this.error('bad-tag-value', `${label}: firstDataRow (${firstDataRow}) must be greater than columnNamesRow (${columnNamesRow})`, tag('firstDataRow') ?? el, undefined, 'options');
    }
    const extract = tag('extractRegex');
    const column = tag('columnNameForExtract');
    if (cls.tableFiles && Boolean(extract?.text) !== Boolean(column?.text)) {
      this.error('bad-tag-value', `${label}: extractRegex and columnNameForExtract must be given together`, extract ?? column ?? el, undefined, 'options');
    }
    const sourceUrl = tag('sourceUrl');
    const remote = type === 'EDDTableFromErddap' ? 'tabledap' : type === 'EDDGridFromErddap' ? 'griddap' : undefined;
    if (sourceUrl?.text && remote && !sourceUrl.text.includes(`/${remote}/`)) {
      this.error('bad-source-url', `${label}: a ${type} sourceUrl must be a remote .../${remote}/<datasetID> URL, not ${sourceUrl.text}`, sourceUrl);
    }
  }

  private attributes(block: XmlElement, label: string): Map<string, XmlElement> {
    const byName = new Map<string, XmlElement>();
    for (const att of block.children) {
      if (att.name !== 'att' || att.children.length > 0) {
        this.error('tag-not-accepted', `${label}: <addAttributes> holds only <att> elements, not <${att.children.length > 0 ? att.children[0].name : att.name}>`, att);
        continue;
      }
      const name = attributeOf(att, 'name');
      if (!name) {
        this.error('bad-attribute', `${label}: an <att> has no name`, att);
        continue;
      }
      if (byName.has(name)) this.warning('repeated-attribute', `${label}: attribute ${name} is given twice; ERDDAP keeps the last`, att);
      byName.set(name, att);
      if (!ATTRIBUTE_NAME.test(name) && !isDeletion(att)) {
        this.error('bad-attribute-name', `${label}: attribute name "${name}" is not allowed by ERDDAP (a letter or _, then letters, digits, _)`, att);
      }
      const type = attributeOf(att, 'type');
      if (type !== undefined && !ATTRIBUTE_TYPES.has(type)) {
        this.error('bad-attribute-type', `${label}: attribute ${name} has type="${type}", which ERDDAP does not know`, att,
          `use one of ${[...DATA_TYPES, 'string'].join(', ')}, or one with List (e.g. doubleList)`);
      } else if (type !== undefined && !isDeletion(att) && !numericValuesParse(type, att.text)) {
        this.warning('attribute-not-a-number', `${label}: attribute ${name} (type ${type}) holds "${att.text.slice(0, 60)}"; ERDDAP stores what does not parse as a missing value`, att);
      }
    }
    return byName;
  }

  private variables(ctx: Context, variables: XmlElement[]): void {
    const { el, cls, type, label } = ctx;
    const axes = variables.filter((v) => v.name === 'axisVariable');
    const data = variables.filter((v) => v.name === 'dataVariable');
    if (cls.dataVariables === 'required' && data.length === 0) {
      this.error('missing-variables', `${label}: ${type} needs at least one data variable`, el, 'list the dataset\'s `variables:`');
    }
    if (cls.axisVariables === 'required' && axes.length === 0) {
      this.error('missing-axis-variables', `${label}: ${type} needs its grid axes`, el, 'mark the axis variables with `axis: true`, slowest-varying first (e.g. time, latitude, longitude)');
    }
    const sources = new Set<string>();
    const destinations = new Set<string>();
    for (const v of variables) {
      const info = this.variable(ctx, v);
      if (!info) continue;
      if (sources.has(info.source) && !info.source.startsWith('=')) this.error('duplicate-variable', `${label}: two variables have sourceName "${info.source}"`, v);
      if (destinations.has(info.destination)) this.error('duplicate-variable', `${label}: two variables have destinationName "${info.destination}"`, v);
      sources.add(info.source);
      destinations.add(info.destination);
    }
    if (cls.kind === 'table' && destinations.has('altitude') && destinations.has('depth')) {
      this.error('altitude-and-depth', `${label}: a table may have an altitude or a depth variable, not both (EDDTable.java:651)`, el);
    }
  }

  private variable(ctx: Context, v: XmlElement): { source: string; destination: string } | undefined {
    const { cls, label } = ctx;
    const allowed = VARIABLE_TAGS[v.name as keyof typeof VARIABLE_TAGS];
    let attributes = new Map<string, XmlElement>();
    for (const child of v.children) {
      if (!allowed.has(child.name) || (child.name !== 'addAttributes' && child.children.length > 0)) {
        this.error('tag-not-accepted', `${label}: <${v.name}> does not accept <${child.name}>; ERDDAP would abort the rest of datasets.xml here`, child);
      } else if (child.name === 'addAttributes') {
        attributes = this.attributes(child, label);
      }
    }
    const text = (name: string) => v.children.find((c) => c.name === name)?.text;
    const source = text('sourceName') ?? '';
    if (source === '') {
      this.error('missing-source-name', `${label}: a <${v.name}> has no sourceName`, v);
      return undefined;
    }
    const destination = text('destinationName') || source;
    const named = `${label}: variable ${destination}`;
    if (!DESTINATION_NAME.test(destination)) {
      this.error('bad-destination-name', `${named}: destinationName "${destination}" must be a letter followed by letters, digits or _`, v);
    }
    const dataType = text('dataType');
    if (dataType !== undefined && !DATA_TYPE_SET.has(dataType)) {
      const suggestion = didYouMean(dataType, DATA_TYPES);
      this.error('bad-data-type', `${named}: dataType "${dataType}" is not one ERDDAP knows`, v, suggestion ? `did you mean ${suggestion}?` : `use one of ${DATA_TYPES.join(', ')}`);
    } else if (dataType === undefined && cls.tableFiles && v.name === 'dataVariable') {
      this.error('missing-data-type', `${named} needs a dataType (${ctx.type} requires one on every variable)`, v, 'set `type:` on the variable, e.g. double, float, int, String');
    }
    const value = (name: string) => {
      const att = attributes.get(name);
      return att && !isDeletion(att) ? att.text : undefined;
    };
    const units = value('units');
    const isTime = destination === 'time' && (cls.kind === 'table' ? v.name === 'dataVariable' : v.name === 'axisVariable');
    if (isTime && units !== undefined && !isTimeUnits(units)) {
      this.error('bad-time-units', `${named}: units "${units}" are not time units ERDDAP understands`, attributes.get('units') ?? v,
        'write "<unit> since <ISO date>" (e.g. seconds since 1970-01-01T00:00:00Z) or a java.time pattern such as yyyy-MM-dd\'T\'HH:mm:ssZ');
    }
    const selfCategorized = SELF_CATEGORIZED_NAMES.has(destination) || (units !== undefined && isTimeUnits(units));
    this.ioosCategory(named, value('ioos_category'), selfCategorized, attributes.get('ioos_category') ?? v);
    return { source, destination };
  }

  private ioosCategory(named: string, category: string | undefined, selfCategorized: boolean, node: XmlElement): void {
    if (category === undefined) {
      if (!selfCategorized && this.options.ioosCategoryRequired) {
        this.error('missing-ioos-category', `${named} has no ioos_category; ERDDAP requires one on every variable`, node,
          `add \`ioos_category\` to its attributes, one of: ${IOOS_CATEGORIES.join(', ')}`);
      }
      return;
    }
    if (IOOS_LOWER.has(category.toLowerCase())) return;
    const suggestion = didYouMean(category, IOOS_CATEGORIES);
    const message = `${named}: ioos_category "${category}" is not one of ERDDAP's categories`;
    const hint = suggestion ? `did you mean ${suggestion}?` : `use one of: ${IOOS_CATEGORIES.join(', ')}`;
    if (this.options.ioosCategoryRequired) this.error('bad-ioos-category', message, node, hint);
    else this.warning('bad-ioos-category', message, node, hint);
  }

  private globalAttributes(ctx: Context): void {
    const { el, cls, label } = ctx;
    const block = el.children.filter((c) => c.name === 'addAttributes').at(-1);
    const atts = block ? globalAttributeMap(block) : new Map<string, XmlElement>();
    const fromSource = this.options.fromSource(el);
    const has = (name: string) => fromSource.has(name) || (atts.has(name) && !isDeletion(atts.get(name) as XmlElement));
    const anchor = block ?? el;
    const missing = (name: string, why: string) =>
      this.error('missing-global-attribute', `${label}: global attribute ${name} is missing; ${why}`, anchor,
        `set it in the dataset's \`attributes:\` (or \`${name === 'title' || name === 'summary' ? name : `attributes.${name}`}:\`), or list it in the service's \`from_source:\` when ERDDAP reads it from the data`);
    for (const name of ['title', 'summary', 'infoUrl']) if (!has(name)) missing(name, 'ERDDAP will not load the dataset without it');
    if (!has('institution') && !has('creator_institution')) missing('institution', 'ERDDAP will not load the dataset without it');
    if (cls.tableFiles && !has('sourceUrl')) missing('sourceUrl', `${ctx.type} does not default it (GenerateDatasetsXml writes "(local files)")`);
    if (!has('license')) this.warning('missing-license', `${label}: no license; ERDDAP shows its <standardLicense> instead`, anchor, 'set `license` in the attributes (or in steller.yaml defaults)');
    const cdm = atts.get('cdm_data_type') ?? atts.get('featureType');
    if (cdm && !isDeletion(cdm)) this.cdmDataType(ctx, cdm, atts);
    else if (cls.kind === 'table' && !has('cdm_data_type') && !has('featureType')) missing('cdm_data_type', `ERDDAP needs one of ${CDM_DATA_TYPES.join(', ')}`);
  }

  private cdmDataType(ctx: Context, att: XmlElement, atts: Map<string, XmlElement>): void {
    const canonical = CDM_LOWER.get(att.text.toLowerCase());
    if (!canonical) {
      const suggestion = didYouMean(att.text, CDM_DATA_TYPES);
      this.error('bad-cdm-data-type', `${ctx.label}: cdm_data_type "${att.text}" is not one of ERDDAP's (${CDM_DATA_TYPES.join(', ')})`, att, suggestion ? `did you mean ${suggestion}?` : undefined);
      return;
    }
    if (canonical !== att.text) this.warning('cdm-data-type-case', `${ctx.label}: cdm_data_type "${att.text}" is spelled ${canonical} by ERDDAP (it fixes the case)`, att);
    if (ctx.cls.kind === 'table') this.discreteSamplingGeometry(ctx, canonical, atts);
  }

  /** EDDTable.accessibleViaNcCF (EDDTable.java:13077-13300), which EDD.ensureValid runs at load. */
  private discreteSamplingGeometry(ctx: Context, cdm: string, atts: Map<string, XmlElement>): void {
    const { el, label } = ctx;
    const variables = el.children.filter((c) => c.name === 'dataVariable').map((v) => variableSummary(v));
    const names = new Set([...variables.map((v) => v.destination), ...(ctx.cls.addsVariables ?? [])]);
    const fromSource = this.options.fromSource(el);
    const listed = new Map<string, string[]>();
    for (const role of DSG_ROLES) {
      const att = atts.get(`cdm_${role}_variables`);
      if (att && !isDeletion(att)) listed.set(role, att.text.split(',').map((s) => s.trim()).filter(Boolean));
    }
    const anchor = (role: string) => atts.get(`cdm_${role}_variables`) ?? atts.get('cdm_data_type') ?? el;
    for (const role of DSG_ROLES) {
      const uses = cdm.toLowerCase().includes(role);
      const ids = variables.filter((v) => v.cfRole === `${role}_id`).map((v) => v.destination);
      const list = listed.get(role);
      if (!uses) {
        if (ids.length > 0) this.error('dsg-mismatch', `${label}: cdm_data_type=${cdm}, so no variable may have cf_role=${role}_id (${ids.join(', ')} has)`, el);
        if (list && list.length > 0) this.error('dsg-mismatch', `${label}: cdm_data_type=${cdm}, so cdm_${role}_variables must not be set`, anchor(role));
        continue;
      }
      if (ids.length > 1) this.error('dsg-mismatch', `${label}: cdm_data_type=${cdm} needs exactly one cf_role=${role}_id variable, found ${ids.join(', ')}`, el);
      if (ids.length === 0) this.warning('dsg-mismatch', `${label}: cdm_data_type=${cdm} needs a variable with cf_role=${role}_id; none has it here (ERDDAP fails unless the data files supply it)`, el,
        `add \`cf_role: ${role}_id\` to the attributes of the variable that identifies each ${role}`);
      if (!list) {
        if (!fromSource.has(`cdm_${role}_variables`)) this.warning('dsg-mismatch', `${label}: cdm_data_type=${cdm} needs the global attribute cdm_${role}_variables (ERDDAP fails unless the data files supply it)`, el,
          `e.g. cdm_${role}_variables: ${ids[0] ?? `${role}_id`}`);
        continue;
      }
      for (const name of list) {
        if (names.size > 0 && !names.has(name)) this.error('dsg-mismatch', `${label}: cdm_${role}_variables names "${name}", which is not a variable of the dataset`, anchor(role));
      }
      if (ids.length === 1 && !list.includes(ids[0])) this.error('dsg-mismatch', `${label}: the cf_role=${role}_id variable ${ids[0]} must be in cdm_${role}_variables`, anchor(role));
      for (const other of DSG_ROLES) {
        const otherIds = variables.filter((v) => v.cfRole === `${other}_id`).map((v) => v.destination);
        for (const id of otherIds) if (other !== role && list.includes(id)) this.error('dsg-mismatch', `${label}: the cf_role=${other}_id variable ${id} must not be in cdm_${role}_variables`, anchor(role));
      }
    }
    const overlap = (a: string, b: string) => (listed.get(a) ?? []).filter((n) => (listed.get(b) ?? []).includes(n));
    if (overlap('profile', 'timeseries').length) this.error('dsg-mismatch', `${label}: ${overlap('profile', 'timeseries').join(', ')} cannot be in both cdm_profile_variables and cdm_timeseries_variables`, el);
    if (overlap('profile', 'trajectory').length) this.error('dsg-mismatch', `${label}: ${overlap('profile', 'trajectory').join(', ')} cannot be in both cdm_profile_variables and cdm_trajectory_variables`, el);
    if (listed.has('timeseries') && listed.has('trajectory')) this.error('dsg-mismatch', `${label}: cdm_timeseries_variables and cdm_trajectory_variables cannot both be set`, el);
    const proxy = atts.get('cdm_altitude_proxy');
    if (cdm.toLowerCase().includes('profile') && names.size > 0 && !names.has('altitude') && !names.has('depth') && !(proxy && names.has(proxy.text))) {
      this.error('dsg-mismatch', `${label}: cdm_data_type=${cdm} needs an altitude or depth variable, or cdm_altitude_proxy naming one`, el);
    }
  }
}

interface Context {
  el: XmlElement;
  cls: ErddapClass;
  type: string;
  id: string;
  label: string;
}

function globalAttributeMap(block: XmlElement): Map<string, XmlElement> {
  const map = new Map<string, XmlElement>();
  for (const att of block.children) {
    const name = attributeOf(att, 'name');
    if (att.name === 'att' && name) map.set(name, att);
  }
  return map;
}

function variableSummary(v: XmlElement): { destination: string; cfRole?: string } {
  const text = (name: string) => v.children.find((c) => c.name === name)?.text;
  const atts = v.children.find((c) => c.name === 'addAttributes');
  const cfRole = atts ? globalAttributeMap(atts).get('cf_role') : undefined;
  return { destination: text('destinationName') || text('sourceName') || '', ...(cfRole && !isDeletion(cfRole) ? { cfRole: cfRole.text } : {}) };
}

const INTEGER = /^[+-]?(\d+|0x[0-9a-f]+)$/i;
const REAL = /^[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|NaN|Infinity)$/;

/** Whether every word of a numeric attribute parses (ERDDAP splits on spaces and commas). */
function numericValuesParse(type: string, text: string): boolean {
  const base = type.endsWith('List') ? type.slice(0, -4) : type;
  if (base === 'string' || base === 'String' || base === 'char') return true;
  const words = text.split(/[\s,]+/).filter(Boolean);
  const pattern = base === 'float' || base === 'double' ? REAL : INTEGER;
  return words.every((w) => w === 'NaN' || w === 'null' || pattern.test(w));
}

function findForbiddenCharacter(el: XmlElement): { node: XmlElement; value: string } | undefined {
  if (FORBIDDEN_XML_CHARS.test(el.text)) return { node: el, value: el.text };
  for (const [, value] of el.attributes) if (FORBIDDEN_XML_CHARS.test(value)) return { node: el, value };
  for (const child of el.children) {
    const found = findForbiddenCharacter(child);
    if (found) return found;
  }
  return undefined;
}
