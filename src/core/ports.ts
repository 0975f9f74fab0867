/**
 * @deprecated The flows use ChatPort (./ports/chat.ts). The chat listeners of src/bot still
 * name it Announcer and only post and update messages; this alias goes once they take ChatPort.
 */
export type { ChatPort as Announcer } from './ports/chat.js';
