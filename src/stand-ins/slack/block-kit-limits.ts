/**
 * Block Kit's published limits, checked the way Slack checks them: a view or message that
 * breaks one is refused with `invalid_arguments` and a message naming the JSON pointer, so
 * a test fails where real Slack would.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const LIMITS = {
  viewBlocks: 100,
  messageBlocks: 50,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  placeholder: 150,
  inputLabel: 2000,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
} as const;

function textOf(value: unknown): string | undefined {
  return isObject(value) && typeof value.text === 'string' ? value.text : undefined;
}

function checkText(errors: string[], value: unknown, max: number, pointer: string, required = true): void {
  const text = textOf(value);
  if (text === undefined) {
    if (required || value !== undefined) errors.push(`must provide a text object [json-pointer:${pointer}]`);
    return;
  }
  if (text.length === 0 && required)
    errors.push(`must be more than 0 characters [json-pointer:${pointer}/text]`);
  if (text.length > max)
    errors.push(`must be less than ${max + 1} characters [json-pointer:${pointer}/text]`);
}

function checkElement(errors: string[], element: unknown, pointer: string, actionIds: Set<string>): void {
  if (!isObject(element)) {
    errors.push(`must be an object [json-pointer:${pointer}]`);
    return;
  }
  const actionId = element.action_id;
  if (typeof actionId === 'string') {
    if (actionId.length > LIMITS.actionId)
      errors.push(`must be less than 256 characters [json-pointer:${pointer}/action_id]`);
    if (actionIds.has(actionId))
      errors.push(`action_id already exists in this block [json-pointer:${pointer}/action_id]`);
    actionIds.add(actionId);
  }
  switch (element.type) {
    case 'button':
      checkText(errors, element.text, LIMITS.buttonText, `${pointer}/text`);
      if (typeof element.value === 'string' && element.value.length > LIMITS.buttonValue) {
        errors.push(`must be less than 2001 characters [json-pointer:${pointer}/value]`);
      }
      break;
    case 'static_select':
    case 'overflow': {
      const options = element.options;
      if (options !== undefined) {
        if (!Array.isArray(options) || options.length === 0)
          errors.push(`must provide options [json-pointer:${pointer}/options]`);
        else if (options.length > LIMITS.selectOptions)
          errors.push(`must be less than 101 items [json-pointer:${pointer}/options]`);
        else {
          options.forEach((option, i) => {
            checkText(
              errors,
              isObject(option) ? option.text : undefined,
              LIMITS.optionText,
              `${pointer}/options/${i}/text`,
            );
            const value = isObject(option) ? option.value : undefined;
            if (typeof value !== 'string' || value.length > LIMITS.optionValue) {
              errors.push(
                `must be a string of at most 150 characters [json-pointer:${pointer}/options/${i}/value]`,
              );
            }
          });
        }
      } else if (element.type === 'overflow')
        errors.push(`must provide options [json-pointer:${pointer}/options]`);
      if (element.placeholder !== undefined)
        checkText(errors, element.placeholder, LIMITS.placeholder, `${pointer}/placeholder`);
      break;
    }
    case 'plain_text_input':
      if (element.placeholder !== undefined)
        checkText(errors, element.placeholder, LIMITS.placeholder, `${pointer}/placeholder`);
      break;
    case 'mrkdwn':
    case 'plain_text':
    case 'image':
      break;
    default:
      errors.push(`unknown element type ${String(element.type)} [json-pointer:${pointer}/type]`);
  }
}

/** Every Block Kit problem of `blocks`, each as Slack words it. */
export function checkBlocks(blocks: unknown, max: number, pointer: string): string[] {
  const errors: string[] = [];
  if (!Array.isArray(blocks)) return [`must be an array [json-pointer:${pointer}]`];
  if (blocks.length > max) errors.push(`must be less than ${max + 1} items [json-pointer:${pointer}]`);
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    const at = `${pointer}/${i}`;
    if (!isObject(block)) {
      errors.push(`must be an object [json-pointer:${at}]`);
      return;
    }
    if (typeof block.block_id === 'string') {
      if (block.block_id.length > LIMITS.blockId)
        errors.push(`must be less than 256 characters [json-pointer:${at}/block_id]`);
      if (blockIds.has(block.block_id)) errors.push(`block_id already exists [json-pointer:${at}/block_id]`);
      blockIds.add(block.block_id);
    }
    const actionIds = new Set<string>();
    switch (block.type) {
      case 'section': {
        const fields = block.fields;
        if (block.text === undefined && fields === undefined)
          errors.push(`must provide text or fields [json-pointer:${at}]`);
        if (block.text !== undefined) checkText(errors, block.text, LIMITS.sectionText, `${at}/text`);
        if (Array.isArray(fields)) {
          if (fields.length > LIMITS.sectionFields)
            errors.push(`must be less than 11 items [json-pointer:${at}/fields]`);
          fields.forEach((field, j) => {
            checkText(errors, field, LIMITS.fieldText, `${at}/fields/${j}`);
          });
        }
        if (block.accessory !== undefined)
          checkElement(errors, block.accessory, `${at}/accessory`, actionIds);
        break;
      }
      case 'header':
        checkText(errors, block.text, LIMITS.headerText, `${at}/text`);
        break;
      case 'context':
      case 'actions': {
        const elements = block.elements;
        const limit = block.type === 'context' ? LIMITS.contextElements : LIMITS.actionsElements;
        if (!Array.isArray(elements) || elements.length === 0)
          errors.push(`must provide elements [json-pointer:${at}/elements]`);
        else {
          if (elements.length > limit)
            errors.push(`must be less than ${limit + 1} items [json-pointer:${at}/elements]`);
          elements.forEach((element, j) => {
            checkElement(errors, element, `${at}/elements/${j}`, actionIds);
          });
        }
        break;
      }
      case 'input':
        checkText(errors, block.label, LIMITS.inputLabel, `${at}/label`);
        checkElement(errors, block.element, `${at}/element`, actionIds);
        break;
      case 'divider':
        break;
      default:
        errors.push(`unknown block type ${String(block.type)} [json-pointer:${at}/type]`);
    }
  });
  return errors;
}

/** Every problem of a view as views.publish, views.open and views.update check it. */
export function checkView(view: unknown, wantedType: 'home' | 'modal'): string[] {
  if (!isObject(view)) return ['must provide an object [json-pointer:/view]'];
  const errors: string[] = [];
  if (view.type !== wantedType) errors.push(`must be ${wantedType} [json-pointer:/view/type]`);
  errors.push(...checkBlocks(view.blocks, LIMITS.viewBlocks, '/view/blocks'));
  if (wantedType === 'modal') {
    checkText(errors, view.title, LIMITS.modalTitle, '/view/title');
    checkText(errors, view.submit, LIMITS.modalButton, '/view/submit', false);
    checkText(errors, view.close, LIMITS.modalButton, '/view/close', false);
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === 'input');
    if (hasInput && view.submit === undefined)
      errors.push('must provide submit when there are input blocks [json-pointer:/view/submit]');
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > LIMITS.privateMetadata) {
    errors.push('must be less than 3001 characters [json-pointer:/view/private_metadata]');
  }
  if (typeof view.callback_id === 'string' && view.callback_id.length > LIMITS.callbackId) {
    errors.push('must be less than 256 characters [json-pointer:/view/callback_id]');
  }
  return errors;
}

export const MESSAGE_MAX_BLOCKS = LIMITS.messageBlocks;
