import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dependencyProblem } from './dependencyProblem.js';

const db = (health: string) => ({ service: 'shop_db', state: 'running', health, error: '', desiredState: 'running' });

test('a dependency that runs unhealthy is named; one still starting is waited for', () => {
  assert.equal(dependencyProblem('shop', 'shop_web', 'waiting for db: healthy', [db('starting')]), undefined);
  assert.equal(dependencyProblem('shop', 'shop_web', 'waiting for db: healthy', [db('unhealthy')]), 'deploy: shop_web waits for db to be healthy, but db is unhealthy (its healthcheck fails)');
  assert.equal(dependencyProblem('shop', 'shop_web', 'no suitable node (1 node down)', [db('unhealthy')]), undefined);
});
