import { dbOption, type Command } from '../cli/command.ts';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run the demo end to end: generate exports if absent, ingest, build, score and serve.',
  options: { ...dbOption },
  async run() {
    process.stderr.write('demo: not wired yet\n');
    return 1;
  },
};
