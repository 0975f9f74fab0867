/**
 * Messages as data: Block Kit shapes deploybot renders, with no dependency on a Slack SDK.
 * The adapter in src/bot/ sends them as they are.
 */
export interface TextObject {
  readonly type: 'mrkdwn' | 'plain_text';
  readonly text: string;
  readonly emoji?: boolean;
}

export interface ButtonElement {
  readonly type: 'button';
  readonly text: TextObject;
  readonly action_id: string;
  readonly value?: string;
  readonly url?: string;
  readonly style?: 'primary' | 'danger';
}

export type Block =
  | { readonly type: 'section'; readonly text: TextObject; readonly fields?: readonly TextObject[] }
  | { readonly type: 'context'; readonly elements: readonly TextObject[] }
  | { readonly type: 'actions'; readonly block_id?: string; readonly elements: readonly ButtonElement[] }
  | { readonly type: 'divider' };

export interface MessageContent {
  /** The plain fallback: notifications, screen readers and clients without blocks show it. */
  readonly text: string;
  readonly blocks?: readonly Block[];
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function linkTo(url: string, label: string): string {
  // A '|' or '>' inside the URL would end the link early; a '<' could start another.
  const safeUrl = url.replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C');
  return `<${safeUrl}|${escapeMrkdwn(label)}>`;
}

/** A button that carries `value` (the id of what it confirms) back to deploybot. */
export function button(
  label: string,
  actionId: string,
  value: string,
  style?: 'primary' | 'danger',
): ButtonElement {
  return {
    type: 'button',
    text: { type: 'plain_text', text: label },
    action_id: actionId,
    value,
    ...(style === undefined ? {} : { style }),
  };
}

export function mrkdwn(text: string): TextObject {
  return { type: 'mrkdwn', text };
}

/** A message of one mrkdwn section whose text is also the fallback. */
export function note(text: string): MessageContent {
  return { text, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}
