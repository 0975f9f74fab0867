export interface Confirmation {
  readonly id: string;
  readonly kind: string;
  readonly userId: string;
  readonly channel: string;
  readonly request: unknown;
  readonly state: 'open' | 'done' | 'cancelled';
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface ConfirmationStore {
  saveConfirmation(confirmation: Omit<Confirmation, 'state'>): Promise<void>;
  getConfirmation(id: string): Promise<Confirmation | undefined>;
  /**
   * Moves an open confirmation to `done` or `cancelled`. Only one caller ever wins, so a
   * button pressed twice (or by two people at once) acts once.
   */
  decideConfirmation(id: string, state: 'done' | 'cancelled', by: string, now: number): Promise<boolean>;
}
