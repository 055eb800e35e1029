import { bindPageLifecycle } from '../../../web/page-lifecycle';

function pageTransition(type: 'pagehide' | 'pageshow', persisted: boolean): Event {
  return Object.assign(new Event(type), { persisted });
}

describe('bindPageLifecycle', () => {
  function bind() {
    const page = new EventTarget();
    const calls: string[] = [];
    const unbind = bindPageLifecycle(page, { leave: () => calls.push('leave'), resume: () => calls.push('resume') });
    return { page, calls, unbind };
  }

  it('leaves when the page is hidden for good (tab closed, navigated away)', () => {
    const { page, calls } = bind();
    page.dispatchEvent(pageTransition('pagehide', false));
    expect(calls).toEqual(['leave']);
  });

  it('leaves when the page goes into the back/forward cache, and resumes when it comes back', () => {
    const { page, calls } = bind();
    page.dispatchEvent(pageTransition('pagehide', true));
    page.dispatchEvent(pageTransition('pageshow', true));
    expect(calls).toEqual(['leave', 'resume']);
  });

  it('does not resume on the first load (pageshow without persisted)', () => {
    const { page, calls } = bind();
    page.dispatchEvent(pageTransition('pageshow', false));
    expect(calls).toEqual([]);
  });

  it('ignores events that are not page transitions (a network drop fires none of them)', () => {
    const { page, calls } = bind();
    for (const type of ['offline', 'online', 'visibilitychange', 'blur']) page.dispatchEvent(new Event(type));
    expect(calls).toEqual([]);
  });

  it('stops listening once unbound', () => {
    const { page, calls, unbind } = bind();
    unbind();
    page.dispatchEvent(pageTransition('pagehide', false));
    expect(calls).toEqual([]);
  });
});
