/**
 * `amlsched validate FILE.yml [--output json]`: loads a pipeline (or command) job offline and prints
 * its plan or every problem. Exit 0 valid, 1 invalid, 2 usage.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { parse } from 'yaml';
import type { Schedule } from '../../shared/spec/schedule';
import { loadScheduleFile } from '../../shared/spec/schedule-load';
import { loadPlanFromFile } from '../../shared/spec/load';
import type { InputBinding, PipelinePlan, PlannedStep } from '../../shared/spec/plan';
import { formatProblem, type Problem } from '../../shared/spec/problems';
import { EXIT_FAILURE, EXIT_USAGE } from '../errors';

export function register(program: Command): void {
  program
    .command('validate')
    .description('Check a pipeline or command job YAML offline and print its plan or its problems')
    .argument('[file]', 'pipeline job, pipeline component or command job YAML')
    .option('-o, --output <format>', 'text or json', 'text')
    .addHelpText('after', '\nExit codes: 0 valid, 1 invalid, 2 usage.\nExample:\n  amlsched validate pipeline.yml --output json')
    .exitOverride((err) => {
      process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE);
    })
    .action(async (file: string | undefined, opts: { output: string }) => {
      process.exitCode = await validate(file, opts.output);
    });
}

function usage(message: string): number {
  process.stderr.write(`amlsched validate: ${message}\nusage: amlsched validate FILE.yml [--output json]\n`);
  return EXIT_USAGE;
}

async function validate(file: string | undefined, output: string): Promise<number> {
  if (output !== 'text' && output !== 'json') return usage(`--output must be text or json, got '${output}'`);
  if (!file) return usage('missing FILE');
  if (!existsSync(file) || !statSync(file).isFile()) return usage(`no such file: ${file}`);
  let schedule: Schedule | undefined;
  let jobFile = file;
  if (looksLikeSchedule(file)) {
    // A schedule: check it, then the pipeline its create_job names (when that is a local file).
    const loaded = await loadScheduleFile(file);
    if (!loaded.schedule) return report(output, { valid: false, plan: null, errors: loaded.problems, warnings: [] });
    schedule = loaded.schedule;
    if (schedule.createJob.job.kind !== 'file') {
      return report(output, { valid: true, plan: null, errors: [], warnings: [], schedule }, `valid: schedule ${schedule.name} (job ${schedule.createJob.job.ref} is registered; not checked offline)\n`);
    }
    jobFile = schedule.createJob.job.resolvedPath;
  }
  const { root, result } = await loadPlanFromFile(jobFile);
  // Problems name files relative to the current folder, so editors can jump to them.
  const here = (p: Problem): Problem => ({ ...p, file: path.relative(process.cwd(), path.join(root, p.file)) || p.file });
  const errors = result.ok ? [] : result.problems.map(here);
  const warnings = result.warnings.map(here);
  const plan = result.ok ? result.plan : null;
  const heading = schedule ? `valid: schedule ${schedule.name} (${schedule.trigger.type} trigger) runs ${schedule.createJob.job.kind === 'file' ? schedule.createJob.job.path : ''}\n` : '';
  return report(output, { valid: result.ok, plan, errors, warnings, root, ...(schedule ? { schedule } : {}) }, plan ? heading + describePlan(plan, root) : undefined);
}

/** A schedule YAML has a top-level `trigger` (or the schedule schema); anything else is a job. */
function looksLikeSchedule(file: string): boolean {
  try {
    const doc = parse(readFileSync(file, 'utf8'), { version: '1.1' }) as unknown;
    if (!doc || typeof doc !== 'object') return false;
    const schema = (doc as Record<string, unknown>).$schema;
    return 'trigger' in doc || (typeof schema === 'string' && /schedule\.schema\.json$/i.test(schema));
  } catch {
    return false;
  }
}

interface Report {
  valid: boolean;
  plan: PipelinePlan | null;
  errors: Problem[];
  warnings: Problem[];
  root?: string;
  schedule?: Schedule;
}

