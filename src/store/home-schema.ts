/** Migration 0008: who opened the App Home lately, whose boards are kept current. */
export interface HomeViewerTable {
  user_id: string;
  opened_at: number;
}

export interface HomeTables {
  home_viewers: HomeViewerTable;
}
