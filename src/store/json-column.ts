import type { z } from 'zod';
import { DeploybotError } from '../core/errors.js';

/**
 * A JSON column with a schema and a version. Values are written as `{"v": N, "data": …}` and
 * read back through the schema, so a row written by another release is either upgraded to
 * today's shape or refused with a clear error, never read as something it is not.
 */
export interface JsonColumn<T> {
  encode(value: T): string;
  decode(text: string): T;
}

export interface JsonColumnOptions<T> {
  /** Names the column in errors, e.g. `confirmations.request`. */
  readonly name: string;
  readonly version: number;
  readonly schema: z.ZodType<T>;
  /**
   * Turns data of an older version into the next one's, by the version it was written with.
   * Version 0 is a row written before columns carried versions: the bare JSON value.
   */
  readonly upgrades: Readonly<Record<number, (data: unknown) => unknown>>;
}

function isEnvelope(value: unknown): value is { v: number; data: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 2 &&
    typeof (value as { v?: unknown }).v === 'number' &&
    'data' in value
  );
}

export function jsonColumn<T>(options: JsonColumnOptions<T>): JsonColumn<T> {
  const refuse = (message: string, cause?: unknown) =>
    new DeploybotError('store_record_invalid', `${options.name}: ${message}`, {
      ...(cause === undefined ? {} : { cause }),
      details: { column: options.name },
    });
  return {
    encode: (value) => JSON.stringify({ v: options.version, data: options.schema.parse(value) }),
    decode(text) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw refuse('is not JSON', error);
      }
      let version = isEnvelope(parsed) ? parsed.v : 0;
      let data = isEnvelope(parsed) ? parsed.data : parsed;
      if (version > options.version) {
        throw refuse(
          `was written by a newer deploybot (version ${version}; this one reads up to ${options.version})`,
        );
      }
      while (version < options.version) {
        const upgrade = options.upgrades[version];
        if (!upgrade) throw refuse(`has version ${version}, which this deploybot cannot upgrade`);
        data = upgrade(data);
        version += 1;
      }
      const result = options.schema.safeParse(data);
      if (!result.success) throw refuse(`does not match version ${options.version}: ${result.error.message}`);
      return result.data;
    },
  };
}

/** Rows from before versioning already had today's shape: version 0 becomes 1 as it is. */
export const UNCHANGED = (data: unknown): unknown => data;
