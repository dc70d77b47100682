import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../shared/errors';
import { loadScheduleFile, parseSchedule, scheduleOrThrow } from '../../../shared/spec/schedule-load';
import { amlExampleSchedules, scheduleFixtures } from '../../_helpers/schedule/paths';

const HEAD = '$schema: https://azuremlschemas.azureedge.net/latest/schedule.schema.json\nname: s\n';

describe('schedule YAML: the azureml-examples fixtures', () => {
  it('loads the hourly cron schedule with its Windows time zone and create_job path', async () => {
    const file = path.join(amlExampleSchedules, 'cron-job-schedule.yml');
    const { schedule, problems } = await loadScheduleFile(file);
    assert.deepEqual(problems, []);
    assert.equal(schedule?.name, 'simple_cron_job_schedule');
    assert.equal(schedule?.displayName, 'Simple cron job schedule');
    assert.equal(schedule?.isEnabled, true);
    assert.deepEqual(schedule?.trigger, {
      type: 'cron',
      expression: '0 * * * *',
      startTime: '2022-07-10T10:00:00',
      timeZone: 'Pacific Standard Time',
      ianaTimeZone: 'America/Los_Angeles',
      catchUp: 'latest',
    });
    assert.deepEqual(schedule?.createJob, {
      job: { kind: 'file', path: './simple-pipeline-job.yml', resolvedPath: path.join(amlExampleSchedules, 'simple-pipeline-job.yml') },
      inputs: {},
      outputs: {},
      settings: {},
      tags: {},
    });
  });

  it('loads create_job overrides: type, settings, inputs with ${{name}}, tags', async () => {
    const { schedule, problems } = await loadScheduleFile(path.join(amlExampleSchedules, 'cron-with-settings-job-schedule.yml'));
    assert.deepEqual(problems, []);
    const job = schedule!.createJob;
    assert.equal(job.type, 'pipeline');
    assert.equal(job.job.kind, 'file');
    assert.deepEqual(job.settings, { continue_on_step_failure: true });
    assert.deepEqual(job.inputs, { hello_string_top_level_input: '${{name}}' });
    assert.deepEqual(job.tags, { schedule: 'cron_with_settings_schedule' });
  });

  it('loads the recurrence schedule with hours × minutes', async () => {
    const { schedule, problems } = await loadScheduleFile(path.join(amlExampleSchedules, 'recurrence-job-schedule.yml'));
    assert.deepEqual(problems, []);
    assert.deepEqual(schedule?.trigger, {
      type: 'recurrence',
      frequency: 'day',
      interval: 1,
      schedule: { hours: [4, 5, 10, 11, 12], minutes: [0, 30] },
      startTime: '2022-07-10T10:00:00',
      timeZone: 'Pacific Standard Time',
      ianaTimeZone: 'America/Los_Angeles',
      catchUp: 'latest',
    });
  });
});

