import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSizeString } from '../../../src/core/spec';

test('plain digits are taken as they are (bytes for tables, a count for files)', () => {
  assert.equal(parseSizeString('10'), 10);
  assert.equal(parseSizeString('0'), 0);
  assert.equal(parseSizeString('1048576'), 1048576);
});

test('kb, mb and gb multiply by powers of 1024, in any letter case', () => {
  assert.equal(parseSizeString('10kb'), 10240);
  assert.equal(parseSizeString('10KB'), 10240);
  assert.equal(parseSizeString('1MB'), 1048576);
  assert.equal(parseSizeString('10mb'), 10485760);
  assert.equal(parseSizeString('2Gb'), 2147483648);
});

test('anything outside ^\\d+([kKmMgG][bB])*$ is not a size', () => {
  for (const bad of ['', ' 10', '10 mb', '1.5mb', '-1', '10m', '10tb', 'mb', 'ten', '0x10']) {
    assert.equal(parseSizeString(bad), undefined, bad);
  }
});

test('repeated units pass the schema pattern but fail the SDK conversion, so they are rejected', () => {
  assert.equal(parseSizeString('1mbkb'), undefined);
});