function report(output: string, r: Report, text?: string): number {
  const { errors, warnings } = r;
  if (output === 'json') {
    process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  } else if (r.valid) {
    process.stdout.write(text ?? '');
    for (const w of warnings) process.stderr.write(`warning: ${formatProblem(w)}\n`);
  } else {
    for (const e of errors) process.stderr.write(`${formatProblem(e)}\n`);
    for (const w of warnings) process.stderr.write(`warning: ${formatProblem(w)}\n`);
    process.stderr.write(`invalid: ${errors.length} problem${errors.length === 1 ? '' : 's'}\n`);
  }
  return r.valid ? 0 : EXIT_FAILURE;
}

function bindingText(b: InputBinding): string {
  switch (b.kind) {
    case 'literal':
      return JSON.stringify(b.value);
    case 'data':
      return b.ref.kind === 'local' ? `./${b.ref.path}` : b.ref.kind === 'datastore' ? `azureml://datastores/${b.ref.datastore}/paths/${b.ref.path}` : b.ref.kind === 'asset' ? `azureml:${b.ref.name}:${b.ref.version}` : b.ref.url;
    case 'parent_input':
      return `\${{parent.inputs.${b.input}}}`;
    case 'step_output':
      return `\${{parent.jobs.${b.step}.outputs.${b.output}}}`;
    case 'none':
      return '(unset)';
  }
}

function describeSteps(steps: PlannedStep[], indent: string): string[] {
  const lines: string[] = [];
  steps.forEach((s, i) => {
    const where = s.kind === 'pipeline' ? 'sub-pipeline' : `compute ${s.compute}`;
    lines.push(`${indent}${i + 1}. ${s.name} [${s.kind}] ${where}; depends on: ${s.dependsOn.join(', ') || '-'}`);
    for (const [name, input] of Object.entries(s.inputs)) lines.push(`${indent}     in  ${name} (${input.type}) <- ${bindingText(input.binding)}`);
    for (const [name, o] of Object.entries(s.outputs)) {
      const extra = [o.register ? `register ${o.register.name}${o.register.version ? `:${o.register.version}` : ''}` : '', o.bindsTo.length ? `-> pipeline output ${o.bindsTo.join(', ')}` : ''].filter(Boolean).join('; ');
      lines.push(`${indent}     out ${name} (${o.type}, ${o.mode})${extra ? ` ${extra}` : ''}`);
    }
    if (s.kind === 'parallel') {
      const mb = s.parallel.miniBatchSize.kind === 'count' ? `${s.parallel.miniBatchSize.files} files` : `${s.parallel.miniBatchSize.bytes} bytes`;
      lines.push(`${indent}     parallel: input ${s.parallel.inputData}, mini-batch ${mb}, ${s.parallel.instanceCount} instance(s) x ${s.parallel.maxConcurrencyPerInstance}`);
    }
    if (s.kind === 'pipeline') lines.push(...describeSteps(s.pipeline.steps, `${indent}     `));
  });
  return lines;
}

function registrations(plan: PipelinePlan, prefix: string): string[] {
  const out: string[] = [];
  for (const [name, o] of Object.entries(plan.outputs)) if (o.register) out.push(`  pipeline output ${name} -> ${o.register.name}${o.register.version ? `:${o.register.version}` : ''}`);
  for (const s of plan.steps) {
    for (const [name, o] of Object.entries(s.outputs)) if (o.register) out.push(`  ${prefix}${s.name}.${name} -> ${o.register.name}${o.register.version ? `:${o.register.version}` : ''}`);
    if (s.kind === 'pipeline') out.push(...registrations(s.pipeline, `${prefix}${s.name}.`));
  }
  return out;
}

export function describePlan(plan: PipelinePlan, root: string): string {
  const title = plan.displayName ?? plan.name ?? plan.file;
  const lines = [
    `valid: ${plan.sourceKind === 'command' ? 'command job' : 'pipeline'} ${title} (${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'})`,
    `source root: ${root}`,
    `content hash: ${plan.contentHash}`,
    `default compute: ${plan.settings.defaultCompute ?? 'local'}; default datastore: ${plan.settings.defaultDatastore}`,
    'steps in order:',
    ...describeSteps(plan.steps, '  '),
  ];
  const regs = registrations(plan, '');
  lines.push(regs.length ? 'outputs to register:' : 'outputs to register: none', ...regs);
  return `${lines.join('\n')}\n`;
}