describe('schedule YAML: this project\'s fixtures', () => {
  const load = (name: string) => loadScheduleFile(path.join(scheduleFixtures, name));

  it('blob trigger per file', async () => {
    const { schedule, problems } = await load('blob-per-file.yml');
    assert.deepEqual(problems, []);
    assert.deepEqual(schedule?.trigger, { type: 'blob', datastore: 'workspaceblobstore', path: 'incoming/**/*.csv', maxConcurrentRuns: 4 });
    assert.equal(schedule?.createJob.inputs.input_data, '${{trigger.blob.uri}}');
  });

  it('blob trigger with a batch window, azureml: datastore prefix dropped', async () => {
    const { schedule, problems } = await load('blob-batch-window.yml');
    assert.deepEqual(problems, []);
    assert.deepEqual(schedule?.trigger, { type: 'blob', datastore: 'workspaceblobstore', path: 'landing/*.json', batchWindow: 'PT30S', batchWindowMs: 30_000 });
    assert.deepEqual(schedule?.createJob.inputs.input_data, { type: 'uri_folder', path: '${{trigger.blob.uri}}', mode: 'ro_mount' });
  });

  it('blob trigger with a marker; a bare relative job path resolves next to the schedule', async () => {
    const { schedule, problems } = await load('blob-marker.yml');
    assert.deepEqual(problems, []);
    assert.deepEqual(schedule?.trigger, { type: 'blob', datastore: 'workspaceblobstore', path: 'exports/**', marker: '_SUCCESS' });
    assert.deepEqual(schedule?.createJob.job, { kind: 'file', path: 'batch-score.yml', resolvedPath: path.join(scheduleFixtures, 'batch-score.yml') });
  });

  it('weekly recurrence with week days, registered job, disabled, catch_up all', async () => {
    const { schedule, problems } = await load('recurrence-weekly.yml');
    assert.deepEqual(problems, []);
    assert.equal(schedule?.isEnabled, false);
    assert.deepEqual(schedule?.tags, { team: 'forecasting', priority: '1' });
    assert.deepEqual(schedule?.trigger, {
      type: 'recurrence',
      frequency: 'week',
      interval: 2,
      schedule: { hours: [9], minutes: [15], weekDays: ['monday', 'friday'] },
      startTime: '2026-01-05T00:00:00',
      endTime: '2026-03-31T00:00:00',
      timeZone: 'W. Europe Standard Time',
      ianaTimeZone: 'Europe/Berlin',
      catchUp: 'all',
    });
    assert.deepEqual(schedule?.createJob.job, { kind: 'registered', ref: 'azureml:weekly-report-pipeline@latest', name: 'weekly-report-pipeline', label: 'latest' });
    assert.equal(schedule?.createJob.experimentName, 'reports');
    assert.deepEqual(schedule?.createJob.settings, { default_compute: 'azureml:cpu-cluster', continue_on_step_failure: false });
  });

  it('cron with an IANA zone and catch_up skip', async () => {
    const { schedule } = await load('cron-utc-skip.yml');
    assert.equal(schedule?.trigger.type, 'cron');
    assert.equal(schedule?.trigger.type === 'cron' && schedule.trigger.catchUp, 'skip');
    assert.equal(schedule?.trigger.type === 'cron' && schedule.trigger.ianaTimeZone, 'America/New_York');
  });

  it('unquoted YAML 1.1 timestamps keep their text (wall time, not UTC)', () => {
    const { schedule, problems } = parseSchedule(
      `${HEAD}trigger:\n  type: cron\n  expression: "0 0 * * *"\n  start_time: 2026-03-01T08:00:00\n  end_time: 2026-04-01T08:00:00+02:00\ncreate_job: azureml:job1:3\n`,
      'x.yml',
    );
    assert.deepEqual(problems, []);
    assert.equal(schedule?.trigger.type === 'cron' && schedule.trigger.startTime, '2026-03-01T08:00:00');
    assert.equal(schedule?.trigger.type === 'cron' && schedule.trigger.endTime, '2026-04-01T08:00:00+02:00');
    assert.deepEqual(schedule?.createJob.job, { kind: 'registered', ref: 'azureml:job1:3', name: 'job1', version: '3' });
  });
});

interface Case {
  title: string;
  yaml: string;
  /** [code, line, column, path, message fragment] for every problem, in order. */
  expect: [string, number, number, string, string][];
}

const CRON = 'trigger:\n  type: cron\n  expression: "0 * * * *"\n';
const JOB = 'create_job: ./job.yml\n';

