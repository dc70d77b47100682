/**
 * Negative cases: small documents, each with exactly one problem, and the problem expected
 * (code, line, column, field path and reason). `files` are written next to `p.yml`.
 */
import type { ProblemCode } from '../../../shared/spec/problems';

export interface NegativeCase {
  name: string;
  yaml: string;
  files?: Record<string, string>;
  expect: { code: ProblemCode; file?: string; line: number; column: number; path: string; message: string };
}

/** A valid command component with inputs and outputs of each kind. */
const COMPONENT = `type: command
name: comp
version: 1
inputs:
  data:
    type: uri_folder
  n:
    type: integer
    min: 1
    max: 10
  mode:
    type: string
    enum: [fast, slow]
    default: fast
  opt:
    type: string
    optional: true
outputs:
  model:
    type: mlflow_model
  file:
    type: uri_file
environment: azureml:env:1
command: echo \${{inputs.data}} \${{inputs.n}} $[[--opt \${{inputs.opt}}]] \${{outputs.model}}
`;

export const negativeCases: NegativeCase[] = [
  {
    name: "yaml_bad_indent",
    yaml: `type: pipeline
jobs:
  a:
    command: echo
   environment: azureml:env:1
`,
    expect: { code: "yaml_syntax", file: "p.yml", line: 5, column: 1, path: "", message: "YAML syntax error: All mapping items must start at the same column" },
  },
  {
    name: "yaml_unclosed_flow",
    yaml: `type: pipeline
jobs:
  a:
    command: echo
    environment: azureml:env:1
    tags: [a, b
`,
    expect: { code: "yaml_syntax", file: "p.yml", line: 7, column: 1, path: "", message: "YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]" },
  },
  {
    name: "yaml_duplicate_key",
    yaml: `type: pipeline
jobs:
  a:
    command: echo
    command: echo again
    environment: azureml:env:1
`,
    expect: { code: "yaml_syntax", file: "p.yml", line: 5, column: 5, path: "", message: "YAML syntax error: Map keys must be unique" },
  },
  {
    name: "unknown_top_level_key",
    yaml: `type: pipeline
display_nam: x
jobs:
  a:
    command: echo
    environment: azureml:env:1
`,
    expect: { code: "unknown_key", file: "p.yml", line: 2, column: 1, path: "display_nam", message: "unknown field 'display_nam' in pipeline job (allowed: $schema, type, name, display_name, description, tags, properties, experiment_name, compute, settings, inputs, outputs, jobs, identity, services, comment)" },
  },
  {
    name: "unknown_job_key",
    yaml: `type: pipeline
jobs:
  a:
    command: echo
    environment: azureml:env:1
    computer: cpu
`,
    expect: { code: "unknown_key", file: "p.yml", line: 6, column: 5, path: "jobs.a.computer", message: "unknown field 'computer' in command job 'a' (allowed: type, name, display_name, description, tags, properties, experiment_name, compute, component, inputs, outputs, comment, identity, command, code, environment, environment_variables, resources, distribution, limits, retry_settings, services, queue_settings)" },
  },
  {
    name: "unknown_component_input_key",
    yaml: `type: pipeline
jobs:
  a:
    component: ./bad.yml
    inputs:
      x: hello
`,
    files: { "bad.yml": `type: command
inputs:
  x:
    type: string
    defualt: hi
environment: azureml:env:1
command: echo` },
    expect: { code: "unknown_key", file: "bad.yml", line: 5, column: 5, path: "inputs.x.defualt", message: "unknown field 'defualt' in input 'x' (allowed: type, description, default, optional, enum, min, max, mode, path)" },
  },
  {
    name: "unknown_output_key",
    yaml: `type: pipeline
jobs:
  a:
    command: echo \${{outputs.o}}
    environment: azureml:env:1
    outputs:
      o:
        registration: x
`,
    expect: { code: "unknown_key", file: "p.yml", line: 8, column: 9, path: "jobs.a.outputs.o.registration", message: "unknown field 'registration' in output 'o' (allowed: type, mode, path, name, version, description)" },
  },
  {
    name: "unknown_task_key",
    yaml: `type: pipeline
jobs:
  p:
    type: parallel
    inputs:
      d: {type: uri_folder, path: azureml://datastores/ws/paths/d/}
    input_data: \${{inputs.d}}
    task:
      type: run_function
      entry_script: score.py
      entry: x
`,
    expect: { code: "unknown_key", file: "p.yml", line: 11, column: 7, path: "jobs.p.task.entry", message: "unknown field 'entry' in task (allowed: type, code, entry_script, program_arguments, append_row_to, environment)" },
  },
  {
    name: "unsupported_automl",
    yaml: `type: pipeline
jobs:
  a:
    type: automl
    task: classification
`,
    expect: { code: "unsupported_job_type", file: "p.yml", line: 4, column: 11, path: "jobs.a.type", message: "Azure ML job type 'automl' is not supported by amlsched (supported: command, parallel, pipeline); nothing was run" },
  },
  {
    name: "unsupported_spark",
    yaml: `type: pipeline
jobs:
  a:
    type: spark
`,
    expect: { code: "unsupported_job_type", file: "p.yml", line: 4, column: 11, path: "jobs.a.type", message: "Azure ML job type 'spark' is not supported by amlsched (supported: command, parallel, pipeline); nothing was run" },
  },
  {
    name: "unknown_job_type",
    yaml: `type: pipeline
jobs:
  a:
    type: foo
`,
    expect: { code: "unsupported_job_type", file: "p.yml", line: 4, column: 11, path: "jobs.a.type", message: "unknown job type 'foo' is not supported by amlsched (supported: command, parallel, pipeline); nothing was run" },
  },
  {
    name: "unsupported_top_level_sweep",
    yaml: `type: sweep
trial: ./t.yml
`,
    expect: { code: "unsupported_job_type", file: "p.yml", line: 1, column: 7, path: "type", message: "Azure ML job type 'sweep' is not supported by amlsched (supported: command, parallel, pipeline); nothing was run" },
  },
  {
    name: "unsupported_component_type",
    yaml: `type: pipeline
jobs:
  a:
    component: ./s.yml
`,
    files: { "s.yml": `type: spark
name: s` },
    expect: { code: "unsupported_job_type", file: "s.yml", line: 1, column: 7, path: "type", message: "Azure ML component type 'spark' is not supported by amlsched (supported: command, parallel, pipeline); nothing was run" },
  },
  {
    name: "jobs_not_a_map",
    yaml: `type: pipeline
jobs:
  - a
`,
    expect: { code: "invalid_type", file: "p.yml", line: 3, column: 3, path: "jobs", message: "jobs must be a mapping, got a list" },
  },
  {
    name: "tags_not_a_map",
    yaml: `type: pipeline
tags: [a]
jobs:
  a:
    command: echo
    environment: azureml:env:1
`,
    expect: { code: "invalid_type", file: "p.yml", line: 2, column: 7, path: "tags", message: "tags must be a mapping, got a list" },
  },
  {
    name: "timeout_not_integer",
    yaml: `type: pipeline
jobs:
  a:
    command: echo
    environment: azureml:env:1
    limits:
      timeout: 1h
`,
    expect: { code: "invalid_type", file: "p.yml", line: 7, column: 16, path: "jobs.a.limits.timeout", message: "limits.timeout must be an integer, got the string '1h'" },
  },
  {
    name: "force_rerun_not_boolean",
    yaml: `type: pipeline
settings:
  force_rerun: maybe
jobs:
  a:
    command: echo
    environment: azureml:env:1
`,
    expect: { code: "invalid_type", file: "p.yml", line: 3, column: 16, path: "settings.force_rerun", message: "force_rerun must be a boolean, got the string 'maybe'" },
  },
  {
    name: "unknown_step_in_binding",
    yaml: `type: pipeline
jobs:
  a:
    command: echo \${{inputs.x}}
    environment: azureml:env:1
    inputs:
      x: \${{parent.jobs.nope.outputs.out}}
`,
    expect: { code: "unknown_step", file: "p.yml", line: 7, column: 10, path: "jobs.a.inputs.x", message: "${{parent.jobs.nope.outputs.out}}: there is no step 'nope' (steps: a)" },
  },
  {
    name: "unknown_output_in_binding",
    yaml: `type: pipeline
jobs:
  a:
    command: echo \${{outputs.out}}
    environment: azureml:env:1
    outputs:
      out:
  b:
    command: echo \${{inputs.x}}
    environment: azureml:env:1
    inputs:
      x: \${{parent.jobs.a.outputs.result}}
`,
    expect: { code: "unknown_output", file: "p.yml", line: 12, column: 10, path: "jobs.b.inputs.x", message: "${{parent.jobs.a.outputs.result}}: step 'a' has no output 'result' (outputs: out)" },
  },
  {
    name: "unknown_parent_input",
    yaml: `type: pipeline
inputs:
  rate: 0.1
jobs:
  a:
    command: echo \${{inputs.x}}
    environment: azureml:env:1
    inputs:
      x: \${{parent.inputs.rat}}
`,
    expect: { code: "unknown_input", file: "p.yml", line: 9, column: 10, path: "jobs.a.inputs.x", message: "${{parent.inputs.rat}}: the pipeline has no input 'rat' (inputs: rate)" },
  },
  {
    name: "unknown_parent_output",
    yaml: `type: pipeline
jobs:
  a:
    command: echo \${{outputs.out}}
    environment: azureml:env:1
    outputs:
      out: \${{parent.outputs.final}}
`,
    expect: { code: "unknown_output", file: "p.yml", line: 7, column: 12, path: "jobs.a.outputs.out", message: "${{parent.outputs.final}}: the pipeline has no output 'final' (outputs: none)" },
  },
  {
    name: "cycle_two_steps",
    yaml: `type: pipeline
jobs:
  a:
    command: echo \${{inputs.x}} \${{outputs.out}}
    environment: azureml:env:1
    inputs:
      x: \${{parent.jobs.b.outputs.out}}
    outputs:
      out:
  b:
    command: echo \${{inputs.x}} \${{outputs.out}}
    environment: azureml:env:1
    inputs:
      x: \${{parent.jobs.a.outputs.out}}
    outputs:
      out:
`,
    expect: { code: "cycle", file: "p.yml", line: 3, column: 3, path: "jobs.a", message: "steps form a cycle: a -> b -> a (each uses an output of the next)" },
  },
  {
    name: "cycle_three_steps",
    yaml: `type: pipeline
jobs:
  a:
    command: echo \${{inputs.x}} \${{outputs.out}}
    environment: azureml:env:1
    inputs:
      x: \${{parent.jobs.c.outputs.out}}
    outputs:
      out:
  b:
    command: echo \${{inputs.x}} \${{outputs.out}}
    environment: azureml:env:1
    inputs:
      x: \${{parent.jobs.a.outputs.out}}
    outputs:
      out:
  c:
    command: echo \${{inputs.x}} \${{outputs.out}}
    environment: azureml:env:1
    inputs:
      x: \${{parent.jobs.b.outputs.out}}
    outputs:
      out:
`,
    expect: { code: "cycle", file: "p.yml", line: 3, column: 3, path: "jobs.a", message: "steps form a cycle: a -> c -> b -> a (each uses an output of the next)" },
  },
  {
    name: "self_reference",
    yaml: `type: pipeline
jobs:
  a:
    command: echo \${{inputs.x}} \${{outputs.out}}
    environment: azureml:env:1
    inputs:
      x: \${{parent.jobs.a.outputs.out}}
    outputs:
      out:
`,
    expect: { code: "cycle", file: "p.yml", line: 7, column: 10, path: "jobs.a.inputs.x", message: "step 'a' uses its own output 'out'" },
  },
  {
    name: "incompatible_file_to_folder",
    yaml: `type: pipeline
jobs:
  a:
    component: ./c.yml
    inputs:
      data: \${{parent.jobs.b.outputs.file}}
      n: 3
  b:
    component: ./c.yml
    inputs:
      data: {type: uri_folder, path: azureml://datastores/ws/paths/d/}
      n: 3
`,
    files: { "c.yml": COMPONENT },
    expect: { code: "incompatible_binding", file: "p.yml", line: 6, column: 13, path: "jobs.a.inputs.data", message: "input 'data' (uri_folder) cannot take output 'file' of step 'b' (uri_file)" },
  },
  {
    name: "incompatible_data_to_integer",
    yaml: `type: pipeline
jobs:
  a:
    component: ./c.yml
    inputs:
      data: {type: uri_folder, path: azureml://datastores/ws/paths/d/}
      n: \${{parent.jobs.b.outputs.model}}
  b:
    component: ./c.yml
    inputs:
      data: {type: uri_folder, path: azureml://datastores/ws/paths/d/}
      n: 3
`,
    files: { "c.yml": COMPONENT },
    expect: { code: "incompatible_binding", file: "p.yml", line: 7, column: 10, path: "jobs.a.inputs.n", message: "input 'n' (integer) cannot take output 'model' of step 'b' (mlflow_model)" },
  },
  {
    name: "literal_for_data_input",
    yaml: `type: pipeline
jobs:
  a:
    component: ./c.yml
    inputs:
      data: hello
      n: 3
`,
    files: { "c.yml": COMPONENT },
    expect: { code: "incompatible_binding", file: "p.yml", line: 6, column: 13, path: "jobs.a.inputs.data", message: "input 'data' is a uri_folder input and needs data (a path), got the literal \"hello\"" },
  },
  {
    name: "missing_required_input",
    yaml: `type: pipeline
jobs:
  a:
    component: ./c.yml
    inputs:
      n: 3
`,
    files: { "c.yml": COMPONENT },
    expect: { code: "missing_input", file: "p.yml", line: 3, column: 3, path: "jobs.a", message: "step 'a' does not set required input 'data' (uri_folder)" },
  },
  {
    name: "required_input_left_empty",
    yaml: `type: pipeline
jobs:
  a:
    component: ./c.yml
    inputs:
      data:
      n: 3
`,
    files: { "c.yml": COMPONENT },
    expect: { code: "missing_input", file: "p.yml", line: 6, column: 7, path: "jobs.a.inputs.data", message: "step 'a' leaves required input 'data' (uri_folder) empty" },
  },
  {
    name: "integer_input_given_text",
    yaml: `type: pipeline
jobs:
  a:
    component: ./c.yml
    inputs:
      data: {type: uri_folder, path: azureml://datastores/ws/paths/d/}
      n: abc
`,
    files: { "c.yml": COMPONENT },
    expect: { code: "invalid_value", file: "p.yml", line: 7, column: 10, path: "jobs.a.inputs.n", message: "input 'n' expects an integer, got \"abc\"" },
  },
  {
    name: "enum_violation",
    yaml: `type: pipeline
jobs:
  a:
    component: ./c.yml
    inputs:
      data: {type: uri_folder, path: azureml://datastores/ws/paths/d/}
      n: 3
      mode: medium
`,
    files: { "c.yml": COMPONENT },
    expect: { code: "invalid_value", file: "p.yml", line: 8, column: 13, path: "jobs.a.inputs.mode", message: "input 'mode' value \"medium\" is not one of the enum values \"fast\", \"slow\"" },
  },
  {
    name: "below_min",
    yaml: `type: pipeline
jobs:
  a:
    component: ./c.yml
    inputs:
      data: {type: uri_folder, path: azureml://datastores/ws/paths/d/}
      n: 0
`,
    files: { "c.yml": COMPONENT },
    expect: { code: "invalid_value", file: "p.yml", line: 7, column: 10, path: "jobs.a.inputs.n", message: "input 'n' value 0 is below min 1" },
  },
  {
    name: "above_max",
    yaml: `type: pipeline
jobs:
  a:
    component: ./c.yml
    inputs:
      data: {type: uri_folder, path: azureml://datastores/ws/paths/d/}
      n: 11
`,
    files: { "c.yml": COMPONENT },
    expect: { code: "invalid_value", file: "p.yml", line: 7, column: 10, path: "jobs.a.inputs.n", message: "input 'n' value 11 is above max 10" },
  },
  {
    name: "component_file_bad_yaml",
    yaml: `type: pipeline
jobs:
  a:
    component: ./broken.yml
`,
    files: { "broken.yml": `type: command
command: [echo` },
    expect: { code: "yaml_syntax", file: "broken.yml", line: 2, column: 15, path: "", message: "YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]" },
  },
  {
    name: "component_file_is_a_folder",
    yaml: `type: pipeline
jobs:
  a:
    component: ./comp_dir
`,
    files: { "comp_dir/": `` },
    expect: { code: "unreadable_file", file: "p.yml", line: 4, column: 16, path: "jobs.a.component", message: "cannot read './comp_dir': it is a folder, not a YAML file" },
  },
  {
    name: "component_file_missing",
    yaml: `type: pipeline
jobs:
  a:
    component: file:./nope.yml
`,
    expect: { code: "missing_path", file: "p.yml", line: 4, column: 16, path: "jobs.a.component", message: "local file './nope.yml' does not exist" },
  },
  {
    name: "missing_local_data",
    yaml: `type: pipeline
jobs:
  a:
    command: ls \${{inputs.d}}
    environment: azureml:env:1
    inputs:
      d:
        type: uri_folder
        path: ./no-such-data
`,
    expect: { code: "missing_path", file: "p.yml", line: 9, column: 15, path: "jobs.a.inputs.d.path", message: "local path './no-such-data' does not exist" },
  },
  {
    name: "missing_code_folder",
    yaml: `type: pipeline
jobs:
  a:
    command: python run.py
    code: ./src
    environment: azureml:env:1
`,
    expect: { code: "missing_path", file: "p.yml", line: 5, column: 11, path: "jobs.a.code", message: "local path './src' does not exist" },
  },
  {
    name: "command_unknown_input",
    yaml: `type: pipeline
jobs:
  a:
    command: echo \${{inputs.nope}}
    environment: azureml:env:1
`,
    expect: { code: "unknown_input", file: "p.yml", line: 4, column: 14, path: "jobs.a.command", message: "command uses ${{inputs.nope}}, which is not an input (inputs: none)" },
  },
  {
    name: "command_unknown_output",
    yaml: `type: pipeline
jobs:
  a:
    command: echo \${{outputs.nope}}
    environment: azureml:env:1
`,
    expect: { code: "unknown_output", file: "p.yml", line: 4, column: 14, path: "jobs.a.command", message: "command uses ${{outputs.nope}}, which is not an output (outputs: none)" },
  },
  {
    name: "optional_block_required_input",
    yaml: `type: pipeline
jobs:
  a:
    component: ./opt.yml
`,
    files: { "opt.yml": `type: command
inputs:
  n:
    type: integer
    default: 1
environment: azureml:env:1
command: echo $[[--n \${{inputs.n}}]]` },
    expect: { code: "invalid_binding", file: "opt.yml", line: 7, column: 10, path: "command", message: "optional block $[[...]] uses required input 'n'; only optional inputs belong in $[[...]]" },
  },
  {
    name: "command_parent_binding",
    yaml: `type: pipeline
inputs:
  x: 1
jobs:
  a:
    command: echo \${{parent.inputs.x}}
    environment: azureml:env:1
`,
    expect: { code: "invalid_binding", file: "p.yml", line: 6, column: 14, path: "jobs.a.command", message: "command uses ${{parent.inputs.x}}; a command may only use ${{inputs.X}} and ${{outputs.X}}" },
  },
  {
    name: "output_local_path",
    yaml: `type: pipeline
jobs:
  a:
    command: echo \${{outputs.o}}
    environment: azureml:env:1
    outputs:
      o:
        path: ./out
`,
    expect: { code: "invalid_value", file: "p.yml", line: 8, column: 15, path: "jobs.a.outputs.o.path", message: "output path './out' must be a datastore URI (azureml://datastores/D/paths/P) or a storage URL" },
  },
  {
    name: "output_bad_macro",
    yaml: `type: pipeline
jobs:
  a:
    command: echo \${{outputs.o}}
    environment: azureml:env:1
    outputs:
      o:
        path: azureml://datastores/ws/paths/out/\${{run_id}}/
`,
    expect: { code: "invalid_value", file: "p.yml", line: 8, column: 15, path: "jobs.a.outputs.o.path", message: "output path 'azureml://datastores/ws/paths/out/${{run_id}}/' uses ${{run_id}}; allowed macros: ${{name}}, ${{output_name}}" },
  },
  {
    name: "bad_mini_batch_size",
    yaml: `type: pipeline
jobs:
  p:
    type: parallel
    inputs:
      d: {type: uri_folder, path: azureml://datastores/ws/paths/d/}
    input_data: \${{inputs.d}}
    mini_batch_size: 10xb
    task:
      type: run_function
      entry_script: score.py
`,
    expect: { code: "invalid_value", file: "p.yml", line: 8, column: 22, path: "jobs.p.mini_batch_size", message: "mini_batch_size must be a positive file count or a size such as 10kb, 1mb, 1gb; got the string '10xb'" },
  },
  {
    name: "parallel_input_data_unknown",
    yaml: `type: pipeline
jobs:
  p:
    type: parallel
    inputs:
      d: {type: uri_folder, path: azureml://datastores/ws/paths/d/}
    input_data: \${{inputs.data}}
    task:
      type: run_function
      entry_script: score.py
`,
    expect: { code: "unknown_input", file: "p.yml", line: 7, column: 17, path: "jobs.p.input_data", message: "input_data names input 'data', which the step does not have (inputs: d)" },
  },
  {
    name: "append_row_to_unknown",
    yaml: `type: pipeline
jobs:
  p:
    type: parallel
    inputs:
      d: {type: uri_folder, path: azureml://datastores/ws/paths/d/}
    outputs:
      result:
        type: uri_file
    input_data: \${{inputs.d}}
    task:
      type: run_function
      entry_script: score.py
      append_row_to: \${{outputs.results}}
`,
    expect: { code: "unknown_output", file: "p.yml", line: 14, column: 22, path: "jobs.p.task.append_row_to", message: "append_row_to names output 'results', which the step does not have (outputs: result)" },
  },
  {
    name: "bad_input_mode",
    yaml: `type: pipeline
jobs:
  a:
    command: ls \${{inputs.d}}
    environment: azureml:env:1
    inputs:
      d:
        type: uri_folder
        path: azureml://datastores/ws/paths/d/
        mode: mount
`,
    expect: { code: "invalid_value", file: "p.yml", line: 10, column: 15, path: "jobs.a.inputs.d.mode", message: "input mode 'mount' is not one of ro_mount, download, direct, eval_mount, eval_download, rw_mount" },
  },
  {
    name: "bad_output_mode",
    yaml: `type: pipeline
jobs:
  a:
    command: ls \${{outputs.o}}
    environment: azureml:env:1
    outputs:
      o:
        type: uri_folder
        mode: download
`,
    expect: { code: "invalid_value", file: "p.yml", line: 9, column: 15, path: "jobs.a.outputs.o.mode", message: "output mode 'download' is not one of rw_mount, upload, direct" },
  },
  {
    name: "registered_component_offline",
    yaml: `type: pipeline
jobs:
  a:
    component: azureml:train:3
`,
    expect: { code: "unresolved_reference", file: "p.yml", line: 4, column: 16, path: "jobs.a.component", message: "registered component azureml:train:3 cannot be looked up: no registry available (offline)" },
  },
  {
    name: "bad_environment_reference",
    yaml: `type: pipeline
jobs:
  a:
    command: echo
    environment: python:3.10
`,
    expect: { code: "invalid_value", file: "p.yml", line: 5, column: 18, path: "jobs.a.environment", message: "environment 'python:3.10' is not azureml:NAME:VERSION, azureml:NAME@latest, a registry URI or an inline environment" },
  },
  {
    name: "job_without_command_or_component",
    yaml: `type: pipeline
jobs:
  a:
    environment: azureml:env:1
`,
    expect: { code: "missing_field", file: "p.yml", line: 4, column: 5, path: "jobs.a", message: "command job 'a' needs a 'command' or a 'component'" },
  },
  {
    name: "component_and_command",
    yaml: `type: pipeline
jobs:
  a:
    component: ./c.yml
    command: echo
    inputs:
      data: {type: uri_folder, path: azureml://datastores/ws/paths/d/}
      n: 3
`,
    files: { "c.yml": COMPONENT },
    expect: { code: "invalid_value", file: "p.yml", line: 5, column: 14, path: "jobs.a.command", message: "job 'a' sets both 'component' and 'command'; the command belongs in the component" },
  },
  {
    name: "output_version_without_name",
    yaml: `type: pipeline
jobs:
  a:
    command: echo \${{outputs.o}}
    environment: azureml:env:1
    outputs:
      o:
        type: uri_folder
        version: 2
`,
    expect: { code: "missing_field", file: "p.yml", line: 9, column: 18, path: "jobs.a.outputs.o.version", message: "output 'o' sets 'version' without 'name'; registration needs a name" },
  },
  {
    name: "absolute_local_path",
    yaml: `type: pipeline
jobs:
  a:
    command: ls \${{inputs.d}}
    environment: azureml:env:1
    inputs:
      d:
        type: uri_folder
        path: /srv/data
`,
    expect: { code: "path_outside_root", file: "p.yml", line: 9, column: 15, path: "jobs.a.inputs.d.path", message: "local path '/srv/data' is absolute; write it relative to the YAML file" },
  },
  {
    name: "path_escapes_root",
    yaml: `type: pipeline
jobs:
  a:
    component: ../../../../../../../../../../../outside.yml
`,
    expect: { code: "path_outside_root", file: "p.yml", line: 4, column: 16, path: "jobs.a.component", message: "component file '../../../../../../../../../../../outside.yml' is outside the source root" },
  },
  {
    name: "component_type_mismatch",
    yaml: `type: pipeline
jobs:
  a:
    type: command
    component: ./par.yml
`,
    files: { "par.yml": `type: parallel
input_data: \${{inputs.d}}
inputs:
  d:
    type: uri_folder
task:
  type: run_function
  entry_script: s.py` },
    expect: { code: "invalid_value", file: "p.yml", line: 5, column: 16, path: "jobs.a.component", message: "job 'a' is of type command but its component is of type parallel" },
  },
  {
    name: "bad_step_name",
    yaml: `type: pipeline
jobs:
  my-step:
    command: echo
    environment: azureml:env:1
`,
    expect: { code: "invalid_value", file: "p.yml", line: 3, column: 3, path: "jobs.my-step", message: "step name 'my-step' must start with a letter or _ and hold only letters, digits and _" },
  },
  {
    name: "inputs_expression_in_pipeline_input",
    yaml: `type: pipeline
jobs:
  a:
    command: echo \${{inputs.x}}
    environment: azureml:env:1
    inputs:
      x: \${{inputs.y}}
`,
    expect: { code: "invalid_binding", file: "p.yml", line: 7, column: 10, path: "jobs.a.inputs.x", message: "'${{inputs.y}}' cannot feed an input: use ${{parent.inputs.X}} or ${{parent.jobs.STEP.outputs.X}} (in a pipeline job, write ${{parent.inputs.y}})" },
  },
  {
    name: "pipeline_output_bound_twice",
    yaml: `type: pipeline
outputs:
  final:
jobs:
  a:
    command: echo \${{outputs.o}}
    environment: azureml:env:1
    outputs:
      o: \${{parent.outputs.final}}
  b:
    command: echo \${{outputs.o}}
    environment: azureml:env:1
    outputs:
      o: \${{parent.outputs.final}}
`,
    expect: { code: "invalid_binding", file: "p.yml", line: 14, column: 10, path: "jobs.b.outputs.o", message: "pipeline output 'final' is already bound to step 'a'" },
  },
  {
    name: "unknown_component_input",
    yaml: `type: pipeline
jobs:
  a:
    component: ./c.yml
    inputs:
      data: {type: uri_folder, path: azureml://datastores/ws/paths/d/}
      n: 3
      extra: 1
`,
    files: { "c.yml": COMPONENT },
    expect: { code: "unknown_input", file: "p.yml", line: 8, column: 7, path: "jobs.a.inputs.extra", message: "step 'a' has no input 'extra' (its component declares: data, n, mode, opt)" },
  },
  {
    name: "unknown_component_output",
    yaml: `type: pipeline
jobs:
  a:
    component: ./c.yml
    inputs:
      data: {type: uri_folder, path: azureml://datastores/ws/paths/d/}
      n: 3
    outputs:
      report:
        type: uri_file
`,
    files: { "c.yml": COMPONENT },
    expect: { code: "unknown_output", file: "p.yml", line: 9, column: 7, path: "jobs.a.outputs.report", message: "step 'a' has no output 'report' (its component declares: model, file)" },
  },
  {
    name: "bad_distribution_type",
    yaml: `type: pipeline
jobs:
  a:
    command: echo
    environment: azureml:env:1
    distribution:
      type: horovod
`,
    expect: { code: "invalid_value", file: "p.yml", line: 7, column: 13, path: "jobs.a.distribution.type", message: "distribution type 'horovod' is not one of mpi, pytorch, tensorflow, ray" },
  },
  {
    name: "bad_compute_name",
    yaml: `type: pipeline
jobs:
  a:
    command: echo
    environment: azureml:env:1
    compute: azureml:cpu cluster
`,
    expect: { code: "invalid_value", file: "p.yml", line: 6, column: 14, path: "jobs.a.compute", message: "compute 'azureml:cpu cluster' is not a compute name (azureml:NAME or NAME)" },
  },
  {
    name: "asset_without_version",
    yaml: `type: pipeline
jobs:
  a:
    command: ls \${{inputs.d}}
    environment: azureml:env:1
    inputs:
      d:
        type: uri_folder
        path: azureml:iris
`,
    expect: { code: "invalid_value", file: "p.yml", line: 9, column: 15, path: "jobs.a.inputs.d.path", message: "'azureml:iris' is not a data asset reference (azureml:NAME:VERSION or azureml:NAME@latest)" },
  },
  {
    name: "task_type_model",
    yaml: `type: pipeline
jobs:
  p:
    type: parallel
    inputs:
      d: {type: uri_folder, path: azureml://datastores/ws/paths/d/}
    input_data: \${{inputs.d}}
    task:
      type: model
      entry_script: score.py
`,
    expect: { code: "invalid_value", file: "p.yml", line: 9, column: 13, path: "jobs.p.task.type", message: "task.type 'model' is not supported (only run_function)" },
  },
  {
    name: "missing_jobs",
    yaml: `type: pipeline
display_name: empty
`,
    expect: { code: "missing_field", file: "p.yml", line: 1, column: 1, path: "", message: "a pipeline needs 'jobs'" },
  },
  {
    name: "optional_block_without_input",
    yaml: `type: pipeline
jobs:
  a:
    command: echo $[[--flag]]
    environment: azureml:env:1
`,
    expect: { code: "invalid_binding", file: "p.yml", line: 4, column: 14, path: "jobs.a.command", message: "optional block $[[...]] number 1 references no optional input" },
  },
  {
    name: "additional_includes_refused",
    yaml: `type: pipeline
jobs:
  a:
    component: ./inc.yml
`,
    files: { "inc.yml": `type: command
additional_includes:
  - ../shared
environment: azureml:env:1
command: echo
` },
    expect: { code: "unsupported_field", file: "inc.yml", line: 3, column: 3, path: "additional_includes", message: "additional_includes is not supported by amlsched: put the files in the code folder" },
  },
  {
    name: "settings_on_pipeline_node",
    yaml: `type: pipeline
jobs:
  sub:
    type: pipeline
    component: ./sub.yml
    settings:
      force_rerun: true
`,
    files: { "sub.yml": `type: pipeline
jobs:
  a:
    command: echo
    environment: azureml:env:1
` },
    expect: { code: "unknown_key", file: "p.yml", line: 6, column: 5, path: "jobs.sub.settings", message: "unknown field 'settings' in pipeline job 'sub' (allowed: type, name, display_name, description, tags, properties, experiment_name, compute, component, inputs, outputs, comment, identity)" },
  },
  {
    name: "pipeline_component_uses_itself",
    yaml: `type: pipeline
jobs:
  outer:
    type: pipeline
    component: ./loop.yml
`,
    files: { "loop.yml": `type: pipeline
jobs:
  inner:
    type: pipeline
    component: ./loop.yml
` },
    expect: { code: "cycle", file: "loop.yml", line: 5, column: 16, path: "jobs.inner.component", message: "component files use each other in a cycle: loop.yml -> loop.yml" },
  },
  {
    name: "pipeline_literal_unfit_for_input",
    yaml: `type: pipeline
inputs:
  epochs: many
jobs:
  a:
    component: ./c.yml
    inputs:
      data: {type: uri_folder, path: azureml://datastores/ws/paths/d/}
      n: \${{parent.inputs.epochs}}
`,
    files: { "c.yml": COMPONENT },
    expect: { code: "incompatible_binding", file: "p.yml", line: 9, column: 10, path: "jobs.a.inputs.n", message: "input 'n' expects an integer, got \"many\" from pipeline input 'epochs' (string)" },
  },
];
