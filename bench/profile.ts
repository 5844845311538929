// Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and says where the time went: self time per
// function and per module (package or source file), and inclusive time for steller's own
// functions, which is what points at the stage to optimize.

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  /** Microseconds before each sample. */
  timeDeltas: number[];
}

export interface Cost {
  name: string;
  selfMs: number;
  totalMs: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: Cost[];
  modules: Cost[];
}

/** `root` is stripped from file URLs so locations read `dist/core/load.js:42`. */
export function summarizeProfile(profile: CpuProfile, root: string): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const functions = new Map<string, Cost>();
  const modules = new Map<string, Cost>();
  const cost = (table: Map<string, Cost>, name: string): Cost => {
    let entry = table.get(name);
    if (!entry) table.set(name, (entry = { name, selfMs: 0, totalMs: 0 }));
    return entry;
  };
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    // A sample lasts until the next one; the last sample's length is unknown and counts as 0.
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    totalMs += ms;
    const frame = byId.get(id)!.callFrame;
    cost(functions, functionLabel(frame, root)).selfMs += ms;
    cost(modules, moduleLabel(frame, root)).selfMs += ms;
    // Inclusive time: once per sample for every distinct function and module on the stack.
    const seenFunctions = new Set<string>();
    const seenModules = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const caller = byId.get(at)!.callFrame;
      seenFunctions.add(functionLabel(caller, root));
      seenModules.add(moduleLabel(caller, root));
    }
    for (const name of seenFunctions) cost(functions, name).totalMs += ms;
    for (const name of seenModules) cost(modules, name).totalMs += ms;
  });
  const bySelf = (a: Cost, b: Cost) => b.selfMs - a.selfMs || (a.name < b.name ? -1 : 1);
  return { totalMs, functions: [...functions.values()].sort(bySelf), modules: [...modules.values()].sort(bySelf) };
}

/** Repository-relative, and `node_modules/…` wherever the packages really live (a linked node_modules resolves elsewhere). */
function shortUrl(url: string, root: string): string {
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const packages = path.lastIndexOf('/node_modules/');
  if (packages >= 0) return path.slice(packages + 1);
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

function functionLabel(frame: CallFrame, root: string): string {
  const name = frame.functionName || '(anonymous)';
  return frame.url ? `${name} ${shortUrl(frame.url, root)}:${frame.lineNumber + 1}` : name;
}

/** The npm package a frame is in, `node:` internals, or the repository file. */
function moduleLabel(frame: CallFrame, root: string): string {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const path = shortUrl(frame.url, root);
  const inPackage = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (inPackage) return inPackage[1];
  if (path.startsWith('node:')) return '(node internals)';
  return path;
}

/** Markdown tables of the top entries. */
export function profileMarkdown(summary: ProfileSummary, top = 15): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(2);
  const share = (ms: number) => `${((100 * ms) / summary.totalMs).toFixed(1)}%`;
  const table = (title: string, rows: Cost[], column: 'selfMs' | 'totalMs') => [
    `| ${title} | ${column === 'selfMs' ? 'self' : 'inclusive'} (s) | share |`,
    '|---|---:|---:|',
    ...rows.slice(0, top).map((row) => `| \`${row.name.replaceAll('|', '\\|')}\` | ${seconds(row[column])} | ${share(row[column])} |`),
  ].join('\n');
  const own = summary.functions.filter((f) => / dist\/(core|generators|schemas|cli|charts)\//.test(f.name)).sort((a, b) => b.totalMs - a.totalMs || (a.name < b.name ? -1 : 1));
  return [
    `Sampled time: ${seconds(summary.totalMs)} s.`,
    '',
    table('module (package or file)', summary.modules, 'selfMs'),
    '',
    table('function', summary.functions, 'selfMs'),
    '',
    "steller's own functions by inclusive time (time spent in them and everything they call):",
    '',
    table('function', own, 'totalMs'),
  ].join('\n');
}
