import type { HomeView } from '../home-board.js';

/**
 * Slack's Home tab as the flows need it (`views.publish`); the Slack adapter in src/bot/
 * implements it. A 429 is waited out by the adapter; other failures come back as
 * DeploybotErrors with Slack codes.
 */
export interface HomeViewPort {
  publishHome(userId: string, view: HomeView): Promise<void>;
}
