import { useEffect, useRef } from 'preact/hooks';

/**
 * The page's name in the tab's title, and the keyboard and screen readers taken to its <h1>
 * when the page opens (a hash route changes nothing else that they would notice).
 */
export function usePageHeading(title: string) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Comment Desk`;
  }, [title]);
  useEffect(() => heading.current?.focus({ preventScroll: true }), []);
  return heading;
}
