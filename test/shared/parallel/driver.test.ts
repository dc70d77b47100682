/** The shipped Python driver against Azure ML's run_function contract, run with the machine's interpreter. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { DRIVER_FILE, driverSource } from '../../../shared/parallel/driver-file';

const PYTHON = process.env.AMLSCHED_PYTHON ?? '/usr/bin/python3';
const dir = mkdtempSync(path.join(os.tmpdir(), 'amlsched-driver-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, DRIVER_FILE), driverSource().text);

function drive(script: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  writeFileSync(path.join(dir, 'entry.py'), script);
  const r = spawnSync(PYTHON, [DRIVER_FILE, '--entry-script', 'entry.py', ...args], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('init once, run with the file list, program arguments in sys.argv, rows one a line', () => {
  const script = 'import sys\ncalls = []\ndef init():\n    calls.append("init")\ndef run(mb):\n    calls.append("run")\n    return [sys.argv[1:], *mb, calls]\n';
  const rows = path.join(dir, 'out', 'rows.txt');
  const r = drive(script, ['--file', 'a.csv', '--file', 'b.csv', '--rows', rows, '--', '--model', 'm', '--k', '3']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readFileSync(rows, 'utf8').split('\n'), ["['--model', 'm', '--k', '3']", 'a.csv', 'b.csv', "['init', 'run']", '']);
});

test('an exception in run() fails the mini-batch with its traceback', () => {
  const r = drive('def run(mb):\n    raise ValueError("bad input %s" % mb[0])\n', ['--file', 'x.csv']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /ValueError: bad input x\.csv/);
});

test('a tabular mini-batch arrives as a pandas DataFrame; returned frames become space-joined rows', () => {
  writeFileSync(path.join(dir, 'slice.csv'), 'id;x\n1;10\n2;20\n');
  const rows = path.join(dir, 'rows2.txt');
  const r = drive('def run(df):\n    df["y"] = df.x * 2\n    return df\n', ['--table', 'slice.csv', '--delimiter', ';', '--rows', rows]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(rows, 'utf8'), '1 10 20\n2 20 40\n');
});

test('without pandas the tabular case says what to install or set', () => {
  // A Python that cannot import pandas: isolated mode with an empty path.
  writeFileSync(path.join(dir, 'entry.py'), 'def run(df):\n    return df\n');
  const r = spawnSync(PYTHON, ['-I', '-S', DRIVER_FILE, '--entry-script', 'entry.py', '--table', 'slice.csv'], { cwd: dir, encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /needs pandas.*python3-pandas.*AMLSCHED_PYTHON/s);
});
