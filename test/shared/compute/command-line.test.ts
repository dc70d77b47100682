import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { buildCommandLine, literalText, paramEnvName, resolveOptionalBlocks, type CommandInput } from '../../../shared/compute/command-line';

const sandbox = mkdtempSync(path.join(os.tmpdir(), 'cmdline-'));
after(() => rmSync(sandbox, { recursive: true, force: true }));

/** Runs the built script with bash in an empty folder; returns stdout and what the folder holds afterwards. */
function run(command: string, inputs: Record<string, CommandInput | undefined>, outputs: Record<string, string> = {}): { stdout: string; files: string[] } {
  const cwd = mkdtempSync(path.join(sandbox, 'run-'));
  const line = buildCommandLine({ command, inputs, outputs });
  const result = spawnSync('bash', ['-c', line.script], { cwd, env: { ...process.env, ...line.env }, encoding: 'utf8' });
  assert.equal(result.status, 0, `bash failed: ${result.stderr}\nscript: ${line.script}`);
  return { stdout: result.stdout, files: readdirSync(cwd) };
}

const hostile = [
  '; touch pwned',
  '$(touch pwned)',
  '`touch pwned`',
  `it's "quoted"`,
  "'; touch pwned; echo '",
  '"; touch pwned; echo "',
  'line one\ntouch pwned',
  '${HOME} $PATH \\n \\',
  '&& touch pwned || touch pwned',
  '>pwned',
  '*',
];

describe('literal inputs reach the step as data', () => {
  for (const value of hostile) {
    for (const [label, template] of [
      ['bare', 'printf "%s|" ${{inputs.s}}'],
      ['double quotes', 'printf "%s|" "${{inputs.s}}"'],
      ['single quotes', "printf '%s|' '${{inputs.s}}'"],
      ['inside a word', 'printf "%s|" --arg=${{inputs.s}}'],
      ['$( ) in double quotes', 'printf "%s|" "$(printf "%s" ${{inputs.s}})"'],
      ['backticks', 'printf "%s|" "`printf "%s" ${{inputs.s}}`x"'],
      ["ANSI $'...'", "printf '%s|' $'<${{inputs.s}}>'"],
    ] as const) {
      test(`${label}: ${JSON.stringify(value)}`, () => {
        const { stdout, files } = run(template, { s: { kind: 'literal', value } });
        assert.deepEqual(files, [], 'nothing may be created');
        const expected = label === 'inside a word' ? `--arg=${value}|`
          : label === 'backticks' ? `${value.replace(/\n+$/, '')}x|`
          : label === "ANSI $'...'" ? `<${value}>|`
          : label === '$( ) in double quotes' ? `${value.replace(/\n+$/, '')}|`
          : `${value}|`;
        assert.equal(stdout, expected);
      });
    }
  }

  test('echo prints the value as Azure ML would, bare or quoted', () => {
    const value = 'hello; rm -rf ~';
    assert.equal(run('echo ${{inputs.s}}', { s: { kind: 'literal', value } }).stdout, `${value}\n`);
    assert.equal(run('echo "${{inputs.s}}"', { s: { kind: 'literal', value } }).stdout, `${value}\n`);
    assert.equal(run("echo 'v=${{inputs.s}}.'", { s: { kind: 'literal', value } }).stdout, `v=${value}.\n`);
  });

  test('numbers and booleans print the way Azure ML renders them', () => {
    const { stdout } = run('echo ${{inputs.n}} ${{inputs.f}} ${{inputs.t}} ${{inputs.b}}', {
      n: { kind: 'literal', value: 3 }, f: { kind: 'literal', value: 0.5 },
      t: { kind: 'literal', value: true }, b: { kind: 'literal', value: false },
    });
    assert.equal(stdout, '3 0.5 True False\n');
    assert.equal(literalText(true), 'True');
  });

  test('literals become environment references, never inline text', () => {
    const line = buildCommandLine({ command: 'python run.py --x ${{inputs.x}}', inputs: { x: { kind: 'literal', value: '$(id)' } }, outputs: {} });
    assert.equal(line.script, `python run.py --x "\${${paramEnvName('x')}}"`);
    assert.deepEqual(line.env, { AZUREML_PARAM_x: '$(id)' });
  });

  test('a quote inside a comment does not confuse the quoting of later placeholders', () => {
    const { stdout, files } = run("# don't worry\necho ${{inputs.s}}", { s: { kind: 'literal', value: "a'b; touch pwned" } });
    assert.deepEqual(files, []);
    assert.equal(stdout, "a'b; touch pwned\n");
  });

  test('escaped quotes keep the context right', () => {
    const { stdout } = run('echo "a\\"b ${{inputs.s}}" \\\' ${{inputs.s}}', { s: { kind: 'literal', value: '`touch pwned`' } });
    assert.equal(stdout, 'a"b `touch pwned` \' `touch pwned`\n');
  });
});

