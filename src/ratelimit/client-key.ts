import { z } from 'zod';
import { parseOptions } from '../core/index.js';

/** The parts of an HTTP request `clientKey` reads: Node's `IncomingMessage`, Express's `req`, Fastify's `request.raw`. */
export interface ClientKeyRequest {
  /** The connection; its `remoteAddress` is the peer's address. */
  readonly socket?: { readonly remoteAddress?: string | undefined } | null | undefined;
  /** The request headers, lower-case names as Node gives them. */
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>> | undefined;
}

/** Options for {@link createClientKey}. */
export interface ClientKeyOptions {
  /**
   * The prefix length IPv6 clients are grouped by: one ISP customer usually gets a /56 (or a /48), and
   * limiting single /128 addresses lets anyone with a subnet rotate through 2^72 keys.
   * @default 56
   */
  readonly ipv6Prefix?: number;
  /**
   * The prefix length IPv4 clients are grouped by.
   * @default 32
   */
  readonly ipv4Prefix?: number;
  /**
   * How many proxies you run in front of the app. With `n`, the client is the `n`-th address from the
   * right of `X-Forwarded-For` (the one your outermost proxy saw), as Express's `trust proxy` does with
   * a hop count; with `false`, `X-Forwarded-For` is ignored, since any client can write it.
   * @default false
   */
  readonly trustProxy?: false | number;
}

/** @internal The schema bound to {@link ClientKeyOptions} by a type test. */
export const clientKeyOptionsSchema = z.strictObject({
  ipv6Prefix: z.number().int().min(1).max(128).default(56),
  ipv4Prefix: z.number().int().min(1).max(32).default(32),
  trustProxy: z.union([z.literal(false), z.number().int().min(1).max(64)]).default(false),
});

/** The key of requests whose address is missing or unreadable: they share one bucket. */
export const UNKNOWN_CLIENT = 'unknown';

// Scratch for one parsed IPv6 address: parsing and masking allocate nothing but the result string.
const groups = new Uint16Array(8);

/**
 * Creates a function that turns a request into a rate-limit key: the client's address, IPv4-mapped
 * IPv6 (`::ffff:192.0.2.1`) unwrapped to IPv4, IPv6 masked to `ipv6Prefix` (written `2001:db8:0:100::/56`),
 * IPv4 masked to `ipv4Prefix` (written `192.0.2.0/24` below 32). A request without a readable address
 * gets {@link UNKNOWN_CLIENT}.
 *
 * @example
 * ```ts
 * const keyOf = createClientKey({ trustProxy: 1, ipv6Prefix: 48 });
 * app.use(rateLimit({ limiter, key: keyOf }));
 * ```
 * @throws {ConfigError} naming each bad option.
 */
export function createClientKey(options?: ClientKeyOptions): (request: ClientKeyRequest) => string {
  const { ipv4Prefix, ipv6Prefix, trustProxy } = parseOptions(
    clientKeyOptionsSchema,
    options ?? {},
    'createClientKey',
  );
  return (request) => keyOf(request, ipv4Prefix, ipv6Prefix, trustProxy);
}

/**
 * The rate-limit key of a request with the default options of {@link createClientKey}: the socket's
 * address, IPv4-mapped IPv6 unwrapped, IPv6 masked to /56; `X-Forwarded-For` is ignored.
 */
export function clientKey(request: ClientKeyRequest): string {
  return keyOf(request, 32, 56, false);
}

/**
 * Normalises one address to its key: IPv4 masked to `ipv4Prefix`, IPv4-mapped IPv6 unwrapped, IPv6
 * masked to `ipv6Prefix`; `undefined` when it is not an IP address.
 */
