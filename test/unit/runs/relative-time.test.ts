import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { relativeTime } from '../../../src/core/runs/relative-time';

const now = new Date('2026-12-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

test('recent runs read as minutes or hours ago, older ones as a date', () => {
  assert.equal(relativeTime(ago(20_000), now), 'just now');
  assert.equal(relativeTime(ago(5 * 60_000 + 10_000), now), '5 min ago');
  assert.equal(relativeTime(ago(3 * 3600_000), now), '3 h ago');
  assert.equal(relativeTime(ago(26 * 3600_000), now), 'yesterday');
  assert.equal(relativeTime(ago(3 * 86400_000), now), '3 days ago');
  assert.equal(relativeTime(new Date('2026-11-02T10:00:00Z'), now), 'Nov 2');
  assert.equal(relativeTime(new Date('2025-11-02T10:00:00Z'), now), 'Nov 2, 2025');
});

test('a clock that went backwards reads as just now', () => {
  assert.equal(relativeTime(new Date(now.getTime() + 60_000), now), 'just now');
});
