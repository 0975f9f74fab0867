/** Migration 0010: the latest status seen of each deployment (core/known-status.ts). */
export interface KnownStatusTable {
  deployment_id: number;
  repository: string;
  status_id: number;
  state: string;
  /** When GitHub created the status. */
  created_at: number;
  log_url: string | null;
  environment_url: string | null;
}

export interface KnownStatusTables {
  known_statuses: KnownStatusTable;
}
