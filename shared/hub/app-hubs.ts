import { chatHub } from '../chat/hub';
import type { HubDefinition } from './hub-definition';

/** The app's hub definitions. Add a hub here and list its name in the WebPubSubHub setting. */
export const hubDefinitions: readonly HubDefinition[] = [chatHub];
