/**
 * How a cap is named in a drop reason ("64 MiB", "10 KiB"). Shared by the page world's log and the
 * background's: arithmetic and a template only, nothing the page could have replaced.
 */
export function limitLabel(bytes: number): string {
  return bytes >= 1048576 ? `${Math.round(bytes / 1048576)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