const CASES: Case[] = [
  { title: 'YAML syntax error', yaml: `${HEAD}trigger: [1,\n${JOB}`, expect: [['yaml_syntax', 4, 1, '', 'YAML syntax error']] },
  { title: 'document is a list', yaml: '- a\n- b\n', expect: [['invalid_type', 1, 1, '', 'a schedule document must be a mapping']] },
  { title: 'unknown top-level key', yaml: `${HEAD}${CRON}${JOB}schedule_name: x\n`, expect: [['unknown_key', 7, 1, 'schedule_name', "unknown field 'schedule_name' in the schedule"]] },
  { title: 'missing name', yaml: `${CRON}${JOB}`, expect: [['missing_field', 1, 1, 'name', 'name is required']] },
  { title: 'bad name', yaml: `name: "my schedule"\n${CRON}${JOB}`, expect: [['invalid_value', 1, 7, 'name', "name 'my schedule' may hold only"]] },
  { title: 'wrong $schema', yaml: `$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json\nname: s\n${CRON}${JOB}`, expect: [['invalid_value', 1, 10, '$schema', 'is not a schedule schema']] },
  { title: 'missing trigger', yaml: `${HEAD}${JOB}`, expect: [['missing_field', 1, 1, 'trigger', 'trigger is required']] },
  { title: 'missing create_job', yaml: `${HEAD}${CRON}`, expect: [['missing_field', 1, 1, 'create_job', 'create_job is required']] },
  { title: 'trigger is a string', yaml: `${HEAD}trigger: cron\n${JOB}`, expect: [['invalid_type', 3, 10, 'trigger', 'trigger must be a mapping']] },
  { title: 'missing trigger.type', yaml: `${HEAD}trigger:\n  expression: "0 * * * *"\n${JOB}`, expect: [['missing_field', 4, 3, 'trigger.type', 'trigger.type is required']] },
  { title: 'unknown trigger type', yaml: `${HEAD}trigger:\n  type: hourly\n${JOB}`, expect: [['invalid_value', 4, 9, 'trigger.type', "trigger.type 'hourly' is not supported"]] },
  { title: 'missing cron expression', yaml: `${HEAD}trigger:\n  type: cron\n${JOB}`, expect: [['missing_field', 4, 3, 'trigger.expression', 'trigger.expression is required for a cron trigger']] },
  { title: 'six-field cron', yaml: `${HEAD}trigger:\n  type: cron\n  expression: "0 0 * * * *"\n${JOB}`, expect: [['invalid_value', 5, 15, 'trigger.expression', 'expected 5 fields']] },
  { title: 'cron minute out of range', yaml: `${HEAD}trigger:\n  type: cron\n  expression: "61 * * * *"\n${JOB}`, expect: [['invalid_value', 5, 15, 'trigger.expression', "'61 * * * *' is not a valid cron expression"]] },
  { title: 'cron expression is a number', yaml: `${HEAD}trigger:\n  type: cron\n  expression: 5\n${JOB}`, expect: [['invalid_type', 5, 15, 'trigger.expression', 'trigger.expression must be a string, got number 5']] },
  { title: 'unknown key in cron trigger', yaml: `${HEAD}${CRON}  frequency: day\n${JOB}`, expect: [['unknown_key', 6, 3, 'trigger.frequency', "unknown field 'frequency' in a cron trigger"]] },
  { title: 'timezone misspelt (AML spells time_zone)', yaml: `${HEAD}${CRON}  timezone: UTC\n${JOB}`, expect: [['unknown_key', 6, 3, 'trigger.timezone', "unknown field 'timezone'"]] },
  { title: 'unknown time zone', yaml: `${HEAD}${CRON}  time_zone: Mars Standard Time\n${JOB}`, expect: [['invalid_value', 6, 14, 'trigger.time_zone', "unknown time zone 'Mars Standard Time'"]] },
  { title: 'start_time not a date', yaml: `${HEAD}${CRON}  start_time: tomorrow\n${JOB}`, expect: [['invalid_value', 6, 15, 'trigger.start_time', "trigger.start_time 'tomorrow' is not an ISO 8601 date-time"]] },
  { title: 'start_time impossible date', yaml: `${HEAD}${CRON}  start_time: "2026-02-30T10:00:00"\n${JOB}`, expect: [['invalid_value', 6, 15, 'trigger.start_time', 'is not an ISO 8601 date-time']] },
  { title: 'start_time is a list', yaml: `${HEAD}${CRON}  start_time: [1]\n${JOB}`, expect: [['invalid_type', 6, 15, 'trigger.start_time', 'must be a date-time string, got a list']] },
  { title: 'end_time before start_time', yaml: `${HEAD}${CRON}  start_time: "2026-05-01T00:00:00"\n  end_time: "2026-04-01T00:00:00"\n${JOB}`, expect: [['invalid_value', 7, 13, 'trigger.end_time', 'must be after start_time']] },
  { title: 'bad catch_up', yaml: `${HEAD}${CRON}  catch_up: every\n${JOB}`, expect: [['invalid_value', 6, 13, 'trigger.catch_up', "trigger.catch_up 'every' must be one of skip, latest, all"]] },
  { title: 'recurrence without frequency and interval', yaml: `${HEAD}trigger:\n  type: recurrence\n${JOB}`, expect: [['missing_field', 4, 3, 'trigger.frequency', 'trigger.frequency is required'], ['missing_field', 4, 3, 'trigger.interval', 'trigger.interval is required']] },
  { title: 'bad frequency', yaml: `${HEAD}trigger:\n  type: recurrence\n  frequency: year\n  interval: 1\n${JOB}`, expect: [['invalid_value', 5, 14, 'trigger.frequency', "trigger.frequency 'year' must be one of minute, hour, day, week, month"]] },
  { title: 'interval zero', yaml: `${HEAD}trigger:\n  type: recurrence\n  frequency: day\n  interval: 0\n${JOB}`, expect: [['invalid_value', 6, 13, 'trigger.interval', 'trigger.interval must be at least 1, got 0']] },
  { title: 'interval as a string', yaml: `${HEAD}trigger:\n  type: recurrence\n  frequency: day\n  interval: "2"\n${JOB}`, expect: [['invalid_type', 6, 13, 'trigger.interval', "must be an integer, got the string '2'"]] },
  { title: 'hour out of range', yaml: `${HEAD}trigger:\n  type: recurrence\n  frequency: day\n  interval: 1\n  schedule:\n    hours: [4, 24]\n    minutes: [0]\n${JOB}`, expect: [['invalid_value', 8, 16, 'trigger.schedule.hours[1]', 'must be between 0 and 23, got 24']] },
  { title: 'minute out of range', yaml: `${HEAD}trigger:\n  type: recurrence\n  frequency: day\n  interval: 1\n  schedule:\n    hours: [4]\n    minutes: [60]\n${JOB}`, expect: [['invalid_value', 9, 15, 'trigger.schedule.minutes[0]', 'must be between 0 and 59, got 60']] },
  { title: 'schedule without minutes', yaml: `${HEAD}trigger:\n  type: recurrence\n  frequency: day\n  interval: 1\n  schedule:\n    hours: [4]\n${JOB}`, expect: [['missing_field', 8, 5, 'trigger.schedule.minutes', 'trigger.schedule.minutes is required']] },
  { title: 'empty hours', yaml: `${HEAD}trigger:\n  type: recurrence\n  frequency: day\n  interval: 1\n  schedule:\n    hours: []\n    minutes: [0]\n${JOB}`, expect: [['invalid_value', 8, 12, 'trigger.schedule.hours', 'must not be empty']] },
  { title: 'schedule with hourly frequency', yaml: `${HEAD}trigger:\n  type: recurrence\n  frequency: hour\n  interval: 1\n  schedule:\n    hours: [4]\n    minutes: [0]\n${JOB}`, expect: [['invalid_value', 8, 5, 'trigger.schedule', 'applies only to frequency day, week or month, not hour']] },
  { title: 'week_days with daily frequency', yaml: `${HEAD}trigger:\n  type: recurrence\n  frequency: day\n  interval: 1\n  schedule:\n    hours: [4]\n    minutes: [0]\n    week_days: [monday]\n${JOB}`, expect: [['invalid_value', 10, 5, 'trigger.schedule.week_days', 'applies only to frequency week, not day']] },
  { title: 'unknown week day', yaml: `${HEAD}trigger:\n  type: recurrence\n  frequency: week\n  interval: 1\n  schedule:\n    hours: [4]\n    minutes: [0]\n    week_days: [monday, funday]\n${JOB}`, expect: [['invalid_value', 10, 25, 'trigger.schedule.week_days[1]', "'funday' is not a week day"]] },
  { title: 'month day 32', yaml: `${HEAD}trigger:\n  type: recurrence\n  frequency: month\n  interval: 1\n  schedule:\n    hours: [4]\n    minutes: [0]\n    month_days: [1, 32]\n${JOB}`, expect: [['invalid_value', 10, 21, 'trigger.schedule.month_days[1]', 'must be between 1 and 31, got 32']] },
  { title: 'unknown key in recurrence schedule', yaml: `${HEAD}trigger:\n  type: recurrence\n  frequency: day\n  interval: 1\n  schedule:\n    hours: [4]\n    minutes: [0]\n    seconds: [0]\n${JOB}`, expect: [['unknown_key', 10, 5, 'trigger.schedule.seconds', "unknown field 'seconds' in trigger.schedule"]] },
  { title: 'blob trigger without datastore and path', yaml: `${HEAD}trigger:\n  type: blob\n${JOB}`, expect: [['missing_field', 4, 3, 'trigger.datastore', 'trigger.datastore is required'], ['missing_field', 4, 3, 'trigger.path', 'trigger.path is required']] },
  { title: 'blob path with a leading slash', yaml: `${HEAD}trigger:\n  type: blob\n  datastore: ds\n  path: /incoming/*.csv\n${JOB}`, expect: [['invalid_value', 6, 9, 'trigger.path', 'without a leading']] },
  { title: 'blob path naming a folder', yaml: `${HEAD}trigger:\n  type: blob\n  datastore: ds\n  path: incoming/\n${JOB}`, expect: [['invalid_value', 6, 9, 'trigger.path', "names a folder; match its files with 'incoming/**'"]] },
  { title: 'batch window not a duration', yaml: `${HEAD}trigger:\n  type: blob\n  datastore: ds\n  path: a/*\n  batch_window: 30s\n${JOB}`, expect: [['invalid_value', 7, 17, 'trigger.batch_window', "'30s' must be a positive ISO 8601 duration"]] },
  { title: 'batch window of zero', yaml: `${HEAD}trigger:\n  type: blob\n  datastore: ds\n  path: a/*\n  batch_window: PT0S\n${JOB}`, expect: [['invalid_value', 7, 17, 'trigger.batch_window', 'must be a positive ISO 8601 duration']] },
  { title: 'batch window and marker together', yaml: `${HEAD}trigger:\n  type: blob\n  datastore: ds\n  path: a/*\n  batch_window: PT30S\n  marker: _SUCCESS\n${JOB}`, expect: [['invalid_value', 8, 3, 'trigger.marker', 'cannot both be set']] },
  { title: 'marker is a path', yaml: `${HEAD}trigger:\n  type: blob\n  datastore: ds\n  path: a/**\n  marker: done/_SUCCESS\n${JOB}`, expect: [['invalid_value', 7, 11, 'trigger.marker', 'must be a file name']] },
  { title: 'max_concurrent_runs zero', yaml: `${HEAD}trigger:\n  type: blob\n  datastore: ds\n  path: a/*\n  max_concurrent_runs: 0\n${JOB}`, expect: [['invalid_value', 7, 24, 'trigger.max_concurrent_runs', 'must be at least 1, got 0']] },
  { title: 'catch_up on a blob trigger', yaml: `${HEAD}trigger:\n  type: blob\n  datastore: ds\n  path: a/*\n  catch_up: all\n${JOB}`, expect: [['unknown_key', 7, 3, 'trigger.catch_up', "unknown field 'catch_up' in a blob trigger"]] },
  { title: 'bad datastore name', yaml: `${HEAD}trigger:\n  type: blob\n  datastore: "my store"\n  path: a/*\n${JOB}`, expect: [['invalid_value', 5, 14, 'trigger.datastore', "'my store' is not a datastore name"]] },
  { title: 'create_job is a list', yaml: `${HEAD}${CRON}create_job: [a]\n`, expect: [['invalid_type', 6, 13, 'create_job', 'create_job must be a mapping, got a list']] },
  { title: 'create_job without job', yaml: `${HEAD}${CRON}create_job:\n  inputs:\n    a: 1\n`, expect: [['missing_field', 7, 3, 'create_job.job', 'inline job definitions are not supported']] },
  { title: 'create_job unsupported type', yaml: `${HEAD}${CRON}create_job:\n  type: sweep\n  job: ./j.yml\n`, expect: [['unsupported_job_type', 7, 9, 'create_job.type', "create_job.type 'sweep' is not supported"]] },
  { title: 'create_job unknown key', yaml: `${HEAD}${CRON}create_job:\n  job: ./j.yml\n  trigger: x\n`, expect: [['unknown_key', 8, 3, 'create_job.trigger', "unknown field 'trigger' in create_job"]] },
  { title: 'bad registered reference', yaml: `${HEAD}${CRON}create_job: "azureml:"\n`, expect: [['invalid_value', 6, 13, 'create_job', "'azureml:' is not a job reference"]] },
  { title: 'job given as a URL', yaml: `${HEAD}${CRON}create_job:\n  job: https://example.com/job.yml\n`, expect: [['invalid_value', 7, 8, 'create_job.job', 'must be a local job file path or an azureml: reference']] },
  { title: 'input without value', yaml: `${HEAD}${CRON}create_job:\n  job: ./j.yml\n  inputs:\n    a:\n`, expect: [['invalid_value', 9, 5, 'create_job.inputs.a', 'create_job.inputs.a has no value']] },
  { title: 'input that is a list', yaml: `${HEAD}${CRON}create_job:\n  job: ./j.yml\n  inputs:\n    a: [1, 2]\n`, expect: [['invalid_type', 9, 8, 'create_job.inputs.a', 'must be a string, number or boolean, got a list']] },
  { title: 'settings is a string', yaml: `${HEAD}${CRON}create_job:\n  job: ./j.yml\n  settings: fast\n`, expect: [['invalid_type', 8, 13, 'create_job.settings', 'create_job.settings must be a mapping']] },
  { title: 'is_enabled not a boolean', yaml: `${HEAD}is_enabled: maybe\n${CRON}${JOB}`, expect: [['invalid_type', 3, 13, 'is_enabled', "is_enabled must be a boolean, got the string 'maybe'"]] },
  { title: 'tags value is a mapping', yaml: `${HEAD}tags:\n  a:\n    b: c\n${CRON}${JOB}`, expect: [['invalid_type', 5, 5, 'tags.a', "tags value 'a' must be a string, got a mapping"]] },
  {
    title: 'several problems are all reported',
    yaml: `${HEAD}trigger:\n  type: cron\n  expression: "bad"\n  time_zone: Nowhere\ncreate_job:\n  type: automl\n  job: ./j.yml\n`,
    expect: [
      ['invalid_value', 5, 15, 'trigger.expression', 'expected 5 fields'],
      ['invalid_value', 6, 14, 'trigger.time_zone', "unknown time zone 'Nowhere'"],
      ['unsupported_job_type', 8, 9, 'create_job.type', "'automl' is not supported"],
    ],
  },
];

