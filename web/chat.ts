/**
 * The chat page (browser). Edge only: DOM and the connection; decisions live in chat-entries.ts,
 * connection-state.ts and chat-service.ts. User text is only ever set with textContent.
 * Works at `/` (local host) and at `/api/chat/` (the `web` function): assets are relative, the
 * API URLs are absolute. It runs over Web PubSub or SignalR Service, whichever the app names.
 */
import { authModeFromNegotiate, displayNameFromMe, loginUrl, logoutUrl, type AuthMode } from './auth-mode';
import type { ChatConnection } from './chat-connection';
import { isValidRoomName, Presence, type ChatEntry } from './chat-entries';
import { chatServiceFromConfig, chatConfigPath, serviceLabels, type PageService } from './chat-service';
import { nextConnectionState, stateLabels, type ConnectionState } from './connection-state';
import { bindPageLifecycle } from './page-lifecycle';
import { signalrHubPath, connectSignalR } from './signalr-connection';
import { connectWebPubSub, webPubSubNegotiatePath } from './webpubsub-connection';

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`The page is missing #${id}`);
  return el as T;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const ui = {
  state: byId<HTMLSpanElement>('state'),
  service: byId<HTMLSpanElement>('service'),
  me: byId<HTMLSpanElement>('me'),
  signOut: byId<HTMLButtonElement>('sign-out'),
  signOutLink: byId<HTMLAnchorElement>('sign-out-link'),
  joinForm: byId<HTMLFormElement>('join-form'),
  nameEntry: byId<HTMLDivElement>('name-entry'),
  signInEntry: byId<HTMLDivElement>('sign-in-entry'),
  signIn: byId<HTMLAnchorElement>('sign-in'),
  name: byId<HTMLInputElement>('name'),
  joinError: byId<HTMLParagraphElement>('join-error'),
  chat: byId<HTMLElement>('chat'),
  roomForm: byId<HTMLFormElement>('room-form'),
  room: byId<HTMLInputElement>('room'),
  rooms: byId<HTMLUListElement>('rooms'),
  online: byId<HTMLUListElement>('online'),
  onlineCount: byId<HTMLSpanElement>('online-count'),
  messages: byId<HTMLOListElement>('messages'),
  sendForm: byId<HTMLFormElement>('send-form'),
  target: byId<HTMLSelectElement>('target'),
  text: byId<HTMLInputElement>('text'),
};

let client: ChatConnection | undefined;
/** From the app (GET /api/chat-config); Web PubSub until it answers. */
let service: PageService = 'webpubsub';
/** The user id the service knows this tab by (dev: the typed name; easyauth: the signed-in user's id). */
let myName = '';
/** What the page shows for this person (easyauth: the name from /.auth/me when the platform serves it). */
let myDisplayName = '';
let authMode: AuthMode = { kind: 'dev' };
let state: ConnectionState = 'idle';
let stateTimer: number | undefined;
const presence = new Presence();
const rooms = new Set<string>();

function setState(next: ConnectionState): void {
  state = next;
  ui.state.textContent = stateLabels[next];
  ui.state.className = `state state-${next}`;
  ui.state.dataset.state = next;
  const up = next === 'connected' || next === 'recovered' || next === 'reconnected';
  for (const button of ui.chat.querySelectorAll('button')) button.disabled = !up;
}

function scrollToEnd(): void {
  ui.messages.lastElementChild?.scrollIntoView({ block: 'end' });
}

