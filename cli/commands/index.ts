import type { Command } from 'commander';
import { register as components } from './components';
import { register as data } from './data';
import { register as dev } from './dev';
import { register as runs } from './runs';
import { register as triggers } from './triggers';
import { register as upload } from './upload';
import { register as validate } from './validate';

/** Every verb; add yours here. */
export const commands: ((program: Command) => void)[] = [dev, runs, data, components, triggers, upload, validate];