describe('schedule YAML: rejected documents name file:line:column, path and reason', () => {
  for (const c of CASES) {
    it(c.title, () => {
      const { schedule, problems } = parseSchedule(c.yaml, 'sched.yml');
      assert.equal(schedule, undefined);
      const actual = problems.map((p) => [p.code, p.line, p.column, p.path, p.message] as const);
      assert.equal(actual.length, c.expect.length, `problems: ${JSON.stringify(actual)}`);
      c.expect.forEach(([code, line, column, fieldPath, fragment], i) => {
        const [aCode, aLine, aColumn, aPath, aMessage] = actual[i]!;
        assert.deepEqual([aCode, aLine, aColumn, aPath], [code, line, column, fieldPath], `problem ${i}: ${JSON.stringify(actual[i])}`);
        assert.ok(aMessage.includes(fragment), `'${aMessage}' should include '${fragment}'`);
        assert.equal(problems[i]!.file, 'sched.yml');
      });
    });
  }

  it('scheduleOrThrow throws one ValidationError carrying every problem', () => {
    const result = parseSchedule(CASES.at(-1)!.yaml, 'sched.yml');
    assert.throws(
      () => scheduleOrThrow(result),
      (err: unknown) => {
        assert.ok(err instanceof ValidationError);
        assert.equal(err.code, 'invalid_value');
        assert.deepEqual([err.location.file, err.location.line, err.location.column, err.location.path], ['sched.yml', 5, 15, 'trigger.expression']);
        assert.match(err.message, /^sched\.yml:5:15: trigger\.expression: /);
        assert.equal((err.details?.problems as unknown[]).length, 3);
        return true;
      },
    );
  });
});

describe('schedule YAML: files', () => {
  it('a missing job file is a missing_path problem at create_job.job', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'amlsched-schedule-'));
    try {
      const file = path.join(dir, 's.yml');
      await writeFile(file, `${HEAD}${CRON}create_job:\n  job: ./nope.yml\n`);
      const { schedule, problems } = await loadScheduleFile(file);
      assert.equal(schedule, undefined);
      assert.deepEqual(
        problems.map((p) => [p.code, p.line, p.column, p.path]),
        [['missing_path', 7, 8, 'create_job.job']],
      );
      assert.ok(problems[0]!.message.includes(path.join(dir, 'nope.yml')));
      const unchecked = await loadScheduleFile(file, { checkPaths: false });
      assert.equal(unchecked.schedule?.createJob.job.kind, 'file');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an unreadable schedule file is reported, not thrown', async () => {
    const { problems } = await loadScheduleFile(path.join(scheduleFixtures, 'no-such-file.yml'));
    assert.equal(problems[0]?.code, 'missing_path');
    assert.equal(problems[0]?.line, 1);
  });
});
