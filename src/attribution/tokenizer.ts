/**
 * Deterministic tokenizer of the attribution engine.
 *
 * Rules (the same bytes give the same tokens on any machine running the pinned Node major):
 * 1. Bytes are decoded as UTF-8 (WHATWG decoder; invalid sequences become U+FFFD, which is a
 *    separator).
 * 2. The text is normalised to Unicode NFC, then lower-cased with the locale-independent
 *    `String.prototype.toLowerCase` (never `toLocaleLowerCase`).
 * 3. A token is a maximal run of letters, combining marks and digits (`[\p{L}\p{M}\p{N}]+`);
 *    every other code point (space, punctuation, symbols, U+FFFD) separates tokens.
 * 4. Token strings are mapped to integer ids by a {@link TokenDictionary}: ids start at
 *    {@link FIRST_TOKEN_ID} and are assigned in order of first occurrence while the corpus is
 *    read in its canonical order (documents sorted by content hash, tokens left to right).
 *    Id 0 is reserved for the document separator; tokens of an output that never occur in the
 *    corpus map to {@link UNKNOWN_TOKEN_ID}, which matches nothing.
 *
 * The ids only name tokens inside one index: attribution results never depend on their values,
 * only on token equality, so they are stable however the dictionary was built.
 */

/** Id of the separator written after every document in the token stream. */
export const SEPARATOR_TOKEN_ID = 0;
/** First id given to a real token. */
export const FIRST_TOKEN_ID = 1;
/** Id given to an output token absent from the corpus (never equal to any corpus token). */
export const UNKNOWN_TOKEN_ID = 0xffffffff;

const TOKEN_PATTERN = /[\p{L}\p{M}\p{N}]+/gu;
const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false });

/** Normalises text as rule 2 above says. */
export function normaliseText(text: string): string {
  return text.normalize("NFC").toLowerCase();
}

/** Any UTF-16 unit outside ASCII. */
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The tokens of ASCII text (rules 2 and 3 where they are simple): NFC changes no ASCII text,
 * lower-casing maps only A-Z, and the letters, marks and digits of ASCII are a-z, A-Z and 0-9,
 * so a token is a run of a-z and 0-9 after lower-casing. Tested against the pattern on random
 * ASCII text; any other text goes through the pattern.
 */
function forEachAsciiToken(text: string, visit: (token: string) => void): void {
  const lower = text.toLowerCase();
  let start = -1;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      visit(lower.slice(start, i));
      start = -1;
    }
  }
  if (start >= 0) visit(lower.slice(start));
}

/** Splits text into token strings (rules 2 and 3). */
export function tokenize(text: string): string[] {
  if (!NON_ASCII.test(text)) {
    const tokens: string[] = [];
    forEachAsciiToken(text, (token) => tokens.push(token));
    return tokens;
  }
  return normaliseText(text).match(TOKEN_PATTERN) ?? [];
}

/** {@link tokenize} through the pattern alone, whatever the text (what the ASCII path is tested against). */
export function tokenizeByPattern(text: string): string[] {
  return normaliseText(text).match(TOKEN_PATTERN) ?? [];
}

/** Decodes UTF-8 bytes (rule 1). */
export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Calls `visit` for every token of `text`, without building an intermediate array. */
export function forEachToken(text: string, visit: (token: string) => void): void {
  if (!NON_ASCII.test(text)) return forEachAsciiToken(text, visit);
  const normalised = normaliseText(text);
  const pattern = new RegExp(TOKEN_PATTERN.source, "gu");
  for (let m = pattern.exec(normalised); m !== null; m = pattern.exec(normalised)) visit(m[0]);
}

/** Token string -> integer id, assigned in order of first insertion. */
export class TokenDictionary {
  private readonly _ids = new Map<string, number>();
  private _next = FIRST_TOKEN_ID;

  /** Number of distinct tokens. */
  get size(): number {
    return this._ids.size;
  }

  /** Largest id given so far (0 when empty). */
  get maxId(): number {
    return this._next - 1;
  }

  /** The tokens in id order (ids FIRST_TOKEN_ID, FIRST_TOKEN_ID + 1, ...). */
  tokens(): IterableIterator<string> {
    return this._ids.keys();
  }

  /** Returns the id of `token`, giving it the next id if it is new. */
  intern(token: string): number {
    let id = this._ids.get(token);
    if (id === undefined) {
      id = this._next++;
      this._ids.set(token, id);
    }
    return id;
  }

  /** Returns the id of `token`, or {@link UNKNOWN_TOKEN_ID} if the corpus never had it. */
  lookup(token: string): number {
    return this._ids.get(token) ?? UNKNOWN_TOKEN_ID;
  }

  /** Token ids of `text`, unknown tokens as {@link UNKNOWN_TOKEN_ID}. */
  encode(text: string): Uint32Array {
    const tokens = tokenize(text);
    const out = new Uint32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) out[i] = this.lookup(tokens[i]);
    return out;
  }
}