function formatTime(at: Date): string {
  return at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function addSystemLine(text: string, tone: 'info' | 'error' = 'info'): void {
  const li = el('li', `system ${tone}`, text);
  ui.messages.append(li);
  scrollToEnd();
}

function addMessage(entry: Extract<ChatEntry, { kind: 'message' }>): void {
  const mine = entry.from === myName;
  const li = el('li', mine ? 'message mine' : 'message');
  const meta = el('div', 'meta');
  meta.append(el('span', 'from', mine ? `${myDisplayName} (you)` : entry.from));
  if (entry.group) meta.append(el('span', 'room', `#${entry.group}`));
  const at = entry.at ?? new Date();
  const time = el('time', 'time', formatTime(at));
  time.dateTime = at.toISOString();
  meta.append(time);
  li.append(meta, el('div', 'text', entry.text));
  ui.messages.append(li);
  scrollToEnd();
}

/** Others come from the hub's announcements; this tab is listed while it is connected. */
function renderOnline(): void {
  const up = state === 'connected' || state === 'recovered' || state === 'reconnected' || state === 'recovering';
  const users = [...new Set([...presence.users(), ...(up ? [myName] : [])])].sort((a, b) => a.localeCompare(b));
  ui.online.replaceChildren(...users.map((u) => el('li', u === myName ? 'user me' : 'user', u === myName ? `${myDisplayName} (you)` : u)));
  ui.onlineCount.textContent = `(${users.length})`;
}

function renderRooms(): void {
  ui.rooms.replaceChildren(
    ...[...rooms].sort().map((room) => {
      const li = el('li', 'room-item');
      const leave = el('button', 'link', 'Leave');
      leave.type = 'button';
      leave.setAttribute('aria-label', `Leave room ${room}`);
      leave.addEventListener('click', () => void leaveRoom(room));
      li.append(el('span', 'room-name', `#${room}`), leave);
      return li;
    }),
  );
  const selected = ui.target.value;
  ui.target.replaceChildren(
    el('option', undefined, 'Everyone'),
    ...[...rooms].sort().map((r) => {
      const option = el('option', undefined, `#${r}`);
      option.value = r;
      return option;
    }),
  );
  (ui.target.firstElementChild as HTMLOptionElement).value = '';
  ui.target.value = rooms.has(selected) ? selected : '';
}

function show(entry: ChatEntry): void {
  switch (entry.kind) {
    case 'message':
      addMessage(entry);
      break;
    case 'presence':
      // Our own announcement is not counted: this tab lists itself while connected (renderOnline).
      if (entry.userId !== myName) {
        if (entry.joined) presence.join(entry.userId);
        else presence.leave(entry.userId);
      }
      renderOnline();
      addSystemLine(`${entry.userId === myName ? `${myDisplayName} (you, in another tab)` : entry.userId} ${entry.joined ? 'joined' : 'left'} the chat`);
      break;
    case 'roster':
      if (entry.continued) presence.add(entry.users);
      else presence.reset(entry.users);
      renderOnline();
      break;
    case 'notice':
      addSystemLine(entry.text);
      break;
  }
}

async function signIn(name: string, displayName = name): Promise<void> {
  myName = name;
  myDisplayName = displayName;
  ui.joinError.hidden = true;
  // Signed in through App Service Authentication, the platform tells negotiate who this is.
  const userId = authMode.kind === 'signed-in' ? undefined : name;
  const connect = service === 'signalr' ? connectSignalR : connectWebPubSub;
  // Events of a connection the user has signed out of (stop() raises them later) must not touch the page.
  const current = () => client === next;
  const next: ChatConnection = connect(userId, {
    connected() {
      if (!current()) return;
      const first = state === 'connecting' || state === 'idle';
      setState(nextConnectionState(state, { kind: 'connected' }));
      renderOnline();
      if (first) addSystemLine(`You joined the chat as ${myDisplayName}`);
      // The hub keeps room membership per connection: a new connection (not a recovered one) starts in
      // no room, so ask again for the rooms this tab had joined.
      else for (const room of rooms) next.join(room).catch((err: unknown) => addSystemLine(`Could not rejoin #${room}: ${describeError(err)}`, 'error'));
    },
    disconnected(reason) {
      if (!current()) return;
      setState(nextConnectionState(state, { kind: 'disconnected' }));
      renderOnline();
      if (state === 'reconnecting') addSystemLine(`Connection lost${reason ? ` (${reason})` : ''}; reconnecting…`, 'error');
    },
    stopped() {
      if (current()) setState(nextConnectionState(state, { kind: 'stopped' }));
    },
    entry(entry) {
      if (current()) show(entry);
    },
  });
  client = next;

  setState(nextConnectionState(state, { kind: 'start' }));
  ui.me.textContent = displayName;
  ui.joinForm.hidden = true;
  ui.chat.hidden = false;
  showSignOut(true);
  try {
    await next.start();
  } catch (err) {
    client = undefined;
    setState('idle');
    ui.chat.hidden = true;
    ui.joinForm.hidden = false;
    // Signed in through the platform, signing out (and in again) is the way to retry as someone else.
    showSignOut(authMode.kind !== 'dev');
    ui.joinError.textContent = `Could not connect: ${err instanceof Error ? err.message : String(err)}`;
    ui.joinError.hidden = false;
    return;
  }
  if (authMode.kind === 'dev') localStorage.setItem('chat-name', name);
  stateTimer = window.setInterval(() => {
    const updated = nextConnectionState(state, { kind: 'sdk-state', state: next.sdkState() });
    if (updated !== state) setState(updated);
  }, 500);
  ui.text.focus();
}

async function signOut(): Promise<void> {
  window.clearInterval(stateTimer);
  const current = client;
  client = undefined;
  current?.stop();
  rooms.clear();
  presence.reset([]);
  renderRooms();
  renderOnline();
  ui.messages.replaceChildren();
  ui.chat.hidden = true;
  showSignOut(false);
  ui.joinForm.hidden = false;
  ui.me.textContent = '';
  setState('idle');
}

/** Dev mode signs out in the page; App Service Authentication signs out at /.auth/logout (a link). */
function showSignOut(visible: boolean): void {
  const platform = authMode.kind !== 'dev';
  ui.signOut.hidden = !visible || platform;
  ui.signOutLink.hidden = !visible || !platform;
}

/** Asks the app which service the chat uses (chat-service.ts); Web PubSub when it cannot tell. */
async function detectService(): Promise<void> {
  try {
    const res = await fetch(chatConfigPath);
    service = chatServiceFromConfig(res.status, await res.json().catch(() => undefined));
  } catch {
    service = 'webpubsub';
  }
  ui.service.textContent = serviceLabels[service];
  ui.service.dataset.service = service;
}

/** Asks the service's negotiate once, without a user id, how this app signs people in (auth-mode.ts). */
async function detectAuthMode(): Promise<void> {
  let mode: AuthMode;
  try {
    const res = await fetch(service === 'signalr' ? `${signalrHubPath}/negotiate` : webPubSubNegotiatePath, service === 'signalr' ? { method: 'POST' } : {});
    mode = authModeFromNegotiate(res.status, await res.json().catch(() => undefined));
  } catch {
    return; // the app is unreachable: the dev form reports it when the person joins
  }
  authMode = mode;
  if (mode.kind === 'dev') return;
  const page = window.location.pathname;
  ui.nameEntry.hidden = true;
  ui.signInEntry.hidden = false;
  ui.signIn.href = loginUrl(page);
  ui.signOutLink.href = logoutUrl(page);
  if (mode.kind === 'signed-out') return;
  ui.signInEntry.hidden = true;
  let displayName = mode.userId;
  try {
    // App Service serves /.auth/me only with its token store on; the user id is shown otherwise.
    const me = await fetch('/.auth/me');
    if (me.ok) displayName = displayNameFromMe(await me.json()) ?? displayName;
  } catch {
    // keep the user id
  }
  await signIn(mode.userId, displayName);
}

async function joinRoom(room: string): Promise<void> {
  if (!client || !isValidRoomName(room)) return;
  try {
    await client.join(room);
    rooms.add(room);
    renderRooms();
    ui.target.value = room;
    addSystemLine(`You joined room #${room}`);
  } catch (err) {
    addSystemLine(`Could not join #${room}: ${describeError(err)}`, 'error');
  }
}

async function leaveRoom(room: string): Promise<void> {
  if (!client) return;
  try {
    await client.leave(room);
    rooms.delete(room);
    renderRooms();
    addSystemLine(`You left room #${room}`);
  } catch (err) {
    addSystemLine(`Could not leave #${room}: ${describeError(err)}`, 'error');
  }
}

async function send(text: string, room: string): Promise<void> {
  if (!client) return;
  try {
    await client.send(text, room);
  } catch (err) {
    addSystemLine(`Not sent: ${describeError(err)}`, 'error');
  }
}

function describeError(err: unknown): string {
  const detail = (err as { errorDetail?: { name?: string; message?: string } }).errorDetail;
  if (detail) return `${detail.name ?? 'Error'}${detail.message ? `: ${detail.message}` : ''}`;
  return err instanceof Error ? err.message : String(err);
}

ui.joinForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const name = ui.name.value.trim();
  if (name) void signIn(name);
});
ui.roomForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const room = ui.room.value.trim();
  ui.room.value = '';
  void joinRoom(room);
});
ui.sendForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = ui.text.value.trim();
  if (!text) return;
  ui.text.value = '';
  void send(text, ui.target.value);
});
ui.signOut.addEventListener('click', () => void signOut());

/** Who was signed in when the page was hidden, to sign in again if it comes back from the back/forward cache. */
let hiddenAs: string | undefined;
bindPageLifecycle(window, {
  leave() {
    if (!client) return;
    hiddenAs = myName;
    // Synchronous up to client.stop(), so the close frame is sent before the page goes away.
    void signOut();
  },
  resume() {
    const name = hiddenAs;
    hiddenAs = undefined;
    if (name && !client) void signIn(name);
  },
});

ui.name.value = localStorage.getItem('chat-name') ?? '';
setState('idle');
renderRooms();
ui.name.focus();
void detectService().then(detectAuthMode);
