import type { Command } from 'commander';
import { register as components } from './components';
import { register as data } from './data';
import { register as dev } from './dev';
import { register as pipelines } from './pipelines';
import { register as run } from './run';
import { register as runs } from './runs';
import { register as schedules } from './schedules';
import { register as triggers } from './triggers';
import { register as upload } from './upload';
import { register as validate } from './validate';

/** Every verb; add yours here. */
export const commands: ((program: Command) => void)[] = [dev, run, validate, pipelines, runs, data, components, schedules, triggers, upload];
