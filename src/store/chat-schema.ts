/** Tables of chat deploys (migration 0003): locks, pending confirmations, deploys waiting for a lock. */
export interface LockTable {
  repository: string;
  environment: string;
  holder: string;
  reason: string | null;
  locked_at: number;
  expires_at: number | null;
}

/** A button someone must press: confirm a protected deploy, deploy anyway, approve, steal a lock. */
export interface ConfirmationTable {
  id: string;
  kind: string;
  /** Who may press it (the asker); approvals are pressed by someone else. */
  user_id: string;
  channel: string;
  /** What pressing it does, JSON. */
  request: string;
  state: 'open' | 'done' | 'cancelled';
  created_at: number;
  expires_at: number;
  decided_by: string | null;
  decided_at: number | null;
}

/** A merged-PR deploy into a locked environment, sent on unlock in the order it arrived. */
export interface LockWaitTable {
  id: string;
  /** Arrival order; timestamps can tie. */
  seq: number;
  repository: string;
  environment: string;
  request: string;
  channel: string;
  message_ts: string | null;
  created_at: number;
}

/** A keyed Slack post about to be made (migration 0013). */
export interface ChatPostTable {
  key: string;
  created_at: number;
}

export interface ChatTables {
  chat_posts: ChatPostTable;
  locks: LockTable;
  confirmations: ConfirmationTable;
  lock_waits: LockWaitTable;
}
