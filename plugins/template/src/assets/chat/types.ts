export type ChatMessage = {
  id: number;
  from: "me" | "them";
  /** Who wrote it, in group chats. */
  author: string;
  text: string;
  time: string;
  status: "sent" | "delivered" | "read";
};
export type Contact = {
  id: number;
  name: string;
  hue: number;
  about: string;
  group: boolean;
  online: boolean;
  lastSeen: string;
  unread: number;
  pinned: boolean;
  messages: ChatMessage[];
};
export type ChatInfo = { me: string; autoReplies: string[] };
