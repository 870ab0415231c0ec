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
 * Calls `visit(start, end)` for every token of already lower-cased ASCII text (rules 2 and 3
 * where they are simple): NFC changes no ASCII text, lower-casing maps only A-Z, and the letters,
 * marks and digits of ASCII are a-z, A-Z and 0-9, so a token is a run of a-z and 0-9 after
 * lower-casing. Tested against the pattern on random ASCII text; any other text goes through the
 * pattern.
 */
function forEachAsciiRange(lower: string, visit: (start: number, end: number) => void): void {
  let start = -1;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      visit(start, i);
      start = -1;
    }
  }
  if (start >= 0) visit(start, lower.length);
}

/** The tokens of ASCII text as strings ({@link forEachAsciiRange}). */
function forEachAsciiToken(text: string, visit: (token: string) => void): void {
  const lower = text.toLowerCase();
  forEachAsciiRange(lower, (start, end) => visit(lower.slice(start, end)));
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

/**
 * Calls `visit` with the id in `dictionary` of every token of `text`, in order: new tokens are
 * interned (`intern` true) or given {@link UNKNOWN_TOKEN_ID}. ASCII text is scanned in place,
 * without a string per token.
 */
export function forEachTokenId(
  text: string,
  dictionary: TokenDictionary,
  intern: boolean,
  visit: (id: number) => void,
): void {
  if (!NON_ASCII.test(text)) {
    dictionary.asciiIds(text.toLowerCase(), intern, visit);
    return;
  }
  forEachToken(text, (token) => visit(intern ? dictionary.intern(token) : dictionary.lookup(token)));
}

/** FNV-1a prime; the dictionary's hash is FNV-1a over UTF-16 units from a random basis. */
const FNV_PRIME = 0x01000193;

/**
 * Token string -> integer id, assigned in order of first insertion. An open-addressing hash
 * table over the tokens, so a token can be looked up as a range of a longer string (a whole
 * document or output, scanned once) without cutting it out. The hash starts from a random basis
 * per dictionary (a corpus cannot be written to collide); ids never depend on it.
 */
export class TokenDictionary {
  /** Token of id FIRST_TOKEN_ID + i. */
  private readonly _words: string[] = [];
  /** Hash of token id FIRST_TOKEN_ID + i. */
  private _hashes = new Int32Array(256);
  /** Slots: an id, or 0 when empty; a power of two in size, at most half full. */
  private _slots = new Int32Array(512);
  private readonly _basis = (Math.random() * 2 ** 32) | 0;

  /** Number of distinct tokens. */
  get size(): number {
    return this._words.length;
  }

  /** Largest id given so far (0 when empty). */
  get maxId(): number {
    return this._words.length + FIRST_TOKEN_ID - 1;
  }

  /** The tokens in id order (ids FIRST_TOKEN_ID, FIRST_TOKEN_ID + 1, ...). */
  tokens(): IterableIterator<string> {
    return this._words.values();
  }

  /** Returns the id of `token`, giving it the next id if it is new. */
  intern(token: string): number {
    return this.idOf(token, 0, token.length, true);
  }

  /** Returns the id of `token`, or {@link UNKNOWN_TOKEN_ID} if the corpus never had it. */
  lookup(token: string): number {
    return this.idOf(token, 0, token.length, false);
  }

  /**
   * The id of the token `text.slice(start, end)` (cut out only when it is new and interned):
   * when it is absent, the next id if `intern`, else {@link UNKNOWN_TOKEN_ID}.
   */
  idOf(text: string, start: number, end: number, intern: boolean): number {
    let h = this._basis;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
    return this._find(text, start, end, h, intern);
  }

  /**
   * Calls `visit` with the id of every token of lower-cased ASCII text (the runs of a-z and 0-9,
   * as {@link forEachAsciiRange} cuts them), each hashed while it is scanned.
   */
  asciiIds(lower: string, intern: boolean, visit: (id: number) => void): void {
    const basis = this._basis;
    let start = -1;
    let h = basis;
    for (let i = 0; i < lower.length; i++) {
      const c = lower.charCodeAt(i);
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
        if (start < 0) {
          start = i;
          h = basis;
        }
        h = Math.imul(h ^ c, FNV_PRIME);
      } else if (start >= 0) {
        visit(this._find(lower, start, i, h, intern));
        start = -1;
      }
    }
    if (start >= 0) visit(this._find(lower, start, lower.length, h, intern));
  }

  /** {@link idOf} given the FNV-1a hash `h` of the range. */
  private _find(text: string, start: number, end: number, h: number, intern: boolean): number {
    h ^= h >>> 15;
    const slots = this._slots;
    const mask = slots.length - 1;
    const length = end - start;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = slots[slot];
      if (id === 0) break;
      if (this._hashes[id - FIRST_TOKEN_ID] !== h) continue;
      const word = this._words[id - FIRST_TOKEN_ID];
      if (word.length !== length) continue;
      let k = 0;
      while (k < length && word.charCodeAt(k) === text.charCodeAt(start + k)) k++;
      if (k === length) return id;
    }
    if (!intern) return UNKNOWN_TOKEN_ID;
    return this._add(start === 0 && end === text.length ? text : text.slice(start, end), h);
  }

  private _add(word: string, h: number): number {
    const index = this._words.length;
    const id = index + FIRST_TOKEN_ID;
    this._words.push(word);
    if (index === this._hashes.length) {
      const bigger = new Int32Array(index * 2);
      bigger.set(this._hashes);
      this._hashes = bigger;
    }
    this._hashes[index] = h;
    if (2 * this._words.length > this._slots.length) this._rehash(this._slots.length * 2);
    else this._place(this._slots, id, h);
    return id;
  }

  private _place(slots: Int32Array, id: number, h: number): void {
    const mask = slots.length - 1;
    let slot = h & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = id;
  }

  private _rehash(size: number): void {
    const slots = new Int32Array(size);
    for (let i = 0; i < this._words.length; i++) this._place(slots, i + FIRST_TOKEN_ID, this._hashes[i]);
    this._slots = slots;
  }

  /** Token ids of `text`, unknown tokens as {@link UNKNOWN_TOKEN_ID}. */
  encode(text: string): Uint32Array {
    if (!NON_ASCII.test(text)) {
      const lower = text.toLowerCase();
      // A token and the separator after it take at least two units.
      const out = new Uint32Array((lower.length + 1) >> 1);
      let n = 0;
      this.asciiIds(lower, false, (id) => (out[n++] = id));
      return out.slice(0, n);
    }
    const tokens = tokenize(text);
    const out = new Uint32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) out[i] = this.lookup(tokens[i]);
    return out;
  }
}
