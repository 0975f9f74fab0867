/** Migration 0004: leases that several deploybot processes take and renew. */
export interface LeaseTable {
  key: string;
  owner: string;
  expires_at: number;
}

export interface LeaseTables {
  leases: LeaseTable;
}
