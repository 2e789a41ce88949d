/** Query parameters that carry secrets in signed URLs and connection strings. */
const SECRET_PARAMS = /signature|token|secret|password|passwd|credential|^sig$|^key$|apikey|api_key|sslkey/i;

/**
 * Hides credentials in a URL: the password (`user:***@host`) and the values
 * of secret-looking query parameters (signed GCS/S3 URLs, `?password=` in a
 * libpq string). Anything that does not parse as a URL with `://` is returned
 * unchanged (plain paths, `sqlite:file.db`). Never throws.
 */
export function redactUrl(url: string): string {
  if (!url.includes('://')) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Unparseable but URL-shaped (a password with an unescaped / # @ or space): cut everything up to the
    // last @ and the values of secret-looking parameters by hand, rather than risk printing any of it.
    return url.replace(/\/\/.*@/, '//***@').replace(/([?&;]([^=&;#]*)=)([^&;#]*)/g, (all, key: string, name: string) => (SECRET_PARAMS.test(name) ? `${key}***` : all));
  }
  let changed = false;
  if (parsed.password !== '') {
    parsed.password = '***';
    changed = true;
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAMS.test(key)) {
      parsed.searchParams.set(key, '***');
      changed = true;
    }
  }
  return changed ? parsed.toString() : url;
}
