import { chatPageLines, readPort, webPubSubLines, StartError, type StackPlan } from './stack-plan';

/**
 * Both services in one local stack. The emulator process serves Web PubSub and SignalR Service on two
 * ports (as in Azure, two endpoints), the functions app gets both connection strings, and `ChatService`
 * tells the chat page which one to use:
 * - `npm start`: Web PubSub on EMULATOR_PORT, SignalR Service on EMULATOR_SECOND_PORT; the page on Web PubSub;
 * - `npm run start:signalr`: SignalR Service on EMULATOR_PORT, Web PubSub on EMULATOR_SECOND_PORT; the page on SignalR.
 * EMULATOR_PORT is always the port of the service the page uses. Pure: start.ts applies it to the plan it made.
 */

export type ChatService = 'webpubsub' | 'signalr';

export interface BothServicesInput {
  readonly accessKey: string;
  /** From SignalRHub (comma-separated), default chat; each gets the events function as its upstream. */
  readonly hubs: readonly string[];
  readonly eventsRoute: string;
  /** The service the page uses: it gets EMULATOR_PORT (plan.emulatorPort); the other gets `secondPort`. */
  readonly chatService: ChatService;
  readonly secondPort: number;
}

export interface BothServicesPlan extends StackPlan {
  readonly chatService: ChatService;
  readonly webPubSubPort: number;
  readonly signalrPort: number;
  readonly signalrConnectionString: string;
}

/**
 * EMULATOR_SECOND_PORT, or EMULATOR_PORT + 1 when unset; 0 (pick a free port) when EMULATOR_PORT is 0.
 * Read before ports are chosen: `emulatorPort` is the configured value, 0 included.
 */
export function readSecondPort(env: Readonly<Record<string, string | undefined>>, emulatorPort: number): number {
  const fallback = emulatorPort === 0 ? 0 : emulatorPort + 1;
  if (fallback > 65535 && (env.EMULATOR_SECOND_PORT ?? '').trim() === '')
    throw new StartError(`EMULATOR_PORT is ${emulatorPort}, so the second service has no port above it; set EMULATOR_SECOND_PORT (0 picks a free one).`);
  return readPort(env, 'EMULATOR_SECOND_PORT', fallback);
}

export function withBothServices(plan: StackPlan, input: BothServicesInput): BothServicesPlan {
  const [webPubSubPort, signalrPort] = input.chatService === 'signalr' ? [input.secondPort, plan.emulatorPort] : [plan.emulatorPort, input.secondPort];
  if (webPubSubPort === signalrPort) throw new StartError(`EMULATOR_PORT and EMULATOR_SECOND_PORT are both ${signalrPort}; choose two different ports.`);
  const connectionString = `Endpoint=http://localhost;Port=${webPubSubPort};AccessKey=${input.accessKey};Version=1.0;`;
  const signalrConnectionString = `Endpoint=http://localhost;Port=${signalrPort};AccessKey=${input.accessKey};Version=1.0;`;
  const signalrUpstreams = input.hubs.flatMap((hub) => ['--signalr-upstream', `${hub}=${plan.apiBase}/${input.eventsRoute}`]);
  // planStack's arguments are `main.js --port <n> …`: only the port moves.
  const [script, portFlag, , ...rest] = plan.emulator.args;
  return {
    ...plan,
    chatService: input.chatService,
    webPubSubPort,
    signalrPort,
    connectionString,
    signalrConnectionString,
    emulator: {
      ...plan.emulator,
      description: 'the local Web PubSub and SignalR Service (emulator)',
      args: [script!, portFlag!, String(webPubSubPort), ...rest, '--signalr-port', String(signalrPort), ...signalrUpstreams],
    },
    functions: {
      ...plan.functions,
      env: {
        ...plan.functions.env,
        WebPubSubConnectionString: connectionString,
        AzureSignalRConnectionString: signalrConnectionString,
        SignalRHub: input.hubs.join(','),
        ChatService: input.chatService,
      },
    },
  };
}

/** The lines printed once both children answer: the page's service first. */
export function formatBothServicesBanner(plan: BothServicesPlan): string[] {
  const publishBody = JSON.stringify({ target: 'message', arguments: [{ from: 'curl', text: 'Hello from curl' }] });
  const signalr = [
    `  Hub URL:     ${plan.apiBase}/signalr?userId=alice   (for @microsoft/signalr: new HubConnectionBuilder().withUrl(this URL))`,
    `  Publish:     curl -X POST ${plan.apiBase}/signalr/publish -H 'content-type: application/json' -d '${publishBody}'`,
    `  SignalR:     http://localhost:${plan.signalrPort}   (local emulator of Azure SignalR Service, Serverless mode)`,
    `               connection string: ${plan.signalrConnectionString}`,
  ];
  const webPubSub = webPubSubLines(plan, plan.webPubSubPort);
  const [first, second, secondTitle] =
    plan.chatService === 'signalr'
      ? [signalr, webPubSub, 'Web PubSub clients can use the same app:']
      : [webPubSub, signalr, 'Azure SignalR Service clients (@microsoft/signalr) can use the same app:'];
  return [
    '',
    plan.chatService === 'signalr'
      ? 'The chat is running on this machine over Azure SignalR Service (ChatService=signalr).'
      : 'The Web PubSub chat is running on this machine.',
    '',
    ...chatPageLines(plan),
    ...first,
    '',
    secondTitle,
    ...second,
    '',
    'Press Ctrl-C to stop everything.',
    '',
  ];
}
