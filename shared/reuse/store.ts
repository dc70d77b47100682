/**
 * Reuse entries in the state store. `reuse`: one entry per fingerprint (the job whose outputs
 * stand for it). `reuse_parts`: the parts of each fingerprint computed.
 * `reuse_last`: per pipeline and step, the last fingerprint that completed, so a miss can name
 * what changed since.
 */
import { createHash } from 'node:crypto';
import type { StateStore } from '../state/types';
import type { FingerprintParts } from './fingerprint';

export interface ReuseEntry {
  fingerprint: string;
  runId: string;
  step: string;
  jobName: string;
  outputs: Record<string, string>;
  createdTime: string;
}

interface LastFingerprint {
  fingerprint: string;
}

const ENTRY_ROW = 'entry';

export class ReuseStore {
  constructor(private readonly state: StateStore) {}

  async lookup(fingerprint: string): Promise<ReuseEntry | undefined> {
    return (await this.state.table<ReuseEntry>('reuse').get(fingerprint, ENTRY_ROW))?.data;
  }

  /** First writer wins: a fingerprint keeps the outputs of the job that produced it first. */
  async record(entry: ReuseEntry): Promise<ReuseEntry> {
    return (await this.state.table<ReuseEntry>('reuse').insertIfAbsent(entry.fingerprint, ENTRY_ROW, entry)).entity.data;
  }

  async forget(fingerprint: string): Promise<void> {
    await this.state.table<ReuseEntry>('reuse').delete(fingerprint, ENTRY_ROW);
  }

  async recordParts(fingerprint: string, parts: FingerprintParts): Promise<void> {
    await this.state.table<FingerprintParts>('reuse_parts').insertIfAbsent(fingerprint, ENTRY_ROW, parts);
  }

  async partsOf(fingerprint: string): Promise<FingerprintParts | undefined> {
    return (await this.state.table<FingerprintParts>('reuse_parts').get(fingerprint, ENTRY_ROW))?.data;
  }

  async markLast(pipelineKey: string, step: string, fingerprint: string): Promise<void> {
    await this.state.table<LastFingerprint>('reuse_last').upsert(partitionOf(pipelineKey), rowOf(step), { fingerprint });
  }

  /** Parts of the last fingerprint of this step that completed. */
  async lastParts(pipelineKey: string, step: string): Promise<FingerprintParts | undefined> {
    const last = await this.state.table<LastFingerprint>('reuse_last').get(partitionOf(pipelineKey), rowOf(step));
    if (!last) return undefined;
    return (await this.state.table<FingerprintParts>('reuse_parts').get(last.data.fingerprint, ENTRY_ROW))?.data;
  }
}

/** Table keys may not hold `/`, `\`, `#`, `?`. */
function partitionOf(pipelineKey: string): string {
  return createHash('sha256').update(pipelineKey).digest('hex').slice(0, 32);
}

function rowOf(step: string): string {
  return step.replace(/[/\\#?]/g, '.');
}
