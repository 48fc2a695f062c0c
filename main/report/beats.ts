/**
 * The story told one beat at a time: each part opens with who signs in and how, then one beat per
 * arrow of its diagram (the step's explanation the first time the step appears), and ends with
 * what came of it. Presenter mode and the reopened report walk these with Next and Back.
 */
import { arrowsBefore, type SequenceArrow } from './sequence';
import type { DemoBeat, DemoInterlude, DemoPartView, DemoRunView } from './types';

/**
 * Narration for arrows of no engine step: the demo's own look at a kept token, the server's
 * decisions, and calls. (Refresh and sign-out are steps, told from the step table.)
 */
function actNarration(arrow: SequenceArrow): { narration: string; specRef?: string } {
  if (/shows the server the (old )?access token/.test(arrow.label))
    return {
      narration:
        'The app shows the server an access token it kept. Only the server can say whether that token still opens the door: this is its real verdict.',
      specRef: 'RFC 6750 §3.1',
    };
  if (arrow.kind === 'decision')
    return {
      narration:
        'The MCP server verified the bearer token before answering: this is its own decision.',
    };
  if (/with the token|calls|tools/.test(arrow.label))
    return {
      narration: 'The client shows the server the access token in the Authorization header.',
      specRef: 'RFC 6750 §2.1',
    };
  return { narration: '' };
}

const waitBeat = (part: number, wait: DemoInterlude & { after: number }): DemoBeat => ({
  kind: 'wait',
  part,
  title: wait.title,
  narration: wait.narration,
  until: wait.until,
  afterArrows: wait.after,
});

export function beatsOf(parts: readonly DemoPartView[], setup?: DemoRunView['setup']): DemoBeat[] {
  const beats: DemoBeat[] = [];
  if (setup?.changes.length) {
    beats.push({
      kind: 'setup',
      part: -1,
      title: 'Before we start: the sandbox for this story',
      narration:
        'This story needs the sandbox set up a little differently, for this run only. Everything is put back when the story ends, however it ends.',
    });
  }
  parts.forEach((part, index) => {
    const who = part.signIn
      ? `${part.signIn.username} signs in${part.signIn.consent ? ' and is asked for consent' : ''}.`
      : 'No one signs in: the mistake is caught before the browser opens.';
    beats.push({
      kind: 'intro',
      part: index,
      title: part.title,
      narration: `Client ${part.outcome.clientId ?? '(none)'} asks for ${part.outcome.requestedScopes.join(' ')}. ${who}`,
    });
    const explained = new Set<string>();
    const waits = (part.interludes ?? []).map((wait) => ({
      ...wait,
      after: arrowsBefore(part.diagram.arrows, wait.from),
    }));
    for (const arrow of part.diagram.arrows) {
      while (waits[0] && waits[0].after <= arrow.index) beats.push(waitBeat(index, waits.shift()!));
      const step = arrow.stepId ? part.diagram.steps[arrow.stepId] : undefined;
      const first = step && !explained.has(step.id);
      if (step) explained.add(step.id);
      const act = step ? undefined : actNarration(arrow);
      const narration = first ? step.explanation : (act?.narration ?? '');
      const specRef = first ? step.specRef : act?.specRef;
      beats.push({
        kind: 'arrow',
        part: index,
        arrow: arrow.index,
        title: arrow.label,
        narration,
        ...(specRef && { specRef }),
        ...(arrow.failure && { failure: arrow.failure }),
      });
    }
    for (const wait of waits) beats.push(waitBeat(index, wait));
    const { outcome } = part;
    if (part.status !== 'pending' && part.status !== 'running') {
      // The verdicts and the granted scopes are shown from the outcome, as a list.
      beats.push({
        kind: 'result',
        part: index,
        title: outcome.failure ? `${part.title}: what went wrong` : `${part.title}: the result`,
        narration: outcome.takeaway ?? '',
        ...(outcome.failure && { failure: outcome.failure }),
      });
    }
  });
  return beats;
}
