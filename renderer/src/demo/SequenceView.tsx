import { useEffect, useRef } from 'react';
import type { DemoPartView } from '../../../preload/api';

/**
 * Shows the diagram main drew (its text is escaped there) and makes it live: the arrows after
 * `visibleUpTo` are hidden (presenter mode), the current one is highlighted and scrolled into
 * view, and clicking an arrow selects it.
 */
export function SequenceView(props: {
  part: DemoPartView;
  visibleUpTo?: number;
  current?: number | undefined;
  selected?: number | undefined;
  onSelect?: (arrow: number) => void;
}) {
  const { part, visibleUpTo, current, selected, onSelect } = props;
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const root = box.current;
    if (!root) return;
    for (const node of root.querySelectorAll<SVGGElement>('[data-arrow]')) {
      const index = Number(node.dataset.arrow);
      node.classList.toggle('seq-hidden', visibleUpTo !== undefined && index > visibleUpTo);
      node.classList.toggle('seq-current', index === current);
      node.classList.toggle('seq-selected', index === selected);
      node.setAttribute('tabindex', '0');
      node.setAttribute('role', 'button');
      node.setAttribute(
        'aria-label',
        `Arrow ${index + 1}: ${node.querySelector('title')?.textContent ?? ''}`,
      );
    }
    // A wait's band (data-after: the arrows before it) shows once the story reached it.
    let reachedWait: Element | undefined;
    for (const node of root.querySelectorAll<SVGGElement>('[data-after]')) {
      const shown = visibleUpTo === undefined || Number(node.dataset.after) - 0.5 <= visibleUpTo;
      node.classList.toggle('seq-hidden', !shown);
      if (shown && visibleUpTo === Number(node.dataset.after) - 0.5) reachedWait = node;
    }
    const focus = current ?? selected;
    if (focus !== undefined) {
      root.querySelector(`[data-arrow="${focus}"]`)?.scrollIntoView({ block: 'nearest' });
    } else if (reachedWait) reachedWait.scrollIntoView({ block: 'nearest' });
    else {
      // A part's result: where it went wrong, if it did.
      const failed = root.querySelectorAll('[data-arrow].seq-failed:not(.seq-hidden)');
      failed[failed.length - 1]?.scrollIntoView({ block: 'nearest' });
    }
  }, [part.svg, visibleUpTo, current, selected]);

  const pick = (target: EventTarget | null) => {
    const node = (target as Element | null)?.closest?.('[data-arrow]');
    if (node && onSelect) onSelect(Number(node.getAttribute('data-arrow')));
  };

  return (
    <div
      ref={box}
      className="demo-diagram"
      aria-label={`Sequence diagram: ${part.title}`}
      onClick={(e) => pick(e.target)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') pick(e.target);
      }}
      // The SVG is built in main from escaped text (main/report/svg.ts); the page adds nothing.
      dangerouslySetInnerHTML={{ __html: part.svg }}
    />
  );
}
