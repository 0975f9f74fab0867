// Slack's message formats as HTML for the playground's page: mrkdwn and the Block Kit blocks
// deploybot sends. `names` turns member and channel IDs into what Slack shows.

export function escapeHtml(text) {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function decodeEntities(text) {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

// The emoji deploybot's messages use; any other :name: stays as Slack would show it before loading.
const EMOJI = {
  white_check_mark: '\u2705',
  x: '\u274c',
  rocket: '\u{1f680}',
  hourglass_flowing_sand: '\u23f3',
  warning: '\u26a0\ufe0f',
  lock: '\u{1f512}',
  unlock: '\u{1f513}',
  no_entry: '\u26d4',
  no_entry_sign: '\u{1f6ab}',
  stop_sign: '\u{1f6d1}',
  arrows_counterclockwise: '\u{1f504}',
  recycle: '\u267b\ufe0f',
  snowflake: '\u2744\ufe0f',
  ice_cube: '\u{1f9ca}',
  eyes: '\u{1f440}',
  thumbsup: '\u{1f44d}',
  hourglass: '\u231b',
  raised_hand: '\u270b',
  sunny: '\u2600\ufe0f',
  rotating_light: '\u{1f6a8}',
  grey_question: '\u2754',
  calendar: '\u{1f4c6}',
  white_circle: '\u26aa',
  thinking_face: '\u{1f914}',
  large_blue_circle: '\u{1f535}',
  fast_forward: '\u23e9',
  octagonal_sign: '\u{1f6d1}',
  heavy_check_mark: '\u2714\ufe0f',
  large_yellow_circle: '\u{1f7e1}',
  red_circle: '\u{1f534}',
  large_green_circle: '\u{1f7e2}',
  construction: '\u{1f6a7}',
  clipboard: '\u{1f4cb}',
  bell: '\u{1f514}',
  zzz: '\u{1f4a4}',
};

/** Slack's mrkdwn as HTML: links, mentions, *bold*, _italic_, ~strike~, `code`, ```blocks``` and emoji. */
export function mrkdwn(text, names) {
  return String(text ?? '')
    .split(/(<[^>\s][^>]*>)/)
    .map((part) => {
      const token = /^<([^>|]+)(?:\|([^>]*))?>$/.exec(part);
      if (token) {
        const [, target, label] = token;
        if (target.startsWith('@'))
          return `<span class="badge">@${escapeHtml(names.person(target.slice(1)))}</span>`;
        if (target.startsWith('#'))
          return `<span class="badge">#${escapeHtml(label ?? names.channel(target.slice(1)))}</span>`;
        if (target.startsWith('!')) return `<span class="badge">@${escapeHtml(target.slice(1))}</span>`;
        const href = /^https?:\/\//.test(target) ? target : '#';
        return `<a href="${escapeHtml(href)}" target="_blank" rel="noreferrer">${escapeHtml(decodeEntities(label ?? target))}</a>`;
      }
      return escapeHtml(decodeEntities(part))
        .replace(/```([\s\S]*?)```/g, '<pre>$1</pre>')
        .replace(/`([^`\n]+)`/g, '<code>$1</code>')
        .replace(/(^|[\s(])\*([^*\n]+)\*/g, '$1<strong>$2</strong>')
        .replace(/(^|[\s(])_([^_\n]+)_/g, '$1<em>$2</em>')
        .replace(/(^|[\s(])~([^~\n]+)~/g, '$1<s>$2</s>')
        .replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] ?? whole);
    })
    .join('')
    .replaceAll('\n', '<br>');
}

function textObject(object, names) {
  if (!object) return '';
  return object.type === 'plain_text' ? escapeHtml(object.text) : mrkdwn(object.text, names);
}

function button(element, item, blockId) {
  if (element.type !== 'button') return '';
  const style = element.style === 'primary' || element.style === 'danger' ? element.style : '';
  if (element.url) {
    return `<a class="button" href="${escapeHtml(element.url)}" target="_blank" rel="noreferrer">${escapeHtml(element.text?.text ?? 'Open')}</a>`;
  }
  return `<button type="button" class="${style}" data-key="${escapeHtml(item.key)}" data-action="${escapeHtml(
    element.action_id ?? '',
  )}" data-value="${escapeHtml(element.value ?? '')}" data-block="${escapeHtml(blockId ?? '')}">${escapeHtml(
    element.text?.text ?? 'Button',
  )}</button>`;
}

export function drawBlocks(item, names) {
  return item.blocks
    .map((block) => {
      switch (block.type) {
        case 'header':
          return `<div class="block header">${textObject(block.text, names)}</div>`;
        case 'divider':
          return '<div class="block"><hr></div>';
        case 'section': {
          const fields = block.fields
            ? `<div class="fields">${block.fields.map((field) => `<div>${textObject(field, names)}</div>`).join('')}</div>`
            : '';
          const accessory = block.accessory ? button(block.accessory, item, block.block_id) : '';
          return `<div class="block section">${textObject(block.text, names)}${fields}${accessory}</div>`;
        }
        case 'context':
          return `<div class="block context">${(block.elements ?? [])
            .map((element) => (element.type === 'image' ? '' : textObject(element, names)))
            .join(' · ')}</div>`;
        case 'actions':
          return `<div class="block actions">${(block.elements ?? [])
            .map((element) => button(element, item, block.block_id))
            .join('')}</div>`;
        case 'rich_text':
          return '';
        default:
          return block.text ? `<div class="block">${textObject(block.text, names)}</div>` : '';
      }
    })
    .join('');
}
