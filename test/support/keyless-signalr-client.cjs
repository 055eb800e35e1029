'use strict';
/**
 * One official SignalR client (@microsoft/signalr, unchanged) in its own Node process, so that it trusts
 * the local CA through NODE_EXTRA_CA_CERTS as a user's Node client would. It connects to the app's hub URL
 * (negotiate, then the redirect to the service) with the App Service Authentication session cookie.
 * Driven by JSON lines on stdin, reporting JSON lines on stdout.
 * Usage: node keyless-signalr-client.cjs <hub URL> <Cookie header> <WebSockets|ServerSentEvents|LongPolling> <json|messagepack>
 */
const readline = require('node:readline');
const signalR = require('@microsoft/signalr');
const { MessagePackHubProtocol } = require('@microsoft/signalr-protocol-msgpack');

const [hubUrl, cookie, transport, protocol] = process.argv.slice(2);
const emit = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const builder = new signalR.HubConnectionBuilder()
  .withUrl(hubUrl, { transport: signalR.HttpTransportType[transport], headers: { cookie } })
  .configureLogging(signalR.LogLevel.None);
if (protocol === 'messagepack') builder.withHubProtocol(new MessagePackHubProtocol());
const connection = builder.build();
connection.on('message', (m) => emit({ ev: 'message', data: m }));
connection.on('system', (m) => emit({ ev: 'system', data: m }));
connection.onclose((e) => emit({ ev: 'closed', message: e ? String(e.message) : '' }));

readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  const cmd = JSON.parse(line);
  try {
    if (cmd.op === 'start') {
      await connection.start();
      emit({ ev: 'connected', connectionId: connection.connectionId, transport });
    } else if (cmd.op === 'send') await connection.send(cmd.target, ...cmd.args);
    else throw new Error(`unknown op ${cmd.op}`);
    emit({ ev: 'done', id: cmd.id });
  } catch (e) {
    emit({ ev: 'failed', id: cmd.id, message: String((e && e.message) || e) });
  }
});
process.stdin.on('end', () => {
  connection.stop().finally(() => setTimeout(() => process.exit(0), 100).unref());
});
