import type { Command } from 'commander';

/** Every verb; add yours here. */
export const commands: ((program: Command) => void)[] = [];