export function addressKey(address: string, ipv4Prefix = 32, ipv6Prefix = 56): string | undefined {
  const v4 = parseIPv4(address, 0, address.length);
  // A dotted quad parseIPv4 accepts is already canonical (no leading zeros): as a /32 key it is itself.
  if (v4 >= 0) return ipv4Prefix === 32 ? address : ipv4Key(v4, ipv4Prefix);
  const end = address.indexOf('%');
  if (!parseIPv6(address, end === -1 ? address.length : end)) return undefined;
  if (isIPv4Mapped()) {
    const mapped = ((groups[6]! << 16) | groups[7]!) >>> 0;
    return ipv4Key(mapped, ipv4Prefix);
  }
  return ipv6Key(ipv6Prefix);
}

function keyOf(
  request: ClientKeyRequest,
  ipv4Prefix: number,
  ipv6Prefix: number,
  trustProxy: false | number,
): string {
  const peer = request.socket?.remoteAddress;
  const address = trustProxy === false ? peer : forwardedAddress(request, peer, trustProxy);
  if (address === undefined) return UNKNOWN_CLIENT;
  return addressKey(address, ipv4Prefix, ipv6Prefix) ?? UNKNOWN_CLIENT;
}

// The addresses from nearest to farthest are [peer, last XFF entry, ..., first XFF entry]; with `hops`
// trusted proxies the client is the one at index `hops` (or the farthest, if the list is shorter).
function forwardedAddress(
  request: ClientKeyRequest,
  peer: string | undefined,
  hops: number,
): string | undefined {
  const header = request.headers?.['x-forwarded-for'];
  const value = typeof header === 'string' ? header : header?.join(',');
  if (value === undefined || value === '') return peer;
  const entries = value.split(',');
  const index = Math.max(0, entries.length - hops);
  return stripPort(entries[index]!.trim()) ?? peer;
}

// Some proxies append the port: `192.0.2.1:4711`, `[2001:db8::1]:4711`.
function stripPort(entry: string): string | undefined {
  if (entry === '') return undefined;
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    return close === -1 ? undefined : entry.slice(1, close);
  }
  const colon = entry.indexOf(':');
  if (colon !== -1 && colon === entry.lastIndexOf(':')) return entry.slice(0, colon);
  return entry;
}

function ipv4Key(address: number, prefix: number): string {
  const out = writer();
  const masked = prefix === 32 ? address : (address & ((0xffffffff << (32 - prefix)) >>> 0)) >>> 0;
  out.decimal(masked >>> 24);
  out.byte(DOT);
  out.decimal((masked >>> 16) & 255);
  out.byte(DOT);
  out.decimal((masked >>> 8) & 255);
  out.byte(DOT);
  out.decimal(masked & 255);
  if (prefix !== 32) out.prefix(prefix);
  return out.text();
}

function isIPv4Mapped(): boolean {
  return (
    groups[0] === 0 &&
    groups[1] === 0 &&
    groups[2] === 0 &&
    groups[3] === 0 &&
    groups[4] === 0 &&
    groups[5] === 0xffff
  );
}

// Dotted quad in text[start, end) as an unsigned 32-bit number, or -1. No leading zeros (they mean
// octal to some parsers), each part 0..255.
function parseIPv4(text: string, start: number, end: number): number {
  let value = 0;
  let parts = 0;
  let i = start;
  while (parts < 4) {
    const partStart = i;
    let part = 0;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      part = part * 10 + (c - 48);
      i++;
    }
    const digits = i - partStart;
    if (digits === 0 || digits > 3 || part > 255 || (digits > 1 && text.charCodeAt(partStart) === 48))
      return -1;
    value = value * 256 + part;
    parts++;
    if (parts < 4) {
      if (i >= end || text.charCodeAt(i) !== 46) return -1;
      i++;
    }
  }
  return i === end ? value : -1;
}

