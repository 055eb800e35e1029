// esbuild entry (dist/functions/main.js). Imports run in order: the settings are validated first,
// then each file registers its functions with app.http.
import './startup';
import './negotiate';
import './event-handler';
import './publish';
import './signalr-negotiate';
import './signalr-events';
import './signalr-publish';
import './chat-config';
import './web';
