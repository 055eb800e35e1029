'use strict';
/**
 * One official Web PubSub client (@azure/web-pubsub-client, unchanged) in its own Node process, so that
 * it trusts the local CA through NODE_EXTRA_CA_CERTS exactly as a user's Node client would (Node 20
 * reads that variable only at start). Driven by JSON lines on stdin, reporting JSON lines on stdout.
 * Usage: node keyless-chat-client.cjs <negotiate URL> <Cookie header>
 */
const readline = require('node:readline');
const { WebPubSubClient } = require('@azure/web-pubsub-client');

const [negotiateUrl, cookie] = process.argv.slice(2);
const emit = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const client = new WebPubSubClient(
  {
    getClientAccessUrl: async () => {
      const res = await fetch(negotiateUrl, { headers: { cookie } });
      if (!res.ok) throw new Error(`negotiate answered ${res.status}`);
      return (await res.json()).url;
    },
  },
  { autoReconnect: true },
);
client.on('connected', (e) => emit({ ev: 'connected', userId: e.userId, connectionId: e.connectionId }));
client.on('disconnected', (e) => emit({ ev: 'disconnected', message: e.message }));
client.on('server-message', (e) => emit({ ev: 'server-message', data: e.message.data }));
client.on('group-message', (e) => emit({ ev: 'group-message', group: e.message.group, data: e.message.data, fromUserId: e.message.fromUserId }));

readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  const cmd = JSON.parse(line);
  try {
    if (cmd.op === 'start') await client.start();
    else if (cmd.op === 'event') await client.sendEvent(cmd.event, cmd.data, 'json');
    else throw new Error(`unknown op ${cmd.op}`);
    emit({ ev: 'done', id: cmd.id });
  } catch (e) {
    emit({ ev: 'failed', id: cmd.id, message: String((e && e.message) || e) });
  }
});
process.stdin.on('end', () => {
  client.stop();
  setTimeout(() => process.exit(0), 200).unref();
});
