/** A dynamic route segment as typed by a user: decoded once, trimmed. */
export function routeParam(value: string): string {
  try {
    return decodeURIComponent(value).trim();
  } catch {
    return value.trim();
  }
}
