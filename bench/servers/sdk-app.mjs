// The official-SDK baseline upstream: express 5 + @azure/web-pubsub-express + @azure/web-pubsub.
// Same behaviour as the project's chat hub for the bench traffic: connect accepted, user event `message`
// {text, group?} → publish {from, text, group?, at} to the group or to all, then answer 204; user event
// `echo` → its payload back as text.
// Env: PORT, WebPubSubConnectionString, WebPubSubHub.
import express from 'express';
import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { WebPubSubEventHandler } from '@azure/web-pubsub-express';

const hub = process.env.WebPubSubHub ?? 'chat';
const service = new WebPubSubServiceClient(process.env.WebPubSubConnectionString, hub, { allowInsecureConnection: true });

const handler = new WebPubSubEventHandler(hub, {
  path: `/api/webpubsub/hubs/${hub}/`,
  handleConnect: (_req, res) => res.success(),
  handleUserEvent: async (req, res) => {
    // The invoke bench's request/reply: the payload back as text (an invokeResponse or a server message).
    if (req.context.eventName === 'echo') return res.success(String(req.data), 'text');
    if (req.context.eventName !== 'message' || req.dataType !== 'json') return res.success();
    const { text, group } = req.data ?? {};
    const message = { from: req.context.userId, text, ...(group ? { group } : {}), at: new Date().toISOString() };
    try {
      if (group) await service.group(group).sendToAll(message);
      else await service.sendToAll(message);
      res.success();
    } catch (e) {
      res.fail(500, String(e?.message ?? e));
    }
  },
});

const app = express();
app.use(handler.getMiddleware());
app.get('/api/health', (_req, res) => res.sendStatus(200));
app.get('/api/negotiate', async (req, res) => {
  const userId = String(req.query.userId ?? '');
  if (!userId) return res.status(400).send('userId is required');
  const token = await service.getClientAccessToken({ userId, roles: ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup'] });
  res.json({ url: token.url, baseUrl: token.baseUrl, token: token.token });
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write(`sdk-app listening on ${process.env.PORT}\n`));
server.keepAliveTimeout = 60000;
process.on('SIGTERM', () => process.exit(0));
