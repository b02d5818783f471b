import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultStackName } from './defaultStackName.js';

describe('defaultStackName', () => {
  const cases: [string, string][] = [
    ['/home/me/shop/stack.yml', 'shop'],
    ['/home/me/My Shop.v2/compose.yaml', 'myshopv2'],
    ['deploy/_Front-End/stack.yml', 'front-end'],
    ['C:\\Users\\me\\Blog\\stack.yml', 'blog'],
    ['stack.yml', ''],
    ['./stack.yml', ''],
    ['/stack.yml', ''],
  ];
  for (const [path, want] of cases) {
    test(`${path} gives ${JSON.stringify(want)}`, () => assert.equal(defaultStackName(path), want));
  }
});
