import type { WebClient } from '@slack/web-api';
import type { HomeViewPort } from '../core/ports/home-view.js';
import { mapSlackError } from './slack-errors.js';

/**
 * `views.publish` behind the Home port. The WebClient waits out a 429 for as long as Slack's
 * Retry-After says and tries again (Bolt does not reject rate-limited calls).
 */
export function createSlackHomeView(client: WebClient): HomeViewPort {
  return {
    async publishHome(userId, view) {
      try {
        await client.views.publish({ user_id: userId, view: view as never });
      } catch (error) {
        throw mapSlackError(error, { user: userId });
      }
    },
  };
}
