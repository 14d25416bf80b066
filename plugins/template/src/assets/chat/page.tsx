import ChatApp from "../components/ChatApp";
import { chat, contacts } from "./data";

export default function Home() {
  return <ChatApp me={chat.me} initialContacts={contacts} autoReplies={chat.autoReplies} />;
}
