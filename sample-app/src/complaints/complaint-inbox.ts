import { Injectable } from '@nestjs/common';

/** What the shop knows of one complaint from its notifications. */
export interface InboxEntry {
  complaintId: string;
  /** The last `action_type` notified, e.g. CREATE_COMPLAINT, MERCHANT_CONFIRM_COMPLETE. */
  lastAction: string;
  notifiedAt: Date;
}

/**
 * Complaints WeChat Pay told the shop about, newest first: what the staff page highlights. An
 * in-memory stand-in for your own table; WeChat Pay's list stays the source of truth.
 */
@Injectable()
export class ComplaintInbox {
  private readonly entries = new Map<string, InboxEntry>();

  record(complaintId: string, action: string): void {
    this.entries.set(complaintId, { complaintId, lastAction: action, notifiedAt: new Date() });
  }

  get(complaintId: string): InboxEntry | undefined {
    return this.entries.get(complaintId);
  }

  all(): InboxEntry[] {
    return [...this.entries.values()].reverse();
  }
}
