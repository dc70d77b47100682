import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../shared/errors';
import type { Schedule } from '../../../shared/spec/schedule';
import { resolveScheduleInputs } from '../../../shared/spec/schedule-inputs';
import { loadScheduleFile, parseSchedule } from '../../../shared/spec/schedule-load';
import { amlExampleSchedules, scheduleFixtures } from '../../_helpers/schedule/paths';

const triggerTime = new Date('2026-03-08T10:00:00Z');
const blob = { uri: 'azureml://datastores/workspaceblobstore/paths/incoming/a/1.csv', path: 'incoming/a/1.csv', etag: '"0x8DC"' };

async function load(file: string): Promise<Schedule> {
  const { schedule, problems } = await loadScheduleFile(file);
  assert.deepEqual(problems, []);
  return schedule!;
}

describe('resolveScheduleInputs', () => {
  it('${{name}} is the created job\'s name (the run id), as in Azure ML', async () => {
    const s = await load(path.join(amlExampleSchedules, 'cron-with-settings-job-schedule.yml'));
    assert.deepEqual(resolveScheduleInputs(s, { triggerTime, runId: 'cron_with_settings_job_schedule-20260308T100000Z' }), {
      hello_string_top_level_input: 'cron_with_settings_job_schedule-20260308T100000Z',
    });
  });

  it('${{creation_context.trigger_time}} is the fire time in ISO 8601 UTC', async () => {
    const s = await load(path.join(scheduleFixtures, 'recurrence-weekly.yml'));
    assert.deepEqual(resolveScheduleInputs(s, { triggerTime, runId: 'r1' }), { run_name: 'r1', as_of: '2026-03-08T10:00:00.000Z' });
  });

  it('blob fields, whole or inside text', async () => {
    const s = await load(path.join(scheduleFixtures, 'blob-per-file.yml'));
    assert.deepEqual(resolveScheduleInputs(s, { triggerTime, blob }), {
      input_data: blob.uri,
      note: 'blob incoming/a/1.csv at "0x8DC"',
    });
  });

  it('a batch window binds ${{trigger.blob.uri}} as a list of files', async () => {
    const s = await load(path.join(scheduleFixtures, 'blob-batch-window.yml'));
    const batch = { blobs: [blob, { ...blob, uri: `${blob.uri}.2`, path: `${blob.path}.2` }] };
    assert.deepEqual(resolveScheduleInputs(s, { triggerTime, batch }), {
      input_data: { type: 'uri_file_list', paths: [blob.uri, `${blob.uri}.2`] },
    });
  });

  it('a marker batch binds ${{trigger.blob.uri}} as the folder, and ${{trigger.folder.path}} as text', async () => {
    const s = await load(path.join(scheduleFixtures, 'blob-marker.yml'));
    const folder = { uri: 'azureml://datastores/workspaceblobstore/paths/exports/2026-03-08/', path: 'exports/2026-03-08/' };
    assert.deepEqual(resolveScheduleInputs(s, { triggerTime, batch: { blobs: [blob], folder } }), {
      input_data: { type: 'uri_folder', path: folder.uri },
      folder: folder.path,
    });
  });

  it('data inputs keep their other fields; unknown expressions are left for the pipeline layer', () => {
    const s = parseSchedule(
      'name: s\ntrigger:\n  type: blob\n  datastore: d\n  path: "*"\ncreate_job:\n  job: azureml:j\n  inputs:\n    f:\n      type: uri_file\n      path: ${{trigger.blob.uri}}\n      mode: download\n    other: ${{parent.inputs.x}}\n    n: 3\n    list: "${{trigger.blobs.paths}}"\n',
      'x.yml',
    ).schedule!;
    assert.deepEqual(resolveScheduleInputs({ ...s, createJob: { ...s.createJob, inputs: { f: s.createJob.inputs.f!, other: s.createJob.inputs.other!, n: 3 } } }, { triggerTime, blob }), {
      f: { type: 'uri_file', path: blob.uri, mode: 'download' },
      other: '${{parent.inputs.x}}',
      n: 3,
    });
    assert.deepEqual(resolveScheduleInputs(s, { triggerTime, batch: { blobs: [blob, { ...blob, path: 'b.csv' }] } }).list, 'incoming/a/1.csv\nb.csv');
  });

  it('an expression with no value for this firing is a located ValidationError', async () => {
    const s = await load(path.join(scheduleFixtures, 'blob-per-file.yml'));
    assert.throws(
      () => resolveScheduleInputs(s, { triggerTime }),
      (err: unknown) => err instanceof ValidationError && err.code === 'unresolved_expression' && err.location.path === 'create_job.inputs.input_data' && /not started by a blob/.test(err.message),
    );
    const named = await load(path.join(amlExampleSchedules, 'cron-with-settings-job-schedule.yml'));
    assert.throws(() => resolveScheduleInputs(named, { triggerTime }), /\$\{\{name\}\} cannot be resolved: no run id given/);
  });
});
