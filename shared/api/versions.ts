/** Next integer version for assets created without one (as `az ml` auto-versions). */
export function nextIntegerVersion(existing: readonly string[]): string {
  const numbers = existing.map((v) => (/^\d+$/.test(v) ? Number(v) : 0));
  return String(Math.max(0, ...numbers) + 1);
}