// Parses IPv6 text[0, end) into `groups` (RFC 4291 text forms: `::` once, a trailing dotted quad).
function parseIPv6(text: string, end: number): boolean {
  let count = 0;
  let gap = -1;
  let i = 0;
  if (end < 2) return false;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
  }
  while (i < end) {
    if (count === 8) return false;
    const groupStart = i;
    let value = 0;
    while (i < end && i - groupStart < 5) {
      const digit = hexDigit(text.charCodeAt(i));
      if (digit < 0) break;
      value = value * 16 + digit;
      i++;
    }
    const digits = i - groupStart;
    if (i < end && text.charCodeAt(i) === 46) {
      // A trailing IPv4 part fills the last two groups.
      if (count > 6) return false;
      const v4 = parseIPv4(text, groupStart, end);
      if (v4 < 0) return false;
      groups[count++] = v4 >>> 16;
      groups[count++] = v4 & 0xffff;
      i = end;
      break;
    }
    if (digits === 0 || digits > 4) return false;
    groups[count++] = value;
    if (i === end) break;
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && text.charCodeAt(i) === 58) {
      if (gap !== -1) return false;
      gap = count;
      i++;
    } else if (i === end) {
      return false;
    }
  }
  if (gap === -1) return count === 8;
  if (count > 7) return false;
  // Move the groups after the gap to the end and zero the gap.
  const after = count - gap;
  for (let k = 0; k < after; k++) groups[7 - k] = groups[count - 1 - k]!;
  for (let k = gap; k < 8 - after; k++) groups[k] = 0;
  return true;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

// Masks `groups` to `prefix` bits and writes RFC 5952 text (lower case, longest zero run as `::`).
function ipv6Key(prefix: number): string {
  for (let g = 0; g < 8; g++) {
    const keep = Math.min(16, Math.max(0, prefix - g * 16));
    groups[g] = keep === 16 ? groups[g]! : keep === 0 ? 0 : groups[g]! & ((0xffff << (16 - keep)) & 0xffff);
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let g = 0; g < 8;) {
    if (groups[g] !== 0) {
      g++;
      continue;
    }
    let run = g;
    while (run < 8 && groups[run] === 0) run++;
    if (run - g > bestLength) {
      bestStart = g;
      bestLength = run - g;
    }
    g = run;
  }
  const out = writer();
  for (let g = 0; g < 8; g++) {
    if (g === bestStart) {
      out.byte(COLON);
      out.byte(COLON);
      g += bestLength - 1;
      continue;
    }
    if (g > 0 && g !== bestStart + bestLength) out.byte(COLON);
    out.hex(groups[g]!);
  }
  if (prefix !== 128) out.prefix(prefix);
  return out.text();
}

const DOT = 46;
const COLON = 58;
const SLASH = 47;
const HEX = '0123456789abcdef';

// Writes a key into one reused buffer and copies it out as one flat string. Keys built by string
// concatenation are rope strings in V8, and a Map holding one keeps every piece: 3-4 times the memory.
class KeyWriter {
  readonly #buffer = Buffer.allocUnsafe(64);
  #length = 0;

  byte(code: number): void {
    this.#buffer[this.#length++] = code;
  }

  decimal(value: number): void {
    if (value >= 100) this.byte(48 + Math.floor(value / 100));
    if (value >= 10) this.byte(48 + (Math.floor(value / 10) % 10));
    this.byte(48 + (value % 10));
  }

  hex(value: number): void {
    let started = false;
    for (let shift = 12; shift >= 0; shift -= 4) {
      const digit = (value >>> shift) & 15;
      if (digit === 0 && !started && shift > 0) continue;
      started = true;
      this.byte(HEX.charCodeAt(digit));
    }
  }

  prefix(bits: number): void {
    this.byte(SLASH);
    this.decimal(bits);
  }

  text(): string {
    const text = this.#buffer.toString('latin1', 0, this.#length);
    this.#length = 0;
    return text;
  }
}

let sharedWriter: KeyWriter | undefined;
// Created on first use: nothing is allocated at import time.
function writer(): KeyWriter {
  return (sharedWriter ??= new KeyWriter());
}