describe('here-documents', () => {
  const value = `a "b" 'c' $(touch pwned) \`touch pwned\` \\ $HOME`;
  test('unquoted body: the value is expanded from its variable, quotes stay literal', () => {
    const { stdout, files } = run('cat <<EOF\nv=${{inputs.s}} \'${{inputs.s}}\'\nEOF\necho after ${{inputs.s}}', { s: { kind: 'literal', value } });
    assert.deepEqual(files, []);
    assert.equal(stdout, `v=${value} '${value}'\nafter ${value}\n`);
  });

  test('quoted and <<- bodies take the value as it is', () => {
    const quoted = run("cat <<'EOF'\n[${{inputs.s}}] $HOME\nEOF", { s: { kind: 'literal', value } });
    assert.equal(quoted.stdout, `[${value}] $HOME\n`);
    assert.deepEqual(quoted.files, []);
    const tabs = run('cat <<-"END"\n\t${{inputs.s}}\n\tEND\necho ${{inputs.s}}', { s: { kind: 'literal', value } });
    assert.equal(tabs.stdout, `${value}\n${value}\n`);
  });

  test('a path in an unquoted body is escaped', () => {
    const weird = path.join(sandbox, 'has $dollar and `tick`');
    assert.equal(run('cat <<EOF\n${{outputs.o}}\nEOF', {}, { o: weird }).stdout, `${weird}\n`);
  });

  test('a value that would end a quoted body early is refused', () => {
    assert.throws(() => buildCommandLine({ command: "cat <<'EOF'\n${{inputs.s}}\nEOF", inputs: { s: { kind: 'literal', value: 'x\nEOF\ntouch pwned' } }, outputs: {} }), { code: 'unsafe_heredoc_value' });
  });

  test('apostrophes in a body do not confuse later placeholders', () => {
    const { stdout, files } = run("cat <<EOF\ndon't\nEOF\necho ${{inputs.s}}", { s: { kind: 'literal', value: '; touch pwned' } });
    assert.deepEqual(files, []);
    assert.equal(stdout, "don't\n; touch pwned\n");
  });
});

describe('paths', () => {
  const weird = path.join(sandbox, "in dir $(x) 'q' \"d\"");
  test('data input and output paths are quoted in every context', () => {
    for (const template of ['printf "%s|" ${{inputs.d}}/f', 'printf "%s|" "${{inputs.d}}/f"', "printf '%s|' '${{inputs.d}}/f'"]) {
      const { stdout } = run(template, { d: { kind: 'path', path: weird } });
      assert.equal(stdout, `${weird}/f|`);
    }
    const { stdout } = run('printf "%s|" ${{outputs.o}}', {}, { o: weird });
    assert.equal(stdout, `${weird}|`);
  });
});

describe('optional blocks', () => {
  test('kept without brackets when every input is provided, dropped otherwise', () => {
    const inputs: Record<string, CommandInput | undefined> = { a: { kind: 'literal', value: 1 }, b: undefined };
    assert.equal(resolveOptionalBlocks('run $[[--a ${{inputs.a}}]] $[[--b ${{inputs.b}}]] end', inputs), 'run --a ${{inputs.a}}  end');
    assert.equal(resolveOptionalBlocks('x $[[--a ${{inputs.a}} --b ${{inputs.b}}]]', inputs), 'x ');
    const { stdout } = run('echo start $[[--a ${{inputs.a}}]]$[[ --c ${{inputs.c}}]]', inputs);
    assert.equal(stdout, 'start --a 1\n');
  });

  test('an unclosed block is a validation error', () => {
    assert.throws(() => resolveOptionalBlocks('x $[[ --a ${{inputs.a}}', {}), { code: 'unclosed_optional_block' });
  });
});

describe('errors', () => {
  test('a placeholder with no input or output names it', () => {
    assert.throws(() => buildCommandLine({ command: 'echo ${{inputs.missing}}', inputs: {}, outputs: {} }), { code: 'missing_input', message: /missing/ });
    assert.throws(() => buildCommandLine({ command: 'echo ${{outputs.o}}', inputs: {}, outputs: {} }), { code: 'unknown_output' });
  });
});
