/** `amlsched triggers history [--schedule NAME]`: what happened to every received event and tick. */
import type { Command } from 'commander';
import type { ListPage } from '../../shared/api/contracts';
import { apiClient } from './support/connection';
import { type OutputFormat, positiveInt, print, standard, table } from './support/output';

/** A trigger ledger entry (DESIGN.md). */
export interface LedgerEntry {
  receivedTime: string;
  source: string;
  eventId: string;
  schedule?: string;
  outcome: 'started' | 'deduplicated' | 'coalesced' | 'filtered' | 'failed';
  runId?: string;
  reason?: string;
}

export function register(program: Command): void {
  const triggers = program.command('triggers').description('trigger ledger');

  standard(triggers.command('history'))
    .description('list received events and timer ticks with their outcome, newest first')
    .option('--schedule <name>', 'only entries of this schedule')
    .option('--top <n>', 'at most this many entries', positiveInt('--top'))
    .addHelpText('after', '\nExamples:\n  amlsched triggers history\n  amlsched triggers history --schedule score_new_files --output json\n')
    .action(async (opts: { schedule?: string; top?: number; output: OutputFormat }) => {
      const page = await apiClient().get<ListPage<LedgerEntry>>('api/triggers/history', { schedule: opts.schedule, top: opts.top });
      print(opts.output, page.value, () => table(['RECEIVED', 'SOURCE', 'SCHEDULE', 'OUTCOME', 'RUN', 'REASON'],
        page.value.map((e) => [e.receivedTime, e.source, e.schedule, e.outcome, e.runId, e.reason])));
    });
}
