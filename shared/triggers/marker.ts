/**
 * Marker batches (`trigger.marker`): data files of a folder wait; the marker file (e.g. `_SUCCESS`)
 * starts one run for the folder. The run id comes from schedule + folder, so data files already
 * know the run they are coalesced into, and a repeated marker is a duplicate.
 */
import picomatch from 'picomatch';
import type { BlobTrigger } from '../spec/schedule';
import { folderOf } from './blob-match';
import { markerRunId } from './run-ids';

export type MarkerDecision =
  /** A data file: recorded as coalesced into its folder's run, which the marker starts. */
  | { action: 'coalesce'; folder: string; runId: string }
  /** The marker: start the folder's run. */
  | { action: 'start'; folder: string; runId: string };

export function decideMarker(schedule: string, kind: 'data' | 'marker', blobPath: string): MarkerDecision {
  const folder = folderOf(blobPath);
  return { action: kind === 'marker' ? 'start' : 'coalesce', folder, runId: markerRunId(schedule, folder) };
}

/**
 * The files a folder's run gets, from a listing of the folder (events can be lost, the listing
 * cannot): under the folder, matching the glob, non-empty, not the marker; sorted by path.
 */
export function markerBatchMembers<T extends { path: string; size: number }>(trigger: BlobTrigger, folder: string, listing: readonly T[]): T[] {
  const isMatch = picomatch(trigger.path);
  return listing
    .filter((b) => b.path.startsWith(folder) && b.path !== `${folder}${trigger.marker ?? ''}` && b.size > 0 && isMatch(b.path))
    .sort((a, b) => a.path.localeCompare(b.path));
}
