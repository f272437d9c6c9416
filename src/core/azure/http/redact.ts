// Secrets that must never reach a log line or a message: bearer tokens, JWTs, SAS signatures, account keys.

const patterns: Array<[RegExp, string]> = [
  // "Bearer <token>" in headers echoed back by servers or proxies.
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 <redacted>'],
  // A bare JWT (header.payload.signature; the signature may be empty for unsigned tokens).
  [/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '<redacted-jwt>'],
  // SAS query parameters: the signature is the secret; keep the rest readable.
  [/([?&](?:sig|signature|skoid|sktid|skt|ske|sks|skv|skdutid)=)[^&#\s"']+/gi, '$1<redacted>'],
  // Connection strings and JSON/YAML fields that hold keys, secrets or SAS tokens.
  [/((?:AccountKey|SharedAccessSignature|SharedAccessKey)=)[^;\s"']+/gi, '$1<redacted>'],
  [
    /((?<![A-Za-z0-9_])"?(?:key|key1|key2|primaryKey|secondaryKey|accountKey|sasToken|clientSecret|secret|password|access_token|refresh_token|accessToken|token)"?\s*[:=]\s*"?)(?!<redacted)[^",;\s}]+/gi,
    '$1<redacted>',
  ],
];

/** Returns `text` with every token, key and SAS signature replaced by a placeholder. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [re, replacement] of patterns) out = out.replace(re, replacement);
  return out;
}
