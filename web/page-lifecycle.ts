/**
 * Ties the chat connection to the page's life. When a tab closes, the browser drops its WebSocket with
 * 1001 ("going away"), which the reliable protocol cannot tell from a network loss: the service keeps the
 * connection, and the person "online", for its recovery window (30 s). Stopping the client on `pagehide`
 * closes the connection cleanly instead, so the others see "left" at once. A network drop fires no
 * `pagehide`, so it still goes through the client's recover-or-reconnect path.
 *
 * A page put into the back/forward cache also fires `pagehide` (with `persisted`) and may come back
 * with `pageshow` (`persisted` again): it then signs in again.
 */
export interface PageLifecycleActions {
  /** The page is going away (closed, navigated, or frozen in the back/forward cache). */
  leave(): void;
  /** The page came back from the back/forward cache. */
  resume(): void;
}

type PageTransitionLike = Event & { readonly persisted?: boolean };

export function bindPageLifecycle(page: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>, actions: PageLifecycleActions): () => void {
  const onHide = () => actions.leave();
  const onShow = (e: Event) => {
    if ((e as PageTransitionLike).persisted) actions.resume();
  };
  page.addEventListener('pagehide', onHide);
  page.addEventListener('pageshow', onShow);
  return () => {
    page.removeEventListener('pagehide', onHide);
    page.removeEventListener('pageshow', onShow);
  };
}
