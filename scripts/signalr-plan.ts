import type { StackPlan } from './stack-plan';

/**
 * `npm run start:signalr`: the same stack as `npm start` on the same PORT and EMULATOR_PORT, with the
 * emulator in SignalR Service mode (Serverless, upstream to /api/signalr/events) and the functions app
 * given AzureSignalRConnectionString. Pure: start.ts applies it to the plan it already made.
 */

export interface SignalRPlanInput {
  readonly accessKey: string;
  /** From SignalRHub (comma-separated), default chat; each gets the events function as its upstream. */
  readonly hubs: readonly string[];
  readonly eventsRoute: string;
}

export function withSignalR(plan: StackPlan, input: SignalRPlanInput): StackPlan & { signalrConnectionString: string } {
  const ep = plan.emulatorPort;
  const signalrConnectionString = `Endpoint=http://localhost;Port=${ep};AccessKey=${input.accessKey};Version=1.0;`;
  const upstreams = input.hubs.flatMap((hub) => ['--upstream', `${hub}=${plan.apiBase}/${input.eventsRoute}`]);
  return {
    ...plan,
    signalrConnectionString,
    emulator: {
      ...plan.emulator,
      description: 'the local Azure SignalR Service (emulator, Serverless mode)',
      args: ['dist/emulator/main.js', '--service', 'signalr', '--port', String(ep), '--key', input.accessKey, ...upstreams],
    },
    functions: {
      ...plan.functions,
      env: { ...plan.functions.env, AzureSignalRConnectionString: signalrConnectionString, SignalRHub: input.hubs.join(',') },
    },
  };
}

/** The lines printed once both children answer (SignalR mode). */
export function formatSignalRBanner(plan: StackPlan & { signalrConnectionString: string }): string[] {
  const body = JSON.stringify({ target: 'message', arguments: [{ from: 'curl', text: 'Hello from curl' }] });
  return [
    '',
    'The SignalR Service backend is running on this machine.',
    '',
    `  Hub URL:     ${plan.apiBase}/signalr?userId=alice   (for @microsoft/signalr: new HubConnectionBuilder().withUrl(this URL))`,
    `  Negotiate:   POST ${plan.apiBase}/signalr/negotiate?userId=alice   (returns { url, accessToken })`,
    `  Publish:     curl -X POST ${plan.apiBase}/signalr/publish -H 'content-type: application/json' -d '${body}'`,
    `  SignalR:     http://localhost:${plan.emulatorPort}   (local emulator of Azure SignalR Service)`,
    `               connection string: ${plan.signalrConnectionString}`,
    '  The chat page speaks Web PubSub; run "npm start" for it.',
    '',
    'Press Ctrl-C to stop everything.',
    '',
  ];
}
