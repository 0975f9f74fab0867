/** Someone who opened deploybot's Home tab, and when they last did. */
export interface HomeViewer {
  readonly userId: string;
  readonly openedAt: number;
}

/**
 * Who opened the Home tab lately, so their boards are republished when something changes.
 * Opening again moves `openedAt` forward; old entries are forgotten rather than kept.
 */
export interface HomeViewerStore {
  recordHomeViewer(userId: string, openedAt: number): Promise<void>;
  /** Everyone who opened it at `since` or later, oldest opening first. */
  listHomeViewers(since: number): Promise<HomeViewer[]>;
  /** Drops those who last opened it before `before`; says how many. */
  forgetHomeViewers(before: number): Promise<number>;
}
