import { useEffect, useRef } from "preact/hooks";

/** The page's h1; it takes the focus when the page changes, so keyboards and readers follow. */
export function PageHeading({ children, title }: { children: string; title?: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title ?? children} · CoGPT`;
    if (document.activeElement !== document.body && document.activeElement !== null) {
      // Focus moved by a link click or a skip link: follow it to the new page's heading.
      heading.current?.focus({ preventScroll: false });
    }
  }, [children, title]);
  return (
    <h1 ref={heading} tabIndex={-1} id="page-title">
      {children}
    </h1>
  );
}
