// Attribute values on DynamoDB's JSON protocol (AWS DynamoDB API reference, "AttributeValue"):
// binary values (`B`, `BS`) travel as base64 strings, the SDK shapes hold bytes. Everything else
// (`S`, `N` as a string, `BOOL`, `NULL`, sets, `M`, `L`) is the same on both sides.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from './codec.ts';

type Wire = Record<string, unknown>;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text: unknown): Uint8Array {
  if (typeof text !== 'string') throw new TypeError('binary attribute is not a base64 string');
  const s = atob(text);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

/** An item as the JSON protocol sends it. */
export function itemToWire(item: Item): Wire {
  const out: Wire = {};
  for (const [k, v] of Object.entries(item)) out[k] = valueToWire(v);
  return out;
}

function valueToWire(v: AttributeValue): Wire {
  if (v.B) return { B: toBase64(v.B) };
  if (v.BS) return { BS: v.BS.map(toBase64) };
  if (v.M) return { M: itemToWire(v.M) };
  if (v.L) return { L: v.L.map(valueToWire) };
  return v as unknown as Wire;
}

/** An item as the JSON protocol returns it, in the SDK's shape. */
export function itemFromWire(wire: unknown): Item {
  if (typeof wire !== 'object' || wire === null) throw new TypeError('item is not an object');
  const out: Item = {};
  for (const [k, v] of Object.entries(wire)) out[k] = valueFromWire(v as Wire);
  return out;
}

function valueFromWire(v: Wire): AttributeValue {
  if ('B' in v) return { B: fromBase64(v.B) };
  if ('BS' in v) return { BS: (v.BS as unknown[]).map(fromBase64) };
  if ('M' in v) return { M: itemFromWire(v.M) };
  if ('L' in v) return { L: (v.L as Wire[]).map(valueFromWire) };
  return v as unknown as AttributeValue;
}
