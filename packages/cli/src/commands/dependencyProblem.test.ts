import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TaskReason } from '@cluster/core';
import { dependencyProblem } from './dependencyProblem.js';

const db = (health: string) => ({ service: 'shop_db', state: 'running', health, error: '', desiredState: 'running' });
/** waitingForHealthyDb is the scheduler's `waiting for db: healthy`, as data. */
const waitingForHealthyDb: TaskReason = { kind: 'waiting_for_dependencies', waits: [{ service: 'db', condition: 'service_healthy', deployed: true }] };
/** oneNodeDown is the scheduler's `no suitable node (1 node down)`, as data. */
const oneNodeDown: TaskReason = { kind: 'no_suitable_node', refusals: [{ refusal: { kind: 'down' }, nodes: 1 }] };

test('a dependency that runs unhealthy is named; one still starting is waited for', () => {
  assert.equal(dependencyProblem('shop', 'shop_web', waitingForHealthyDb, [db('starting')]), undefined);
  assert.equal(dependencyProblem('shop', 'shop_web', waitingForHealthyDb, [db('unhealthy')]), 'deploy: shop_web waits for db to be healthy, but db is unhealthy (its healthcheck fails)');
  assert.equal(dependencyProblem('shop', 'shop_web', oneNodeDown, [db('unhealthy')]), undefined);
});
