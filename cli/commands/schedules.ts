/**
 * `amlsched schedules apply FILE.yml|list|delete NAME|enable NAME|disable NAME`, as
 * `az ml schedule create/list/delete/enable/disable`. A `create_job.job` that names a local file is
 * sent along as a pipeline bundle.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { ListPage } from '../../shared/api/contracts';
import { buildBundleFromDisk } from '../../shared/spec/bundle';
import type { ScheduleTrigger } from '../../shared/spec/schedule';
import { loadScheduleFile, scheduleOrThrow } from '../../shared/spec/schedule-load';
import { apiClient } from './support/connection';
import { type OutputFormat, print, standard, table } from './support/output';

/** What the API shows of a schedule (functions/http/schedules.ts). */
interface ScheduleView {
  name: string;
  enabled: boolean;
  trigger: ScheduleTrigger;
  job: string;
  nextFireTimes: string[];
  createdTime: string;
  updatedTime: string;
}

function triggerText(t: ScheduleTrigger): string {
  switch (t.type) {
    case 'cron': return `cron ${t.expression} (${t.timeZone})`;
    case 'recurrence': return `every ${t.interval} ${t.frequency} (${t.timeZone})`;
    case 'blob': return `blob ${t.datastore}:${t.path}`;
  }
}

function viewText(s: ScheduleView): string {
  return `schedule ${s.name}: ${s.enabled ? 'enabled' : 'disabled'}, ${triggerText(s.trigger)}, job ${s.job}` +
    (s.nextFireTimes.length > 0 ? `\n  next: ${s.nextFireTimes.join(', ')}` : '');
}

function route(name: string): string {
  return `api/schedules/${encodeURIComponent(name)}`;
}

export function register(program: Command): void {
  const schedules = program.command('schedules').description('create, list, enable, disable and delete schedules (cron, recurrence, blob)');

  standard(schedules.command('apply'))
    .description('create or update a schedule from schedule YAML (its name: field names it)')
    .argument('<file>', 'schedule YAML')
    .addHelpText('after', '\nExamples:\n  amlsched schedules apply nightly.yml\n  amlsched schedules apply score-new-files.yml --output json\n')
    .action(async (file: string, opts: { output: OutputFormat }) => {
      const schedule = scheduleOrThrow(await loadScheduleFile(file));
      const yaml = await readFile(file, 'utf8');
      const job = schedule.createJob.job;
      const bundle = job.kind === 'file' ? (await buildBundleFromDisk(job.resolvedPath)).bundle : undefined;
      const view = await apiClient().put<ScheduleView>(route(schedule.name), { yaml, ...(bundle ? { bundle } : {}) });
      print(opts.output, view, () => viewText(view));
    });

  standard(schedules.command('list'))
    .description('list schedules with their next fire times')
    .addHelpText('after', '\nExamples:\n  amlsched schedules list\n  amlsched schedules list --output json\n')
    .action(async (opts: { output: OutputFormat }) => {
      const page = await apiClient().get<ListPage<ScheduleView>>('api/schedules');
      print(opts.output, page.value, () => table(['NAME', 'ENABLED', 'TRIGGER', 'JOB', 'NEXT FIRE'],
        page.value.map((s) => [s.name, s.enabled ? 'yes' : 'no', triggerText(s.trigger), s.job, s.nextFireTimes[0] ?? ''])));
    });

  standard(schedules.command('show'))
    .description('show one schedule')
    .argument('<name>', 'schedule name')
    .addHelpText('after', '\nExample:\n  amlsched schedules show nightly --output json\n')
    .action(async (name: string, opts: { output: OutputFormat }) => {
      const view = await apiClient().get<ScheduleView>(route(name));
      print(opts.output, view, () => viewText(view));
    });

  standard(schedules.command('delete'))
    .description('delete a schedule (runs it started are kept)')
    .argument('<name>', 'schedule name')
    .addHelpText('after', '\nExample:\n  amlsched schedules delete nightly\n')
    .action(async (name: string, opts: { output: OutputFormat }) => {
      await apiClient().delete(route(name));
      print(opts.output, { name, deleted: true }, () => `deleted schedule ${name}`);
    });

  for (const verb of ['enable', 'disable'] as const) {
    standard(schedules.command(verb))
      .description(`${verb} a schedule`)
      .argument('<name>', 'schedule name')
      .addHelpText('after', `\nExample:\n  amlsched schedules ${verb} nightly\n`)
      .action(async (name: string, opts: { output: OutputFormat }) => {
        const view = await apiClient().post<ScheduleView>(`${route(name)}/${verb}`);
        print(opts.output, view, () => viewText(view));
      });
  }
}
