export interface Announcement {
  readonly deploymentId: number;
  readonly repository: string;
  readonly channel: string;
  readonly ts: string;
  readonly statusId: number;
  readonly state: string;
}

export interface AnnouncementStore {
  getAnnouncement(deploymentId: number): Promise<Announcement | undefined>;
  saveAnnouncement(announcement: Announcement, now: number): Promise<void>;
  hasAnnouncedStatus(statusId: number): Promise<boolean>;
  recordAnnouncedStatus(statusId: number, deploymentId: number, ts: string, now: number): Promise<void>;
  /**
   * Records that a keyed post is about to be made. Undefined the first time; otherwise when it
   * was first recorded: an earlier try may have posted it, so it is looked for before posting.
   */
  beginChatPost(key: string, now: number): Promise<number | undefined>;
}
