import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLabelSelector, selects } from './label-selector.ts';

// Cases as apimachinery's labels.Parse reads them: selector, labels, selected?
const cases: [string, Record<string, string>, boolean][] = [
  ['app=web', { app: 'web' }, true],
  ['app==web', { app: 'web', tier: 'x' }, true],
  ['app=web', { app: 'db' }, false],
  ['app!=web', { app: 'db' }, true],
  ['app!=web', {}, true],
  ['app', { app: '' }, true],
  ['!app', { app: 'web' }, false],
  ['!app', {}, true],
  ['env in (prod, staging)', { env: 'staging' }, true],
  ['env in (prod,staging)', { env: 'dev' }, false],
  ['env notin (dev)', {}, true],
  ['env notin (dev)', { env: 'dev' }, false],
  ['app=web,env in (prod),!internal', { app: 'web', env: 'prod' }, true],
  ['app=web,env in (prod),!internal', { app: 'web', env: 'prod', internal: 'y' }, false],
  ['edge-dns.io/public=true', { 'edge-dns.io/public': 'true' }, true],
];

test('label selectors select as Kubernetes does', () => {
  for (const [selector, labels, want] of cases)
    assert.equal(
      selects(parseLabelSelector(selector), labels),
      want,
      `${selector} on ${JSON.stringify(labels)}`,
    );
});

test('bad selectors are refused with the reason', () => {
  for (const [selector, want] of [
    ['app=web,', /empty requirement/],
    ['-app=x', /"-app" is not a label key/],
    ['app=we b', /not a label key|not a label value/],
    ['env in (a b)', /"a b" is not a label value/],
  ] as const)
    assert.throws(() => parseLabelSelector(selector), want, selector);
});
