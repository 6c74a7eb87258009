// Building the page's elements. Text from the ledger is only ever set as text, never parsed as HTML.

/** An element with attributes (`class`, `data-*`, `on<event>` listeners, others as given) and children. */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Number.POSITIVE_INFINITY)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** Replaces an element's children, keeping keyboard focus on the element with the same `data-focus-key`. */
export function replaceChildren(container, ...children) {
  const focused = document.activeElement;
  const key = focused && container.contains(focused) ? focused.getAttribute('data-focus-key') : null;
  container.replaceChildren(...children);
  if (key) {
    const again = [...container.querySelectorAll('[data-focus-key]')].find(
      (element) => element.getAttribute('data-focus-key') === key,
    );
    again?.focus();
  }
}
