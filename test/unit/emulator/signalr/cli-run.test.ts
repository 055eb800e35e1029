import { parseCliArgs, type CliOptions } from '../../../../emulator/cli';
import { signalrUpstreamsOf } from '../../../../emulator/signalr/cli-run';

const options = (argv: string[]): CliOptions => {
  const command = parseCliArgs(argv);
  if (command.kind !== 'run') throw new Error('expected options');
  return command.options;
};

describe('signalrUpstreamsOf', () => {
  it('alone (--service signalr), --upstream and --signalr-upstream both name SignalR upstreams', () => {
    expect(signalrUpstreamsOf(options(['--service', 'signalr', '--upstream', 'a=http://x/a', '--signalr-upstream', 'b=http://x/b']))).toEqual([
      { hub: 'a', urlTemplate: 'http://x/a' },
      { hub: 'b', urlTemplate: 'http://x/b' },
    ]);
  });

  it('beside Web PubSub (--signalr-port), --upstream stays Web PubSub’s', () => {
    expect(signalrUpstreamsOf(options(['--upstream', 'a=http://x/a', '--signalr-port', '0', '--signalr-upstream', 'b=http://x/b']))).toEqual([
      { hub: 'b', urlTemplate: 'http://x/b' },
    ]);
  });
});
