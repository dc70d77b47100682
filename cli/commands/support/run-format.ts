/** Text forms of run objects for people; scripts use `--output json`. */
import type { RunObject } from '../../../shared/run/types';
import { table } from './output';

export function pipelineLabel(run: RunObject): string {
  const { name, version, displayName } = run.pipeline;
  if (name) return version ? `${name}:${version}` : name;
  return displayName ?? '';
}

export function runSummary(run: RunObject): string {
  const lines = [
    `run ${run.runId}: ${run.status}`,
    `  pipeline: ${pipelineLabel(run) || '(unnamed)'}`,
    `  trigger:  ${run.trigger.type}${run.trigger.schedule ? ` (${run.trigger.schedule})` : ''}${run.trigger.rerunOf ? ` of ${run.trigger.rerunOf}` : ''}`,
    `  created:  ${run.createdTime}${run.endTime ? `, ended ${run.endTime}` : ''}`,
  ];
  if (run.error) lines.push(`  error:    ${run.error.message} (${run.error.code})`);
  const steps = Object.entries(run.steps);
  if (steps.length > 0) {
    lines.push('', table(['STEP', 'STATUS', 'REUSED', 'JOB'], steps.map(([name, s]) => [name, s.status, s.reused ? `yes: ${s.reason ?? ''}` : s.reason ? `no: ${s.reason}` : '', s.jobName ?? ''])));
  }
  const outputs = Object.entries(run.outputs);
  if (outputs.length > 0) lines.push('', ...outputs.map(([name, uri]) => `output ${name}: ${uri}`));
  return lines.join('\n');
}

export function runsTable(runs: RunObject[]): string {
  return table(['RUN', 'STATUS', 'PIPELINE', 'TRIGGER', 'CREATED'], runs.map((r) => [r.runId, r.status, pipelineLabel(r), r.trigger.type, r.createdTime]));
}
