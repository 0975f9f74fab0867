import { confirmationTtlMs } from '../core/policy.js';
import type { ConfirmationRequest, ConfirmationStore } from '../core/ports/confirmation-store.js';
import type { Clock } from '../core/scheduler.js';

/** Keeps what a button will go ahead with until it is pressed; returns the id the button carries. */
export async function openConfirmation(
  deps: { readonly store: ConfirmationStore; readonly clock: Clock; readonly newId: () => string },
  confirmation: ConfirmationRequest & { readonly userId: string; readonly channel: string },
): Promise<string> {
  const id = deps.newId();
  const now = deps.clock.now();
  await deps.store.saveConfirmation({
    id,
    ...confirmation,
    createdAt: now,
    expiresAt: now + confirmationTtlMs(confirmation.kind),
  });
  return id;
}
