import type { Command } from '../cli/command.ts';

export const generateCommand: Command = {
  name: 'generate',
  summary: 'Write deterministic synthetic ERP exports (demo and test data).',
  options: {},
  async run() {
    return 1;
  },
};
