// The workflows users copy into their catalog repository (and steller's own CI) are judged by
// GitHub's workflow schema (SchemaStore's copy in ../shared/refs/github), not by us: plus pinned
// actions, least-privilege permissions, and shell steps that bash can parse.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsMod from 'ajv-formats';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO } from '../helpers/cli.js';
import { describeWithShared, SHARED } from '../helpers/shared.js';

const addFormats = addFormatsMod.default;
const DIR = join(REPO, '.github/workflows');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yml')).sort();

type Step = { uses?: string; run?: string };
type Job = { permissions?: Record<string, string> | string; steps: Step[] };
type Workflow = { permissions?: Record<string, string> | string; jobs: Record<string, Job> };

const workflows = FILES.map((file) => ({ file, workflow: parse(readFileSync(join(DIR, file), 'utf8')) as Workflow }));
const steps = workflows.flatMap(({ file, workflow }) => Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => ({ file, step }))));

describeWithShared('GitHub workflows', () => {
  it('are valid against the GitHub workflow schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(SHARED, 'refs/github/github-workflow.json'), 'utf8')));
    expect(FILES).toEqual(expect.arrayContaining(['steller-publish.yml', 'steller-pull-request.yml']));
    for (const { file, workflow } of workflows) expect(validate(workflow) ? [] : validate.errors, file).toEqual([]);
    // and the judge does judge: a misspelt key is refused
    const misspelt = structuredClone(workflows[0].workflow) as { jobs: Record<string, Record<string, unknown>> };
    const job = Object.values(misspelt.jobs)[0];
    job.runs_on = job['runs-on'];
    delete job['runs-on'];
    expect(validate(misspelt)).toBe(false);
  });
});

it('pins every action to a full commit', () => {
  const uses = steps.filter(({ step }) => step.uses).map(({ step }) => step.uses!);
  expect(uses.length).toBeGreaterThan(0);
  for (const action of uses) expect(action).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/);
});

it('asks for the least it needs: read at the top, one write where a comment is posted', () => {
  for (const { file, workflow } of workflows) {
    expect(workflow.permissions, file).toEqual({ contents: 'read' });
    for (const job of Object.values(workflow.jobs)) {
      const writes = Object.entries(typeof job.permissions === 'object' ? job.permissions : {}).filter(([, level]) => level === 'write').map(([scope]) => scope);
      expect(writes, file).toEqual(file === 'steller-pull-request.yml' ? ['pull-requests'] : []);
    }
  }
});

it('has shell steps bash can parse, with no expression pasted into a script', () => {
  const scripts = steps.filter(({ step }) => step.run).map(({ file, step }, i) => ({ file, script: step.run!, name: `step_${i}` }));
  for (const { file, script } of scripts) expect(script, file).not.toMatch(/\$\{\{/);
  const program = scripts.map(({ name, script }) => `${name}() {\n${script}\n}\n`).join('');
  const result = spawnSync('bash', ['-n'], { input: program, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
});

it('calls steller only with commands and options it has', () => {
  const calls = steps.flatMap(({ step }) => (step.run ?? '').split('\n').map((line) => /\bsteller (\w+)((?: [^|>]*)?)/.exec(line)).filter((m) => m !== null));
  expect(calls.length).toBeGreaterThan(0);
  const help = (args: string[]) => {
    const result = spawnSync(process.execPath, [join(REPO, 'bin/steller.js'), ...args, '--help'], { encoding: 'utf8' });
    return `${result.stdout}${result.stderr}`;
  };
  const global = help([]);
  const helps = new Map<string, string>();
  for (const [, command, used] of calls as RegExpExecArray[]) {
    if (!helps.has(command)) helps.set(command, help([command]));
    const own = helps.get(command)!;
    expect(own, command).toMatch(new RegExp(`^Usage: steller ${command}`));
    for (const flag of used.match(/--[a-z-]+/g) ?? []) expect(`${own}${global}`, `${command} ${flag}`).toContain(`${flag} `);
  }
});
