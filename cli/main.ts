#!/usr/bin/env node
/**
 * `amlsched`: the command users run. Each verb lives in cli/commands/<verb>.ts and exports
 * `register(program)`. Expected errors print one line to stderr and exit non-zero; unexpected
 * ones print the stack.
 */
import { Command } from 'commander';
import { commands } from './commands';
import { reportCliError } from './errors';

export function buildProgram(): Command {
  const program = new Command('amlsched')
    .description('Event-driven scheduler for Azure Machine Learning pipelines')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  for (const register of commands) register(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    process.exitCode = reportCliError(err);
  }
}

if (require.main === module) void main(process.argv);
