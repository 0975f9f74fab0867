import { describe, expect, it } from 'vitest';
import { HANDLED_EVENT_SCHEMAS, slimPayload } from '../../src/webhooks/payloads.js';
import { createWebhookHandlers, type WebhookUseCases } from '../../src/webhooks/webhook-handlers.js';

describe('what of a payload is stored', () => {
  it('has a schema for every event a handler acts on, and for no other', () => {
    // The handlers only close over their use cases when built: none is called here.
    const handlers = createWebhookHandlers({} as WebhookUseCases, { repositoryUrl: (name) => name });
    expect(Object.keys(HANDLED_EVENT_SCHEMAS).sort()).toEqual(Object.keys(handlers).sort());
  });

  it('keeps the payload of an event no schema describes as it came', () => {
    const payload = { zen: 'Keep it logically awesome.', hook_id: 1 };
    expect(slimPayload('ping', payload)).toBe(payload);
  });
});
