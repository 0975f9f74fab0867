import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  BlockElementAction,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';

export type ActionHandler<A extends BlockElementAction> = (
  args: SlackActionMiddlewareArgs<BlockAction<A>> & AllMiddlewareArgs,
) => Promise<void>;

export type EventHandler<E extends string> = (
  args: SlackEventMiddlewareArgs<E> & AllMiddlewareArgs,
) => Promise<void>;

export type ViewHandler = (
  args: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs,
) => Promise<void>;

/** Where deploybot's Slack listeners go: buttons, modal submissions and events by id, the rest on Bolt itself. */
export interface SlackRoutes {
  /** For what has one listener anyway: the command and the shortcut. */
  readonly bolt: App;
  /** A block action by its action_id, exactly or by pattern; the first route that matches takes it. */
  action<A extends BlockElementAction>(actionId: string | RegExp, handler: ActionHandler<A>): void;
  /** A view submission by its callback_id. */
  view(callbackId: string, handler: ViewHandler): void;
  /** An Events API event by its type. */
  event<E extends 'app_mention' | 'app_home_opened'>(type: E, handler: EventHandler<E>): void;
}

interface Route<H> {
  readonly match: string | RegExp;
  readonly handler: H;
}

const matches = (match: string | RegExp, id: string) =>
  typeof match === 'string' ? match === id : match.test(id);

const EVERY_ID = /(?:)/;

/**
 * Bolt runs every listener's middleware for every request, so each listener costs each
 * request: with the 11 buttons, 2 modals and 2 events as listeners of their own, a `/deploy` ack
 * was about a third slower. Here they are one Bolt listener for actions, one for view submissions
 * and one for events, each looking its route up by id.
 */
export function createSlackRoutes(bolt: App): SlackRoutes {
  const actions: Array<Route<ActionHandler<BlockElementAction>>> = [];
  const views: Array<Route<ViewHandler>> = [];
  const events: Array<Route<EventHandler<string>>> = [];

  function add<H>(routes: Array<Route<H>>, match: string | RegExp, handler: H): void {
    if (typeof match === 'string' && routes.some((route) => route.match === match))
      throw new Error(`${match} already has a listener`);
    routes.push({ match, handler });
  }

  bolt.action<BlockAction>(EVERY_ID, async (args) => {
    const route = actions.find((r) => matches(r.match, args.action.action_id));
    // Unrouted, it goes unacknowledged, as Bolt leaves an action no listener matched.
    if (route) await route.handler(args);
  });
  bolt.view(EVERY_ID, async (args) => {
    const route = views.find((r) => matches(r.match, args.view.callback_id));
    if (route) await route.handler(args as SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs);
  });

  // Bolt acknowledges events itself, before any listener: an unrouted one is simply dropped.
  bolt.event(EVERY_ID, async (args) => {
    const route = events.find((r) => matches(r.match, args.event.type));
    if (route) await route.handler(args);
  });

  return {
    bolt,
    action(actionId, handler) {
      add(actions, actionId, handler as ActionHandler<BlockElementAction>);
    },
    view(callbackId, handler) {
      add(views, callbackId, handler);
    },
    event(type, handler) {
      add(events, type, handler as unknown as EventHandler<string>);
    },
  };
}
