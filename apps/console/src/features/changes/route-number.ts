/** "123", "CR-123" or "cr123" from a URL segment; null when it is not a request number. */
export function parseRequestNumber(segment: string): number | null {
  let text = segment;
  try {
    text = decodeURIComponent(segment);
  } catch {
    // keep as is
  }
  const m = /^(?:cr-?)?(\d{1,9})$/i.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return n >= 1 && n <= 2_147_483_647 ? n : null;
}
