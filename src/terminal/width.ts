/** How many columns a styled string takes on a terminal: its length without the colour escape codes. */
export function visibleWidth(text: string): number {
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}
