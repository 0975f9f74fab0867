import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseSetting } from '../../src/store/database.js';

export const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  readonly name: string;
  readonly setting: DatabaseSetting;
  drop(): Promise<void>;
}

export async function createSqliteDatabase(): Promise<TestDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'deploybot-store-'));
  return {
    name: 'sqlite',
    setting: { kind: 'sqlite', path: join(dir, 'test.sqlite') },
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A fresh schema in the machine's PostgreSQL, so parallel test files never share tables. */
export async function createPostgresDatabase(): Promise<TestDatabase> {
  const schema = `deploybot_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    name: 'postgres',
    setting: { kind: 'postgres', url },
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    },
  };
}

export const DATABASES = [
  ['sqlite', createSqliteDatabase],
  ['postgres', createPostgresDatabase],
] as const;
