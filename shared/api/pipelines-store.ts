/**
 * Published pipelines (`PUT /api/pipelines/{name}`): each version is a pipeline bundle named by
 * its content hash, so publishing the same content again yields the same version; a pointer row
 * names the latest version. Runs started by name pin the version they resolved.
 */
import type { StateStore, StateTable } from '../state/types';

export const PIPELINES_TABLE = 'pipelines';
const LATEST = 'latest';
const VERSION_PREFIX = 'v:';

export interface PublishedPipeline<B = unknown> {
  name: string;
  /** Content hash of the bundle (hex prefix). */
  version: string;
  bundle: B;
  createdTime: string;
}

interface LatestPointer {
  name: string;
  version: string;
  updatedTime: string;
}

type Row<B> = PublishedPipeline<B> | LatestPointer;

export class PipelinesStore<B = unknown> {
  private readonly table: StateTable<Row<B>>;

  constructor(state: StateStore, private readonly now: () => Date = () => new Date()) {
    this.table = state.table<Row<B>>(PIPELINES_TABLE);
  }

  /** Stores the version unless present and makes it the latest; `created` is false for a re-publish. */
  async publish(name: string, version: string, bundle: B): Promise<{ pipeline: PublishedPipeline<B>; created: boolean }> {
    const time = this.now().toISOString();
    const record: PublishedPipeline<B> = { name, version, bundle, createdTime: time };
    const { entity, created } = await this.table.insertIfAbsent(name, VERSION_PREFIX + version, record);
    await this.table.upsert(name, LATEST, { name, version, updatedTime: time });
    return { pipeline: entity.data as PublishedPipeline<B>, created };
  }

  /** `version` omitted or `latest`: the latest published version. */
  async get(name: string, version?: string): Promise<PublishedPipeline<B> | undefined> {
    let wanted = version;
    if (wanted === undefined || wanted === LATEST) {
      const pointer = await this.table.get(name, LATEST);
      if (!pointer) return undefined;
      wanted = pointer.data.version;
    }
    return (await this.table.get(name, VERSION_PREFIX + wanted))?.data as PublishedPipeline<B> | undefined;
  }

  /** Every version of `name`, without bundles, oldest first. */
  async versions(name: string): Promise<Omit<PublishedPipeline<B>, 'bundle'>[]> {
    const rows = await this.table.query(name, { rowKeyPrefix: VERSION_PREFIX });
    return rows
      .map((row) => row.data as PublishedPipeline<B>)
      .map(({ name: n, version, createdTime }) => ({ name: n, version, createdTime }))
      .sort((a, b) => a.createdTime.localeCompare(b.createdTime));
  }
}
